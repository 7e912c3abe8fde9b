"""The eight built-in initializers of MMEngine as Pydantic models (grammar.md §5).

Each `*Args` model holds exactly the arguments the runtime's `__init__` takes, with its
defaults, and validates what the runtime checks when it *builds* the initializer (a wrong
`bias` type, a missing `val`, an unknown keyword). What the runtime only checks when the
initializer *touches a module* (`distribution`, `std < 0`, ...) is declared in the JSON Schema
and checked by `call_time_issues()`, which the checker runs only when a module is reached
(grammar.md §5.2: with no match, bad values are silent).

Any field accepts an `Unknown` value: what the static evaluator cannot resolve is never
reported.
"""

import math
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, Optional, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    InstanceOf,
    WithJsonSchema,
    field_validator,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from ..values import Unknown
from .numbers import (
    FLOAT32_MAX,
    as_python,
    fill_problem,
    float_arg,
    is_real,
    norm_cdf,
    python_math,
    unknown,
)

UnknownValue = SkipJsonSchema[InstanceOf[Unknown]]


# JSON has no int/float or bool/int distinction: where the runtime makes one (`bias_prob=1` is
# refused, `bias=True` is a number), the schema says what JSON can.
BIAS_PROB_SCHEMA = {"anyOf": [{"type": "number", "not": {"const": 0}}, {"type": "null"}]}
LAYER_SCHEMA = {"anyOf": [  # unhashable items raise at the first module the entry visits
    {"type": "string"}, {"type": "null"},
    {"type": "array", "items": {"not": {"type": ["array", "object"]}}}]}


def checked_on_use(*examples: Any, rule: str = "") -> dict[str, Any]:
    """The schema of an argument the runtime checks only once the initializer touches a
    module (§5.2). Nothing may match, and then any value works: the schema suggests values
    (`examples`, which editors complete) and rejects none; `rule` says what the runtime wants."""
    note = "Checked when a module is initialised" + (f": {rule}." if rule else ".")
    return {"examples": list(examples), "description": note}
# The runtime checks with isinstance(), so do we: `bias_prob=1` (an int) is rejected, a bool
# passes as a number, numpy.float32 does not (grammar.md §5.1).
Number = Union[InstanceOf[int], InstanceOf[float]]
ExactFloat = InstanceOf[float]
KAIMING_NONLINEARITIES = (
    "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
    "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu",
)

# When a call-time rule fires (grammar.md §5.2): as soon as the initializer runs, when a module
# matches `layer` (or is reached through an override), or only when that module has a weight
# (or a bias).
When = Literal["runs", "matched", "weighted", "biased"]


@dataclass(frozen=True)
class CallTimeIssue:
    """A value the runtime refuses once the initializer touches a module (IL006)."""

    field: str
    message: str
    when: When


def _issue(field: str, value: Any, problem: str, when: When) -> CallTimeIssue:
    return CallTimeIssue(field, f"`{field}` {problem}, got {value!r}", when)


def _fill_issue(field: str, value: Any, when: When) -> list[CallTimeIssue]:
    if unknown(value):
        return []
    problem = fill_problem(value)
    return [_issue(field, value, problem, when)] if problem else []


def _float_args(when: When, **values: Any) -> tuple[dict[str, float], list[CallTimeIssue]]:
    """Arguments torch takes as floats: their values, and the issues of those it refuses."""
    known: dict[str, float] = {}
    issues = []
    for field, value in values.items():
        if unknown(value):
            continue
        number, problem = float_arg(value)
        if problem:
            issues.append(_issue(field, value, problem, when))
        else:
            assert number is not None
            known[field] = number
    return known, issues


class InitArgs(BaseModel):
    """Common base: unknown keywords are rejected, as `__init__` rejects them."""

    # Validators are built on first use: most runs need few of the models, or none.
    model_config = ConfigDict(extra="forbid", strict=True, arbitrary_types_allowed=True,
                              defer_build=True)

    # The registry name this model answers to, and the class that implements it.
    registry_name: ClassVar[str] = ""
    class_name: ClassVar[str] = ""
    # Arguments the runtime fixes itself and rejects when given (Caffe2Xavier).
    fixed_args: ClassVar[tuple[str, ...]] = ()
    uses_layer: ClassVar[bool] = True

    scope: Union[Optional[InstanceOf[str]], UnknownValue] = Field(
        default=None, alias="_scope_", description="Registry scope to build in (popped first)."
    )

    def call_time_issues(self) -> list[CallTimeIssue]:
        return []


