"""Python config files: decode, pre-substitute `{{_base_.x}}`, parse; find the init_cfg sites
of a loaded config."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Optional

from ..values import ClassRef, DictValue, Node, Scalar, SeqValue, Span

# MMEngine's textual pre-pass for `{{_base_.x}}` (config.py, `_substitute_base_vars`).
BASE_REF = re.compile(r"\{\{\s*_base_\.([\w\.]+)\s*\}\}")


@dataclass(frozen=True)
class SourceProblem:
    """A file initlint cannot read as a config (IL901)."""

    message: str
    span: Span


@dataclass(frozen=True)
class InitCfgSite:
    """One init_cfg value in a config, and the `type` of the dict that receives it."""

    config_path: str
    value: Node
    owner_type: Optional[Node]
    owner: Optional[DictValue] = None  # the dict holding the `init_cfg` key


def decode(path: str, data: bytes) -> tuple[Optional[str], Optional[SourceProblem]]:
    """The file's text, or why it is not a UTF-8 text file (MMEngine reads configs as UTF-8)."""
    if b"\x00" in data[:8192]:
        return None, SourceProblem("not a text file (it holds NUL bytes)", Span(path, 1, 1, 1, 1))
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        row = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, SourceProblem(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); MMEngine reads configs as UTF-8",
            Span(path, row, column, row, column + 1))


def substitute_base_refs(text: str) -> tuple[str, frozenset[tuple[int, int]]]:
    """Rewrite `{{_base_.x}}` as the same-length literal `"{_base_.x}"`, as the runtime
    rewrites it to a quoted placeholder, and remember where each one starts."""
    if "{{" not in text:
        return text, frozenset()
    starts = []
    pieces = []
    last = 0
    for match in BASE_REF.finditer(text):
        starts.append(match.start())
        pieces += [text[last:match.start()], '"' + match.group(0)[1:-1] + '"']
        last = match.end()
    pieces.append(text[last:])
    new_text = "".join(pieces)
    positions = set()
    for start in starts:
        row = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        positions.add((row, column))
    return new_text, frozenset(positions)


def parse_python(path: str, text: str) -> tuple[Optional[ast.Module], Optional[SourceProblem]]:
    try:
        return ast.parse(text, filename=path), None
    except SyntaxError as error:
        row, column = error.lineno or 1, max(error.offset or 1, 1)
        return None, SourceProblem(f"cannot parse: {error.msg}",
                                   Span(path, row, column, row, column + 1))
    except (ValueError, RecursionError, MemoryError) as exc:
        return None, SourceProblem(f"cannot parse: {type(exc).__name__}", Span(path, 1, 1, 1, 1))


def init_cfg_sites(keys: DictValue) -> list[InitCfgSite]:
    """Every init_cfg value reachable from the config's top-level keys, by every path that
    reaches it, those under `model` first (that is what the runtime builds)."""
    found: list[InitCfgSite] = []
    names = sorted(((k, e.value) for k, e in keys.entries.items() if isinstance(k, str)),
                   key=lambda item: item[0] != "model")
    for name, value in names:
        if name.startswith("__") or name == "_base_":
            continue
        if name == "init_cfg":
            found.append(InitCfgSite(name, value, None))
        found += _sites_in(value, name)
    return found


def _sites_in(node: Node, path: str) -> Iterator[InitCfgSite]:
    if isinstance(node, DictValue):
        for key, entry in node.entries.items():
            sub = f"{path}.{key}" if isinstance(key, str) else f"{path}[{key!r}]"
            if key == "init_cfg":
                yield InitCfgSite(sub, entry.value, node.get("type"), node)
            yield from _sites_in(entry.value, sub)
    elif isinstance(node, SeqValue):
        for i, item in enumerate(node.items):
            yield from _sites_in(item, f"{path}[{i}]")


def type_scope(node: Optional[Node]) -> Optional[str]:
    """The registry scope a `type` names ('mmdet.RetinaNet' -> 'mmdet'), if any."""
    if isinstance(node, Scalar) and isinstance(node.value, str) and "." in node.value:
        return node.value.split(".", 1)[0]
    if isinstance(node, ClassRef):
        return node.module.split(".")[0] or None
    return None


def type_name(node: Optional[Node]) -> Optional[str]:
    """The registry name a `type` value names ('mmdet.RetinaNet' -> 'RetinaNet')."""
    if isinstance(node, Scalar) and isinstance(node.value, str):
        return node.value.rsplit(".", 1)[-1]
    if isinstance(node, ClassRef):
        return node.name
    return None
