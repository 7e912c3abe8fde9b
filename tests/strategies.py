"""Hypothesis strategies for init_cfg values: valid ones and the mistakes people make.

Numbers stay within +-1e3 (no inf/nan): float32 overflow is not what this test is about.
"""

from __future__ import annotations

import functools
import os
import tempfile
from typing import Any

import torch
from hypothesis import strategies as st
from mmengine.model import ConstantInit, PretrainedInit

_CKPT_DIR = tempfile.mkdtemp(prefix="initlint-ckpt-")
CHECKPOINT = os.path.join(_CKPT_DIR, "backbone.pth")
torch.save({"state_dict": {"backbone.w": torch.zeros(1)}}, CHECKPOINT)

TYPES = [
    "Constant",
    "Xavier",
    "Normal",
    "TruncNormal",
    "Uniform",
    "Kaiming",
    "Caffe2Xavier",
    "Pretrained",
]
LAYERS = [
    "Conv2d",
    "Linear",
    "BatchNorm2d",
    "_BatchNorm",
    "_ConvNd",
    "GroupNorm",
    "LayerNorm",
    "ReLU",
    "Embedding",
    "MultiheadAttention",
    "ConvTranspose2d",
    "Conv1d",
    "PReLU",
    "InstanceNorm2d",
    "Sequential",
    "Dropout",
    "_NormBase",
    # never match: wrong case, trailing space, a project class the toy does not hold
    "conv2d",
    "Conv2d ",
    "MyBlock",
    "BN",
]
OVERRIDE_NAMES = ["fc", "cls", "reg", "bn"]

numbers = st.one_of(
    st.integers(-5, 5), st.booleans(), st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
)
non_negative = st.one_of(st.integers(0, 5), st.floats(0, 1e3, allow_nan=False))
positive = st.one_of(st.integers(1, 5), st.floats(1e-3, 1e3, allow_nan=False))
junk = st.sampled_from(["0.1", None, [1], (1,), {"a": 1}])


def _either(valid: st.SearchStrategy[Any], *bad: Any) -> st.SearchStrategy[Any]:
    mistakes = [st.sampled_from(bad)] if bad else []
    return st.one_of(*[valid] * 8, *mistakes, junk)


# mmcv's own classes (mmcv 1.x's toy holds them): no weights, a conv, a float `bias`.
MMCV_LAYERS = ["ConvModule", "ConvWS2d", "FFN", "Scale", "DepthwiseSeparableConvModule", "HSigmoid"]
layer_names = st.sampled_from(LAYERS)
layers = st.one_of(
    layer_names,
    st.lists(layer_names, min_size=1, max_size=3),
    st.sampled_from([("Conv2d",), [["Conv2d"]], [1], 5, None, []]),
)


def _layer_names(target: str) -> st.SearchStrategy[Any]:
    return layer_names if target == "mmengine" else st.sampled_from(LAYERS + MMCV_LAYERS)


def _layers(target: str) -> st.SearchStrategy[Any]:
    if target == "mmengine":
        return layers
    names = _layer_names(target)
    return st.one_of(
        names,
        st.lists(names, min_size=1, max_size=3),
        st.sampled_from([("Conv2d",), [["Conv2d"]], [1], 5, None, []]),
    )


ARGS: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "Constant": {"val": _either(numbers, "1")},
    "Xavier": {
        "gain": _either(non_negative, -1, -0.5),
        "distribution": _either(st.sampled_from(["normal", "uniform"]), "gaussian", "Normal"),
    },
    "Normal": {"mean": _either(numbers), "std": _either(non_negative, -1, -0.01)},
    "TruncNormal": {
        "mean": _either(numbers),
        "std": _either(positive, 0, 0.0, -1),
        "a": _either(st.integers(-3, 0)),
        "b": _either(st.integers(0, 3), -4),
    },
    "Uniform": {"a": _either(st.integers(-3, 0)), "b": _either(st.integers(0, 3), -4)},
    "Kaiming": {
        "a": _either(numbers, "x"),
        "mode": _either(st.sampled_from(["fan_in", "fan_out", "FAN_IN"]), "fan", 1),
        "nonlinearity": _either(
            st.sampled_from(["relu", "leaky_relu", "linear", "tanh"]), "ReLU", "gelu"
        ),
        "distribution": _either(st.sampled_from(["normal", "uniform"]), "gaussian"),
    },
    "Caffe2Xavier": {},
    "Pretrained": {
        "checkpoint": st.sampled_from(
            [
                CHECKPOINT,
                CHECKPOINT,
                CHECKPOINT,
                "",
                "torchvison://resnet50",
                "HTTPS://x.pth",
                "hf://org/model",
                "open-mmlab://no_such_model",
                "open-mmlab://resnet50_caffe_bgr",
                "mmcls://no_such_model",
                5,
                None,
            ]
        ),
        "prefix": st.sampled_from([None, "backbone", "backbone.", "", 5]),
        "map_location": st.sampled_from(["cpu", None]),
    },
}
COMMON = {
    "bias": _either(numbers),
    "bias_prob": _either(st.sampled_from([0.01, 0.1, 0.5, 0.99]), 1, 0.0, 1.0, 1.5, -0.1, True),
    "layer": layers,
}
MISSPELLED = {
    "std": "stddev",
    "gain": "gian",
    "mean": "mena",
    "distribution": "distrbution",
    "val": "value",
    "layer": "layers",
    "bias": "biass",
    "checkpoint": "ckpt",
    "prefix": "prefx",
    "mode": "Mode",
}
FOREIGN_ARGS = [
    "std",
    "val",
    "checkpoint",
    "layer",
    "gain",
    "mode",
    "a",
    "bias",
    "_delete_",
    "override",
]


