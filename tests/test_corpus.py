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
                    missing.append(f"{path.name} {key}: runtime {runtime[key]!r}, no Unknown "
                                   "on the way in initlint's")
                continue
            reason = unknown_reason(ours[key])
            if ours[key] == runtime[key]:
                rows["identical"] += 1
            elif reason:
                rows["unknown"] += 1
                unknown[reason] += 1
            else:
                rows["different"] += 1
                different.append(f"{path.name} {key}: runtime {runtime[key]!r}, "
                                 f"initlint {ours[key]!r}")
    compared = sum(rows[k] for k in ("identical", "unknown", "different", "extra", "missing"))
    shown = {k: rows[k] for k in ("identical", "unknown", "different", "extra", "missing",
                                  "skipped: runtime lacks a package")}
    print(f"\n{package}: {len(configs)} configs, {compared} rows compared: {shown}; "
          f"unknown by reason: {dict(unknown)}; Config.fromfile {runtime_seconds:.1f}s, "
          f"initlint {initlint_seconds:.1f}s")
    assert not different, "\n".join(different[:20])
    assert not extra, "\n".join(extra[:20])
    assert not missing, "\n".join(missing[:20])
    assert not refused_but_silent, "\n".join(refused_but_silent[:20])
    assert compared > 100
    assert rows["identical"] >= 0.99 * compared


# Every diagnostic initlint prints on the releases, reviewed: (file, row, code) -> why it is
# right. A new one fails the test until someone reviews it.
REVIEWED = {
    "mmdet": {
        ("models/backbones/trident_resnet.py", 126, "IL010"):
            "true bug: TridentConv has no `conv2`; init_weights raises RuntimeError",
        ("models/dense_heads/guided_anchor_head.py", 154, "IL004"):
            "true bug: `lbias_prob` for `bias_prob`; BaseInit raises TypeError",
        (".mim/configs/bytetrack/bytetrack_yolox_x_8xb4-amp-80e_crowdhuman-mot17halftrain_test"
         "-mot17test.py", 2, "IL902"):
            "true bug: the `_base_` file is not in the release; Config.fromfile raises",
        (".mim/configs/sort/faster-rcnn_r50_fpn_8xb2-4e_mot17train_test-mot17train.py", 1,
         "IL902"): "true bug: the `_base_` file is not in the release",
        (".mim/configs/sort/faster-rcnn_r50_fpn_8xb2-8e_mot20halftrain_test-mot20halfval.py", 1,
         "IL902"): "true bug: the `_base_` file is not in the release",
        (".mim/configs/sort/faster-rcnn_r50_fpn_8xb2-8e_mot20train_test-mot20train.py", 1,
         "IL902"): "true bug: the `_base_` file is not in the release",
    },
    "mmseg": {},
}


@pytest.mark.parametrize("package", ["mmdet", "mmseg"])
def test_lint_release_prints_only_reviewed_diagnostics(package: str) -> None:
    from initlint.runner import lint_paths

    roots = {"mmdet": unpacked("mmdet"), package: unpacked(package)}
    start = time.perf_counter()
    result = lint_paths([str(roots[package])], config_roots=roots)
    seconds = time.perf_counter() - start
    found = {}
    for d in result.diagnostics:
        assert d.location is not None and d.filename is not None
        relative = Path(d.filename).resolve().relative_to(roots[package].resolve())
        found[(relative.as_posix(), d.location.row, d.code)] = d.message
    print(f"\n{package}: {result.files} files linted in {seconds:.1f}s, "
          f"{len(found)} diagnostics")
    new = {k: v for k, v in found.items() if k not in REVIEWED[package]}
    gone = set(REVIEWED[package]) - set(found)
    assert not new, "unreviewed diagnostics:\n" + "\n".join(f"{k}: {v}" for k, v in new.items())
    assert not gone, f"reviewed diagnostics no longer reported: {sorted(gone)}"
