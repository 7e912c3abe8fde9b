"""Configs as `mmengine.Config.fromfile` builds them, statically (grammar.md §10).

`ConfigLoader.load(path)` reads a config (.py, .json, .yaml/.yml), loads its `_base_` files
(relative paths, lists, `pkg::path` from an installed package or a configured root), runs the
file with `_base_` bound to the merged bases, and merges it into them with the runtime's own
rules (merge.py). Lazy configs (`with read_base():`) get Python import semantics instead.
Every file is read and parsed once per loader, however many configs share it.
"""

from __future__ import annotations

import ast
import difflib
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional, Union

from ..checks.configs import (
    BaseCycle,
    BaseNotFound,
    DuplicateBaseKey,
    QuotedBaseReference,
    ShadowedVariable,
)
from ..checks.files import UnreadableFile
from ..discover import display_path
from ..findings import Finding, UnresolvedBase
from ..project.locate import package_folder
from ..read import FOLDER, MISSING, TOO_LARGE, Files, is_content_hash, parse_python, resolved
from ..values import (
    ClassRef,
    DictValue,
    Entry,
    Node,
    Scalar,
    SeqValue,
    Span,
    Unknown,
    contains_unknown,
    to_python,
)
from .evaluator import FUNCTION, Evaluator, Namespace, Positions
from .merge import ListReplacement, merge_into_base, with_scope
from .sites import substitute_base_refs

DATA_SUFFIXES = (".json", ".yaml", ".yml")
# A Python config parsed: its tree, where `{{_base_.x}}` references were, its positions.
Parsed = Union[Finding, tuple[ast.Module, frozenset[tuple[int, int]], Positions]]


@dataclass
class LoadedConfig:
    path: Path
    name: str  # as shown to the user
    keys: DictValue  # the merged config: its top-level keys
    problems: list[Finding] = field(default_factory=list)  # its own and its bases'
    files: list[Path] = field(default_factory=list)  # this file and every base it read
    lazy: bool = False
    readable: bool = True
    notes: list[str] = field(default_factory=list)  # for --verbose
    # Files looked for (found or not: creating a missing base changes the result), and the
    # packages whose folder was looked up (`pkg::` bases, lazy imports): its own and its bases'.
    looked_for: list[Path] = field(default_factory=list)
    packages: list[str] = field(default_factory=list)
    listings: list[str] = field(default_factory=list)  # folders listed (IL902's hint)
    unresolved: list[UnresolvedBase] = field(default_factory=list)  # its own and its bases'
    # This file's own top-level assignments and name reads (IL206).
    assigned: dict[str, Span] = field(default_factory=dict)
    references: dict[str, list[Span]] = field(default_factory=dict)
    # Its own and its bases' `pkg::` bases, which only MMEngine's Config reads (IL208 for the
    # mmcv 1.x target; `ConfigLoader.mmengine_only` adds the rest).
    mmengine_only: list[tuple[Span, str]] = field(default_factory=list)
    # The base lists this file's own keys replaced when merged into its bases (IL207).
    replaced: list[ListReplacement] = field(default_factory=list)

    @property
    def default_scope(self) -> Optional[str]:
        scope = self.keys.get("default_scope")
        return scope.value if isinstance(scope, Scalar) and isinstance(scope.value, str) else None


