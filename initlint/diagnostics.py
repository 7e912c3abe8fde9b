"""Diagnostic, the one result type every check produces and every report consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

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


def _location_dict(loc: Optional[Location]) -> Optional[dict[str, int]]:
    return {"row": loc.row, "column": loc.column} if loc else None


def _location(data: Optional[dict[str, int]]) -> Optional[Location]:
    return Location(data["row"], data["column"]) if data else None


def to_dict(d: Diagnostic) -> dict[str, Any]:
    """Everything a Diagnostic holds, as JSON (the cache stores diagnostics so)."""
    return {
        "code": d.code, "severity": d.severity, "message": d.message, "path": d.path,
        "filename": d.filename, "location": _location_dict(d.location),
        "end_location": _location_dict(d.end_location), "config_path": d.config_path,
        "fix": None if d.fix is None else {
            "message": d.fix.message, "applicability": d.fix.applicability,
            "edits": [{"content": e.content, "location": _location_dict(e.location),
                       "end_location": _location_dict(e.end_location)} for e in d.fix.edits]},
        "related": [{"message": r.message, "filename": r.filename,
                     "location": _location_dict(r.location)} for r in d.related],
        "suppress_rows": list(d.suppress_rows),
    }


def from_dict(data: dict[str, Any]) -> Diagnostic:
    fix = data.get("fix")
    return Diagnostic(
        code=data["code"], severity=data["severity"], message=data["message"],
        path=data.get("path", ""), filename=data.get("filename"),
        location=_location(data.get("location")),
        end_location=_location(data.get("end_location")),
        config_path=data.get("config_path"),
        fix=None if fix is None else Fix(fix["message"], fix["applicability"], tuple(
            Edit(e["content"], _location(e["location"]) or Location(0, 0),
                 _location(e["end_location"]) or Location(0, 0)) for e in fix["edits"])),
        related=tuple(Related(r["message"], r["filename"], _location(r.get("location")))
                      for r in data.get("related", [])),
        suppress_rows=tuple(data.get("suppress_rows", ())),
    )
