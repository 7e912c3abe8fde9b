"""The fix round trip on the real corpus (benchmarks/fix_roundtrip.py): one mistake planted in
each of a few hundred configs and model sources of mmdet 3.3.0 and mmsegmentation 1.2.2,
`--diff` (writes nothing), then `--fix --unsafe-fixes`. Every planted mistake initlint finds
has one unique candidate and must come back byte-identical; nothing is reverted or changed
wrongly; every changed file parses; a file without a planted mistake changes only when the
release itself has a fixable mistake in it. Marked slow (it lints both trees four times)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from fix_roundtrip import round_trip, runtime  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("package", ["mmdet", "mmseg"])
def test_planted_mistakes_come_back_byte_identical(package: str) -> None:
    with tempfile.TemporaryDirectory(prefix="initlint-roundtrip-") as folder:
        report = round_trip(package, Path(folder), runtime())
    counts = report.counts
    print(f"\n{package}: {counts}; seconds {report.seconds}; libcst {report.libcst}")
    assert counts["planted"] >= 80
    assert counts["unique"] == counts["planted"]
    found = counts["planted"] - counts.get("undetected", 0)
    assert counts.get("restored", 0) == found, [
        (p.outcome, p.file, p.kind)
        for p in report.plants
        if p.outcome not in ("restored", "undetected")
    ]
    assert found >= 0.4 * counts["planted"]
    assert not report.unparseable
    assert not report.diff_wrote
    assert set(report.also_changed) <= set(report.own_fixable)