class BaseInitArgs(InitArgs):
    """`BaseInit.__init__(*, bias=0, bias_prob=None, layer=None)` (weight_init.py:131-158)."""

    bias: Annotated[Union[Number, UnknownValue], WithJsonSchema(
        {"type": ["number", "boolean"]})] = Field(  # a bool is a number to the runtime
        default=0, description="Value to fill biases with.")
    bias_prob: Annotated[Union[Optional[ExactFloat], UnknownValue],
                         WithJsonSchema(BIAS_PROB_SCHEMA)] = Field(
        default=None,
        description="Prior probability; sets bias to -log((1-p)/p) and overrides `bias`.",
    )
    layer: Annotated[Union[Optional[Union[InstanceOf[str], InstanceOf[list[Any]]]],
                           UnknownValue], WithJsonSchema(LAYER_SCHEMA)] = Field(
        default=None,
        description="Class name(s) to initialise; matches the class or a direct base only.",
    )

    @field_validator("bias_prob")
    @classmethod
    def _bias_prob_not_zero(cls, value: Any) -> Any:
        # -log((1-p)/p) divides by zero for a Python float 0.0; numpy floats give inf instead.
        if type(value) is float and value == 0.0:
            raise PydanticCustomError(  # reported by IL006 with this message
                "invalid_value", "`bias_prob=0.0` divides by zero; use a probability such as 0.01"
            )
        return value

    def call_time_issues(self) -> list[CallTimeIssue]:
        issues = []
        if self.bias_prob is None:  # otherwise the bias is -log((1-p)/p): inf or nan, both fine
            issues += _fill_issue("bias", self.bias, "biased")
        if isinstance(self.layer, list):
            for item in self.layer:
                if isinstance(item, (list, dict, set)):
                    issues.append(CallTimeIssue(
                        "layer", f"`layer` items must be class names, got {item!r}",
                        "runs"))
                    break
        return issues


class ConstantArgs(BaseInitArgs):
    registry_name = "Constant"
    class_name = "ConstantInit"
    type: Literal["Constant"] = "Constant"
    val: Any = Field(json_schema_extra=checked_on_use(1, 0, rule="a number"))

    def call_time_issues(self) -> list[CallTimeIssue]:
        return super().call_time_issues() + _fill_issue("val", self.val, "weighted")


class XavierArgs(BaseInitArgs):
    registry_name = "Xavier"
    class_name = "XavierInit"
    type: Literal["Xavier"] = "Xavier"
    gain: Any = Field(default=1, json_schema_extra=checked_on_use(1, rule="a number >= 0"))
    distribution: Any = Field(default="normal", json_schema_extra=checked_on_use(
        "normal", "uniform", rule="'normal' or 'uniform'"))

    def call_time_issues(self) -> list[CallTimeIssue]:
        issues = super().call_time_issues() + _distribution_issue(self.distribution)
        gain = as_python(self.gain)
        if unknown(gain):
            return issues
        # std = gain * sqrt(2 / (fan_in + fan_out)), then normal_(0, std) or, for 'uniform',
        # uniform_(-a, a) with a = sqrt(3) * std.
        if not is_real(gain):
            return issues + [_issue("gain", self.gain, "must be a number", "weighted")]
        value, problem = python_math(lambda: float(gain))
        if problem:
            return issues + [_issue("gain", self.gain, problem, "weighted")]
        if not value >= 0:
            issues.append(_issue("gain", self.gain, "must not be negative", "weighted"))
        elif math.isinf(value) and self.distribution == "uniform":
            issues.append(_issue("gain", self.gain, "must be finite with 'uniform'", "weighted"))
        return issues