class ConfigLoader:
    def __init__(
        self,
        config_roots: Optional[Mapping[str, Path]] = None,
        files: Optional[Files] = None,
        keep_parsed: bool = False,
    ) -> None:
        """`keep_parsed`: keep each Python file's syntax tree while its text stays the same
        (a language server loads again every config that inherits an edited base; a run of
        the command line loads each file once and keeps none)."""
        self.config_roots = dict(config_roots or {})
        self.files = files or Files()  # each file read once, its hash what the cache keeps
        self._cache: dict[Path, LoadedConfig] = {}
        self._parsed: Optional[dict[Path, tuple[str, Parsed]]] = {} if keep_parsed else None
        self._texts: dict[Path, str] = {}
        self._features: dict[Path, list[tuple[Span, str]]] = {}  # mmengine_only, by file

    def override(self, path: Path, text: str) -> None:
        """Read `path` as `text` (an editor buffer, stdin) instead of from disk."""
        self._texts[resolved(path)] = text
        self.invalidate(path)

    def forget(self, path: Path) -> None:
        """Read `path` from disk again (its buffer was closed)."""
        self._texts.pop(resolved(path), None)
        self.invalidate(path)

    def invalidate(self, path: Path) -> None:
        """Load again, when next asked, every config that read `path` (its text changed); the
        others stay loaded (a language server re-lints in milliseconds that way)."""
        names = {Path(os.path.abspath(path)), resolved(path)}
        for name in names:
            self.files.forget(name)
        for key in [
            k
            for k, loaded in self._cache.items()
            if k in names or any(f in names for f in loaded.files)
        ]:
            del self._cache[key]

    def overridden(self, path: Path) -> Optional[str]:
        """The text `override` gave `path`, if any."""
        return self._texts.get(resolved(path))

    # -- entry point ---------------------------------------------------------------------------
    def load(self, path: Path) -> LoadedConfig:
        return self._load(resolved(path), ())

    def mmengine_only(self, loaded: LoadedConfig) -> list[tuple[Span, str]]:
        """What in a config and its bases only MMEngine's Config reads (IL208): `pkg::` bases,
        `_base_` read as the merged bases, `with read_base():`. Python files are parsed again
        for it, once each: only the mmcv 1.x target asks."""
        found = list(loaded.mmengine_only)
        for path in loaded.files:
            if path.suffix != ".py":
                continue
            if path not in self._features:
                self._features[path] = []
                text = (
                    self._texts[path]
                    if path in self._texts
                    else self.files.text(path, display_path(path))
                )
                if isinstance(text, str) and MAY_READ_BASE.search(text):
                    source, _ = substitute_base_refs(text)
                    module = parse_python(display_path(path), source)
                    if not isinstance(module, Finding):
                        self._features[path] = _mmengine_only(
                            module, Positions(display_path(path), source)
                        )
            found += [f for f in self._features[path] if f not in found]
        return found

    def _load(self, path: Path, stack: tuple[Path, ...]) -> LoadedConfig:
        cached = self._cache.get(path)
        if cached is not None:
            return cached
        loaded = self._read(path, (*stack, path))
        if not any(p.code == BaseCycle.code for p in loaded.problems):
            self._cache[path] = loaded  # a cycle's result depends on where it was entered
        return loaded

    def _read(self, path: Path, stack: tuple[Path, ...]) -> LoadedConfig:
        name = display_path(path)
        text = self._texts[path] if path in self._texts else self.files.text(path, name)
        if isinstance(text, Finding):
            return _unreadable(path, name, text)
        if path.suffix in DATA_SUFFIXES:
            return self._read_data(path, name, text, stack)
        return self._read_python(path, name, text, stack)

    # -- Python configs ----------------------------------------------------------------------
    def _read_python(
        self, path: Path, name: str, text: str, stack: tuple[Path, ...]
    ) -> LoadedConfig:
        kept = self._parsed.get(path) if self._parsed is not None else None
        if kept is not None and kept[0] == text:
            parsed = kept[1]
        else:
            source, refs = substitute_base_refs(text)
            tree = parse_python(name, source)
            parsed = tree if isinstance(tree, Finding) else (tree, refs, Positions(name, source))
            if self._parsed is not None:
                self._parsed[path] = (text, parsed)
        if isinstance(parsed, Finding):
            return _unreadable(path, name, parsed)
        module, base_refs, positions = parsed
        loaded = LoadedConfig(path, name, DictValue(None, {}), files=[path])
        base_node = _base_assignment(module)
        namespace = Namespace()
        base: Optional[DictValue] = None
        if base_node is not None:
            evaluator = Evaluator(positions, Namespace())
            base = self._load_bases(evaluator.eval(base_node), path, loaded, stack)
            namespace.bind("_base_", base)
        evaluator = Evaluator(
            positions,
            namespace,
            base_refs,
            base_lookup=self._base_lookup(base, name, loaded),
            read_base=self._read_base(path, loaded, stack),
            module_name="builtins",
        )  # `__name__` in the runtime's exec
        evaluator.run_module(module)
        loaded.problems += [f for f in evaluator.findings if f.span is not None]
        if base is not None:  # the child may have changed its bases in place
            changed = namespace.get("_base_")
            if isinstance(changed, DictValue):
                base = changed
            elif changed is not None:  # changed in a way we cannot see
                base = DictValue(base.span, {}, open=True, config_dict=True)
        loaded.lazy = evaluator.lazy
        loaded.assigned = evaluator.assignments
        loaded.references = evaluator.references
        loaded.problems += [QuotedBaseReference.at(s) for s in evaluator.quoted_base_refs]
        own = DictValue(
            None,
            {
                key: Entry(evaluator.assignments.get(key), value)
                for key, value in namespace.items()
                if key != "_base_"
                and not key.startswith("__")
                and value is not FUNCTION
                and not (isinstance(value, ClassRef) and value.is_module and not evaluator.lazy)
            },
        )
        loaded.keys = self._merge(own, base, loaded) if base is not None else own
        if evaluator.exhausted:  # IL904: what the rest of the file does is unknown
            loaded.keys = DictValue(None, {}, open=True)
        elif base is not None:
            self._shadowed_variables(loaded, base)
        return loaded

    def _read_base(
        self, path: Path, loaded: LoadedConfig, stack: tuple[Path, ...]
    ) -> Callable[[str, Span], Optional[Namespace]]:
        def read(module: str, span: Span) -> Optional[Namespace]:
            target = self._lazy_module_path(module, path, loaded)
            if target is None:
                package = None if module.startswith(".") else module.split(".")[0]
                if package is not None and self._package_dir(package, loaded) is not None:
                    package = None  # the package is there; the module path is not a file
                why = (
                    f"package '{package}' is neither installed nor given"
                    if package
                    else "it names no file initlint can find"
                )
                loaded.notes.append(
                    f"{loaded.name}: cannot locate `{module}`; its names are unknown"
                )
                _unresolved(loaded, span, module, why, package)
                return None
            base = self._load_base(target, span, loaded, stack)
            if base is None:
                return None
            namespace = Namespace()
            for key in base.keys.entries:
                namespace.bind(str(key), _fresh(base.keys.entries[key].value))
            return namespace

        return read

    def _lazy_module_path(self, module: str, current: Path, loaded: LoadedConfig) -> Optional[Path]:
        level = len(module) - len(module.lstrip("."))
        parts = module[level:].split(".")
        if level:  # as the import system joins it: symlinks are not resolved
            return Path(
                os.path.normpath(
                    current.parent.joinpath(*[".."] * (level - 1), *parts[:-1], parts[-1] + ".py")
                )
            )
        root = self._package_dir(parts[0], loaded)
        return root.joinpath(*parts[1:-1], parts[-1] + ".py") if root and len(parts) > 1 else None

    # -- JSON / YAML configs -----------------------------------------------------------------
    def _read_data(self, path: Path, name: str, text: str, stack: tuple[Path, ...]) -> LoadedConfig:
        from .data import parse_data  # PyYAML, only for JSON/YAML configs

        source, base_refs = substitute_base_refs(text)
        value, refs, problem = parse_data(name, source, base_refs)
        if value is None:
            assert problem is not None
            return _unreadable(path, name, problem)
        if not isinstance(value, DictValue):
            return _unreadable(
                path,
                name,
                UnreadableFile.at(
                    value.span or Span(name, 1, 1, 1, 1),
                    f"a config must be a mapping at the top level, not a {type(value).__name__}",
                ),
            )
        loaded = LoadedConfig(path, name, value, files=[path])
        base_entry = value.entries.get("_base_")
        base = None
        if base_entry is not None:
            base = self._load_bases(base_entry.value, path, loaded, stack)
        own = value.without("_base_")
        if refs:
            lookup = self._base_lookup(base, name, loaded)
            substituted = _substitute(own, {id(s): lookup(p, s.span) for s, p in refs if s.span})
            assert isinstance(substituted, DictValue)
            own = substituted
        loaded.keys = self._merge(own, base, loaded) if base is not None else own
        return loaded

    # -- bases ---------------------------------------------------------------------------------
    def _load_bases(
        self, written: Node, path: Path, loaded: LoadedConfig, stack: tuple[Path, ...]
    ) -> DictValue:
        """The merged `_base_` files (sibling keys must not repeat: IL204)."""
        items = list(written.items) if isinstance(written, SeqValue) else [written]
        merged: dict[object, Entry] = {}
        open_ = False
        owners: dict[object, str] = {}
        for item in items:
            if not (isinstance(item, Scalar) and isinstance(item.value, str)):
                loaded.notes.append(
                    f"{loaded.name}: a `_base_` entry is not a plain string; its keys are unknown"
                )
                _unresolved(
                    loaded,
                    item.span or written.span,
                    "",
                    "it is not a plain string initlint can read",
                )
                open_ = True
                continue
            if "::" in item.value and item.span is not None:
                loaded.mmengine_only.append((item.span, f"a package base (`{item.value}`)"))
            base_path, scope, note = self._resolve_base(item.value, path, loaded)
            if base_path is None:
                loaded.notes.append(f"{loaded.name}: {note}")
                _unresolved(
                    loaded,
                    item.span,
                    item.value,
                    f"package '{scope}' is neither installed nor given",
                    scope,
                )
                open_ = True
                continue
            base = self._load_base(base_path, item.span, loaded, stack, written=item.value)
            if base is None:
                open_ = True
                continue
            keys = with_scope(base.keys, scope)
            assert isinstance(keys, DictValue)
            duplicates = [k for k in keys.entries if k in merged]
            if duplicates and item.span is not None:
                shown = ", ".join(f"'{k}' (also in {owners[k]})" for k in duplicates)
                loaded.problems.append(DuplicateBaseKey.keys(item.span, shown))
            for key, entry in keys.entries.items():
                merged.setdefault(key, entry)
                owners.setdefault(key, base.name)
            open_ |= keys.open
        return DictValue(written.span, merged, open=open_, config_dict=True)

    def _load_base(
        self,
        base_path: Path,
        span: Optional[Span],
        loaded: LoadedConfig,
        stack: tuple[Path, ...],
        written: Optional[str] = None,
    ) -> Optional[LoadedConfig]:
        if base_path in stack:
            if span is not None:
                cycle = " -> ".join(display_path(p) for p in (*stack, base_path))
                loaded.problems.append(BaseCycle.chain(span, cycle))
            return None
        if base_path not in loaded.looked_for:
            loaded.looked_for.append(base_path)
        if self.files.state(base_path) in (MISSING, FOLDER) and base_path not in self._texts:
            if span is not None:
                likely = (
                    ""
                    if written is None
                    else likely_mistake(
                        written,
                        self._base_folder(written, loaded.path),
                        base_path,
                        lambda path: self._is_file(path, loaded),
                        lambda folder: self._names_in(folder, loaded),
                    )
                )
                shown = "".join(
                    c if c.isprintable() else repr(c)[1:-1] for c in display_path(base_path)
                )  # a NUL, a newline
                loaded.problems.append(BaseNotFound.file(span, shown, likely))
            return None
        base = self._load(base_path, stack)  # a FIFO or a device: IL901 there, never read
        loaded.problems += [p for p in base.problems if p not in loaded.problems]
        loaded.files += [f for f in base.files if f not in loaded.files]
        loaded.looked_for += [f for f in base.looked_for if f not in loaded.looked_for]
        loaded.packages += [p for p in base.packages if p not in loaded.packages]
        loaded.listings += [f for f in base.listings if f not in loaded.listings]
        loaded.notes += base.notes
        loaded.unresolved += [u for u in base.unresolved if u not in loaded.unresolved]
        loaded.mmengine_only += [m for m in base.mmengine_only if m not in loaded.mmengine_only]
        return base if base.readable else None

    def _resolve_base(
        self, written: str, current: Path, loaded: LoadedConfig
    ) -> tuple[Optional[Path], Optional[str], str]:
        if "::" in written:
            scope, _, relative = written.partition("::")
            root = self._package_dir(scope, loaded)
            if root is None:
                return (
                    None,
                    scope,
                    (
                        f"cannot resolve `{written}`: package '{scope}' is "
                        "neither installed nor given with --config-root; its keys "
                        "are unknown"
                    ),
                )
            return resolved(root / ".mim" / "configs" / relative), scope, ""
        return Path(os.path.normpath(current.parent / written)), None, ""

    def _is_file(self, path: Path, loaded: LoadedConfig) -> bool:
        """Whether `path` is a file (for a hint); looking is a dependency of `loaded`."""
        if path not in loaded.looked_for:
            loaded.looked_for.append(path)
        state = self.files.state(path)
        return state == TOO_LARGE or is_content_hash(state)

    def _names_in(self, folder: Path, loaded: LoadedConfig) -> list[str]:
        """The names in `folder` (for a hint); the listing is a dependency of `loaded`."""
        if str(folder) not in loaded.listings:
            loaded.listings.append(str(folder))
        return _names(folder)

    def _base_folder(self, written: str, current: Path) -> Path:
        """The folder a `_base_` path is read from."""
        if "::" in written:
            root = self._package_dir(written.partition("::")[0])
            if root is not None:
                return resolved(root / ".mim" / "configs")
        return current.parent

    def _package_dir(self, package: str, loaded: Optional[LoadedConfig] = None) -> Optional[Path]:
        """Where an OpenMMLab package lives, found without importing it (installing it later
        changes what `loaded` finds: the package is one of its dependencies)."""
        if loaded is not None and package not in loaded.packages:
            loaded.packages.append(package)
        if package in self.config_roots:
            return self.config_roots[package]
        return package_folder(package)

    def _base_lookup(
        self, base: Optional[DictValue], name: str, loaded: LoadedConfig
    ) -> Callable[[list[str], Span], Node]:
        """`{{_base_.a.b}}`: the base value, deep-copied by the runtime (same nodes here)."""

        def lookup(path: list[str], span: Span) -> Node:
            node: Optional[Node] = base
            for part in path:
                node = node.get(part) if isinstance(node, DictValue) else None
            if node is None:
                if base is not None and not base.open:
                    loaded.problems.append(BaseNotFound.key(span, ".".join(path)))
                return Unknown(span, f"_base_.{'.'.join(path)}")
            return node

        return lookup

    # -- merging -------------------------------------------------------------------------------
    def _merge(self, own: DictValue, base: DictValue, loaded: LoadedConfig) -> DictValue:
        problems: list[Finding] = []
        merged = merge_into_base(own, base, problems, replaced=loaded.replaced)
        loaded.problems += [p for p in problems if p.span is not None]
        return merged

    def _shadowed_variables(self, loaded: LoadedConfig, base: DictValue) -> None:
        """IL206: a child re-assigns a variable that only the base's init_cfg values use."""
        from .sites import init_cfg_sites

        site_spans: list[Span] = []
        for variable, span in loaded.assigned.items():
            if variable not in base.entries or variable in loaded.references:
                continue
            ours, theirs = loaded.keys.get(variable), base.get(variable)
            if ours is None or theirs is None:
                continue
            if not site_spans:  # found once, only when some variable is re-assigned
                site_spans = [s.value.span for s in init_cfg_sites(base) if s.value.span]
            for base_path in loaded.files[1:]:
                cached = self._cache.get(base_path)
                uses = cached.references.get(variable, []) if cached else []
                used_in = [u for u in uses if any(_inside(u, s) for s in site_spans)]
                if used_in and (contains_unknown(ours) or to_python(ours) == to_python(theirs)):
                    break  # the same value (or one we cannot see): nothing is lost
                if used_in:
                    loaded.problems.append(ShadowedVariable.at(span, variable, used_in[0]))
                    break


