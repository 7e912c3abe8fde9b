"""Hand-written cases for every row of grammar.md §3 (top-level shape), §5 (initializer
arguments, tables 5.1 and 5.2) and §7 (override), with §6 (layer matching) where a row needs it.

Each case is `(id, value, expected_codes)`: `expected_codes` is the exact sorted list of
error-severity codes `validate_init_cfg(value)` must return. Every case is also run through the
real runtime (`tests/runtime_oracle.py`: a toy `BaseModule` holding every layer the value names
and a Conv2d for every override name) and initlint must report an error exactly when
`init_weights()` raises. The id names the grammar.md tag of the row (`[A24]` → "A24-...");
rows without a tag are named after their table ("T5.2-...").

`WARNINGS` adds the exact warning codes for rows about silent no-ops or suspicious values, and
`RAISES` pins what the runtime raises (type and a fragment of the message, as grammar.md quotes
it where it does), so that a case cannot pass because the toy module failed for an unrelated
reason. Disagreements on purpose are listed in EXPLAINED with their reason.

Values containing the string `CKPT` get it replaced by the path of a local checkpoint file
(written with `torch.save` into `tmp_path`), so no row depends on the network.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmengine.config import ConfigDict
from mmengine.model import initialize

from initlint import validate_init_cfg

from .runtime_oracle import runtime_error

CKPT = "<CKPT>"
NAN = float("nan")

C = dict(type="Constant", val=1, layer="Conv2d")  # a valid entry, reused below


def const(**kwargs: Any) -> dict[str, Any]:
    return dict(type="Constant", val=1, layer="Conv2d", **kwargs)


def ovr(override: Any, **parent: Any) -> dict[str, Any]:
    """A valid parent entry (Constant on Conv2d unless told otherwise) with this override."""
    entry: dict[str, Any] = dict(type="Constant", val=1, layer="Conv2d")
    entry.update(parent)
    entry["override"] = override
    return entry


# --------------------------------------------------------------------------------------------
# §3.1 `initialize(module, init_cfg)`: the rows as BaseModule consumes the value (initlint
# models `BaseModule.init_weights()`); what plain `initialize()` raises on them is pinned in
# test_initialize_top_level below.
# --------------------------------------------------------------------------------------------
CASES_3_1: list[Any] = [
    ("A09-dict", dict(C), []),
    ("A11-configdict", ConfigDict(type="Constant", val=1, layer="Conv2d"), []),
    ("A11-dict-subclass-ordereddict", OrderedDict(C), []),
    ("A10-list-of-dicts-in-order", [dict(C), dict(type="Normal", std=0.01, layer="Conv2d")], []),
    ("A02-empty-list-noop", [], []),
    ("A01-none-noop-in-basemodule", None, []),
    ("A04-tuple-works-in-basemodule", (dict(C),), []),
    ("A08-int-top-level", 3, ["IL001"]),
    ("A01-str-top-level", "Constant", ["IL001"]),
    ("A03-empty-dict-noop-in-basemodule", {}, []),
    ("A05-list-item-none", [dict(C), None], ["IL001"]),
    ("A06-list-item-str", ["Constant"], ["IL001"]),
    ("A06-list-item-tuple", [(dict(C),)], ["IL001"]),
    ("A07-list-item-nested-list", [[dict(C)]], ["IL001"]),
    (
        "A12-no-atomicity-later-entry-fails",
        [dict(C), dict(type="Constant", layer="Conv2d")],
        ["IL005"],
    ),
    ("A12-entry-order-override-after-layer", ovr(dict(name="head", type="Constant", val=2)), []),
]

# --------------------------------------------------------------------------------------------
# §3.2 `BaseModule(init_cfg=...).init_weights()`
# --------------------------------------------------------------------------------------------
CASES_3_2: list[Any] = [
    ("A20-falsy-none", None, []),
    ("A21-falsy-empty-dict", {}, []),
    ("A22-falsy-empty-list", [], []),
    ("A28-falsy-zero", 0, []),
    ("A28-falsy-empty-str", "", []),
    ("A28-falsy-empty-tuple", (), []),
    ("A28-falsy-false", False, []),
    ("A23-tuple-of-dicts", (dict(C), dict(type="Normal", layer="Linear")), []),
    ("A27-truthy-int", 1, ["IL001"]),
    ("A27-truthy-float", 1.5, ["IL001"]),
    ("A27-truthy-true", True, ["IL001"]),
    ("A27-truthy-range-iterated", range(2), ["IL001", "IL001"]),
    ("A27-truthy-frozenset-iterated", frozenset({"Constant"}), ["IL001"]),
    ("A26-str-iterated-per-char", "Kaiming", ["IL001"]),
    ("A24-list-item-none", [None], ["IL001"]),
    ("A25-list-item-str", ["Kaiming"], ["IL001"]),
    ("A26-list-item-nested-list", [[dict(C)]], ["IL001"]),
    ("A34-tuple-item-none", (None,), ["IL001"]),
    ("A34-list-item-int", [dict(C), 1], ["IL001"]),
    ("A29-missing-type", dict(val=1, layer="Conv2d"), ["IL002"]),
    ("A29-missing-type-in-list", [dict(C), dict(layer="Conv2d")], ["IL002"]),
    ("A29-empty-dict-item-is-truthy-list", [{}], ["IL002"]),
    ("A29-empty-dict-item-in-tuple", (dict(C), {}), ["IL002"]),
    ("A30-shape-checked-before-apply", [dict(C), None], ["IL001"]),
    ("A31-type-none", dict(type=None, layer="Conv2d"), ["IL003"]),
]

# --------------------------------------------------------------------------------------------
# §5.1 common BaseInit kwargs: bias, bias_prob, layer, unknown kwargs
# --------------------------------------------------------------------------------------------
CASES_5_1: list[Any] = [
    # bias: isinstance(bias, (int, float)) at construction
    ("T5.1-bias-default", dict(C), []),
    ("T5.1-bias-int", const(bias=2), []),
    ("T5.1-bias-float", const(bias=0.5), []),
    ("C08-bias-bool", const(bias=True), []),
    ("C09-bias-numpy-float32", const(bias=np.float32(0.1)), ["IL006"]),
    ("C06-bias-str", const(bias="0"), ["IL006"]),
    ("C07-bias-none", const(bias=None), ["IL006"]),
    ("C56-bias-nan", const(bias=NAN), []),
    ("C56-bias-inf", const(bias=float("inf")), []),
    ("C09-bias-complex", const(bias=1 + 0j), ["IL006"]),
    ("C56-bias-beyond-float32", const(bias=1e39), ["IL006"]),
    ("C56-bias-int-beyond-int64", dict(type="Normal", bias=2**64, layer="Conv2d"), ["IL006"]),
    (
        "C56-bias-beyond-float32-no-match-silent",
        dict(type="Constant", val=1, bias=1e39, layer="conv2d"),
        [],
    ),
    (
        "C06-bias-str-checked-at-construction-without-match",
        dict(type="Constant", val=1, bias="0", layer="conv2d"),
        ["IL006"],
    ),
    (
        "C06-bias-str-in-typed-override",
        ovr(dict(name="head", type="Constant", val=1, bias="x")),
        ["IL006"],
    ),
    # bias_prob: exactly a float, not 0.0; overrides bias
    ("C10-bias-prob-float", const(bias_prob=0.01), []),
    ("C10-bias-prob-none", const(bias_prob=None), []),
    ("C10-bias-prob-numpy-float64-is-a-float", const(bias_prob=np.float64(0.01)), []),
    ("C11-bias-prob-int", const(bias_prob=1), ["IL006"]),
    ("C11-bias-prob-int-zero", const(bias_prob=0), ["IL006"]),
    ("C11-bias-prob-numpy-float32", const(bias_prob=np.float32(0.01)), ["IL006"]),
    ("C16-bias-prob-str", const(bias_prob="0.01"), ["IL006"]),
    ("C11-bias-prob-bool", const(bias_prob=True), ["IL006"]),
    ("C12-bias-prob-zero", const(bias_prob=0.0), ["IL006"]),
    ("C12-bias-prob-negative-zero", const(bias_prob=-0.0), ["IL006"]),
    ("C12-bias-prob-numpy-float64-zero", const(bias_prob=np.float64(0.0)), []),
    (
        "C12-bias-prob-zero-at-construction-without-match",
        dict(type="Normal", bias_prob=0.0, layer="conv2d"),
        ["IL006"],
    ),
    ("C13-bias-prob-one", const(bias_prob=1.0), []),
    ("C14-bias-prob-above-one", const(bias_prob=1.5), []),
    ("C14-bias-prob-negative", const(bias_prob=-0.5), []),
    ("C14-bias-prob-nan", const(bias_prob=NAN), []),
    ("C15-bias-prob-overrides-bias", const(bias=1, bias_prob=0.01), []),
    # layer: str or list only; items unchecked; unhashable items fail at call time
    ("T5.1-layer-str", dict(C), []),
    ("T5.1-layer-list", dict(type="Constant", val=1, layer=["Conv2d", "Linear"]), []),
    ("C17-layer-tuple", dict(type="Constant", val=1, layer=("Conv2d",)), ["IL006"]),
    ("C17-layer-int", dict(type="Constant", val=1, layer=1), ["IL006"]),
    (
        "C17-layer-tuple-in-typed-override",
        ovr(dict(name="head", type="Constant", val=1, layer=("Conv2d",))),
        ["IL006"],
    ),
    ("C22-layer-class", dict(type="Constant", val=1, layer=nn.Conv2d), ["IL006"]),
    ("C18-layer-non-str-item-beside-str", dict(type="Constant", val=1, layer=[1, "Conv2d"]), []),
    ("C23-layer-only-non-str-items", dict(type="Constant", val=1, layer=[1, 2.5, None]), []),
    ("C23-layer-class-item", dict(type="Constant", val=1, layer=[nn.Conv2d]), []),
    ("C23-layer-empty-str-item", dict(type="Constant", val=1, layer=[""]), []),
    ("C21-layer-unhashable-list-item", dict(type="Constant", val=1, layer=[["Conv2d"]]), ["IL006"]),
    ("C21-layer-unhashable-dict-item", dict(type="Constant", val=1, layer=[{"a": 1}]), ["IL006"]),
    (
        "C21-layer-unhashable-item-fails-without-match",
        dict(type="Normal", layer=["conv2d", ["Linear"]]),
        ["IL006"],
    ),
    ("C20-layer-absent-noop", dict(type="Constant", val=1), []),
    ("C24-layer-none-noop", dict(type="Constant", val=1, layer=None), []),
    ("C25-layer-empty-list-noop", dict(type="Constant", val=1, layer=[]), []),
    ("C19-layer-wrong-case-matches-nothing", dict(type="Constant", val=1, layer="conv2d"), []),
    ("C19-layer-trailing-space-matches-nothing", dict(type="Constant", val=1, layer="Conv2d "), []),
    ("D02-layer-module", dict(type="Constant", val=1, layer="Module"), []),
    ("D01-layer-direct-base-convnd", dict(type="Xavier", layer="_ConvNd"), []),
    # unknown kwargs: TypeError naming BaseInit
    ("C02-unknown-kwarg", const(foo=1), ["IL004"]),
    (
        "C02-unknown-kwarg-at-construction-without-match",
        dict(type="Constant", val=1, foo=1),
        ["IL004"],
    ),
    ("C03-normal-sigma", dict(type="Normal", sigma=0.01, layer="Conv2d"), ["IL004"]),
    ("C03-normal-stddev", dict(type="Normal", stddev=1, layer="Conv2d"), ["IL004"]),
    ("C04-std-on-constant", const(std=0.01), ["IL004"]),
    ("C05-val-on-normal", dict(type="Normal", val=1, layer="Conv2d"), ["IL004"]),
    # The same rule (IL202) as in a config file, where merging left `_delete_` behind.
    ("H10-delete-leftover", const(_delete_=True), ["IL202"]),
    (
        "H24-checkpoint-on-kaiming",
        dict(type="Kaiming", checkpoint="a.pth", layer="Conv2d"),
        ["IL004"],
    ),
]

# --------------------------------------------------------------------------------------------
# §5.2 per initializer: own kwargs, construction-time and call-time checks
# ("call-time" only when a module is initialized [C27,C49])
# --------------------------------------------------------------------------------------------
CASES_5_2: list[Any] = [
    # Constant
    ("C01-constant-missing-val", dict(type="Constant", layer="Conv2d"), ["IL005"]),
    ("C01-constant-missing-val-without-match", dict(type="Constant", layer="conv2d"), ["IL005"]),
    ("C47-constant-val-str", dict(type="Constant", val="1", layer="Conv2d"), ["IL006"]),
    ("C48-constant-val-none", dict(type="Constant", val=None, layer="Conv2d"), ["IL006"]),
    ("C48-constant-val-list", dict(type="Constant", val=[1], layer="Conv2d"), ["IL006"]),
    (
        "C47-constant-val-numpy-float32",
        dict(type="Constant", val=np.float32(1), layer="Conv2d"),
        [],
    ),
    ("C47-constant-val-complex", dict(type="Constant", val=1 + 0j, layer="Conv2d"), []),
    ("C49-constant-val-str-no-match-silent", dict(type="Constant", val="1", layer="conv2d"), []),
    (
        "C49-constant-val-str-parameterless-match-silent",
        dict(type="Constant", val="1", layer="ReLU"),
        [],
    ),
    ("T5.2-constant-val-negative-float", dict(type="Constant", val=-2.5, layer="Conv2d"), []),
    ("T5.2-constant-val-bool", dict(type="Constant", val=True, layer="Conv2d"), []),
    (
        "T5.2-constant-val-beyond-float32",
        dict(type="Constant", val=1e39, layer="Conv2d"),
        ["IL006"],
    ),
    (
        "T5.2-constant-val-int-beyond-int64",
        dict(type="Constant", val=2**64, layer="Conv2d"),
        ["IL006"],
    ),
    ("T5.2-constant-val-huge-int", dict(type="Constant", val=10**400, layer="Conv2d"), ["IL006"]),
    ("T5.2-constant-on-norm-layer", dict(type="Constant", val=1, layer="BatchNorm2d"), []),
    # Xavier
    ("T5.2-xavier-defaults", dict(type="Xavier", layer="Conv2d"), []),
    (
        "C26-xavier-distribution-uniform",
        dict(type="Xavier", distribution="uniform", gain=2, layer="Conv2d"),
        [],
    ),
    (
        "C26-xavier-distribution-bad",
        dict(type="Xavier", distribution="x", layer="Conv2d"),
        ["IL006"],
    ),
    (
        "C27-xavier-distribution-bad-no-match-silent",
        dict(type="Xavier", distribution="x", layer="conv2d"),
        [],
    ),
    ("C27-xavier-distribution-bad-no-layer-silent", dict(type="Xavier", distribution="x"), []),
    (
        "C26-xavier-distribution-bad-parameterless-match",
        dict(type="Xavier", distribution="x", layer="ReLU"),
        ["IL006"],
    ),
    ("C28-xavier-gain-str", dict(type="Xavier", gain="1", layer="Conv2d"), ["IL006"]),
    ("C61-xavier-gain-negative", dict(type="Xavier", gain=-1, layer="Conv2d"), ["IL006"]),
    ("C61-xavier-gain-zero", dict(type="Xavier", gain=0, layer="Conv2d"), []),
    ("C61-xavier-gain-nan", dict(type="Xavier", gain=NAN, layer="Conv2d"), ["IL006"]),
    (
        "C61-xavier-gain-negative-uniform",
        dict(type="Xavier", gain=-1, distribution="uniform", layer="Conv2d"),
        ["IL006"],
    ),
    ("C61-xavier-gain-inf-normal", dict(type="Xavier", gain=float("inf"), layer="Conv2d"), []),
    (
        "C61-xavier-gain-inf-uniform",
        dict(type="Xavier", gain=float("inf"), distribution="uniform", layer="Conv2d"),
        ["IL006"],
    ),
    ("C28-xavier-gain-huge-int", dict(type="Xavier", gain=10**400, layer="Conv2d"), ["IL006"]),
    ("C57-xavier-on-batchnorm", dict(type="Xavier", layer="BatchNorm2d"), ["IL014"]),
    ("C57-xavier-on-layernorm", dict(type="Xavier", layer=["Conv2d", "LayerNorm"]), ["IL014"]),
    ("D26-xavier-on-embedding-2d-weight", dict(type="Xavier", layer="Embedding"), []),
    # Normal
    ("T5.2-normal-defaults", dict(type="Normal", layer="Conv2d"), []),
    ("T5.2-normal-mean-std", dict(type="Normal", mean=0.5, std=0.01, layer="Linear"), []),
    ("C38-normal-std-negative", dict(type="Normal", std=-1, layer="Conv2d"), ["IL006"]),
    ("C38-normal-std-negative-no-match-silent", dict(type="Normal", std=-1, layer="conv2d"), []),
    ("C39-normal-std-zero", dict(type="Normal", std=0, layer="Conv2d"), []),
    ("C40-normal-mean-str", dict(type="Normal", mean="0", layer="Conv2d"), ["IL006"]),
    ("C40-normal-mean-none", dict(type="Normal", mean=None, layer="Conv2d"), ["IL006"]),
    ("C38-normal-std-nan", dict(type="Normal", std=NAN, layer="Conv2d"), ["IL006"]),
    ("C39-normal-std-inf", dict(type="Normal", std=float("inf"), layer="Conv2d"), []),
    ("C40-normal-std-numpy-float32", dict(type="Normal", std=np.float32(0.5), layer="Conv2d"), []),
    ("T5.2-normal-on-norm-layer", dict(type="Normal", layer="BatchNorm2d"), []),
    # TruncNormal
    ("T5.2-truncnormal-defaults", dict(type="TruncNormal", layer="Linear"), []),
    # a > b and std < 0 cancel out in the runtime's arithmetic: no error
    (
        "T5.2-truncnormal-a-gt-b-with-negative-std",
        dict(type="TruncNormal", std=-1, a=3, b=-3, layer="Conv2d"),
        [],
    ),
    (
        "T5.2-truncnormal-all-args",
        dict(type="TruncNormal", mean=0, std=0.02, a=-0.04, b=0.04, layer="Linear"),
        [],
    ),
    ("C44-truncnormal-std-zero-int", dict(type="TruncNormal", std=0, layer="Linear"), ["IL006"]),
    (
        "C44-truncnormal-std-zero-float",
        dict(type="TruncNormal", std=0.0, layer="Linear"),
        ["IL006"],
    ),
    (
        "C43-truncnormal-a-greater-than-b",
        dict(type="TruncNormal", a=2, b=-2, layer="Linear"),
        ["IL006"],
    ),
    ("C46-truncnormal-std-negative", dict(type="TruncNormal", std=-1, layer="Linear"), ["IL006"]),
    ("C46-truncnormal-std-nan", dict(type="TruncNormal", std=NAN, layer="Linear"), ["IL006"]),
    (
        "C45-truncnormal-infinite-bounds",
        dict(type="TruncNormal", a=-float("inf"), b=float("inf"), layer="Linear"),
        [],
    ),
    (
        "C45-truncnormal-mean-far-outside-only-warns",
        dict(type="TruncNormal", mean=10, std=1, a=-2, b=2, layer="Linear"),
        [],
    ),
    (
        "C49-truncnormal-std-zero-no-match-silent",
        dict(type="TruncNormal", std=0, layer="linear"),
        [],
    ),
    # Uniform
    ("T5.2-uniform-defaults", dict(type="Uniform", layer="Conv2d"), []),
    ("C41-uniform-a-greater-than-b", dict(type="Uniform", a=1, b=0, layer="Conv2d"), ["IL006"]),
    ("C42-uniform-a-equals-b", dict(type="Uniform", a=0.5, b=0.5, layer="Conv2d"), []),
    ("C41-uniform-b-inf", dict(type="Uniform", b=float("inf"), layer="Conv2d"), ["IL006"]),
    ("C41-uniform-a-beyond-float32", dict(type="Uniform", a=-1e39, layer="Conv2d"), ["IL006"]),
    (
        "C49-uniform-a-greater-than-b-no-match-silent",
        dict(type="Uniform", a=1, b=0, layer="conv2d"),
        [],
    ),
    # Kaiming
    ("T5.2-kaiming-defaults", dict(type="Kaiming", layer="Conv2d"), []),
    (
        "C31-kaiming-distribution-bad",
        dict(type="Kaiming", distribution="x", layer="Conv2d"),
        ["IL006"],
    ),
    (
        "C31-kaiming-distribution-uniform",
        dict(type="Kaiming", distribution="uniform", layer="Conv2d"),
        [],
    ),
    ("C58-kaiming-mode-upper-case", dict(type="Kaiming", mode="FAN_IN", layer="Conv2d"), []),
    ("C29-kaiming-mode-bad", dict(type="Kaiming", mode="fan", layer="Conv2d"), ["IL006"]),
    ("C60-kaiming-mode-int", dict(type="Kaiming", mode=1, layer="Conv2d"), ["IL006"]),
    (
        "C30-kaiming-nonlinearity-gelu",
        dict(type="Kaiming", nonlinearity="gelu", layer="Conv2d"),
        ["IL006"],
    ),
    (
        "C59-kaiming-nonlinearity-case-sensitive",
        dict(type="Kaiming", nonlinearity="ReLU", layer="Conv2d"),
        ["IL006"],
    ),
    (
        "C30-kaiming-nonlinearity-each-valid",
        [
            dict(type="Kaiming", nonlinearity=n, layer="Conv2d")
            for n in (
                "linear",
                "conv1d",
                "conv2d",
                "conv3d",
                "conv_transpose1d",
                "conv_transpose2d",
                "conv_transpose3d",
                "sigmoid",
                "tanh",
                "relu",
                "leaky_relu",
                "selu",
            )
        ],
        [],
    ),
    (
        "C33-kaiming-a-str-with-leaky-relu",
        dict(type="Kaiming", a="0.1", nonlinearity="leaky_relu", layer="Conv2d"),
        ["IL006"],
    ),
    (
        "C62-kaiming-a-bool-with-leaky-relu",
        dict(type="Kaiming", a=True, nonlinearity="leaky_relu", layer="Conv2d"),
        ["IL006"],
    ),
    (
        "C33-kaiming-a-float-with-leaky-relu",
        dict(type="Kaiming", a=0.1, nonlinearity="leaky_relu", layer="Conv2d"),
        [],
    ),
    ("C32-kaiming-a-str-ignored-with-relu", dict(type="Kaiming", a="x", layer="Conv2d"), []),
    (
        "C33-kaiming-a-none-with-leaky-relu",
        dict(type="Kaiming", a=None, nonlinearity="leaky_relu", layer="Conv2d"),
        [],
    ),
    (
        "C62-kaiming-a-numpy-float32-with-leaky-relu",
        dict(type="Kaiming", a=np.float32(0.1), nonlinearity="leaky_relu", layer="Conv2d"),
        ["IL006"],
    ),
    (
        "C33-kaiming-a-huge-with-leaky-relu",
        dict(type="Kaiming", a=1e200, nonlinearity="leaky_relu", layer="Conv2d"),
        ["IL006"],
    ),
    (
        "C33-kaiming-a-inf-with-leaky-relu",
        dict(type="Kaiming", a=float("inf"), nonlinearity="leaky_relu", layer="Conv2d"),
        [],
    ),
    (
        "C33-kaiming-a-nan-with-leaky-relu",
        dict(type="Kaiming", a=NAN, nonlinearity="leaky_relu", layer="Conv2d"),
        ["IL006"],
    ),
    (
        "C31-kaiming-distribution-bad-parameterless-match",
        dict(type="Kaiming", distribution="x", layer="ReLU"),
        ["IL006"],
    ),
    (
        "C29-kaiming-mode-bad-parameterless-match-silent",
        dict(type="Kaiming", mode="x", layer="ReLU"),
        [],
    ),
    (
        "C27-kaiming-bad-values-no-match-silent",
        dict(type="Kaiming", mode="x", nonlinearity="gelu", distribution="x", layer="conv2d"),
        [],
    ),
    ("D20-kaiming-on-batchnorm", dict(type="Kaiming", layer="BatchNorm2d"), ["IL014"]),
    ("D21-kaiming-on-groupnorm", dict(type="Kaiming", layer=["Conv2d", "GroupNorm"]), ["IL014"]),
    ("D24-kaiming-on-batchnorm-base", dict(type="Kaiming", layer="_BatchNorm"), ["IL014"]),
    ("D05-grand-base-matches-nothing", dict(type="Xavier", layer="_NormBase"), []),
    (
        "D07-multiheadattention-has-no-weight",
        dict(type="Constant", val="x", layer="MultiheadAttention"),
        [],
    ),
    # Caffe2Xavier
    ("T5.2-caffe2xavier-defaults", dict(type="Caffe2Xavier", layer="Conv2d"), []),
    ("C35-caffe2xavier-a", dict(type="Caffe2Xavier", a=1, layer="Conv2d"), ["IL004"]),
    ("C36-caffe2xavier-mode", dict(type="Caffe2Xavier", mode="fan_in", layer="Conv2d"), ["IL004"]),
    (
        "C36-caffe2xavier-nonlinearity",
        dict(type="Caffe2Xavier", nonlinearity="leaky_relu", layer="Conv2d"),
        ["IL004"],
    ),
    (
        "C36-caffe2xavier-distribution",
        dict(type="Caffe2Xavier", distribution="uniform", layer="Conv2d"),
        ["IL004"],
    ),
    (
        "C36-caffe2xavier-fixed-arg-without-match",
        dict(type="Caffe2Xavier", mode="fan_in", layer="conv2d"),
        ["IL004"],
    ),
    ("C37-caffe2xavier-bias-and-layer", dict(type="Caffe2Xavier", bias=0.1, layer=["Conv2d"]), []),
    ("C37-caffe2xavier-bias-prob", dict(type="Caffe2Xavier", bias_prob=0.01, layer="Conv2d"), []),
    ("D23-caffe2xavier-on-batchnorm", dict(type="Caffe2Xavier", layer="BatchNorm2d"), ["IL014"]),
    # Pretrained (loading itself: §9)
    ("C53-pretrained-local-checkpoint", dict(type="Pretrained", checkpoint=CKPT), []),
    (
        "G20-pretrained-map-location-none",
        dict(type="Pretrained", checkpoint=CKPT, map_location=None),
        [],
    ),
    ("F10-pretrained-prefix", dict(type="Pretrained", checkpoint=CKPT, prefix="backbone"), []),
    ("C50-pretrained-missing-checkpoint", dict(type="Pretrained"), ["IL005"]),
    ("C51-pretrained-layer", dict(type="Pretrained", checkpoint=CKPT, layer="Conv2d"), ["IL004"]),
    ("C52-pretrained-bias", dict(type="Pretrained", checkpoint=CKPT, bias=0), ["IL004"]),
    (
        "C52-pretrained-bias-prob",
        dict(type="Pretrained", checkpoint=CKPT, bias_prob=0.01),
        ["IL004"],
    ),
    (
        "C52-pretrained-unknown-kwarg",
        dict(type="Pretrained", checkpoint=CKPT, strict=True),
        ["IL004"],
    ),
    ("G10-pretrained-checkpoint-none", dict(type="Pretrained", checkpoint=None), ["IL006"]),
    ("G11-pretrained-checkpoint-int", dict(type="Pretrained", checkpoint=1), ["IL006"]),
    ("G21-pretrained-prefix-empty", dict(type="Pretrained", checkpoint=CKPT, prefix=""), ["IL006"]),
    ("G18-pretrained-prefix-int", dict(type="Pretrained", checkpoint=CKPT, prefix=1), ["IL006"]),
    (
        "G04-pretrained-misspelled-scheme",
        dict(type="Pretrained", checkpoint="torchvison://resnet50"),
        ["IL013"],
    ),
    (
        "G12-pretrained-upper-case-scheme",
        dict(type="Pretrained", checkpoint="HTTPS://download.openmmlab.com/x.pth"),
        ["IL013"],
    ),
    (
        "G06-pretrained-unknown-openmmlab-name",
        dict(type="Pretrained", checkpoint="open-mmlab://resnet50_v9"),
        ["IL013"],
    ),
    (
        "G07-pretrained-unknown-mmcls-name",
        dict(type="Pretrained", checkpoint="mmcls://resnet5"),
        ["IL013"],
    ),
    (
        "G17-pretrained-broken-deprecated-alias",
        dict(type="Pretrained", checkpoint="open-mmlab://resnet50_caffe_bgr"),
        ["IL013"],
    ),
    # Anything with '://' that no loader claims is read as a local file (item 6).
    (
        "G22-pretrained-scheme-double-colon",
        dict(type="Pretrained", checkpoint="open-mmlab:://resnet50_v1c"),
        ["IL013"],
    ),
    (
        "G22-pretrained-url-double-colon",
        dict(type="Pretrained", checkpoint="https:://download.openmmlab.com/x.pth"),
        ["IL013"],
    ),
    (
        "G22-pretrained-torchvision-double-colon",
        dict(type="Pretrained", checkpoint="torchvision:://resnet50"),
        ["IL013"],
    ),
    ("G22-pretrained-file-url", dict(type="Pretrained", checkpoint="file:///tmp/x.pth"), ["IL013"]),
    # By design (design.md §4): the runtime raises FileNotFoundError, initlint warns (IL108):
    # releases ship checkpoint='' as a template filled in with --cfg-options.
    ("G16-pretrained-checkpoint-empty-placeholder", dict(type="Pretrained", checkpoint=""), []),
]

# --------------------------------------------------------------------------------------------
# §7 override
# --------------------------------------------------------------------------------------------
CASES_7: list[Any] = [
    # 7.1 dict or list; None / [] are no override
    ("E10-override-str", ovr("head"), ["IL009"]),
    ("E27-override-tuple", ovr((dict(name="head"),)), ["IL009"]),
    ("E10-override-int", ovr(1), ["IL009"]),
    ("E10-override-false", ovr(False), ["IL009"]),
    ("E12-override-none", ovr(None), []),
    ("E11-override-empty-list", ovr([]), []),
    ("E11-override-list", ovr([dict(name="head"), dict(name="cls")]), []),
    # 7.2 name popped: missing / None; items must be dicts
    ("E03-override-missing-name", ovr(dict(type="Constant", val=2)), ["IL007"]),
    ("E03-override-empty-dict", ovr({}), ["IL007"]),
    ("E03-override-missing-name-in-list", ovr([dict(name="head"), dict(val=2)]), ["IL007"]),
    ("E18-override-name-none", ovr(dict(name=None)), ["IL007"]),
    ("E18-override-name-none-typed", ovr(dict(name=None, type="Constant", val=2)), ["IL007"]),
    ("E13-override-item-str", ovr(["head"]), ["IL009"]),
    ("E13-override-item-none", ovr([dict(name="head"), None]), ["IL009"]),
    ("E13-override-item-nested-list", ovr([[dict(name="head")]]), ["IL009"]),
    # 7.3 name only: inherits type and kwargs (bias_prob, _scope_), not layer
    ("E01-name-only-inherits", ovr(dict(name="head")), []),
    (
        "E01-name-only-without-parent-layer",
        dict(type="Normal", std=0.01, override=dict(name="head")),
        [],
    ),
    ("E16-name-only-inherits-bias-prob", ovr(dict(name="head"), bias_prob=0.01), []),
    ("E16-name-only-inherits-scope", ovr(dict(name="head"), _scope_="mmengine"), []),
    (
        "E23-name-only-inherits-bad-distribution",
        dict(type="Xavier", distribution="x", layer="conv2d", override=dict(name="head")),
        ["IL006"],
    ),
    (
        "E23-name-only-inherits-bad-val-not-layer",
        dict(type="Constant", val="x", layer="ReLU", override=dict(name="head")),
        ["IL006"],
    ),
    (
        "E23-name-only-inherits-std-without-parent-layer",
        dict(type="Normal", std=-1, override=dict(name="head")),
        ["IL006"],
    ),
    (
        "E23-name-only-under-missing-val",
        dict(type="Constant", override=dict(name="head")),
        ["IL005"],
    ),
    (
        "E23-name-only-inherits-negative-gain",
        dict(type="Xavier", gain=-1, layer="conv2d", override=dict(name="head")),
        ["IL006"],
    ),
    (
        "E23-name-only-inherits-unhashable-layer-parent-fails",
        dict(type="Constant", val=1, layer=[["x"]], override=dict(name="head")),
        ["IL006"],
    ),
    ("E16-name-only-under-caffe2xavier", dict(type="Caffe2Xavier", override=dict(name="head")), []),
    (
        "F17-name-only-under-pretrained-inherits-checkpoint",
        dict(type="Pretrained", checkpoint=CKPT, override=dict(name="head")),
        [],
    ),
    # 7.4 other keys but no type
    ("E04-override-args-without-type", ovr(dict(name="head", val=2)), ["IL008"]),
    ("E04-override-bias-prob-without-type", ovr(dict(name="head", bias_prob=0.01)), ["IL008"]),
    ("E04-override-non-str-key-without-type", ovr({"name": "head", 1: 2}), ["IL008"]),
    ("E21-override-name-and-layer-without-type", ovr(dict(name="head", layer="Conv2d")), ["IL008"]),
    (
        "E29-override-name-and-scope-without-type",
        ovr(dict(name="head", _scope_="mmengine")),
        ["IL008"],
    ),
    (
        "E02-mix-name-only-and-typed",
        ovr([dict(name="head"), dict(name="cls", type="Normal", std=0.01)]),
        [],
    ),
    (
        "E02-mix-name-only-and-untyped-args",
        ovr([dict(name="head"), dict(name="cls", std=0.01)]),
        ["IL008"],
    ),
    # 7.5 type plus args: independent of the parent
    (
        "E05-typed-override-does-not-inherit-val",
        dict(type="Constant", val=0, layer="Conv2d", override=dict(name="bn", type="Constant")),
        ["IL005"],
    ),
    (
        "E24-typed-override-does-not-inherit-bad-arg",
        dict(
            type="Xavier",
            distribution="x",
            layer="conv2d",
            override=dict(name="head", type="Xavier"),
        ),
        [],
    ),
    ("E24-typed-override-own-args", ovr(dict(name="head", type="Normal", std=0.01, bias=1)), []),
    (
        "E24-typed-override-does-not-inherit-negative-std",
        dict(type="Normal", std=-1, layer="conv2d", override=[dict(name="head", type="Normal")]),
        [],
    ),
    (
        "E05-typed-override-pretrained-missing-checkpoint",
        ovr(dict(name="head", type="Pretrained")),
        ["IL005"],
    ),
    (
        "E05-typed-override-pretrained-checkpoint-none",
        ovr(dict(name="head", type="Pretrained", checkpoint=None)),
        ["IL006"],
    ),
    (
        "E05-typed-override-bias-prob-zero",
        ovr(dict(name="head", type="Normal", bias_prob=0.0)),
        ["IL006"],
    ),
    (
        "E25-typed-override-unknown-kwarg",
        ovr(dict(name="head", type="Constant", val=1, std=2)),
        ["IL004"],
    ),
    (
        "E25-typed-override-delete-leftover",
        ovr(dict(name="head", type="Normal", _delete_=True)),
        ["IL202"],
    ),
    (
        "E25-typed-override-caffe2xavier-fixed-arg",
        ovr(dict(name="head", type="Caffe2Xavier", mode="fan_in")),
        ["IL004"],
    ),
    ("E25-typed-override-unknown-type", ovr(dict(name="head", type="Constnat", val=1)), ["IL003"]),
    (
        "E25-typed-override-bad-call-time-value",
        ovr(dict(name="head", type="Kaiming", nonlinearity="gelu")),
        ["IL006"],
    ),
    (
        "E15-typed-override-layer-accepted-and-ignored",
        ovr(dict(name="head", type="Constant", val=2, layer="Linear")),
        [],
    ),
    (
        "E15-typed-override-layer-ignored-call-time-applies",
        ovr(dict(name="head", type="Xavier", distribution="x", layer="conv2d")),
        ["IL006"],
    ),
    (
        "E15-typed-override-unhashable-layer-ignored",
        ovr(dict(name="head", type="Normal", layer=[["x"]])),
        [],
    ),
    (
        "E15-typed-override-norm-layer-ignored",
        ovr(dict(name="head", type="Kaiming", layer="BatchNorm2d")),
        [],
    ),
    (
        "E29-typed-override-scope",
        ovr(dict(name="head", type="Constant", val=2, _scope_="mmengine")),
        [],
    ),
    (
        "E05-typed-pretrained-override",
        ovr(dict(name="head", type="Pretrained", checkpoint=CKPT)),
        [],
    ),
    (
        "E05-typed-override-under-pretrained",
        dict(
            type="Pretrained", checkpoint=CKPT, override=dict(name="head", type="Constant", val=1)
        ),
        [],
    ),
    # 7.6 nested override
    (
        "E14-nested-override",
        ovr(dict(name="head", type="Constant", val=2, override=dict(name="conv"))),
        ["IL004"],
    ),
    (
        "E14-nested-override-without-type",
        ovr(dict(name="head", override=dict(name="conv"))),
        ["IL008"],
    ),
    # 7.7 target lookup: hasattr on the owning module
    ("E07-dotted-name", ovr(dict(name="block.0")), ["IL010"]),
    ("E07-dotted-name-typed", ovr(dict(name="block.conv", type="Constant", val=2)), ["IL010"]),
    ("E07-trailing-dot-name", ovr(dict(name="head.")), ["IL010"]),
    ("E33-empty-name", ovr(dict(name="")), ["IL010"]),
    ("E19-int-name", ovr(dict(name=1)), ["IL006"]),
    ("E19-int-name-typed", ovr(dict(name=0, type="Constant", val=2)), ["IL006"]),
    ("E19-float-name", ovr(dict(name=1.5)), ["IL006"]),
    ("E19-bytes-name", ovr(dict(name=b"head")), ["IL006"]),
    ("E19-list-name", ovr(dict(name=["head"])), ["IL006"]),
    # 7.8 overrides run after the parent; earlier items are applied before a later one fails
    (
        "E17-override-after-parent-on-same-params",
        dict(
            type="Constant",
            val=1,
            layer="Conv2d",
            override=dict(name="head", type="Constant", val=2),
        ),
        [],
    ),
    (
        "E32-earlier-override-applied-then-later-fails",
        ovr([dict(name="head"), dict(name="cls", type="Constant")]),
        ["IL005"],
    ),
]

CASES = CASES_3_1 + CASES_3_2 + CASES_5_1 + CASES_5_2 + CASES_7

# Exact warning codes for the rows about silent no-ops and suspicious values.
WARNINGS: dict[str, list[str]] = {
    "A02-empty-list-noop": [],
    "A20-falsy-none": [],
    "C20-layer-absent-noop": ["IL101"],
    "C24-layer-none-noop": ["IL101"],
    "C25-layer-empty-list-noop": ["IL101"],
    "C27-xavier-distribution-bad-no-layer-silent": ["IL101"],
    "C02-unknown-kwarg-at-construction-without-match": ["IL101"],
    "C13-bias-prob-one": ["IL106"],
    "C14-bias-prob-above-one": ["IL106"],
    "C14-bias-prob-negative": ["IL106"],
    "C14-bias-prob-nan": ["IL106"],
    "C15-bias-prob-overrides-bias": ["IL106"],
    "C10-bias-prob-float": [],
    "D02-layer-module": ["IL107"],
    "G16-pretrained-checkpoint-empty-placeholder": ["IL108"],
    "C53-pretrained-local-checkpoint": [],
    "E01-name-only-without-parent-layer": [],
    "E12-override-none": [],
    "E11-override-empty-list": [],
    "T5.1-bias-default": [],
}

# What the runtime raises on each raising case: exception type and a fragment of the message
# grammar.md quotes (an empty fragment where grammar.md says the message is empty).
RAISES: dict[str, tuple[type[BaseException], str]] = {
    # §3
    "A08-int-top-level": (TypeError, "'int' object is not iterable"),
    "A01-str-top-level": (AssertionError, ""),
    "A05-list-item-none": (AssertionError, ""),
    "A06-list-item-str": (AssertionError, ""),
    "A06-list-item-tuple": (AssertionError, ""),
    "A07-list-item-nested-list": (AssertionError, ""),
    "A12-no-atomicity-later-entry-fails": (TypeError, "missing 1 required positional argument"),
    "A27-truthy-int": (TypeError, "'int' object is not iterable"),
    "A27-truthy-float": (TypeError, "'float' object is not iterable"),
    "A27-truthy-true": (TypeError, "'bool' object is not iterable"),
    "A26-str-iterated-per-char": (AssertionError, ""),
    "A24-list-item-none": (AssertionError, ""),
    "A25-list-item-str": (AssertionError, ""),
    "A26-list-item-nested-list": (AssertionError, ""),
    "A34-tuple-item-none": (AssertionError, ""),
    "A34-list-item-int": (AssertionError, ""),
    "A29-missing-type": (KeyError, "'type'"),
    "A29-missing-type-in-list": (KeyError, "'type'"),
    "A30-shape-checked-before-apply": (AssertionError, ""),
    "A31-type-none": (TypeError, "type must be a str or valid type, but got <class 'NoneType'>"),
    "A27-truthy-range-iterated": (AssertionError, ""),
    "A27-truthy-frozenset-iterated": (AssertionError, ""),
    "A29-empty-dict-item-is-truthy-list": (KeyError, "'type'"),
    "A29-empty-dict-item-in-tuple": (KeyError, "'type'"),
    # §5.1
    "C09-bias-numpy-float32": (
        TypeError,
        "bias must be a number, but got a <class 'numpy.float32'>",
    ),
    "C06-bias-str": (TypeError, "bias must be a number, but got a <class 'str'>"),
    "C07-bias-none": (TypeError, "bias must be a number, but got a <class 'NoneType'>"),
    "C09-bias-complex": (TypeError, "bias must be a number, but got a <class 'complex'>"),
    "C56-bias-beyond-float32": (RuntimeError, "cannot be converted to type float without overflow"),
    "C56-bias-int-beyond-int64": (OverflowError, "int too big to convert"),
    "C11-bias-prob-bool": (TypeError, "bias_prob type must be float"),
    "C12-bias-prob-negative-zero": (ZeroDivisionError, "float division by zero"),
    "C17-layer-tuple-in-typed-override": (TypeError, "layer must be a str or a list of str"),
    "C06-bias-str-checked-at-construction-without-match": (TypeError, "bias must be a number"),
    "C06-bias-str-in-typed-override": (TypeError, "bias must be a number"),
    "C11-bias-prob-int": (TypeError, "bias_prob type must be float"),
    "C11-bias-prob-int-zero": (TypeError, "bias_prob type must be float"),
    "C11-bias-prob-numpy-float32": (TypeError, "bias_prob type must be float"),
    "C16-bias-prob-str": (TypeError, "bias_prob type must be float"),
    "C12-bias-prob-zero": (ZeroDivisionError, "float division by zero"),
    "C12-bias-prob-zero-at-construction-without-match": (ZeroDivisionError, "float division"),
    "C17-layer-tuple": (TypeError, "layer must be a str or a list of str"),
    "C17-layer-int": (TypeError, "layer must be a str or a list of str"),
    "C22-layer-class": (TypeError, "layer must be a str or a list of str"),
    "C21-layer-unhashable-list-item": (TypeError, "unhashable type: 'list'"),
    "C21-layer-unhashable-dict-item": (TypeError, "unhashable type: 'dict'"),
    "C21-layer-unhashable-item-fails-without-match": (TypeError, "unhashable type: 'list'"),
    "C02-unknown-kwarg": (
        TypeError,
        "BaseInit.__init__() got an unexpected keyword argument 'foo'",
    ),
    "C02-unknown-kwarg-at-construction-without-match": (TypeError, "argument 'foo'"),
    "C03-normal-sigma": (TypeError, "BaseInit.__init__() got an unexpected keyword argument"),
    "C03-normal-stddev": (TypeError, "BaseInit.__init__() got an unexpected keyword argument"),
    "C04-std-on-constant": (TypeError, "BaseInit.__init__() got an unexpected keyword argument"),
    "C05-val-on-normal": (TypeError, "BaseInit.__init__() got an unexpected keyword argument"),
    "H10-delete-leftover": (TypeError, "unexpected keyword argument '_delete_'"),
    "H24-checkpoint-on-kaiming": (TypeError, "unexpected keyword argument 'checkpoint'"),
    # §5.2
    "C01-constant-missing-val": (
        TypeError,
        "ConstantInit.__init__() missing 1 required positional argument: 'val'",
    ),
    "C01-constant-missing-val-without-match": (TypeError, "argument: 'val'"),
    "C47-constant-val-str": (TypeError, "fill_() received an invalid combination of arguments"),
    "C48-constant-val-none": (TypeError, "fill_() received an invalid combination of arguments"),
    "C48-constant-val-list": (TypeError, "fill_() received an invalid combination of arguments"),
    "T5.2-constant-val-int-beyond-int64": (OverflowError, "int too big to convert"),
    "T5.2-constant-val-huge-int": (OverflowError, "int too big to convert"),
    "C61-xavier-gain-nan": (RuntimeError, "normal expects std >= 0.0, but found std nan"),
    "C61-xavier-gain-negative-uniform": (RuntimeError, "expects to return a [from, to) range"),
    "C61-xavier-gain-inf-uniform": (RuntimeError, "from is out of bounds for float"),
    "C28-xavier-gain-huge-int": (OverflowError, "int too large to convert to float"),
    "C40-normal-mean-none": (TypeError, "argument 'mean' (position 1) must be float, not NoneType"),
    "C38-normal-std-nan": (RuntimeError, "normal expects std >= 0.0, but found std nan"),
    "C46-truncnormal-std-nan": (RuntimeError, "from is out of bounds for float"),
    "C41-uniform-b-inf": (RuntimeError, "to is out of bounds for float"),
    "C41-uniform-a-beyond-float32": (RuntimeError, "from is out of bounds for float"),
    "C62-kaiming-a-numpy-float32-with-leaky-relu": (ValueError, "not a valid number"),
    "C33-kaiming-a-huge-with-leaky-relu": (OverflowError, "Numerical result out of range"),
    "C33-kaiming-a-nan-with-leaky-relu": (
        RuntimeError,
        "normal expects std >= 0.0, but found std nan",
    ),
    "C31-kaiming-distribution-bad-parameterless-match": (AssertionError, ""),
    "T5.2-constant-val-beyond-float32": (RuntimeError, "without overflow"),
    "C26-xavier-distribution-bad": (AssertionError, ""),
    "C26-xavier-distribution-bad-parameterless-match": (AssertionError, ""),
    "C28-xavier-gain-str": (TypeError, "can't multiply sequence by non-int of type 'float'"),
    "C61-xavier-gain-negative": (RuntimeError, "normal expects std >= 0.0"),
    "C57-xavier-on-batchnorm": (ValueError, "Fan in and fan out can not be computed"),
    "C57-xavier-on-layernorm": (ValueError, "Fan in and fan out can not be computed"),
    "C38-normal-std-negative": (RuntimeError, "normal expects std >= 0.0, but found std -1"),
    "C40-normal-mean-str": (TypeError, "argument 'mean' (position 1) must be float, not str"),
    "C44-truncnormal-std-zero-int": (ZeroDivisionError, "division by zero"),
    "C44-truncnormal-std-zero-float": (ZeroDivisionError, "float division by zero"),
    "C43-truncnormal-a-greater-than-b": (RuntimeError, "expects to return a [from, to) range"),
    "C46-truncnormal-std-negative": (RuntimeError, "expects to return a [from, to) range"),
    "C41-uniform-a-greater-than-b": (RuntimeError, "but found from=1 > to=0"),
    "C31-kaiming-distribution-bad": (AssertionError, ""),
    "C29-kaiming-mode-bad": (ValueError, "Mode fan not supported"),
    "C60-kaiming-mode-int": (AttributeError, "'int' object has no attribute 'lower'"),
    "C30-kaiming-nonlinearity-gelu": (ValueError, "Unsupported nonlinearity gelu"),
    "C59-kaiming-nonlinearity-case-sensitive": (ValueError, "Unsupported nonlinearity ReLU"),
    "C33-kaiming-a-str-with-leaky-relu": (ValueError, "negative_slope 0.1 not a valid number"),
    "C62-kaiming-a-bool-with-leaky-relu": (ValueError, "negative_slope True not a valid number"),
    "D20-kaiming-on-batchnorm": (ValueError, "Fan in and fan out can not be computed"),
    "D21-kaiming-on-groupnorm": (ValueError, "Fan in and fan out can not be computed"),
    "D24-kaiming-on-batchnorm-base": (ValueError, "Fan in and fan out can not be computed"),
    "C35-caffe2xavier-a": (TypeError, "got multiple values for keyword argument 'a'"),
    "C36-caffe2xavier-mode": (TypeError, "got multiple values for keyword argument 'mode'"),
    "C36-caffe2xavier-nonlinearity": (
        TypeError,
        "got multiple values for keyword argument 'nonlinearity'",
    ),
    "C36-caffe2xavier-distribution": (
        TypeError,
        "got multiple values for keyword argument 'distribution'",
    ),
    "C36-caffe2xavier-fixed-arg-without-match": (TypeError, "got multiple values"),
    "D23-caffe2xavier-on-batchnorm": (ValueError, "Fan in and fan out can not be computed"),
    "C50-pretrained-missing-checkpoint": (
        TypeError,
        "PretrainedInit.__init__() missing 1 required positional argument: 'checkpoint'",
    ),
    "C51-pretrained-layer": (
        TypeError,
        "PretrainedInit.__init__() got an unexpected keyword argument 'layer'",
    ),
    "C52-pretrained-bias": (
        TypeError,
        "PretrainedInit.__init__() got an unexpected keyword argument 'bias'",
    ),
    "C52-pretrained-bias-prob": (
        TypeError,
        "PretrainedInit.__init__() got an unexpected keyword argument 'bias_prob'",
    ),
    "C52-pretrained-unknown-kwarg": (TypeError, "unexpected keyword argument 'strict'"),
    "G10-pretrained-checkpoint-none": (TypeError, "expected string or bytes-like object"),
    "G11-pretrained-checkpoint-int": (TypeError, "expected string or bytes-like object"),
    "G21-pretrained-prefix-empty": (AssertionError, ". is not in the pretrained model"),
    "G18-pretrained-prefix-int": (AttributeError, "'int' object has no attribute 'endswith'"),
    "G04-pretrained-misspelled-scheme": (
        FileNotFoundError,
        "torchvison://resnet50 can not be found.",
    ),
    "G12-pretrained-upper-case-scheme": (FileNotFoundError, "can not be found."),
    "G22-pretrained-scheme-double-colon": (
        FileNotFoundError,
        "open-mmlab:://resnet50_v1c can not be found.",
    ),
    "G22-pretrained-url-double-colon": (FileNotFoundError, "can not be found."),
    "G22-pretrained-torchvision-double-colon": (
        FileNotFoundError,
        "torchvision:://resnet50 can not be found.",
    ),
    "G22-pretrained-file-url": (FileNotFoundError, "file:///tmp/x.pth can not be found."),
    "G06-pretrained-unknown-openmmlab-name": (KeyError, "resnet50_v9"),
    "G07-pretrained-unknown-mmcls-name": (KeyError, "resnet5"),
    "G17-pretrained-broken-deprecated-alias": (KeyError, "detectron2/resnet50_caffe_bgr"),
    "G16-pretrained-checkpoint-empty-placeholder": (FileNotFoundError, " can not be found."),
    # §7
    "E10-override-str": (TypeError, "override must be a dict or a list of dict"),
    "E27-override-tuple": (TypeError, "override must be a dict or a list of dict"),
    "E10-override-int": (TypeError, "override must be a dict or a list of dict"),
    "E10-override-false": (TypeError, "override must be a dict or a list of dict"),
    "E03-override-missing-name": (ValueError, '`override` must contain the key "name",but got'),
    "E03-override-empty-dict": (ValueError, '`override` must contain the key "name",but got'),
    "E03-override-missing-name-in-list": (ValueError, '`override` must contain the key "name"'),
    "E18-override-name-none": (ValueError, '`override` must contain the key "name"'),
    "E18-override-name-none-typed": (ValueError, '`override` must contain the key "name"'),
    "E13-override-item-str": (AttributeError, "'str' object has no attribute 'pop'"),
    "E13-override-item-none": (AttributeError, "'NoneType' object has no attribute 'pop'"),
    "E13-override-item-nested-list": (TypeError, "pop expected at most 1 argument, got 2"),
    "E23-name-only-inherits-bad-distribution": (AssertionError, ""),
    "E23-name-only-inherits-bad-val-not-layer": (TypeError, "fill_() received an invalid"),
    "E23-name-only-inherits-std-without-parent-layer": (RuntimeError, "normal expects std >= 0.0"),
    "E23-name-only-under-missing-val": (TypeError, "required positional argument: 'val'"),
    "E23-name-only-inherits-negative-gain": (RuntimeError, "normal expects std >= 0.0"),
    "E23-name-only-inherits-unhashable-layer-parent-fails": (TypeError, "unhashable type: 'list'"),
    "E04-override-bias-prob-without-type": (ValueError, '`override` need "type" key'),
    "E04-override-non-str-key-without-type": (
        ValueError,
        '`override` need "type" key, but got {1: 2}',
    ),
    "E05-typed-override-pretrained-missing-checkpoint": (
        TypeError,
        "missing 1 required positional argument: 'checkpoint'",
    ),
    "E05-typed-override-pretrained-checkpoint-none": (TypeError, "expected string or bytes-like"),
    "E05-typed-override-bias-prob-zero": (ZeroDivisionError, "float division by zero"),
    "E25-typed-override-delete-leftover": (TypeError, "unexpected keyword argument '_delete_'"),
    "E25-typed-override-caffe2xavier-fixed-arg": (
        TypeError,
        "got multiple values for keyword argument 'mode'",
    ),
    "E07-trailing-dot-name": (RuntimeError, "module did not have attribute head., but init_cfg"),
    "E19-float-name": (TypeError, "attribute name must be string, not 'float'"),
    "E19-bytes-name": (TypeError, "attribute name must be string, not 'bytes'"),
    "E19-list-name": (TypeError, "attribute name must be string, not 'list'"),
    "E04-override-args-without-type": (ValueError, '`override` need "type" key, but got'),
    "E21-override-name-and-layer-without-type": (ValueError, '`override` need "type" key'),
    "E29-override-name-and-scope-without-type": (ValueError, '`override` need "type" key'),
    "E02-mix-name-only-and-untyped-args": (ValueError, '`override` need "type" key'),
    "E05-typed-override-does-not-inherit-val": (
        TypeError,
        "ConstantInit.__init__() missing 1 required positional argument: 'val'",
    ),
    "E25-typed-override-unknown-kwarg": (
        TypeError,
        "BaseInit.__init__() got an unexpected keyword argument 'std'",
    ),
    "E25-typed-override-unknown-type": (KeyError, "Constnat is not in the mmengine::weight"),
    "E25-typed-override-bad-call-time-value": (ValueError, "Unsupported nonlinearity gelu"),
    "E15-typed-override-layer-ignored-call-time-applies": (AssertionError, ""),
    "E14-nested-override": (
        TypeError,
        "BaseInit.__init__() got an unexpected keyword argument 'override'",
    ),
    "E14-nested-override-without-type": (ValueError, '`override` need "type" key'),
    "E07-dotted-name": (RuntimeError, "module did not have attribute block.0, but init_cfg is"),
    "E07-dotted-name-typed": (RuntimeError, "module did not have attribute block.conv"),
    "E33-empty-name": (RuntimeError, "module did not have attribute , but init_cfg is"),
    "E19-int-name": (TypeError, "attribute name must be string, not 'int'"),
    "E19-int-name-typed": (TypeError, "attribute name must be string, not 'int'"),
    "E32-earlier-override-applied-then-later-fails": (
        TypeError,
        "missing 1 required positional argument: 'val'",
    ),
}


# Disagreements on purpose, each with its reason (the runtime raises, initlint does not).
EXPLAINED = {
    "G16-pretrained-checkpoint-empty-placeholder": "checkpoint='' is a template placeholder: IL108 warns instead of erroring",
}


def _case_id(case: Any) -> str:
    return case.values[0] if hasattr(case, "values") else case[0]


def _substitute(value: Any, path: str) -> Any:
    """`value` with every string equal to CKPT replaced by `path` (dict subclasses kept)."""
    if isinstance(value, str):
        return path if value == CKPT else value
    if isinstance(value, dict):
        out = copy.copy(value)
        for key in list(out):
            out[key] = _substitute(value[key], path)
        return out
    if isinstance(value, (list, tuple)):
        return type(value)(_substitute(v, path) for v in value)
    return value


@pytest.fixture
def checkpoint(tmp_path: Any) -> str:
    """A local checkpoint of plain tensors: loads with torch's weights_only default."""
    path = tmp_path / "ckpt.pth"
    torch.save(
        {
            "state_dict": {
                "head.weight": torch.zeros(2, 2, 1, 1),
                "head.bias": torch.zeros(2),
                "backbone.head.weight": torch.ones(2, 2, 1, 1),
                "backbone.head.bias": torch.ones(2),
            }
        },
        path,
    )
    return str(path)


