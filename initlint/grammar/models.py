"""The eight built-in initializers of MMEngine as Pydantic models (grammar.md §5).

Each `*Args` model holds exactly the arguments the runtime's `__init__` takes, with its
defaults, and validates what the runtime checks when it *builds* the initializer (a wrong
`bias` type, a missing `val`, an unknown keyword). What the runtime only checks when the
initializer *touches a module* (`distribution`, `std < 0`, ...) is suggested in the JSON Schema
and checked by `call_time_issues()` (calls.py), which the checker runs only when a module is
reached (grammar.md §5.2: with no match, bad values are silent). The lint path runs the same
grammar compiled to plain Python (spec.py, from data/grammar.json, generated from these models
by scripts/gen_grammar.py).

Any field accepts an `Unknown` value: what the static evaluator cannot resolve is never
reported.
"""

from collections.abc import Mapping
from functools import lru_cache
from typing import Annotated, Any, ClassVar, Literal, Optional, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    InstanceOf,
    ValidationError,
    WithJsonSchema,
    create_model,
    field_validator,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from ..values import Unknown
from .calls import KAIMING_NONLINEARITIES, CallTimeIssue, call_time_issues
from .spec import SCOPE_KEY, Errors, Initializer, Spec

UnknownValue = SkipJsonSchema[InstanceOf[Unknown]]


# JSON has no int/float or bool/int distinction: where the runtime makes one (`bias_prob=1` is
# refused, `bias=True` is a number), the schema says what JSON can.
BIAS_PROB_SCHEMA = {"anyOf": [{"type": "number", "not": {"const": 0}}, {"type": "null"}]}
LAYER_SCHEMA = {
    "anyOf": [  # unhashable items raise at the first module the entry visits
        {"type": "string"},
        {"type": "null"},
        {"type": "array", "items": {"not": {"type": ["array", "object"]}}},
    ]
}


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


class InitArgs(BaseModel):
    """Common base: unknown keywords are rejected, as `__init__` rejects them."""

    # Validators are built on first use: most runs need few of the models, or none.
    model_config = ConfigDict(
        extra="forbid", strict=True, arbitrary_types_allowed=True, defer_build=True
    )

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
        return call_time_issues(self.registry_name, isinstance(self, BaseInitArgs), self)


