"""What the runtime checks only once an initializer touches a module (grammar.md §5.2), for
the arguments an initializer was built with: plain Python, shared by the Pydantic models
(`models.py`) and the compiled grammar the lint path uses (`spec.py`), so that neither needs the
other. `args` is anything with the initializer's arguments as attributes."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

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

KAIMING_NONLINEARITIES = (
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

# When a call-time rule fires: as soon as the initializer runs, when a module matches `layer`
# (or is reached through an override), or only when that module has a weight (or a bias).
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


def _distribution_issue(distribution: Any) -> list[CallTimeIssue]:
    if isinstance(distribution, Unknown) or distribution in ("uniform", "normal"):
        return []
    return [
        CallTimeIssue(
            "distribution",
            f"`distribution` must be 'normal' or 'uniform', got {distribution!r}",
            "matched",
        )
    ]


def base_init(args: Any) -> list[CallTimeIssue]:
    issues = []
    if args.bias_prob is None:  # otherwise the bias is -log((1-p)/p): inf or nan, both fine
        issues += _fill_issue("bias", args.bias, "biased")
    if isinstance(args.layer, list):
        for item in args.layer:
            if isinstance(item, (list, dict, set)):
                issues.append(
                    CallTimeIssue(
                        "layer", f"`layer` items must be class names, got {item!r}", "runs"
                    )
                )
                break
    return issues


def constant(args: Any) -> list[CallTimeIssue]:
    return base_init(args) + _fill_issue("val", args.val, "weighted")


def xavier(args: Any) -> list[CallTimeIssue]:
    issues = base_init(args) + _distribution_issue(args.distribution)
    gain = as_python(args.gain)
    if unknown(gain):
        return issues
    # std = gain * sqrt(2 / (fan_in + fan_out)), then normal_(0, std) or, for 'uniform',
    # uniform_(-a, a) with a = sqrt(3) * std.
    if not is_real(gain):
        return issues + [_issue("gain", args.gain, "must be a number", "weighted")]
    value, problem = python_math(lambda: float(gain))
    if problem:
        return issues + [_issue("gain", args.gain, problem, "weighted")]
    if not value >= 0:
        issues.append(_issue("gain", args.gain, "must not be negative", "weighted"))
    elif math.isinf(value) and args.distribution == "uniform":
        issues.append(_issue("gain", args.gain, "must be finite with 'uniform'", "weighted"))
    return issues


def normal(args: Any) -> list[CallTimeIssue]:
    issues = base_init(args)
    known, bad = _float_args("weighted", mean=args.mean, std=args.std)
    if "std" in known and not known["std"] >= 0:
        bad.append(_issue("std", args.std, "must not be negative", "weighted"))
    return issues + bad


def trunc_normal(args: Any) -> list[CallTimeIssue]:
    issues = base_init(args)
    mean, std, a, b = (as_python(v) for v in (args.mean, args.std, args.a, args.b))
    if unknown(mean, std, a, b):
        return issues
    for field, value in (("mean", mean), ("std", std), ("a", a), ("b", b)):
        if not is_real(value):
            return issues + [_issue(field, value, "must be a number", "weighted")]
    if std == 0:
        return issues + [
            CallTimeIssue(
                "std", "`std=0` divides by zero in TruncNormal; use a positive std", "weighted"
            )
        ]
    # The runtime's own arithmetic (weight_init.py, _no_grad_trunc_normal_), then
    # uniform_(2*lower-1, 2*upper-1), which raises when lower > upper (a > b, std < 0).
    bounds, problem = python_math(
        lambda: (
            (mean < a - 2 * std) or (mean > b + 2 * std),
            norm_cdf((a - mean) / std),
            norm_cdf((b - mean) / std),
        )
    )
    if problem:
        return issues + [_issue("std", args.std, problem, "weighted")]
    _, lower, upper = bounds
    if not lower <= upper:
        field = "std" if std < 0 else "a"
        what = "`std` must be positive" if std < 0 else "`a` must not be greater than `b`"
        issues.append(
            CallTimeIssue(
                field, f"{what} (a={args.a!r}, b={args.b!r}, std={args.std!r})", "weighted"
            )
        )
    return issues


def uniform(args: Any) -> list[CallTimeIssue]:
    issues = base_init(args)
    known, bad = _float_args("weighted", a=args.a, b=args.b)
    for field, value in known.items():
        if not math.isfinite(value) or abs(value) > FLOAT32_MAX:
            bad.append(_issue(field, value, "is out of range for a float32 weight", "weighted"))
    if not bad and len(known) == 2 and known["a"] > known["b"]:
        bad.append(
            CallTimeIssue(
                "a", f"`a` must not be greater than `b` (a={args.a!r}, b={args.b!r})", "weighted"
            )
        )
    return issues + bad


def kaiming(args: Any) -> list[CallTimeIssue]:
    issues = base_init(args) + _distribution_issue(args.distribution)
    mode = args.mode
    if not unknown(mode) and (
        not isinstance(mode, str) or mode.lower() not in ("fan_in", "fan_out")
    ):
        issues.append(
            CallTimeIssue("mode", f"`mode` must be 'fan_in' or 'fan_out', got {mode!r}", "weighted")
        )
    nonlinearity = args.nonlinearity
    if unknown(nonlinearity):
        return issues
    if not isinstance(nonlinearity, str) or nonlinearity not in KAIMING_NONLINEARITIES:
        issues.append(
            CallTimeIssue(
                "nonlinearity",
                f"unsupported `nonlinearity` {nonlinearity!r}; use one of "
                + ", ".join(KAIMING_NONLINEARITIES),
                "weighted",
            )
        )
    elif nonlinearity == "leaky_relu" and not unknown(args.a) and args.a is not None:
        a = args.a
        # torch.nn.init.calculate_gain: an int (not bool) or a float, then
        # sqrt(2 / (1 + a**2)), which must give a usable std.
        if isinstance(a, bool) or not isinstance(a, (int, float)):
            issues.append(_issue("a", a, "must be a number with leaky_relu", "weighted"))
        else:
            gain, problem = python_math(lambda: math.sqrt(2.0 / (1 + a**2)))
            if problem or math.isnan(gain):
                issues.append(_issue("a", a, problem or "gives a nan gain", "weighted"))
    return issues


def pretrained(args: Any) -> list[CallTimeIssue]:
    issues = []
    checkpoint = args.checkpoint
    if not isinstance(checkpoint, (str, Unknown)):
        issues.append(
            CallTimeIssue(
                "checkpoint", f"`checkpoint` must be a string, got {checkpoint!r}", "runs"
            )
        )
    prefix = args.prefix
    if prefix == "":
        issues.append(
            CallTimeIssue(
                "prefix",
                "`prefix=''` matches no key; use None to load the whole checkpoint",
                "runs",
            )
        )
    elif prefix is not None and not isinstance(prefix, (str, Unknown)):
        issues.append(CallTimeIssue("prefix", f"`prefix` must be a string, got {prefix!r}", "runs"))
    return issues


BY_NAME: dict[str, Callable[[Any], list[CallTimeIssue]]] = {
    "Constant": constant,
    "Xavier": xavier,
    "Normal": normal,
    "TruncNormal": trunc_normal,
    "Uniform": uniform,
    "Kaiming": kaiming,
    "Caffe2Xavier": base_init,
    "Pretrained": pretrained,
}


def call_time_issues(name: str, base: bool, args: Any) -> list[CallTimeIssue]:
    """The issues of initializer `name` (a project's own: those of BaseInit, when it is one)."""
    check = BY_NAME.get(name)
    if check is not None:
        return check(args)
    return base_init(args) if base else []
