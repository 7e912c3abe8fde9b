"""Hover, completion and go-to-definition: what initlint knows of a config that no other tool
does. The merged value behind an `init_cfg` and the file and row that wrote each of its keys;
the initializers, their arguments, the layers, checkpoint schemes and attributes a value may
name; the class a `type` names and the assignment that creates an override's attribute.

Positions here are character offsets into the document's text (server.py converts them); the
cursor's place comes from cursor.py (the text may be half typed), the meaning from the
session's loader and index.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Optional

from ..catalog import documents, rules
from ..config.loader import LoadedConfig
from ..config.sites import InitCfgSite, init_cfg_sites, type_name, type_scope
from ..discover import absolute, display_path
from ..grammar.checkpoints import PLAIN_SCHEMES, hub_names
from ..grammar.layers import LayerKnowledge
from ..grammar.spec import Spec
from ..grammar.types import Initializers
from ..project.index import External, KnownClass, ProjectIndex, module_attributes
from ..project.locate import package_folder
from ..project.source import ClassFacts
from ..values import ClassRef, DictValue, Node, PyObject, Scalar, SeqValue, Span, Unknown
from .cursor import Cursor, Frame, Token, at, literal
from .positions import Text
from .session import Session, State

CompletionKind = Literal[
    "initializer", "argument", "layer", "scheme", "checkpoint", "attribute", "rule"
]
RULE_CODE = re.compile(r"IL\d{3}", re.I)
# A suppression comment up to the cursor, where a rule code is being written.
CODES_AT_END = re.compile(r"#\s*(?:initlint\s*:\s*(?:file-)?ignore\s*\[|noqa\s*:)[\w\s,-]*$", re.I)
LAZY_IMPORT = re.compile(r"^[ \t]*from[ \t]+(?P<module>\.*[\w.]*)[ \t]+import\b", re.M)


@dataclass(frozen=True)
class Completion:
    label: str
    kind: CompletionKind
    start: int  # the text it replaces (offsets)
    end: int
    insert: Optional[str] = None  # what it writes (default: the label)
    detail: str = ""
    documentation: str = ""
    sort: str = ""


@dataclass(frozen=True)
class Hover:
    markdown: str
    start: int  # what it is about (offsets)
    end: int


@dataclass(frozen=True)
class Target:
    path: Path
    row: int  # initlint's coordinates, in that file
    column: int
    end_row: int
    end_column: int


@dataclass
class _Document:
    """What the features need of one open document."""

    path: Path
    text: str
    state: State
    loaded: Optional[LoadedConfig]  # None for a model source or a file not linted
    fresh: bool  # `loaded` is of the text as it is (not the last text that parsed)

    @property
    def name(self) -> str:
        return display_path(self.path)

    @property
    def index(self) -> ProjectIndex:
        return self.state.index

    @property
    def initializers(self) -> Initializers:
        return self.state.engine.initializers()

    @property
    def scope(self) -> Optional[str]:
        return self.loaded.default_scope if self.loaded is not None else None


class Features:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _document(self, path: Path) -> Optional[_Document]:
        path = absolute(path)
        buffer = self.session.buffers.get(path)
        if buffer is None:
            return None
        state, loaded, fresh = self.session.current(path)
        return _Document(path, buffer.text, state, loaded, fresh)

    # -- completion ----------------------------------------------------------------------------
    def complete(self, path: Path, offset: int) -> list[Completion]:
        doc = self._document(path)
        if doc is None or path.suffix != ".py":
            return []
        cur = at(doc.text, offset)
        token = cur.token
        if token is not None and token.kind == "comment":
            return _rule_codes(doc.text, offset, token)
        frames = cur.frames
        if not frames:
            return []
        if cur.role == "key" and frames[-1].is_mapping:
            return self._arguments(doc, cur, len(frames) - 1)
        key, holder = cur.value_key()
        if (
            holder is None
            or not holder.is_mapping
            or key is None
            or (token is not None and token.kind != "string")
            or (token is None and cur.item_tokens and frames[-1] is holder)
        ):
            return []
        start, end = _replaced(cur)
        quote = not cur.in_string
        hi = frames.index(holder)
        entry, override = _is_entry(frames, hi), _is_override(frames, hi)
        if key == "type" and (entry or override):
            return [
                Completion(
                    name,
                    "initializer",
                    start,
                    end,
                    _quoted(name, quote),
                    detail="initializer",
                    documentation=_spec_doc(spec),
                    sort=f"{0 if name in doc.initializers.builtins else 1}{name}",
                )
                for name, spec in _initializer_specs(doc.initializers)
            ]
        if key == "layer" and (entry or override or _initializer_of(doc, cur, hi)):
            return self._layers(doc, start, end, quote)
        if key == "checkpoint" and (entry or override):
            return _checkpoints(cur.typed if cur.in_string else "", start, end, quote)
        if key == "name" and override:
            return self._attributes(doc, cur, hi, start, end, quote)
        return []

    def _arguments(self, doc: _Document, cur: Cursor, i: int) -> list[Completion]:
        frames = cur.frames
        frame = frames[i]
        entry, override = _is_entry(frames, i), _is_override(frames, i)
        name = frame.text_value("type")
        if name is None and (entry or override):
            merged = _merged_at(doc.loaded, _path_of(cur, i))
            written = merged.get("type") if isinstance(merged, DictValue) else None
            name = type_name(written)
        looked = doc.initializers.lookup(name) if name else None
        spec = looked.spec if looked is not None else None
        if not (entry or override or spec is not None):
            return []
        keys: list[tuple[str, str]] = []  # (key, detail)
        if override:
            keys += [("name", "the attribute to initialise"), ("type", "its initializer")]
        elif "type" not in frame.written:
            keys.append(("type", "the initializer"))
        if isinstance(spec, Spec):
            keys += [
                (a.key, "required" if a.required else f"default {a.default!r}")
                for a in spec.arguments
                if a.key not in spec.fixed_args
            ]
        if entry and not override and (spec is None or spec.registry_name != "Pretrained"):
            keys.append(("override", "initialise named attributes differently"))
        start, end = _replaced(cur)
        in_call = frame.kind == "call"
        token = cur.token
        # A keyword already followed by `=` (the cursor inside `std=0.01`): the name only.
        keyed = (
            token is not None
            and token.kind == "name"
            and doc.text[token.end : token.end + 80].lstrip(" \t").startswith("=")
        )
        if keyed and token is not None:
            end = token.end
        found = []
        under = token.text if token is not None and token.kind == "name" else None
        # The initializer's own arguments first, then the shared ones, `_scope_` last.
        shared = ["name", "type", "layer", "bias", "bias_prob", "override", "_scope_"]
        ordered = sorted(
            dict(keys).items(),
            key=lambda item: shared.index(item[0]) if item[0] in shared[2:] else -1,
        )
        for order, (key, detail) in enumerate(ordered):
            if key in frame.written and key != under:
                continue  # written already (the key under the cursor may be replaced)
            if in_call:
                insert = key if keyed else f"{key}="
            elif cur.in_string:
                insert = key
            else:
                insert = f"'{key}': "
            found.append(
                Completion(
                    key,
                    "argument",
                    start,
                    end,
                    insert,
                    detail=f"{name}: {detail}" if name else detail,
                    sort=f"{order:03d}",
                )
            )
        return found

    def _layers(self, doc: _Document, start: int, end: int, quote: bool) -> list[Completion]:
        torch = LayerKnowledge.torch().layers
        found = [
            Completion(
                name, "layer", start, end, _quoted(name, quote), detail="torch.nn", sort=f"0{name}"
            )
            for name, info in sorted(torch.items())
            if not name.startswith("_")
            and name != "Module"
            and (info.weight is not False or info.bias is not False or info.weight_optional)
        ]
        known = set(torch)
        found += [
            Completion(
                name,
                "layer",
                start,
                end,
                _quoted(name, quote),
                detail="project class",
                sort=f"1{name}",
            )
            for name in sorted(doc.index.class_names() - known)
            if not name.startswith("_")
        ]
        return found

    def _attributes(
        self, doc: _Document, cur: Cursor, i: int, start: int, end: int, quote: bool
    ) -> list[Completion]:
        cls = self._receiver(doc, cur, i)
        if cls is None:
            return []
        attributes, _ = doc.index.attributes(cls)
        hidden = module_attributes()
        return [
            Completion(
                name,
                "attribute",
                start,
                end,
                _quoted(name, quote),
                detail=f"attribute of {cls.name}",
            )
            for name in sorted(attributes - hidden)
            if not name.startswith("_")
        ]

    def _receiver(self, doc: _Document, cur: Cursor, override_at: int) -> Optional[KnownClass]:
        """The class whose init_cfg holds the override at `override_at`."""
        frames = cur.frames
        entry_at = override_at - 1 if frames[override_at].key == "override" else override_at - 2
        holder_at = _holder(frames, entry_at)
        if holder_at is None:
            return None
        holder = frames[holder_at]
        if holder.is_mapping:
            owner_type: Optional[Node] = None
            written = holder.text_value("type")
            if written is not None:
                owner_type = Scalar(None, written)
            else:
                merged = _merged_at(doc.loaded, _path_of(cur, holder_at))
                owner_type = merged.get("type") if isinstance(merged, DictValue) else None
            return _registered(doc, owner_type)
        return self._source_receiver(doc, holder, cur.offset)

    def _source_receiver(self, doc: _Document, holder: Frame, offset: int) -> Optional[KnownClass]:
        """In a model source: `Foo(init_cfg=...)` is for Foo; `__init__(self, init_cfg=...)`
        and `super().__init__(init_cfg=...)` for the class around it."""
        if holder.kind != "call" or self.session.kind(doc.path) != "source":
            return None
        module = doc.index.add_file(doc.path)
        facts = doc.index.module(module)
        if facts is None:
            return None
        if holder.callee.endswith("__init__"):
            enclosing = None
            for match in re.finditer(r"^class\s+(\w+)", doc.text[:offset], re.M):
                enclosing = match.group(1)
            return facts.classes.get(enclosing) if enclosing else None
        return doc.index.resolve_in(facts, holder.callee)

    # -- hover ---------------------------------------------------------------------------------
    def hover(self, path: Path, offset: int) -> Optional[Hover]:
        doc = self._document(path)
        if doc is None:
            return None
        cur = at(doc.text, offset)
        token = cur.token
        if token is not None and token.kind == "comment":
            return _rule_hover(token, offset)
        loaded = doc.loaded
        if loaded is None or not doc.fresh:
            return None
        text = Text(doc.text)
        row, column = text.location(offset)
        best: Optional[tuple[tuple[int, int], Span, list[InitCfgSite]]] = None
        sites = init_cfg_sites(loaded.keys)
        for site in sites:
            for span in _site_spans(loaded, site):
                if span.file != doc.name or not _contains(span, row, column):
                    continue
                size = (span.end_row - span.row, span.end_column - span.column)
                if best is None or size < best[0]:
                    best = (size, span, [s for s in sites if s.value is site.value])
        if best is None:
            return None
        _, span, same = best
        markdown = _describe_site(same)
        # A base file: what each open config that inherits it makes of the same init_cfg.
        paths = {s.config_path for s in same}
        for other in self.session.open_documents():
            report = self.session.reports.get(other)
            if (
                other == doc.path
                or report is None
                or doc.path not in report.reads
                or report.kind == "source"
            ):
                continue
            _, merged, fresh = self.session.current(other)
            found = (
                [s for s in init_cfg_sites(merged.keys) if s.config_path in paths]
                if merged is not None and fresh
                else []
            )
            if found:
                markdown += (
                    f"\n\n---\n\nIn `{display_path(other)}`, which inherits this "
                    "file:\n\n" + _describe_site(found)
                )
        return Hover(
            markdown, text.offset(span.row, span.column), text.offset(span.end_row, span.end_column)
        )

    # -- go to definition ----------------------------------------------------------------------
    def definition(self, path: Path, offset: int) -> list[Target]:
        doc = self._document(path)
        if doc is None:
            return []
        lazy = _lazy_base_at(doc, offset)
        if lazy is not None:
            return [Target(lazy, 1, 1, 1, 1)] if lazy.is_file() else []
        cur = at(doc.text, offset)
        token = cur.token
        if token is None or token.kind != "string" or not token.terminated:
            return []
        value = literal(token)
        if not isinstance(value, str):
            return []
        key, holder = cur.value_key()
        if cur.top == "_base_" or key == "_base_":
            base = _base_file(doc, value)
            return [Target(base, 1, 1, 1, 1)] if base is not None and base.is_file() else []
        if holder is None or not holder.is_mapping:
            return []
        hi = cur.frames.index(holder)
        entry, override = _is_entry(cur.frames, hi), _is_override(cur.frames, hi)
        if key == "type" and (entry or override):
            return [
                _class_target(cls)
                for name, cls in doc.index.weight_initializers()
                if name == value.rsplit(".", 1)[-1]
            ]
        if key == "type":
            scope = type_scope(Scalar(None, value)) or doc.scope
            if scope:
                doc.index.add_package(scope)
            return [
                _class_target(cls) for cls in doc.index.registered(value.rsplit(".", 1)[-1], scope)
            ]
        if key == "name" and override:
            cls = self._receiver(doc, cur, hi)
            return self._attribute_targets(doc, cls, value) if cls is not None else []
        return []

    def _attribute_targets(self, doc: _Document, cls: KnownClass, name: str) -> list[Target]:
        """Where the attribute `name` of `cls` is created: the first class in its lineage
        that assigns it (in `__init__` first), or defines it in its body."""
        for current in doc.index.lineage(cls).classes:
            if isinstance(current, External) or current.span is None:
                continue
            file = absolute(Path(current.file))
            text = self.session.text_of(file)
            if text is None:
                continue
            found = _attribute_site(text, current, name)
            if found is not None:
                return [Target(file, *found)]
        return []


# -- what the cursor is in -------------------------------------------------------------------


def _is_entry(frames: list[Frame], i: int) -> bool:
    """Whether frame `i` is a dict of an init_cfg (its value, or an item of its list)."""
    frame = frames[i]
    if not frame.is_mapping:
        return False
    if frame.key == "init_cfg":
        return True
    return (
        isinstance(frame.key, int)
        and i > 0
        and frames[i - 1].kind in ("list", "paren")
        and frames[i - 1].key == "init_cfg"
    )


def _is_override(frames: list[Frame], i: int) -> bool:
    frame = frames[i]
    if not frame.is_mapping:
        return False
    if frame.key == "override":
        return i > 0 and _is_entry(frames, i - 1)
    return (
        isinstance(frame.key, int)
        and i > 1
        and frames[i - 1].kind in ("list", "paren")
        and frames[i - 1].key == "override"
        and _is_entry(frames, i - 2)
    )


def _holder(frames: list[Frame], entry_at: int) -> Optional[int]:
    """The frame holding the `init_cfg` key of the entry at `entry_at`."""
    if entry_at < 0:
        return None
    holder = entry_at - 1 if frames[entry_at].key == "init_cfg" else entry_at - 2
    return holder if holder >= 0 else None


def _path_of(cur: Cursor, i: int) -> tuple[object, ...]:
    if cur.top is None:
        return ()
    return (cur.top, *(f.key for f in cur.frames[1 : i + 1] if f.key is not None))


def _merged_at(loaded: Optional[LoadedConfig], path: tuple[object, ...]) -> Optional[Node]:
    """The merged value at a key path (list items by index; a bracket that only groups, such
    as `(dict(...))`, is passed through)."""
    if loaded is None or not path:
        return None
    node: Optional[Node] = loaded.keys
    for part in path:
        if isinstance(node, DictValue) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, SeqValue) and isinstance(part, int):
            node = node.items[part] if part < len(node.items) else None
        elif not (isinstance(node, DictValue) and isinstance(part, int)):
            return None
    return node


def _initializer_of(doc: _Document, cur: Cursor, i: int) -> bool:
    name = cur.frames[i].text_value("type")
    return name is not None and doc.initializers.lookup(name) is not None


def _registered(doc: _Document, owner_type: Optional[Node]) -> Optional[KnownClass]:
    """The class a `type` names (as the engine finds a receiving class)."""
    name = type_name(owner_type)
    if not name:
        return None
    scope = type_scope(owner_type) or doc.scope
    if scope:
        doc.index.add_package(scope)
    found = doc.index.registered(name, scope)
    return found[0] if len(found) == 1 else None


def _replaced(cur: Cursor) -> tuple[int, int]:
    """The text a completion replaces: what is typed of the string or name, up to the cursor."""
    token = cur.token
    if token is not None and token.kind == "string" and cur.in_string:
        return token.content_start, cur.offset
    if token is not None and token.kind == "name":
        return token.start, cur.offset
    return cur.offset, cur.offset


def _quoted(name: str, quote: bool) -> str:
    return f"'{name}'" if quote else name


def _initializer_specs(known: Initializers) -> list[tuple[str, Optional[Spec]]]:
    found: list[tuple[str, Optional[Spec]]] = []
    for name in known.names:
        looked = known.lookup(name)
        spec = looked.spec if looked is not None else None
        found.append((name, spec if isinstance(spec, Spec) else None))
    return found


def _spec_doc(spec: Optional[Spec]) -> str:
    if spec is None:
        return ""
    shown = [
        a.key if a.required else f"{a.key}={a.default!r}"
        for a in spec.arguments
        if a.key not in spec.fixed_args and a.key != "_scope_"
    ]
    return f"`{spec.class_name}({', '.join(shown)})`"


def _checkpoints(typed: str, start: int, end: int, quote: bool) -> list[Completion]:
    names = hub_names()
    zoo = {
        "torchvision://": names.torchvision,
        "open-mmlab://": names.openmmlab,
        "openmmlab://": names.openmmlab,
        "mmcls://": names.mmcls,
    }
    for scheme, models in zoo.items():
        if typed.startswith(scheme):
            return [
                Completion(
                    scheme + model,
                    "checkpoint",
                    start,
                    end,
                    _quoted(scheme + model, quote),
                    detail="model zoo",
                )
                for model in sorted(models)
            ]
    return [
        Completion(
            scheme,
            "scheme",
            start,
            end,
            _quoted(scheme, quote) if not quote else f"'{scheme}",
            detail="checkpoint scheme",
        )
        for scheme in PLAIN_SCHEMES
    ]


def _rule_codes(text: str, offset: int, token: Token) -> list[Completion]:
    before = text[token.start : offset]
    if not CODES_AT_END.search(before):
        return []
    typed = re.search(r"[\w-]*$", before)
    start = offset - len(typed.group()) if typed else offset
    known = documents()
    return [
        Completion(
            code,
            "rule",
            start,
            offset,
            detail=rule.name,
            documentation=known[code].summary if code in known else "",
        )
        for code, rule in rules().items()
    ]


def _rule_hover(token: Token, offset: int) -> Optional[Hover]:
    for match in RULE_CODE.finditer(token.text):
        start, end = token.start + match.start(), token.start + match.end()
        if start <= offset <= end:
            code = match.group().upper()
            document = documents().get(code)
            rule = rules().get(code)
            if document is None or rule is None:
                return None
            markdown = (
                f"**{code}** {rule.name} ({rule.severity})\n\n{document.body}\n\n"
                f"[Rule document]({document.url})"
            )
            return Hover(markdown, start, end)
    return None


# -- hover: the merged value and who wrote each key ------------------------------------------


def _contains(span: Span, row: int, column: int) -> bool:
    return (span.row, span.column) <= (row, column) <= (span.end_row, span.end_column)


def _site_spans(loaded: LoadedConfig, site: InitCfgSite) -> Iterator[Span]:
    """Where a site is written: its value, and its `init_cfg` key."""
    if site.value.span is not None:
        yield site.value.span
    owner = (
        site.owner
        if site.owner is not None
        else (loaded.keys if site.config_path == "init_cfg" else None)
    )
    entry = owner.entries.get("init_cfg") if owner is not None else None
    if entry is not None and entry.key_span is not None and entry.value is site.value:
        yield entry.key_span


def _describe_site(sites: list[InitCfgSite]) -> str:
    site = sites[0]
    paths = ", ".join(f"`{s.config_path}`" for s in sites)
    owner = type_name(site.owner_type)
    lines = [
        f"**init_cfg** {paths}" + (f" (received by `{owner}`)" if owner else ""),
        "",
        "As the runtime sees it, `_base_` files merged:",
        "",
        "```python",
        show(site.value),
        "```",
        "",
    ]
    rows = list(_provenance(site.value))
    if rows:
        lines += ["| key | written at |", "|---|---|"]
        for key, span in rows:
            lines.append(f"| `{key}` | {_link(span) if span else '(not written in a file)'} |")
    return "\n".join(lines)


def _provenance(node: Node, prefix: str = "") -> Iterator[tuple[str, Optional[Span]]]:
    """(key path, where it was written) of every key and list item, as `initlint inspect`."""
    if isinstance(node, DictValue):
        for key, entry in node.entries.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            yield path, entry.key_span or entry.value.span
            yield from _provenance(entry.value, path)
    elif isinstance(node, SeqValue):
        for i, item in enumerate(node.items):
            path = f"{prefix}[{i}]"
            yield path, item.span
            yield from _provenance(item, path)


def _link(span: Span) -> str:
    shown = f"{span.file}:{span.row}:{span.column}"
    try:
        uri = absolute(Path(span.file)).as_uri()
    except ValueError:
        return shown
    return f"[{shown}]({uri}#L{span.row})"


def show(node: Node, indent: int = 0) -> str:
    """A value as a config writes it (`dict(type='Normal', std=0.01)`), one key a line when it
    is long; what cannot be known statically as `<unknown: why>`."""
    flat = _flat(node)
    if len(flat) + indent <= 88 or not isinstance(node, (DictValue, SeqValue)):
        return flat
    pad = " " * (indent + 4)
    if isinstance(node, DictValue):
        named = all(isinstance(k, str) and k.isidentifier() for k in node.entries)
        items = [
            (f"{k}=" if named else f"{k!r}: ") + show(e.value, indent + 4)
            for k, e in node.entries.items()
        ]
        if node.open:
            items.append("**<unknown keys>")
        opening, closing = ("dict(", ")") if named else ("{", "}")
    else:
        items = [show(i, indent + 4) for i in node.items]
        opening, closing = ("(", ")") if node.kind == "tuple" else ("[", "]")
    return opening + "\n" + ",\n".join(pad + i for i in items) + "\n" + " " * indent + closing


def _flat(node: Node) -> str:
    if isinstance(node, Scalar):
        return repr(node.value)
    if isinstance(node, DictValue):
        named = all(isinstance(k, str) and k.isidentifier() for k in node.entries)
        items = [
            (f"{k}=" if named else f"{k!r}: ") + _flat(e.value) for k, e in node.entries.items()
        ]
        if node.open:
            items.append("**<unknown keys>")
        return f"dict({', '.join(items)})" if named else "{" + ", ".join(items) + "}"
    if isinstance(node, SeqValue):
        inner = ", ".join(_flat(i) for i in node.items)
        if node.kind == "tuple":
            return f"({inner},)" if len(node.items) == 1 else f"({inner})"
        return f"[{inner}]"
    if isinstance(node, ClassRef):
        return node.qualname
    if isinstance(node, PyObject):
        return repr(node.obj)
    assert isinstance(node, Unknown)
    return f"<unknown: {node.reason}>"


# -- go to definition ------------------------------------------------------------------------


def _class_target(cls: ClassFacts) -> Target:
    span = cls.span
    file = absolute(Path(cls.file))
    if span is None:
        return Target(file, 1, 1, 1, 1)
    return Target(file, span.row, span.column, span.row, span.column)


def _base_file(doc: _Document, written: str) -> Optional[Path]:
    """The file a `_base_` entry names, as the loader resolves it (`pkg::path` in the
    package's `.mim/configs`)."""
    if "::" in written:
        package, _, relative = written.partition("::")
        root = doc.state.loader.config_roots.get(package) or package_folder(package)
        return (root / ".mim" / "configs" / relative) if root is not None else None
    return Path(os.path.normpath(doc.path.parent / written))


def _lazy_base_at(doc: _Document, offset: int) -> Optional[Path]:
    """The module file of a `from .._base_.models.x import *` (a lazy config's `read_base()`
    import) whose module name is under the cursor."""
    for match in LAZY_IMPORT.finditer(doc.text):
        if match.start("module") <= offset <= match.end("module"):
            module = match.group("module")
            level = len(module) - len(module.lstrip("."))
            parts = module[level:].split(".")
            if level:
                return Path(
                    os.path.normpath(
                        doc.path.parent.joinpath(
                            *[".."] * (level - 1), *parts[:-1], parts[-1] + ".py"
                        )
                    )
                )
            root = doc.state.loader.config_roots.get(parts[0]) or package_folder(parts[0])
            return (
                root.joinpath(*parts[1:-1], parts[-1] + ".py") if root and len(parts) > 1 else None
            )
        if match.start() > offset:
            break
    return None


def _attribute_site(text: str, cls: ClassFacts, name: str) -> Optional[tuple[int, int, int, int]]:
    """Where class `cls` (in a module of `text`) creates attribute `name`: `self.name = ...`
    (or `setattr(self, 'name', ...)`, `self.add_module('name', ...)`) in `__init__`, then in
    its other methods, then a class-level assignment, property or method of that name."""
    from ..config.evaluator import Positions

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    node = next(
        (
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.ClassDef)
            and n.name == cls.name
            and (cls.span is None or n.lineno == cls.span.row)
        ),
        None,
    )
    if node is None:
        return None
    positions = Positions(cls.file, text)
    methods = [s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
    methods.sort(key=lambda m: m.name != "__init__")
    for method in methods:
        for child in ast.walk(method):
            target = _assigned(child, name)
            if target is not None:
                span = positions.span(target)
                if span is not None:
                    return span.row, span.column, span.end_row, span.end_column
    for statement in node.body:
        found: Optional[ast.AST] = None
        if isinstance(statement, ast.Assign):
            found = next(
                (t for t in statement.targets if isinstance(t, ast.Name) and t.id == name), None
            )
        elif (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and statement.target.id == name
        ):
            found = statement.target
        elif (
            isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
            and statement.name == name
        ):
            found = statement
        if found is not None:
            span = positions.span(found)
            if span is not None:
                return span.row, span.column, span.row, span.column
    return None


def _assigned(node: ast.AST, name: str) -> Optional[ast.AST]:
    """The target in `node` that creates `self.<name>`, if any."""
    targets: list[ast.AST] = []
    if isinstance(node, ast.Assign):
        targets = list(node.targets)
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    for target in targets:
        for part in ast.walk(target):
            if (
                isinstance(part, ast.Attribute)
                and part.attr == name
                and isinstance(part.value, ast.Name)
                and part.value.id == "self"
            ):
                return part
    if isinstance(node, ast.Call) and node.args:
        func = node.func
        first = node.args[0]
        if (
            isinstance(func, ast.Name)
            and func.id == "setattr"
            and len(node.args) >= 2
            and isinstance(first, ast.Name)
            and first.id == "self"
        ):
            second = node.args[1]
            if isinstance(second, ast.Constant) and second.value == name:
                return second
        if (
            isinstance(func, ast.Attribute)
            and func.attr
            in ("add_module", "register_module", "register_buffer", "register_parameter")
            and isinstance(func.value, ast.Name)
            and func.value.id == "self"
            and isinstance(first, ast.Constant)
            and first.value == name
        ):
            return first
    return None


__all__ = ["Completion", "Features", "Hover", "Target", "show"]