class NormalArgs(BaseInitArgs):
    registry_name = "Normal"
    class_name = "NormalInit"
    type: Literal["Normal"] = "Normal"
    mean: Any = Field(default=0, json_schema_extra=checked_on_use(0, rule="a number"))
    std: Any = Field(default=1, json_schema_extra=checked_on_use(0.01, rule="a number >= 0"))

    def call_time_issues(self) -> list[CallTimeIssue]:
        issues = super().call_time_issues()
        known, bad = _float_args("weighted", mean=self.mean, std=self.std)
        if "std" in known and not known["std"] >= 0:
            bad.append(_issue("std", self.std, "must not be negative", "weighted"))
        return issues + bad


class TruncNormalArgs(BaseInitArgs):
    registry_name = "TruncNormal"
    class_name = "TruncNormalInit"
    type: Literal["TruncNormal"] = "TruncNormal"
    mean: Any = Field(default=0, json_schema_extra=checked_on_use(0, rule="a number"))
    std: Any = Field(default=1, json_schema_extra=checked_on_use(0.02, rule="a number > 0"))
    a: Any = Field(default=-2, json_schema_extra=checked_on_use(
        -2, rule="the lower cutoff, a number <= b"))
    b: Any = Field(default=2, json_schema_extra=checked_on_use(
        2, rule="the upper cutoff, a number >= a"))

    def call_time_issues(self) -> list[CallTimeIssue]:
        issues = super().call_time_issues()
        mean, std, a, b = (as_python(v) for v in (self.mean, self.std, self.a, self.b))
        if unknown(mean, std, a, b):
            return issues
        for field, value in (("mean", mean), ("std", std), ("a", a), ("b", b)):
            if not is_real(value):
                return issues + [_issue(field, value, "must be a number", "weighted")]
        if std == 0:
            return issues + [CallTimeIssue(
                "std", "`std=0` divides by zero in TruncNormal; use a positive std",
                "weighted")]
        # The runtime's own arithmetic (weight_init.py, _no_grad_trunc_normal_), then
        # uniform_(2*lower-1, 2*upper-1), which raises when lower > upper (a > b, std < 0).
        bounds, problem = python_math(lambda: (
            (mean < a - 2 * std) or (mean > b + 2 * std),
            norm_cdf((a - mean) / std), norm_cdf((b - mean) / std)))
        if problem:
            return issues + [_issue("std", self.std, problem, "weighted")]
        _, lower, upper = bounds
        if not lower <= upper:
            field = "std" if std < 0 else "a"
            what = "`std` must be positive" if std < 0 else "`a` must not be greater than `b`"
            issues.append(CallTimeIssue(
                field, f"{what} (a={self.a!r}, b={self.b!r}, std={self.std!r})",
                "weighted"))
        return issues


class UniformArgs(BaseInitArgs):
    registry_name = "Uniform"
    class_name = "UniformInit"
    type: Literal["Uniform"] = "Uniform"
    a: Any = Field(default=0, json_schema_extra=checked_on_use(
        0, rule="the lower bound, a number <= b"))
    b: Any = Field(default=1, json_schema_extra=checked_on_use(
        1, rule="the upper bound, a number >= a"))

    def call_time_issues(self) -> list[CallTimeIssue]:
        issues = super().call_time_issues()
        known, bad = _float_args("weighted", a=self.a, b=self.b)
        for field, value in known.items():
            if not math.isfinite(value) or abs(value) > FLOAT32_MAX:
                bad.append(_issue(field, value, "is out of range for a float32 weight",
                                  "weighted"))
        if not bad and len(known) == 2 and known["a"] > known["b"]:
            bad.append(CallTimeIssue(
                "a", f"`a` must not be greater than `b` (a={self.a!r}, b={self.b!r})",
                "weighted"))
        return issues + bad


