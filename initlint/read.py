"""Reading the files initlint lints, with one contract for every kind (config, base, model
source, JSON, YAML, settings): the bytes, the text or the syntax tree, or the finding that says
why not (IL901: cannot be read, decoded or parsed; IL904: beyond the size bound), at the place
that is wrong. A caller reports the finding and goes on.

Only regular files are opened, and never more than `MAX_FILE_BYTES` of one: a FIFO, a device
or a socket is refused from its `stat` (opening a FIFO blocks until a writer comes;
`/dev/zero` never ends), and the file is opened non-blocking in case it was swapped for one.
`Files` reads each file once per run and keeps its bytes and their hash, so that the hash a
cached result is stored with is the hash of the bytes that were linted.
"""

from __future__ import annotations

import ast
import contextlib
import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Optional, Union

from .checks.files import TooLargeToAnalyse, UnreadableFile
from .findings import Finding
from .limits import MAX_FILE_BYTES, MAX_PYTHON_TOKENS
from .values import Span

# What `Files.state` says of a path that is not a readable regular file (a content hash
# otherwise). Creating, deleting or replacing the file changes its state.
MISSING = "missing"
FOLDER = "folder"
SPECIAL = "special"  # a FIFO, device or socket: never read
TOO_LARGE = "too-large"
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def _start(name: str) -> Span:
    return Span(name, 1, 1, 1, 1)


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def kind_of(mode: int) -> Optional[str]:
    """What a file that is not a regular file is ("a FIFO"); None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def _why(exc: Union[OSError, ValueError]) -> str:
    if isinstance(exc, ValueError):  # os.stat("a\0b")
        return "the name holds a NUL character"
    return exc.strerror or str(exc)


# Contents that stand in for files on disk in this process (and the worker processes it
# forks): the fix loop lints the texts its fixes made before anything is written.
_OVERLAY: dict[str, bytes] = {}


@contextlib.contextmanager
def overlay(contents: Mapping[Path, bytes]) -> Iterator[None]:
    """Read these files as these bytes inside the block."""
    saved = dict(_OVERLAY)
    _OVERLAY.update({os.path.realpath(path): data for path, data in contents.items()})
    try:
        yield
    finally:
        _OVERLAY.clear()
        _OVERLAY.update(saved)


def overlaid() -> bool:
    return bool(_OVERLAY)


def read_regular(
    path: Union[str, Path], limit: int = MAX_FILE_BYTES
) -> tuple[Optional[bytes], str]:
    """The bytes of a regular file of at most `limit` bytes, or None with why not: the reason
    (an OS error's text, "a FIFO", ...) and, for a file beyond `limit`, "too large: N". Inside
    `overlay`, the overlaid bytes."""
    if _OVERLAY:
        data = _OVERLAY.get(os.path.realpath(path))
        if data is not None:
            return data, ""
    try:
        info = os.stat(path)
        kind = kind_of(info.st_mode)
        if kind is not None:
            return None, kind
        if info.st_size > limit:
            return None, f"too large: {info.st_size}"
        fd = os.open(path, _OPEN_FLAGS)
    except (OSError, ValueError) as exc:
        return None, _why(exc)
    try:
        info = os.fstat(fd)
        kind = kind_of(info.st_mode)  # swapped for a FIFO since the stat
        if kind is not None:
            return None, kind
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew since the stat
            return None, f"too large: {size}"
        return b"".join(chunks), ""
    except OSError as exc:
        return None, _why(exc)
    finally:
        os.close(fd)


def read_head(path: Union[str, Path], size: int) -> Optional[bytes]:
    """The first `size` bytes of a regular file (None for anything else, or an error): never
    blocks on a FIFO or a device, whatever its name."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except (OSError, ValueError):
        return None
    try:
        if kind_of(os.fstat(fd).st_mode) is not None:
            return None
        return os.read(fd, size)
    except OSError:
        return None
    finally:
        os.close(fd)


def _finding(name: str, why: str, limit: int = MAX_FILE_BYTES) -> Finding:
    if why.startswith("too large: "):
        size = int(why.split(": ", 1)[1])
        return TooLargeToAnalyse.at(
            _start(name),
            (  # as config/data.py says it of a text
                f"the file is {size / 2**20:.1f} MB, beyond the {limit // 2**20} MB initlint "
                "reads; it is not analysed"
            ),
        )
    if why.startswith("a ") or why == "not a regular file":
        return UnreadableFile.at(_start(name), f"not a regular file ({why}); not read")
    return UnreadableFile.at(_start(name), f"cannot read: {why}")


def resolved(path: Path) -> Path:
    """`path.resolve()`, or the absolute path when it cannot be resolved (a symlink loop, a
    name too long or holding a NUL): reading it then says why."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return Path(os.path.abspath(path))


def is_content_hash(state: str) -> bool:
    """Whether a `Files.state` is the hash of a file's content (else MISSING, FOLDER, ...)."""
    return len(state) == 32 and all(c in "0123456789abcdef" for c in state)


def read_bytes(path: Path, name: str) -> Union[bytes, Finding]:
    data, why = read_regular(path)
    return data if data is not None else _finding(name, why)


def decode(name: str, data: bytes) -> Union[str, Finding]:
    """The file's text, or why it is not a UTF-8 text file (MMEngine reads configs as UTF-8)."""
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff") or data[:2] in (
        b"\xff\xfe",
        b"\xfe\xff",
    ):
        return UnreadableFile.at(
            _start(name),
            "encoded as UTF-16 or UTF-32 (it starts with a "
            "byte order mark); MMEngine reads configs as UTF-8",
        )
    if b"\x00" in data[:8192]:
        return UnreadableFile.at(_start(name), "not a text file (it holds NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        row = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return UnreadableFile.at(
            Span(name, row, column, row, column + 1),
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); MMEngine reads configs as UTF-8",
        )


