"""`--output-format sarif`: a SARIF 2.1.0 log for code-scanning services (GitHub, Azure DevOps).

One run; `tool.driver.rules` is the whole catalogue (sorted by code, so `ruleIndex` is stable);
each result has its `ruleId`, a `level` (error → error, warning → warning, info → note), the
message, the location relative to the project root (`uriBaseId` `%SRCROOT%`, resolved in
`originalUriBaseIds`), the config path as a logical location, and a `partialFingerprints`
hash of what identifies the mistake, not where it is: code, file, path inside the init_cfg,
config path and message. Columns are code points (`columnKind`), end columns exclusive.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any, Optional, TextIO
from urllib.parse import quote

from .. import __version__
from ..catalog import Document, documents
from ..diagnostics import Diagnostic, Edit, Location
from ..read import resolved
from .context import ReportContext
from .notes import Note

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://github.com/initlint/initlint"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "initlint/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
# GitHub code scanning reads this rule property for the severity it shows.
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}


def project_root(start: Optional[Path] = None) -> Path:
    """The repository around `start` (the nearest folder with `.git`), else `start` itself."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def write_sarif(diagnostics: list[Diagnostic], ctx: ReportContext, out: TextIO) -> None:
    json.dump(sarif_log(diagnostics, ctx), out, indent=2)
    out.write("\n")


def sarif_log(diagnostics: list[Diagnostic], ctx: ReportContext) -> dict[str, Any]:
    root = (ctx.root or project_root()).resolve()
    rules = sorted(documents().values(), key=lambda rule: rule.code)
    index = {rule.code: i for i, rule in enumerate(rules)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "initlint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [sarif_rule(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": {
                    SRCROOT: {
                        "uri": "file://" + quote(os.fsencode(root.as_posix().rstrip("/"))) + "/"
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [sarif_result(d, root, index) for d in diagnostics],
                # What the run could not see: a tool notification, only when there is one.
                **(
                    {
                        "invocations": [
                            {
                                "executionSuccessful": True,
                                "toolExecutionNotifications": [
                                    notification(note, root) for note in ctx.notes
                                ],
                            }
                        ]
                    }
                    if ctx.notes
                    else {}
                ),
            }
        ],
    }


def notification(note: Note, root: Path) -> dict[str, Any]:
    locations = []
    for where in note.where:
        filename, row, column = where.rsplit(":", 2)
        locations.append(
            {
                "physicalLocation": physical_location(
                    artifact_location(filename, root), Location(int(row), int(column)), None
                )
            }
        )
    return {
        "descriptor": {"id": note.kind},
        "level": "warning",
        "message": {"text": note.message},
        "locations": locations,
        "properties": {"configs": list(note.configs), "package": note.package, "hint": note.hint},
    }


def sarif_rule(rule: Document) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": description(rule)},
        "help": {"text": rule.body, "markdown": rule.body},
        "helpUri": rule.url,
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "problem.severity": PROBLEM_SEVERITY[rule.severity],
            "fix": rule.fix,
            "since": rule.since,
        },
    }


def description(rule: Document) -> str:
    """The prose of the document (What it does, Why it matters), without the examples, which
    `help` carries with the rest of the document."""
    sections = {}
    for part in ("\n" + rule.body).split("\n## ")[1:]:
        heading, _, text = part.partition("\n")
        sections[heading.strip().lower()] = text.strip()
    prose = [sections[h] for h in ("what it does", "why it matters") if sections.get(h)]
    return unwrap("\n\n".join(prose)) if prose else rule.summary


BLOCK_LINE = re.compile(r"\s*([-*|>]|```|\d+[.)])")


def unwrap(text: str) -> str:
    """Join the hard-wrapped lines of each paragraph; lists, tables and code stay as written."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(
        p if any(BLOCK_LINE.match(line) for line in p.splitlines()) else " ".join(p.split())
        for p in paragraphs
    )


def artifact_location(filename: str, root: Path) -> dict[str, str]:
    """The file relative to the root when inside it (`%SRCROOT%`), else an absolute URI. The
    URI quotes the name's bytes as on disk: a name that is not UTF-8 keeps its bytes."""
    path = Path(filename)
    absolute = resolved(path if path.is_absolute() else Path.cwd() / path)
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return {"uri": "file://" + quote(os.fsencode(absolute.as_posix()))}
    return {"uri": quote(os.fsencode(relative.as_posix())), "uriBaseId": SRCROOT}


def text(value: str) -> str:
    """Text as valid Unicode: a file name that is not UTF-8 (held as surrogates) gets U+FFFD
    for its bad bytes, as SARIF consumers reject lone surrogates."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def region(start: Location, end: Optional[Location]) -> dict[str, int]:
    out = {"startLine": start.row, "startColumn": start.column}
    if end is not None:
        out |= {"endLine": end.row, "endColumn": end.column}
    return out


def physical_location(
    artifact: dict[str, str], start: Optional[Location], end: Optional[Location]
) -> dict[str, Any]:
    out: dict[str, Any] = {"artifactLocation": artifact}
    if start is not None:
        out["region"] = region(start, end)
    return out


def fingerprint(diagnostic: Diagnostic, uri: str) -> str:
    """Stable across runs and edits elsewhere in the file: no line or column in it."""
    key = "\0".join(
        [diagnostic.code, uri, diagnostic.path, diagnostic.config_path or "", diagnostic.message]
    )
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def sarif_result(diagnostic: Diagnostic, root: Path, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": diagnostic.code}
    if diagnostic.code in index:
        result["ruleIndex"] = index[diagnostic.code]
    result["level"] = LEVELS.get(diagnostic.severity, "error")
    result["message"] = {"text": text(diagnostic.message)}
    artifact = None if diagnostic.filename is None else artifact_location(diagnostic.filename, root)
    location: dict[str, Any] = {}
    if artifact is not None:
        location["physicalLocation"] = physical_location(
            artifact, diagnostic.location, diagnostic.end_location
        )
    if diagnostic.config_path:
        location["logicalLocations"] = [{"fullyQualifiedName": text(diagnostic.config_path)}]
    result["locations"] = [location] if location else []
    if diagnostic.related:
        result["relatedLocations"] = [
            {
                "id": i,
                "message": {"text": text(related.message)},
                "physicalLocation": physical_location(
                    artifact_location(related.filename, root), related.location, None
                ),
            }
            for i, related in enumerate(diagnostic.related, 1)
        ]
    if diagnostic.fix is not None and diagnostic.fix.edits and artifact is not None:
        fix = diagnostic.fix
        by_file: dict[str, list[Edit]] = {}
        for edit in fix.edits:  # a fix may land in another file (a `_base_` file)
            by_file.setdefault(edit.filename or diagnostic.filename or "", []).append(edit)
        result["fixes"] = [
            {
                "description": {"text": fix.message},
                "artifactChanges": [
                    {
                        "artifactLocation": artifact_location(name, root),
                        "replacements": [
                            {
                                "deletedRegion": region(edit.location, edit.end_location),
                                "insertedContent": {"text": edit.content},
                            }
                            for edit in edits
                        ],
                    }
                    for name, edits in by_file.items()
                ],
            }
        ]
    result["partialFingerprints"] = {
        FINGERPRINT: fingerprint(diagnostic, artifact["uri"] if artifact else "")
    }
    if diagnostic.fix is not None:
        result["properties"] = {"fixApplicability": diagnostic.fix.applicability}
    return result
