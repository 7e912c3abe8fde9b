"""A config file linted without the configs that inherit it (pre-commit passes only the staged
files) is checked as they see it: the configs of its project that inherit it are found (a walk
with the run's excludes and a text pre-filter) and what they find at its lines is reported. A
`_base_` file nothing inherits is checked on its own, as the loadable file it is: a dict may
still get keys from a future child, a list item never."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from initlint.inherit import inheritors, project_root
from initlint.runner import lint_paths

from .conftest import (
    RETINANET_BASE,
    RETINANET_BASE_EDITED,
    RETINANET_TREE,
    run_initlint,
    write_tree,
)

EDITED = {**RETINANET_TREE, RETINANET_BASE: RETINANET_BASE_EDITED}
# What the edit breaks, at the base's lines: the backbone's init_cfg without `type` (for the
# r50 configs; those that set their own Pretrained are fine) and the Constant without `val`.
BROKEN = [(RETINANET_BASE, 19, "IL002"), (RETINANET_BASE, 36, "IL005")]


def _rows(result_stdout: str) -> list[tuple[str, int, str]]:
    return [(d["filename"], d["location"]["row"], d["code"]) for d in json.loads(result_stdout)]


def test_a_base_linted_alone_is_checked_through_the_configs_that_inherit_it(tmp_path: Path) -> None:
    """Before: `All checks passed! (1 file checked)`."""
    write_tree(tmp_path, EDITED)
    result = run_initlint("--output-format", "json", RETINANET_BASE, cwd=tmp_path)
    assert result.returncode == 1
    assert _rows(result.stdout) == BROKEN
    missing_type = json.loads(result.stdout)[0]
    assert missing_type["related"] == [
        {
            "message": "reached through configs/retinanet/retinanet_r50_fpn_1x_coco.py",
            "filename": "configs/retinanet/retinanet_r50_fpn_1x_coco.py",
            "location": None,
        }
    ]
    # The inheritors' own mistakes (IL013 in freeanchor_r101) are theirs, not the base's.
    text = run_initlint("-v", RETINANET_BASE, cwd=tmp_path)
    assert "IL013" not in text.stdout
    assert "Found 2 diagnostics (2 errors) in 1 file checked." in text.stdout
    assert f"{RETINANET_BASE}: checked through 5 configs that inherit it" in text.stderr


def test_alone_it_sees_at_its_lines_what_the_whole_tree_run_sees(tmp_path: Path) -> None:
    write_tree(tmp_path, EDITED)
    whole = _rows(run_initlint("--output-format", "json", ".", cwd=tmp_path).stdout)
    assert [row for row in whole if row[0] == RETINANET_BASE] == BROKEN
    assert ("configs/free_anchor/freeanchor_r101_fpn_1x_coco.py", 6, "IL013") in whole
    for staged in (RETINANET_BASE, "configs/retinanet/retinanet_r50_fpn_1x_coco.py"):
        alone = _rows(run_initlint("--output-format", "json", staged, cwd=tmp_path).stdout)
        assert alone == [row for row in whole if row[0] in (RETINANET_BASE, staged)], staged


def test_a_fixed_base_passes(tmp_path: Path) -> None:
    write_tree(tmp_path, RETINANET_TREE)
    result = run_initlint(RETINANET_BASE, cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout == "All checks passed! (1 file checked)\n"


def test_a_base_nothing_inherits_is_checked_as_the_loadable_file_it_is(tmp_path: Path) -> None:
    """A dict may still be completed by a child; an item of a list never is (before: both
    silent)."""
    write_tree(tmp_path, {RETINANET_BASE: RETINANET_BASE_EDITED})
    result = run_initlint("--output-format", "json", RETINANET_BASE, cwd=tmp_path)
    assert _rows(result.stdout) == [(RETINANET_BASE, 36, "IL005")]
    # Inside a list of the config (a Cascade head's stages), a dict is final too.
    (tmp_path / "configs/_base_/models/cascade.py").write_text(
        "model = dict(roi_head=dict(bbox_head=[\n"
        "    dict(type='Shared2FCBBoxHead', init_cfg=dict(layer='Linear', std=0.01)),\n"
        "    dict(type='Shared2FCBBoxHead', init_cfg=dict(checkpoint='a.pth'))]),\n"
        "    backbone=dict(type='ResNet', init_cfg=dict(checkpoint='a.pth')))\n"
    )
    cascade = lint_paths([str(tmp_path / "configs/_base_/models/cascade.py")]).diagnostics
    assert [(d.code, d.location.row if d.location else 0) for d in cascade] == [
        ("IL002", 2),
        ("IL002", 3),
    ]


def test_a_config_that_starts_inheriting_changes_the_answer_through_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {RETINANET_BASE: RETINANET_BASE_EDITED})
    cache = tmp_path / "cache"

    def codes() -> list[str]:
        return [d.code for d in lint_paths([RETINANET_BASE], cache_dir=cache).diagnostics]

    assert codes() == ["IL005"]
    assert codes() == ["IL005"]  # from the cache
    child = tmp_path / "configs/retinanet/retinanet_r50_fpn_1x_coco.py"
    write_tree(
        tmp_path,
        {str(child.relative_to(tmp_path)): "_base_ = '../_base_/models/retinanet_r50_fpn.py'\n"},
    )
    assert codes() == ["IL002", "IL005"]
    child.write_text(
        "_base_ = '../_base_/models/retinanet_r50_fpn.py'\n"
        "model = dict(backbone=dict(init_cfg=dict(type='Pretrained')))\n"
    )
    assert codes() == ["IL005"]  # the child's own edit, seen through the cache
    child.unlink()
    assert codes() == ["IL005"]


def test_excluded_configs_do_not_count(tmp_path: Path) -> None:
    """Under pre-commit's --force-exclude: a config the project excludes is not linted by a
    whole-tree run either, so it does not judge the base."""
    write_tree(
        tmp_path,
        {
            **EDITED,
            "pyproject.toml": '[tool.initlint]\nextend-exclude = ["configs/retinanet", '
            '"configs/free_anchor"]\n',
        },
    )
    result = run_initlint(
        "--output-format", "json", "--force-exclude", RETINANET_BASE, cwd=tmp_path
    )
    assert _rows(result.stdout) == [(RETINANET_BASE, 36, "IL005")]


def test_a_lazy_config_that_imports_the_base_is_found(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            RETINANET_BASE: RETINANET_BASE_EDITED,
            "configs/retinanet/retinanet_lazy.py": "from mmengine.config import read_base\n\nwith read_base():\n"
            "    from .._base_.models.retinanet_r50_fpn import *\n",
        },
    )
    found = inheritors([tmp_path / RETINANET_BASE], {str(tmp_path / RETINANET_BASE)}, [tmp_path])
    assert found == [tmp_path / "configs/retinanet/retinanet_lazy.py"]
    result = run_initlint("--output-format", "json", RETINANET_BASE, cwd=tmp_path)
    assert _rows(result.stdout) == BROKEN


def test_the_prefilter_reads_only_what_may_inherit(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **EDITED,
            "docs/notes.py": "# retinanet_r50_fpn is our model\n",  # no `_base_`: never a user
            "tools/train.py": "class Runner:\n    _base_ = 'retinanet_r50_fpn'\n",  # a source
            ".venv/lib/x.py": "_base_ = '../../configs/_base_/models/retinanet_r50_fpn.py'\n",
        },
    )
    found = inheritors([tmp_path / RETINANET_BASE], {str(tmp_path / RETINANET_BASE)}, [tmp_path])
    assert sorted(p.relative_to(tmp_path).as_posix() for p in found) == sorted(
        name for name in EDITED if name != RETINANET_BASE and "/_base_/" not in name
    )


def test_the_project_is_the_settings_root_else_the_repository_else_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exp = tmp_path / "repo" / "exps" / "_base_" / "models" / "m.py"
    base = tmp_path / "repo" / "configs" / "_base_" / "models" / "m.py"
    for path in (
        exp,
        base,
        tmp_path / "repo" / "configs" / "retinanet" / "r50.py",
        tmp_path / "loose.py",
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    monkeypatch.chdir(tmp_path)
    assert project_root(tmp_path / "loose.py") is None  # never the working directory
    assert project_root(exp) == tmp_path / "repo" / "exps"  # the folder above `_base_`
    assert project_root(base) == tmp_path / "repo" / "configs"  # OpenMMLab's layout
    assert (
        project_root(tmp_path / "repo" / "configs" / "retinanet" / "r50.py")
        == tmp_path / "repo" / "configs"
    )
    (tmp_path / "repo" / ".git").mkdir()
    assert project_root(base) == project_root(exp) == tmp_path / "repo"
    assert project_root(base, lambda path: tmp_path) == tmp_path


def test_a_whole_tree_run_does_not_search_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every config of the project is in the run: the bases were checked through them."""
    write_tree(tmp_path, EDITED)
    monkeypatch.chdir(tmp_path)
    import initlint.runner as runner

    def fail(*args: object, **kwargs: object) -> list[Path]:
        raise AssertionError("searched for inheritors on a whole-tree run")

    monkeypatch.setattr(runner, "inheritors", fail)
    rows = [(d.filename, d.code) for d in lint_paths(["."]).diagnostics]
    assert (RETINANET_BASE, "IL002") in rows
    assert os.getcwd() == str(tmp_path)