def _unresolved(
    loaded: LoadedConfig,
    span: Optional[Span],
    written: str,
    reason: str,
    package: Optional[str] = None,
) -> None:
    row, column = (span.row, span.column) if span is not None else (1, 1)
    entry = UnresolvedBase(loaded.name, row, column, written, reason, package)
    if entry not in loaded.unresolved:
        loaded.unresolved.append(entry)


def _is_file(path: Path) -> bool:
    try:
        return os.path.isfile(path)
    except (OSError, ValueError):
        return False


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except (OSError, ValueError):
        return []


def likely_mistake(
    written: str,
    folder: Path,
    target: Path,
    is_file: Callable[[Path], bool] = _is_file,
    names_in: Callable[[Path], list[str]] = _names,
) -> str:
    """What a `_base_` path that names no file most likely gets wrong (IL902's hint), from the
    files that do exist: an empty path, a missing suffix, a folder written twice (the path is
    read from the config's own folder), one `../` too many or too few, a near miss in the
    folder; "" when nothing is likely. `folder`: where the path is read from (the config's
    folder, or a package's configs for `pkg::`). `is_file` and `names_in` look at the disk (the
    loader's record what they look at: the hint goes stale when those files change)."""
    if not written.strip():
        return "an empty path names the config's own folder, not a file"
    prefix = written.partition("::")[0] + "::" if "::" in written else ""
    written = written.partition("::")[2] if prefix else written

    def shown(found: Path) -> str:
        relative = os.path.relpath(found, folder)
        if not prefix and not relative.startswith("."):
            relative = "./" + relative
        return prefix + relative.replace(os.sep, "/")

    suffixes = (".py", ".json", ".yaml", ".yml")
    if target.suffix not in suffixes:
        for suffix in suffixes:
            if is_file(target.with_name(target.name + suffix)):
                return f"the path has no suffix; did you mean '{prefix}{written}{suffix}'?"
        return "the path has no suffix (.py, .json or .yaml)"
    parts = target.parts
    for i in range(1, len(parts) - 1):
        if parts[i] == parts[i - 1]:
            fixed = Path(*parts[:i], *parts[i + 1 :])
            if is_file(fixed):
                return (
                    f"`{parts[i]}/` is written twice (a relative path is read from the "
                    f"config's own folder); did you mean '{shown(fixed)}'?"
                )
    if not prefix:
        stripped = written[3:] if written.startswith("../") else None
        for candidate in (folder / stripped if stripped else None, folder.parent / written):
            if candidate is not None and is_file(Path(os.path.normpath(candidate))):
                found = Path(os.path.normpath(candidate))
                return (
                    f"a relative path is read from the config's own folder; did you mean "
                    f"'{shown(found)}'?"
                )
    names = [n for n in names_in(target.parent) if n.endswith(suffixes)]
    if names:
        close = difflib.get_close_matches(target.name, names, n=1, cutoff=0.8)
        if close:
            return f"did you mean '{shown(target.parent / close[0])}'?"
    return ""


