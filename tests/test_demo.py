"""The bundled demo prints what the README shows (its output in every format is pinned by
tests/test_report_formats.py)."""

from __future__ import annotations

import re

from .conftest import ROOT, run_initlint


def test_the_readme_shows_the_demo_output() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"initlint fixtures/demo\n```\n\n```text\n(.*?)```", readme, re.S)
    assert shown, "README.md lost its demo block"
    result = run_initlint("fixtures/demo")
    assert result.returncode == 1
    assert result.stdout == shown.group(1)