def _errors(value: Any) -> list[str]:
    return sorted(d.code for d in validate_init_cfg(value) if d.severity == "error")


def _warnings(value: Any) -> list[str]:
    return sorted(d.code for d in validate_init_cfg(value) if d.severity == "warning")


@pytest.mark.parametrize(("case_id", "value", "expected"), CASES, ids=[_case_id(c) for c in CASES])
def test_case(case_id: str, value: Any, expected: list[str], checkpoint: str) -> None:
    value = _substitute(value, checkpoint)
    diagnostics = validate_init_cfg(value)
    assert _errors(value) == expected, [(d.code, d.path, d.message) for d in diagnostics]
    error = runtime_error(value)
    if case_id in EXPLAINED:
        assert error is not None and not expected, EXPLAINED[case_id]
        return
    assert (error is not None) == bool(expected), (
        f"{case_id}: runtime {'raised ' + repr(error) if error else 'ran through'}, "
        f"initlint: {[(d.code, d.path, d.message) for d in diagnostics]}"
    )


@pytest.mark.parametrize("case_id", sorted(WARNINGS))
def test_warnings(case_id: str, checkpoint: str) -> None:
    value = _substitute(VALUES[case_id], checkpoint)
    assert _warnings(value) == WARNINGS[case_id]


@pytest.mark.parametrize("case_id", sorted(RAISES))
def test_runtime_raises_what_grammar_md_says(case_id: str, checkpoint: str) -> None:
    kind, fragment = RAISES[case_id]
    error = runtime_error(_substitute(VALUES[case_id], checkpoint))
    assert isinstance(error, kind), repr(error)
    assert fragment in str(error), repr(error)