class BaseInitArgs(InitArgs):
    """`BaseInit.__init__(*, bias=0, bias_prob=None, layer=None)` (weight_init.py:131-158)."""

    bias: Annotated[
        Union[Number, UnknownValue], WithJsonSchema({"type": ["number", "boolean"]})
    ] = Field(  # a bool is a number to the runtime
        default=0, description="Value to fill biases with."
    )
    bias_prob: Annotated[
        Union[Optional[ExactFloat], UnknownValue], WithJsonSchema(BIAS_PROB_SCHEMA)
    ] = Field(
        default=None,
        description="Prior probability; sets bias to -log((1-p)/p) and overrides `bias`.",
    )
    layer: Annotated[
        Union[Optional[Union[InstanceOf[str], InstanceOf[list[Any]]]], UnknownValue],
        WithJsonSchema(LAYER_SCHEMA),
    ] = Field(
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


class ConstantArgs(BaseInitArgs):
    registry_name = "Constant"
    class_name = "ConstantInit"
    type: Literal["Constant"] = "Constant"
    val: Any = Field(json_schema_extra=checked_on_use(1, 0, rule="a number"))


class XavierArgs(BaseInitArgs):
    registry_name = "Xavier"
    class_name = "XavierInit"
    type: Literal["Xavier"] = "Xavier"
    gain: Any = Field(default=1, json_schema_extra=checked_on_use(1, rule="a number >= 0"))
    distribution: Any = Field(
        default="normal",
        json_schema_extra=checked_on_use("normal", "uniform", rule="'normal' or 'uniform'"),
    )


class NormalArgs(BaseInitArgs):
    registry_name = "Normal"
    class_name = "NormalInit"
    type: Literal["Normal"] = "Normal"
    mean: Any = Field(default=0, json_schema_extra=checked_on_use(0, rule="a number"))
    std: Any = Field(default=1, json_schema_extra=checked_on_use(0.01, rule="a number >= 0"))


class TruncNormalArgs(BaseInitArgs):
    registry_name = "TruncNormal"
    class_name = "TruncNormalInit"
    type: Literal["TruncNormal"] = "TruncNormal"
    mean: Any = Field(default=0, json_schema_extra=checked_on_use(0, rule="a number"))
    std: Any = Field(default=1, json_schema_extra=checked_on_use(0.02, rule="a number > 0"))
    a: Any = Field(
        default=-2, json_schema_extra=checked_on_use(-2, rule="the lower cutoff, a number <= b")
    )
    b: Any = Field(
        default=2, json_schema_extra=checked_on_use(2, rule="the upper cutoff, a number >= a")
    )


class UniformArgs(BaseInitArgs):
    registry_name = "Uniform"
    class_name = "UniformInit"
    type: Literal["Uniform"] = "Uniform"
    a: Any = Field(
        default=0, json_schema_extra=checked_on_use(0, rule="the lower bound, a number <= b")
    )
    b: Any = Field(
        default=1, json_schema_extra=checked_on_use(1, rule="the upper bound, a number >= a")
    )


class KaimingArgs(BaseInitArgs):
    registry_name = "Kaiming"
    class_name = "KaimingInit"
    type: Literal["Kaiming"] = "Kaiming"
    a: Any = Field(
        default=0,
        json_schema_extra=checked_on_use(
            0, rule="the negative slope, a number, used with nonlinearity='leaky_relu' only"
        ),
    )
    mode: Any = Field(
        default="fan_out",
        json_schema_extra=checked_on_use(
            "fan_out", "fan_in", rule="'fan_in' or 'fan_out', in any case"
        ),
    )
    nonlinearity: Any = Field(
        default="relu",
        json_schema_extra=checked_on_use(
            *KAIMING_NONLINEARITIES, rule="a name torch.nn.init.calculate_gain knows"
        ),
    )
    distribution: Any = Field(
        default="normal",
        json_schema_extra=checked_on_use("normal", "uniform", rule="'normal' or 'uniform'"),
    )


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
    checkpoint: Any = Field(
        json_schema_extra={"type": "string"},
        description="Path, URL or `scheme://name` of the checkpoint.",
    )
    prefix: Any = Field(
        default=None,
        json_schema_extra={"type": ["string", "null"], "minLength": 1},
        description="Load only the keys under this prefix (a '.' is appended).",
    )
    map_location: Any = Field(default="cpu", description="`torch.load` map_location.")


class ModelSpec:
    """A model seen as an `Initializer` (spec.py): what `validate_init_cfg` builds with."""

    def __init__(self, model: type[InitArgs], mmcv1: bool = False) -> None:
        self.model = model
        self.registry_name = model.registry_name
        self.class_name = model.class_name
        self.fixed_args = model.fixed_args
        self.uses_layer = model.uses_layer
        self.base_init = issubclass(model, BaseInitArgs)
        # mmcv 1.x builds the same models, except that `_scope_` reaches `__init__` (spec.py,
        # `Spec.for_mmcv1`): the one field it has no place for.
        self.mmcv1 = mmcv1

    @property
    def keys(self) -> list[str]:
        return [
            f.alias or n
            for n, f in self.model.model_fields.items()
            if n != "type" and not (self.mmcv1 and f.alias == SCOPE_KEY)
        ]

    def build(self, data: Mapping[str, Any]) -> tuple[Optional[InitArgs], Errors]:
        errors: Errors = {}
        if self.mmcv1 and SCOPE_KEY in data:
            errors[SCOPE_KEY] = [
                {
                    "type": "extra_forbidden",
                    "loc": (SCOPE_KEY,),
                    "msg": "Extra inputs are not permitted",
                    "input": data[SCOPE_KEY],
                }
            ]
            data = {k: v for k, v in data.items() if k != SCOPE_KEY}
        try:
            built = self.model.model_validate({**data, "type": self.registry_name})
        except ValidationError as exc:
            for error in exc.errors():
                key = str(error["loc"][0]) if error["loc"] else ""
                errors.setdefault(key, []).append(dict(error))
            return None, errors
        return (None, errors) if errors else (built, {})


def model_of(spec: Spec) -> type[InitArgs]:
    """The Pydantic model of a project's initializer (`Spec.from_signature`)."""
    fields: dict[str, Any] = {"type": (Literal[spec.registry_name], spec.registry_name)}
    base: type[InitArgs] = BaseInitArgs if spec.base_init else InitArgs
    for argument in spec.arguments:
        if argument.attribute not in base.model_fields:
            fields[argument.attribute] = (Any, ... if argument.required else None)
    model: type[InitArgs] = create_model(
        f"{spec.registry_name}Args",
        __base__=base,
        __config__=None
        if spec.base_init
        else ConfigDict(extra=spec.extra, arbitrary_types_allowed=True),
        **fields,
    )
    model.registry_name = model.class_name = spec.registry_name
    return model


BUILTIN_MODELS: dict[str, type[InitArgs]] = {
    model.registry_name: model
    for model in (
        ConstantArgs,
        XavierArgs,
        NormalArgs,
        TruncNormalArgs,
        UniformArgs,
        KaimingArgs,
        Caffe2XavierArgs,
        PretrainedArgs,
    )
}


@lru_cache(maxsize=2)
def model_specs(target: str = "mmengine") -> dict[str, Initializer]:
    """The built-in initializers as their models, by registry name, as `target` builds them."""
    return {
        name: ModelSpec(model, mmcv1=target == "mmcv1") for name, model in BUILTIN_MODELS.items()
    }
