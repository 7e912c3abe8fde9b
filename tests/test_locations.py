"""Where a diagnostic points: where the user must edit. A value written elsewhere than where it
is used (`init_cfg=url` with `url = '...'` above, a base's variable, a YAML alias) is reported
at its use, with its definition as related information; a mistake inside a shared definition
stays at the definition (one place to fix)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from initlint.catalog import Example, document, rules
from initlint.checks.base import Stage
from initlint.diagnostics import Diagnostic
from initlint.runner import lint_paths

from .conftest import run_initlint

WRITTEN_HERE = "its value is written here"


def _lint(tmp_path: Path, text: str, name: str = "cfg.py") -> list[Diagnostic]:
    (tmp_path / name).write_text(text)
    return lint_paths([str(tmp_path / name)]).diagnostics


def _at(d: Diagnostic) -> tuple[str, int, int]:
    assert d.location is not None
    return d.code, d.location.row, d.location.column


def _related(d: Diagnostic) -> list[tuple[str, int]]:
    return [(r.message, r.location.row) for r in d.related if r.location is not None]


def test_init_cfg_given_a_string_variable_points_at_init_cfg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: `cfg.py:1:7: IL001 ...` at the string three lines up; the fix is at the use."""
    monkeypatch.chdir(tmp_path)
    text = (
        "url = 'https://download.openmmlab.com/mmdet/resnet50.pth'\n"
        "model = dict(\n"
        "    type='RetinaNet',\n"
        "    backbone=dict(type='ResNet', depth=50, init_cfg=url))\n"
    )
    [d] = _lint(tmp_path, text)
    assert _at(d) == ("IL001", 4, 44)
    assert d.end_location is not None and d.end_location.column == 52  # `init_cfg`
    assert _related(d) == [(WRITTEN_HERE, 1)]
    result = run_initlint("--output-format", "json", "cfg.py", cwd=tmp_path)
    [item] = json.loads(result.stdout)
    assert item["noqa_row"] == 4 and item["related"][0]["location"] == {"row": 1, "column": 7}
    # An ignore comment at the use silences it.
    (tmp_path / "cfg.py").write_text(
        text.replace("init_cfg=url))", "init_cfg=url))  # initlint: ignore[IL001]")
    )
    assert lint_paths(["cfg.py"]).diagnostics == []


def test_checkpoint_through_a_variable_points_at_checkpoint(tmp_path: Path) -> None:
    text = (
        "ckpt = 'torchvison://resnet50'\n"
        "model = dict(backbone=dict(type='ResNet', init_cfg=dict(\n"
        "    type='Pretrained', checkpoint=ckpt)))\n"
    )
    [d] = _lint(tmp_path, text)
    assert _at(d) == ("IL013", 3, 24) and _related(d) == [(WRITTEN_HERE, 1)]


def test_a_list_item_through_a_variable_points_at_the_list(tmp_path: Path) -> None:
    text = "url = 'x.pth'\nmodel = dict(backbone=dict(type='ResNet', init_cfg=[url]))\n"
    [d] = _lint(tmp_path, text)
    assert _at(d) == ("IL001", 2, 52) and _related(d) == [(WRITTEN_HERE, 1)]


def test_a_mistake_inside_a_shared_definition_stays_there_once(tmp_path: Path) -> None:
    text = (
        "normal = dict(type='Normal', layer='Conv2d', stddev=0.01)\n"
        "model = dict(neck=dict(type='FPN', init_cfg=normal),\n"
        "             bbox_head=dict(type='RetinaHead', init_cfg=normal))\n"
    )
    [d] = _lint(tmp_path, text)
    assert _at(d) == ("IL004", 1, 46) and d.related == ()


