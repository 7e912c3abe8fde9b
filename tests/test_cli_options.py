"""The options of `initlint check` and the `rule` command, through a real subprocess in
temporary projects, as a user runs them."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from .conftest import TWO_RULES_CONFIG as BAD
from .conftest import run_initlint, run_initlint_process

# IL004 (error) on row 5, IL101 (warning) on row 6.
GOOD = "model = dict(backbone=dict(init_cfg=dict(type='Normal', layer='Conv2d', std=0.01)))\n"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project with a pyproject.toml (no initlint settings), configs and a legacy folder."""
    files = {
        "pyproject.toml": '[project]\nname = "demo"\n',
        "configs/a.py": BAD,
        "configs/b.py": GOOD,
        "legacy/old.py": BAD,
        "build/gen.py": BAD,
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def reported(stdout: str) -> list[str]:
    return [
        f"{line.split(':')[0]} {line.split(': ', 1)[1].split()[0]}"
        for line in stdout.splitlines()
        if ": IL" in line
    ]


def usage_error(project: Path, *args: str) -> str:
    result = run_initlint(*args, cwd=project)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    return result.stderr


def test_exit_codes(project: Path) -> None:
    # The status a shell or pre-commit sees, from a real process.
    assert run_initlint_process("configs/b.py", cwd=project).returncode == 0
    assert run_initlint_process("configs/a.py", cwd=project).returncode == 1
    assert run_initlint_process("configs/a.py", "--exit-zero", cwd=project).returncode == 0
    assert run_initlint_process("configs/a.py", "--no-such-option", cwd=project).returncode == 2


def test_select_ignore_and_prefixes(project: Path) -> None:
    def run(*args: str) -> list[str]:
        return reported(run_initlint(*args, "configs/a.py", cwd=project).stdout)

    assert run("--select", "IL1") == ["configs/a.py IL101"]
    assert run("--select", "IL00") == ["configs/a.py IL004"]
    assert run("--ignore", "IL0") == ["configs/a.py IL101"]
    assert run("--select", "ALL", "--ignore", "IL101") == ["configs/a.py IL004"]
    assert run("--select", "IL0", "--extend-select", "IL101") == [
        "configs/a.py IL004",
        "configs/a.py IL101",
    ]
    # Comma-separated and repeated are the same.
    assert run("--select", "IL004,IL101") == run("--select", "IL004", "--select", "IL101")


def test_unknown_rule_codes_are_one_line_usage_errors(project: Path) -> None:
    assert usage_error(project, "--select", "IL1O1", "configs") == (
        "initlint: error: invalid value for '--select': unknown rule selector 'IL1O1' (a code "
        "such as IL101, a prefix such as IL1, or ALL); did you mean 'IL101'?\n"
    )
    assert "unknown rule code 'IL999'" in usage_error(project, "--ignore", "IL999", "configs")
    assert "no rule code starts with 'IL5'" in usage_error(project, "--select", "IL5", "configs")


def test_per_file_ignores_option(project: Path) -> None:
    result = run_initlint("--per-file-ignores", "legacy/*:IL004,IL101", ".", cwd=project)
    assert reported(result.stdout) == ["configs/a.py IL004", "configs/a.py IL101"]
    result = run_initlint(
        "--per-file-ignores", "legacy/*:IL004", "--per-file-ignores", "a.py:IL1", ".", cwd=project
    )
    assert reported(result.stdout) == ["configs/a.py IL004", "legacy/old.py IL101"]
    assert "expected GLOB:CODES" in usage_error(project, "--per-file-ignores", "IL004", ".")


def test_walking_honours_default_and_given_excludes(project: Path) -> None:
    result = run_initlint(".", cwd=project)
    assert "build/gen.py IL004" not in reported(result.stdout)  # a default exclude
    assert "legacy/old.py IL004" in reported(result.stdout)
    result = run_initlint("--extend-exclude", "legacy", ".", cwd=project)
    assert reported(result.stdout) == ["configs/a.py IL004", "configs/a.py IL101"]
    # --exclude replaces the defaults: build/ is walked.
    result = run_initlint("--exclude", "legacy", ".", cwd=project)
    assert "build/gen.py IL004" in reported(result.stdout)


def test_force_exclude_applies_excludes_to_named_files(project: Path) -> None:
    named = ("configs/a.py", "legacy/old.py")
    result = run_initlint("--extend-exclude", "legacy", *named, cwd=project)
    assert "legacy/old.py IL004" in reported(result.stdout)  # named: linted all the same
    result = run_initlint("--extend-exclude", "legacy", "--force-exclude", *named, cwd=project)
    assert reported(result.stdout) == ["configs/a.py IL004", "configs/a.py IL101"]
    assert "in 1 file checked." in result.stdout.splitlines()[-2]
    # Everything excluded: a warning, nothing found, exit 0 (pre-commit passes).
    result = run_initlint(
        "--extend-exclude", "legacy", "--force-exclude", "legacy/old.py", cwd=project
    )
    assert result.returncode == 0
    assert "no files to check" in result.stderr


def test_show_files_lists_what_would_be_linted(project: Path) -> None:
    result = run_initlint("--show-files", "--extend-exclude", "legacy", ".", cwd=project)
    assert result.returncode == 0
    assert result.stdout.splitlines() == ["configs/a.py", "configs/b.py"]


def test_output_file(project: Path) -> None:
    result = run_initlint(
        "--output-file", "reports/out.json", "--output-format", "json", "configs", cwd=project
    )
    assert result.stdout == "" and "reports" not in os.listdir(project)
    assert result.returncode == 2
    assert result.stderr == ("initlint: error: --output-file: the folder does not exist: reports\n")
    (project / "reports").mkdir()
    result = run_initlint(
        "--output-file", "reports/out.json", "--output-format", "json", "configs", cwd=project
    )
    assert result.returncode == 1
    assert result.stdout == ""
    report = json.loads((project / "reports" / "out.json").read_text())
    assert [d["code"] for d in report] == ["IL004", "IL101"]


def test_statistics(project: Path) -> None:
    result = run_initlint("--statistics", ".", cwd=project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "2\tIL004\tunexpected-argument",
        "2\tIL101\tno-op-initializer",
    ]
    result = run_initlint("--statistics", "--output-format", "json", ".", cwd=project)
    assert json.loads(result.stdout) == [
        {"code": "IL004", "name": "unexpected-argument", "count": 2, "fixable": False},
        {"code": "IL101", "name": "no-op-initializer", "count": 2, "fixable": False},
    ]
    assert "--statistics" in usage_error(project, "--statistics", "--output-format", "sarif", ".")


def test_quiet_prints_diagnostics_only(project: Path) -> None:
    result = run_initlint("-q", "configs", cwd=project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        line for line in result.stdout.splitlines() if ": IL" in line
    ]
    assert len(result.stdout.splitlines()) == 2
    result = run_initlint("--quiet", "configs/b.py", cwd=project)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    result = run_initlint("-q", "--output-format", "full", "configs/a.py", cwd=project)
    assert "Found" not in result.stdout and "IL004" in result.stdout


def test_verbose_says_what_it_did_on_stderr(project: Path) -> None:
    (project / "initlint.toml").write_text('ignore = ["IL101"]\n')
    result = run_initlint("-v", "configs", cwd=project)
    assert result.returncode == 1
    assert "[initlint] settings: initlint.toml" in result.stderr
    assert "[initlint] 2 files to check" in result.stderr
    assert "[initlint] checked 2 files in " in result.stderr
    assert reported(result.stdout) == ["configs/a.py IL004"]


def test_stdin(project: Path) -> None:
    result = run_initlint_process("-", cwd=project, stdin=BAD)  # a real standard input
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("-:5:54: IL004")
    result = run_initlint("--stdin-filename", "legacy/new.py", "-", cwd=project, stdin=BAD)
    assert reported(result.stdout) == ["legacy/new.py IL004", "legacy/new.py IL101"]
    # Settings follow the name given: per-file ignores, and excludes with --force-exclude.
    result = run_initlint(
        "--stdin-filename",
        "legacy/new.py",
        "--per-file-ignores",
        "legacy/*:IL0",
        cwd=project,
        stdin=BAD,
    )
    assert reported(result.stdout) == ["legacy/new.py IL101"]
    result = run_initlint(
        "--stdin-filename",
        "legacy/new.py",
        "--extend-exclude",
        "legacy",
        "--force-exclude",
        "-",
        cwd=project,
        stdin=BAD,
    )
    assert result.returncode == 0
    assert "`-` (standard input) cannot be combined" in usage_error(project, "-", "configs")


def test_rule_prints_the_document_without_front_matter() -> None:
    result = run_initlint("rule", "IL007")
    assert result.returncode == 0
    assert result.stdout.startswith("# IL007 override-missing-name (error)\n\n## What it does")
    assert "severity:" not in result.stdout and "---" not in result.stdout
    assert "```python" in result.stdout
    data = json.loads(run_initlint("rule", "IL007", "--output-format", "json").stdout)
    assert (data["code"], data["name"], data["severity"], data["fixable"]) == (
        "IL007",
        "override-missing-name",
        "error",
        False,
    )
    assert data["explanation"].startswith("## What it does")


def test_rule_all_lists_every_rule() -> None:
    result = run_initlint("rule", "--all")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["code", "name", "severity", "fixable"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    assert rows["IL101"] == ["no-op-initializer", "warning", "no"]
    assert rows["IL402"] == ["unused-ignore", "warning", "always"]
    assert rows["IL003"] == ["unknown-initializer", "error", "sometimes"]
    data = json.loads(run_initlint("rule", "--all", "--output-format", "json").stdout)
    assert [r["code"] for r in data] == sorted(rows)


def test_rule_unknown_code_is_one_line_error(tmp_path: Path) -> None:
    assert (
        usage_error(tmp_path, "rule", "IL1O1")
        == "initlint: error: unknown rule code 'IL1O1'; did you mean 'IL101'?\n"
    )
    assert "--all" in usage_error(tmp_path, "rule")


def run_on_terminal(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run initlint with stderr on a pseudo-terminal (stdout to a file)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1", "INITLINT_PROGRESS_DELAY": "0"}
    with tempfile.TemporaryFile() as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "initlint", *args],
            cwd=cwd,
            env=env,
            stdout=stdout,
            stderr=follower,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=300)
        os.close(leader)
        stdout.seek(0)
        return process.returncode, stdout.read().decode(), b"".join(chunks).decode()


def test_progress_line_on_a_terminal_only(project: Path) -> None:
    code, stdout, stderr = run_on_terminal(["configs"], project)
    assert code == 1
    assert "\rinitlint: 2/2 files" in stderr
    assert stderr.endswith("\r")  # the line is cleared at the end
    assert "initlint: 2/2 files" not in stdout
    # Never for machine-readable formats, nor when stderr is not a terminal.
    code, stdout, stderr = run_on_terminal(["--output-format", "json", "configs"], project)
    assert "files" not in stderr
    result = run_initlint("configs", cwd=project, env={"INITLINT_PROGRESS_DELAY": "0"})
    assert result.stderr == ""
