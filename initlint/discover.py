"""Walking the paths a user names: which files initlint reads, and what kind each one is.

Exclusion patterns are gitignore-style globs (`FilePattern`): a pattern without `/` matches the
name of a file or folder at any depth (`.venv`, `test_*.py`); a pattern with `/` is anchored at
the folder of the settings file that gives it (`configs/_base_`, `tools/**/*.py`). `*` and `?`
never match `/`, `**` matches any number of folders, and a folder that matches excludes
everything in it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal, Optional, Protocol

# The files initlint reads: Python configs and model sources, JSON and YAML configs.
CONFIG_SUFFIXES = (".py", ".json", ".yaml", ".yml")
# Directories never worth walking into (ruff's defaults, plus our own cache). Setting `exclude`
# replaces these; `extend-exclude` adds to them.
DEFAULT_EXCLUDES = frozenset(
    {
        ".bzr",
        ".direnv",
        ".eggs",
        ".git",
        ".git-rewrite",
        ".hg",
        ".mypy_cache",
        ".nox",
        ".pants.d",
        ".pytype",
        ".ruff_cache",
        ".svn",
        ".tox",
        ".venv",
        "__pypackages__",
        "__pycache__",
        "_build",
        "buck-out",
        "build",
        "dist",
        "node_modules",
        "venv",
        ".initlint_cache",
        ".pytest_cache",
        ".hypothesis",
    }
)

# A folder holding one is a cache (ours under a --cache-dir, or another tool's): never walked.
CACHEDIR_TAG = "CACHEDIR.TAG"  # https://bford.info/cachedir/


class MissingPath(Exception):
    """A path on the command line that does not exist (a usage error, exit 2)."""


class BadPattern(ValueError):
    """A glob that cannot be compiled (an unclosed `[`, say)."""


def _translate(glob: str) -> str:
    """A gitignore-style glob as a regular expression over `/`-separated relative paths."""
    out: list[str] = []
    i = 0
    while i < len(glob):
        char = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = glob.find("]", i + 2 if glob[i + 1 : i + 2] in ("!", "^", "]") else i + 1)
            if end < 0:
                raise BadPattern(f"unclosed '[' in {glob!r}")
            body = glob[i + 1 : end]
            if body[:1] in ("!", "^"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\").replace("/", "") + "]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


@dataclass(frozen=True)
class FilePattern:
    """One exclusion glob, as written, with the folder it is relative to (absolute)."""

    text: str
    root: Path
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)
    anchored: bool = field(init=False, repr=False, compare=False)
    absolute: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        glob = os.path.expanduser(self.text).rstrip("/") or "/"
        is_absolute = os.path.isabs(glob)
        if not is_absolute:
            glob = glob.lstrip("/")
        object.__setattr__(self, "absolute", is_absolute)
        object.__setattr__(self, "anchored", is_absolute or "/" in self.text.strip("/"))
        # Compiled now, so that a bad pattern is reported before anything is read.
        object.__setattr__(self, "regex", _compiled(glob))

    def matches(self, path: Path) -> bool:
        """Whether `path` (absolute) itself matches (see `path_or_parent_matches`)."""
        if not self.anchored:
            return self.regex.fullmatch(path.name) is not None
        if self.absolute:
            return self.regex.fullmatch(path.as_posix()) is not None
        try:
            relative = path.relative_to(self.root).as_posix()
        except ValueError:
            return False
        return self.regex.fullmatch(relative) is not None


_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(glob: str) -> re.Pattern[str]:
    pattern = _CACHE.get(glob)
    if pattern is None:
        try:
            pattern = _CACHE[glob] = re.compile(_translate(glob))
        except re.error as exc:
            raise BadPattern(f"bad pattern {glob!r}: {exc}") from None
    return pattern


def absolute(path: Path) -> Path:
    """`path` made absolute and normalised (`..` removed), without resolving symlinks: the
    paths patterns are matched against, as ruff matches them."""
    return Path(os.path.abspath(path))


class PatternSet:
    """Many patterns matched at once: the unanchored ones as one regular expression over the
    name, the anchored ones one by one."""

    def __init__(self, patterns: Iterable[FilePattern]) -> None:
        patterns = list(patterns)
        names = [p.regex.pattern for p in patterns if not p.anchored]
        self.names = re.compile("|".join(f"(?:{n})" for n in names)) if names else None
        self.anchored = [p for p in patterns if p.anchored]

    def matches_name(self, folder: Path, name: str) -> bool:
        """Whether `folder / name` matches, without making the path unless a pattern needs it."""
        if self.names is not None and self.names.fullmatch(name):
            return True
        return bool(self.anchored) and any(p.matches(folder / name) for p in self.anchored)


def path_or_parent_matches(path: Path, patterns: Iterable[FilePattern], root: Path) -> bool:
    """Whether `path` or one of its folders below `root` matches one of `patterns`.
    (`root` itself is never tested: a project kept in a folder named `build` still works.)"""
    patterns = list(patterns)
    if not patterns or path == root:
        return False
    candidates = [path]
    if root in path.parents:
        candidates += [p for p in path.parents if root in p.parents]
    return any(pattern.matches(candidate) for candidate in candidates for pattern in patterns)


class Excluder(Protocol):
    """Decides which paths the settings exclude (settings.Resolver implements it)."""

    def is_excluded_name(self, folder: Path, name: str) -> bool:
        """Whether `folder / name` (`folder` absolute) is excluded by the patterns of the
        settings that apply to it; only that path itself is tested, not its folders."""

    def is_path_excluded(self, path: Path) -> bool:
        """Whether `path` (absolute) or one of its folders within the project is excluded."""


def discover(
    paths: Iterable[str],
    suffixes: tuple[str, ...] = CONFIG_SUFFIXES,
    excluder: Optional[Excluder] = None,
    force_exclude: bool = False,
    problems: Optional[list[tuple[Path, str]]] = None,
) -> Iterator[Path]:
    """Files to lint, in a stable order. Files named explicitly are always taken, unless
    `force_exclude` (pre-commit names every staged file) and the settings exclude them. A
    folder the walk cannot read is added to `problems` with why (nothing is skipped
    silently); what is found is taken by name: whether it can be read is the reader's to say
    (a FIFO named `x.py` is reported, never opened here)."""
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if not _exists(path):
            raise MissingPath(raw)
        if force_exclude and excluder is not None and excluder.is_path_excluded(absolute(path)):
            continue
        if not _is_dir(path):  # a file, or a FIFO or a device named explicitly
            candidates: Iterable[Path] = [path]
        else:
            candidates = _walk(path, suffixes, excluder, problems)
        for candidate in candidates:
            key = os.path.abspath(candidate)
            if key not in seen:
                seen.add(key)
                yield candidate


def _exists(path: Path) -> bool:
    """Whether anything is there (a dangling link counts: reading it says why it fails)."""
    try:
        os.lstat(path)
        return True
    except (OSError, ValueError):
        return False


def _is_dir(path: Path) -> bool:
    try:
        return os.path.isdir(path)
    except (OSError, ValueError):
        return False


def _walk(
    root: Path,
    suffixes: tuple[str, ...],
    excluder: Optional[Excluder],
    problems: Optional[list[tuple[Path, str]]] = None,
) -> Iterator[Path]:
    def unreadable(error: OSError) -> None:
        if problems is not None:
            problems.append((Path(error.filename or root), error.strerror or str(error)))

    # Symlinked folders are not followed (as ruff): no loops, nothing outside the tree twice.
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        here = Path(dirpath)
        if CACHEDIR_TAG in filenames and dirpath != str(root):
            dirnames[:] = []  # a cache (ours under --cache-dir, or another tool's): not code
            continue
        if excluder is None:
            dirnames[:] = sorted(d for d in dirnames if d not in DEFAULT_EXCLUDES)
        else:
            folder = absolute(here)
            dirnames[:] = sorted(d for d in dirnames if not excluder.is_excluded_name(folder, d))
        for name in sorted(filenames):
            if name.endswith(suffixes) and (
                excluder is None or not excluder.is_excluded_name(folder, name)
            ):
                yield here / name


# A file that mentions none of these cannot hold or change an init_cfg, nor hold what the
# fine-tuning rules judge (heads, metainfo, checkpoints, resuming): it is never parsed.
PREFILTER = (
    b"init_cfg",
    b"_base_",
    b"read_base",
    b"num_classes",
    b"metainfo",
    b"load_from",
    b"resume_from",
    b"pretrained",
    b"frozen_stages",
)
# The same in UTF-16 and UTF-32 (either byte order): such a file is read, so that it is
# reported (MMEngine reads configs as UTF-8), not skipped unread.
WIDE_PREFILTER = tuple(
    token.decode().encode(codec)
    for token in PREFILTER
    for codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
# Model sources define classes.
CLASS_DEF = re.compile(rb"^class\s+\w+", re.M)
# What only a config holds at its top level: its bases, a read_base import, the model.
CONFIG_MARK = re.compile(rb"^(?:_base_\s*[:=]|model\s*[:=]|with\s+read_base\s*\(\s*\)\s*:)", re.M)
FileKind = Literal["config", "base", "source"]


def classify(path: Path, data: bytes, explicit: bool) -> tuple[FileKind, ...]:
    """What a file is, from its name and bytes (nothing is parsed here): a model source (a
    Python file that defines classes), a base (a config under a `_base_/` folder), a config
    (also a Python file that defines classes, when it holds a config's `_base_`, `model` or
    `read_base`: then it is both), or nothing (no kind: it mentions none of PREFILTER),
    skipped unless named explicitly. The tokens are looked for in UTF-16 and UTF-32 too:
    such a file is read, and reading it says why it cannot be a config."""
    config: tuple[FileKind, ...] = ("base" if is_base_only(path) else "config",)
    if path.suffix == ".py" and CLASS_DEF.search(data):
        source: tuple[FileKind, ...] = ("source",) if explicit or b"init_cfg" in data else ()
        marked = (
            b"_base_" in data
            or b"read_base" in data
            or b"\nmodel" in data
            or data.startswith(b"model")
        ) and CONFIG_MARK.search(data) is not None
        return config + source if marked else source
    if explicit or any(token in data for token in PREFILTER) or _wide(data):
        return config
    return ()


def _wide(data: bytes) -> bool:
    return b"\x00" in data and any(token in data for token in WIDE_PREFILTER)


def is_base_only(path: Path) -> bool:
    """OpenMMLab keeps files meant only to be inherited under `_base_/` folders."""
    return "_base_" in path.parts[:-1]


def display_path(path: Path) -> str:
    """The path as ruff shows it: relative to the working directory when inside it."""
    return _display(str(path), os.getcwd())


@lru_cache(maxsize=65536)
def _display(path: str, cwd: str) -> str:
    absolute = os.path.normpath(os.path.join(cwd, path))  # an absolute `path` stays as it is
    for prefix in _prefixes(cwd):  # the working directory as given, and through symlinks
        if absolute.startswith(prefix):
            return absolute[len(prefix) :]
    return path


@lru_cache(maxsize=64)
def _prefixes(cwd: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.rstrip(os.sep) + os.sep for f in (cwd, os.path.realpath(cwd))))