def parse_python(name: str, text: str) -> Union[ast.Module, Finding]:
    tokens = _tokens(text)
    if tokens > MAX_PYTHON_TOKENS:
        return TooLargeToAnalyse.at(
            _start(name),
            (
                f"the file holds about {tokens:,} tokens, beyond the {MAX_PYTHON_TOKENS:,} "
                "initlint parses; it is not analysed"
            ),
        )
    try:
        return ast.parse(text, filename=name)
    except SyntaxError as error:
        row, column = error.lineno or 1, max(error.offset or 1, 1)
        return UnreadableFile.at(
            Span(name, row, column, row, column + 1), f"cannot parse: {error.msg}"
        )
    except (RecursionError, MemoryError) as exc:  # Python's parser gives up: so would exec
        return UnreadableFile.at(
            _start(name),
            f"cannot parse: nested too deeply for Python's parser ({type(exc).__name__})",
        )
    except ValueError as exc:
        return UnreadableFile.at(_start(name), f"cannot parse: {type(exc).__name__}")


# Roughly what Python's tokenizer makes of a text: names and numbers, and each other mark.
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _tokens(text: str) -> int:
    """About how many tokens `text` holds (strings' words counted too: more, never fewer);
    a text shorter than the bound cannot hold more, and is not counted."""
    if len(text) <= MAX_PYTHON_TOKENS:
        return 0
    return sum(1 for _ in _TOKEN.finditer(text))


def read_text(path: Path, name: str) -> Union[str, Finding]:
    data = read_bytes(path, name)
    return data if isinstance(data, Finding) else decode(name, data)


def read_python(path: Path, name: str) -> Union[tuple[ast.Module, str], Finding]:
    """A Python file's syntax tree and text."""
    text = read_text(path, name)
    if isinstance(text, Finding):
        return text
    tree = parse_python(name, text)
    return tree if isinstance(tree, Finding) else (tree, text)


class Files:
    """The files of one run, each read once: its bytes (or why it cannot be read) and its
    state, the content hash a cached result is checked against (or MISSING, FOLDER, ...).
    A lint and the cache share one, so what was linted is what was hashed; a forked worker
    inherits what its parent read."""

    def __init__(self) -> None:
        self._read: dict[str, tuple[Optional[bytes], str]] = {}
        self._states: dict[str, str] = {}

    def _get(self, path: Union[str, Path]) -> tuple[Optional[bytes], str]:
        key = os.fspath(path)
        found = self._read.get(key)
        if found is None:
            found = self._read[key] = read_regular(key)
            data, why = found
            self._states[key] = content_hash(data) if data is not None else _state(key, why)
        return found

    def prime(self, path: Union[str, Path], data: bytes) -> None:
        """Take `data` as the file's bytes (read elsewhere: an editor's buffer)."""
        key = os.fspath(path)
        self._read[key] = (data, "")
        self._states[key] = content_hash(data)

    def forget(self, path: Union[str, Path]) -> None:
        """Read the file again when next asked (it changed: a language server lives longer
        than a run)."""
        key = os.fspath(path)
        self._read.pop(key, None)
        self._states.pop(key, None)

    def state(self, path: Union[str, Path]) -> str:
        """The file's content hash, or MISSING, FOLDER, SPECIAL, TOO_LARGE or "error:<errno>"
        (as first seen this run): what a cached result that read or looked for it depends on."""
        self._get(path)
        return self._states[os.fspath(path)]

    def exists(self, path: Union[str, Path]) -> bool:
        """Whether anything is there (a file, a folder, a FIFO): looking is recorded in the
        state, so that creating it later makes a result that looked for it stale."""
        return self.state(path) != MISSING

    def bytes(self, path: Path, name: str) -> Union[bytes, Finding]:
        data, why = self._get(path)
        return data if data is not None else _finding(name, why)

    def text(self, path: Path, name: str) -> Union[str, Finding]:
        data = self.bytes(path, name)
        return data if isinstance(data, Finding) else decode(name, data)

    def python(self, path: Path, name: str) -> Union[tuple[ast.Module, str], Finding]:
        text = self.text(path, name)
        if isinstance(text, Finding):
            return text
        tree = parse_python(name, text)
        return tree if isinstance(tree, Finding) else (tree, text)

    def source_text(self, name: str) -> Optional[str]:
        """The UTF-8 text of a file (for its comments), None when it cannot be had."""
        text = self.text(Path(name), name)
        return None if isinstance(text, Finding) else text


def _state(path: str, why: str) -> str:
    if why.startswith("too large"):
        return TOO_LARGE
    if why == "a folder":
        return FOLDER
    if why.startswith("a ") or why == "not a regular file":
        return SPECIAL
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return MISSING
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            return MISSING  # no file can have that name
        return f"error:{errno.errorcode.get(exc.errno or 0, exc.errno)}"
    except ValueError:
        return MISSING  # a NUL in the name: likewise
    return f"error:{why}"  # it exists but could not be opened or read
