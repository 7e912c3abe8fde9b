"""Finding: what every stage reports (the loader, the readers, the rules), before it becomes a
`Diagnostic` in one place (`to_diagnostic`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional

from .fix.plan import FixPlan
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
    # How to fix it, when the rule knows (resolved into edits against the file's text).
    fix: Optional[FixPlan] = None


@dataclass(frozen=True)
class UnresolvedBase:
    """A `_base_` entry (or a lazy import) whose file could not be found and is not reported
    as a diagnostic: what it adds to the config is unknown. `package`: the package it names
    when that package is what is missing (the fix: install it or give --config-root)."""

    file: str  # the config that wrote it, as shown
    row: int
    column: int
    written: str  # "" when it is not a plain string
    reason: str
    package: Optional[str] = None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.row}:{self.column}"
