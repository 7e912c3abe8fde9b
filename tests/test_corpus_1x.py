"""The 1.x corpus on mmcv 1.7.2: the released configs grammar.md §11.1 says fail, and their
siblings that do not, built by `scripts/confirm_1x_pretrained.py` with their own builders; then
initlint on the four 1.x releases (mmdet 2.28.2, mmcls 0.25.0, mmseg 0.30.0, mmrotate 0.3.4):
their merged configs against mmcv 1.7.2's `Config.fromfile`, every diagnostic reviewed (the
nine push-down failures among them), and the target detected on both generations.

The script runs in its own process: it stubs mmcv's compiled ops and packages the test venv
lacks, which must not leak into the suite. Marked slow (it downloads the releases and builds
13 models).
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from collections import Counter
from pathlib import Path
from typing import Any, Optional

import pytest

from initlint.config.loader import ConfigLoader
from initlint.discover import CONFIG_SUFFIXES
from initlint.runner import lint_paths
from initlint.settings import RuleLayer, resolve_rules
from initlint.target import TargetChooser

from .conftest import ROOT
from .corpus import unpacked, unpacked_1x
from .mmengine_configs import hidden_by_unknown, initlint_init_cfgs, unknown_reason

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


# -- initlint on the 1.x releases --------------------------------------------------------------

PACKAGES_1X = ["mmdet", "mmcls", "mmseg", "mmrotate"]


def _roots(package: str) -> dict[str, Path]:
    # mmrotate 0.x registers into mmdet 2.x's registries and inherits its configs
    return {"mmdet": unpacked_1x("mmdet"), package: unpacked_1x(package)}


def _mmcv1_init_cfgs(path: Path) -> dict[str, Any]:
    """{key path: value} of every init_cfg in the config mmcv 1.7.2's Config builds."""
    from .runtime_oracle_mmcv1 import mmcv

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cfg = mmcv.Config.fromfile(str(path), import_custom_modules=False)
    found: dict[str, Any] = {}

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                sub = f"{where}.{key}" if where else str(key)
                if key == "init_cfg":
                    found[sub] = _plain(value)
                walk(value, sub)
        elif isinstance(node, (list, tuple)):
            for i, value in enumerate(node):
                walk(value, f"{where}[{i}]")

    walk(cfg._cfg_dict.to_dict(), "")
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value


@pytest.mark.parametrize("package", PACKAGES_1X)
def test_merged_values_match_mmcv1_config_fromfile(package: str) -> None:
    """grammar.md §11.1: the merge of the 1.x configs is mmcv 1.7.2's (rows as in
    tests/test_corpus.py; a config mmcv 1.7.2 refuses must have an IL2xx/IL9xx finding)."""
    roots = _roots(package)
    loader = ConfigLoader(roots)
    rows: Counter[str] = Counter()
    problems: list[str] = []
    configs = sorted(
        p for p in (roots[package] / ".mim" / "configs").rglob("*") if p.suffix in CONFIG_SUFFIXES
    )
    for path in configs:
        try:
            runtime = _mmcv1_init_cfgs(path)
            error: Optional[BaseException] = None
        except Exception as exc:  # mmcv 1.7.2 refuses this config
            runtime, error = {}, exc
        loaded = loader.load(path)
        ours = initlint_init_cfgs(loaded)
        if error is not None:
            if not any(p.code.startswith(("IL2", "IL9")) for p in loaded.problems):
                problems.append(f"{path.name}: refused ({error!r}), initlint silent")
            rows["refused"] += 1
            continue
        for key in sorted(set(runtime) | set(ours)):
            if key not in runtime:
                problems.append(f"{path.name} {key}: initlint {ours[key]!r}, not in mmcv's")
            elif key not in ours:
                hidden = hidden_by_unknown(loaded.keys, key)
                rows["unknown" if hidden else "missing"] += 1
                if not hidden:
                    problems.append(f"{path.name} {key}: mmcv {runtime[key]!r}, missed")
            elif ours[key] == runtime[key]:
                rows["identical"] += 1
            elif unknown_reason(ours[key]):
                rows["unknown"] += 1
            else:
                problems.append(f"{path.name} {key}: mmcv {runtime[key]!r}, initlint {ours[key]!r}")
    print(f"\n{package}: {len(configs)} configs, rows {dict(rows)}")
    assert not problems, "\n".join(problems[:20])
    assert rows["identical"] > 50


