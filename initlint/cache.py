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
import stat
import tempfile
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional, Protocol

from . import __version__
from .read import Files, content_hash, is_content_hash, kind_of, read_regular

CACHE_DIR = ".initlint_cache"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by initlint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


# A database beyond this is not ours (mmdet's 1,548 files make 1.8 MB): it is ignored.
MAX_DATABASE_BYTES = 64 * 1024 * 1024
__all__ = ["CACHE_DIR", "Cache", "Dependencies", "content_hash", "unusable_location"]


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

    def fact_files(self, key: str) -> Optional[list[tuple[str, Path]]]:
        """The modules a fact is computed from; None for a cheap fact computed every run."""

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


def unusable_location(root: Path) -> Optional[str]:
    """Why `root` cannot be the cache folder (None: it is one, or can be created): a file, a
    special file, a symbolic link to nothing, a path through a file, a name the system
    refuses."""
    try:
        info = os.stat(root)
    except FileNotFoundError:
        if os.path.islink(root):
            return "a symbolic link to nothing"
        return None  # created when the cache is written
    except NotADirectoryError:
        return "under a file, not a folder"
    except (OSError, ValueError) as exc:
        return str(getattr(exc, "strerror", None) or exc)
    if stat.S_ISDIR(info.st_mode):
        return None
    return (
        "a file, not a folder"
        if stat.S_ISREG(info.st_mode)
        else f"{kind_of(info.st_mode)}, not a folder"
    )


class Cache:
    """The database of one code version and settings under `root`. Nothing in it is trusted:
    an entry of the wrong shape, a file that is not a regular file, a database that cannot be
    parsed are ignored (and rewritten at the end); a location that cannot be used means a run
    without cache, said in `notes`."""

    def __init__(
        self, root: Path, settings: Mapping[str, Any], files: Optional[Files] = None
    ) -> None:
        key = json.dumps(settings, sort_keys=True, default=str)
        self.top = root
        self.file = root / code_fingerprint() / f"{content_hash(key.encode())[:16]}.json"
        self.files = files or Files()
        self.notes: list[str] = []  # for --verbose: why the cache was not read or written
        self._db: Optional[dict[str, dict[str, Any]]] = None
        self._dirty = False
        self._fact_files: dict[tuple[str, int], Optional[str]] = {}
        problem = unusable_location(root)
        self.usable = problem is None
        if problem is not None:
            self.notes.append(f"cache: not used: {root} is {problem}")

    @property
    def db(self) -> dict[str, dict[str, Any]]:
        if self._db is None:
            self._db = {"results": {}, "signatures": {}, "comments": {}}
            if self.usable:
                self._load(self._db)
        return self._db

    def _load(self, db: dict[str, dict[str, Any]]) -> None:
        data, why = read_regular(self.file, MAX_DATABASE_BYTES)
        if data is None:
            if not why.startswith("No such file"):
                self.notes.append(f"cache: {self.file} not read ({why}); it is rewritten")
            return
        try:
            found = json.loads(data.decode("utf-8"))
        except (ValueError, RecursionError, MemoryError):  # truncated, not ours, too deep
            found = None
        if not isinstance(found, dict):
            self.notes.append(f"cache: {self.file} is damaged; it is rewritten")
            return
        for table in db:
            if isinstance(found.get(table), dict):
                db[table] = found[table]

    # -- what a lint unit found -------------------------------------------------------------
    def result(
        self, unit: str, signature: Callable[[str], Optional[str]]
    ) -> Optional[dict[str, Any]]:
        """The stored result of a unit, if it has the shape `store_result` writes, every
        file it read or looked for is as it was, and every project-wide fact it used
        (`signature(key)`) still has the same digest."""
        entry = _entry(self.db["results"].get(unit))
        if entry is None:
            return None
        if not all(self.files.state(path) == state for path, state in entry["deps"].items()):
            return None
        for key, digest in entry["signatures"].items():
            if signature(key) != digest:
                return None
        return entry

    def store_result(self, unit: str, entry: dict[str, Any]) -> None:
        # Kept as its JSON text after the digest of that text: reading one back hashes the
        # text instead of dumping the entry again, and a run that changes 30 of 1,000
        # entries writes the others as the strings they were.
        body = json.dumps(entry, separators=(",", ":"))
        self.db["results"][unit] = f"{content_hash(body.encode('utf-8', 'surrogatepass'))} {body}"
        self._dirty = True

    # -- digests of project-wide facts, by the contents they were computed from --------------
    def fact_digest(self, key: str, index: FactSource) -> str:
        """The digest of a project-wide fact (`ProjectIndex.fact_digest`), from the database
        when the modules it is computed from are unchanged."""
        files = self._files_digest(key, index)
        if files is None:  # cheap, or a module cannot be read: compute it, keep nothing
            return index.fact_digest(key)
        found = self.db["signatures"].get(f"{key}:{files}")
        if isinstance(found, str):
            return found
        digest = index.fact_digest(key)
        self.remember_fact(key, digest, index, files)
        return digest

    def remember_fact(
        self, key: str, digest: str, index: FactSource, files: Optional[str] = None
    ) -> None:
        """Keep a digest computed elsewhere (a worker) from the same contents."""
        files = files or self._files_digest(key, index)
        if files is not None and self.db["signatures"].get(f"{key}:{files}") != digest:
            self.db["signatures"][f"{key}:{files}"] = digest
            self._dirty = True

    def _files_digest(self, key: str, index: FactSource) -> Optional[str]:
        memo = (key, index.generation)  # more modules indexed: other files
        if memo not in self._fact_files:
            modules = index.fact_files(key)
            parts = []
            for name, path in modules or ():
                state = self.files.state(path)
                if not is_content_hash(state):  # it cannot be read
                    self._fact_files[memo] = None
                    break
                parts.append(f"{name}={state}")
            else:
                self._fact_files[memo] = (
                    None if modules is None else content_hash("\n".join(parts).encode())
                )
        return self._fact_files[memo]

    # -- the comments of a file's content (suppressions) ---------------------------------------
    def comments(self, digest: str) -> Optional[list[tuple[int, int, str]]]:
        stored = self.db["comments"].get(digest)
        if stored == _NO_COMMENTS:  # most files: no directive comment
            return []
        if not isinstance(stored, dict) or stored.get("check") != _check(stored.get("rows")):
            return None
        try:
            comments = [(r, c, t) for r, c, t in stored["rows"]]
        except (TypeError, ValueError):
            return None
        if all(type(r) is int and type(c) is int and isinstance(t, str) for r, c, t in comments):
            return comments
        return None

    def store_comments(self, digest: str, comments: list[tuple[int, int, str]]) -> None:
        rows = [list(c) for c in comments]
        self.db["comments"][digest] = {"rows": rows, "check": _check(rows)}
        self._dirty = True

    def save(self) -> None:
        """Write what changed, dropping results of files that no longer exist. A location
        that cannot be written is said in `notes`, never an error."""
        if not self._dirty or not self.usable:
            return
        results = self.db["results"]
        for unit in [u for u in results if not os.path.exists(u.partition(":")[2])]:
            del results[unit]
        try:
            created = not os.path.lexists(self.top)
            self.top.mkdir(parents=True, exist_ok=True)
            tag = self.top / "CACHEDIR.TAG"
            # The tag and a `.gitignore` of `*` only in a folder initlint made: a --cache-dir
            # that is a project folder must not hide its files from git or from backups.
            if created or _is_our_tag(tag):
                if not tag.exists():
                    _write_atomic(tag, CACHEDIR_TAG.encode())
                ignore = self.top / ".gitignore"
                if not ignore.exists():
                    _write_atomic(ignore, b"# Created by initlint\n*\n")
            _write_atomic(self.file, json.dumps(self.db, separators=(",", ":")).encode("utf-8"))
        except OSError as exc:
            self.notes.append(f"cache: not written to {self.top}: {exc.strerror or exc}")
        except (ValueError, RecursionError):  # what a damaged database left in it
            self.notes.append(f"cache: not written to {self.top}: its content cannot be saved")
        self._dirty = False


