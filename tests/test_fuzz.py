"""Fuzzing with hostile input (hypothesis): configs in Python, JSON and YAML that are deep,
wide, full of huge numbers, aliases, odd encodings, syntax errors at random points and random
bytes, and damaged cache databases. Whatever the input, initlint exits 0 or 1 with its
diagnostics (never 2 from an internal error, never a traceback), still reports the other
files, never changes a file, and a damaged cache gives what a run without cache gives; and
hostile settings (NUL characters, deep arrays, wrong types) are one line, never a traceback.

Inputs are small so that the suite stays fast; `scripts/fuzz_hostile.py` runs the same
strategies for as long as you like and counts cases, crashes, hangs and stale results. Each
case has a generous time bound: the point is that nothing hangs, not how fast it is."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from initlint.settings import KEYS

from .conftest import run_initlint
from .hostile import Case, damaged, hostile_cases, snapshot, within

FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def lint(tree: Path, cache: str = "", *extra: str) -> tuple[int, list[dict[str, object]], str]:
    """initlint on `tree` (the cache in `cache`; none when empty): exit code, diagnostics,
    standard error."""
    options = ["--cache-dir", cache] if cache else ["--no-cache"]
    with within(60):
        run = run_initlint("--output-format", "json", *options, *extra, ".", cwd=tree)
    return run.returncode, json.loads(run.stdout or "[]"), run.stderr


def check(case: Case) -> None:
    with tempfile.TemporaryDirectory(prefix="initlint-fuzz-") as folder:
        tree = Path(folder) / "tree"
        tree.mkdir()
        case.write(tree)
        before = snapshot(tree)
        code, found, stderr = lint(tree)
        assert code in (0, 1), (case.kind, code, stderr)
        assert "Traceback" not in stderr
        assert not [d for d in found if d["code"] == "IL905"], (case.kind, found)
        assert any(d["filename"] == "control.py" and d["code"] == "IL004" for d in found)
        assert snapshot(tree) == before  # nothing written, nothing created (PWNED included)


@FUZZ
@given(hostile_cases)
def test_hostile_configs_are_diagnostics_never_crashes_hangs_or_writes(case: Case) -> None:
    check(case)


@settings(FUZZ, max_examples=40)
@given(st.data())
def test_a_damaged_cache_database_gives_what_no_cache_gives(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory(prefix="initlint-fuzz-") as folder:
        tree, cache = Path(folder) / "tree", Path(folder) / "cache"
        tree.mkdir()
        Case(
            "cache",
            {
                "a.py": b"_base_ = './b.py'\n",
                "b.py": b"x = 1\n",
                "c.py": b"# noqa: IL004\n" + b"model = dict(init_cfg=[])\n",
            },
        ).write(tree)
        cold = lint(tree)
        assert lint(tree, str(cache)) == cold
        [database] = cache.rglob("*.json")
        kind, damage = data.draw(damaged(database.read_bytes()), label="damage")
        database.write_bytes(damage)
        assert lint(tree, str(cache)) == cold, kind
        assert lint(tree, str(cache)) == cold, kind  # and what it rewrote is right too


def toml(value: object) -> str:
    """A value as TOML (what the strategy below draws: strings, numbers, lists, tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)  # JSON's escapes are TOML's (\\u0000 included)
    if isinstance(value, float):
        return "nan" if value != value else repr(value)  # inf, -inf are TOML too
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml(v)}" for k, v in value.items()) + "}"
    return str(value)


SETTING_STRINGS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "IL004",
            "IL1",
            "ALL",
            "error",
            "json",
            "\x00",
            "a\x00b",
            "..",
            "/",
            "~",
            "*",
            "**/x",
            "[",
            "a" * 5000,
            "\ud800",
            "\n",
            "configs/_base_/**",
            "!x",
            "mmdet",
        ]
    ),
)
setting_values = st.recursive(
    st.one_of(SETTING_STRINGS, st.booleans(), st.integers(), st.floats()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(SETTING_STRINGS, inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(FUZZ, max_examples=40)
@given(
    st.dictionaries(st.sampled_from([*sorted(KEYS), "nope"]), setting_values, max_size=4),
    st.integers(0, 3000),
)
def test_hostile_settings_are_one_line_never_a_traceback(
    table: dict[str, object], depth: int
) -> None:
    with tempfile.TemporaryDirectory(prefix="initlint-fuzz-") as folder:
        tree = Path(folder)
        Case("settings").write(tree)
        lines = [f"{json.dumps(k)} = {toml(v)}" for k, v in table.items()]
        if depth > 2000:  # arrays nested too deep for the TOML parser's recursion
            lines.append('"extend-exclude" = ' + "[" * depth + "]" * depth)
        (tree / "pyproject.toml").write_text(
            "[tool.initlint]\n" + "\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass"
        )
        with within(60):
            run = run_initlint("--no-cache", ".", cwd=tree)
        assert run.returncode in (0, 1, 2)
        assert "Traceback" not in run.stderr and "internal error" not in run.stderr
        if run.returncode == 2:
            assert run.stdout == ""
            assert run.stderr.startswith("initlint: error: ") and run.stderr.count("\n") == 1, (
                run.stderr
            )