def test_case_tables_are_consistent() -> None:
    ids = [_case_id(c) for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    raising = {_case_id(c) for c in CASES if (c.values if hasattr(c, "values") else c)[2]}
    assert raising <= set(RAISES), raising - set(RAISES)
    assert set(RAISES) <= raising | set(EXPLAINED), set(RAISES) - raising - set(EXPLAINED)
    assert set(WARNINGS) <= set(ids), set(WARNINGS) - set(ids)


VALUES: dict[str, Any] = {_case_id(c): (c.values if hasattr(c, "values") else c)[1] for c in CASES}


# --------------------------------------------------------------------------------------------
# §3.1 rows as plain `initialize()` consumes them (no BaseModule in between): initlint does
# not model these callers, so only the runtime claims of grammar.md are pinned here.
# --------------------------------------------------------------------------------------------
INITIALIZE_ROWS: list[tuple[str, Any, Any]] = [
    ("A09-dict", dict(C), None),
    ("A11-configdict", ConfigDict(type="Constant", val=1, layer="Conv2d"), None),
    ("A10-list", [dict(C), dict(type="Constant", val=2, layer="Conv2d")], None),
    ("A02-empty-list", [], None),
    ("A01-none", None, (TypeError, "init_cfg must be a dict or a list of dict")),
    ("A04-tuple", (dict(C),), (TypeError, "but got <class 'tuple'>")),
    ("A08-int", 1, (TypeError, "but got <class 'int'>")),
    ("A08-str", "Constant", (TypeError, "but got <class 'str'>")),
    ("A03-empty-dict", {}, (KeyError, 'must contain the key "type", but got {}')),
    ("A05-item-none", [None], (AttributeError, "'NoneType' object has no attribute 'pop'")),
    ("A06-item-str", ["Constant"], (AttributeError, "'str' object has no attribute 'pop'")),
    ("A06-item-tuple", [(dict(C),)], (AttributeError, "'tuple' object has no attribute 'pop'")),
    ("A07-item-list", [[dict(C)]], (TypeError, "pop expected at most 1 argument, got 2")),
]


@pytest.mark.parametrize(
    ("case_id", "value", "raises"), INITIALIZE_ROWS, ids=[r[0] for r in INITIALIZE_ROWS]
)
def test_initialize_top_level(case_id: str, value: Any, raises: Any) -> None:
    module = nn.Sequential(nn.Conv2d(2, 2, 1))
    if raises is None:
        initialize(module, value)
        return
    kind, fragment = raises
    with pytest.raises(kind) as info:
        initialize(module, value)
    assert fragment in str(info.value)


def test_e30_value_is_never_mutated() -> None:
    """[E30]: the runtime deep-copies each entry; initlint must not mutate the value either."""
    value = [
        ovr([dict(name="head"), dict(name="cls", type="Normal", std=0.01)]),
        dict(type="Kaiming", layer=["Conv2d"]),
    ]
    before = copy.deepcopy(value)
    assert runtime_error(value) is None
    validate_init_cfg(value)
    module = nn.Module()
    module.head, module.cls = nn.Conv2d(2, 2, 1), nn.Conv2d(2, 2, 1)
    initialize(module, value)
    assert value == before


@pytest.mark.parametrize(
    ("checkpoint", "message"),
    [
        (
            "open-mmlab:://resnet50_v1c",
            "unknown checkpoint scheme 'open-mmlab:://' (it is read as a "
            "local file that does not exist); did you mean 'open-mmlab://'?",
        ),
        (
            "https:://host/file.pth",
            "unknown checkpoint scheme 'https:://' (it is read as a local "
            "file that does not exist); did you mean 'https://'?",
        ),
        (
            "torchvision:://resnet50",
            "unknown checkpoint scheme 'torchvision:://' (it is read as a "
            "local file that does not exist); did you mean 'torchvision://'?",
        ),
        ("work_dirs/r50.pth", None),
        ("C://ckpt/r50.pth", None),
        ("open-mmlab//resnet50", None),
        ("open-mmlab:s3://bucket/r50.pth", None),
    ],
)
def test_broken_scheme_is_named_with_a_suggestion(checkpoint: str, message: Any) -> None:
    """Item 6: a scheme the loader does not dispatch, whatever its shape; a plain local path
    (no '://', or a Windows drive) is left to the machine that trains."""
    found = [
        d.message
        for d in validate_init_cfg(dict(type="Pretrained", checkpoint=checkpoint))
        if d.code == "IL013"
    ]
    assert found == ([message] if message else [])
