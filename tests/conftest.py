"""Shared test helpers: running the real command line, and snapshot files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"

# A config with one mistake (IL004, `stddev`), and the same config fixed.
BAD_CONFIG = """model = dict(
    type='RetinaNet',
    bbox_head=dict(
        type='RetinaHead',
        init_cfg=dict(type='Normal', layer='Conv2d', stddev=0.01)))
"""
GOOD_CONFIG = BAD_CONFIG.replace("stddev", "std")
# A config with mistakes of two rules (IL004, and IL101: Kaiming without `layer`).
TWO_RULES_CONFIG = """model = dict(
    type='RetinaNet',
    bbox_head=dict(
        type='RetinaHead',
        init_cfg=dict(type='Normal', layer='Conv2d', stddev=0.01)),
    neck=dict(type='FPN', init_cfg=dict(type='Kaiming')))
"""


def run_initlint(*args: str, cwd: Path = ROOT, stdin: str | None = None,
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m initlint ARGS` in a real subprocess, as a user would."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "initlint", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, env=full_env, timeout=300)


def assert_snapshot(name: str, actual: str) -> None:
    """Compare with tests/snapshots/NAME; INITLINT_UPDATE_SNAPSHOTS=1 rewrites it (deliberately)."""
    path = SNAPSHOTS / name
    if os.environ.get("INITLINT_UPDATE_SNAPSHOTS") == "1" or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if os.environ.get("INITLINT_UPDATE_SNAPSHOTS") != "1":
            pytest.fail(f"snapshot {name} did not exist; written, review and commit it")
    assert actual == path.read_text(encoding="utf-8")
