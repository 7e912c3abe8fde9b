"""The init_cfg grammar compiled to plain Python, for the lint path: what each initializer takes
and what building it rejects, read from data/grammar.json (generated from the Pydantic models by
scripts/gen_grammar.py, which a test keeps up to date), so a lint run never imports Pydantic.

`Spec.build` answers as the model's `model_validate` does: the built initializer, or the errors
by argument in Pydantic's shape (`type`: "missing", "extra_forbidden", "is_instance_of" or
"invalid_value"; `msg`; `input`), which is what the rules read. Initializers a project registers
get a `Spec` from their `__init__` signature (`Spec.from_signature`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, Optional, Protocol

from ..values import Unknown
from .calls import CallTimeIssue, call_time_issues

SCOPE_KEY = "_scope_"  # MMEngine's registry pops it; mmcv 1.x passes it to the initializer
TYPES: dict[str, type] = {
    "int": int,
    "float": float,
    "str": str,
    "list": list,
    "none": type(None),
    "unknown": Unknown,
}
Errors = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Argument:
    key: str  # as a config writes it (`_scope_`)
    attribute: str  # the model's field (`scope`)
    required: bool
    default: Any
    accepts: Optional[tuple[type, ...]]  # isinstance checks; None: anything
    check: Optional[str] = None  # a validator's further check of a value of the right type


class Initializer(Protocol):
    """What the rules read of an initializer: a compiled `Spec`, or a Pydantic model seen as one
    (`models.ModelSpec`, what `validate_init_cfg` uses)."""

    @property
    def registry_name(self) -> str: ...

    @property
    def class_name(self) -> str: ...

    @property
    def fixed_args(self) -> tuple[str, ...]: ...

    @property
    def uses_layer(self) -> bool: ...

    @property
    def base_init(self) -> bool: ...

    @property
    def keys(self) -> list[str]: ...

    def build(self, data: Mapping[str, Any]) -> tuple[Optional[BuiltInitializer], Errors]: ...


class BuiltInitializer(Protocol):
    @property
    def registry_name(self) -> str: ...

    def call_time_issues(self) -> list[CallTimeIssue]: ...


class Built:
    """An initializer as the runtime builds it: its arguments, defaults filled in."""

    def __init__(self, spec: Spec, values: Mapping[str, Any]) -> None:
        self.__dict__.update(values)
        self.registry_name = spec.registry_name
        self._base = spec.base_init

    def call_time_issues(self) -> list[CallTimeIssue]:
        return call_time_issues(self.registry_name, self._base, self)


@dataclass(frozen=True)
class Spec:
    registry_name: str
    class_name: str
    arguments: tuple[Argument, ...]
    fixed_args: tuple[str, ...] = ()
    uses_layer: bool = True
    base_init: bool = True
    extra: Literal["forbid", "allow"] = "forbid"

    @property
    def keys(self) -> list[str]:
        """The argument names as a config writes them."""
        return [a.key for a in self.arguments]

    def build(self, data: Mapping[str, Any]) -> tuple[Optional[Built], Errors]:
        errors: Errors = {}
        values: dict[str, Any] = {}
        for argument in self.arguments:
            if argument.key not in data:
                if argument.required:
                    errors[argument.key] = [_error("missing", "Field required", data)]
                else:
                    values[argument.attribute] = argument.default
                continue
            value = data[argument.key]
            problem = _problem(argument, value)
            if problem is not None:
                errors[argument.key] = [problem]
            values[argument.attribute] = value
        known = {a.key for a in self.arguments} | {"type"}
        for key, value in data.items():
            if key in known:
                continue
            if self.extra == "forbid":
                errors[key] = [_error("extra_forbidden", "Extra inputs are not permitted", value)]
            else:
                values[key] = value
        return (None if errors else Built(self, values)), errors

    def for_mmcv1(self) -> Spec:
        """The same initializer as mmcv 1.x builds it: its registry passes `_scope_` on as an
        argument (none takes it), and PretrainedInit's `map_location` defaults to None."""
        arguments = tuple(
            dataclasses.replace(a, default=None)
            if (self.registry_name, a.key) == ("Pretrained", "map_location")
            else a
            for a in self.arguments
            if a.key != SCOPE_KEY
        )
        return dataclasses.replace(self, arguments=arguments)

    @classmethod
    def from_signature(
        cls,
        name: str,
        params: Sequence[str],
        defaults: Sequence[str],
        var_kwargs: bool,
        base_init: bool,
    ) -> Spec:
        """A project's initializer: the parameters of its `__init__` (any values), and those of
        BaseInit too when it is a BaseInit that hands its **kwargs on (then other keywords are
        still rejected)."""
        # Every initializer model takes `_scope_`; a BaseInit the BaseInit arguments too.
        inherited = [a for a in base_arguments() if base_init or a.key == "_scope_"]
        taken = {a.key for a in inherited}
        own = [
            Argument(p, p, p not in defaults, None, None)
            for p in params
            if not (base_init and p in taken)
        ]
        return cls(
            name,
            name,
            tuple(inherited + own),
            base_init=base_init,
            extra="forbid" if base_init or not var_kwargs else "allow",
        )


def _error(kind: str, message: str, value: Any) -> dict[str, Any]:
    return {"type": kind, "msg": message, "input": value}


def _problem(argument: Argument, value: Any) -> Optional[dict[str, Any]]:
    if argument.accepts is not None and not isinstance(value, argument.accepts):
        return _error(
            "is_instance_of",
            "Input should be an instance of " + " or ".join(t.__name__ for t in argument.accepts),
            value,
        )
    if argument.check == "nonzero_float" and type(value) is float and value == 0.0:
        # -log((1-p)/p) divides by zero for a Python float 0.0 (numpy floats give inf).
        return _error(
            "invalid_value",
            "`bias_prob=0.0` divides by zero; use a probability such as 0.01",
            value,
        )
    return None


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    text = resources.files("initlint").joinpath("data/grammar.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _argument(raw: Mapping[str, Any]) -> Argument:
    accepts = raw["accepts"]
    return Argument(
        raw["key"],
        raw["attribute"],
        raw["required"],
        raw["default"],
        None if accepts is None else tuple(TYPES[a] for a in accepts),
        raw["check"],
    )


@lru_cache(maxsize=1)
def builtin_specs() -> dict[str, Spec]:
    """The eight built-in initializers, by registry name."""
    return {
        name: Spec(
            name,
            raw["class_name"],
            tuple(_argument(a) for a in raw["arguments"]),
            tuple(raw["fixed_args"]),
            raw["uses_layer"],
            raw["base_init"],
            raw["extra"],
        )
        for name, raw in _table()["initializers"].items()
    }


@lru_cache(maxsize=1)
def mmcv1_specs() -> dict[str, Spec]:
    """The eight built-ins as mmcv 1.x builds them (`Spec.for_mmcv1`)."""
    return {name: spec.for_mmcv1() for name, spec in builtin_specs().items()}


@lru_cache(maxsize=1)
def base_arguments() -> list[Argument]:
    """What every BaseInit takes (`_scope_`, `bias`, `bias_prob`, `layer`)."""
    keys = _table()["base_init_arguments"]
    return [a for a in builtin_specs()["Constant"].arguments if a.key in keys]
