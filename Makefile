# Knotenpunkt – everyday commands. The two a newcomer needs: `make demo` and `make test`.
.PHONY: demo test lint format typecheck messages bench generate

PY := .venv/bin/python

demo:  ## install into .venv, migrate, load the demo and serve it at http://127.0.0.1:8000
	scripts/demo

test:  ## install into .venv and run the whole suite (with CI=true also on PostgreSQL)
	scripts/test

lint:  ## ruff (lint and format check) and mypy
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format:
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

typecheck:
	$(PY) -m mypy

messages:  ## refresh and compile the translation catalogues (needs GNU gettext)
	cd src/knotenpunkt && ../../$(PY) ../../manage.py makemessages -l de -l en --no-obsolete --add-location file
	cd src/knotenpunkt && ../../$(PY) ../../manage.py compilemessages

bench:  ## benchmarks (see bench/)
	$(PY) bench/generate.py --scale national
	$(PY) bench/partners.py
	$(PY) bench/tours.py

generate:  ## synthetic data at county scale into the local database
	$(PY) manage.py generate --scale county --seed 1
