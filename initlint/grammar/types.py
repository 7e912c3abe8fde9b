"""Resolving an init_cfg `type` the way the registry does: MMEngine's (grammar.md §4), or mmcv
1.x's `INITIALIZERS` (§11: its own scope `mmcv.` only, no import paths, classes and functions
as objects)."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Optional, Union

from ..suggest import did_you_mean, hint
from ..values import ClassRef, Node, PyObject, Scalar, Unknown
from .spec import Initializer as Spec
from .spec import Spec as Compiled
from .spec import builtin_specs, mmcv1_specs

BUILTIN = builtin_specs()
# Class name -> registry name of the built-ins ("ConstantInit" -> "Constant").
CLASS_TO_NAME = {spec.class_name: name for name, spec in BUILTIN.items()}
# Dotted import paths the registry's fallback resolves (`mmengine.model.ConstantInit`).
IMPORT_PATHS = {
    f"{module}.{spec.class_name}": name
    for name, spec in BUILTIN.items()
    for module in ("mmengine.model", "mmengine.model.weight_init")
}


@dataclass(frozen=True)
class Initializer:
    """A registered initializer: its name and, when its signature is known, its spec."""

    name: str
    spec: Optional[Spec]


@dataclass
class Initializers:
    """What `type` can name: the built-ins plus what a project registers.

    `complete` says whether this is everything the runtime will know: then an unknown bare
    name is an error; otherwise it may be a project's own initializer, hence Unknown.
    `builtins` are the built-ins as the lint path builds them (compiled), or as their Pydantic
    models (`models.model_specs()`, for `validate_init_cfg`).
    """

    custom: Mapping[str, Optional[Spec]] = field(default_factory=dict)
    complete: bool = False
    builtins: Mapping[str, Spec] = field(default_factory=lambda: BUILTIN)
    target: str = "mmengine"  # whose registry resolves `type`: "mmengine" or "mmcv1"

    @classmethod
    def for_target(
        cls,
        target: str,
        custom: Optional[Mapping[str, Optional[Spec]]] = None,
        complete: bool = False,
    ) -> Initializers:
        """The compiled built-ins as `target` builds them, with a project's own."""
        custom = custom or {}
        if target == "mmcv1":
            custom = {k: v.for_mmcv1() if isinstance(v, Compiled) else v for k, v in custom.items()}
            return cls(custom, complete, mmcv1_specs(), "mmcv1")
        return cls(custom, complete, BUILTIN, "mmengine")

    def lookup(self, name: str) -> Optional[Initializer]:
        if name in self.builtins:
            return Initializer(name, self.builtins[name])
        if name in self.custom:
            return Initializer(name, self.custom[name])
        return None

    @property
    def names(self) -> list[str]:
        return [*self.builtins, *self.custom]


@dataclass(frozen=True)
class ResolvedType:
    initializer: Initializer
    # BaseModule applies an entry last only when type == 'Pretrained' or is PretrainedInit.
    runs_last: bool


@dataclass(frozen=True)
class TypeProblem:
    message: str
    suggestion: Optional[str] = None


TypeResult = Union[ResolvedType, TypeProblem, None]  # None: cannot be decided statically


def resolve_type(node: Node, known: Initializers) -> TypeResult:
    if isinstance(node, Unknown):
        return None
    mmcv1 = known.target == "mmcv1"
    if isinstance(node, Scalar) and isinstance(node.value, str):
        return _resolve_mmcv1_name(node.value, known) if mmcv1 else _resolve_name(node.value, known)
    if isinstance(node, ClassRef):
        return _resolve_class(node.module, node.name, known)
    if isinstance(node, PyObject):
        obj = node.obj
        if mmcv1 and not (inspect.isclass(obj) or inspect.isfunction(obj)):
            # mmcv's build_from_cfg: "type must be a str or valid type, but got <class ...>"
            return TypeProblem(
                f"`type` must be a registered name, a class or a function in mmcv 1.x, got {obj!r}"
            )
        if not callable(obj):
            return TypeProblem(f"`type` must be a registered name or a class, got {obj!r}")
        module = getattr(obj, "__module__", "") or ""
        name = getattr(obj, "__name__", "")
        return _resolve_class(module, name, known) if isinstance(name, str) else None
    shown = node.value if isinstance(node, Scalar) else type(node).__name__
    return TypeProblem(f"`type` must be a registered name or a class, got {shown!r}")