def type_spellings(name: str, target: str = "mmengine") -> st.SearchStrategy[Any]:
    mistakes = [
        name.lower(),
        name + "Init",
        name[:2] + name[3] + name[2] + name[4:],
        name + " ",
        f"mmengine.{name}x",
        f"mmengine.model.{name}Init",
        f"mmengine.model.weight_init.{name}Init",
        f"mmengine.{name}",
        f"mmdet.{name}",
        None,
        5,
    ]
    classes = {
        "Constant": [ConstantInit, functools.partial(ConstantInit, val=1)],
        "Pretrained": [PretrainedInit],
    }
    mistakes += classes.get(name, [])
    if target == "mmcv1":  # mmcv's own scope, its import paths, its classes
        from .runtime_oracle_mmcv1 import mmcv

        weight_init = mmcv.cnn.utils.weight_init
        mistakes += [
            f"mmcv.{name}",
            f"mmcv.{name}x",
            f"mmcv.cnn.{name}Init",
            f"mmcv.cnn.utils.weight_init.{name}Init",
            getattr(weight_init, f"{name}Init"),
        ]
    return st.one_of(*[st.just(name)] * 8, st.sampled_from(mistakes))


@st.composite
def entry_args(
    draw: st.DrawFn, name: str, in_override: bool = False, target: str = "mmengine"
) -> dict[str, Any]:
    domain = dict(ARGS[name])
    if name != "Pretrained":
        domain.update(COMMON)
        domain["layer"] = _layers(target)
        if in_override:
            domain.pop("layer")
    args: dict[str, Any] = {}
    for key, strategy in domain.items():
        required = key in ("val", "checkpoint")
        # Hypothesis favours 0 and the first choices: make those the valid ones.
        if (required and draw(st.integers(0, 9)) < 9) or draw(st.booleans()):
            args[key] = draw(strategy)
    if (
        name not in ("Pretrained",)
        and not in_override
        and "layer" not in args
        and draw(st.integers(0, 3)) < 3
    ):
        args["layer"] = draw(_layer_names(target))
    for _ in range(draw(st.integers(0, 2)) if draw(st.integers(0, 2)) == 2 else 0):
        mutation = draw(st.sampled_from(["misspell", "foreign", "scope"]))
        if mutation == "misspell" and args:
            key = draw(st.sampled_from(sorted(args)))
            if key in MISSPELLED:
                args[MISSPELLED[key]] = args.pop(key)
        elif mutation == "foreign":
            key = draw(st.sampled_from(FOREIGN_ARGS))
            args[key] = {"_delete_": True, "override": {"name": "fc"}}.get(key, 1)
        else:
            args["_scope_"] = "mmengine"
    return args


@st.composite
def override_item(draw: st.DrawFn, target: str = "mmengine") -> Any:
    name = draw(st.sampled_from(OVERRIDE_NAMES))
    kind = draw(
        st.sampled_from(
            ["name"] * 4
            + ["typed"] * 6
            + ["args-no-type", "no-name", "name-none", "name-int", "dotted", "empty", "str"]
        )
    )
    if kind == "name":
        return {"name": name}
    if kind == "str":
        return name
    type_name = draw(st.sampled_from(TYPES))
    item = {
        "type": draw(type_spellings(type_name, target)),
        **draw(entry_args(type_name, True, target)),
    }
    if kind == "args-no-type":
        item.pop("type")
        item.setdefault("std", 0.1)
    names = {"no-name": None, "name-none": None, "name-int": 5, "dotted": f"{name}.0", "empty": ""}
    if kind == "no-name":
        return item
    item["name"] = names.get(kind, name)
    return item


@st.composite
def entry(draw: st.DrawFn, target: str = "mmengine") -> Any:
    name = draw(st.sampled_from(TYPES))
    value: dict[str, Any] = {
        "type": draw(type_spellings(name, target)),
        **draw(entry_args(name, target=target)),
    }
    if draw(st.integers(0, 9)) == 9:
        value.pop("type")
    shape = draw(st.sampled_from(["none"] * 4 + ["dict"] * 2 + ["list"] * 2 + ["tuple", "str"]))
    if shape == "dict":
        value["override"] = draw(override_item(target))
    elif shape in ("list", "tuple"):
        items = draw(st.lists(override_item(target), min_size=0, max_size=2))
        value["override"] = items if shape == "list" else tuple(items)
    elif shape == "str":
        value["override"] = draw(st.sampled_from(["fc", None]))
    return value


@st.composite
def init_cfgs(draw: st.DrawFn, target: str = "mmengine") -> Any:
    """Values for `target`'s runtime ("mmengine" or "mmcv1": mmcv's spellings and classes)."""
    shape = draw(st.sampled_from(["dict"] * 4 + ["list"] * 4 + ["tuple", "odd"]))
    if shape == "dict":
        return draw(entry(target))
    if shape == "odd":
        return draw(
            st.sampled_from(
                [
                    "abc",
                    5,
                    True,
                    None,
                    [],
                    {},
                    0,
                    [None],
                    ["Constant"],
                    [[{"type": "Constant", "val": 1}]],
                ]
            )
        )
    items = draw(st.lists(entry(target), min_size=1, max_size=3))
    if draw(st.integers(0, 9)) == 9:
        items.insert(draw(st.integers(0, len(items))), draw(st.sampled_from([None, "x", [1]])))
    return items if shape == "list" else tuple(items)
