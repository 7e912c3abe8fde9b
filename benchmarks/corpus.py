"""Real OpenMMLab releases to test and measure against: PyPI wheels, downloaded into a cache
outside the repository (`INITLINT_CORPUS_CACHE`, default ~/.cache/initlint-corpus), unpacked
there.

`RELEASES` is the 2.x/3.x generation (mmengine), `RELEASES_1X` the 1.x one (mmcv 1.x).
`mmcv_root(version)` gives a folder holding an importable `mmcv` of that version, for the mmcv
1.x oracle and scripts/gen_mmcv_layers.py: both generations are the same import package, so
neither is installed into the venv (the test venv has no `mmcv`); a caller puts the folder
first on `sys.path`.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import subprocess
import sys
import types
import warnings
import zipfile
from collections.abc import Mapping
from pathlib import Path

CACHE = Path(os.environ.get("INITLINT_CORPUS_CACHE", "~/.cache/initlint-corpus")).expanduser()
RELEASES = {
    "mmdet": "mmdet==3.3.0",
    "mmseg": "mmsegmentation==1.2.2",
    # Their sources give the fine-tuning rules' dataset classes (tests/test_finetune.py).
    "mmpretrain": "mmpretrain==1.2.0",
    "mmyolo": "mmyolo==0.6.0",
}
RELEASES_1X = {
    "mmdet": "mmdet==2.28.2",
    "mmcls": "mmcls==0.25.0",
    "mmseg": "mmsegmentation==0.30.0",
    "mmrotate": "mmrotate==0.3.4",
}
# mmcv 1.7.2 is an sdist only (pure Python without MMCV_WITH_OPS) and mmcv 2.x's pure-Python
# build is the `mmcv-lite` wheel.
MMCV = {"1.7.2": "mmcv==1.7.2", "2.2.0": "mmcv-lite==2.2.0"}
# mmcv 1.7.2's setup.py imports pkg_resources, which setuptools 82 removed: pip's isolated
# build environment must get an older setuptools.
BUILD_CONSTRAINT = "setuptools<82\n"


def _pip(*args: str, env: Mapping[str, str] | None = None) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", *args], check=True, env={**os.environ, **(env or {})}
    )


def _wheel(requirement: str) -> Path:
    """The cached wheel of `requirement` (name==version), downloaded or built from its sdist."""
    name, version = requirement.split("==")
    wheels = CACHE / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    pattern = f"{name.replace('-', '_')}-{version}-*.whl"
    found = sorted(wheels.glob(pattern))
    if not found:
        if requirement == MMCV["1.7.2"]:
            constraint = CACHE / "build-constraints.txt"
            constraint.write_text(BUILD_CONSTRAINT, encoding="utf-8")
            # pip < 25.3 passes PIP_CONSTRAINT on to the build environment; later pips read
            # PIP_BUILD_CONSTRAINT (older ones ignore the unknown variable).
            _pip(
                "wheel",
                "--no-deps",
                "--quiet",
                "-w",
                str(wheels),
                requirement,
                env={"PIP_CONSTRAINT": str(constraint), "PIP_BUILD_CONSTRAINT": str(constraint)},
            )
        else:
            _pip(
                "download",
                "--no-deps",
                "--quiet",
                "--only-binary",
                ":all:",
                "-d",
                str(wheels),
                requirement,
            )
        found = sorted(wheels.glob(pattern))
    return found[0]


def _unpack(requirement: str) -> Path:
    """The folder a release's wheel is unpacked into (it holds the import package)."""
    name, version = requirement.split("==")
    target = CACHE / "src" / f"{name}-{version}"
    if not target.is_dir():
        wheel = _wheel(requirement)
        partial = target.with_name(target.name + ".partial")
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(partial)
        partial.rename(target)
    return target


def unpacked(package: str, releases: Mapping[str, str] = RELEASES) -> Path:
    """The import package folder of a release (e.g. .../mmdet, holding .mim/configs)."""
    return _unpack(releases[package]) / package


def unpacked_1x(package: str) -> Path:
    """The import package folder of a 1.x release (mmdet 2.x, mmcls, mmseg 0.x, mmrotate)."""
    return unpacked(package, RELEASES_1X)


def mmcv_root(version: str) -> Path:
    """A folder to put first on `sys.path` to import mmcv `version` (a key of `MMCV`)."""
    return _unpack(MMCV[version])


def import_mmcv(version: str) -> types.ModuleType:
    """Import mmcv `version` from its cache folder (with `mmcv.runner` and `mmcv.cnn`).

    mmcv 1.7.2's `mmcv.runner.checkpoint` imports torchvision at its top, and PyPI's
    torchvision wheels do not import on CPU torch (their compiled ops need the CUDA build:
    `RuntimeError: operator torchvision::nms does not exist`). Where torchvision is missing, a
    stub stands in while mmcv is imported and is removed again afterwards, so the rest of the
    process (mmengine's `torchvision://` loader) still sees no torchvision. The stub claims
    0.13.0 with no weight enums: `torchvision://NAME` then knows the 0.12 names mmcv ships.
    The cache folder leaves `sys.path` again too: mmcv's own lazy imports go through
    `mmcv.__path__`.
    """
    loaded = sys.modules.get("mmcv")
    if loaded is None:
        root = str(mmcv_root(version))
        stubs: dict[str, types.ModuleType] = {}
        if version.startswith("1.") and importlib.util.find_spec("torchvision") is None:
            vision = types.ModuleType("torchvision")
            models = types.ModuleType("torchvision.models")
            vision.__version__ = "0.13.0"  # type: ignore[attr-defined]
            vision.models = models  # type: ignore[attr-defined]
            models.__path__ = []
            stubs = {"torchvision": vision, "torchvision.models": models}
        sys.modules.update(stubs)
        sys.path.insert(0, root)
        try:
            with warnings.catch_warnings():
                # 1.7.2 announces the 2.0 renaming with a UserWarning on every import
                warnings.simplefilter("ignore", UserWarning)
                loaded = importlib.import_module("mmcv")
                importlib.import_module("mmcv.cnn")
                if version.startswith("1."):
                    importlib.import_module("mmcv.runner")
        finally:
            sys.path.remove(root)
            for name in stubs:
                del sys.modules[name]
    found = getattr(loaded, "__version__", None)
    if found != version:
        raise RuntimeError(
            f"mmcv {found} is already imported ({loaded.__file__}); "
            f"mmcv {version} cannot be imported in the same process"
        )
    return loaded
