"""The bundled demo prints what the README shows (its output in every format is pinned by
tests/test_report_formats.py), and so do `--diff` on it and `--fix` on a copy of it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .conftest import ROOT, run_initlint

DEMO = ROOT / "fixtures" / "demo"


def readme_block(command: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(re.escape(command) + r"\n```\n\n```text\n(.*?)```", readme, re.S)
    assert shown, f"README.md lost its block of `{command}`"
    return shown.group(1)


def files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_the_readme_shows_the_demo_output() -> None:
    result = run_initlint("fixtures/demo")
    assert result.returncode == 1
    assert result.stdout == readme_block("initlint fixtures/demo")


def test_the_readme_shows_what_diff_prints_and_diff_writes_nothing() -> None:
    before = files(DEMO)
    result = run_initlint("--diff", "fixtures/demo")
    assert result.returncode == 1
    assert result.stdout == readme_block("initlint --diff fixtures/demo")
    assert files(DEMO) == before


def test_the_readme_shows_what_fix_does_to_a_copy_of_the_demo(tmp_path: Path) -> None:
    shutil.copytree(DEMO, tmp_path / "fixtures" / "demo")
    command = "initlint --fix --unsafe-fixes --show-fixes fixtures/demo"
    result = run_initlint(*command.split()[1:], cwd=tmp_path)
    assert result.returncode == 1  # what needs a person is left
    assert result.stdout == readme_block(command)
    again = run_initlint("--fix", "--unsafe-fixes", "fixtures/demo", cwd=tmp_path)
    assert "fixed" not in again.stdout  # nothing more to fix
