"""Fixing: what --fix, --unsafe-fixes, --fix-only, --diff and --show-fixes do to real files and
print, their exit codes (ruff's table), the fix settings, fixes that land in a `_base_` file,
fixes that would break a file or add a diagnostic (reverted), fixes that never converge,
standard input, JSON and YAML configs, and the edits of removals (commas and comments)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

import pytest

from initlint.checks.arguments import UnknownInitializer, only_case
from initlint.checks.checkpoints import scheme_repair
from initlint.fix import plan as fix_plan
from initlint.fix.apply import apply_edits
from initlint.fix.resolve import operation_edits, source
from initlint.grammar.types import Initializers
from initlint.values import Span

from .conftest import BAD_CONFIG, GOOD_CONFIG, run_initlint

# One safe fix (a case slip in `type`) and one unsafe one (`stddev` for `std`).
SAFE = GOOD_CONFIG.replace("type='Normal'", "type='normal'")
BOTH = BAD_CONFIG.replace("type='Normal'", "type='normal'")


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes (what a run must not change)."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


# -- the command line -------------------------------------------------------------------------


def test_fix_applies_safe_fixes_only_and_reports_what_is_left(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": BOTH})
    result = run_initlint("--fix", "a.py", cwd=tmp_path)
    assert result.returncode == 1  # the unsafe one is left
    assert (tmp_path / "a.py").read_text() == BAD_CONFIG
    assert result.stdout.splitlines() == [
        "a.py:5:54: IL004 Normal takes no argument `stddev`; did you mean 'std'?",
        "Found 2 diagnostics (1 fixed, 1 remaining: 1 error) in 1 file checked.",
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]
    result = run_initlint("--fix", "--unsafe-fixes", "a.py", cwd=tmp_path)
    assert result.returncode == 0  # everything fixed: exit 0, as ruff
    assert (tmp_path / "a.py").read_text() == GOOD_CONFIG
    assert result.stdout == "Found 1 diagnostic (1 fixed, 0 remaining) in 1 file checked.\n"


def test_without_fix_the_report_marks_what_fix_would_fix(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": BOTH})
    result = run_initlint("a.py", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "a.py:5:28: IL003 [*] unknown initializer type 'normal'; did you mean 'Normal'?",
        "Found 1 diagnostic (1 error) in 1 file checked.",
        "[*] 1 fixable with the `--fix` option.",
    ]
    assert (tmp_path / "a.py").read_text() == BOTH  # nothing written without --fix
    unsafe = run_initlint("--unsafe-fixes", "a.py", cwd=tmp_path).stdout.splitlines()
    assert unsafe[0].startswith("a.py:5:28: IL003 [*] ")
    assert unsafe[-1] == "[*] 1 fixable with the `--fix` option."


def test_diff_prints_the_change_and_writes_nothing(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": BOTH, "clean.py": GOOD_CONFIG})
    before = snapshot(tmp_path)
    result = run_initlint("--diff", "--no-cache", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == (
        "--- a.py\n+++ a.py\n@@ -2,4 +2,4 @@\n     type='RetinaNet',\n"
        "     bbox_head=dict(\n         type='RetinaHead',\n"
        "-        init_cfg=dict(type='normal', layer='Conv2d', stddev=0.01)))\n"
        "+        init_cfg=dict(type='Normal', layer='Conv2d', stddev=0.01)))\n\n"
        "Would fix 1 diagnostic (1 more fix available with `--unsafe-fixes`).\n"
    )
    assert snapshot(tmp_path) == before
    # Nothing to fix: no diff, exit 0 (even with diagnostics left).
    write(tmp_path, {"a.py": BAD_CONFIG})
    result = run_initlint("--diff", "a.py", cwd=tmp_path)
    assert result.returncode == 0
    assert (
        result.stdout == "No diagnostics would be fixed (1 fix available with `--unsafe-fixes`).\n"
    )


@pytest.mark.parametrize(
    ("options", "text", "code"),
    [
        (("--fix",), SAFE, 0),  # all fixed
        (("--fix",), BOTH, 1),  # something left
        (("--fix", "--exit-non-zero-on-fix"), SAFE, 1),  # fixed: non-zero on request
        (("--fix-only",), BOTH, 0),  # what is left is not reported
        (("--fix-only", "--exit-non-zero-on-fix"), BOTH, 1),
        (("--fix-only", "--exit-non-zero-on-fix"), BAD_CONFIG, 0),  # nothing fixed
        (("--diff",), SAFE, 1),
        (("--diff", "--exit-zero"), SAFE, 0),
        (("--fix", "--exit-zero"), BOTH, 0),
    ],
)
def test_exit_codes_follow_ruff(
    options: tuple[str, ...], text: str, code: int, tmp_path: Path
) -> None:
    write(tmp_path, {"a.py": text})
    result = run_initlint(*options, "a.py", cwd=tmp_path)
    assert result.returncode == code, result.stdout + result.stderr


def test_fix_only_and_show_fixes(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": BOTH, "b.py": SAFE})
    result = run_initlint("--fix-only", "--show-fixes", "a.py", "b.py", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == (
        "\nFixed 2 diagnostics:\n- a.py:\n    1 × IL003 "
        "(unknown-initializer)\n- b.py:\n    1 × IL003 "
        "(unknown-initializer)\n\n"
        "Fixed 2 diagnostics (1 more fix available with "
        "`--unsafe-fixes`).\n"
    )


def test_stdin_prints_the_fixed_text_and_reports_on_stderr(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": "# on disk: never read, never written\n"})
    result = run_initlint("--fix", "--stdin-filename", "a.py", "-", cwd=tmp_path, stdin=BOTH)
    assert result.returncode == 1
    assert result.stdout == BAD_CONFIG
    assert result.stderr.startswith("a.py:5:54: IL004 ")
    assert (tmp_path / "a.py").read_text() == "# on disk: never read, never written\n"
    result = run_initlint("--diff", "--stdin-filename", "a.py", "-", cwd=tmp_path, stdin=SAFE)
    assert result.returncode == 1
    assert result.stdout.startswith("--- a.py\n+++ a.py\n")
    # Nothing to fix: the text as it came.
    result = run_initlint("--fix", "-", cwd=tmp_path, stdin=GOOD_CONFIG)
    assert (result.returncode, result.stdout) == (0, GOOD_CONFIG)


def test_json_output_carries_each_fix_and_the_file_it_edits(tmp_path: Path) -> None:
    base = (
        "model = dict(type='RetinaNet', bbox_head=dict(type='RetinaHead', "
        "init_cfg=dict(type='normal', layer='Conv2d', std=0.01)))\n"
    )
    column = base.index("normal") + 1
    write(
        tmp_path,
        {
            "configs/_base_/model.py": base,
            "configs/a.py": "_base_ = './_base_/model.py'\nmodel = dict(bbox_head=dict("
            "num_classes=3))\n",
        },
    )
    [item] = json.loads(
        run_initlint("--output-format", "json", "configs/a.py", cwd=tmp_path).stdout
    )
    assert item["filename"] == "configs/_base_/model.py"
    assert item["fix"] == {
        "applicability": "safe",
        "message": "Replace 'normal' with 'Normal'",
        "edits": [
            {
                "filename": "configs/_base_/model.py",
                "location": {"row": 1, "column": column},
                "end_location": {"row": 1, "column": column + 1},
                "content": "N",
            }
        ],
    }


# -- where fixes land ------------------------------------------------------------------------


BASE = """model = dict(
    type='RetinaNet',
    bbox_head=dict(
        type='RetinaHead',
        # the classification branch: a small std
        init_cfg=dict(type="normal", layer='Conv2d', std=0.01),
    ),
)
"""


def test_a_base_reached_by_several_configs_is_fixed_once(tmp_path: Path) -> None:
    children = {
        f"configs/c{i}.py": f"_base_ = './_base_/model.py'\nmodel = dict(bbox_head="
        f"dict(num_classes={i}))\n"
        for i in range(3)
    }
    write(tmp_path, {"configs/_base_/model.py": BASE, **children})
    result = run_initlint("--fix", "--show-fixes", "configs", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert (tmp_path / "configs/_base_/model.py").read_text() == BASE.replace(
        '"normal"', '"Normal"'
    )  # its double quotes and comment kept
    assert "Fixed 1 diagnostic:\n- configs/_base_/model.py:\n" in result.stdout
    for name, text in children.items():
        assert (tmp_path / name).read_text() == text


def test_a_base_of_a_config_root_is_never_edited(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "vendor/.mim/configs/_base_/model.py": BASE,
            "project/a.py": "_base_ = 'vendor::_base_/model.py'\n",
        },
    )
    before = snapshot(tmp_path)
    root = f"vendor={tmp_path / 'vendor'}"
    result = run_initlint("--config-root", root, "a.py", cwd=tmp_path / "project")
    assert "model.py:6:28: IL003 unknown initializer type 'normal'" in result.stdout
    assert "[*]" not in result.stdout  # not the user's to change: no fix offered
    result = run_initlint("--fix", "--config-root", root, "a.py", cwd=tmp_path / "project")
    assert snapshot(tmp_path) == before
    assert "model.py:6:28: IL003 unknown" in result.stdout and "fixed" not in result.stdout


def test_two_fixes_in_one_dict_and_one_a_fix_reveals(tmp_path: Path) -> None:
    # `constant` is fixed first; then `Constant` checks its arguments and finds `vall`,
    # whose (unsafe) fix is the next pass's.
    text = (
        "model = dict(type='ResNet', init_cfg=dict(type='constant', vall=1, "
        "layer='Conv2d', bias_prob=0.01, _delete_=True))\n"
    )
    write(tmp_path, {"a.py": text})
    result = run_initlint("--fix", "--unsafe-fixes", "--show-fixes", "a.py", cwd=tmp_path)
    assert (
        (tmp_path / "a.py").read_text()
        == "model = dict(type='ResNet', init_cfg=dict(type='Constant', val=1, "
        "layer='Conv2d', bias_prob=0.01))\n"
    )
    assert result.returncode == 0, result.stdout
    assert "3 × " not in result.stdout and "1 × IL003" in result.stdout
    assert "1 × IL004" in result.stdout and "1 × IL202" in result.stdout


def test_a_diagnostic_a_fix_reveals_in_its_value_is_no_reason_to_revert(tmp_path: Path) -> None:
    # `Xaiver` is most likely Xavier, which takes no `std`: the runtime raised on `Xaiver`
    # and now raises on `std` (which nothing can fix), in the value the fix edited.
    text = "model = dict(type='ResNet', init_cfg=dict(type='Xaiver', layer='Conv2d', std=0.01))\n"
    write(tmp_path, {"a.py": text})
    result = run_initlint("--fix", "--unsafe-fixes", "a.py", cwd=tmp_path)
    assert (tmp_path / "a.py").read_text() == text.replace("Xaiver", "Xavier")
    assert result.returncode == 1 and result.stderr == ""
    assert result.stdout.startswith("a.py:1:74: IL004 Xavier takes no argument `std`")


def test_a_fix_that_makes_a_value_fail_where_it_did_not_is_reverted(tmp_path: Path) -> None:
    # 'groupnorm' matches nothing (a warning: nothing is initialised); 'GroupNorm' makes
    # Kaiming reach 1-D weights, which raises: the fix would add IL014 on what it wrote.
    text = "model = dict(type='ResNet', init_cfg=dict(type='Kaiming', layer='groupnorm'))\n"
    write(tmp_path, {"a.py": text})
    result = run_initlint("--fix", "a.py", cwd=tmp_path)
    assert (tmp_path / "a.py").read_text() == text
    assert result.returncode == 1
    assert result.stderr == (
        "initlint: warning: a.py: its fixes would add IL014; the fixes (IL102) were reverted\n"
    )
    assert result.stdout.startswith("a.py:1:65: IL102 `layer` 'groupnorm' matches no class")


@pytest.fixture
def broken_fix(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """IL003's fix replaced by one that leaves an open bracket (a bug a fix could have)."""

    def suggested(
        cls: type, node: object, suggestion: Optional[str], names: list[str]
    ) -> Optional[fix_plan.FixPlan]:
        span = getattr(node, "span", None)
        return (
            fix_plan.FixPlan("break it", "safe", (fix_plan.Replace(span, "("),)) if span else None
        )

    monkeypatch.setattr(UnknownInitializer, "suggested", classmethod(suggested))
    yield


