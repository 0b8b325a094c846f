"""Templates ask ``may`` what the workflow allows: none decides it by comparing a status."""

import re
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
