"""Every rule has a document, and every document's examples do what it says.

An example is the config a fenced block ```` ```python bad ```` holds; blocks tagged
```` file=path ```` beside it are other files of the same example (its `_base_` files, or a
model package whose classes it names), written next to it before it is linted with that
folder as a source root.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from initlint.catalog import Example, Rule, catalog
from initlint.runner import lint_paths

RULES = catalog()
SUFFIX = {"python": "py", "json": "json", "yaml": "yaml"}
CASES = [
    pytest.param(rule, kind, id=f"{code}-{kind}")
    for code, rule in RULES.items()
    for kind in ("bad", "good")
]
SECTIONS = ["## What it does", "## Why it matters", "## Example", "## Use instead"]


def _write_example(rule: Rule, kind: str, root: Path) -> Path:
    examples = [e for e in rule.examples if e.kind == kind]
    [main] = [e for e in examples if e.file is None]
    for extra in (e for e in examples if e.file is not None):
        assert extra.file is not None
        path = root / extra.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(extra.code, encoding="utf-8")
    path = root / "configs" / f"example.{SUFFIX[main.language]}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(main.code, encoding="utf-8")
    return path


@pytest.mark.parametrize(("rule", "kind"), CASES)
def test_example_raises_exactly_its_code(rule: Rule, kind: str, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    main = _write_example(rule, kind, tmp_path)
    result = lint_paths([str(main.relative_to(tmp_path))], source_roots=[tmp_path])
    codes = [d.code for d in result.diagnostics]
    if kind == "bad":
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
    mains = sorted(e.kind for e in rule.examples if e.file is None)
    assert mains == ["bad", "good"], f"{rule.file} needs one bad and one good example"


def test_every_code_the_checker_emits_is_documented() -> None:
    source = "\n".join(p.read_text() for p in Path("initlint").rglob("*.py"))
    emitted = set(re.findall(r'"(IL\d{3})"', source))
    assert emitted, "no rule codes found in the sources"
    assert emitted <= set(RULES), f"undocumented codes: {sorted(emitted - set(RULES))}"


def test_examples_keep_their_files_apart() -> None:
    example = Example("bad", "python", "x = 1\n", "_base_/model.py")
    assert example.file == "_base_/model.py"