def _is_our_tag(tag: Path) -> bool:
    data, _ = read_regular(tag, 4096)
    return data is not None and data.decode("utf-8", "replace") == CACHEDIR_TAG


def _check(value: Any) -> str:
    """The digest stored beside a value: a value damaged into another one of the right shape
    (a row number changed, a code replaced) is caught too."""
    try:  # JSON keeps the order of keys: what was stored is dumped back the same
        text = json.dumps(value, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        return ""
    return content_hash(text.encode("utf-8", "surrogatepass"))


_NO_COMMENTS = {"rows": [], "check": _check([])}


def _entry(stored: Any) -> Optional[dict[str, Any]]:
    """A stored result if it is what `Cache.store_result` wrote (its text after the digest
    of that text, a table of the right shape), else None. The diagnostics are checked again
    when they are read back."""
    if not isinstance(stored, str):
        return None
    check, _, body = stored.partition(" ")
    if check != content_hash(body.encode("utf-8", "surrogatepass")):
        return None
    try:
        entry = json.loads(body)
    except (ValueError, RecursionError, MemoryError):
        return None
    return entry if valid_entry(entry) else None


def valid_entry(entry: Any) -> bool:
    """Whether a result has the shape `UnitResult.to_entry` gives it."""
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("diagnostics"), list)
        and all(isinstance(d, dict) for d in entry["diagnostics"])
        and _strings(entry.get("reached"))
        and _strings(entry.get("notes"))
        and _table(entry.get("deps"), str)
        and _table(entry.get("signatures"), str)
        and _table(entry.get("comment_files"), (str, type(None)))
        and isinstance(entry.get("unresolved"), list)
        and all(_unresolved(u) for u in entry["unresolved"])
    )


def _unresolved(value: Any) -> bool:
    """The shape of a stored `UnresolvedBase`."""
    return (
        isinstance(value, dict)
        and set(value) == {"file", "row", "column", "written", "reason", "package"}
        and all(isinstance(value[k], str) for k in ("file", "written", "reason"))
        and all(type(value[k]) is int for k in ("row", "column"))
        and isinstance(value["package"], (str, type(None)))
    )


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _table(value: Any, kind: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, kind) for k, v in value.items()
    )


def _write_atomic(path: Path, data: bytes) -> None:
    """Written to a temporary file renamed into place: a run interrupted (Ctrl-C, a kill)
    leaves the old file or the new one, never a part, and no temporary file when it can."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
