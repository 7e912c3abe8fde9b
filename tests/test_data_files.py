"""The data files initlint ships agree with the torch and mmengine installed for the tests,
and with its own Pydantic grammar."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("script", ["gen_torch_layers.py", "gen_hub_names.py",
                                    "gen_grammar.py"])
def test_generated_data_is_up_to_date(script: str) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / script), "--check"],
                            capture_output=True, text=True)
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
        "BatchNorm2d", "Conv2d"}
    reach = layers.reach(["_NormBase"], layers.contained(["_NormBase", "BatchNorm2d"]))
    assert reach.matched is False  # a grand-base matches nothing
