"""The data files initlint ships agree with the torch and mmengine installed for the tests,
and with its own Pydantic grammar."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("script", ["gen_torch_layers.py", "gen_hub_names.py", "gen_grammar.py"])
def test_generated_data_is_up_to_date(script: str) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / script), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_layer_data_matches_what_mmengine_matches() -> None:
    """The runtime matches a class name or a direct base name (grammar.md §6)."""
    import torch.nn as nn

    from initlint.grammar.layers import LayerKnowledge

    layers = LayerKnowledge.torch()
    bn = layers.get("BatchNorm2d")
    assert bn is not None and bn.bases == tuple(b.__name__ for b in nn.BatchNorm2d.__bases__)
    assert bn.weight and bn.weight_dims == 1
    assert layers.contained(["_BatchNorm", "_NormBase", "Conv2d", "conv2d"]) == {
        "BatchNorm2d",
        "Conv2d",
    }
    reach = layers.reach(["_NormBase"], layers.contained(["_NormBase", "BatchNorm2d"]))
    assert reach.matched is False  # a grand-base matches nothing


def _mmcv_unavailable() -> str | None:
    """Why mmcv 1.7.2 and mmcv-lite 2.2.0 cannot be had (None when both are in the cache)."""
    from .corpus import MMCV, mmcv_root

    try:
        for version in MMCV:
            mmcv_root(version)
    except Exception as exc:  # no registry, or the sdist build failed: say which
        return f"mmcv could not be fetched from PyPI into the corpus cache: {exc}"
    return None


@pytest.fixture(scope="module")
def mmcv_available() -> None:
    reason = _mmcv_unavailable()
    if reason is not None:
        pytest.skip(reason)


@pytest.mark.parametrize("mode", ["--check", "--verify-ops"])
def test_mmcv_data_is_up_to_date(mode: str, mmcv_available: None) -> None:
    """`--check`: the data file is what the script generates from mmcv 1.7.2 and 2.2.0;
    `--verify-ops`: what it reads from the source of mmcv.ops (compiled code, not built)
    agrees with instances built over a stub of the compiled ops."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_mmcv_layers.py"), mode],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_mmcv_data_is_read_without_importing_mmcv_or_torch() -> None:
    """The linter's reader; a fresh process, since this one may hold mmcv and torch."""
    code = (
        "import sys\n"
        "from initlint.grammar.mmcv_layers import mmcv_generation\n"
        "one, two = mmcv_generation('mmcv1'), mmcv_generation('mmcv2')\n"
        "assert not {'mmcv', 'torch', 'mmengine'} & set(sys.modules), sys.modules\n"
        "print(one.version, two.version, len(one.classes), len(two.classes))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["1.7.2", "2.2.0"]


def test_mmcv_data_says_what_configs_name() -> None:
    from initlint.grammar.mmcv_layers import mmcv_generation

    for generation, registry in (("mmcv1", "NORM_LAYERS"), ("mmcv2", "MODELS")):
        data = mmcv_generation(generation)  # type: ignore[arg-type]
        (conv_module,) = data.named("ConvModule")
        assert (conv_module.weight, conv_module.bias, conv_module.defines_init_weights) == (
            False,
            False,
            True,
        )
        syncbn = data.classes[data.built_by(registry, "SyncBN") or ""]
        assert syncbn.bases == ("SyncBatchNorm",)  # so `_BatchNorm` does not match it
        dcn = data.classes[data.built_by(registry.replace("NORM", "CONV"), "DCN") or ""]
        assert (dcn.built, dcn.weight, dcn.bias, dcn.weight_dims) == (False, True, False, None)
        assert dcn.weight_dims_at_least == 2
        assert {c.key for c in data.named("Conv2d")} == {"mmcv.cnn.bricks.wrappers.Conv2d"}
        assert data.named("Sequential")[0].bases == ("BaseModule", "Sequential")
    assert sorted(mmcv_generation("mmcv1").initializers) == [
        "Caffe2Xavier",
        "Constant",
        "Kaiming",
        "Normal",
        "Pretrained",
        "TruncNormal",
        "Uniform",
        "Xavier",
    ]
    pretrained = mmcv_generation("mmcv1").initializers["Pretrained"]
    assert [(p["name"], p.get("default")) for p in pretrained.params["PretrainedInit"]] == [
        ("checkpoint", None),
        ("prefix", None),
        ("map_location", None),
    ]
    assert mmcv_generation("mmcv2").initializers == {}  # mmcv 2.x uses mmengine's


MMCV2_EXPERIMENT = """
import json, sys
sys.path.insert(0, {benchmarks!r})
from corpus import import_mmcv
import_mmcv('2.2.0')
import torch, torch.nn as nn
from mmengine.model import BaseModule
from mmcv.cnn import ConvModule, build_norm_layer

class Head(BaseModule):
    def __init__(self, layer):
        super().__init__(dict(type='Constant', val=3, layer=layer))
        self.blocks = nn.ModuleList([ConvModule(2, 2, 1, norm_cfg=dict(type='BN'))])
        self.norm = build_norm_layer(dict(type='SyncBN'), 2)[1]

found = {{}}
for layer in ('ConvModule', '_BatchNorm', 'SyncBatchNorm'):
    head = Head(layer)
    before = [p.clone() for p in head.blocks.parameters()]
    with torch.no_grad():
        head.init_weights()
    found[layer] = [all(torch.equal(a, b) for a, b in zip(before, head.blocks.parameters())),
                    head.norm.weight.tolist()]
print(json.dumps(found))
"""


def test_mmcv2_conv_module_and_syncbn_under_mmengine(mmcv_available: None) -> None:
    """The same two facts with mmcv 2.2.0 under mmengine 0.10.7, in its own process (both
    generations are the import package `mmcv`): `layer='ConvModule'` writes nothing, and
    `layer='_BatchNorm'` misses `SyncBN` norms (while it does reach the BN inside ConvModule)."""
    import json

    code = MMCV2_EXPERIMENT.format(benchmarks=str(ROOT / "benchmarks"))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "ConvModule": [True, [1.0, 1.0]],
        "_BatchNorm": [False, [1.0, 1.0]],
        "SyncBatchNorm": [True, [3.0, 3.0]],
    }
