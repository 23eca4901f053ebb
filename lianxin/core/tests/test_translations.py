"""The Simplified Chinese catalog is complete, keeps every placeholder and is the one Django loads.

Chinese is the default language, so an untranslated msgid shows English to every user
and a lost placeholder breaks the message at run time. `make messages` compiles the
catalog before the tests run.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import polib  # type: ignore[import-untyped]  # no type information, and its stubs not worth a dependency
import pytest
from django.conf import settings
from django.utils import translation

ZH_PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
EN_PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"

# %(name)s, %(n)d, %s, %d (with flags, width, precision) and {name} / {0} / {}.
PLACEHOLDER = re.compile(
    r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]"
    r"|%[-#0 +]*\d*(?:\.\d+)?[sdifrx]"
    r"|\{[^{}]*\}"
)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.fixture(scope="module")
def catalog() -> polib.POFile:
    return polib.pofile(str(ZH_PO))


def entries(catalog: polib.POFile) -> Iterator[polib.POEntry]:
    return (e for e in catalog if not e.obsolete)


def translations_of(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)] or [""]
    return [entry.msgstr]


def label(entry: polib.POEntry) -> str:
    where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
    return f"{entry.msgid!r} ({where})"


def test_the_chinese_catalog_has_one_plural_form(catalog: polib.POFile) -> None:
    plural_forms = catalog.metadata.get("Plural-Forms", "").replace(" ", "")
    assert plural_forms.startswith("nplurals=1;plural=0"), plural_forms


def test_every_msgid_is_translated_into_chinese(catalog: polib.POFile) -> None:
    untranslated = [label(e) for e in entries(catalog) if not all(t.strip() for t in translations_of(e))]
    assert not untranslated, f"{len(untranslated)} untranslated entries in {ZH_PO}:\n" + "\n".join(untranslated)


def test_no_translation_is_fuzzy(catalog: polib.POFile) -> None:
    fuzzy = [label(e) for e in entries(catalog) if "fuzzy" in e.flags]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries in {ZH_PO} (check them, then remove the flag):\n" + "\n".join(fuzzy)


def test_every_translation_keeps_the_placeholders_of_its_msgid(catalog: polib.POFile) -> None:
    wrong = []
    for entry in entries(catalog):
        # Chinese has one form, used for every count, so it takes the plural's placeholders.
        expected = placeholders(entry.msgid_plural or entry.msgid)
        for text in translations_of(entry):
            if text and placeholders(text) != expected:
                wrong.append(
                    f"{label(entry)}: expected {sorted(expected)}, got {sorted(placeholders(text))} in {text!r}"
                )
    assert not wrong, "Placeholders differ between msgid and msgstr:\n" + "\n".join(wrong)


def test_the_english_catalog_falls_back_to_the_msgids() -> None:
    english = polib.pofile(str(EN_PO))
    filled = [label(e) for e in english if not e.obsolete and any(translations_of(e))]
    assert not filled, "The English catalog should leave msgstr empty:\n" + "\n".join(filled)


def test_django_loads_the_compiled_chinese_catalog() -> None:
    with translation.override("zh-hans"):
        assert translation.gettext("Party branch") == "党支部"
        assert translation.ngettext("%(n)s year", "%(n)s years", 3) % {"n": 3} == "3年"
    with translation.override("en"):
        assert translation.gettext("Party branch") == "Party branch"


def test_the_compiled_catalog_is_up_to_date_with_the_po_file(catalog: polib.POFile) -> None:
    stale = []
    with translation.override("zh-hans"):
        for entry in entries(catalog):
            if entry.msgid_plural or not entry.msgstr:
                continue
            if entry.msgctxt:
                shown = translation.pgettext(entry.msgctxt, entry.msgid)
            else:
                shown = translation.gettext(entry.msgid)
            if shown != entry.msgstr:
                stale.append(f"{label(entry)}: {shown!r} != {entry.msgstr!r}")
    assert not stale, "The compiled catalog differs from the .po file; run `make messages`:\n" + "\n".join(stale)
