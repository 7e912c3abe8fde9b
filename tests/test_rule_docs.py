"""Every rule has a document, and every document's examples do what it says."""

from __future__ import annotations

import re

import pytest

from initlint.catalog import catalog
from initlint.lint import lint_text

RULES = catalog()
EXAMPLES = [
    pytest.param(rule, example, id=f"{code}-{example.kind}-{i}")
    for code, rule in RULES.items()
    for i, example in enumerate(rule.examples)
]
SECTIONS = ["## What it does", "## Why it matters", "## Example", "## Use instead"]


@pytest.mark.parametrize(("rule", "example"), EXAMPLES)
def test_example_raises_exactly_its_code(rule, example) -> None:  # type: ignore[no-untyped-def]
    suffix = {"python": "py", "json": "json", "yaml": "yaml"}[example.language]
    codes = [d.code for d in lint_text(example.code, f"example.{suffix}")]
    if example.kind == "bad":
        assert codes == [rule.code], f"{rule.file}: bad example gives {codes}"
    else:
        assert codes == [], f"{rule.file}: good example gives {codes}"


@pytest.mark.parametrize("code", sorted(RULES))
def test_document_is_complete(code: str) -> None:
    rule = RULES[code]
    assert rule.file.startswith(f"{code}-{rule.name}"), rule.file
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    for section in SECTIONS:
        assert section in rule.document, f"{rule.file} lacks {section}"
    kinds = sorted(e.kind for e in rule.examples)
    assert kinds == ["bad", "good"], f"{rule.file} needs one bad and one good example"


def test_every_code_the_checker_emits_is_documented() -> None:
    import pathlib

    source = "\n".join(p.read_text() for p in pathlib.Path("initlint").rglob("*.py"))
    emitted = set(re.findall(r'"(IL\d{3})"', source))
    assert emitted, "no rule codes found in the sources"
    assert emitted <= set(RULES), f"undocumented codes: {sorted(emitted - set(RULES))}"
