"""The 1.x corpus on mmcv 1.7.2: the released configs grammar.md §11.1 says fail, and their
siblings that do not, built by `scripts/confirm_1x_pretrained.py` with their own builders.

The script runs in its own process: it stubs mmcv's compiled ops and packages the test venv
lacks, which must not leak into the suite. Marked slow (it downloads mmdet 2.28.2 and
mmsegmentation 0.30.0 and builds 13 models).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow

RETINANET = "RetinaNet: {}: init_cfg and pretrained cannot be specified at the same time"
MMSEG = "EncoderDecoder: {}: init_cfg and pretrained cannot be setting at the same time"
# `model.pretrained` pushed onto a backbone whose base config already sets init_cfg.
FAILING = {
    "mmdet: retinanet/retinanet_r101_caffe_fpn_mstrain_3x_coco.py": RETINANET.format("ResNet"),
    "mmdet: retinanet/retinanet_r101_fpn_mstrain_640-800_3x_coco.py": RETINANET.format("ResNet"),
    "mmdet: retinanet/retinanet_x101_64x4d_fpn_mstrain_640-800_3x_coco.py": RETINANET.format(
        "ResNeXt"
    ),
    "mmseg: deeplabv3plus/deeplabv3plus_r101-d8_512x512_80k_loveda.py": MMSEG.format("ResNetV1c"),
    "mmseg: deeplabv3plus/deeplabv3plus_r18-d8_512x512_80k_loveda.py": MMSEG.format("ResNetV1c"),
    "mmseg: hrnet/fcn_hr18s_512x512_80k_loveda.py": MMSEG.format("HRNet"),
    "mmseg: hrnet/fcn_hr48_512x512_80k_loveda.py": MMSEG.format("HRNet"),
    "mmseg: pspnet/pspnet_r101-d8_512x512_80k_loveda.py": MMSEG.format("ResNetV1c"),
    "mmseg: pspnet/pspnet_r18-d8_512x512_80k_loveda.py": MMSEG.format("ResNetV1c"),
}
# Same families, built and initialised without an error.
PASSING = [
    "mmdet: retinanet/retinanet_r50_fpn_mstrain_640-800_3x_coco.py",
    "mmseg: deeplabv3plus/deeplabv3plus_r50-d8_512x512_80k_loveda.py",
    "mmseg: hrnet/fcn_hr18_512x512_80k_loveda.py",
    "mmseg: pspnet/pspnet_r50-d8_512x512_80k_loveda.py",
]


def test_the_nine_released_configs_that_assert(tmp_path: Path) -> None:
    args = [
        sys.executable,
        str(ROOT / "scripts" / "confirm_1x_pretrained.py"),
        "--package",
        "mmdet",
        "--package",
        "mmseg",
        "--json",
        str(tmp_path / "rows.json"),
    ]
    for name in [*FAILING, *PASSING]:
        args += ["--config", name.split(": ", 1)[1]]
    result = subprocess.run(args, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = {
        row["config"]: row
        for row in json.loads((tmp_path / "rows.json").read_text(encoding="utf-8"))
    }
    assert sorted(rows) == sorted([*FAILING, *PASSING])
    for name, message in FAILING.items():
        assert (rows[name]["kind"], rows[name]["error"]) == (
            "init_cfg",
            f"AssertionError: {message}",
        ), name
    for name in PASSING:
        assert (rows[name]["kind"], rows[name]["error"]) == ("ok", None), name