# Every diagnostic initlint prints on the 1.x releases (their own roots, `target = "auto"`),
# reviewed: (file, row, code) -> why it is right.
REVIEWED_1X: dict[str, dict[tuple[str, int, str], str]] = {
    "mmdet": {
        **{
            (
                f".mim/configs/{name.split(': ', 1)[1]}",
                row,
                "IL012",
            ): "the push-down failure of grammar.md §11.1 (AssertionError on mmcv 1.7.2)"
            for name, row in (
                ("mmdet: retinanet/retinanet_r101_caffe_fpn_mstrain_3x_coco.py", 4),
                ("mmdet: retinanet/retinanet_r101_fpn_mstrain_640-800_3x_coco.py", 5),
                ("mmdet: retinanet/retinanet_x101_64x4d_fpn_mstrain_640-800_3x_coco.py", 6),
            )
        },
        (
            "models/backbones/trident_resnet.py",
            126,
            "IL010",
        ): "as in mmdet 3.3.0: TridentConv has no `conv2`, its own init_weights raises "
        "RuntimeError (TridentResNet keeps it in an nn.Sequential, never visited)",
        (
            "models/backbones/trident_resnet.py",
            231,
            "IL110",
        ): "as in mmdet 3.3.0: make_trident_res_layer returns a torch nn.Sequential of "
        "TridentBottlenecks, which TridentResNet.init_weights() never reaches",
        (
            "models/backbones/trident_resnet.py",
            122,
            "IL110",
        ): "as in mmdet 3.3.0: the TridentConv init_cfg is lost in that nn.Sequential",
        (
            ".mim/configs/objects365/retinanet_r50_fpn_syncbn_1350k_obj365v1.py",
            7,
            "IL302",
        ): "true: the config inherits Faster R-CNN and gives it a RetinaNet bbox_head with 365 "
        "classes beside the roi_head's 80 (it does not build on mmcv 1.7.2 either: "
        "docs/runtime-facts.md)",
    },
    "mmseg": {
        (
            f".mim/configs/{name}",
            row,
            "IL012",
        ): "the push-down failure of grammar.md §11.1 (AssertionError on mmcv 1.7.2)"
        for name, row in (
            ("deeplabv3plus/deeplabv3plus_r101-d8_512x512_80k_loveda.py", 5),
            ("deeplabv3plus/deeplabv3plus_r18-d8_512x512_80k_loveda.py", 5),
            ("hrnet/fcn_hr18s_512x512_80k_loveda.py", 4),
            ("hrnet/fcn_hr48_512x512_80k_loveda.py", 4),
            ("pspnet/pspnet_r101-d8_512x512_80k_loveda.py", 5),
            ("pspnet/pspnet_r18-d8_512x512_80k_loveda.py", 5),
        )
    },
    "mmcls": {
        (
            ".mim/configs/_base_/datasets/imagenet_bs64_autoaug.py",
            11,
            "IL902",
        ): "true bug: its own `_base_` (pipelines/auto_aug.py) has no "
        "`auto_increasing_policies`; mmcv 1.7.2 raises KeyError",
        **{
            (
                f".mim/configs/_base_/models/van/van_{size}.py",
                1,
                "IL902",
            ): "true bug: the `_base_` file (van-bN.py) is not in the release"
            for size in ("base", "large", "small", "tiny")
        },
        (
            ".mim/configs/mobilenet_v3/mobilenet-v3-small_8xb16_cifar10.py",
            2,
            "IL902",
        ): "true bug: the `_base_` file is not in the release (docs/runtime-facts.md)",
    },
    "mmrotate": {
        (
            "models/necks/re_fpn.py",
            191,
            "IL109",
        ): "true: ReFPN.__init__ calls super().__init__() without its init_cfg, so its Xavier "
        "default is never applied",
    },
}


@pytest.mark.parametrize("package", PACKAGES_1X)
def test_lint_1x_release_prints_only_reviewed_diagnostics(package: str) -> None:
    roots = _roots(package)
    default = resolve_rules([RuleLayer(select=("ALL",))])  # the opt-in IL311 not among them
    result = lint_paths(
        [str(roots[package])], config_roots=roots, selected=lambda _file, code: code in default
    )
    found = {}
    for d in (d for d in result.diagnostics if d.code in default):
        assert d.location is not None and d.filename is not None
        relative = Path(d.filename).resolve().relative_to(roots[package].resolve())
        found[(relative.as_posix(), d.location.row, d.code)] = d.message
    print(
        f"\n{package} 1.x: {result.files} files, {len(found)} diagnostics: "
        f"{dict(Counter(code for _, _, code in found))}"
    )
    new = {k: v for k, v in found.items() if k not in REVIEWED_1X[package]}
    gone = set(REVIEWED_1X[package]) - set(found)
    assert not new, "unreviewed diagnostics:\n" + "\n".join(f"{k}: {v}" for k, v in new.items())
    assert not gone, f"reviewed diagnostics no longer reported: {sorted(gone)}"


def test_the_nine_push_down_failures_are_found() -> None:
    """Each config of §11.1 that fails on mmcv 1.7.2 gets its IL012, and none of the siblings
    that build."""
    flagged = {
        (package, key[0])
        for package in ("mmdet", "mmseg")
        for key in REVIEWED_1X[package]
        if key[2] == "IL012"
    }
    assert flagged == {
        (name.split(": ")[0], ".mim/configs/" + name.split(": ")[1]) for name in FAILING
    }
    assert not flagged & {
        (name.split(": ")[0], ".mim/configs/" + name.split(": ")[1]) for name in PASSING
    }


@pytest.mark.parametrize(
    ("package", "generation", "expected"),
    [
        *[(p, "1.x", "mmcv1") for p in PACKAGES_1X],
        ("mmdet", "2.x", "mmengine"),
        ("mmseg", "2.x", "mmengine"),
    ],
)
def test_the_target_is_detected_on_both_generations(
    package: str, generation: str, expected: str
) -> None:
    folder = unpacked_1x(package) if generation == "1.x" else unpacked(package)
    chooser = TargetChooser()
    source = next(
        p
        for p in sorted((folder / "models").rglob("*.py"))
        if "init_cfg" in p.read_text(encoding="utf-8")
    )
    config = next(
        p for p in sorted((folder / ".mim" / "configs").rglob("*.py")) if "_base_" not in p.parts
    )
    decisions = [chooser.decision(source), chooser.decision(config)]
    assert [d.target for d in decisions] == [expected, expected], decisions
