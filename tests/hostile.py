"""Helpers for the hostile-input tests: a time bound on a case (the point of those tests is
"never hangs"), and a snapshot of a tree to show that nothing in it was modified."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path


class Hang(Exception):
    """A case ran past its time bound."""


@contextlib.contextmanager
def within(seconds: int) -> Iterator[None]:
    """Fail with Hang if the block runs longer than `seconds`: a generous bound, for tests
    whose point is that nothing blocks (a FIFO opened for reading waits for a writer forever;
    SIGALRM interrupts that system call)."""
    def expire(signum: int, frame: object) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def snapshot(root: Path) -> dict[str, tuple[str, int, int]]:
    """Every entry under `root` (links not followed, special files not opened): its kind,
    size and modification time in nanoseconds, and a regular file's bytes' hash."""
    import hashlib

    found: dict[str, tuple[str, int, int]] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            kind = "file" if os.path.isfile(path) and not os.path.islink(path) else \
                "link" if os.path.islink(path) else "dir" if os.path.isdir(path) else "special"
            if kind == "file":
                with open(path, "rb") as handle:
                    kind += ":" + hashlib.blake2b(handle.read(), digest_size=8).hexdigest()
            found[os.path.relpath(path, root)] = (kind, info.st_size, info.st_mtime_ns)
    return found
