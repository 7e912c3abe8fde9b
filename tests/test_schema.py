"""`initlint schema` prints a JSON Schema that accepts what the runtime accepts."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    out = subprocess.run([sys.executable, "-m", "initlint", "schema"], capture_output=True,
                         text=True, check=True).stdout
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("value", [
    None,
    {"type": "Pretrained", "checkpoint": "torchvision://resnet50", "prefix": "backbone."},
    [{"type": "Kaiming", "layer": "Conv2d"},
     {"type": "Constant", "val": 1, "layer": ["_BatchNorm", "GroupNorm"]}],
    {"type": "Normal", "layer": "Conv2d", "std": 0.01,
     "override": {"type": "Normal", "name": "retina_cls", "std": 0.01, "bias_prob": 0.01}},
    {"type": "Xavier", "layer": "Conv2d", "override": [{"name": "fc"}]},
    {"type": "mmengine.model.KaimingInit", "layer": "Conv2d", "mode": "FAN_IN"},
])
def test_schema_accepts_valid_values(validator: jsonschema.Draft202012Validator,
                                     value: object) -> None:
    assert validator.is_valid(value)


@pytest.mark.parametrize("value", [
    {"type": "Normal", "stddev": 0.01},
    {"type": "Constant"},
    {"type": "Pretrained", "checkpoint": "x", "layer": "Conv2d"},
    {"type": "Xaiver"},
    {"type": "Normal", "override": {"type": "Normal", "std": 1}},
    {"type": "Caffe2Xavier", "mode": "fan_in"},
    {"type": "Kaiming", "distribution": "gaussian"},
    "Pretrained",
])
def test_schema_rejects_invalid_values(validator: jsonschema.Draft202012Validator,
                                       value: object) -> None:
    assert not validator.is_valid(value)
