"""Settings from the environment: typed, with loud errors for bad values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from knotenpunkt.config.env import Env

PROJECT = Path(__file__).resolve().parents[2]


def test_it_reads_booleans_and_rejects_anything_else() -> None:
    env = Env({"A": "yes", "B": "0", "C": "maybe"})
    assert env.get_bool("A", default=False) is True
    assert env.get_bool("B", default=True) is False
    assert env.get_bool("MISSING", default=True) is True
    with pytest.raises(ImproperlyConfigured, match="C='maybe' is not a boolean"):
        env.get_bool("C", default=False)


def test_it_reads_whole_numbers_with_a_minimum() -> None:
    env = Env({"PORT": "25", "BAD": "2x", "LOW": "0"})
    assert env.get_int("PORT", 587) == 25
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env.get_int("BAD", 1)
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env.get_int("LOW", 1, minimum=1)


def test_it_splits_lists() -> None:
    assert Env({"HOSTS": "a.example.org, b.example.org,"}).get_list("HOSTS", []) == [
        "a.example.org",
        "b.example.org",
    ]


def test_it_reads_secrets_from_files(tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("s3cr3t\n", encoding="utf-8")
    assert Env({"SECRET_KEY_FILE": str(secret)}).secret("SECRET_KEY") == "s3cr3t"
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        Env({"SECRET_KEY_FILE": str(tmp_path / "missing")}).secret("SECRET_KEY")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        Env({"SECRET_KEY": "x", "SECRET_KEY_FILE": str(secret)}).secret("SECRET_KEY")


def test_it_parses_database_urls() -> None:
    sqlite = Env({}).database("DATABASE_URL", "sqlite:////tmp/k.sqlite3")
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3"
    postgres = Env({"DATABASE_URL": "postgres://kp:pw@db.example.org:5433/knotenpunkt"}).database(
        "DATABASE_URL", "sqlite:///x"
    )
    assert postgres["ENGINE"] == "django.db.backends.postgresql"
    assert (postgres["HOST"], postgres["PORT"], postgres["NAME"]) == (
        "db.example.org",
        5433,
        "knotenpunkt",
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u:pw@host/db", "must start with sqlite:// or postgres://"),
        ("nonsense", "must start with sqlite:// or postgres://"),
        ("postgres://u:pw@host:5432/", "names no database"),
        ("postgres://u:pw@host:notaport/db", "cannot be parsed"),
    ],
)
def test_bad_database_urls_give_a_clear_error(url: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message) as error:
        Env({"DATABASE_URL": url}).database("DATABASE_URL", "sqlite:///x")
    assert "pw" not in str(error.value)  # passwords never appear in the message


def _run_django(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY"}
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, str(PROJECT / "manage.py"), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_project_refuses_to_start_with_a_bad_database_url(tmp_path: Path) -> None:
    result = _run_django({"DATABASE_URL": "mysql://x@y/z", "DATA_DIR": str(tmp_path)}, "check")
    assert result.returncode != 0
    assert "DATABASE_URL must start with sqlite:// or postgres://" in result.stderr


def test_with_nothing_set_it_runs_on_a_local_sqlite_file(tmp_path: Path) -> None:
    result = _run_django(
        {"DATA_DIR": str(tmp_path)},
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['NAME'], s.DEBUG, s.ALLOWED_HOSTS)",
    )
    assert result.returncode == 0, result.stderr
    assert str(tmp_path / "knotenpunkt.sqlite3") in result.stdout
    assert "False" in result.stdout
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    result = _run_django(
        {
            "DATA_DIR": str(tmp_path),
            "SECRET_KEY": "x7Q" * 20 + "-deploy-check-key-with-enough-entropy",
            "ALLOWED_HOSTS": "knotenpunkt.example.org",
            "HTTPS": "true",
            "DEBUG": "false",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
