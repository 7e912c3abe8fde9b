"""Initializers a project registers (`@WEIGHT_INITIALIZERS.register_module()`), as grammar
models built from their `__init__` signature, so `type='ConvBranch'` is known and checked."""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import ConfigDict, create_model

from ..project.source import ClassFacts, InitParams
from .models import BaseInitArgs, InitArgs


def model_from_signature(name: str, params: InitParams, base_init: bool) -> type[InitArgs]:
    """A model taking the parameters of `params`; those of BaseInit too when the class is a
    BaseInit that hands its **kwargs to it (then other keywords are still rejected)."""
    fields: dict[str, Any] = {"type": (Literal[name], name)}
    for param in params.names:
        if base_init and param in BaseInitArgs.model_fields:
            continue
        fields[param] = (Any, ... if param not in params.defaults else None)
    extra: Literal["allow", "forbid"] = "forbid" if base_init or not params.var_kwargs \
        else "allow"
    base: type[InitArgs] = BaseInitArgs if base_init else InitArgs
    model: type[InitArgs] = create_model(
        f"{name}Args", __base__=base,
        __config__=None if base_init else ConfigDict(extra=extra, arbitrary_types_allowed=True),
        **fields)
    model.registry_name = name
    model.class_name = name
    return model


def custom_initializers(index: Any) -> dict[str, Optional[type[InitArgs]]]:
    """Registry name -> model (None when the signature cannot be read) for every initializer
    the index finds registered."""
    found: dict[str, Optional[type[InitArgs]]] = {}
    for name, cls in index.weight_initializers():
        assert isinstance(cls, ClassFacts)
        params = index.init_params(cls)
        lineage = index.lineage(cls)
        base_init = any(c.name == "BaseInit" for c in lineage.classes[1:])
        found[name] = model_from_signature(name, params, base_init) if params else None
    return found
