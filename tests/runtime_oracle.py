"""The ground truth: run an init_cfg value through MMEngine's real `BaseModule.init_weights()`.

The toy module holds one instance of every layer class the value names (a base such as
`_BatchNorm` stands for a concrete subclass, as initlint assumes too) and a small conv layer
for every override name, so the runtime reaches everything the value aims at.
"""

from __future__ import annotations

import copy
import logging
import warnings
from typing import Any, Optional

import torch
import torch.nn as nn
from mmengine.logging import MMLogger
from mmengine.model import BaseModule

from initlint.grammar.layers import LayerKnowledge

MMLogger.get_current_instance().setLevel(logging.CRITICAL)
logging.getLogger("mmengine").setLevel(logging.CRITICAL)


def _entries(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, dict)]
    return []


def _override_items(entry: dict[str, Any]) -> list[dict[str, Any]]:
    override = entry.get("override")
    if isinstance(override, dict):
        return [override]
    if isinstance(override, list):
        return [o for o in override if isinstance(o, dict)]
    return []


def named_layers(value: Any) -> list[str]:
    names: list[str] = []
    for entry in _entries(value):
        for holder in [entry, *_override_items(entry)]:
            layer = holder.get("layer")
            if isinstance(layer, str):
                names.append(layer)
            elif isinstance(layer, list):
                names += [n for n in layer if isinstance(n, str)]
    return names


def override_names(value: Any) -> list[str]:
    return sorted(
        {
            item["name"]
            for entry in _entries(value)
            for item in _override_items(entry)
            if isinstance(item.get("name"), str) and item["name"].isidentifier()
        }
    )


def build_layer(name: str) -> nn.Module:
    info = LayerKnowledge.torch().layers[name]
    assert info.buildable
    import json
    from importlib import resources

    ctor = json.loads(
        resources.files("initlint").joinpath("data/torch_layers.json").read_text("utf-8")
    )["layers"][name]["ctor"]
    return getattr(nn, name)(**ctor)  # type: ignore[no-any-return]


class Toy(BaseModule):
    def __init__(self, init_cfg: Any, layers: list[str], overrides: list[str]) -> None:
        super().__init__(init_cfg)
        for i, name in enumerate(layers):
            setattr(self, f"layer_{i}", build_layer(name))
        for name in overrides:
            setattr(self, name, nn.Conv2d(2, 2, 1))


def runtime_error(value: Any) -> Optional[BaseException]:
    """The exception `init_weights()` raises on `value`, or None when it runs through."""
    layers = sorted(LayerKnowledge.torch().contained(named_layers(value)))
    model = Toy(copy.deepcopy(value), layers, override_names(value))
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            model.init_weights()
    except Exception as exc:  # the verdict is "it raises", whatever it raises
        return exc
    return None
