"""`--output-format junit`: a JUnit XML report for CI test dashboards.

One `<testsuite name="initlint">` inside `<testsuites>`; one `<testcase>` per file checked
(`name` and `file` are the path, `classname` is "initlint"), passing when the file has no
diagnostic, else holding one `<failure>` per diagnostic (`type` the code, `message` the
message, the text `path:row:col: CODE [severity] message`). `failures` counts failing test
cases. No timestamps or durations, so the same run gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from ..diagnostics import Diagnostic
from .context import ReportContext
from .full import header

# Characters XML 1.0 cannot hold at all, even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: str) -> str:
    return NOT_XML.sub("\ufffd", value)


def write_junit(diagnostics: list[Diagnostic], ctx: ReportContext, out: TextIO) -> None:
    by_file: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        by_file.setdefault(diagnostic.filename or "<unknown>", []).append(diagnostic)
    files = sorted(set(ctx.files or ()) | set(by_file))
    failing = sum(1 for name in files if name in by_file)
    counts = {"tests": str(len(files)), "failures": str(failing), "errors": "0"}
    suites = ET.Element("testsuites", {"name": "initlint", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": "initlint", **counts, "skipped": "0"})
    for name in files:
        case = ET.SubElement(
            suite,
            "testcase",
            {"name": xml_text(name), "classname": "initlint", "file": xml_text(name)},
        )
        for diagnostic in by_file.get(name, []):
            failure = ET.SubElement(
                case, "failure", {"type": diagnostic.code, "message": xml_text(diagnostic.message)}
            )
            failure.text = xml_text(failure_text(diagnostic))
    ET.indent(suites, space="  ")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(suites, encoding="unicode") + "\n")


def failure_text(diagnostic: Diagnostic) -> str:
    text = header(diagnostic, color=False)
    if diagnostic.config_path:
        text += f"\nconfig path: {diagnostic.config_path}"
    return text
