"""Diagnostic, the one result type every check produces and every report consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .values import Span

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Location:
    row: int
    column: int


@dataclass(frozen=True)
class Edit:
    content: str
    location: Location
    end_location: Location


@dataclass(frozen=True)
class Fix:
    message: str
    applicability: str  # "safe" or "unsafe"
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Related:
    """Another place that explains a diagnostic (e.g. the config through which a base was read)."""

    message: str
    filename: str
    location: Optional[Location] = None


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: str
    message: str
    # Where inside the init_cfg value, e.g. "[1].override.name" ("" for the value itself).
    path: str = ""
    filename: Optional[str] = None
    location: Optional[Location] = None
    end_location: Optional[Location] = None
    # Where in the config, e.g. "model.backbone.init_cfg[0].override"; None for source sites.
    config_path: Optional[str] = None
    fix: Optional[Fix] = None
    related: tuple[Related, ...] = field(default=())
    # Rows (in `filename`) where an ignore comment silences this diagnostic: its own row and
    # the first row of each dict, call or list it sits in, out to the init_cfg value.
    suppress_rows: tuple[int, ...] = field(default=(), compare=False)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location or Location(0, 0)
        return (self.filename or "", loc.row, loc.column, self.code, self.message)


def span_locations(span: Optional[Span]) -> tuple[Optional[Location], Optional[Location]]:
    if span is None:
        return None, None
    return Location(span.row, span.column), Location(span.end_row, span.end_column)
