"""Every class a module of a model can be an instance of, when that can be known (IL102 on a
complete index): the classes of the packages a config names, of torch.nn, mmcv and MMEngine, of
every package that defines torch modules which those packages import, and so on; None as soon
as one of them cannot be read.

Read as text, never imported: a package's class names (`class X`), the top-level packages its
modules import (`import x`, `from x import y`, `import_module('x')`), and whether it imports
torch at all (a package that never does defines no torch module, and is not followed further).
The frameworks (torch, mmcv, MMEngine) end the walk: their classes are known, their imports are
not followed.
"""

from __future__ import annotations

import os
import re
import sys
import sysconfig
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..read import read_regular
from .locate import package_folder

CLASS_NAME = re.compile(rb"^[ \t]*class[ \t]+(\w+)", re.M)
IMPORT = re.compile(rb"^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import|import[ \t]+([\w., \t]+))", re.M)
DYNAMIC = re.compile(rb"(?:import_module|__import__)\(\s*(?:(['\"])([\w.]+)\1)?")
USES_TORCH = re.compile(rb"^[ \t]*(?:import[ \t]+torch\b|from[ \t]+torch\b)", re.M)
# The frameworks end the walk: torch's classes come from the generated data, mmcv's from the
# generated data of both generations (and its files, when installed), MMEngine's from its
# files; their imports are not followed (they serve training and compiled ops, not models).
READ_NOT_FOLLOWED = ("mmengine", "mmcv")
FRAMEWORKS = ("torch", *READ_NOT_FOLLOWED)


@dataclass(frozen=True)
class PackageText:
    """What a package's files say as text."""

    classes: frozenset[str]
    imports: frozenset[str]  # top-level packages its modules import (absolute imports)
    uses_torch: bool
    dynamic: bool  # an import whose name is computed: what it brings in cannot be known
    files: tuple[Path, ...]


def read_package(files: Iterable[Path]) -> Optional[PackageText]:
    """The text facts of a package's files; None when one cannot be read."""
    files = tuple(files)
    classes: set[str] = set()
    imports: set[str] = set()
    uses_torch = dynamic = False
    for path in files:
        data, _ = read_regular(path)  # never a FIFO or a device, never beyond the size bound
        if data is None:
            return None
        classes.update(m.decode() for m in CLASS_NAME.findall(data))
        for source, names in IMPORT.findall(data):
            written = (
                [source]
                if source
                else [n.strip().split()[0] for n in names.split(b",") if n.strip()]
            )
            imports.update(
                w.decode().split(".")[0] for w in written if w and not w.startswith(b".")
            )
        for _, name in DYNAMIC.findall(data):
            if name:
                imports.add(name.decode().split(".")[0])
            else:
                dynamic = True
        uses_torch = uses_torch or USES_TORCH.search(data) is not None
    imports.discard("")
    return PackageText(frozenset(classes), frozenset(imports), uses_torch, dynamic, files)


def installed_files(name: str) -> Optional[list[Path]]:
    """The Python files of an installed top-level package or module (found as the import
    system would, without importing it); None when it is not there, or is compiled."""
    folder = package_folder(name)
    if folder is not None:
        return sorted(Path(d, f) for d, _, fs in os.walk(folder) for f in fs if f.endswith(".py"))
    for entry in sys.path:
        candidate = Path(entry or os.getcwd()) / f"{name}.py"
        if candidate.is_file():
            return [candidate]
    return None


def is_stdlib(name: str) -> bool:
    names = getattr(sys, "stdlib_module_names", None)
    if names is not None:
        return name in names or name == "__future__"
    if name in sys.builtin_module_names or name == "__future__":  # Python 3.9
        return True
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    return (stdlib / f"{name}.py").is_file() or (stdlib / name / "__init__.py").is_file()


@lru_cache(maxsize=64)
def foreign_package(name: str) -> Optional[PackageText]:
    """An installed package outside the index, read once per process."""
    files = installed_files(name)
    return read_package(files) if files is not None else None