class KaimingArgs(BaseInitArgs):
    registry_name = "Kaiming"
    class_name = "KaimingInit"
    type: Literal["Kaiming"] = "Kaiming"
    a: Any = Field(default=0, json_schema_extra=checked_on_use(
        0, rule="the negative slope, a number, used with nonlinearity='leaky_relu' only"))
    mode: Any = Field(default="fan_out", json_schema_extra=checked_on_use(
        "fan_out", "fan_in", rule="'fan_in' or 'fan_out', in any case"))
    nonlinearity: Any = Field(default="relu", json_schema_extra=checked_on_use(
        *KAIMING_NONLINEARITIES, rule="a name torch.nn.init.calculate_gain knows"))
    distribution: Any = Field(default="normal", json_schema_extra=checked_on_use(
        "normal", "uniform", rule="'normal' or 'uniform'"))

    def call_time_issues(self) -> list[CallTimeIssue]:
        issues = super().call_time_issues() + _distribution_issue(self.distribution)
        mode = self.mode
        if not unknown(mode) and (not isinstance(mode, str)
                                  or mode.lower() not in ("fan_in", "fan_out")):
            issues.append(CallTimeIssue(
                "mode", f"`mode` must be 'fan_in' or 'fan_out', got {mode!r}",
                "weighted"))
        nonlinearity = self.nonlinearity
        if unknown(nonlinearity):
            return issues
        if not isinstance(nonlinearity, str) or nonlinearity not in KAIMING_NONLINEARITIES:
            issues.append(CallTimeIssue(
                "nonlinearity",
                f"unsupported `nonlinearity` {nonlinearity!r}; use one of "
                + ", ".join(KAIMING_NONLINEARITIES), "weighted"))
        elif nonlinearity == "leaky_relu" and not unknown(self.a) and self.a is not None:
            a = self.a
            # torch.nn.init.calculate_gain: an int (not bool) or a float, then
            # sqrt(2 / (1 + a**2)), which must give a usable std.
            if isinstance(a, bool) or not isinstance(a, (int, float)):
                issues.append(_issue("a", a, "must be a number with leaky_relu", "weighted"))
            else:
                gain, problem = python_math(lambda: math.sqrt(2.0 / (1 + a**2)))
                if problem or math.isnan(gain):
                    issues.append(_issue("a", a, problem or "gives a nan gain", "weighted"))
        return issues


class Caffe2XavierArgs(BaseInitArgs):
    registry_name = "Caffe2Xavier"
    class_name = "Caffe2XavierInit"
    fixed_args = ("a", "mode", "nonlinearity", "distribution")
    type: Literal["Caffe2Xavier"] = "Caffe2Xavier"


class PretrainedArgs(InitArgs):
    registry_name = "Pretrained"
    class_name = "PretrainedInit"
    uses_layer = False
    type: Literal["Pretrained"] = "Pretrained"
    checkpoint: Any = Field(json_schema_extra={"type": "string"},
                            description="Path, URL or `scheme://name` of the checkpoint.")
    prefix: Any = Field(default=None,
                        json_schema_extra={"type": ["string", "null"], "minLength": 1},
                        description="Load only the keys under this prefix (a '.' is appended).")
    map_location: Any = Field(default="cpu", description="`torch.load` map_location.")

    def call_time_issues(self) -> list[CallTimeIssue]:
        issues = []
        checkpoint = self.checkpoint
        if not isinstance(checkpoint, (str, Unknown)):
            issues.append(CallTimeIssue(
                "checkpoint", f"`checkpoint` must be a string, got {checkpoint!r}",
                "runs"))
        prefix = self.prefix
        if prefix == "":
            issues.append(CallTimeIssue(
                "prefix",
                "`prefix=''` matches no key; use None to load the whole checkpoint", "runs"))
        elif prefix is not None and not isinstance(prefix, (str, Unknown)):
            issues.append(CallTimeIssue(
                "prefix", f"`prefix` must be a string, got {prefix!r}", "runs"))
        return issues


def _distribution_issue(distribution: Any) -> list[CallTimeIssue]:
    if isinstance(distribution, Unknown) or distribution in ("uniform", "normal"):
        return []
    return [CallTimeIssue(
        "distribution",
        f"`distribution` must be 'normal' or 'uniform', got {distribution!r}", "matched")]


BUILTIN_MODELS: dict[str, type[InitArgs]] = {
    model.registry_name: model
    for model in (ConstantArgs, XavierArgs, NormalArgs, TruncNormalArgs, UniformArgs,
                  KaimingArgs, Caffe2XavierArgs, PretrainedArgs)
}
