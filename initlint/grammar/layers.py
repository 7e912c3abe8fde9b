"""What `layer` names can match: torch.nn classes from the generated data file (grammar.md §6),
and mmcv's own (`ConvModule`, `DeformConv2d`, ...) of the generation the target uses.

The runtime matches a module when a `layer` name equals its class name or the name of one of
its *direct* bases. Names that are neither may be a project's own modules: unknown.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Optional


@dataclass(frozen=True)
class LayerInfo:
    name: str
    bases: tuple[str, ...]
    buildable: bool  # a default instance exists (a toy model can hold one)
    weight: Optional[bool]
    bias: Optional[bool]
    weight_dims: Optional[int]
    representative: Optional[str]  # for abstract bases: a concrete direct subclass
    weight_optional: bool = False  # `affine=True` or `bias=True` would give it parameters
    origin: str = "torch"  # "torch", or "mmcv" for mmcv's classes (a project may reuse the name)
    non_tensor: tuple[str, ...] = ()  # `weight`/`bias` that are no tensors: initializers raise


@dataclass(frozen=True)
class Reach:
    """What an initializer touches: each field True, False, or None when unknown."""

    matched: Optional[bool]
    weighted: Optional[bool]
    biased: Optional[bool]
    fan_1d: Optional[bool]  # a touched weight has fewer than 2 dims (Xavier/Kaiming fail)
    matched_classes: tuple[str, ...] = ()


NOTHING = Reach(False, False, False, False)
UNKNOWN_REACH = Reach(None, None, None, None)
# An override initialises a whole attribute: we assume it holds weights and biases (a conv or
# linear layer); whether they are 1-D needs the index.
OVERRIDE_REACH = Reach(True, True, True, None)


class LayerKnowledge:
    def __init__(self, layers: dict[str, LayerInfo]) -> None:
        self.layers = layers
        self._resolved: dict[str, bool] = {}  # asked once per entry: keep it linear
        self._resolved_names: Optional[list[str]] = None

    @classmethod
    @lru_cache(maxsize=1)
    def torch(cls) -> LayerKnowledge:
        text = resources.files("initlint").joinpath("data/torch_layers.json").read_text("utf-8")
        raw: dict[str, Any] = json.loads(text)["layers"]
        return cls(
            {
                name: LayerInfo(
                    name=name,
                    bases=tuple(entry["bases"]),
                    buildable=entry["ctor"] is not None,
                    weight=entry.get("weight"),
                    bias=entry.get("bias"),
                    weight_dims=entry.get("weight_dims"),
                    representative=entry.get("representative"),
                    weight_optional=bool(entry.get("weight_optional")),
                )
                for name, entry in raw.items()
            }
        )

    @classmethod
    @lru_cache(maxsize=2)
    def for_target(cls, target: str) -> LayerKnowledge:
        """torch's classes and mmcv's of the generation `target` runs with (mmcv 1.7.2 for
        mmcv1, mmcv 2.x for mmengine); torch's win where mmcv reuses a name (its `Conv2d`
        wrapper), and mmcv classes sharing a name agree or leave the fact unknown."""
        from .mmcv_layers import mmcv_generation

        torch = cls.torch().layers
        classes = mmcv_generation("mmcv1" if target == "mmcv1" else "mmcv2").classes.values()
        subclassed = {base for entry in classes for base in entry.bases}
        named: dict[str, list[LayerInfo]] = {}
        for entry in classes:
            if entry.name not in torch:
                named.setdefault(entry.name, []).append(entry.as_layer())
        layers = dict(torch)
        for name, infos in named.items():
            first = infos[0]

            def agreed(values: list[Any]) -> Any:
                return values[0] if all(v == values[0] for v in values) else None

            # A base meant for subclassing (BaseModule, BaseTransformerLayer, _NonLocalNd)
            # also matches the subclasses a project writes: what it reaches is unknown.
            base = name in subclassed or name.startswith(("Base", "_"))
            layers[name] = LayerInfo(
                name=name,
                bases=first.bases if len(infos) == 1 else (),
                buildable=len(infos) == 1 and first.buildable and not base,
                weight=agreed([i.weight for i in infos]),
                bias=agreed([i.bias for i in infos]),
                weight_dims=agreed([i.weight_dims for i in infos]),
                representative=None,
                weight_optional=any(i.weight_optional for i in infos),
                origin="mmcv",
                non_tensor=tuple(sorted({n for i in infos for n in i.non_tensor})),
            )
        return cls(layers)

    def get(self, name: str) -> Optional[LayerInfo]:
        return self.layers.get(name)

    def concrete(self, name: str) -> Optional[str]:
        """The class a module contains when a config names `name` (a base stands for a subclass)."""
        info = self.layers.get(name)
        if info is None:
            return None
        if info.buildable:
            return name
        return info.representative

    def contained(self, names: Iterable[str]) -> frozenset[str]:
        """The classes a module holds when it "contains the layers the value names"."""
        found = (self.concrete(n) for n in names)
        return frozenset(c for c in found if c is not None)

    def resolved(self, name: str) -> bool:
        """Whether we know everything `name` can match: a torch class, an abstract base with
        a concrete subclass, or a grand-base whose direct subclasses are all private bases
        (`_NormBase`: real models never hold a module it directly bases)."""
        found = self._resolved.get(name)
        if found is None:
            info = self.layers.get(name)
            if info is None:
                return False
            subclasses = [n for n, i in self.layers.items() if name in i.bases]
            found = self._resolved[name] = (
                info.buildable
                or info.representative is not None
                or (bool(subclasses) and all(n.startswith("_") for n in subclasses))
            )
        return found

    def resolved_names(self) -> list[str]:
        """The classes whose reach is fully known (suggestions are made from them)."""
        if self._resolved_names is None:
            self._resolved_names = [n for n in self.layers if self.resolved(n)]
        return self._resolved_names

    def reach(self, names: Optional[Iterable[object]], contained: frozenset[str]) -> Reach:
        """What an entry with these `layer` names touches in a module holding `contained`.

        `names` is None when the layer value is unknown; non-str items never match.
        """
        if names is None:
            return UNKNOWN_REACH
        wanted = [n for n in names if isinstance(n, str)]
        unresolved = any(not self.resolved(n) for n in wanted) or "Module" in wanted
        matched = []
        for cls_name in sorted(contained):
            info = self.layers[cls_name]
            if cls_name in wanted or any(b in wanted for b in info.bases):
                matched.append(info)
        if not matched:
            return UNKNOWN_REACH if unresolved else NOTHING

        def seen(found: bool) -> Optional[bool]:
            return True if found else (None if unresolved else False)

        return Reach(
            matched=True,
            weighted=seen(any(i.weight for i in matched)),
            biased=seen(any(i.bias for i in matched)),
            fan_1d=seen(
                any(i.weight and i.weight_dims is not None and i.weight_dims < 2 for i in matched)
            ),
            matched_classes=tuple(i.name for i in matched),
        )
