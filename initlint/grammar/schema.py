"""The JSON Schema of the init_cfg grammar (`initlint schema`), built from the Pydantic models.

It accepts every value the checker accepts and rejects what the checker rejects when the
runtime builds the initializers (tests/test_schema.py checks both on the hand-written cases):
* each initializer appears twice, as a top-level entry (with `override`) and as a typed
  override (with `name`, without `override`); its `type` is every spelling the runtime
  resolves to it, `<scope>.Name` included;
* what the runtime checks only when an initializer reaches a module (`std < 0`, a
  `distribution` it does not know) is suggested (`examples`), never required: nothing may match;
* an entry whose `type` names another package's initializer (`mmdet.MyInit`) is accepted as it
  is: its arguments are that package's;
* falsy values (`None`, `{}`, `[]`, `0`, `''`, `false`) are the runtime's no-op.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import ConfigDict, Field, TypeAdapter, WithJsonSchema, create_model

from .checkpoints import hub_names
from .models import BUILTIN_MODELS, InitArgs
from .spec import SCOPE_KEY

ATTRIBUTE = {"type": "string", "pattern": r"^[^.]+$"}  # '' and dotted paths never are
# `<scope>.<Name>` of another package's own initializer: the registry splits at the first '.'.
FOREIGN_TYPE = {
    "type": "string",
    "pattern": "^[^.]+\\.(?!(?:" + "|".join(re.escape(name) for name in BUILTIN_MODELS) + ")$).+$",
}
# An override initialises its whole attribute and ignores the items of its own `layer`.
OVERRIDE_LAYER = {"anyOf": [{"type": "string"}, {"type": "null"}, {"type": "array"}]}
FALSY = {
    "anyOf": [
        {"enum": [None, False, 0, ""]},
        {"type": "object", "maxProperties": 0},
        {"type": "array", "maxItems": 0},
    ]
}


def spellings(model: type[InitArgs], target: str = "mmengine") -> tuple[str, ...]:
    name = model.registry_name
    if target == "mmcv1":  # mmcv's registry: its own scope, no import paths (§11)
        return (name, f"mmcv.{name}")
    return (
        name,
        f"mmengine.{name}",
        f"mmengine.model.{model.class_name}",
        f"mmengine.model.weight_init.{model.class_name}",
    )


def checkpoint_schema(target: str = "mmengine") -> dict[str, Any]:
    """The checkpoints the loader can load (grammar.md §9, §13): a local path, a URL, a scheme
    with a model name it knows. Anything else with '://' (a misspelled or broken scheme) is read
    as a missing local file, and so is `petrel://` for mmcv 1.x, which has no loader for it."""
    hub = hub_names()
    zoo = [
        f"{scheme}{name}"
        for scheme in ("open-mmlab://", "openmmlab://")
        for name in sorted(
            {*hub.openmmlab, *(a for a, t in hub.deprecated.items() if t in hub.openmmlab)}
        )
    ]
    return {
        "anyOf": [
            {"type": "string", "not": {"pattern": "://"}},  # a local path
            {"type": "string", "pattern": "^[A-Za-z]://"},  # a Windows drive
            {"type": "string", "pattern": "^(https?|pavi)://"},
            {
                "type": "string",
                "pattern": "^(\\S+:)?s3://" if target == "mmcv1" else "^(\\S+:)?(s3|petrel)://",
            },
            {
                "enum": [
                    f"{s}{n}"
                    for s in ("torchvision://", "modelzoo://")
                    for n in sorted(hub.torchvision)
                ]
            },
            {"type": "string", "pattern": "^(torchvision|modelzoo)://[^A-Z]*\\.[^A-Z]*$"},
            {"enum": zoo + [f"mmcls://{name}" for name in sorted(hub.mmcls)]},
        ],
        "description": "Path, URL or `scheme://name` of the checkpoint.",
    }


def _with_type(
    model: type[InitArgs], suffix: str, target: str = "mmengine", **fields: Any
) -> type[InitArgs]:
    name = model.registry_name
    scoped = f"^[^.]+\\.{re.escape(name)}$"  # mmdet.Xavier: Xavier through mmdet's registry
    names = list(spellings(model, target))
    type_schema: dict[str, Any] = (
        {"enum": names}
        if target == "mmcv1"
        else {"anyOf": [{"enum": names}, {"type": "string", "pattern": scoped}]}
    )
    type_field: Any = (
        Annotated[Literal[spellings(model, target)], WithJsonSchema(type_schema)],
        Field(
            description=f"`{name}` (or `mmcv.{name}`)."
            if target == "mmcv1"
            else f"`{name}` (or `<scope>.{name}`)."
        ),
    )
    if "checkpoint" in model.model_fields:
        fields["checkpoint"] = (Annotated[Any, WithJsonSchema(checkpoint_schema(target))], ...)
    if suffix and "layer" in model.model_fields:
        fields["layer"] = (Annotated[Any, WithJsonSchema(OVERRIDE_LAYER)], None)
    created: type[InitArgs] = create_model(
        f"{name}{suffix}", __base__=model, type=type_field, **fields
    )
    return created


def _foreign(title: str, **extra: Any) -> Any:
    """An initializer of another package, by its scoped name: its arguments are its own."""
    schema = {
        "title": title,
        "type": "object",
        "required": ["type", *extra],
        "properties": {"type": FOREIGN_TYPE, **extra},
    }
    return Annotated[dict[str, Any], WithJsonSchema(schema)]


@lru_cache(maxsize=2)
def init_cfg_schema(target: str = "mmengine") -> dict[str, Any]:
    """The schema of `target`'s grammar: "mmengine", or "mmcv1" (no `_scope_`, no other
    package's scope, no tuple, no petrel://, `map_location` None by default: §11)."""
    mmcv1 = target == "mmcv1"
    name_only = create_model(
        "OverrideByName",
        __config__=ConfigDict(extra="forbid"),
        name=(
            Annotated[str, WithJsonSchema(ATTRIBUTE)],
            Field(description="Attribute to initialise with the parent's arguments."),
        ),
    )
    name_field = (
        Annotated[str, WithJsonSchema(ATTRIBUTE)],
        Field(description="Attribute to initialise."),
    )
    typed_overrides = [
        _with_type(m, "Override", target, name=name_field) for m in BUILTIN_MODELS.values()
    ]
    foreign = [] if mmcv1 else [_foreign("ForeignOverride", name=ATTRIBUTE)]
    # Unions built at runtime from the models: types for Pydantic, values for mypy.
    override_item: Any = Union[tuple([name_only, *typed_overrides, *foreign])]
    override: Any = Optional[Union[override_item, list[override_item]]]
    entries = [
        _with_type(
            m,
            "",
            target,
            override=(
                override,
                Field(
                    default=None, description="Initialise named attributes; runs after this entry."
                ),
            ),
        )
        for m in BUILTIN_MODELS.values()
    ]
    foreign_entry = [] if mmcv1 else [_foreign("ForeignInitializer")]
    entry: Any = Union[tuple([*entries, *foreign_entry])]
    falsy: Any = Annotated[Any, WithJsonSchema(FALSY)]
    init_cfg: Any = Annotated[Union[falsy, entry, list[entry]], Field(title="init_cfg")]
    schema: dict[str, Any] = TypeAdapter(init_cfg).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "OpenMMLab init_cfg" + (" (mmcv 1.x)" if mmcv1 else "")
    schema["description"] = (
        "Weight initialisation of an MMEngine BaseModule: a falsy value (no-op), one "
        "initializer dict, or a list of them. Generated by initlint from its Pydantic grammar."
        if not mmcv1
        else "Weight initialisation of an mmcv 1.x BaseModule (mmcv.runner): a falsy value (no-op), "
        "one initializer dict, or a list of them. Generated by initlint from its Pydantic "
        "grammar."
    )
    if mmcv1:
        _as_mmcv1(schema)
    return schema


def _as_mmcv1(node: Any) -> None:
    """mmcv 1.x builds the same models, except that `_scope_` reaches `__init__` (rejected)
    and PretrainedInit's `map_location` defaults to None."""
    if isinstance(node, dict):
        properties = node.get("properties")
        if isinstance(properties, dict):
            properties.pop(SCOPE_KEY, None)
            location = properties.get("map_location")
            if isinstance(location, dict) and "default" in location:
                location["default"] = None
        for value in node.values():
            _as_mmcv1(value)
    elif isinstance(node, list):
        for value in node:
            _as_mmcv1(value)
