"""`validate_init_cfg`: the checks on a plain Python value, for scripts and notebooks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .checks.context import SiteContext
from .diagnostics import Diagnostic, dedupe, to_diagnostic
from .engine import check_site
from .grammar.layers import LayerKnowledge
from .grammar.types import Initializers
from .target import TARGETS, Target
from .values import from_python


def validate_init_cfg(
    value: Any, *, custom_initializers: Iterable[str] = (), target: Target = "mmengine"
) -> list[Diagnostic]:
    """Check an init_cfg value (dict, list, tuple, None, ...) as `BaseModule.init_weights()`
    would consume it, assuming the module holds the layers the value names and the attributes
    its overrides name.

    `custom_initializers` lists initializer names your project registers; their arguments
    are not checked. Any other unknown `type` is an error, as it is for MMEngine.
    `target` is the runtime: "mmengine" (`mmengine.model.BaseModule`) or "mmcv1"
    (`mmcv.runner.BaseModule` of mmcv 1.x).
    """
    from .grammar.models import model_specs  # the Pydantic models themselves

    if target not in TARGETS:
        raise ValueError(f"target must be one of {', '.join(TARGETS)}, got {target!r}")
    known = Initializers(
        custom={name: None for name in custom_initializers},
        complete=True,
        builtins=model_specs(target),
        target=target,
    )
    site = SiteContext(from_python(value), known, LayerKnowledge.for_target(target), target=target)
    return dedupe(to_diagnostic(f) for f in check_site(site))
