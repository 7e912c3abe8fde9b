"""Python config files: read, parse with libcst, evaluate the module, find the init_cfg sites."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Optional

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ..values import ClassRef, DictValue, Node, Scalar, SeqValue, Span
from .evaluator import BaseLookup, Evaluator, Namespace

# MMEngine's textual pre-pass for `{{_base_.x}}` (config.py, `_substitute_base_vars`).
BASE_REF = re.compile(r"\{\{\s*_base_\.([\w\.]+)\s*\}\}")


@dataclass(frozen=True)
class SourceProblem:
    """A file initlint cannot read as a config (IL901)."""

    message: str
    span: Span


@dataclass
class ConfigFile:
    path: str
    namespace: Namespace = field(default_factory=Namespace)
    problem: Optional[SourceProblem] = None

    @property
    def base(self) -> Optional[Node]:
        return self.namespace.get("_base_")


@dataclass(frozen=True)
class InitCfgSite:
    """One init_cfg value in a config, and the `type` of the dict that receives it."""

    config_path: str
    value: Node
    owner_type: Optional[Node]


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


def parse_python(path: str, text: str) -> tuple[Optional[cst.Module], Optional[SourceProblem]]:
    try:
        return cst.parse_module(text), None
    except cst.ParserSyntaxError as exc:
        # CPython's message and position are what users know ("'(' was never closed").
        try:
            compile(text, path, "exec", dont_inherit=True, flags=0x400)  # PyCF_ONLY_AST
        except SyntaxError as error:
            if error.lineno:
                row, column = error.lineno, max(error.offset or 1, 1)
                return None, SourceProblem(f"cannot parse: {error.msg}",
                                           Span(path, row, column, row, column + 1))
        except (ValueError, RecursionError, MemoryError):
            pass
        row, column = exc.editor_line, exc.editor_column
        message = str(exc.message).strip().splitlines()[0] if exc.message else "invalid syntax"
        return None, SourceProblem(f"cannot parse: {message}", Span(path, row, column, row,
                                                                    column + 1))
    except (RecursionError, ValueError, MemoryError) as exc:
        return None, SourceProblem(f"cannot parse: {type(exc).__name__}", Span(path, 1, 1, 1, 1))


def evaluate_python_config(path: str, text: str, base_lookup: Optional[BaseLookup] = None,
                           base_attr: Optional[Node] = None) -> ConfigFile:
    config = ConfigFile(path)
    source, base_refs = substitute_base_refs(text)
    module, problem = parse_python(path, source)
    if module is None:
        config.problem = problem
        return config
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    evaluator = Evaluator(path, positions, config.namespace, base_refs, base_lookup, base_attr)
    evaluator.run_module(module)
    return config


def init_cfg_sites(namespace: Namespace) -> list[InitCfgSite]:
    """Every init_cfg value reachable from the config's top-level names, each value once (under
    `model` when it is reachable from there: that is the one the runtime builds)."""
    found: dict[int, InitCfgSite] = {}
    names = sorted(namespace.items(), key=lambda item: item[0] != "model")
    for name, value in names:
        if name.startswith("__") or name == "_base_":
            continue
        if name == "init_cfg":
            found.setdefault(id(value), InitCfgSite(name, value, None))
        for site in _sites_in(value, name):
            found.setdefault(id(site.value), site)
    return list(found.values())


def _sites_in(node: Node, path: str) -> Iterator[InitCfgSite]:
    if isinstance(node, DictValue):
        for key, entry in node.entries.items():
            sub = f"{path}.{key}" if isinstance(key, str) else f"{path}[{key!r}]"
            if key == "init_cfg":
                yield InitCfgSite(sub, entry.value, node.get("type"))
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