@pytest.mark.usefixtures("broken_fix")
def test_a_fix_that_breaks_the_file_is_reverted_and_reported(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": SAFE, "b.py": SAFE.replace("'normal'", "'Normal'")})
    before = snapshot(tmp_path)
    result = run_initlint("--fix", "--no-cache", "a.py", "b.py", cwd=tmp_path)
    assert snapshot(tmp_path) == before
    assert result.returncode == 2
    assert result.stderr.startswith("initlint: error: a.py: a fix made it unparseable (")
    assert result.stderr.endswith("the fixes (IL003) were reverted (please report it)\n")
    assert "a.py:5:28: IL003 " in result.stdout  # still reported, as it was
    assert "Traceback" not in result.stderr


@pytest.fixture
def endless_fix(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """IL003's fix replaced by one that swaps between two unknown names."""

    def suggested(
        cls: type, node: object, suggestion: Optional[str], names: list[str]
    ) -> Optional[fix_plan.FixPlan]:
        value, span = getattr(node, "value", None), getattr(node, "span", None)
        if not isinstance(value, str) or span is None:
            return None
        other = value[:-1] + value[-1].swapcase()
        return fix_plan.FixPlan("swap", "safe", (fix_plan.ReplaceString(span, value, other),))

    monkeypatch.setattr(UnknownInitializer, "suggested", classmethod(suggested))
    yield


@pytest.mark.usefixtures("endless_fix")
def test_fixes_that_never_converge_are_an_internal_error_and_write_nothing(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": SAFE})
    before = snapshot(tmp_path)
    result = run_initlint("--fix", "--no-cache", "a.py", cwd=tmp_path)
    assert result.returncode == 2
    assert snapshot(tmp_path) == before
    assert "the fixes did not converge after 20 passes (a.py); nothing was written" in result.stderr


def test_a_file_keeps_its_byte_order_mark_line_ends_and_permissions(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(b"\xef\xbb\xbf" + SAFE.replace("\n", "\r\n").encode())
    path.chmod(0o640)
    result = run_initlint("--fix", "a.py", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert path.read_bytes() == b"\xef\xbb\xbf" + GOOD_CONFIG.replace("\n", "\r\n").encode()
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)
    assert [p.name for p in tmp_path.iterdir()] == ["a.py"]  # no temporary file left


# -- settings -----------------------------------------------------------------------------------


def test_settings_fix_unsafe_fixes_unfixable_and_extend_safe_fixes(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": BOTH})
    settings = tmp_path / "initlint.toml"
    settings.write_text('unfixable = ["IL003"]\n')
    result = run_initlint("a.py", cwd=tmp_path)
    assert "[*]" not in result.stdout and "hidden" not in result.stdout
    settings.write_text('extend-safe-fixes = ["IL004"]\nfix = true\n')
    result = run_initlint("a.py", cwd=tmp_path)
    assert result.returncode == 0  # `fix = true`: both now safe, both fixed
    assert (tmp_path / "a.py").read_text() == GOOD_CONFIG
    write(tmp_path, {"a.py": BOTH})
    settings.write_text('extend-unsafe-fixes = ["IL0"]\nunsafe-fixes = true\n')
    [item] = json.loads(run_initlint("--output-format", "json", "a.py", cwd=tmp_path).stdout)
    assert item["fix"]["applicability"] == "unsafe"
    assert run_initlint("--fix", "a.py", cwd=tmp_path).returncode == 0  # unsafe-fixes = true
    assert (tmp_path / "a.py").read_text() == GOOD_CONFIG
    settings.write_text('fixable = ["IL0"]\nunfixable = ["IL003"]\n')
    write(tmp_path, {"a.py": BOTH})
    assert run_initlint("--fix", "a.py", cwd=tmp_path).returncode == 1
    assert (tmp_path / "a.py").read_text() == BOTH
    assert (
        run_initlint(
            "--fix", "--unfixable", "IL004", "--fixable", "IL003", "a.py", cwd=tmp_path
        ).returncode
        == 1
    )
    assert (tmp_path / "a.py").read_text() == BAD_CONFIG
    settings.write_text("fix = 1\n")
    result = run_initlint("a.py", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "initlint: error: initlint.toml: fix: must be true or false, got 1\n"


# -- JSON and YAML configs ------------------------------------------------------------------------


JSON_CONFIG = """{
  "model": {
    "type": "RetinaNet",
    "backbone": {
      "type": "ResNet",
      "init_cfg": {"type": "pretrained", "_delete_": true, "checkpoint": "HTTPS://x/r.pth"}
    },
    "bbox_head": {
      "type": "RetinaHead",
      "init_cfg": {
        "type": "Normal",
        "layer": "Conv2d",
        "stdev": 0.01,
        "_delete_": true
      }
    }
  }
}
"""

YAML_CONFIG = """model:
  type: RetinaNet
  backbone:
    type: ResNet
    init_cfg: {type: pretrained, _delete_: true, checkpoint: 'HTTPS://x/r.pth'}
  bbox_head:
    type: RetinaHead
    init_cfg:
      - type: Normal
        layer: Conv2d
        stdev: 0.01   # a small std
        _delete_: true
      # bias only
      - type: Constant
        val: 0
        layer: "Linear"
"""


@pytest.mark.parametrize(
    ("name", "text", "fixed"),
    [
        (
            "a.json",
            JSON_CONFIG,
            JSON_CONFIG.replace('"pretrained", "_delete_": true, ', '"Pretrained", ')
            .replace("HTTPS", "https")
            .replace('"stdev"', '"std"')
            .replace('0.01,\n        "_delete_": true', "0.01"),
        ),
        (
            "a.yaml",
            YAML_CONFIG,
            YAML_CONFIG.replace("pretrained, _delete_: true, ", "Pretrained, ")
            .replace("HTTPS", "https")
            .replace("stdev:", "std:")
            .replace("        _delete_: true\n", ""),
        ),
    ],
)
def test_json_and_yaml_configs_get_the_same_fixes_as_text_edits(
    name: str, text: str, fixed: str, tmp_path: Path
) -> None:
    write(tmp_path, {name: text})
    result = run_initlint("--fix", "--unsafe-fixes", name, cwd=tmp_path)
    assert (tmp_path / name).read_text() == fixed
    assert result.returncode == 0, result.stdout + result.stderr


# -- the edits of one fix -----------------------------------------------------------------------


def removal(text: str, item: str) -> Optional[str]:
    """`text` with the item (a keyword argument, a dict entry, an element) that starts at the
    first `item` removed, or None when it is not removed."""
    start = text.index(item)
    end = start + len(item)

    def at(offset: int) -> tuple[int, int]:
        return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1

    span = Span("x.py", *at(start), *at(end))
    edits = operation_edits(fix_plan.Remove(span), source("x.py", text))
    if edits is None:
        return None
    out = apply_edits(text, "x.py", edits)
    assert out is not None
    ast.parse(out)
    return out


@pytest.mark.parametrize(
    ("text", "item", "expected"),
    [
        ("d = dict(a=1, _delete_=True, b=2)\n", "_delete_=True", "d = dict(a=1, b=2)\n"),
        ("d = dict(_delete_=True, b=2)\n", "_delete_=True", "d = dict(b=2)\n"),
        ("d = dict(a=1, _delete_=True)\n", "_delete_=True", "d = dict(a=1)\n"),
        ("d = dict(_delete_=True)\n", "_delete_=True", "d = dict()\n"),
        # The comment on the removed row goes with it; comment rows stay; the trailing comma too.
        (
            "d = dict(\n    a=1,  # a\n    _delete_=True,  # d\n    # about b\n    b=2,\n)\n",
            "_delete_=True",
            "d = dict(\n    a=1,  # a\n    # about b\n    b=2,\n)\n",
        ),
        (
            "d = dict(\n    a=1,  # a\n    _delete_=True,  # d\n)\n",
            "_delete_=True",
            "d = dict(\n    a=1,  # a\n)\n",
        ),
        ("d = dict(\n    a=1,\n    _delete_=True)\n", "_delete_=True", "d = dict(\n    a=1)\n"),
        (
            "d = dict(a=1,\n         _delete_=True,\n         b=2)\n",
            "_delete_=True",
            "d = dict(a=1,\n         b=2)\n",
        ),
        (
            "d = {\n    '_delete_': True,\n    'a': 1,\n}\n",
            "'_delete_': True",
            "d = {\n    'a': 1,\n}\n",
        ),
        (
            "x = [\n    dict(a=1),  # first\n    # about the second\n    dict(b=2),\n]\n",
            "dict(a=1)",
            "x = [\n    # about the second\n    dict(b=2),\n]\n",
        ),
        (
            "x = [\n    dict(a=1),\n    dict(b=2),  # second\n]\n",
            "dict(b=2)",
            "x = [\n    dict(a=1),\n]\n",
        ),
        (
            "x = [\n    dict(a=1),  # first\n    dict(b=2)  # second\n]\n",
            "dict(b=2)",
            "x = [\n    dict(a=1),  # first\n]\n",
        ),
        ("x = [dict(a=1)]  # both\n", "dict(a=1)", "x = []  # both\n"),
        ("x = (dict(a=1), dict(b=2))\n", "dict(b=2)", "x = (dict(a=1),)\n"),
        ("x = dict(a=1), dict(b=2)\n", "dict(b=2)", None),  # no parentheses: left alone
        ("x = [base] + [dict(a=1), dict(b=2)]\n", "dict(a=1)", "x = [base] + [dict(b=2)]\n"),
        ("x = [conv]\n", "conv", "x = []\n"),
    ],
)
def test_removing_an_item_keeps_commas_and_comments_right(
    text: str, item: str, expected: Optional[str]
) -> None:
    assert removal(text, item) == expected


@pytest.mark.parametrize(
    ("token", "old", "new", "expected"),
    [
        ("'Xaiver'", "Xaiver", "Xavier", "'Xavier'"),
        ('"constant"', "constant", "Constant", '"Constant"'),
        ("r'torchvison://x'", "torchvison://x", "torchvision://x", "r'torchvision://x'"),
        ("'a\\'b'", "a'b", "a'c", "'a\\'c'"),  # an escape elsewhere in it stays
        ("'\\x6eormal'", "normal", "Normal", "'Normal'"),  # an escape where it changes
        ("'Nor' 'mal'", "Normal", "Normal2", None),  # two literals: not one string to edit
        ("b'Normal'", "Normal", "Normal2", None),  # bytes are not the string the rule saw
        ("'Normal'", "Kaiming", "Xavier", None),  # not what the rule saw: no guess
    ],
)
def test_a_string_is_edited_in_place(
    token: str, old: str, new: str, expected: Optional[str]
) -> None:
    text = f"x = {token}\n"
    span = Span("x.py", 1, 5, 1, 5 + len(token))
    edits = operation_edits(fix_plan.ReplaceString(span, old, new), source("x.py", text))
    if expected is None:
        assert edits is None
        return
    assert edits is not None
    assert apply_edits(text, "x.py", edits) == f"x = {expected}\n"


def test_the_cache_keeps_fixes_and_a_fixed_file_is_clean_at_once(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": SAFE})
    env = {"INITLINT_CACHE_DIR": str(tmp_path.parent / f"{tmp_path.name}-cache")}
    first = run_initlint("--output-format", "json", "a.py", cwd=tmp_path, env=env).stdout
    again = run_initlint("--output-format", "json", "a.py", cwd=tmp_path, env=env).stdout
    assert first == again and json.loads(again)[0]["fix"] is not None  # from the cache
    assert run_initlint("--fix", "a.py", cwd=tmp_path, env=env).returncode == 0
    assert run_initlint("a.py", cwd=tmp_path, env=env).stdout.startswith("All checks passed!")
    assert os.listdir(tmp_path) == ["a.py"]


PROBE = """import sys
from initlint.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("libcst" in sys.modules, file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("text", "options", "loaded"),
    [
        (BOTH, (), False),  # a lint, fixes found: token edits, no libcst
        (BOTH, ("--fix", "--unsafe-fixes"), False),
        (GOOD_CONFIG.replace("dict(type='Normal'", "dict(_delete_=True, type='Normal'"), (), True),
    ],
)
def test_libcst_is_loaded_only_for_a_file_that_gets_a_removal(
    text: str, options: tuple[str, ...], loaded: bool, tmp_path: Path
) -> None:
    # A fresh process: what this one imported does not count.
    write(tmp_path, {"a.py": text})
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *options, "--no-cache", "a.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.stderr.splitlines()[-1] == str(loaded), result.stderr


def test_a_file_that_does_not_parse_is_not_fixed(tmp_path: Path) -> None:
    text = "model = dict(  # initlint: ignore[IL101]\n"  # unparseable, and its comment unused
    write(tmp_path, {"a.py": text})
    result = run_initlint("--fix", "a.py", cwd=tmp_path)
    assert (tmp_path / "a.py").read_text() == text
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "IL901" in result.stdout and "fixed" not in result.stdout
    assert "IL402" not in result.stdout  # nothing was checked: the comment is not unused


@pytest.mark.parametrize(
    ("checkpoint", "repaired"),
    [
        ("torchvison://resnet50", "torchvision://resnet50"),
        ("HTTPS://host/r50.pth", "https://host/r50.pth"),
        ("open-mmlab:://resnet50_caffe", "open-mmlab://resnet50_caffe"),  # once IL013 reports it
        ("openmmlb://resnet50_caffe", "openmmlab://resnet50_caffe"),  # two aliases: one loader
        ("htps://host/r50.pth", None),  # https:// or http://: a guess
        ("torchvision://resnet5", None),  # the name is wrong, not the scheme
        ("hf://org/model", None),
    ],
)
def test_a_scheme_is_repaired_only_when_one_is_meant(
    checkpoint: str, repaired: Optional[str]
) -> None:
    found = scheme_repair(checkpoint)
    assert ("".join(found) if found else None) == repaired


@pytest.mark.parametrize(
    ("written", "suggestion", "safe"),
    [
        ("kaiming", "Kaiming", True),
        ("Pretrained ", "Pretrained", True),
        ("mmdet.xavier", "mmdet.Xavier", True),
        ("Xaiver", "Xavier", False),
        ("NormalInit", "Normal", False),
    ],
)
def test_only_a_case_or_space_slip_of_a_type_is_a_safe_fix(
    written: str, suggestion: str, safe: bool
) -> None:
    assert only_case(written, suggestion, Initializers().names) == safe


def edited(text: str, operation: fix_plan.Operation) -> Optional[str]:
    edits = operation_edits(operation, source("x.py", text))
    if edits is None:
        return None
    out = apply_edits(text, "x.py", edits)
    assert out is not None
    ast.parse(out)
    return out


def span_of(text: str, part: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)

    def at(offset: int) -> tuple[int, int]:
        return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1

    return Span("x.py", *at(start), *at(start + len(part)))


@pytest.mark.parametrize(
    ("text", "part", "expected"),
    [
        ("m = dict(classes=('cat'))\n", "'cat'", "m = dict(classes=('cat',))\n"),
        ("m = dict(classes='cat')\n", "'cat'", "m = dict(classes=('cat',))\n"),
        ("m = dict(classes=f('cat'))\n", "'cat'", "m = dict(classes=f(('cat',)))\n"),
        ("m = dict(classes=( 'cat' ))\n", "'cat'", "m = dict(classes=( 'cat', ))\n"),
    ],
)
def test_a_string_is_made_a_one_item_tuple(text: str, part: str, expected: str) -> None:
    assert edited(text, fix_plan.MakeTuple(span_of(text, part))) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "p = dict(type='Pretrained', checkpoint='x')\n",
            "p = dict(type='Pretrained', checkpoint='x', prefix='backbone.')\n",
        ),
        (
            "p = dict(\n    type='Pretrained',  # loads\n    checkpoint='x',\n)\n",
            "p = dict(\n    type='Pretrained',  # loads\n    checkpoint='x',\n"
            "    prefix='backbone.',\n)\n",
        ),
        (
            "p = dict(\n    type='Pretrained',\n    checkpoint='x')\n",
            "p = dict(\n    type='Pretrained',\n    checkpoint='x',\n    prefix='backbone.')\n",
        ),
        (
            'p = {"type": "Pretrained", "checkpoint": "x"}\n',
            'p = {"type": "Pretrained", "checkpoint": "x", "prefix": \'backbone.\'}\n',
        ),
        ("p = dict()\n", "p = dict(prefix='backbone.')\n"),
        ("p = dict(prefix='x')\n", None),  # already there: not a second one
    ],
)
def test_an_entry_is_added_after_the_last_one_laid_out_as_the_others(
    text: str, expected: Optional[str]
) -> None:
    node = text[4:].rstrip("\n")
    assert edited(text, fix_plan.AddEntry(span_of(text, node), "prefix", "'backbone.'")) == expected


def test_an_entry_is_rewritten_only_where_its_value_is_written() -> None:
    text = "ckpt = 'x'\nm = dict(backbone=dict(pretrained='x'), neck=dict(pretrained=ckpt))\n"
    key = span_of(text, "pretrained")
    value = span_of(text, "'x'", 1)
    template = "dict(type='Pretrained', checkpoint={value})"
    assert (
        edited(text, fix_plan.RewriteEntry(key, value, "init_cfg", template))
        == "ckpt = 'x'\nm = dict(backbone=dict(init_cfg=dict(type='Pretrained', checkpoint='x')), "
        "neck=dict(pretrained=ckpt))\n"
    )
    # `pretrained=ckpt`: the value is written above; rewriting it would change `ckpt`.
    key = span_of(text, "pretrained", 1)
    assert (
        edited(text, fix_plan.RewriteEntry(key, span_of(text, "'x'"), "init_cfg", template)) is None
    )


def test_a_row_is_inserted_after_the_statement_indented_as_it() -> None:
    text = "if True:\n    resume_from = 'x'  # old\nprint()\n"
    assert (
        edited(text, fix_plan.InsertRow(span_of(text, "'x'"), "resume = True"))
        == "if True:\n    resume_from = 'x'  # old\n    resume = True\nprint()\n"
    )
