"""The bundled demo: its output is pinned (tests/snapshots/), as the README shows it."""

from __future__ import annotations

from .conftest import assert_snapshot, run_initlint


def test_demo_concise_output() -> None:
    result = run_initlint("fixtures/demo")
    assert result.returncode == 1
    assert_snapshot("demo.txt", result.stdout)


def test_demo_json_output() -> None:
    result = run_initlint("--output-format", "json", "fixtures/demo")
    assert result.returncode == 1
    assert_snapshot("demo.json", result.stdout)
