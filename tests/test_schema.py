"""`initlint schema` is the grammar the checker applies: on every hand-written grammar case a
JSON config can hold, the schema accepts what the checker accepts, and rejects what the checker
rejects when the runtime builds the value (what it checks only once an initializer touches a
module depends on the module, which a schema cannot see)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from typing import Any

import jsonschema
import pytest

from initlint import validate_init_cfg
from initlint.catalog import severity_of
from initlint.checks.context import SiteContext
from initlint.engine import check_site
from initlint.grammar.types import Initializers
from initlint.values import from_python

from .test_grammar_cases import CASES

# Where JSON Schema cannot say what the checker says: case id -> why.
EXPLAINED = {
    "C11-bias-prob-int": "JSON Schema has no int/float distinction: bias_prob=1 is 1.0 to it, "
    "which the runtime accepts",
}


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    out = subprocess.run(
        [sys.executable, "-m", "initlint", "schema"], capture_output=True, text=True, check=True
    ).stdout
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _is_json(value: Any) -> bool:
    """Whether a JSON config can hold exactly this value."""
    try:
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return _same(json.loads(text), value)


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b) and not (isinstance(b, dict) and isinstance(a, dict)):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return bool(a == b) and not (isinstance(a, float) and math.isnan(a))


def _errors(value: Any, calls: bool) -> list[str]:
    known = Initializers(complete=True)
    return sorted(
        f.code
        for f in check_site(SiteContext(from_python(value), known), calls)
        if severity_of(f.code) == "error"
    )


JSON_CASES = [
    pytest.param(case_id, value, id=case_id) for case_id, value, _ in CASES if _is_json(value)
]


def test_most_cases_are_json() -> None:
    assert len(JSON_CASES) > 150


@pytest.mark.parametrize(("case_id", "value"), JSON_CASES)
def test_schema_and_checker_agree(
    validator: jsonschema.Draft202012Validator, case_id: str, value: Any
) -> None:
    accepted = validator.is_valid(value)
    if case_id in EXPLAINED:  # the disagreement is still the one explained
        assert accepted and _errors(value, calls=False), EXPLAINED[case_id]
        return
    if not [d for d in validate_init_cfg(value) if d.severity == "error"]:
        assert accepted, f"the checker accepts {value!r}, the schema does not"
    elif _errors(value, calls=False):
        assert not accepted, f"building {value!r} raises, the schema accepts it"


def test_call_time_problems_are_suggestions_not_constraints(
    validator: jsonschema.Draft202012Validator,
) -> None:
    # No layer matches: the runtime never looks at `distribution`, so the value is valid.
    value = {"type": "Kaiming", "layer": "conv2d", "distribution": "gaussian"}
    assert validator.is_valid(value)
    assert [d.code for d in validate_init_cfg(value)] == ["IL102"]  # a warning: 'Conv2d'?
    kaiming = validator.schema["$defs"]["Kaiming"]["properties"]
    assert kaiming["distribution"]["examples"] == ["normal", "uniform"]
    assert "fan_in" in kaiming["mode"]["examples"]


@pytest.mark.parametrize(
    "value",
    [
        {"type": "Normal", "layer": "Conv2d", "bias": True},
        {"type": "mmdet.Xavier", "layer": "Conv2d"},
        {"type": "mmdet.MyOwnInit", "anything": 1},
        {"type": "Normal", "layer": "Conv2d", "override": {"name": "fc", "type": "mmdet.Mine"}},
        0,
        "",
        False,
        {},
        [],
    ],
)
def test_schema_accepts_what_the_runtime_and_checker_accept(
    validator: jsonschema.Draft202012Validator, value: Any
) -> None:
    assert not [d for d in validate_init_cfg(value) if d.severity == "error"]
    assert validator.is_valid(value)


@pytest.mark.parametrize(
    "value",
    [
        {"type": "mmdet.Xavier", "stddev": 1},
        {"type": "Normal", "override": {"name": "a.b"}},
        {"type": "Normal", "override": {"name": "fc", "std": 1}},
        {"type": "Normal", "bias_prob": 0.0},
        [{}],
    ],
)
def test_schema_rejects_what_building_rejects(
    validator: jsonschema.Draft202012Validator, value: Any
) -> None:
    assert _errors(value, calls=False)
    assert not validator.is_valid(value)


# -- the 1.x grammar (`initlint schema --target mmcv1`) --------------------------------------


@pytest.fixture(scope="module")
def validator_1x() -> jsonschema.Draft202012Validator:
    out = subprocess.run(
        [sys.executable, "-m", "initlint", "schema", "--target", "mmcv1"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _errors_1x(value: Any, calls: bool) -> list[str]:
    from initlint.grammar.layers import LayerKnowledge

    site = SiteContext(
        from_python(value),
        Initializers.for_target("mmcv1", complete=True),
        LayerKnowledge.for_target("mmcv1"),
        target="mmcv1",
    )
    return sorted(f.code for f in check_site(site, calls) if severity_of(f.code) == "error")


def _json_cases_1x() -> list[Any]:
    from .test_grammar_cases_mmcv1 import CASES_1X, DIFFERENT

    rows = [(case_id, value) for case_id, value, _ in CASES if _is_json(value)]
    rows += [(case_id, value) for case_id, value, _, _ in CASES_1X if _is_json(value)]
    assert set(DIFFERENT) & {case_id for case_id, _ in rows}
    return [pytest.param(case_id, value, id=case_id) for case_id, value in rows]


@pytest.mark.parametrize(("case_id", "value"), _json_cases_1x())
def test_the_1x_schema_and_checker_agree(
    validator_1x: jsonschema.Draft202012Validator, case_id: str, value: Any
) -> None:
    accepted = validator_1x.is_valid(value)
    if case_id in EXPLAINED:
        assert accepted and _errors_1x(value, calls=False), EXPLAINED[case_id]
        return
    if not [d for d in validate_init_cfg(value, target="mmcv1") if d.severity == "error"]:
        assert accepted, f"the checker accepts {value!r}, the schema does not"
    elif _errors_1x(value, calls=False):
        assert not accepted, f"building {value!r} raises in mmcv 1.x, the schema accepts it"


@pytest.mark.parametrize(
    ("value", "mmengine", "mmcv1"),
    [
        ({"type": "Normal", "layer": "Conv2d", "_scope_": "mmdet"}, True, False),
        ({"type": "mmdet.Xavier", "layer": "Conv2d"}, True, False),
        ({"type": "mmdet.MyOwnInit", "anything": 1}, True, False),
        ({"type": "mmcv.Xavier", "layer": "Conv2d"}, True, True),
        ({"type": "mmengine.model.XavierInit", "layer": "Conv2d"}, True, False),
        ({"type": "Pretrained", "checkpoint": "petrel://bucket/a.pth"}, True, False),
        ({"type": "Pretrained", "checkpoint": "s3://bucket/a.pth"}, True, True),
    ],
)
def test_what_only_one_generation_accepts(
    validator: jsonschema.Draft202012Validator,
    validator_1x: jsonschema.Draft202012Validator,
    value: Any,
    mmengine: bool,
    mmcv1: bool,
) -> None:
    assert (validator.is_valid(value), validator_1x.is_valid(value)) == (mmengine, mmcv1)


def test_the_1x_map_location_defaults_to_none(
    validator_1x: jsonschema.Draft202012Validator, validator: jsonschema.Draft202012Validator
) -> None:
    def default(schema: dict[str, Any]) -> Any:
        return schema["$defs"]["Pretrained"]["properties"]["map_location"]["default"]

    assert (default(validator.schema), default(validator_1x.schema)) == ("cpu", None)
