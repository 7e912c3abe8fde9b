"""Linting files: load each config as MMEngine would (bases merged), check every init_cfg in it,
and collect the diagnostics, each reported once at the place that wrote it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Optional

from .catalog import severity_of
from .checks.init_cfg import (
    CheckContext,
    Finding,
    check_init_cfg,
    containers_along,
    format_path,
)
from .checks.receiver import constructor_findings, generic_grammar_applies, module_info
from .diagnostics import Diagnostic, Location, Related, span_locations
from .discover import discover, display_path
from .extract.config import init_cfg_sites, type_name, type_scope
from .extract.source import SourceFacts, SourceSite
from .grammar.custom import custom_initializers
from .grammar.types import Initializers
from .index import ProjectIndex, Resolved
from .resolve import CONFIG_SUFFIXES, ConfigLoader, ConfigProblem, LoadedConfig
from .suppress import apply_suppressions, read_source, sources_with
from .values import Node, Scalar, Span

# A file that mentions none of these cannot hold or change an init_cfg: it is never parsed.
PREFILTER = (b"init_cfg", b"_base_", b"read_base")
# Model sources (class definitions) are not configs.
CLASS_DEF = re.compile(rb"^class\s+\w+", re.M)

Progress = Callable[[int, int], None]  # (files done, files in all)


@dataclass
class LintResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    notes: list[str] = field(default_factory=list)  # what --verbose shows


@lru_cache(maxsize=1)
def own_init_weights() -> dict[str, frozenset[str]]:
    """Registry names of classes whose init_weights reads init_cfg its own way (PVT, Swin, GAN
    generators), with the packages where the name means such a class."""
    path = resources.files("initlint").joinpath("data/own_init_weights.json")
    classes = json.loads(path.read_text("utf-8"))["classes"]
    return {name: frozenset(entry["packages"]) for name, entry in classes.items()}


def reads_own_init_cfg(owner_type: Optional[Node], default_scope: Optional[str]) -> bool:
    """Whether the receiving class reads init_cfg its own way: then the generic grammar does
    not apply. `mmseg.VisionTransformer` does, mmpretrain's does not; with no scope to tell
    them apart, we stay silent."""
    name = type_name(owner_type)
    packages = own_init_weights().get(name or "")
    if not packages:
        return False
    scope = type_scope(owner_type) or default_scope
    return scope is None or scope in packages


def is_base_only(path: Path) -> bool:
    """OpenMMLab keeps files meant only to be inherited under `_base_/` folders."""
    return "_base_" in path.parts[:-1]


class Linter:
    """Collects the diagnostics of many files; shared base files are read once and a problem
    in one is reported once, naming the first config through which it was reached."""

    def __init__(self, loader: Optional[ConfigLoader] = None,
                 index: Optional[ProjectIndex] = None) -> None:
        self.loader = loader or ConfigLoader()
        self.index = index or ProjectIndex()
        self.diagnostics: dict[tuple[str, str, Optional[Location], str], Diagnostic] = {}
        self.reached: set[Path] = set()
        self.notes: list[str] = []
        self._initializers: Optional[Initializers] = None

    # -- what a check needs from the index ---------------------------------------------------
    def initializers(self) -> Initializers:
        """The built-in initializers plus those the indexed packages register."""
        if self._initializers is None:
            self._initializers = Initializers(custom=custom_initializers(self.index))
        return self._initializers

    def context(self, receiver: Optional[Resolved], partial: bool = False) -> CheckContext:
        module = module_info(self.index, receiver) if receiver is not None else None
        return CheckContext(initializers=self.initializers(), partial_dicts=partial,
                            module=module, is_project_class=self.index.has_class)

    def _config_receiver(self, type_node: Optional[Node], scope: Optional[str]
                         ) -> Optional[Resolved]:
        name = type_name(type_node)
        if not name:
            return None
        scope = type_scope(type_node) or scope
        if scope:
            self.index.add_package(scope)
        found = self.index.registered(name, scope)
        return found[0] if len(found) == 1 else None

    def _applies(self, receiver: Optional[Resolved], owner_type: Optional[Node],
                 scope: Optional[str]) -> bool:
        """Whether the generic grammar applies to what `receiver` gets (no: it reads init_cfg
        its own way, as PVT, Swin and the GAN generators do)."""
        name = receiver.name if receiver is not None else type_name(owner_type)
        if reads_own_init_cfg(owner_type, scope) or (
                receiver is not None and reads_own_init_cfg(Scalar(None, name), scope)):
            return False  # surveyed: e.g. it reads init_cfg in __init__, not init_weights
        if receiver is not None:
            applies = generic_grammar_applies(self.index, receiver)
            if applies is not None:
                return applies
        return True

    # -- configs -------------------------------------------------------------------------------
    def lint_config(self, path: Path, standalone_base: bool = False) -> None:
        loaded = self.loader.load(path)
        self.reached.update(loaded.files)
        self.notes += [n for n in loaded.notes if n not in self.notes]
        for problem in loaded.problems:
            self._add(self._problem(problem, loaded))
        if not loaded.readable:
            return
        scope = loaded.default_scope
        checked: set[int] = set()
        for site in init_cfg_sites(loaded.keys):
            # One value reached by several paths (`detector = model.detector`) is one check.
            if id(site.value) in checked:
                continue
            checked.add(id(site.value))
            receiver = self._config_receiver(site.owner_type, scope)
            if not self._applies(receiver, site.owner_type, scope):
                continue
            # A file meant only as a base may get missing keys from the configs that use it.
            findings = check_init_cfg(site.value, self.context(receiver, standalone_base))
            if receiver is not None:
                findings += constructor_findings(self.index, receiver, site.value, site.owner,
                                                 site.value.span)
            for finding in findings:
                self._add(_diagnostic(finding, site.value, loaded.name, site.config_path,
                                      loaded))

    # -- model sources -------------------------------------------------------------------------
    def lint_source(self, path: Path) -> None:
        module = self.index.add_file(path)
        facts = self.index.module(module)
        if facts is None:
            return
        for site in facts.sites:
            receiver = self._source_receiver(facts, site)
            if not self._applies(receiver, site.receiver.type_value, module.split(".")[0]):
                continue
            findings = check_init_cfg(site.value, self.context(receiver))
            if receiver is not None and site.receiver.kind != "class":
                findings += constructor_findings(self.index, receiver, site.value, None,
                                                 site.value.span)
            for finding in findings:
                self._add(_diagnostic(finding, site.value, facts.file, None, None))

    def _source_receiver(self, facts: SourceFacts, site: SourceSite) -> Optional[Resolved]:
        receiver = site.receiver
        if receiver.kind == "class":
            return facts.classes.get(receiver.name)
        if receiver.kind == "call":
            return self.index.resolve_in(facts, receiver.name)
        return self._config_receiver(receiver.type_value, facts.module.split(".")[0])

    # -- collecting ----------------------------------------------------------------------------
    def _add(self, diagnostic: Diagnostic) -> None:
        key = (diagnostic.code, diagnostic.filename or "", diagnostic.location,
               diagnostic.message)
        self.diagnostics.setdefault(key, diagnostic)

    @staticmethod
    def _problem(problem: ConfigProblem, loaded: LoadedConfig) -> Diagnostic:
        start, end = span_locations(problem.span)
        return Diagnostic(code=problem.code, severity=severity_of(problem.code),
                          message=problem.message, filename=problem.span.file, location=start,
                          end_location=end, related=_reached_through(problem.span, loaded),
                          suppress_rows=(start.row,) if start else ())

    def result(self, files: int) -> LintResult:
        diagnostics = sorted(self.diagnostics.values(), key=lambda d: d.sort_key)
        return LintResult(diagnostics, files, self.notes)


def lint_paths(paths: Iterable[str], files: Optional[list[Path]] = None,
               progress: Optional[Progress] = None,
               config_roots: Optional[dict[str, Path]] = None,
               source_roots: Iterable[Path] = ()) -> LintResult:
    """Lint the configs and model sources under `paths` (or exactly `files`).

    Files found by walking a folder are skipped unread when they cannot matter; a file named
    explicitly is always read (so a syntax error in it is reported). `config_roots` maps a
    package (`mmdet`) to its folder for `mmdet::` bases and type lookups; `source_roots` are
    more folders whose classes configs may name."""
    paths = list(paths)
    named = {Path(p).resolve() for p in paths if Path(p).is_file()}
    todo = list(discover(paths, CONFIG_SUFFIXES)) if files is None else files
    roots = {**(config_roots or {})}
    index = ProjectIndex([*source_roots, *(p.parent for p in roots.values())])
    linter = Linter(ConfigLoader(roots), index)
    configs: list[Path] = []
    sources: list[Path] = []
    for path in todo:
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        explicit = path.resolve() in named
        if path.suffix == ".py" and CLASS_DEF.search(data):
            if b"init_cfg" in data:
                sources.append(path)  # a model source: its init_cfg sites
            continue
        if explicit or any(token in data for token in PREFILTER):
            configs.append(path)
    done = len(todo) - len(configs) - len(sources)

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, len(todo))

    # Configs first; a `_base_/` file only where no config in this run reached it.
    for path in sorted(configs, key=is_base_only):
        if not (is_base_only(path) and path.resolve() in linter.reached):
            linter.lint_config(path, standalone_base=is_base_only(path))
        step()
    for path in sources:
        linter.lint_source(path)
        step()
    result = linter.result(len(todo))
    result.diagnostics = apply_suppressions(result.diagnostics, read_source,
                                            (display_path(p) for p in configs + sources))
    return result


def lint_text(text: str, filename: str = "<stdin>",
              config_roots: Optional[dict[str, Path]] = None,
              source_roots: Iterable[Path] = ()) -> list[Diagnostic]:
    """Lint the text of one config named `filename` (its `_base_` files are read from disk)."""
    roots = dict(config_roots or {})
    loader = ConfigLoader(roots)
    path = Path(filename).resolve()
    loader.override(path, text)
    linter = Linter(loader, ProjectIndex([*source_roots, *(p.parent for p in roots.values())]))
    linter.lint_config(path, standalone_base=is_base_only(path))
    return apply_suppressions(linter.result(1).diagnostics,
                              sources_with(display_path(path), text), [display_path(path)])


def _diagnostic(finding: Finding, value: Node, name: str, where: Optional[str],
                loaded: Optional[LoadedConfig]) -> Diagnostic:
    """A finding on `value` (written in file `name`, at config path `where` if a config)."""
    span = finding.span or value.span
    start, end = span_locations(span)
    inner = format_path(finding.path)
    config_path = None if where is None else \
        where + ("" if not inner or inner.startswith("[") else ".") + inner
    filename = span.file if span else name
    rows = [start.row] if start else []
    rows += [s.row for s in containers_along(value, finding.path) if s.file == filename]
    code = finding.code
    message = finding.message
    if code == "IL004" and finding.path and finding.path[-1] == "_delete_":
        code = "IL202"
        message = ("`_delete_` survives the merge: it only works in a child config over a base "
                   "that has this key; remove it")
    return Diagnostic(code=code, severity=severity_of(code), message=message, path=inner,
                      filename=filename, location=start, end_location=end,
                      config_path=config_path,
                      related=_reached_through(span, loaded) if loaded else (),
                      suppress_rows=tuple(dict.fromkeys(rows)))


def _reached_through(span: Optional[Span], loaded: LoadedConfig) -> tuple[Related, ...]:
    if span is None or span.file == loaded.name:
        return ()
    return (Related(f"reached through {loaded.name}", loaded.name),)


__all__ = ["LintResult", "Linter", "display_path", "lint_paths", "lint_text"]
