"""The content-hash cache in `.initlint_cache/`: what each lint unit found, valid for as long
as the contents it was computed from are unchanged.

One database file per code version and settings: each unit's diagnostics with the content
hashes of the files it read and the digests of the project-wide facts it used, the comments
of files (for suppressions), and the digests of project-wide facts by the contents they came
from. It is keyed on initlint's code, the settings that change results and file contents
(never on modification times), written atomically (a temporary file renamed into place) so
two runs may share it, and anything in it that cannot be read back is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional, Protocol, Union

from . import __version__
from .read import file_bytes

CACHE_DIR = ".initlint_cache"
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by initlint.\n"
                "# For information about cache directory tags see https://bford.info/cachedir/\n")


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """initlint's version and a digest of its own code and data: a change to either may
    change what a unit finds."""
    package = Path(__file__).resolve().parent
    digest = hashlib.blake2b(__version__.encode(), digest_size=8)
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json", ".md") and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return f"v{__version__}-{digest.hexdigest()}"


class FactSource(Protocol):
    """Where project-wide facts come from (the project index)."""

    def fact_digest(self, key: str) -> str: ...

    def fact_files(self, key: str) -> list[tuple[str, Path]]: ...

    @property
    def generation(self) -> int: ...


class Dependencies:
    """What one lint unit read: files, whose content hashes say when its result is stale, and
    project-wide facts (a package's registries), whose digests do."""

    def __init__(self) -> None:
        self.files: set[Path] = set()
        self.facts: set[str] = set()

    def file(self, path: Path) -> None:
        self.files.add(path)

    def fact(self, key: str) -> None:
        self.facts.add(key)


class FileHashes:
    """The content hash of each file, read once per run (None: the file cannot be read)."""

    def __init__(self) -> None:
        self._hashes: dict[str, Optional[str]] = {}

    def of(self, path: Union[str, Path]) -> Optional[str]:
        key = str(path)
        if key not in self._hashes:
            try:
                self._hashes[key] = content_hash(file_bytes(key))
            except OSError:
                self._hashes[key] = None
        return self._hashes[key]

    def prime(self, path: str, data: bytes) -> None:
        """Record the content of a file already read (it is not read again)."""
        self._hashes[path] = content_hash(data)

    def current(self, deps: Mapping[str, Optional[str]]) -> bool:
        """Whether every file still has the content it had."""
        return all(self.of(path) == digest for path, digest in deps.items())


class Cache:
    def __init__(self, root: Path, settings: Mapping[str, Any]) -> None:
        key = json.dumps(settings, sort_keys=True, default=str)
        self.top = root
        self.file = root / code_fingerprint() / f"{content_hash(key.encode())[:16]}.json"
        self.hashes = FileHashes()
        self._db: Optional[dict[str, dict[str, Any]]] = None
        self._dirty = False
        self._fact_files: dict[tuple[str, int], Optional[str]] = {}

    @property
    def db(self) -> dict[str, dict[str, Any]]:
        if self._db is None:
            self._db = {"results": {}, "signatures": {}, "comments": {}}
            try:
                data = json.loads(self.file.read_text(encoding="utf-8"))
                if isinstance(data, dict):
                    for table in self._db:
                        if isinstance(data.get(table), dict):
                            self._db[table] = data[table]
            except (OSError, ValueError):
                pass  # absent, truncated or not ours: start afresh
        return self._db

    # -- what a lint unit found -------------------------------------------------------------
    def result(self, unit: str,
               signature: Callable[[str], Optional[str]]) -> Optional[dict[str, Any]]:
        """The stored result of a unit, if every file it depended on is unchanged and every
        project-wide fact it used (`signature(key)`) still has the same digest."""
        entry = self.db["results"].get(unit)
        try:
            if not isinstance(entry, dict) or not self.hashes.current(entry["deps"]):
                return None
            for key, digest in entry["signatures"].items():
                if signature(key) != digest:
                    return None
            return entry
        except (KeyError, TypeError, AttributeError):
            return None  # damaged: recompute

    def store_result(self, unit: str, entry: dict[str, Any]) -> None:
        self.db["results"][unit] = entry
        self._dirty = True

    # -- digests of project-wide facts, by the contents they were computed from --------------
    def fact_digest(self, key: str, index: FactSource) -> str:
        """The digest of a project-wide fact (`ProjectIndex.fact_digest`), from the database
        when the modules it is computed from are unchanged."""
        files = self._files_digest(key, index)
        if files is None:  # a module cannot be read: compute it, keep nothing
            return index.fact_digest(key)
        found = self.db["signatures"].get(f"{key}:{files}")
        if isinstance(found, str):
            return found
        digest = index.fact_digest(key)
        self.remember_fact(key, digest, index, files)
        return digest

    def remember_fact(self, key: str, digest: str, index: FactSource,
                      files: Optional[str] = None) -> None:
        """Keep a digest computed elsewhere (a worker) from the same contents."""
        files = files or self._files_digest(key, index)
        if files is not None and self.db["signatures"].get(f"{key}:{files}") != digest:
            self.db["signatures"][f"{key}:{files}"] = digest
            self._dirty = True

    def _files_digest(self, key: str, index: FactSource) -> Optional[str]:
        memo = (key, index.generation)  # more modules indexed: other files
        if memo not in self._fact_files:
            parts = []
            for name, path in index.fact_files(key):
                digest = self.hashes.of(path)
                if digest is None:
                    self._fact_files[memo] = None
                    break
                parts.append(f"{name}={digest}")
            else:
                self._fact_files[memo] = content_hash("\n".join(parts).encode())
        return self._fact_files[memo]

    # -- the comments of a file's content (suppressions) ---------------------------------------
    def comments(self, digest: str) -> Optional[list[tuple[int, int, str]]]:
        found = self.db["comments"].get(digest)
        try:
            return [(int(r), int(c), str(t)) for r, c, t in found] if found is not None else None
        except (TypeError, ValueError):
            return None

    def store_comments(self, digest: str, comments: list[tuple[int, int, str]]) -> None:
        self.db["comments"][digest] = comments
        self._dirty = True

    def save(self) -> None:
        """Write what changed, dropping results of files that no longer exist."""
        if not self._dirty:
            return
        results = self.db["results"]
        for unit in [u for u in results if not os.path.exists(u.partition(":")[2])]:
            del results[unit]
        self.top.mkdir(parents=True, exist_ok=True)
        tag = self.top / "CACHEDIR.TAG"
        if not tag.exists():
            _write_atomic(tag, CACHEDIR_TAG.encode())
        ignore = self.top / ".gitignore"
        if not ignore.exists():
            _write_atomic(ignore, b"# Created by initlint\n*\n")
        _write_atomic(self.file, json.dumps(self.db, separators=(",", ":")).encode("utf-8"))
        self._dirty = False


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass
