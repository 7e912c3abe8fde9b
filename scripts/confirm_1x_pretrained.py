"""Build every model config of the 1.x releases with mmcv 1.7.2 and call `init_weights()`:
which released configs fail, and why (grammar.md §11.1).

The releases are `benchmarks/corpus.py`'s RELEASES_1X (mmdet 2.28.2, mmcls 0.25.0, mmseg 0.30.0,
mmrotate 0.3.4), each built by its own builder. Offline, on CPU torch, with stand-ins that only
this script uses: a stub of mmcv's compiled ops (constructors never call them), stub modules
for optional packages the test venv lacks (scipy, six, e2cnn, ...; used at run time, not at
construction), and checkpoint loading that returns a placeholder state dict (every `Pretrained`
points to a download). Models are built on CPU (the `meta` device does not do: BaseModule
compares parameter means with `.item()`); about a second per config.

    python scripts/confirm_1x_pretrained.py [--package mmdet] [--limit N] [--json OUT]

Prints each failing config with its exception, then counts by kind. A failure is of kind
"init_cfg" when its message names `init_cfg` or `pretrained` (what the backbones assert) or
it was raised inside mmcv's weight_init / BaseModule; every other failure is "environment".
"""

from __future__ import annotations

import argparse
import builtins
import contextlib
import importlib
import importlib.abc
import importlib.machinery
import io
import json
import sys
import tempfile
import traceback
import types
import warnings
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "scripts"))

from corpus import RELEASES_1X, import_mmcv, unpacked_1x  # noqa: E402
from gen_mmcv_layers import _stub_ops  # noqa: E402

# Packages the releases import that the test venv does not have.
OPTIONAL = {
    "scipy",
    "six",
    "e2cnn",
    "pycocotools",
    "terminaltables",
    "shapely",
    "matplotlib",
    "lvis",
    "cityscapesscripts",
    "mmlvis",
    "panopticapi",
    "fairscale",
    "timm",
}
BUILDERS = {
    "mmdet": ("mmdet.models", "build_detector", True),
    "mmcls": ("mmcls.models", "build_classifier", False),
    "mmseg": ("mmseg.models", "build_segmentor", True),
    "mmrotate": ("mmrotate.models", "build_detector", True),
}


class _AnyMeta(type):
    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Any


