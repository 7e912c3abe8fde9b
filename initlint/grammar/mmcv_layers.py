"""The module classes of mmcv 1.x and 2.x, read from initlint/data/mmcv_layers.json (generated
by scripts/gen_mmcv_layers.py from mmcv 1.7.2 and mmcv-lite 2.2.0; mmcv is never imported).

Classes are keyed by `module.QualName`, because mmcv reuses torch's names (its
`mmcv.cnn.bricks.wrappers.Conv2d` subclasses `nn.Conv2d`); `named()` gives every class with a
given `__name__`, which is what `layer` matching compares. A field is None where the
generator could not tell (classes of `mmcv.ops` need compiled code and are read from source).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, Optional

from initlint.grammar.layers import LayerInfo

Generation = Literal["mmcv1", "mmcv2"]


@dataclass(frozen=True)
class MmcvClass:
    key: str  # module.QualName
    name: str
    module: str
    bases: tuple[str, ...]
    built: bool  # a default instance was built (otherwise the facts come from the source)
    weight: Optional[bool]
    bias: Optional[bool]
    weight_dims: Optional[int]
    weight_dims_at_least: Optional[int]  # when the exact count is unknown
    weight_optional: bool
    non_tensor: tuple[str, ...]  # `weight` / `bias` set to a non-tensor: initializers raise
    defines_init_weights: bool  # a BaseModule parent calls it after its own init_cfg
    base_module: Optional[bool]
    registered: tuple[str, ...]  # "REGISTRY:name" entries that build this class
    ctor: Optional[dict[str, Any]]

    def as_layer(self) -> LayerInfo:
        """The class as `LayerKnowledge` describes torch's."""
        return LayerInfo(
            name=self.name,
            bases=self.bases,
            buildable=self.ctor is not None,
            weight=self.weight,
            bias=self.bias,
            weight_dims=self.weight_dims,
            representative=None,
            weight_optional=self.weight_optional,
            origin="mmcv",
            non_tensor=self.non_tensor,
        )


@dataclass(frozen=True)
class Initializer:
    name: str  # the registry name (`type`)
    cls: str  # module.QualName
    bases: tuple[str, ...]
    params: dict[str, tuple[dict[str, Any], ...]]  # own __init__ parameters, per class in MRO


@dataclass(frozen=True)
class MmcvGeneration:
    generation: Generation
    version: str
    classes: dict[str, MmcvClass]
    registries: dict[str, dict[str, str]]  # registry -> name -> module.QualName
    initializers: dict[str, Initializer]

    def named(self, name: str) -> tuple[MmcvClass, ...]:
        """Every class whose `__name__` is `name`."""
        return tuple(c for c in self.classes.values() if c.name == name)

    def built_by(self, registry: str, name: str) -> Optional[str]:
        """The class (module.QualName) `dict(type=name)` builds from `registry`."""
        return self.registries.get(registry, {}).get(name)


@lru_cache(maxsize=2)
def mmcv_generation(generation: Generation) -> MmcvGeneration:
    text = resources.files("initlint").joinpath("data/mmcv_layers.json").read_text("utf-8")
    raw: dict[str, Any] = json.loads(text)[generation]
    classes = {
        key: MmcvClass(
            key=key,
            name=entry["name"],
            module=entry["module"],
            bases=tuple(entry["bases"]),
            built=entry["source"] == "built",
            weight=entry["weight"],
            bias=entry["bias"],
            weight_dims=entry["weight_dims"],
            weight_dims_at_least=entry.get("weight_dims_at_least"),
            weight_optional=bool(entry["weight_optional"]),
            non_tensor=tuple(entry["non_tensor"]),
            defines_init_weights=bool(entry["defines_init_weights"]),
            base_module=entry["base_module"],
            registered=tuple(entry["registered"]),
            ctor=entry["ctor"],
        )
        for key, entry in raw["classes"].items()
    }
    initializers = {
        name: Initializer(
            name=name,
            cls=entry["class"],
            bases=tuple(entry["bases"]),
            params={cls: tuple(rows) for cls, rows in entry["init"].items()},
        )
        for name, entry in raw["initializers"].items()
    }
    return MmcvGeneration(
        generation=generation,
        version=raw["version"],
        classes=classes,
        registries=raw["registries"],
        initializers=initializers,
    )
