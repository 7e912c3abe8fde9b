"""Generate initlint/data/grammar.json from initlint's Pydantic grammar models.

The lint path validates initializer arguments with this table in plain Python
(initlint/grammar/spec.py) so that a lint run never imports Pydantic; the models stay the
grammar (they serve `validate_init_cfg` and `initlint schema`). For each built-in initializer:
its names, the arguments it takes (as written, with their defaults), the types each accepts
(the models' `isinstance` checks; `null` accepts anything), and the further checks of their
validators.

    python scripts/gen_grammar.py            # rewrite the data file
    python scripts/gen_grammar.py --check    # exit 1 if the file is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
import typing
from pathlib import Path
from typing import Any, Optional

DATA = Path(__file__).resolve().parents[1] / "initlint" / "data" / "grammar.json"
# What each field validator of the models checks, by the function's name.
CHECKS = {"_bias_prob_not_zero": "nonzero_float"}
TYPE_NAMES = {int: "int", float: "float", str: "str", list: "list", type(None): "none"}


def accepted(annotation: Any) -> Optional[list[str]]:
    """The types an annotation lets through (`isinstance`), or None for anything."""
    from initlint.values import Unknown

    if annotation is Any:
        return None
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:  # InstanceOf[X], SkipJsonSchema[X]: an isinstance check of X
        return accepted(typing.get_args(annotation)[0])
    if origin is typing.Union:
        found: list[str] = []
        for member in typing.get_args(annotation):
            kinds = accepted(member)
            if kinds is None:
                return None
            found += [k for k in kinds if k not in found]
        return found
    if origin is list:
        return ["list"]
    if annotation is Unknown:
        return ["unknown"]
    if annotation in TYPE_NAMES:
        return [TYPE_NAMES[annotation]]
    raise ValueError(f"no plain check for the annotation {annotation!r}")


def generate() -> dict[str, Any]:
    from initlint.grammar.models import BUILTIN_MODELS, BaseInitArgs

    models = {}
    for name, model in BUILTIN_MODELS.items():
        checks: dict[str, str] = {}
        for function, decorator in model.__pydantic_decorators__.field_validators.items():
            if function not in CHECKS:
                raise ValueError(f"{model.__name__}.{function}: no plain check for it")
            checks.update(dict.fromkeys(decorator.info.fields, CHECKS[function]))
        arguments = []
        for attribute, field in model.model_fields.items():
            if attribute == "type":
                continue
            arguments.append(
                {
                    "key": field.alias or attribute,
                    "attribute": attribute,
                    "required": field.is_required(),
                    "default": None if field.is_required() else field.default,
                    "accepts": accepted(field.annotation),
                    "check": checks.get(attribute),
                }
            )
        models[name] = {
            "class_name": model.class_name,
            "fixed_args": list(model.fixed_args),
            "uses_layer": model.uses_layer,
            "base_init": issubclass(model, BaseInitArgs),
            "extra": model.model_config.get("extra"),
            "arguments": arguments,
        }
    return {
        "initializers": models,
        "base_init_arguments": [f.alias or n for n, f in BaseInitArgs.model_fields.items()],
    }


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, sort_keys=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the file")
    args = parser.parse_args()
    text = render(generate())
    if args.check:
        if not DATA.exists() or DATA.read_text(encoding="utf-8") != text:
            print(f"{DATA} is out of date: run python scripts/gen_grammar.py", file=sys.stderr)
            return 1
        return 0
    DATA.write_text(text, encoding="utf-8")
    print(f"wrote {DATA}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
