"""Generate initlint/data/torch_layers.json from the installed torch.

For every nn.Module class exported by torch.nn (and the private bases they name directly),
record what MMEngine's `layer` matching can see: the direct base names, whether a default
instance holds a `weight` and a `bias`, and how many dimensions the weight has.

    python scripts/gen_torch_layers.py            # rewrite the data file
    python scripts/gen_torch_layers.py --check    # exit 1 if the file is out of date

tests/test_layer_data.py runs the check against the torch the test extra installs.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
import warnings
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "initlint" / "data" / "torch_layers.json"

# Values for required constructor arguments, by parameter name (small, CPU-cheap modules).
ARG_VALUES: dict[str, Any] = {
    "in_channels": 4,
    "out_channels": 4,
    "num_features": 4,
    "in_features": 4,
    "out_features": 4,
    "num_channels": 4,
    "embed_dim": 4,
    "d_model": 4,
    "input_size": 4,
    "hidden_size": 4,
    "num_embeddings": 4,
    "embedding_dim": 4,
    "in1_features": 4,
    "in2_features": 4,
    "size": 4,
    "normalized_shape": 4,
    "n_classes": 4,
    "num_classes": 4,
    "num_groups": 2,
    "num_heads": 2,
    "nhead": 2,
    "kernel_size": 1,
    "output_size": 1,
    "padding": 1,
    "value": 0.0,
    "groups": 2,
    "upscale_factor": 2,
    "downscale_factor": 2,
    "norm_type": 2,
    "threshold": 0.1,
    "dim": 1,
    "unflattened_size": [2, 2],
    "cutoffs": [2],
    "mode": "LSTM",
    "bias": True,
    "num_chunks": 1,
    "num_layers": 1,
}
# Constructors whose signature hides what they need (`*args, **kwargs`, several required).
SPECIAL: dict[str, dict[str, Any]] = {
    name: {"input_size": 4, "hidden_size": 4} for name in ("LSTM", "GRU", "RNN")
}
SPECIAL.update(
    {
        n: {"kernel_size": 1, "output_size": 1}
        for n in ("FractionalMaxPool2d", "FractionalMaxPool3d")
    }
)
# Classes a toy model cannot hold as plain layers: wrappers, deprecated containers, and lazy
# modules (their parameters do not exist until the first forward).
SKIP = {"Container", "DataParallel"}


def buildable(cls: type) -> bool:
    # Private bases (`_BatchNorm`, `_ConvNd`) are never instantiated in real models: they stand
    # for their subclasses (see "representative" below).
    return not (cls.__name__ in SKIP or cls.__name__.startswith(("_", "Lazy")))


def required_args(cls: type) -> dict[str, Any] | None:
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    kwargs: dict[str, Any] = {}
    for p in params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.default is not p.empty:
            continue
        if p.name not in ARG_VALUES:
            return None
        kwargs[p.name] = ARG_VALUES[p.name]
    return kwargs


def describe(cls: type) -> dict[str, Any]:
    entry: dict[str, Any] = {"bases": [b.__name__ for b in cls.__bases__]}
    kwargs = SPECIAL.get(cls.__name__) or required_args(cls)
    module = None
    if kwargs is not None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                module = cls(**kwargs)
        except Exception:  # abstract or needs arguments we do not guess
            module = None
    entry["ctor"] = kwargs if module is not None and buildable(cls) else None
    if module is not None:
        weight = getattr(module, "weight", None)
        bias = getattr(module, "bias", None)
        entry["weight"] = weight is not None and hasattr(weight, "dim")
        entry["bias"] = bias is not None and hasattr(bias, "dim")
        try:
            entry["weight_dims"] = weight.dim() if entry["weight"] else None
        except Exception:  # lazy modules: the shape is not known until the first forward
            entry["weight_dims"] = None
    # Whether an argument can give it a weight or bias it lacks by default (InstanceNorm2d
    # with affine=True): then naming it in `layer` may initialise something after all.
    entry["weight_optional"] = False
    if module is not None and not (entry["weight"] or entry["bias"]):
        parameters = inspect.signature(cls.__init__).parameters
        switches = {p: True for p in ("affine", "elementwise_affine", "bias") if p in parameters}
        if switches:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    variant = cls(**{**(kwargs or {}), **switches})
                entry["weight_optional"] = any(
                    hasattr(getattr(variant, attr, None), "dim") for attr in ("weight", "bias")
                )
            except Exception:  # the switch does not combine with the defaults: leave it off
                pass
    return entry


def generate() -> dict[str, Any]:
    import torch
    import torch.nn as nn

    classes: dict[str, type] = {}
    for name in dir(nn):
        obj = getattr(nn, name)
        if inspect.isclass(obj) and issubclass(obj, nn.Module):
            classes[obj.__name__] = obj
    pending = list(classes.values())
    while pending:  # every base up to nn.Module, so grand-bases like `_NormBase` are known
        cls = pending.pop()
        for base in cls.__bases__:
            if issubclass(base, nn.Module) and base.__name__ not in classes:
                classes[base.__name__] = base
                pending.append(base)
    layers = {name: describe(cls) for name, cls in sorted(classes.items())}
    # A base that cannot be built stands for its direct subclasses: pick one to represent it
    # (the 2d variant when there is one), so `layer='_BatchNorm'` means "a batch norm".
    for name, entry in layers.items():
        if entry["ctor"] is not None:
            continue
        subs = sorted(n for n, e in layers.items() if name in e["bases"] and e["ctor"] is not None)
        if subs:
            entry["representative"] = next((s for s in subs if "2d" in s), subs[0])
    # What `hasattr(module, name)` finds on every module (an override `name` that is one of
    # these exists, but is not a submodule).
    attributes = sorted(n for n in dir(nn.Module()) if not n.startswith("__"))
    return {
        "torch_version": torch.__version__.split("+")[0],
        "layers": layers,
        "module_attributes": attributes,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    data = generate()
    text = json.dumps(data, indent=1, sort_keys=True) + "\n"
    if args.check:
        current = json.loads(DATA.read_text(encoding="utf-8"))
        if (
            current["layers"] != data["layers"]
            or current.get("module_attributes") != data["module_attributes"]
        ):
            print(f"{DATA} is out of date; run {sys.argv[0]}", file=sys.stderr)
            return 1
        return 0
    DATA.write_text(text, encoding="utf-8")
    print(f"wrote {len(data['layers'])} layers to {DATA}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
