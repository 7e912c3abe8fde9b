"""Real OpenMMLab releases to test and measure against: PyPI wheels, downloaded into a cache
outside the repository (`INITLINT_CORPUS_CACHE`, default ~/.cache/initlint-corpus), unpacked
there."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

CACHE = Path(os.environ.get("INITLINT_CORPUS_CACHE", "~/.cache/initlint-corpus")).expanduser()
RELEASES = {"mmdet": "mmdet==3.3.0", "mmseg": "mmsegmentation==1.2.2",
            # Their sources give the fine-tuning rules' dataset classes (tests/test_finetune.py).
            "mmpretrain": "mmpretrain==1.2.0", "mmyolo": "mmyolo==0.6.0"}


def unpacked(package: str) -> Path:
    """The import package folder of a release (e.g. .../mmdet, holding .mim/configs)."""
    requirement = RELEASES[package]
    name, version = requirement.split("==")
    target = CACHE / "src" / f"{name}-{version}"
    if not (target / package).is_dir():
        wheels = CACHE / "wheels"
        wheels.mkdir(parents=True, exist_ok=True)
        found = sorted(wheels.glob(f"{name}-{version}-*.whl"))
        if not found:
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                            "-d", str(wheels), requirement], check=True)
            found = sorted(wheels.glob(f"{name}-{version}-*.whl"))
        partial = target.with_name(target.name + ".partial")
        with zipfile.ZipFile(found[0]) as archive:
            archive.extractall(partial)
        partial.rename(target)
    return target / package
