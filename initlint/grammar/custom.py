"""Initializers a project registers (`@WEIGHT_INITIALIZERS.register_module()`), as grammar
specs built from their `__init__` signature, so `type='ConvBranch'` is known and checked
(`models.model_of` gives the same as a Pydantic model)."""

from __future__ import annotations

from typing import Any, Optional

from ..project.source import ClassFacts
from .spec import Spec


def custom_initializers(index: Any) -> dict[str, Optional[Spec]]:
    """Registry name -> spec (None when the signature cannot be read) for every initializer
    the index finds registered."""
    found: dict[str, Optional[Spec]] = {}
    for name, cls in index.weight_initializers():
        assert isinstance(cls, ClassFacts)
        params = index.init_params(cls)
        lineage = index.lineage(cls)
        base_init = any(c.name == "BaseInit" for c in lineage.classes[1:])
        found[name] = (
            Spec.from_signature(
                name, params.names, list(params.defaults), params.var_kwargs, base_init
            )
            if params
            else None
        )
    return found
