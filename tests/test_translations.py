"""The interface is French; every text must also exist in the English catalogue."""

import gettext
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "filiere"
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def catalogue() -> dict[str, str]:
    entries = re.findall(r'msgid "((?:[^"\\]|\\.)*)"\nmsgstr "((?:[^"\\]|\\.)*)"', PO.read_text())
    return {unescape(msgid): unescape(msgstr) for msgid, msgstr in entries if msgid}


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = catalogue()
    assert len(entries) > 250
    assert [msgid for msgid, msgstr in entries.items() if not msgstr] == []
    assert "#, fuzzy" not in PO.read_text()


def test_the_compiled_catalogue_matches_the_source():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, msgstr in catalogue().items():
        assert compiled.gettext(msgid) == msgstr, msgid


def test_texts_marked_in_code_and_templates_are_in_the_catalogue():
    """Catches a text added without running `make messages`."""
    patterns = [
        re.compile(r'{%\s*translate\s+"([^"]+)"'),
        re.compile(r"{%\s*translate\s+'([^']+)'"),
        # A single literal; texts split over several literals are left to makemessages.
        re.compile(r'\b_\(\s*"([^"]+)"\s*[,)]'),
    ]
    entries = catalogue()
    missing = set()
    for path in [*ROOT.rglob("*.html"), *ROOT.rglob("*.py")]:
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in patterns:
            missing |= {f"{path.name}: {m}" for m in pattern.findall(text) if m not in entries}
    assert sorted(missing) == []


def test_the_french_interface_shows_the_source_texts():
    """The source texts are French, so no French catalogue is needed, except where another
    library's French catalogue translates one of them (django-allauth's « Note » is
    « Remarque »): ``locale/fr`` pins those, first in the search order."""
    from django.utils import translation

    with translation.override("fr"):
        changed = {
            msgid: translation.gettext(msgid)
            for msgid in catalogue()
            if translation.gettext(msgid) != msgid
        }
    assert changed == {}
