"""Shared test helpers: running the command line (in this process, or in a real one where the
process boundary is what is tested), snapshot files, and keeping the repository clean: caches go
to a temporary folder, and a run that leaves a new file in the checkout fails."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

# Nothing a test runs may write a cache into the checkout: initlint's, hypothesis's.
_CACHES = tempfile.TemporaryDirectory(prefix="initlint-test-caches-")
os.environ["INITLINT_CACHE_DIR"] = str(Path(_CACHES.name) / "initlint")
os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = str(Path(_CACHES.name) / "hypothesis")

from hypothesis import settings  # noqa: E402  (after its storage folder is set)

settings.register_profile("initlint", database=None)
settings.load_profile("initlint")

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


@dataclass
class Run:
    """What a run of the command line printed, and its exit code."""

    returncode: int
    stdout: str
    stderr: str


def run_initlint(*args: str, cwd: Path = ROOT, stdin: str | None = None,
                 env: dict[str, str] | None = None) -> Run:
    """`initlint ARGS` in this process, as the console script runs it: its argv, working
    directory, environment and standard streams (a bytes stdin, a non-terminal stdout)."""
    from initlint.cli import main

    out, err = io.StringIO(), io.StringIO()
    data = io.TextIOWrapper(io.BytesIO((stdin or "").encode("utf-8")), encoding="utf-8")
    code = 0
    with _environment({"NO_COLOR": "1", **(env or {})}), _working_directory(cwd), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            _stdin(data):
        try:
            main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    return Run(code, out.getvalue(), err.getvalue())


def run_initlint_process(*args: str, cwd: Path = ROOT, stdin: str | None = None,
                         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m initlint ARGS` in a real subprocess: for what only a process shows (the
    exit status the shell sees, a real standard input, the interpreter's own start)."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "initlint", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, env=full_env, timeout=300)


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    saved = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(saved)


@contextlib.contextmanager
def _stdin(stream: io.TextIOWrapper) -> Iterator[None]:
    saved, sys.stdin = sys.stdin, stream
    try:
        yield
    finally:
        sys.stdin = saved


def assert_snapshot(name: str, actual: str) -> None:
    """Compare with tests/snapshots/NAME; INITLINT_UPDATE_SNAPSHOTS=1 rewrites it (deliberately)."""
    path = SNAPSHOTS / name
    if os.environ.get("INITLINT_UPDATE_SNAPSHOTS") == "1":
        path.write_text(actual, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"no snapshot {name}: run with INITLINT_UPDATE_SNAPSHOTS=1, review, commit")
    assert actual == path.read_text(encoding="utf-8")


# -- the checkout stays clean --------------------------------------------------------------------
def _untracked() -> Optional[set[str]]:
    """Files in the checkout git does not track (ignored ones too); None outside a checkout."""
    try:
        result = subprocess.run(["git", "status", "--porcelain", "--ignored",
                                 "--untracked-files=all"], cwd=ROOT, capture_output=True,
                                text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    return {line[3:] for line in result.stdout.splitlines()
            if line[:2] in ("??", "!!") and not line[3:].startswith(".venv/")}


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_BEFORE] = _untracked()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = session.config.stash.get(_BEFORE, None)
    after = _untracked() if before is not None else None
    if before is None or after is None:
        return
    new = sorted(f for f in after - before if "__pycache__" not in f)
    if new:
        print(f"\nthe tests wrote into the checkout: {new[:10]}", file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_BEFORE = pytest.StashKey[Optional[set[str]]]()
