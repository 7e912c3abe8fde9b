"""Finding: what every stage reports (the loader, the readers, the rules), before it becomes a
`Diagnostic` in one place (`to_diagnostic`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional

from .values import PathPart, Span

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    """A rule's verdict on one place: its code, the message, where (`span`; None for a value
    that comes from Python) and where inside the init_cfg value (`path`)."""

    code: str
    message: str
    span: Optional[Span] = None
    path: tuple[PathPart, ...] = ()
    severity: Optional[Severity] = None  # None: the rule's own
    # Other places that explain it (message, span), e.g. where a variable was defined.
    related: tuple[tuple[str, Span], ...] = ()
