"""Helpers for the hostile-input tests: a time bound on a case (the point of those tests is
"never hangs"), a snapshot of a tree to show that nothing in it was modified, and hostile
inputs as hypothesis strategies (tests/test_fuzz.py runs a few in CI, scripts/fuzz_hostile.py
many)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st


class Hang(BaseException):
    """A case ran past its time bound (not an Exception: initlint's per-file isolation must
    not turn it into an IL905)."""


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
            kind = (
                "file"
                if os.path.isfile(path) and not os.path.islink(path)
                else "link"
                if os.path.islink(path)
                else "dir"
                if os.path.isdir(path)
                else "special"
            )
            if kind == "file":
                with open(path, "rb") as handle:
                    kind += ":" + hashlib.blake2b(handle.read(), digest_size=8).hexdigest()
            found[os.path.relpath(path, root)] = (kind, info.st_size, info.st_mtime_ns)
    return found


# -- hostile inputs, as hypothesis strategies (tests/test_fuzz.py, scripts/fuzz_hostile.py) ------

# One mistake (IL004 at 5:54) that every run must still report, whatever else is in the tree.
CONTROL = """model = dict(
    type='RetinaNet',
    bbox_head=dict(
        type='RetinaHead',
        init_cfg=dict(type='Normal', layer='Conv2d', stddev=0.01)))
"""
GOOD = CONTROL.replace("stddev", "std")


@dataclass
class Case:
    """A tree to lint: files by relative path, FIFOs, symbolic links; `kind` is the class of
    input it tries (what the script counts by)."""

    kind: str
    files: dict[str, bytes] = field(default_factory=dict)
    fifos: tuple[str, ...] = ()
    links: dict[str, str] = field(default_factory=dict)

    def write(self, root: Path) -> None:
        for name, data in {"control.py": CONTROL.encode(), **self.files}.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for name in self.fifos:
            os.mkfifo(root / name)
        for name, target in self.links.items():
            os.symlink(target, root / name)


SEEDS = [
    CONTROL,
    GOOD,
    "_base_ = './base.py'\n" + GOOD,
    "model = dict(type='X', init_cfg=[dict(type='Kaiming', layer='Conv2d'),\n"
    "                              dict(type='Constant', layer='Conv2d', val=1)])\n",
]
seeds = st.sampled_from(SEEDS)
SPECIALS = [
    "'/dev/zero'",
    "'./fifo.py'",
    "'./missing.py'",
    "'./case.py'",
    "'./loop.py'",
    "'" + "../" * 40 + "x.py'",
    "'" + "a" * 5000 + ".py'",
    "'x\\0y.py'",
    "'mmdet::nowhere/x.py'",
    "'./folder.py'",
    "[1, None]",
    "'{{_base_.x}}'",
]
EXPRESSIONS = [
    "10 ** 100",
    "2 ** 2 ** 2 ** 2 ** 2",
    "[0] * 10 ** 9",
    "'ab' * 10 ** 9",
    "-(10 ** 4000)",
    "1e308 * 10",
    "float('nan')",
    "{**{}}",
    "(lambda: 1)()",
    "__import__('os').system('touch PWNED')",
    "open('/etc/passwd').read()",
    "[i for i in range(10 ** 9)]",
    "dict(a=1) | {'b': 2}",
    "b'\\xff' * 3",
    "'\\ud800'",
    "1 if x else 2",
    "{1: 2}[3]",
    "x.y.z",
    "str(2 ** 20000)",
]
INSERTS = [
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "'",
    '"',
    '"""',
    "\\",
    ":",
    "\n",
    "\x00",
    "\t",
    "#",
    "\ufeff",
    "\udcff",
    "=",
    ",",
    "lambda",
    "**",
    "\r",
]


def _insert(text: str, at: int, what: str) -> bytes:
    at %= len(text) + 1
    return (text[:at] + what + text[at:]).encode("utf-8", "surrogateescape")


