"""Configs as `mmengine.Config.fromfile` builds them: initlint's merged init_cfg values equal the
runtime's on fixtures/configs, and a config the runtime refuses is one initlint reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from initlint.config.loader import ConfigLoader
from initlint.runner import lint_paths

from .conftest import ROOT, run_initlint
from .mmengine_configs import disagreements, initlint_init_cfgs, runtime_init_cfgs

FIXTURES = ROOT / "fixtures" / "configs"
CONFIGS = sorted(
    p
    for p in FIXTURES.rglob("*")
    if p.suffix in (".py", ".json", ".yaml") and "_base_" not in p.parts and "errors" not in p.parts
)
REFUSED = sorted((FIXTURES / "errors").rglob("*.py"))
# What initlint must report where the runtime refuses to load the config.
REFUSED_CODES = {
    "child_dict_over_list.py": "IL203",
    "child_dict_over_none.py": "IL203",
    "duplicate_keys.py": "IL204",
    "missing_base.py": "IL902",
    "a.py": "IL903",
    "b.py": "IL903",
}


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_merged_init_cfgs_equal_config_fromfile(path: Path) -> None:
    runtime = runtime_init_cfgs(path)
    assert runtime, "the fixture should hold init_cfg values"
    assert disagreements(ConfigLoader().load(path), runtime) == []


@pytest.mark.parametrize("path", REFUSED, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_config_the_runtime_refuses_is_an_error(path: Path) -> None:
    expected = REFUSED_CODES.get(path.name)
    try:
        runtime_init_cfgs(path)
    except Exception:  # the runtime refuses it: initlint must report an error
        assert expected, f"{path.name}: the runtime refuses it; add it to REFUSED_CODES"
        codes = {d.code for d in lint_paths([str(path)]).diagnostics if d.severity == "error"}
        assert expected in codes, codes
    else:
        assert expected is None, f"{path.name}: the runtime loads it"


def test_partial_child_dict_gets_its_type_from_the_base() -> None:
    """`init_cfg=dict(checkpoint=...)` in a child is not a missing `type` (no IL002)."""
    child = FIXTURES / "faster_rcnn" / "faster-rcnn_r101_fpn_1x_coco.py"
    assert lint_paths([str(child)]).diagnostics == []
    value = initlint_init_cfgs(ConfigLoader().load(child))["model.backbone.init_cfg"]
    assert value == {"type": "Pretrained", "checkpoint": "torchvision://resnet101"}


def test_problem_in_a_shared_base_is_reported_once_at_its_line(tmp_path: Path) -> None:
    base = tmp_path / "configs" / "_base_" / "model.py"
    base.parent.mkdir(parents=True)
    base.write_text(
        "model = dict(\n    type='RetinaNet',\n    bbox_head=dict(\n"
        "        type='RetinaHead',\n"
        "        init_cfg=dict(type='Normal', layer='Conv2d', stddev=0.01)))\n"
    )
    for i in range(3):
        (tmp_path / "configs" / f"child{i}.py").write_text(
            f"_base_ = './_base_/model.py'\nmodel = dict(bbox_head=dict(num_classes={i + 1}))\n"
        )
    result = run_initlint("--output-format", "json", "configs", cwd=tmp_path)
    items = json.loads(result.stdout)
    assert [(i["code"], i["filename"], i["location"]["row"]) for i in items] == [
        ("IL004", "configs/_base_/model.py", 5)
    ]
    [item] = items
    assert item["config_path"] == "model.bbox_head.init_cfg.stddev"
    assert item["related"][0]["filename"] == "configs/child0.py"


def test_child_value_wins_and_diagnostic_points_at_the_child(tmp_path: Path) -> None:
    (tmp_path / "base.py").write_text(
        "model = dict(backbone=dict(type='ResNet', init_cfg=dict(type='Pretrained', "
        "checkpoint='torchvision://resnet50')))\n"
    )
    (tmp_path / "child.py").write_text(
        "_base_ = './base.py'\n"
        "model = dict(backbone=dict(init_cfg=dict(checkpoint='torchvison://resnet101')))\n"
    )
    result = run_initlint("child.py", cwd=tmp_path)
    assert result.stdout.splitlines()[0].startswith("child.py:2:53: IL013")


def test_merge_leftover_is_reported_where_the_base_wrote_it(tmp_path: Path) -> None:
    """A base Pretrained plus a child Kaiming merge into Kaiming with a `checkpoint`."""
    (tmp_path / "base.py").write_text(
        "model = dict(backbone=dict(type='ResNet', init_cfg=dict(type='Pretrained', "
        "checkpoint='torchvision://resnet50')))\n"
    )
    (tmp_path / "child.py").write_text(
        "_base_ = './base.py'\n"
        "model = dict(backbone=dict(init_cfg=dict(type='Kaiming', layer='Conv2d')))\n"
    )
    result = run_initlint("--output-format", "json", "child.py", cwd=tmp_path)
    [item] = json.loads(result.stdout)
    assert (item["code"], item["filename"]) == ("IL004", "base.py")
    assert "checkpoint" in item["message"]


def test_unparsable_base_is_il901_there_and_the_child_is_still_linted(tmp_path: Path) -> None:
    (tmp_path / "base.py").write_text("model = dict(\n")
    (tmp_path / "child.py").write_text(
        "_base_ = './base.py'\n"
        "model = dict(backbone=dict(type='ResNet', init_cfg=dict(type='Xaiver', "
        "layer='Conv2d')))\n"
    )
    result = run_initlint("child.py", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("base.py:1:13: IL901")
    assert lines[1].startswith("child.py:2:") and "IL003" in lines[1]


def test_missing_partial_type_in_merged_value_is_il002(tmp_path: Path) -> None:
    (tmp_path / "base.py").write_text("model = dict(backbone=dict(type='ResNet'))\n")
    (tmp_path / "child.py").write_text(
        "_base_ = './base.py'\nmodel = dict(backbone=dict(init_cfg=dict(checkpoint='a.pth')))\n"
    )
    codes = [d.code for d in lint_paths([str(tmp_path / "child.py")]).diagnostics]
    assert codes == ["IL002"]


def test_unresolvable_package_base_is_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "child.py").write_text(
        "_base_ = 'mmnotinstalled::retinanet/retinanet_r50_fpn_1x_coco.py'\n"
        "model = dict(backbone=dict(init_cfg=dict(checkpoint='a.pth')))\n"
    )
    result = lint_paths([str(tmp_path / "child.py")])
    assert result.diagnostics == []
    assert any("mmnotinstalled" in note for note in result.notes)


def test_package_base_resolved_through_a_config_root(tmp_path: Path) -> None:
    package = tmp_path / "mmfake"
    base = package / ".mim" / "configs" / "_base_" / "model.py"
    base.parent.mkdir(parents=True)
    base.write_text(
        "model = dict(type='RetinaNet', backbone=dict(type='ResNet', "
        "init_cfg=dict(type='Pretrained', checkpoint='x.pth')))\n"
    )
    child = tmp_path / "child.py"
    child.write_text(
        "_base_ = 'mmfake::_base_/model.py'\n"
        "model = dict(backbone=dict(init_cfg=dict(prefix='backbone.')))\n"
    )
    loaded = ConfigLoader({"mmfake": package}).load(child)
    assert initlint_init_cfgs(loaded)["model.backbone.init_cfg"] == {
        "type": "Pretrained",
        "checkpoint": "x.pth",
        "prefix": "backbone.",
    }
    # A base from another package gets `_scope_` on its outermost typed dicts, as the runtime.
    model = loaded.keys.get("model")
    assert model is not None and "_scope_" in model.entries  # type: ignore[attr-defined]


def test_yaml_that_is_not_a_mapping_is_il901(tmp_path: Path) -> None:
    (tmp_path / "cfg.yaml").write_text("- just\n- a list\n")
    [diagnostic] = lint_paths([str(tmp_path / "cfg.yaml")]).diagnostics
    assert diagnostic.code == "IL901" and "mapping" in diagnostic.message


def test_json_positions_are_exact(tmp_path: Path) -> None:
    (tmp_path / "cfg.json").write_text(
        '{\n  "model": {\n    "backbone": {\n      "type": "ResNet",\n'
        '      "init_cfg": {"type": "Pretrained", "checkpoint": "torchvison://resnet50"}\n'
        "    }\n  }\n}\n"
    )
    [diagnostic] = lint_paths([str(tmp_path / "cfg.json")]).diagnostics
    assert diagnostic.code == "IL013"
    assert diagnostic.location is not None
    assert (diagnostic.location.row, diagnostic.location.column) == (5, 56)


def test_shadowed_variable_is_il206_at_the_child_assignment(tmp_path: Path) -> None:
    (tmp_path / "base.py").write_text(
        "pretrained = 'torchvision://resnet50'\n"
        "model = dict(backbone=dict(type='ResNet', init_cfg=dict(type='Pretrained', "
        "checkpoint=pretrained)))\n"
    )
    (tmp_path / "child.py").write_text("_base_ = './base.py'\npretrained = 'b.pth'\n")
    [diagnostic] = lint_paths([str(tmp_path / "child.py")]).diagnostics
    assert diagnostic.code == "IL206"
    assert diagnostic.location is not None and diagnostic.location.row == 2


def test_quoted_base_reference_is_il205(tmp_path: Path) -> None:
    (tmp_path / "base.py").write_text("ckpt = 'torchvision://resnet50'\n")
    (tmp_path / "child.py").write_text(
        "_base_ = './base.py'\n"
        "model = dict(backbone=dict(type='ResNet', init_cfg=dict(type='Pretrained', "
        "checkpoint='{{_base_.ckpt}}')))\n"
    )
    codes = [d.code for d in lint_paths([str(tmp_path / "child.py")]).diagnostics]
    assert codes == ["IL205"]


def test_inspect_shows_values_and_provenance() -> None:
    child = "fixtures/configs/faster_rcnn/faster-rcnn_r101_fpn_1x_coco.py"
    result = run_initlint("inspect", "--output-format", "json", child)
    assert result.returncode == 0, result.stderr
    [report] = json.loads(result.stdout)
    site = next(s for s in report["init_cfgs"] if s["config_path"] == "model.backbone.init_cfg")
    assert site["value"] == {"type": "Pretrained", "checkpoint": "torchvision://resnet101"}
    assert site["provenance"]["type"].startswith(
        "fixtures/configs/_base_/models/faster_rcnn_r50_fpn.py:2:"
    )
    assert site["provenance"]["checkpoint"].startswith(
        "fixtures/configs/faster_rcnn/faster-rcnn_r101_fpn_1x_coco.py:4:"
    )
    text = run_initlint("inspect", child).stdout
    assert "model.backbone.init_cfg  (type=ResNet)" in text


def test_inspect_marks_unknown_parts(tmp_path: Path) -> None:
    (tmp_path / "cfg.py").write_text(
        "import os\nmodel = dict(backbone=dict(type='ResNet', init_cfg=dict(type='Pretrained',"
        " checkpoint=os.environ.get('CKPT'))))\n"
    )
    result = run_initlint("inspect", "--output-format", "json", "cfg.py", cwd=tmp_path)
    [report] = json.loads(result.stdout)
    value = report["init_cfgs"][0]["value"]
    assert value["checkpoint"] == {"__unknown__": "call to os.environ.get()"}


def test_the_corpus_comparison_tells_a_missing_key_path_from_one_hidden_by_an_unknown(
    tmp_path: Path,
) -> None:
    from .mmengine_configs import hidden_by_unknown

    (tmp_path / "cfg.py").write_text(
        "import os\nextra = os.environ.get('X')\n"
        "model = dict(backbone=dict(type='ResNet', **extra), heads=[dict(type='A')],\n"
        "             neck=os.environ.get('NECK'))\n"
    )
    keys = ConfigLoader().load(tmp_path / "cfg.py").keys
    assert hidden_by_unknown(keys, "model.backbone.init_cfg") == "keys from an unknown mapping"
    assert hidden_by_unknown(keys, "model.neck.init_cfg") == "call to os.environ.get()"
    assert hidden_by_unknown(keys, "model.heads[0].init_cfg") is None
    assert hidden_by_unknown(keys, "model.heads[3].init_cfg") is None
    assert hidden_by_unknown(keys, "model.init_cfg") is None
