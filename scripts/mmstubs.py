"""Lets mmdet 3.3.0, mmsegmentation 1.2.2, mmpretrain 1.2.0 and mmyolo 0.6.0 import on a CPU
machine with `mmcv-lite` (no compiled ops) and no torchvision: `mmcv._ext` and `torchvision.*`
become empty modules whose every attribute is a dummy class. Only the compiled ops (NMS,
RoIAlign, ...) and torchvision transforms stop working; dataset metainfo handling, losses, heads
and `init_weights()` are the released code, unchanged.

Used by the finetune scripts only; initlint itself never imports torch, mmengine or mmcv.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any

STUBBED = ("mmcv._ext", "torchvision")


class _Anything(types.ModuleType):
    __path__: list[str] = []
    __version__ = "0.0.0+stub"  # mmengine's collect_env() prints it

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return type(name, (), {"__init__": lambda self, *args, **kwargs: None})


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname == STUBBED[0] or fullname.split(".")[0] == STUBBED[1]:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return _Anything(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        pass


def install() -> None:
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


def allow_mmyolo() -> None:
    """mmyolo 0.6.0 asserts mmcv < 2.1.0 at import, and mmdet 3.3.0 (installed beside it) needs
    mmcv >= 2.0.0rc4, < 2.2.0: mmcv-lite 2.1.0 serves both. Only mmyolo's version check is
    bypassed; its modules are imported unchanged."""
    import mmcv

    real = mmcv.__version__
    mmcv.__version__ = "2.0.1"
    try:
        import mmyolo.models  # noqa: F401
    finally:
        mmcv.__version__ = real
