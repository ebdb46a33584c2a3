"""The message catalogues: German complete and correct, compiled files current, both UIs served.

Refresh the catalogues after changing strings, from ``src/knotenpunkt`` (``make messages``)::

    ../../.venv/bin/python ../../manage.py makemessages -l de -l en --no-obsolete \
        --add-location file
    ../../.venv/bin/python ../../manage.py compilemessages
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

LANGUAGES = ("de", "en")

# A printf-style placeholder as Python's % operator reads it: %(name)s, %(ratio).1f, %d …
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]"
)


def catalogue(language: str, suffix: str = "po") -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / f"django.{suffix}"


def placeholders(text: str) -> Counter[str]:
    return Counter(match.group(0) for match in PLACEHOLDER.finditer(text) if match.group(0) != "%%")


def current_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def messages(entries: list[polib.POEntry] | polib.MOFile) -> dict[tuple[str, str], object]:
    """(context, msgid) → translation, the plural forms as a tuple, for comparing catalogues."""
    result: dict[tuple[str, str], object] = {}
    for entry in entries:
        if not entry.msgid:  # the header
            continue
        if entry.msgid_plural:
            value: object = (
                entry.msgid_plural,
                *(v for _, v in sorted(entry.msgstr_plural.items())),
            )
        else:
            value = entry.msgstr
        result[(entry.msgctxt or "", entry.msgid)] = value
    return result


def test_german_catalogue_has_no_untranslated_or_fuzzy_entries() -> None:
    po = polib.pofile(str(catalogue("de")))
    entries = current_entries(po)
    assert len(entries) > 100
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == "de"
    for entry in entries:
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == 2, entry.msgid
            assert all(form.strip() for form in entry.msgstr_plural.values()), entry.msgid
        else:
            assert entry.msgstr.strip(), entry.msgid


def test_german_translations_keep_every_placeholder() -> None:
    po = polib.pofile(str(catalogue("de")))
    wrong = []
    for entry in current_entries(po):
        if entry.msgid_plural:
            forms = [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
            expected = placeholders(entry.msgid_plural)
            # The singular (German form 0, used for n == 1 only) may leave the number out,
            # as gettext allows ("every week" / "every %(weeks)s weeks"), but adds nothing.
            singular, *others = forms
            wrong += [(entry.msgid, form) for form in others if placeholders(form) != expected]
            if placeholders(singular) - expected:
                wrong.append((entry.msgid, singular))
            if placeholders(entry.msgid) - expected:
                wrong.append((entry.msgid, entry.msgid_plural))
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            wrong.append((entry.msgid, entry.msgstr))
        if "python-format" not in entry.flags:
            # Without the flag msgfmt does not check it, and Django does not format it.
            assert not placeholders(entry.msgid), f"not marked python-format: {entry.msgid!r}"
    assert wrong == []


def test_both_catalogues_hold_the_same_messages() -> None:
    """A refresh of only one language would leave the other behind."""
    de, en = (polib.pofile(str(catalogue(language))) for language in LANGUAGES)
    assert set(messages(current_entries(de))) == set(messages(current_entries(en)))


def test_english_plurals_are_filled() -> None:
    po = polib.pofile(str(catalogue("en")))
    for entry in current_entries(po):
        if entry.msgid_plural:
            assert entry.msgstr_plural == {0: entry.msgid, 1: entry.msgid_plural}, entry.msgid
        else:
            assert entry.msgstr in ("", entry.msgid), entry.msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language: str) -> None:
    po = polib.pofile(str(catalogue(language)))
    mo = polib.mofile(str(catalogue(language, "mo")))
    translated = [entry for entry in po.translated_entries() if not entry.obsolete]
    assert messages(mo) == messages(translated), (
        "django.mo is out of date: run compilemessages in src/knotenpunkt"
    )


def test_german_is_used_for_gettext() -> None:
    with translation.override("de"):
        assert translation.gettext("Skip to content") == "Zum Inhalt springen"
        assert translation.gettext("Audit log") == "Änderungsprotokoll"


def test_login_page_is_german_for_a_german_browser(client: Client, db: None) -> None:
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "Anmelden" in html
    assert "Zum Inhalt springen" in html
    assert "Log in" not in html
    assert response.headers["Content-Language"] == "de"


def test_login_page_is_english_for_an_english_browser(client: Client, db: None) -> None:
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html
    assert "Anmelden" not in html
    assert response.headers["Content-Language"] == "en"
