"""The configs outside a run that inherit its files, so that a file linted alone (a staged
`_base_` file under pre-commit) is checked as the configs that use it see it.

The project is the tree a whole-tree run would lint: the folder of the nearest settings file
(excludes are anchored there), else the repository (the nearest folder with `.git`, where
pre-commit runs), else OpenMMLab's layout: the nearest folder named `configs`, else the folder
holding the top-most `_base_` folder. A file in none of these has no project to search (never
the working directory: run from a home folder, that would walk all of it). Its config files are
found with the run's excludes and a text pre-filter: a file can only inherit another if it
mentions `_base_` or `read_base` and the other's name (the name before its first dot, which
both `'./x.py'` and `from .x import *` contain). Inheritance is transitive, so the search
repeats with the names it finds. Nothing is loaded here: a candidate that does not really
inherit costs a load and adds nothing.

The search is redone on every run (a cheap walk and read): a config that starts inheriting a
file changes the answer, and no cached result could know it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Optional

from .discover import CONFIG_SUFFIXES, Excluder, classify, discover
from .read import read_regular

SettingsRoot = Callable[[Path], Optional[Path]]  # a file -> its settings file's folder
INHERITS = (b"_base_", b"read_base")


def name_key(path: Path) -> bytes:
    """What a file that inherits `path` must mention."""
    return path.name.split(".", 1)[0].encode("utf-8", "surrogateescape")


def project_root(path: Path, settings_root: Optional[SettingsRoot] = None) -> Optional[Path]:
    """The project `path` (absolute) belongs to (see the module's documentation)."""
    found = settings_root(path) if settings_root is not None else None
    if found is not None:
        return found
    for folder in path.parents:
        if (folder / ".git").exists():
            return folder
    for folder in path.parents:
        if folder.name == "configs":
            return folder
    parts = path.parts
    if "_base_" in parts[:-1]:
        return Path(*parts[: parts.index("_base_")])
    return None


def inheritors(
    files: Iterable[Path],
    linted: set[str],
    roots: Iterable[Path],
    excluder: Optional[Excluder] = None,
    skip: Optional[Path] = None,
) -> list[Path]:
    """Config files under `roots`, not among `linted` (absolute paths as strings) nor under
    `skip` (the cache), that may inherit one of `files` (absolute), directly or through each
    other: those that name one of them first, then those that name these, and so on."""
    pool: dict[Path, bytes] = {}
    skipped = os.path.abspath(skip).rstrip(os.sep) + os.sep if skip is not None else None
    for root in sorted(set(roots)):
        for path in discover([str(root)], CONFIG_SUFFIXES, excluder):
            if (
                str(path) in linted
                or path in pool
                or (skipped is not None and str(path).startswith(skipped))
            ):
                continue
            data, _ = read_regular(path)  # never a FIFO or a device, never beyond the bound
            if data is not None and any(token in data for token in INHERITS):
                pool[path] = data
    wanted = {name_key(p) for p in files}
    found: list[Path] = []
    while pool:  # nearest first: the first to reach a file names it
        names = sorted(w for w in wanted if w)
        if not names:
            break
        word = re.compile(rb"(?<![\w\-])(?:" + b"|".join(map(re.escape, names)) + rb")(?![\w\-])")
        # A substring search first (most files name none), the word boundaries then, and
        # what a file is only for those that pass: classifying every file costs more.
        new = sorted(
            p
            for p, data in pool.items()
            if any(name in data for name in names) and word.search(data) is not None
        )
        mentioned = {p: pool.pop(p) for p in new}
        new = [p for p in new if {"config", "base"} & set(classify(p, mentioned[p], False))]
        found += new
        wanted = {name_key(p) for p in new}
    return found
