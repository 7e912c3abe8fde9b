"""`validate_init_cfg`: the checks on a plain Python value, for scripts and notebooks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .checks.context import SiteContext
from .diagnostics import Diagnostic, dedupe, to_diagnostic
from .engine import check_site
from .grammar.types import Initializers
from .values import from_python


def validate_init_cfg(value: Any, *, custom_initializers: Iterable[str] = ()) -> list[Diagnostic]:
    """Check an init_cfg value (dict, list, tuple, None, ...) as `BaseModule.init_weights()`
    would consume it, assuming the module holds the layers the value names and the attributes
    its overrides name.

    `custom_initializers` lists initializer names your project registers; their arguments
    are not checked. Any other unknown `type` is an error, as it is for MMEngine.
    """
    from .grammar.models import model_specs  # the Pydantic models themselves

    known = Initializers(custom={name: None for name in custom_initializers}, complete=True,
                         builtins=model_specs())
    findings = check_site(SiteContext(from_python(value), known))
    return dedupe(to_diagnostic(f) for f in findings)
