"""Fuzz initlint with hostile input for as long as you like, and count what went wrong.

    python scripts/fuzz_hostile.py [--cases N] [--seconds S] [--timeout T] [--large]
                                   [--races R] [--json F]

Runs the strategies of tests/hostile.py (the CI test runs a few of them): hostile configs in
Python, JSON and YAML, random bytes, `_base_` references to FIFOs and devices, and damaged
cache databases; with --large also inputs too big for CI (files beyond the 8 MB bound, wide
lists of 100,000 entries, alias bombs of millions of nodes). Every case is linted without
cache, then twice with a cache and once more after an edit, and each cached run is compared
with a run without cache; --races trials edit files while a cached run goes. It prints,
overall and by class of input: cases tried, crashes (exit 2, an IL905, a traceback), hangs
(past --timeout), stale results (a cached run that differs from a run without cache), files
modified in the linted tree, and modules imported from it. Nothing is written outside a
temporary folder.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.conftest import run_initlint  # noqa: E402
from tests.hostile import (  # noqa: E402
    CONTROL,
    GOOD,
    Case,
    Hang,
    damaged,
    hostile_cases,
    snapshot,
    within,
)

OUTCOMES = ("cases", "crashes", "hangs", "stale", "modified", "imports")


def large_cases() -> st.SearchStrategy[Case]:
    entry = "dict(type='Normal', layer='Conv2d', std=0.01)"
    return st.sampled_from(
        [
            Case("large-file", {"huge.py": b"x = 1\n" * (1_500_000)}),
            Case(
                "large-wide-list",
                {
                    "wide.py": (
                        "model = dict(type='X', init_cfg=[" + ", ".join([entry] * 100_000) + "])\n"
                    ).encode()
                },
            ),
            Case(
                "large-distinct-layers",
                {
                    "wide.py": (
                        "model = dict(type='X', init_cfg=["
                        + ", ".join(
                            f"dict(type='Normal', layer=['Conv2d', 'L{i}'])" for i in range(100_000)
                        )
                        + "])\n"
                    ).encode()
                },
            ),
            Case(
                "large-bomb",
                {
                    "bomb.yaml": (
                        "\n".join(
                            [f"a0: &a0 [{', '.join(['0'] * 10)}]"]
                            + [
                                f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]"
                                for i in range(1, 9)
                            ]
                        )
                        + "\nmodel: {init_cfg: {type: Normal}}\n"
                    ).encode()
                },
            ),
            Case(
                "large-json",
                {
                    "big.json": json.dumps(
                        {
                            "model": {
                                "init_cfg": [{"type": "Normal", "layer": "Conv2d", "std": 0.01}]
                                * 60_000
                            }
                        }
                    ).encode()
                },
            ),
        ]
    )


def lint(tree: Path, cache: str, timeout: int) -> tuple[int, list[dict[str, Any]], str]:
    options = ["--cache-dir", cache] if cache else ["--no-cache"]
    with within(timeout):
        run = run_initlint("--output-format", "json", *options, ".", cwd=tree)
    try:
        found = json.loads(run.stdout or "[]")
    except ValueError:
        found = [{"code": "unparsable output", "filename": ""}]
    return run.returncode, found, run.stderr


def crashed(result: tuple[int, list[dict[str, Any]], str]) -> bool:
    code, found, stderr = result
    return (
        code not in (0, 1)
        or "Traceback" in stderr
        or any(d.get("code") == "IL905" for d in found)
        or not any(d.get("filename") == "control.py" for d in found)
    )


def imported_from(tree: Path) -> list[str]:
    inside = str(tree.resolve())
    return [
        name
        for name, module in list(sys.modules.items())
        if str(getattr(module, "__file__", "") or "").startswith(inside)
    ]


def try_case(
    case: Case,
    edit: bytes,
    data: st.DataObject,
    timeout: int,
    counts: dict[str, Counter[str]],
    failures: list[dict[str, Any]],
) -> None:
    tally = counts[case.kind]
    tally["cases"] += 1

    def fail(outcome: str, detail: object) -> None:
        tally[outcome] += 1
        if len(failures) < 50:
            failures.append(
                {
                    "kind": case.kind,
                    "outcome": outcome,
                    "detail": str(detail)[:500],
                    "files": {k: v[:300].decode("utf-8", "replace") for k, v in case.files.items()},
                }
            )

    with tempfile.TemporaryDirectory(prefix="initlint-fuzz-") as folder:
        tree, cache = Path(folder) / "tree", Path(folder) / "cache"
        tree.mkdir()
        case.write(tree)
        before = snapshot(tree)
        try:
            cold = lint(tree, "", timeout)
            if crashed(cold):
                fail("crashes", cold)
            for _ in range(2):  # cold with a cache, then warm
                warm = lint(tree, str(cache), timeout)
                if warm != cold:
                    fail("stale", ("first" if _ == 0 else "warm", warm, cold))
            if snapshot(tree) != before:
                fail("modified", sorted(set(snapshot(tree).items()) ^ set(before.items())))
            # An edit: a file of the case (or the control) gets other content.
            name = sorted(case.files)[0] if case.files else "control.py"
            if (tree / name).is_file() and not (tree / name).is_symlink():
                (tree / name).write_bytes(edit)
                cold = lint(tree, "", timeout)
                warm = lint(tree, str(cache), timeout)
                if warm != cold:
                    fail("stale", ("after an edit", warm, cold))
            databases = list(cache.rglob("*.json"))
            if databases:
                kind, damage = data.draw(damaged(databases[0].read_bytes()))
                databases[0].write_bytes(damage)
                if lint(tree, str(cache), timeout) != cold:
                    fail("stale", ("damaged cache", kind))
        except Hang as exc:
            fail("hangs", exc)
        if imported_from(tree):
            fail("imports", imported_from(tree))


def races(trials: int, timeout: int) -> Counter[str]:
    """Files edited while a cached run goes (a thread rewrites a base and a config between a
    good and a bad version), then a warm run after the edits stop, against a run without
    cache: the hash stored with a result must be that of the bytes linted."""
    import threading

    tally: Counter[str] = Counter()
    for trial in range(trials):
        with tempfile.TemporaryDirectory(prefix="initlint-race-") as folder:
            tree, cache = Path(folder) / "tree", Path(folder) / "cache"
            files = {f"_base_/m{i}.py": GOOD for i in range(8)}
            files.update({f"c{i}.py": f"_base_ = './_base_/m{i % 8}.py'\n" for i in range(24)})
            Case("race", {k: v.encode() for k, v in files.items()}).write(tree)
            stop = threading.Event()

            def edit(tree: Path = tree, stop: threading.Event = stop, seed: int = trial) -> None:
                flip = seed
                while not stop.is_set():
                    flip += 1
                    name = f"_base_/m{flip % 8}.py"
                    (tree / name).write_text(CONTROL if flip % 3 else GOOD)
                    time.sleep(0.001)

            editor = threading.Thread(target=edit)
            editor.start()
            try:
                lint(tree, str(cache), timeout)
            finally:
                stop.set()
                editor.join()
            tally["cases"] += 1
            if lint(tree, str(cache), timeout) != lint(tree, "", timeout):
                tally["stale"] += 1
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=0, help="stop after this long")
    parser.add_argument("--timeout", type=int, default=120, help="seconds a case may take")
    parser.add_argument("--large", action="store_true", help="also inputs too big for CI")
    parser.add_argument(
        "--races", type=int, default=20, help="trials of files edited while a cached run goes"
    )
    parser.add_argument("--json", help="write the counts and failures to this file")
    args = parser.parse_args()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    failures: list[dict[str, Any]] = []
    started = time.monotonic()
    strategies = [hostile_cases] + ([large_cases()] if args.large else [])
    edits = st.sampled_from(
        [CONTROL.encode(), GOOD.encode(), b"", b"\xff\xfe", b"_base_ = './control.py'\n"]
    )

    @settings(
        max_examples=args.cases,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.one_of(*strategies), edits, st.data())
    def run(case: Case, edit: bytes, data: st.DataObject) -> None:
        if args.seconds and time.monotonic() - started > args.seconds:
            return
        try_case(case, edit, data, args.timeout, counts, failures)

    run()
    if args.races:
        counts["edited-during-a-run"] = races(args.races, args.timeout)
    total = Counter[str]()
    rows = []
    for kind in sorted(counts):
        total.update(counts[kind])
        rows.append((kind, *(counts[kind][o] for o in OUTCOMES)))
    print(f"{'class':<24}" + "".join(f"{o:>10}" for o in OUTCOMES))
    for kind, *numbers in rows:
        print(f"{kind:<24}" + "".join(f"{n:>10}" for n in numbers))
    print(f"{'all':<24}" + "".join(f"{total[o]:>10}" for o in OUTCOMES))
    print(f"{time.monotonic() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps({"counts": counts, "failures": failures}, indent=2))
    for failure in failures[:10]:
        print(json.dumps(failure)[:800], file=sys.stderr)
    sys.exit(1 if any(total[o] for o in OUTCOMES[1:]) else 0)


if __name__ == "__main__":
    main()
