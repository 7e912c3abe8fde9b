"""Say what could not be seen: configs whose `_base_` files could not be followed (a package
neither installed nor given, an entry that is not a plain string, a lazy import nowhere to be
found) are counted under the summary with how to fix it, carried as notes by `json-report` and
SARIF, said on stderr beside the other formats; `inspect` takes the same roots as `check` and
shows them; IL902 says what a missing `_base_` path likely gets wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from initlint.runner import lint_paths

from .conftest import ROOT, run_initlint, write_tree
from .test_report_formats import official_sarif_schema

# 50 configs of a project built on mmdet (`mmdet::` bases), mmdet not installed; one config of
# its own with a mistake.
MMDET_USERS = {
    **{
        f"configs/det/retinanet_r50_{i:02d}.py": "_base_ = 'mmdet::retinanet/retinanet_r50_fpn_1x_coco.py'\n"
        f"model = dict(bbox_head=dict(num_classes={i + 1}))\n"
        for i in range(50)
    },
    "configs/own.py": "model = dict(backbone=dict(type='ResNet', init_cfg=dict(\n"
    "    type='Pretrained', checkpoint='torchvison://resnet50')))\n",
}
NOTE = (
    "50 configs could not be fully resolved (their init_cfg checks are incomplete): they "
    "inherit from package 'mmdet', which is neither installed nor given; install mmdet, or "
    "pass --config-root mmdet=FOLDER (-v names them)"
)


def _schema_validator(definition: str) -> jsonschema.protocols.Validator:
    schema = json.loads((ROOT / "schemas" / "output.schema.json").read_text(encoding="utf-8"))
    registry: Registry[Any] = Registry().with_resource(
        schema["$id"], DRAFT202012.create_resource(schema)
    )
    return jsonschema.Draft202012Validator(
        {"$ref": f"{schema['$id']}#/$defs/{definition}"}, registry=registry
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_tree(tmp_path, MMDET_USERS)


def test_the_summary_counts_the_configs_it_could_not_resolve(project: Path) -> None:
    """Before: `Found 1 diagnostic (1 error) in 51 files checked.` and nothing else."""
    result = run_initlint("configs", cwd=project)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-3:] == [
        "Found 1 diagnostic (1 error) in 51 files checked.",
        "[*] 1 fixable with the `--fix` option.",
        f"Note: {NOTE}",
    ]
    assert result.stderr == ""
    verbose = run_initlint("-v", "configs", cwd=project).stderr
    assert verbose.count("cannot resolve `mmdet::retinanet/retinanet_r50_fpn_1x_coco.py`") == 50
    full = run_initlint("--output-format", "full", "configs", cwd=project)
    assert full.stdout.endswith(f"Note: {NOTE}\n")
    quiet = run_initlint("-q", "configs", cwd=project)
    assert "Note" not in quiet.stdout + quiet.stderr and "IL013" in quiet.stdout


def test_a_clean_run_still_says_what_it_could_not_see(project: Path) -> None:
    (project / "configs" / "own.py").unlink()
    result = run_initlint("configs", cwd=project)
    assert result.returncode == 0  # nothing known is wrong
    assert result.stdout == f"All checks passed! (50 files checked)\nNote: {NOTE}\n"


def test_json_stays_an_array_and_json_report_holds_the_note(project: Path) -> None:
    result = run_initlint("--output-format", "json", "configs", cwd=project)
    assert [d["code"] for d in json.loads(result.stdout)] == ["IL013"]
    assert result.stderr == f"initlint: note: {NOTE}\n"
    report = json.loads(
        run_initlint("--output-format", "json-report", "configs", cwd=project).stdout
    )
    _schema_validator("report").validate(report)
    [note] = report["notes"]
    assert note["kind"] == "unresolved-bases" and note["message"] == NOTE
    assert note["count"] == 50 and note["package"] == "mmdet"
    assert note["hint"] == "install mmdet, or pass --config-root mmdet=FOLDER"
    assert note["configs"][0] == "configs/det/retinanet_r50_00.py"
    assert note["where"][0] == "configs/det/retinanet_r50_00.py:1:10"


def test_sarif_carries_it_as_a_tool_notification(project: Path) -> None:
    log = json.loads(run_initlint("--output-format", "sarif", "configs", cwd=project).stdout)
    [invocation] = log["runs"][0]["invocations"]
    [notification] = invocation["toolExecutionNotifications"]
    assert notification["message"]["text"] == NOTE
    assert notification["descriptor"]["id"] == "unresolved-bases"
    assert len(notification["locations"]) == 50
    schema = official_sarif_schema()
    if schema is not None:
        jsonschema.Draft7Validator(schema).validate(log)


def test_a_config_root_resolves_them(project: Path) -> None:
    package = project / "vendor" / "mmdet"
    write_tree(
        package / ".mim" / "configs",
        {
            "retinanet/retinanet_r50_fpn_1x_coco.py": "model = dict(type='RetinaNet', bbox_head=dict(type='RetinaHead', "
            "init_cfg=dict(type='Normal', layer='Conv2d', stddev=0.01)))\n"
        },
    )
    result = run_initlint("--config-root", "mmdet=vendor/mmdet", "configs", cwd=project)
    assert "Note" not in result.stdout
    assert "IL004" in result.stdout  # what the base holds is now checked


def test_other_unfollowable_bases_are_counted_too(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "configs/a.py": "parts = ['./b.py']\n_base_ = parts + [x for x in parts]\n",
            "configs/b.py": "model = dict(type='RetinaNet')\n",
            "configs/lazy.py": "from mmengine.config import read_base\n\nwith read_base():\n"
            "    from mmnothere.configs.retinanet import *\n",
        },
    )
    result = lint_paths([str(tmp_path / "configs")])
    assert sorted(result.unresolved) == [
        str(tmp_path / "configs/a.py"),
        str(tmp_path / "configs/lazy.py"),
    ]
    [lazy] = result.unresolved[str(tmp_path / "configs/lazy.py")]
    assert lazy.package == "mmnothere" and lazy.row == 4
    text = run_initlint("configs", cwd=tmp_path).stdout
    assert (
        "1 config could not be fully resolved (its init_cfg checks are incomplete): a "
        "`_base_` entry or import initlint cannot follow" in text
    )
    assert (
        "it inherits from package 'mmnothere', which is neither installed nor given; "
        "install mmnothere, or pass --config-root mmnothere=FOLDER" in text
    )


def test_inspect_takes_the_roots_and_shows_what_it_could_not_follow(project: Path) -> None:
    config = "configs/det/retinanet_r50_00.py"
    text = run_initlint("inspect", config, cwd=project).stdout
    assert (
        f"{config}:1:10: `_base_` 'mmdet::retinanet/retinanet_r50_fpn_1x_coco.py' not "
        "followed: package 'mmdet' is neither installed nor given; install mmdet, or pass "
        "--config-root mmdet=FOLDER (what it adds is unknown)"
    ) in text
    [report] = json.loads(
        run_initlint("inspect", "--output-format", "json", config, cwd=project).stdout
    )
    assert report["unresolved"][0]["package"] == "mmdet"
    write_tree(
        project / "vendor" / "mmdet" / ".mim" / "configs",
        {
            "retinanet/retinanet_r50_fpn_1x_coco.py": "model = dict(type='RetinaNet', backbone=dict(type='ResNet', init_cfg=dict("
            "type='Pretrained', checkpoint='torchvision://resnet50')))\n"
        },
    )
    write_tree(
        project / "src" / "toy",
        {
            "__init__.py": "",
            "resnet.py": "from mmdet.registry import MODELS\nfrom mmengine.model import BaseModule"
            "\n\n\n@MODELS.register_module()\nclass ResNet(BaseModule):\n    pass\n",
        },
    )
    [report] = json.loads(
        run_initlint(
            "inspect",
            "--output-format",
            "json",
            "--config-root",
            "mmdet=vendor/mmdet",
            "--source-root",
            "src",
            config,
            cwd=project,
        ).stdout
    )
    assert report["unresolved"] == []
    [site] = report["init_cfgs"]
    assert site["value"] == {"type": "Pretrained", "checkpoint": "torchvision://resnet50"}
    assert site["receiver"] is not None and site["receiver"].startswith("toy.resnet.ResNet (")
    # The settings file's roots, as `check` reads them.
    (project / "pyproject.toml").write_text(
        '[tool.initlint]\nconfig-roots = {mmdet = "vendor/mmdet"}\n'
    )
    [report] = json.loads(
        run_initlint("inspect", "--output-format", "json", config, cwd=project).stdout
    )
    assert report["unresolved"] == []


# -- IL902: what a missing `_base_` path likely gets wrong ---------------------------------------


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        # mmdet 3.3.0 sort/: the `.py` left out
        (
            "./faster-rcnn_r50_fpn_8xb2-4e_mot17halftrain_test-mot17halfval",
            "the path has no suffix; did you mean "
            "'./faster-rcnn_r50_fpn_8xb2-4e_mot17halftrain_test-mot17halfval.py'?",
        ),
        # mmdet 3.3.0 bytetrack/: the config's own folder written again
        (
            "./sort/faster-rcnn_r50_fpn_8xb2-4e_mot17halftrain_test-mot17halfval.py",
            "`sort/` is written twice (a relative path is read from the config's own folder); did "
            "you mean './faster-rcnn_r50_fpn_8xb2-4e_mot17halftrain_test-mot17halfval.py'?",
        ),
        ("", "an empty path names the config's own folder, not a file"),
        # copied from a config one folder up (or down)
        (
            "_base_/models/faster-rcnn_r50_fpn.py",
            "a relative path is read from the config's own "
            "folder; did you mean '../_base_/models/faster-rcnn_r50_fpn.py'?",
        ),
        (
            "../../_base_/models/faster-rcnn_r50_fpn.py",
            "a relative path is read from the config's "
            "own folder; did you mean '../_base_/models/faster-rcnn_r50_fpn.py'?",
        ),
        # mmdet 2.x's name of a file 3.x renamed
        (
            "../_base_/models/faster_rcnn_r50_fpn.py",
            "did you mean '../_base_/models/faster-rcnn_r50_fpn.py'?",
        ),
        ("../_base_/models/no_such_model.py", None),
    ],
)
def test_il902_says_what_is_likely_wrong(tmp_path: Path, written: str, hint: str | None) -> None:
    write_tree(
        tmp_path,
        {
            "configs/_base_/models/faster-rcnn_r50_fpn.py": "model = dict(type='FasterRCNN')\n",
            "configs/sort/faster-rcnn_r50_fpn_8xb2-4e_mot17halftrain_test-mot17halfval.py": "_base_ = ['../_base_/models/faster-rcnn_r50_fpn.py']\n",
            "configs/sort/child.py": f"_base_ = [{written!r}]\n",
        },
    )
    [d] = lint_paths([str(tmp_path / "configs/sort/child.py")]).diagnostics
    assert d.code == "IL902"
    head, _, likely = d.message.partition("; ")
    assert head.startswith("`_base_` file not found: ")
    assert (likely or None) == hint


def test_il902_hint_for_a_package_base(tmp_path: Path) -> None:
    package = tmp_path / "mmfake"
    write_tree(package / ".mim" / "configs", {"retinanet/retinanet_r50.py": "a = 1\n"})
    (tmp_path / "child.py").write_text("_base_ = 'mmfake::retinanet/retinanet_r50'\n")
    [d] = lint_paths([str(tmp_path / "child.py")], config_roots={"mmfake": package}).diagnostics
    assert d.message.endswith("did you mean 'mmfake::retinanet/retinanet_r50.py'?")