python_cases = st.one_of(
    # syntax errors and odd characters at random points
    st.builds(
        lambda t, at, w: Case("python-syntax", {"case.py": _insert(t, at, w)}),
        seeds,
        st.integers(0, 10_000),
        st.sampled_from(INSERTS),
    ),
    st.builds(
        lambda t, at: Case("python-truncated", {"case.py": t[: at % (len(t) + 1)].encode()}),
        seeds,
        st.integers(0, 10_000),
    ),
    # values the evaluator must not compute, code it must not run
    st.builds(
        lambda e: Case(
            "python-values",
            {
                "case.py": f"x = {e}\nmodel = dict(init_cfg=dict(type='Normal', layer='Conv2d', "
                f"std=x))\n".encode()
            },
        ),
        st.sampled_from(EXPRESSIONS),
    ),
    # wide lists and dicts (kept small here; the script goes further)
    st.builds(
        lambda n, layer: Case(
            "python-wide",
            {
                "case.py": (
                    "model = dict(type='X', init_cfg=["
                    + ", ".join(f"dict(type='Normal', layer={layer!r}{i % 7})" for i in range(n))
                    + "])\n"
                ).encode()
            },
        ),
        st.integers(0, 1500),
        st.sampled_from(["Conv", "Linear", "L"]),
    ),
    # `_base_` references to what cannot be read or does not exist
    st.builds(
        lambda refs: Case(
            "python-bases",
            {
                "case.py": f"_base_ = [{', '.join(refs)}]\n{GOOD}".encode(),
                "folder.py/inner.py": GOOD.encode(),
            },
            fifos=("fifo.py",),
            links={"loop.py": "loop.py"},
        ),
        st.lists(st.sampled_from(SPECIALS), min_size=1, max_size=4),
    ),
    # other encodings
    st.builds(
        lambda t, codec: Case("python-encoding", {"case.py": t.encode(codec)}),
        seeds,
        st.sampled_from(
            ["utf-16", "utf-32", "utf-16-be", "latin-1", "utf-8-sig", "cp1252", "utf-7"]
        ),
    ),
)