def test_a_base_variable_is_reported_at_the_child_that_uses_it(tmp_path: Path) -> None:
    (tmp_path / "base.py").write_text("ckpt = 'torchvison://resnet50'\n")
    text = (
        "_base_ = './base.py'\n"
        "model = dict(backbone=dict(type='ResNet', init_cfg=dict(\n"
        "    type='Pretrained', checkpoint=_base_.ckpt)))\n"
        "neck = dict(init_cfg=dict(type='Pretrained', checkpoint={{_base_.ckpt}}))\n"
    )
    found = _lint(tmp_path, text, "child.py")
    assert [(d.filename, *_at(d)[1:]) for d in found] == [
        (str(tmp_path / "child.py"), 3, 24),
        (str(tmp_path / "child.py"), 4, 46),
    ]
    for d in found:
        assert [(r.message, r.filename) for r in d.related] == [
            (WRITTEN_HERE, str(tmp_path / "base.py"))
        ]


def test_a_yaml_alias_is_reported_at_its_use(tmp_path: Path) -> None:
    text = "pretrained: &url x.pth\nmodel:\n  backbone:\n    type: ResNet\n    init_cfg: *url\n"
    [d] = _lint(tmp_path, text, "cfg.yaml")
    assert _at(d) == ("IL001", 5, 5) and _related(d) == [(WRITTEN_HERE, 1)]


# -- every rule: a constant moved into a variable is reported where it is used -----------------

SITE_STAGES = {Stage.VALUE, Stage.ENTRY, Stage.OVERRIDE, Stage.CLASS}


def hoist(code: str) -> tuple[str, int]:
    """The config with every constant argument of a `dict(...)` call (and every list of
    constants) moved into a variable defined at the top; and how many rows those take."""
    tree = ast.parse(code)
    names: list[ast.stmt] = []

    class Hoist(ast.NodeTransformer):
        def visit_Call(self, node: ast.Call) -> ast.AST:
            self.generic_visit(node)
            if isinstance(node.func, ast.Name) and node.func.id == "dict":
                for keyword in node.keywords:
                    value = keyword.value
                    constant = isinstance(value, ast.Constant) or (
                        isinstance(value, ast.List)
                        and all(isinstance(e, ast.Constant) for e in value.elts)
                    )
                    if keyword.arg and constant:
                        name = f"hoisted_{len(names)}"
                        names.append(ast.Assign([ast.Name(name, ast.Store())], value, lineno=0))
                        keyword.value = ast.Name(name, ast.Load())
            return node

    tree = Hoist().visit(tree)
    tree.body = names + tree.body
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n", len(names)


def _site_codes() -> set[str]:
    return {code for code, rule in rules().items() if set(rule.stages) & SITE_STAGES}


CONFIG_EXAMPLES = [
    pytest.param(code, example, id=f"{code}-{i}")
    for code in sorted(_site_codes())
    for i, example in enumerate(document(code).examples)
    if example.kind == "bad"
    and example.language == "python"
    and "class " not in example.code
    and "init_cfg" in example.code
]


def _lint_example(example: Example, code: str, root: Path) -> list[Diagnostic]:
    for name, text in example.files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    main = root / "configs" / "example.py"
    main.parent.mkdir(parents=True, exist_ok=True)
    main.write_text(code, encoding="utf-8")
    return lint_paths([str(main)], source_roots=[root]).diagnostics


@pytest.mark.parametrize(("code", "example"), CONFIG_EXAMPLES)
def test_every_rule_reports_a_hoisted_value_where_it_is_used(
    code: str, example: Example, tmp_path: Path
) -> None:
    hoisted, rows = hoist(example.code)
    before = _lint_example(example, example.code, tmp_path / "a")
    after = _lint_example(example, hoisted, tmp_path / "b")
    assert sorted(d.code for d in after) == sorted(d.code for d in before), hoisted
    main = str(tmp_path / "b" / "configs" / "example.py")
    for d in after:
        if d.code not in _site_codes() or d.filename != main:
            continue
        assert d.location is not None
        assert d.location.row > rows, f"{d.code} points at a definition:\n{hoisted}"
        for related in d.related:
            if related.message == WRITTEN_HERE:
                assert related.location is not None and related.location.row <= rows
