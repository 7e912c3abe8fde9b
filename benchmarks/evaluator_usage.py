"""How far real configs are from the evaluator's bounds (initlint/limits.py).

    python benchmarks/evaluator_usage.py [--release mmdet] [--release mmseg]

Loads every config of the releases (PyPI wheels, cached outside the repository, see
corpus.py) as `initlint` does and prints, over all files the evaluator runs, the largest
statement count, step count, value (nodes as a tree), string, integer (digits) and nesting it
built, each beside its bound, with the file that reached it; then any IL904 reported and the
time taken.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import unpacked  # noqa: E402

from initlint import limits  # noqa: E402
from initlint.config import evaluator as evaluator_module  # noqa: E402
from initlint.config.loader import ConfigLoader  # noqa: E402

BOUNDS = {
    "statements": limits.MAX_STATEMENTS,
    "steps": limits.MAX_EVALUATOR_STEPS,
    "largest_value": limits.MAX_VALUE_SIZE,
    "longest_string": limits.MAX_VALUE_SIZE,
    "most_digits": limits.MAX_INT_DIGITS,
    "deepest_value": limits.MAX_NESTING,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", action="append", choices=sorted(("mmdet", "mmseg")))
    args = parser.parse_args()
    peaks: dict[str, tuple[int, str]] = {k: (0, "") for k in BOUNDS}
    original = evaluator_module.Evaluator.run_module

    def recording(self: Any, module: Any) -> None:
        original(self, module)
        for key in BOUNDS:
            value = getattr(self.usage, key)
            if value > peaks[key][0]:
                peaks[key] = (value, self.positions.file)

    evaluator_module.Evaluator.run_module = recording  # type: ignore[method-assign]
    configs: list[Path] = []
    for release in args.release or ["mmdet", "mmseg"]:
        configs += sorted((unpacked(release) / ".mim" / "configs").rglob("*.py"))
    loader = ConfigLoader()
    started = time.perf_counter()
    il904 = []
    for path in configs:
        loaded = loader.load(path)
        il904 += [p for p in loaded.problems if p.code == "IL904"]
    seconds = time.perf_counter() - started
    print(f"{len(configs)} configs in {seconds:.1f} s")
    for key, (value, where) in peaks.items():
        print(f"  {key:15s} {value:>9} of {BOUNDS[key]:>9} ({value / BOUNDS[key]:.2%})  {where}")
    print(f"  IL904: {len(set(il904))}")
    for problem in sorted(set(il904), key=str)[:10]:
        print(f"    {problem.span.file}:{problem.span.row}: {problem.message}")


if __name__ == "__main__":
    main()
