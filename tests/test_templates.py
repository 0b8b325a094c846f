"""Templates ask ``may`` what the workflow allows: none decides it by comparing a status."""

import re
import tokenize
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "filiere" / "templates"

# A status, state, kind or role compared with a literal, either way round, in a template tag:
# ``x.status == "open"``, ``"draft" != project.state``, ``"officer" in roles``.
LITERAL = r"""(?:"[^"]*"|'[^']*')"""
WORKFLOW = r"[\w.]*(?:status|state|kind|roles?|role_names)\b"
COMPARISON = re.compile(
    rf"{WORKFLOW}\s*(?:==|!=|\bin\b|\bnot in\b)\s*{LITERAL}"
    rf"|{LITERAL}\s*(?:==|!=|\bin\b|\bnot in\b)\s*{WORKFLOW}"
)
TAG = re.compile(r"{%.*?%}", re.DOTALL)


def workflow_comparisons(text: str) -> list[str]:
    return [tag for tag in TAG.findall(text) if COMPARISON.search(tag)]


@pytest.mark.parametrize(
    "tag",
    [
        '{% if need.status == "closed" %}',
        "{% elif project.state != 'draft' %}",
        '{% if "officer" in roles and project.state == "submitted" %}',
        '{% if "draft" == meeting.state %}',
        '{% if event.kind == "matchmaking" %}',
        '{% if "adviser" in user_role_names %}',
    ],
)
def test_the_check_sees_a_comparison_with_a_literal(tag):
    assert workflow_comparisons(tag) == [tag]


@pytest.mark.parametrize(
    "tag",
    [
        "{% if may.take %}",
        "{% if need.status %}",
        '{% translate "État" %}',
        "{% if run.is_running %}",
    ],
)
def test_the_check_leaves_other_tags_alone(tag):
    assert workflow_comparisons(tag) == []


def test_no_template_compares_a_status_with_a_literal():
    found = {
        str(path.relative_to(TEMPLATES)): workflow_comparisons(path.read_text(encoding="utf-8"))
        for path in [*TEMPLATES.rglob("*.html"), *TEMPLATES.rglob("*.txt")]
    }
    assert {name: tags for name, tags in found.items() if tags} == {}


# « entreprise(s) » where ``ngettext`` or ``{% blocktranslate count %}`` (or, in a command's
# untranslated output, ``common.formats.counted``) says « 1 entreprise », « 3 entreprises ».
PLURAL_IN_BRACKETS = re.compile(r"\w\(s\)")
SOURCES = Path(__file__).resolve().parents[1] / "filiere"


def test_the_plural_check_sees_a_word_with_s_in_brackets():
    assert PLURAL_IN_BRACKETS.findall("%(n)d entreprise(s) invitée(s)") == ["e(s)", "e(s)"]
    assert PLURAL_IN_BRACKETS.findall("%(firms)s et %(s)s") == []


# Python 3.12 splits an f-string into tokens of its own.
STRING_TOKENS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


def _texts(path: Path) -> list[str]:
    """A template's lines, or a module's strings (not its code: ``engine_scheme(s)``)."""
    if path.suffix != ".py":
        return path.read_text(encoding="utf-8").splitlines()
    with path.open("rb") as source:
        tokens = tokenize.tokenize(source.readline)
        return [t.string for t in tokens if t.type in STRING_TOKENS]


def test_no_text_writes_its_plural_in_brackets():
    found = {}
    for path in [*SOURCES.rglob("*.html"), *SOURCES.rglob("*.txt"), *SOURCES.rglob("*.py")]:
        if "migrations" in path.parts or "static" in path.parts:
            continue
        hits = [text.strip() for text in _texts(path) if PLURAL_IN_BRACKETS.search(text)]
        if hits:
            found[str(path.relative_to(SOURCES))] = hits
    assert found == {}
