"""Reading the files initlint lints, with one contract for every kind (config, base, model
source, JSON, YAML): the bytes, the text or the syntax tree, or the IL901 finding that says
why not, at the place that is wrong. A caller reports the finding and goes on."""

from __future__ import annotations

import ast
import contextlib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Union

from .checks.files import UnreadableFile
from .findings import Finding
from .values import Span


def _start(name: str) -> Span:
    return Span(name, 1, 1, 1, 1)


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


def file_bytes(path: Union[str, Path]) -> bytes:
    """A file's bytes (OSError when it cannot be read), as the overlay has them if it does."""
    if _OVERLAY:
        data = _OVERLAY.get(os.path.realpath(path))
        if data is not None:
            return data
    with open(path, "rb") as handle:
        return handle.read()


def read_bytes(path: Path, name: str) -> Union[bytes, Finding]:
    try:
        return file_bytes(path)
    except OSError as exc:
        return UnreadableFile.at(_start(name), f"cannot read: {exc.strerror or exc}")


def decode(name: str, data: bytes) -> Union[str, Finding]:
    """The file's text, or why it is not a UTF-8 text file (MMEngine reads configs as UTF-8)."""
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
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); MMEngine reads configs as UTF-8")


def parse_python(name: str, text: str) -> Union[ast.Module, Finding]:
    try:
        return ast.parse(text, filename=name)
    except SyntaxError as error:
        row, column = error.lineno or 1, max(error.offset or 1, 1)
        return UnreadableFile.at(Span(name, row, column, row, column + 1),
                                 f"cannot parse: {error.msg}")
    except (RecursionError, MemoryError) as exc:  # Python's parser gives up: so would exec
        return UnreadableFile.at(_start(name), "cannot parse: nested too deeply for Python's "
                                 f"parser ({type(exc).__name__})")
    except ValueError as exc:
        return UnreadableFile.at(_start(name), f"cannot parse: {type(exc).__name__}")


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
