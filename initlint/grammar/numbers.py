"""How torch and Python take the numbers an initializer passes on (grammar.md §5.2).

Torch reads Python and numpy numbers; what it refuses depends on the call: `fill_` (Constant's
`val`, every `bias`) takes any real number a float32 can hold, `normal_`/`uniform_` take
float arguments, and Xavier/Kaiming/TruncNormal first do plain Python arithmetic on them.
Each helper answers with a problem description, or None when the runtime accepts the value.
"""

from __future__ import annotations

import math
from typing import Any, Optional

from ..values import Unknown

FLOAT32_MAX = 3.4028234663852886e38
# A Python int becomes an int64, or a uint64 when it is too big for that.
INT_MIN, INT_MAX = -(2**63), 2**64 - 1


def as_python(value: Any) -> Any:
    """numpy scalars as the Python numbers torch reads them as."""
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        try:
            return value.item()
        except (TypeError, ValueError):
            return value
    return value


def is_real(value: Any) -> bool:
    value = as_python(value)
    return isinstance(value, (int, float)) and not isinstance(value, complex)


def fill_problem(value: Any) -> Optional[str]:
    """`tensor.fill_(value)` on a float32 weight."""
    value = as_python(value)
    if isinstance(value, complex):
        if value.imag != 0:
            return "has an imaginary part"
        value = value.real
    if isinstance(value, int):
        return None if INT_MIN <= value <= INT_MAX else "is too big for a tensor"
    if isinstance(value, float):
        if math.isfinite(value) and abs(value) > FLOAT32_MAX:
            return "overflows a float32 weight"
        return None
    return "must be a number"


def float_arg(value: Any) -> tuple[Optional[float], Optional[str]]:
    """A float argument of `normal_`/`uniform_`: the value, or why torch refuses it."""
    value = as_python(value)
    if not is_real(value):
        return None, "must be a number"
    try:
        return float(value), None
    except OverflowError:
        return None, "is too big for a float"


def python_math(expression: Any) -> tuple[Any, Optional[str]]:
    """Run the runtime's own pure-Python arithmetic; what it raises is the problem."""
    try:
        return expression(), None
    except (TypeError, ValueError, ZeroDivisionError, OverflowError) as exc:
        return None, f"fails in the runtime ({type(exc).__name__}: {exc})"


def unknown(*values: Any) -> bool:
    return any(isinstance(v, Unknown) for v in values)


def norm_cdf(x: float) -> float:
    return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0
