"""One parse contract: every file initlint reads and cannot read, decode or parse (a config, a
base, a model source, JSON, YAML) is IL901 at the place that is wrong, whether it was named or
reached, and the rest of the run is still reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from initlint.runner import lint_paths

GOOD = "model = dict(init_cfg=dict(type='Normal', layer='Conv2d', stddev=0.01))\n"


def _lint(root: Path, *names: str) -> list[tuple[str, int, str]]:
    result = lint_paths([str(root / n) for n in names] or [str(root)], source_roots=[root], jobs=1)
    return [
        (Path(d.filename or "").name, d.location.row if d.location else 0, d.code)
        for d in result.diagnostics
    ]


@pytest.mark.parametrize(
    ("name", "text", "row"),
    [
        ("config.py", "model = dict(\n    init_cfg=dict(type='Normal'\n", 2),
        ("config.json", '{"model": {"init_cfg": [1, }}', 1),
        ("config.yaml", "model:\n  init_cfg: [a, b\n", 3),
        ("heads.py", "import torch.nn as nn\nclass Head(nn.Module):\n    def __init__(self\n", 3),
    ],
)
def test_a_named_file_that_does_not_parse_is_il901_and_the_run_goes_on(
    tmp_path: Path, name: str, text: str, row: int
) -> None:
    (tmp_path / name).write_text(text)
    (tmp_path / "other.py").write_text(GOOD)
    found = _lint(tmp_path, name, "other.py")
    assert found == sorted(
        [(name, row, "IL901"), ("other.py", 1, "IL004")], key=lambda f: (f[0] != name, f)
    )


def test_a_base_that_is_not_utf8_is_il901_at_the_base(tmp_path: Path) -> None:
    (tmp_path / "_base_").mkdir()
    (tmp_path / "_base_" / "model.py").write_bytes(b"model = dict()\n# caf\xe9\n")
    (tmp_path / "child.py").write_text("_base_ = './_base_/model.py'\n" + GOOD)
    assert sorted(_lint(tmp_path, "child.py")) == [
        ("child.py", 2, "IL004"),
        ("model.py", 2, "IL901"),
    ]


def test_a_model_module_a_config_reaches_is_il901_there(tmp_path: Path) -> None:
    package = tmp_path / "toy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "heads.py").write_text(
        "from mmengine.registry import MODELS\n\n@MODELS.register_module()\n"
        "class ToyHead(BaseModule:\n    pass\n"
    )
    (tmp_path / "config.py").write_text(
        "model = dict(type='ToyHead', init_cfg=dict(type='Normal', layer='Conv2d'))\n"
    )
    result = lint_paths([str(tmp_path / "config.py")], source_roots=[tmp_path], jobs=1)
    [found] = result.diagnostics
    assert (Path(found.filename or "").name, found.code) == ("heads.py", "IL901")
    assert found.related and found.related[0].message.startswith("reached through")