json_values: st.SearchStrategy[object] = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**30), 10**30),
        st.floats(allow_nan=True),
        st.text(max_size=20),
        st.sampled_from(["Normal", "Conv2d", "{{_base_.x}}", "init_cfg", "_delete_"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(
            st.sampled_from(
                ["type", "layer", "init_cfg", "override", "name", "_base_", "_delete_", "std", "x"]
            ),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=30,
)
JSON_TOKENS = [
    '{"model": {"init_cfg": ',
    "NaN",
    "Infinity",
    "-Infinity",
    '"\\ud800"',
    '"\\u0000"',
    "1e999",
    '{"a": 1, "a": 2}',
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    '"',
]

json_cases = st.one_of(
    st.builds(
        lambda v: Case(
            "json-values",
            {"case.json": json.dumps({"model": {"type": "X", "init_cfg": v}}).encode()},
        ),
        json_values,
    ),
    st.builds(
        lambda v, at, w: Case(
            "json-syntax", {"case.json": _insert(json.dumps({"model": {"init_cfg": v}}), at, w)}
        ),
        json_values,
        st.integers(0, 10_000),
        st.sampled_from(JSON_TOKENS + INSERTS),
    ),
    st.builds(
        lambda tokens: Case("json-tokens", {"case.json": "".join(tokens).encode()}),
        st.lists(st.sampled_from(JSON_TOKENS), max_size=30),
    ),
)


def _bomb(levels: int, width: int) -> str:
    rows = [f"a0: &a0 [{', '.join(['0'] * width)}]"]
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * width)
        rows.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(rows) + "\nmodel: {type: X, init_cfg: {type: Normal, layer: Conv2d}}\n"


YAML_SNIPPETS = [
    "!!python/object/apply:os.system ['touch PWNED']",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!custom 1",
    "&x {type: Normal}",
    "*undefined",
    "<<: *x",
    "{type: Normal, <<: {layer: Conv2d}}",
    "? [complex, key]\n: 1",
    "\t- tab",
    "---\nsecond: doc",
    "%YAML 1.1\n---",
    "'{{_base_.x}}'",
    "2001-12-14",
    "0x1F",
    "1_000",
    ".nan",
    "~",
    "'\\ud800'",
    '"\\ud800"',
    "!!int 99999999999999",
    "[" * 50 + "]" * 50,
]

yaml_cases = st.one_of(
    st.builds(
        lambda levels, width: Case("yaml-aliases", {"case.yaml": _bomb(levels, width).encode()}),
        st.integers(1, 4),
        st.integers(1, 8),
    ),
    st.builds(
        lambda snippets: Case(
            "yaml-snippets",
            {
                "case.yaml": (
                    "model:\n  type: X\n  init_cfg: " + "\n  x: ".join(snippets) + "\n"
                ).encode()
            },
        ),
        st.lists(st.sampled_from(YAML_SNIPPETS), min_size=1, max_size=4),
    ),
    st.builds(
        lambda v, at, w: Case(
            "yaml-syntax",
            {
                "case.yaml": _insert(
                    "model:\n  init_cfg:\n    type: Normal\n    layer: [Conv2d, Linear]\n", at, w
                )
            },
        ),
        json_values,
        st.integers(0, 10_000),
        st.sampled_from(INSERTS + [": ", "- ", "&a", "*a"]),
    ),
)

bytes_cases = st.builds(
    lambda name, data: Case("random-bytes", {name: data}),
    st.sampled_from(["case.py", "case.json", "case.yaml", "_base_/b.py"]),
    st.binary(max_size=2000),
)

# Deep, recursive and huge: the bounds of config/data.py and config/evaluator.py (IL904).
deep_cases = st.one_of(
    st.builds(
        lambda d: Case(
            "json-deep",
            {"case.json": ('{"model": {"init_cfg": ' + "[" * d + "]" * d + "}}").encode()},
        ),
        st.integers(300, 3000),
    ),
    st.builds(
        lambda d: Case(
            "yaml-deep", {"case.yaml": ("model:\n  init_cfg: " + "[" * d + "]" * d + "\n").encode()}
        ),
        st.integers(300, 3000),
    ),
    st.just(Case("yaml-recursive", {"case.yaml": b"a: &a [*a]\nmodel: {init_cfg: *a}\n"})),
    st.builds(
        lambda n: Case(
            "json-big-int",
            {
                "case.json": (
                    '{"model": {"init_cfg": {"type": "Normal", "std": ' + "9" * n + "}}}"
                ).encode()
            },
        ),
        st.integers(4301, 20_000),
    ),
    st.builds(
        lambda n: Case(
            "python-deep",
            {
                "case.py": (
                    "x = " + " + ".join(["1"] * n) + "\nmodel = dict(init_cfg=dict(type='Normal', "
                    "layer='Conv2d', std=x))\n"
                ).encode()
            },
        ),
        st.integers(500, 5000),
    ),
)

hostile_cases = st.one_of(python_cases, json_cases, yaml_cases, bytes_cases, deep_cases)


def damaged(database: bytes) -> st.SearchStrategy[tuple[str, bytes]]:
    """Ways to damage a valid cache database: random bytes, another JSON value, a part of
    it replaced (by kind, for the script's counts)."""

    def replaced(value: object, where: int) -> bytes:
        data = json.loads(database)
        paths: list[tuple[object, object]] = []

        def walk(node: object) -> None:
            if isinstance(node, dict):
                paths.extend((node, key) for key in node)
                for child in node.values():
                    walk(child)
            elif isinstance(node, list):
                paths.extend((node, i) for i in range(len(node)))
                for child in node:
                    walk(child)

        walk(data)
        if paths:
            container, key = paths[where % len(paths)]
            container[key] = value  # type: ignore[index]
        return json.dumps(data).encode()

    return st.one_of(
        st.builds(lambda b: ("cache-bytes", b), st.binary(max_size=500)),
        st.builds(lambda v: ("cache-json", json.dumps(v).encode()), json_values),
        st.builds(lambda v, w: ("cache-part", replaced(v, w)), json_values, st.integers(0, 10**6)),
        st.builds(
            lambda at: ("cache-truncated", database[: at % (len(database) + 1)]),
            st.integers(0, 10**6),
        ),
    )
