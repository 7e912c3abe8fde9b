"""Walking the paths a user names: which files initlint reads, and what kind each one is."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

CONFIG_SUFFIXES = (".py",)
# Directories never worth walking into (ruff's defaults, plus our own cache).
DEFAULT_EXCLUDES = frozenset({
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".mypy_cache", ".nox",
    ".pants.d", ".pytype", ".ruff_cache", ".svn", ".tox", ".venv", "__pypackages__",
    "__pycache__", "_build", "buck-out", "build", "dist", "node_modules", "venv",
    ".initlint_cache", ".pytest_cache", ".hypothesis",
})


class MissingPath(Exception):
    """A path on the command line that does not exist (a usage error, exit 2)."""


def discover(paths: Iterable[str], suffixes: tuple[str, ...] = CONFIG_SUFFIXES) -> Iterator[Path]:
    """Files to lint, in a stable order. Files named explicitly are always taken."""
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise MissingPath(raw)
        if path.is_file():
            candidates: Iterable[Path] = [path]
        else:
            candidates = _walk(path, suffixes)
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                yield candidate


def _walk(root: Path, suffixes: tuple[str, ...]) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in DEFAULT_EXCLUDES)
        for name in sorted(filenames):
            if name.endswith(suffixes):
                yield Path(dirpath) / name


def display_path(path: Path) -> str:
    """The path as ruff shows it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
