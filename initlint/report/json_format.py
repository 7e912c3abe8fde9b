"""`--output-format json` and `json-lines`: ruff's field names plus `severity`, `config_path`
and `path`. schemas/output.schema.json describes the array (`json`) and each object
(`$defs/diagnostic`, one per line of `json-lines`).

`json-report` (opt-in, so that readers of the array are left alone) is one object: the same
diagnostics, the number of files checked and the notes of what the run could not see
(`$defs/report`)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from ..catalog import documents
from ..diagnostics import Diagnostic, to_dict
from .context import ReportContext


def as_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    """The JSON object of a diagnostic: `to_dict` without what only the cache needs, plus the
    row an ignore comment silences it on and the rule's document."""
    rule = documents().get(diagnostic.code)
    data = to_dict(diagnostic)
    del data["suppress_rows"]
    data["noqa_row"] = diagnostic.location.row if diagnostic.location else None
    data["url"] = rule.url if rule else None
    return data


def write_json(diagnostics: list[Diagnostic], out: TextIO) -> None:
    json.dump([as_dict(d) for d in diagnostics], out, indent=2)
    out.write("\n")


def write_json_lines(diagnostics: list[Diagnostic], out: TextIO) -> None:
    """One JSON object per line (the objects of `write_json`); nothing when there are none."""
    for diagnostic in diagnostics:
        out.write(json.dumps(as_dict(diagnostic), separators=(",", ":")) + "\n")


def write_json_report(diagnostics: list[Diagnostic], ctx: ReportContext, out: TextIO) -> None:
    json.dump(
        {
            "version": 1,
            "files_checked": ctx.files_checked,
            "diagnostics": [as_dict(d) for d in diagnostics],
            "notes": [n.as_dict() for n in ctx.notes],
        },
        out,
        indent=2,
    )
    out.write("\n")