def _fresh(node: Node) -> Node:
    """A copy with dicts and lists of their own, as the runtime hands out a lazy base's
    values (`_dict_to_config_dict_lazy` rebuilds every dict and list): two names bound to one
    dict in the base (`test_dataloader = val_dataloader`) are two dicts in the config that
    imports them, and changing one leaves the other as it was."""
    if isinstance(node, DictValue):
        return replace(
            node,
            entries={k: Entry(e.key_span, _fresh(e.value)) for k, e in node.entries.items()},
            config_dict=True,
        )
    if isinstance(node, SeqValue):
        return replace(node, items=tuple(_fresh(item) for item in node.items))
    return node


def _inside(inner: Span, outer: Span) -> bool:
    return (
        inner.file == outer.file
        and (outer.row, outer.column) <= (inner.row, inner.column)
        and (inner.end_row, inner.end_column) <= (outer.end_row, outer.end_column)
    )


# Where a config may read `_base_` (not a `{{_base_.x}}`, rewritten to "{_base_.x}"), or be lazy.
MAY_READ_BASE = re.compile(r"(?<![{\w])_base_\s*[.\[]|\bread_base\b")


def _mmengine_only(module: ast.Module, positions: Positions) -> list[tuple[Span, str]]:
    """What in a Python config only MMEngine's Config reads: `_base_` read as a value (mmcv
    1.x's `_base_` is the string or list of paths), and `with read_base():`."""
    found: list[tuple[Span, str]] = []
    for node in ast.walk(module):
        what = None
        if _reads_base_as_config(node):
            what = "`_base_` read as the merged bases (`_base_.x`)"
        elif isinstance(node, ast.With) and any(
            isinstance(item.context_expr, ast.Call)
            and isinstance(item.context_expr.func, ast.Name)
            and item.context_expr.func.id == "read_base"
            for item in node.items
        ):
            what = "a lazy `read_base()` config"
            node = node.items[0].context_expr
        if what is not None:
            span = positions.span(node)
            if span is not None:
                found.append((span, what))
    return found


