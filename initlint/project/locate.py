"""Where an installed or importable package lives, found without importing anything.

`importlib.util.find_spec('a.b')` imports `a` (running its `__init__.py`) to find `a.b`, and a
linter must never run the code it lints. This module walks the entries of `sys.path` as the
import system does (a regular package in an earlier entry wins; namespace portions only when no
entry holds a regular package), then the mappings of setuptools' editable installs, which live
in `__editable___<name>_finder.py` files beside the `.pth` that installs them, read as text.
"""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..read import read_regular


def package_folder(dotted: str, search_path: Optional[Sequence[str]] = None) -> Optional[Path]:
    """The folder of package `dotted` ('mmdet', 'mmdet.models'), or None when no entry of
    `search_path` (default: `sys.path`) holds it. Nothing is imported or executed."""
    parts = dotted.split(".")
    if not all(p.isidentifier() for p in parts):
        return None
    top = _top_level(parts[0], tuple(sys.path if search_path is None else search_path))
    if top is None:
        return None
    folder = top.joinpath(*parts[1:])
    return folder if folder.is_dir() else None


@lru_cache(maxsize=256)
def _top_level(name: str, search_path: tuple[str, ...]) -> Optional[Path]:
    namespace: Optional[Path] = None
    for entry in search_path:
        folder = Path(entry or os.getcwd()) / name
        try:
            if (folder / "__init__.py").is_file():
                return folder
            if namespace is None and folder.is_dir():
                namespace = folder
        except OSError:  # an unreadable or over-long entry: the import system skips it too
            continue
    if namespace is not None:
        return namespace
    return _editable_mappings(search_path).get(name)


@lru_cache(maxsize=16)
def _editable_mappings(search_path: tuple[str, ...]) -> dict[str, Path]:
    """`MAPPING = {'pkg': '/src/pkg'}` of every setuptools editable finder on the path."""
    found: dict[str, Path] = {}
    for entry in search_path:
        try:
            names = [
                n
                for n in os.listdir(entry or ".")
                if n.startswith("__editable__") and n.endswith("_finder.py")
            ]
        except OSError:
            continue
        for name in sorted(names):
            for package, folder in _mapping(Path(entry or ".") / name).items():
                found.setdefault(package, folder)
    return found


def _mapping(path: Path) -> dict[str, Path]:
    data, _ = read_regular(path)  # only a regular file: the path may be the working folder
    try:
        tree = ast.parse(data) if data is not None else None
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    if tree is None:
        return {}
    for statement in tree.body:  # `MAPPING: dict[str, str] = {...}` (or without annotation)
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        else:
            continue
        if not any(isinstance(t, ast.Name) and t.id == "MAPPING" for t in targets):
            continue
        try:
            found = ast.literal_eval(value)
        except ValueError:
            return {}
        if isinstance(found, dict):
            return {
                str(k): Path(str(v))
                for k, v in found.items()
                if isinstance(k, str) and isinstance(v, str) and Path(v).is_dir()
            }
    return {}
