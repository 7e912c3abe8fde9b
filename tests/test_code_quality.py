"""The package is ruff-clean and `mypy --strict` clean, as the project's conventions require."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_ruff_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "initlint", "tests",
                             "scripts", "benchmarks"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "initlint"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_linter_never_imports_torch_or_mmengine() -> None:
    code = ("import sys, initlint.cli, initlint.runner, initlint.api; "
            "from initlint import validate_init_cfg; validate_init_cfg({'type': 'Normal'}); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'mmengine')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "[]"
