"""Every rule is a registered object with a document, and every document's examples do what it
says: each bad example prints exactly its `text output` block (code, location and message),
each good example nothing. Blocks tagged `file=path` are other files of the next example (its
`_base_` files, or a model package whose classes it names), written beside it before it is
linted with that folder as a source root. A bad example with a `fixed` block is what
`initlint --fix` (`fixed unsafe`: with `--unsafe-fixes`) makes of it, byte for byte, and a
second run changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from initlint.catalog import Example, document, documents, registry, rules
from initlint.checks.base import HOOKS, Stage, implements
from initlint.report.text import applies, line
from initlint.runner import lint_paths

from .conftest import ROOT, run_initlint

RULES = rules()
SUFFIX = {"python": "py", "json": "json", "yaml": "yaml"}
EXAMPLES = [
    pytest.param(code, i, example, id=f"{code}-{example.kind}-{i}")
    for code in RULES
    for i, example in enumerate(document(code).examples)
]
SECTIONS = ["## What it does", "## Why it matters", "## Example", "## Use instead"]
# The stage each method of a rule judges at.
HOOK_STAGES = {
    "check_value": Stage.VALUE,
    "check_entry": Stage.ENTRY,
    "check_call": Stage.ENTRY,
    "check_overrides": Stage.OVERRIDE,
    "check_override": Stage.OVERRIDE,
    "check_receiver": Stage.CLASS,
    "check_config": Stage.CONFIG,
    "check_source": Stage.SOURCE,
}


def _write(example: Example, root: Path) -> Path:
    for name, text in example.files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    main = root / "configs" / f"example.{SUFFIX[example.language]}"
    main.parent.mkdir(parents=True, exist_ok=True)
    main.write_text(example.code, encoding="utf-8")
    return main


def _lint(example: Example, root: Path) -> list[str]:
    main = _write(example, root)
    result = lint_paths([str(main.relative_to(root))], source_roots=[root])
    # As `initlint` prints them: `[*]` where `--fix` applies a fix.
    return [line(d, applies(d, unsafe=False)) for d in result.diagnostics]


@pytest.mark.parametrize(("code", "index", "example"), EXAMPLES)
def test_example_prints_what_its_document_says(
    code: str, index: int, example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    if not document(code).linted:  # what no short file provokes: shown, in the output's form
        if example.kind == "bad":
            assert example.output is not None
            assert all(
                re.fullmatch(rf"\S+:\d+:\d+: {code} .+", row)
                for row in example.output.strip().splitlines()
            )
        return
    printed = _lint(example, tmp_path)
    if example.kind == "good":
        assert printed == [], f"{document(code).file}: good example {index} gives {printed}"
        return
    assert example.output is not None, (
        f"{document(code).file}: bad example {index} has no `text output` block"
    )
    expected = example.output.strip().splitlines()
    assert printed == expected
    assert {row.split(": ", 1)[1].split()[0] for row in expected} == {code}


FIXED = [param for param in EXAMPLES if param.values[2].fixed is not None]


@pytest.mark.parametrize(("code", "index", "example"), FIXED)
def test_fixed_example_is_what_fix_makes_of_it(
    code: str, index: int, example: Example, tmp_path: Path
) -> None:
    main = _write(example, tmp_path)
    name = str(main.relative_to(tmp_path))
    options = ["--fix", "--no-cache", "--source-root", ".", "--extend-select", code]
    if example.unsafe:  # an unsafe fix: plain --fix leaves the file as it is
        assert run_initlint(*options, name, cwd=tmp_path).returncode in (0, 1)
        assert main.read_text(encoding="utf-8") == example.code
        options.append("--unsafe-fixes")
    result = run_initlint(*options, name, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert result.stderr == ""
    assert main.read_text(encoding="utf-8") == example.fixed
    for other, text in example.fixed_files:
        assert (tmp_path / other).read_text(encoding="utf-8") == text
    for other, text in example.files:
        if other not in dict(example.fixed_files):
            assert (tmp_path / other).read_text(encoding="utf-8") == text, f"{other} changed"
    # Fixed once is fixed: a second run changes nothing and finds nothing of this rule.
    again = run_initlint(*options, name, cwd=tmp_path)
    assert main.read_text(encoding="utf-8") == example.fixed
    assert f" {code} " not in again.stdout
    assert "fixed" not in again.stdout.split("Found", 1)[-1]


@pytest.mark.parametrize("code", sorted(RULES))
def test_document_is_complete_and_agrees_with_the_rule(code: str) -> None:
    rule, doc = RULES[code], document(code)
    assert doc.file == f"{code}-{rule.name}.md"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert (doc.code, doc.name, doc.severity, doc.fix) == (
        rule.code,
        rule.name,
        rule.severity,
        rule.fix,
    ), "front matter differs from the rule"
    for section in SECTIONS:
        assert section in doc.text, f"{doc.file} lacks {section}"
    if rule.fix != "none":
        assert "## Fix safety" in doc.text, f"{doc.file} lacks ## Fix safety"
        assert any(e.fixed is not None for e in doc.examples), (
            f"{doc.file}: a rule that fixes shows a fixed example"
        )
    else:
        assert not any(e.fixed is not None for e in doc.examples)
    kinds = {e.kind for e in doc.examples}
    assert kinds == {"bad", "good"}, f"{doc.file} needs a bad and a good example"


def test_every_rule_has_a_document_and_every_document_a_rule() -> None:
    assert set(documents()) == set(RULES)


def test_the_registry_holds_every_code_once() -> None:
    entries = registry()
    assert set(RULES) <= set(entries)
    reserved = {code for code, entry in entries.items() if code not in RULES}
    assert all(entries[code].status in ("reserved", "removed") for code in reserved)
    names = [entry.name for entry in entries.values()]
    assert len(names) == len(set(names)), "two codes share a name"
    assert all(re.fullmatch(r"IL\d{3}", code) for code in entries)


@pytest.mark.parametrize("code", sorted(RULES))
def test_a_rule_declares_the_stages_it_judges_at(code: str) -> None:
    rule = type(RULES[code])
    judged = {HOOK_STAGES[hook] for hook in HOOKS if implements(rule, hook)}
    assert judged <= set(rule.stages)
    # A rule without a stage method is one the reader or the loader reports.
    assert judged or set(rule.stages) & {Stage.FILE, Stage.CONFIG}
    assert rule.fix in ("none", "sometimes", "always")
    assert (rule.applicability is None) == (rule.fix == "none")


def test_the_readme_rule_table_is_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (IL\d{3}) \| (\w+) \| .+ \|$", readme, re.M)
    assert rows == [(code, rule.severity) for code, rule in RULES.items()], (
        "README.md's table under 'What it checks' must list every rule in code order with its "
        "severity"
    )
