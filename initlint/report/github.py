"""`--output-format github`: GitHub Actions workflow commands, one annotation per diagnostic.

```text
::error file=configs/a.py,line=5,col=54,endLine=5,endColumn=60,title=IL004::Normal takes ...
```

error → `::error`, warning → `::warning`, info → `::notice`. Values are escaped as the Actions
toolkit (`@actions/core`, command.ts) escapes them: in the message `%`, CR and LF; in the
properties also `:` and `,`, which would otherwise end the property.
"""

from __future__ import annotations

from typing import TextIO

from ..diagnostics import Diagnostic
from .context import ReportContext

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(diagnostic: Diagnostic) -> str:
    properties: list[tuple[str, object]] = []
    if diagnostic.filename is not None:
        properties.append(("file", diagnostic.filename))
    if diagnostic.location is not None:
        properties += [("line", diagnostic.location.row), ("col", diagnostic.location.column)]
    if diagnostic.end_location is not None:
        properties += [
            ("endLine", diagnostic.end_location.row),
            ("endColumn", diagnostic.end_location.column),
        ]
    properties.append(("title", diagnostic.code))
    command = COMMANDS.get(diagnostic.severity, "error")
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"::{command} {props}::{escape_data(diagnostic.message)}"


def write_github(diagnostics: list[Diagnostic], ctx: ReportContext, out: TextIO) -> None:
    for diagnostic in diagnostics:
        out.write(annotation(diagnostic) + "\n")
