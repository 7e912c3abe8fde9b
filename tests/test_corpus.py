"""The real corpus: every config of mmdet 3.3.0 and mmsegmentation 1.2.2 (PyPI wheels), merged by
initlint and by `mmengine.Config.fromfile`, compared row by row (config, init_cfg key path).

A row is identical, unknown (initlint's value holds an Unknown part), different, extra (a key
path initlint reports that the runtime's config does not have: never allowed, Unknown or not)
or missing (a key path of the runtime's that initlint does not report: allowed only where an
Unknown on the way could hide it, and then counted as unknown).

Marked slow (it loads ~1,600 configs through MMEngine) but part of the suite CI runs.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from initlint.config.loader import ConfigLoader
from initlint.discover import CONFIG_SUFFIXES
from initlint.settings import RuleLayer, resolve_rules

from .corpus import unpacked
from .mmengine_configs import (
    environment_failure,
    hidden_by_unknown,
    initlint_init_cfgs,
    runtime_init_cfgs,
    unknown_reason,
)

pytestmark = pytest.mark.slow


def _configs(package_dir: Path) -> list[Path]:
    """Every config file, `_base_` files too: each loads on its own (and is linted on its own
    when nothing inherits it)."""
    root = package_dir / ".mim" / "configs"
    return sorted(p for p in root.rglob("*") if p.suffix in CONFIG_SUFFIXES)


@pytest.mark.parametrize("package", ["mmdet", "mmseg"])
def test_merged_values_match_config_fromfile(package: str) -> None:
    roots = {"mmdet": unpacked("mmdet"), package: unpacked(package)}
    loader = ConfigLoader(roots)
    rows: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    different: list[str] = []
    extra: list[str] = []
    missing: list[str] = []
    refused_but_silent: list[str] = []
    runtime_seconds = initlint_seconds = 0.0
    configs = _configs(roots[package])
    for path in configs:
        start = time.perf_counter()
        try:
            runtime = runtime_init_cfgs(path)
            error = None
        except Exception as exc:  # the runtime refuses this config
            runtime, error = {}, exc
        middle = time.perf_counter()
        loaded = loader.load(path)  # must never raise
        ours = initlint_init_cfgs(loaded)
        initlint_seconds += time.perf_counter() - middle
        runtime_seconds += middle - start
        if error is not None:
            if environment_failure(error):
                rows["skipped: runtime lacks a package"] += 1
            elif not any(p.code.startswith(("IL2", "IL9")) for p in loaded.problems):
                refused_but_silent.append(f"{path.name}: {error!r}")
            continue
        for key in sorted(set(runtime) | set(ours)):
            if key not in runtime:
                rows["extra"] += 1
                extra.append(f"{path.name} {key}: initlint {ours[key]!r}, not in the runtime's")
                continue
            if key not in ours:
                hidden = hidden_by_unknown(loaded.keys, key)
                rows["unknown" if hidden else "missing"] += 1
                if hidden:
                    unknown[f"hidden by: {hidden}"] += 1
                else:
                    missing.append(
                        f"{path.name} {key}: runtime {runtime[key]!r}, no Unknown "
                        "on the way in initlint's"
                    )
                continue
            reason = unknown_reason(ours[key])
            if ours[key] == runtime[key]:
                rows["identical"] += 1
            elif reason:
                rows["unknown"] += 1
                unknown[reason] += 1
            else:
                rows["different"] += 1
                different.append(
                    f"{path.name} {key}: runtime {runtime[key]!r}, initlint {ours[key]!r}"
                )
    compared = sum(rows[k] for k in ("identical", "unknown", "different", "extra", "missing"))
    shown = {
        k: rows[k]
        for k in (
            "identical",
            "unknown",
            "different",
            "extra",
            "missing",
            "skipped: runtime lacks a package",
        )
    }
    print(
        f"\n{package}: {len(configs)} configs, {compared} rows compared: {shown}; "
        f"unknown by reason: {dict(unknown)}; Config.fromfile {runtime_seconds:.1f}s, "
        f"initlint {initlint_seconds:.1f}s"
    )
    assert not different, "\n".join(different[:20])
    assert not extra, "\n".join(extra[:20])
    assert not missing, "\n".join(missing[:20])
    assert not refused_but_silent, "\n".join(refused_but_silent[:20])
    assert compared > 100
    assert rows["identical"] >= 0.99 * compared


# Every diagnostic initlint prints on the releases with its default rules (the opt-in IL311
# not among them), reviewed: (file, row, code) -> why it is right. A new one fails the test
# until someone reviews it; so does an IL2xx or IL3xx finding on an official config.
REVIEWED = {
    "mmdet": {
        (
            "models/backbones/trident_resnet.py",
            126,
            "IL010",
        ): "true bug: TridentConv has no `conv2`; init_weights raises RuntimeError",
        (
            "models/backbones/trident_resnet.py",
            231,
            "IL110",
        ): "true: make_trident_res_layer returns a torch nn.Sequential of TridentBottlenecks; "
        "TridentResNet.init_weights() never reaches them (run with mmcv-lite: every "
        "TridentConv keeps is_init False, and the conv2 override that raises when "
        "TridentConv.init_weights() runs never runs)",
        (
            "models/backbones/trident_resnet.py",
            122,
            "IL110",
        ): "true: the TridentConv init_cfg given in TridentBottleneck.__init__ is lost in that "
        "nn.Sequential (the IL010 inside it is kept: any direct use raises)",
        (
            "models/reid/linear_reid_head.py",
            97,
            "IL110",
        ): "true: FcModules appended to a torch nn.ModuleList keep is_init False; their "
        "Kaiming default is never applied (run: std 0.010 from the head's Normal, 0.044 "
        "when FcModule.init_weights() runs)",
        (
            "models/dense_heads/guided_anchor_head.py",
            154,
            "IL004",
        ): "true bug: `lbias_prob` for `bias_prob`; BaseInit raises TypeError",
        (
            ".mim/configs/bytetrack/bytetrack_yolox_x_8xb4-amp-80e_crowdhuman-mot17halftrain_test"
            "-mot17test.py",
            2,
            "IL902",
        ): "true bug: the `_base_` file is not in the release; Config.fromfile raises",
        (
            ".mim/configs/sort/faster-rcnn_r50_fpn_8xb2-4e_mot17train_test-mot17train.py",
            1,
            "IL902",
        ): "true bug: the `_base_` file is not in the release",
        (
            ".mim/configs/sort/faster-rcnn_r50_fpn_8xb2-8e_mot20halftrain_test-mot20halfval.py",
            1,
            "IL902",
        ): "true bug: the `_base_` file is not in the release",
        (
            ".mim/configs/sort/faster-rcnn_r50_fpn_8xb2-8e_mot20train_test-mot20train.py",
            1,
            "IL902",
        ): "true bug: the `_base_` file is not in the release",
    },
    "mmseg": {
        (
            ".mim/configs/san/san-vit-b16_voc12aug-640x640.py",
            38,
            "IL301",
        ): "true inconsistency: decode_head num_classes=20 (the 20 VOC object classes of its "
        "test metainfo) but the train split is PascalVOCDataset with 21 classes, background "
        "first; SAN's classifier has a no-object logit at index 20, so training does not "
        "raise but learns tvmonitor (label 20) as no-object and background as aeroplane. "
        "The config is meant for zero-shot testing; san-vit-l14 inherits the same line",
    },
}


@pytest.mark.parametrize("package", ["mmdet", "mmseg"])
def test_lint_release_prints_only_reviewed_diagnostics(package: str) -> None:
    from initlint.runner import lint_paths

    roots = {"mmdet": unpacked("mmdet"), package: unpacked(package)}
    default = resolve_rules([RuleLayer(select=("ALL",))])
    start = time.perf_counter()
    result = lint_paths(
        [str(roots[package])], config_roots=roots, selected=lambda _file, code: code in default
    )
    seconds = time.perf_counter() - start
    found = {}
    for d in (d for d in result.diagnostics if d.code in default):
        assert d.location is not None and d.filename is not None
        relative = Path(d.filename).resolve().relative_to(roots[package].resolve())
        found[(relative.as_posix(), d.location.row, d.code)] = d.message
    print(f"\n{package}: {result.files} files linted in {seconds:.1f}s, {len(found)} diagnostics")
    new = {k: v for k, v in found.items() if k not in REVIEWED[package]}
    gone = set(REVIEWED[package]) - set(found)
    assert not new, "unreviewed diagnostics:\n" + "\n".join(f"{k}: {v}" for k, v in new.items())
    assert not gone, f"reviewed diagnostics no longer reported: {sorted(gone)}"


@pytest.mark.parametrize(("package", "least"), [("mmdet", 600), ("mmseg", 650)])
def test_the_class_checks_see_most_official_configs(package: str, least: int) -> None:
    """IL301 is silent where it cannot see a head or a dataset's classes: on the releases it
    must see both in most configs (mmdet 625 of 823, mmseg 677 of 681), or its silence there
    means nothing."""
    from initlint.checks.context import ConfigContext
    from initlint.engine import Engine
    from initlint.project.index import ProjectIndex

    roots = {"mmdet": unpacked("mmdet"), package: unpacked(package)}
    engine = Engine(ConfigLoader(roots), ProjectIndex(packages=roots))
    seen = 0
    for path in _configs(roots[package]):
        loaded = engine.loader.load(path)
        if loaded.readable:
            context = ConfigContext(loaded, engine.classes)
            seen += bool(context.heads and context.counts)
    assert seen >= least