class _Any(metaclass=_AnyMeta):
    """Whatever a stub module is asked for: a class, callable, with any attribute."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Any()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _Any()


def _stub_attribute(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(builtins, name, None) or _AnyMeta(name, (_Any,), {})  # six.moves.map is map


class _StubLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = types.ModuleType(spec.name)
        module.__path__ = []
        module.__getattr__ = _stub_attribute  # type: ignore[method-assign]
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        pass


class _MissingPackages(importlib.abc.MetaPathFinder):
    """Stub modules for OPTIONAL packages that are not installed (installed ones are used)."""

    def find_spec(
        self, name: str, path: Optional[Sequence[str]], target: Optional[types.ModuleType] = None
    ) -> Optional[Any]:
        if name.split(".")[0] not in OPTIONAL:
            return None
        for finder in sys.meta_path:
            if finder is not self and finder.find_spec(name, path, target) is not None:
                return None
        return importlib.machinery.ModuleSpec(name, _StubLoader(), is_package=True)


def _offline_checkpoints(mmcv: Any) -> None:
    """Every checkpoint holds one key no model has (the configs' Pretrained are downloads;
    some `init_weights` look at the first key, so it is not empty)."""
    import torch

    checkpoint = importlib.import_module("mmcv.runner.checkpoint")

    def placeholder(*args: Any, **kwargs: Any) -> dict[str, Any]:
        return {"state_dict": {"offline.placeholder": torch.zeros(1)}}

    def with_prefix(*args: Any, **kwargs: Any) -> dict[str, Any]:
        return {"offline.placeholder": torch.zeros(1)}

    checkpoint.CheckpointLoader.load_checkpoint = classmethod(placeholder)
    for module in (checkpoint, mmcv.runner):
        module._load_checkpoint_with_prefix = with_prefix


def _kind(exc: BaseException) -> str:
    text = str(exc)
    if "init_cfg" in text or "pretrained" in text:
        return "init_cfg"
    frames = traceback.extract_tb(exc.__traceback__)
    if frames and Path(frames[-1].filename).name in ("weight_init.py", "base_module.py"):
        return "init_cfg"
    return "environment"


def _configs(package: str) -> list[Path]:
    root = unpacked_1x(package) / ".mim" / "configs"
    return sorted(p for p in root.rglob("*.py") if "_base_" not in p.relative_to(root).parts)


def _attempt(build: Any, takes_cfgs: bool, cfg: Any) -> Optional[BaseException]:
    import torch

    try:  # load_state_dict prints key mismatches when it has no logger
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            if takes_cfgs:
                model = build(
                    cfg.model, train_cfg=cfg.get("train_cfg"), test_cfg=cfg.get("test_cfg")
                )
            else:
                model = build(cfg.model)
            with torch.no_grad():
                model.init_weights()
    except Exception as exc:  # the verdict: what building or initialising raised
        return exc
    return None


def run(
    packages: list[str], limit: Optional[int], only: Optional[list[str]] = None
) -> list[dict[str, Any]]:
    """One row per config; `only`: config paths relative to a package's configs folder."""
    import logging

    sys.meta_path.insert(0, _MissingPackages())
    mmcv = import_mmcv("1.7.2")
    for name in ("mmcv", *RELEASES_1X):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    with tempfile.TemporaryDirectory() as tmp:
        _stub_ops(tmp)
        _offline_checkpoints(mmcv)
        rows: list[dict[str, Any]] = []
        for package in ["mmdet", *packages]:  # mmrotate builds on mmdet
            sys.path.insert(0, str(unpacked_1x(package).parent))
        for package in packages:
            module, builder, takes_cfgs = BUILDERS[package]
            build = getattr(importlib.import_module(module), builder)
            root = unpacked_1x(package) / ".mim" / "configs"
            configs = _configs(package)[:limit]
            if only is not None:
                configs = [c for c in configs if str(c.relative_to(root)) in only]
            for path in configs:
                name = f"{package}: {path.relative_to(root)}"
                try:
                    cfg = mmcv.Config.fromfile(str(path))
                except Exception as exc:  # the config itself does not load
                    rows.append(
                        {
                            "package": package,
                            "config": name,
                            "phase": "config",
                            "kind": "environment",
                            "error": f"{type(exc).__name__}: {exc}",
                        }
                    )
                    continue
                if "model" not in cfg:
                    continue
                error = _attempt(build, takes_cfgs, cfg)
                rows.append(
                    {
                        "package": package,
                        "config": name,
                        "phase": "model",
                        "kind": "ok" if error is None else _kind(error),
                        "error": None
                        if error is None
                        else f"{type(error).__name__}: {error}"[:300],
                    }
                )
            print(f"{package}: {len(configs)} configs", file=sys.stderr)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", action="append", choices=sorted(RELEASES_1X))
    parser.add_argument("--limit", type=int, help="at most N configs per package")
    parser.add_argument(
        "--config",
        action="append",
        metavar="PATH",
        help="only this config (relative to the package's configs folder)",
    )
    parser.add_argument("--json", type=Path, help="write every row here")
    args = parser.parse_args()
    rows = run(args.package or sorted(RELEASES_1X), args.limit, args.config)
    for row in rows:
        if row["kind"] == "init_cfg":
            print(f"{row['config']}\n    {row['error']}")
    counts = Counter((row["package"], row["kind"]) for row in rows)
    for (package, kind), count in sorted(counts.items()):
        print(f"{package:9} {kind:12} {count}")
    environment = Counter(
        str(row["error"]).split(":")[0] for row in rows if row["kind"] == "environment"
    )
    print("environment failures by exception:", dict(environment.most_common()))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
