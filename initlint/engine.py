"""The checking engine: a config (bases merged) or a model source, every init_cfg in it
checked against the grammar and against the class that receives it. runner.py decides what to
lint, runs this in worker processes, caches and gathers the results."""

from __future__ import annotations

import json
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
from .config.loader import ConfigLoader, ConfigProblem, LoadedConfig
from .config.sites import init_cfg_sites, type_name, type_scope
from .diagnostics import Diagnostic, Location, Related, span_locations
from .grammar.custom import custom_initializers
from .grammar.types import Initializers
from .project.index import ProjectIndex, Resolved
from .project.source import SourceFacts, SourceSite
from .values import Node, Scalar, Span


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
    def lint_config(self, path: Path, standalone_base: bool = False) -> list[Path]:
        """Check one config; the files it read (itself and its bases)."""
        loaded = self.loader.load(path)
        self.reached.update(loaded.files)
        self.notes += [n for n in loaded.notes if n not in self.notes]
        for problem in loaded.problems:
            self._add(self._problem(problem, loaded))
        if not loaded.readable:
            return loaded.files
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
        return loaded.files

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

    def sorted_diagnostics(self) -> list[Diagnostic]:
        return sorted(self.diagnostics.values(), key=lambda d: d.sort_key)


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
