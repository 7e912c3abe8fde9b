"""The 1.x ground truth: run an init_cfg value through mmcv 1.7.2's real
`mmcv.runner.BaseModule.init_weights()`, as `runtime_oracle.py` does for MMEngine.

mmcv 1.7.2 is not installed into the venv: it is built from its PyPI sdist into the corpus
cache and imported from there (`benchmarks/corpus.py`, `import_mmcv`), with a torchvision stub
that is gone again once mmcv is imported. It coexists with mmengine in one process: neither
imports the other, and the test venv has no other `mmcv`.

The toy module holds the same layers as MMEngine's toy (one instance of every torch class the
value names, a small conv for every override name), plus one instance of every mmcv class the
value names that `initlint/data/mmcv_layers.json` knows how to build.
"""

from __future__ import annotations

import copy
import importlib
import json
import logging
import warnings
from functools import lru_cache
from importlib import resources
from typing import Any, Optional

import torch
import torch.nn as nn

from initlint.grammar.layers import LayerKnowledge

from .corpus import import_mmcv
from .runtime_oracle import build_layer, named_layers, override_names

VERSION = "1.7.2"
mmcv = import_mmcv(VERSION)

from mmcv.cnn import INITIALIZERS, initialize  # noqa: E402
from mmcv.runner import BaseModule  # noqa: E402
from mmcv.utils import get_logger  # noqa: E402

# BaseModule logs every init_cfg and every parameter at INFO to the `mmcv` logger (which the
# import already set up, so its level is set here).
get_logger("mmcv")
logging.getLogger("mmcv").setLevel(logging.CRITICAL)

__all__ = ["INITIALIZERS", "BaseModule", "Toy", "initialize", "mmcv", "runtime_error"]


@lru_cache(maxsize=1)
def _mmcv_classes() -> dict[str, dict[str, Any]]:
    """The buildable mmcv 1.x classes of the data file, by class name."""
    text = resources.files("initlint").joinpath("data/mmcv_layers.json").read_text("utf-8")
    classes: dict[str, dict[str, Any]] = json.loads(text)["mmcv1"]["classes"]
    return {entry["name"]: entry for entry in classes.values() if entry.get("ctor") is not None}


def build_mmcv_layer(name: str) -> nn.Module:
    entry = _mmcv_classes()[name]
    with warnings.catch_warnings():  # mmcv.cnn.bricks.transformer misses the compiled ops
        warnings.simplefilter("ignore", UserWarning)
        cls = getattr(importlib.import_module(entry["module"]), name)
    return cls(**entry["ctor"])  # type: ignore[no-any-return]


class Toy(BaseModule):  # type: ignore[misc]
    def __init__(self, init_cfg: Any, layers: list[str], overrides: list[str]) -> None:
        super().__init__(init_cfg)
        for i, name in enumerate(layers):
            layer = (
                build_layer(name)
                if name in LayerKnowledge.torch().layers
                else build_mmcv_layer(name)
            )
            setattr(self, f"layer_{i}", layer)
        for name in overrides:
            setattr(self, name, nn.Conv2d(2, 2, 1))


def toy(value: Any) -> Toy:
    """The toy module `runtime_error` runs `value` on."""
    names = named_layers(value)
    layers = set(LayerKnowledge.torch().contained(names))
    layers |= {n for n in names if n in _mmcv_classes() and n not in LayerKnowledge.torch().layers}
    return Toy(copy.deepcopy(value), sorted(layers), override_names(value))


def runtime_error(value: Any) -> Optional[BaseException]:
    """The exception `init_weights()` raises on `value`, or None when it runs through."""
    with warnings.catch_warnings():  # some mmcv classes warn when they are built
        warnings.simplefilter("ignore")
        model = toy(value)
        try:
            with torch.no_grad():
                model.init_weights()
        except Exception as exc:  # the verdict is "it raises", whatever it raises
            return exc
    return None
