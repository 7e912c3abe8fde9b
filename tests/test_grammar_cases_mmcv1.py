"""The hand-written grammar cases (tests/test_grammar_cases.py) for `target = "mmcv1"`, run
through the real mmcv 1.7.2 (`tests/runtime_oracle_mmcv1.py`), plus the rows of grammar.md §11
that only the 1.x generation has.

Every case of the MMEngine table is judged again with `validate_init_cfg(value,
target="mmcv1")`: its expected error codes are the MMEngine ones unless `DIFFERENT` gives the
1.x ones (each with the §11 row behind it), and initlint must report an error exactly when
mmcv 1.7.2's `BaseModule.init_weights()` raises. `CASES_1X` adds what the MMEngine table has no
row for: `type` resolution through mmcv's own registry, `_scope_`, class objects, the
checkpoint schemes, and the ordering warnings of §11 (IL105, and IL111 through the engine).
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
import torch

from initlint import validate_init_cfg

from .runtime_oracle_mmcv1 import mmcv, runtime_error
from .test_grammar_cases import CASES, EXPLAINED, _case_id, _substitute

ConstantInit = mmcv.cnn.utils.weight_init.ConstantInit
PretrainedInit = mmcv.cnn.utils.weight_init.PretrainedInit
C = dict(type="Constant", val=1, layer="Conv2d")
CKPT = "<CKPT>"

# Case id -> the 1.x error codes, where they are not MMEngine's.
DIFFERENT: dict[str, list[str]] = {
    # [M14] initialize() takes a dict or a list: a tuple is a TypeError
    "A04-tuple-works-in-basemodule": ["IL001"],
    "A23-tuple-of-dicts": ["IL001"],
    "A29-empty-dict-item-in-tuple": ["IL001"],
    # [M14] one TypeError for the whole value, not one per item
    "A27-truthy-range-iterated": ["IL001"],
    # [M08] `_scope_` reaches BaseInit.__init__
    "E16-name-only-inherits-scope": ["IL004"],
    "E29-typed-override-scope": ["IL004"],
}


def _make_constant(**kwargs: Any) -> Any:
    """A function as `type` [M09]: mmcv 1.x calls it with the arguments."""
    return ConstantInit(**kwargs)


class _CallableInit:
    def __call__(self, **kwargs: Any) -> Any:
        return ConstantInit(**kwargs)


# (id, value, error codes, warning codes) of what only mmcv 1.x does (grammar.md §11).
CASES_1X: list[tuple[str, Any, list[str], list[str]]] = [
    # type: mmcv's own scope and bare names only [M05, M07]
    ("M05-own-scope", dict(type="mmcv.Constant", val=1, layer="Conv2d"), [], []),
    (
        "M05-own-scope-unknown-name",
        dict(type="mmcv.Constnat", val=1, layer="Conv2d"),
        ["IL003"],
        [],
    ),
    ("M05-foreign-scope", dict(type="mmdet.Xavier", layer="Conv2d"), ["IL003"], []),
    ("M05-mmengine-scope", dict(type="mmengine.Constant", val=1, layer="Conv2d"), ["IL003"], []),
    (
        "M07-mmcv-dotted-path",
        dict(type="mmcv.cnn.utils.weight_init.ConstantInit", val=1, layer="Conv2d"),
        ["IL003"],
        [],
    ),
    (
        "M07-mmengine-dotted-path",
        dict(type="mmengine.model.ConstantInit", val=1, layer="Conv2d"),
        ["IL003"],
        [],
    ),
    ("M07-torch-dotted-path", dict(type="torch.nn.init.constant_", val=1), ["IL003"], []),
    ("M02-class-name", dict(type="ConstantInit", val=1, layer="Conv2d"), ["IL003"], []),
    # `type` objects: classes and functions [M09]
    ("M09-mmcv-class", dict(type=ConstantInit, val=2, layer="Conv2d"), [], []),
    ("M09-mmcv-class-missing-val", dict(type=ConstantInit, layer="Conv2d"), ["IL005"], []),
    ("M09-mmcv-pretrained-class", dict(type=PretrainedInit, checkpoint=CKPT), [], []),
    ("M09-function", dict(type=_make_constant, val=2, layer="Conv2d"), [], []),
    (
        "M09-partial",
        dict(type=functools.partial(ConstantInit, val=3), layer="Conv2d"),
        ["IL003"],
        [],
    ),
    ("M09-callable-instance", dict(type=_CallableInit(), val=3, layer="Conv2d"), ["IL003"], []),
    # `_scope_` is an argument [M08]
    ("M08-scope-key", dict(C, _scope_="mmdet"), ["IL004"], []),
    (
        "M08-scope-key-pretrained",
        dict(type="Pretrained", checkpoint=CKPT, _scope_="mmcv"),
        ["IL004"],
        [],
    ),
    (
        "M08-scope-key-without-match",
        dict(type="Constant", val=1, _scope_="mmcv"),
        ["IL004"],
        ["IL101"],
    ),
    # BaseModule hands the value to initialize() [M13, M14]
    ("M13-list-none", [None], ["IL001"], []),
    ("M13-applied-then-raises", [dict(C), None], ["IL001"], []),
    ("M14-tuple-of-one", (dict(C),), ["IL001"], []),
    ("M14-frozenset", frozenset({"x"}), ["IL001"], []),
    ("M14-empty-tuple-falsy", (), [], []),
    # checkpoint schemes without petrel:// [M20, M21]
    ("M20-petrel", dict(type="Pretrained", checkpoint="petrel://bucket/x.pth"), ["IL013"], []),
    (
        "M20-prefixed-petrel",
        dict(type="Pretrained", checkpoint="open-mmlab:petrel://b/x.pth"),
        ["IL013"],
        [],
    ),
    (
        "M21-misspelled-scheme",
        dict(type="Pretrained", checkpoint="torchvison://resnet50"),
        ["IL013"],
        [],
    ),
    (
        "M21-open-mmlab-unknown",
        dict(type="Pretrained", checkpoint="open-mmlab://nope"),
        ["IL013"],
        [],
    ),
    ("M21-local", dict(type="Pretrained", checkpoint=CKPT), [], []),
    ("M12-map-location-none", dict(type="Pretrained", checkpoint=CKPT, map_location=None), [], []),
    # a list runs in order: a Pretrained followed by entries is overwritten [M17]
    (
        "M17-list-pretrained-first",
        [dict(type="Pretrained", checkpoint=CKPT), dict(C)],
        [],
        ["IL105"],
    ),
    ("M17-list-pretrained-last", [dict(C), dict(type="Pretrained", checkpoint=CKPT)], [], []),
    ("M16-mmcv-pretrained-alone", dict(type="mmcv.Pretrained", checkpoint=CKPT), [], []),
    # mmcv's classes as layers (initlint/data/mmcv_layers.json)
    (
        "L-conv-module-has-no-weight",
        dict(type="Constant", val=1, layer=["ConvModule", "Conv2d"]),
        [],
        ["IL103"],
    ),
    (
        "L-conv-module-bad-value-silent",
        dict(type="Constant", val="x", layer="ConvModule"),
        [],
        ["IL103"],
    ),
    ("L-conv-ws-is-a-conv", dict(type="Kaiming", layer="ConvWS2d"), [], []),
    ("L-conv-ws-bad-mode", dict(type="Kaiming", mode="fan", layer="ConvWS2d"), ["IL006"], []),
    ("L-ffn-has-no-weight", dict(type="Xavier", layer="FFN"), [], ["IL103"]),
    (
        "L-depthwise-separable",
        dict(type="Normal", layer="DepthwiseSeparableConvModule"),
        [],
        ["IL103"],
    ),
    ("L-scale-has-no-weight", dict(type="Constant", val=2, layer="Scale"), [], ["IL103"]),
    ("L-hsigmoid-float-bias", dict(type="Normal", layer="HSigmoid"), ["IL015"], []),
    ("L-hsigmoid-beside-conv", dict(type="Kaiming", layer=["Conv2d", "HSigmoid"]), ["IL015"], []),
    ("L-hsigmoid-misspelled-silent", dict(type="Normal", layer="Hsigmoid"), [], ["IL102"]),
]
EXPLAINED_1X = dict(EXPLAINED)  # checkpoint='' (IL108), as for MMEngine


@pytest.fixture
def checkpoint(tmp_path: Any) -> str:
    """The local checkpoint of the MMEngine cases (tests/test_grammar_cases.py)."""
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


def _expected(case: Any) -> tuple[str, Any, list[str]]:
    case_id, value, expected = case.values if hasattr(case, "values") else case
    return case_id, value, DIFFERENT.get(case_id, expected)


def _errors(value: Any) -> list[str]:
    return sorted(d.code for d in validate_init_cfg(value, target="mmcv1") if d.severity == "error")


def _warnings(value: Any) -> list[str]:
    return sorted(
        d.code for d in validate_init_cfg(value, target="mmcv1") if d.severity == "warning"
    )


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_mmengine_case_on_mmcv1(case: Any, checkpoint: str) -> None:
    case_id, value, expected = _expected(case)
    value = _substitute(value, checkpoint)
    assert _errors(value) == expected, [
        (d.code, d.path, d.message) for d in validate_init_cfg(value, target="mmcv1")
    ]
    error = runtime_error(value)
    if case_id in EXPLAINED_1X:
        assert error is not None and not expected, EXPLAINED_1X[case_id]
        return
    assert (error is not None) == bool(expected), (
        f"{case_id}: mmcv 1.7.2 {'raised ' + repr(error) if error else 'ran through'}, "
        f"initlint: {expected}"
    )


@pytest.mark.parametrize(
    ("case_id", "value", "errors", "warnings"), CASES_1X, ids=[c[0] for c in CASES_1X]
)
def test_mmcv1_case(
    case_id: str, value: Any, errors: list[str], warnings: list[str], checkpoint: str
) -> None:
    value = _substitute(value, checkpoint)
    assert (_errors(value), _warnings(value)) == (errors, warnings), [
        (d.code, d.message) for d in validate_init_cfg(value, target="mmcv1")
    ]
    error = runtime_error(value)
    assert (error is not None) == bool(errors), (
        f"{case_id}: mmcv 1.7.2 {'raised ' + repr(error) if error else 'ran through'}"
    )


def test_the_tables_are_consistent() -> None:
    ids = {_case_id(c) for c in CASES}
    assert set(DIFFERENT) <= ids
    assert not ids & {c[0] for c in CASES_1X}
    assert len({c[0] for c in CASES_1X}) == len(CASES_1X)
