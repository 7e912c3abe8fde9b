"""`--output-format json` and `json-lines`: ruff's field names plus `severity`, `config_path`
and `path`. schemas/output.schema.json describes the array (`json`) and each object
(`$defs/diagnostic`, one per line of `json-lines`)."""

from __future__ import annotations

import json
from typing import Any, Optional, TextIO

from ..catalog import get_rule
from ..diagnostics import Diagnostic, Location


def _location(loc: Optional[Location]) -> Optional[dict[str, int]]:
    return {"row": loc.row, "column": loc.column} if loc else None


def as_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    rule = get_rule(diagnostic.code)
    fix = diagnostic.fix
    return {
        "code": diagnostic.code,
        "severity": diagnostic.severity,
        "message": diagnostic.message,
        "filename": diagnostic.filename,
        "location": _location(diagnostic.location),
        "end_location": _location(diagnostic.end_location),
        "config_path": diagnostic.config_path,
        "path": diagnostic.path,
        "fix": None if fix is None else {
            "applicability": fix.applicability,
            "message": fix.message,
            "edits": [{"content": e.content, "location": _location(e.location),
                       "end_location": _location(e.end_location)} for e in fix.edits],
        },
        "related": [{"message": r.message, "filename": r.filename,
                     "location": _location(r.location)} for r in diagnostic.related],
        "noqa_row": diagnostic.location.row if diagnostic.location else None,
        "url": rule.url if rule else None,
    }


def write_json(diagnostics: list[Diagnostic], out: TextIO) -> None:
    json.dump([as_dict(d) for d in diagnostics], out, indent=2)
    out.write("\n")


def write_json_lines(diagnostics: list[Diagnostic], out: TextIO) -> None:
    """One JSON object per line (the objects of `write_json`); nothing when there are none."""
    for diagnostic in diagnostics:
        out.write(json.dumps(as_dict(diagnostic), separators=(",", ":")) + "\n")
