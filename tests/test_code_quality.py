"""The package is ruff-clean, ruff-formatted and `mypy --strict` clean, as the project's
conventions require (the tools' own caches go to a temporary folder, not into the checkout)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

CHECKED = ["initlint", "tests", "scripts", "benchmarks"]


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", *CHECKED],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", *CHECKED],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), "initlint"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_linter_never_imports_torch_or_mmengine() -> None:
    code = (
        "import sys, initlint.cli, initlint.runner, initlint.api; "
        "from initlint import validate_init_cfg; validate_init_cfg({'type': 'Normal'}); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'mmengine')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_catalogue_and_a_cached_run_need_no_pydantic() -> None:
    # What a warm run imports: the rules' registry, settings, suppressions, reports.
    code = (
        "import sys, initlint.cli, initlint.catalog, initlint.suppress; "
        "initlint.catalog.rules(); "
        "print('pydantic' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