def _resolve_class(module: str, name: str, known: Initializers) -> TypeResult:
    """A class object (lazy configs import `PretrainedInit`): mmengine's are known, and for
    mmcv 1.x mmcv's too (it calls any class; its BaseModule recognises no class as
    Pretrained)."""
    packages = ("mmengine", "mmcv") if known.target == "mmcv1" else ("mmengine",)
    if module.split(".")[0] in packages and name in CLASS_TO_NAME:
        registry_name = CLASS_TO_NAME[name]
        return ResolvedType(
            Initializer(registry_name, known.builtins[registry_name]),
            runs_last=name == "PretrainedInit" and known.target != "mmcv1",
        )
    return None


def _resolve_mmcv1_name(name: str, known: Initializers) -> TypeResult:
    """mmcv 1.x's `Registry.get`: a bare name, or `mmcv.<name>` (its own scope). The key is
    split at its first dot, so `mmcv.cnn.X` is the name `cnn.X` (KeyError), and any other
    first part is a foreign scope, which the root registry cannot hand on (AttributeError)."""
    scope, dot, rest = name.partition(".")
    if not dot:
        found = known.lookup(name)
        if found:
            return ResolvedType(found, runs_last=name == "Pretrained")
        suggestion = did_you_mean(name, known.names)
        if suggestion or known.complete:
            return TypeProblem(f"unknown initializer type '{name}'{hint(suggestion)}", suggestion)
        return None
    if scope == "mmcv":
        found = known.lookup(rest)
        if found:
            return ResolvedType(found, runs_last=False)
        last = rest.rsplit(".", 1)[-1]
        suggestion = CLASS_TO_NAME.get(last) or did_you_mean(last, known.names)
        if "." in rest:
            return TypeProblem(
                f"unknown initializer type '{name}': mmcv 1.x's registry imports no dotted "
                f"paths (KeyError){hint(suggestion)}",
                suggestion,
            )
        if suggestion or known.complete:
            return TypeProblem(f"unknown initializer type '{name}'{hint(suggestion)}", suggestion)
        return None
    if rest in known.custom:
        return None  # a project's initializer: it may sit in a child registry of that scope
    last = name.rsplit(".", 1)[-1]
    suggestion = (
        CLASS_TO_NAME.get(last)
        or (last if known.lookup(last) else None)
        or did_you_mean(last, known.names)
    )
    return TypeProblem(
        f"unknown initializer type '{name}': mmcv 1.x knows no scope but its own `mmcv.` "
        "(AttributeError: 'NoneType' object has no attribute 'parent')"
        f"{hint(suggestion)}",
        suggestion,
    )


def _resolve_name(name: str, known: Initializers) -> TypeResult:
    found = known.lookup(name)
    if found:
        return ResolvedType(found, runs_last=name == "Pretrained")
    if name in IMPORT_PATHS:
        return ResolvedType(
            Initializer(IMPORT_PATHS[name], known.builtins[IMPORT_PATHS[name]]), runs_last=False
        )
    if "." in name:
        return _resolve_scoped(name, known)
    suggestion = did_you_mean(name, known.names)
    if suggestion or known.complete:
        return TypeProblem(f"unknown initializer type '{name}'{hint(suggestion)}", suggestion)
    return None


def _resolve_scoped(name: str, known: Initializers) -> TypeResult:
    # The registry splits at the first '.': 'mmdet.Xavier' is Xavier seen through mmdet's
    # child registry, which falls back to its parent (mmengine).
    scope, rest = name.split(".", 1)
    found = known.lookup(rest)
    if found:
        return ResolvedType(found, runs_last=False)
    suggestion = did_you_mean(rest, known.names) if "." not in rest else None
    if suggestion is None and scope == "mmengine" and "." in rest:
        suggestion = did_you_mean(name, IMPORT_PATHS)
        if suggestion:
            return TypeProblem(f"unknown initializer type '{name}'{hint(suggestion)}", suggestion)
    if suggestion:
        return TypeProblem(
            f"unknown initializer type '{name}'{hint(f'{scope}.{suggestion}')}",
            f"{scope}.{suggestion}",
        )
    # Another package's own initializer, or an importable path: not decidable statically.
    return None
