"""The corpus of real releases the slow tests use (shared with benchmarks/bench.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from corpus import (  # noqa: E402
    CACHE,
    MMCV,
    RELEASES,
    RELEASES_1X,
    import_mmcv,
    mmcv_root,
    unpacked,
    unpacked_1x,
)

__all__ = [
    "CACHE",
    "MMCV",
    "RELEASES",
    "RELEASES_1X",
    "import_mmcv",
    "mmcv_root",
    "unpacked",
    "unpacked_1x",
]