# What a string or a list has: `_base_ = _base_ + [...]` or `_base_.append(...)` work in
# mmcv 1.x, where `_base_` is the paths the file assigns.
_PATH_ATTRIBUTES = frozenset(dir(str)) | frozenset(dir(list))


def _reads_base_as_config(node: ast.AST) -> bool:
    """`_base_.model`, `_base_['model']`, `_base_.pop('model')`: a key of the merged bases."""
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "_base_"
    ):
        return node.attr not in _PATH_ATTRIBUTES
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == "_base_"
    ):
        return isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "_base_"
        and node.func.attr == "pop"
    ):
        return any(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args)
    return False


def _base_assignment(module: ast.Module) -> Optional[ast.expr]:
    """The value of the first top-level `_base_ = ...` (what `_get_base_files` reads)."""
    for statement in module.body:
        if (
            isinstance(statement, ast.Assign)
            and isinstance(statement.targets[0], ast.Name)
            and statement.targets[0].id == "_base_"
        ):
            return statement.value
    return None


def _unreadable(path: Path, name: str, problem: Finding) -> LoadedConfig:
    return LoadedConfig(
        path, name, DictValue(None, {}, open=True), readable=False, files=[path], problems=[problem]
    )


def _substitute(node: Node, replacements: dict[int, Node]) -> Node:
    if id(node) in replacements:
        return replacements[id(node)]
    if isinstance(node, DictValue):
        return DictValue(
            node.span,
            {
                k: Entry(e.key_span, _substitute(e.value, replacements))
                for k, e in node.entries.items()
            },
            node.open,
            node.config_dict,
        )
    if isinstance(node, SeqValue):
        return SeqValue(
            node.span, tuple(_substitute(i, replacements) for i in node.items), node.kind
        )
    return node
