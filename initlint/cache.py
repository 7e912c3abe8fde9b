"""The content-hash cache in `.initlint_cache/`: what a lint unit found, and the facts of a
source module, each valid for as long as the contents it was computed from are unchanged.

Entries are keyed on initlint's version, the settings that change results, and file
contents (never on modification times). Writes are atomic (a temporary file renamed into
place), so two runs may share a cache; an entry that cannot be read back is ignored and
rewritten, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Optional, Union

from . import __version__

CACHE_DIR = ".initlint_cache"
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by initlint.\n"
                "# For information about cache directory tags see https://bford.info/cachedir/\n")


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class FileHashes:
    """The content hash of each file, read once per run (None: the file cannot be read)."""

    def __init__(self) -> None:
        self._hashes: dict[str, Optional[str]] = {}

    def of(self, path: Union[str, Path]) -> Optional[str]:
        key = str(path)
        if key not in self._hashes:
            try:
                with open(key, "rb") as handle:
                    self._hashes[key] = content_hash(handle.read())
            except OSError:
                self._hashes[key] = None
        return self._hashes[key]

    def current(self, deps: Mapping[str, Optional[str]]) -> bool:
        """Whether every file still has the content it had."""
        return all(self.of(path) == digest for path, digest in deps.items())


class Cache:
    def __init__(self, root: Path, settings: Mapping[str, Any]) -> None:
        key = json.dumps(settings, sort_keys=True, default=str)
        self.root = root / f"v{__version__}" / content_hash(key.encode())[:16]
        self.hashes = FileHashes()
        self._ready = False

    def _prepare(self) -> None:
        if self._ready:
            return
        top = self.root.parent.parent
        top.mkdir(parents=True, exist_ok=True)
        tag = top / "CACHEDIR.TAG"
        if not tag.exists():
            _write_atomic(tag, CACHEDIR_TAG.encode())
        ignore = top / ".gitignore"
        if not ignore.exists():
            _write_atomic(ignore, b"# Created by initlint\n*\n")
        for sub in ("results", "facts"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self._ready = True

    # -- what a lint unit found -------------------------------------------------------------
    def _result_path(self, unit: str) -> Path:
        return self.root / "results" / f"{content_hash(unit.encode())}.json"

    def load_result(self, unit: str,
                    signature: Callable[[str], Optional[str]]) -> Optional[dict[str, Any]]:
        """The stored result of a unit, if every file it depended on is unchanged and every
        project-wide fact it used (`signature(key)`) still has the same digest."""
        try:
            entry = json.loads(self._result_path(unit).read_text(encoding="utf-8"))
            if not isinstance(entry, dict) or entry.get("unit") != unit:
                return None
            if not self.hashes.current(entry["deps"]):
                return None
            for key, digest in entry["signatures"].items():
                if signature(key) != digest:
                    return None
            return entry
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # absent, truncated or not ours: recompute

    def store_result(self, unit: str, entry: dict[str, Any]) -> None:
        self._prepare()
        _write_atomic(self._result_path(unit),
                      json.dumps({"unit": unit, **entry}).encode("utf-8"))

    # -- the facts of a source module --------------------------------------------------------
    def _facts_path(self, digest: str, module: str) -> Path:
        return self.root / "facts" / f"{content_hash(f'{digest}:{module}'.encode())}.pickle"

    def load_facts(self, digest: str, module: str) -> Any:
        try:
            with open(self._facts_path(digest, module), "rb") as handle:
                return pickle.load(handle)
        except Exception:  # absent or unreadable: parse again
            return None

    def store_facts(self, digest: str, module: str, facts: Any) -> None:
        self._prepare()
        try:
            data = pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # facts we cannot pickle are simply not cached
            return
        _write_atomic(self._facts_path(digest, module), data)

    # -- small JSON facts of one file's content (e.g. its comments) ----------------------------
    def load_json(self, kind: str, digest: str) -> Any:
        try:
            return json.loads((self.root / "facts" / f"{kind}-{digest}.json")
                              .read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def store_json(self, kind: str, digest: str, value: Any) -> None:
        self._prepare()
        _write_atomic(self.root / "facts" / f"{kind}-{digest}.json",
                      json.dumps(value).encode("utf-8"))

    # -- digests of project-wide facts, by the contents they were computed from --------------
    def _signature_path(self, key: str, files_digest: str) -> Path:
        return self.root / "facts" / f"{content_hash(f'{key}:{files_digest}'.encode())}.sig"

    def load_signature(self, key: str, files_digest: str) -> Optional[str]:
        try:
            text = self._signature_path(key, files_digest).read_text(encoding="utf-8")
        except OSError:
            return None
        return text if len(text) == 32 and all(c in "0123456789abcdef" for c in text) else None

    def store_signature(self, key: str, files_digest: str, signature: str) -> None:
        self._prepare()
        _write_atomic(self._signature_path(key, files_digest), signature.encode())


def registry_signature(names: Mapping[str, Iterable[str]]) -> str:
    """A digest of what a package's registries map names to."""
    return content_hash(json.dumps({k: sorted(v) for k, v in sorted(names.items())}).encode())


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
