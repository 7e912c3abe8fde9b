"""The checking engine: a config (bases merged) or a model source, every init_cfg in it walked
once, every rule called at its stage, and every finding turned into a `Diagnostic` with the
place that wrote it. runner.py decides what to lint, runs this in worker processes, caches and
gathers the results; `validate_init_cfg` runs `check_site` on a plain value."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Optional

from .catalog import rules
from .checks.base import HOOKS, Rule, implements
from .checks.checkpoints import UnknownCheckpoint
from .checks.configs import MmengineOnlyConfig
from .checks.context import (
    ConfigContext,
    EntryContext,
    ModuleInfo,
    PushedPretrained,
    SiteContext,
    SourceContext,
    ValueContext,
)
from .checks.receivers import PretrainedConflict
from .config.loader import ConfigLoader, LoadedConfig
from .config.sites import Step, init_cfg_sites, pretrained_sites, type_name, type_scope
from .diagnostics import Diagnostic, dedupe, to_diagnostic
from .findings import Finding, UnresolvedBase
from .grammar.custom import custom_initializers
from .grammar.layers import LayerKnowledge
from .grammar.types import Initializers
from .project.classes import ClassView
from .project.index import External, KnownClass, ProjectIndex, module_attributes
from .project.source import ClassFacts, SourceFacts, SourceSite
from .read import read_text
from .target import Target
from .values import DictValue, Node, Scalar, SeqValue, Unknown, containers_along, truthiness


@lru_cache(maxsize=1)
def _hooked() -> dict[str, tuple[Rule, ...]]:
    """The rules of each stage's method, in code order."""
    return {hook: tuple(r for r in rules().values() if implements(type(r), hook)) for hook in HOOKS}


def check_site(site: SiteContext, calls: bool = True) -> list[Finding]:
    """Every rule's findings on one init_cfg value, walked as `BaseModule.init_weights()`
    consumes it: the value, its entries, what each built entry does, then its overrides (read
    only once the entry has a type) and their typed or inherited runs. `calls=False` leaves out
    what the runtime checks only once an initializer touches a module: the verdict of building
    the value (what the JSON Schema can say)."""
    hooked = _hooked()
    found: list[Finding] = []
    if site.dropped:  # the runtime never reads the value: its grammar does not matter
        for rule in hooked["check_receiver"]:
            found += rule.check_receiver(site)
        return found
    value = ValueContext(site)
    for rule in hooked["check_value"]:
        found += rule.check_value(value)
    for entry in value.entries:
        found += _entry_findings(entry, hooked, calls)
        overrides = entry.overrides
        if overrides is None:
            continue
        for rule in hooked["check_overrides"]:
            found += rule.check_overrides(overrides)
        for override in overrides.dicts:
            for rule in hooked["check_override"]:
                found += rule.check_override(override)
            if override.typed is not None:
                found += _entry_findings(override.typed, hooked, calls)
            elif override.inherited is not None and calls:
                for rule in hooked["check_call"]:
                    found += rule.check_call(override.inherited)
    if site.receiver is not None and site.constructs:
        for rule in hooked["check_receiver"]:
            found += rule.check_receiver(site)
    return found


def _entry_findings(
    entry: EntryContext, hooked: dict[str, tuple[Rule, ...]], calls: bool
) -> Iterator[Finding]:
    for rule in hooked["check_entry"]:
        yield from rule.check_entry(entry)
    call = entry.call if calls else None
    if call is not None:
        for rule in hooked["check_call"]:
            yield from rule.check_call(call)


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


def named_packages(keys: DictValue) -> Optional[tuple[str, ...]]:
    """The packages a config names, where its model's classes come from: its `default_scope`,
    its `custom_imports` and every scoped `type` or `_scope_` (`'mmdet.RetinaNet'`, a lazy
    config's imported class); None when one cannot be seen (an unknown `type`), or none is
    named (the classes come from whatever the training script imported)."""
    found: set[str] = set()
    scope = keys.get("default_scope")
    if scope is not None:
        if not (isinstance(scope, Scalar) and isinstance(scope.value, (str, type(None)))):
            return None
        if scope.value:
            found.add(scope.value.split(".")[0])
    imports = keys.get("custom_imports")
    if imports is not None:
        names = imports.get("imports") if isinstance(imports, DictValue) else None
        items = names.items if isinstance(names, SeqValue) else [names]
        if any(not (isinstance(i, Scalar) and isinstance(i.value, str)) for i in items):
            return None
        found.update(str(i.value).split(".")[0] for i in items if isinstance(i, Scalar))
    stack: list[Node] = [keys]
    while stack:
        node = stack.pop()
        if isinstance(node, DictValue):
            for key in ("type", "_scope_"):
                entry = node.entries.get(key)
                if entry is None:
                    continue
                if isinstance(entry.value, Unknown):
                    return None
                named = (
                    type_scope(entry.value)
                    if key == "type"
                    else entry.value.value
                    if isinstance(entry.value, Scalar)
                    else None
                )
                if isinstance(named, str) and named:
                    found.add(named.split(".")[0])
            stack += [e.value for e in node.entries.values()]
        elif isinstance(node, SeqValue):
            stack += node.items
    return tuple(sorted(found)) or None


def module_info(index: ProjectIndex, cls: KnownClass) -> ModuleInfo:
    attributes, complete = index.attributes(cls)
    own = {a for a in attributes - module_attributes() if not a.startswith("_")}
    layers: dict[str, str] = {}
    for current in index.lineage(cls).classes:
        if isinstance(current, ClassFacts):
            for attribute in current.attribute_types:
                target = index.attribute_class(cls, attribute)
                if isinstance(target, External) and target.is_torch:
                    layers.setdefault(attribute, target.name)
    return ModuleInfo(cls.name, frozenset(attributes) if complete else None, frozenset(own), layers)


def release_package(path: Path) -> Optional[str]:
    """The package a released config belongs to (`mmseg/.mim/configs/...` -> mmseg)."""
    parts = path.parts
    if ".mim" in parts[1:]:
        return parts[parts.index(".mim") - 1]
    return None


@dataclass
class Outcome:
    """What linting one unit found: its diagnostics, the config files it read, notes for -v."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    looked_for: list[Path] = field(default_factory=list)  # found or not (a missing base)
    facts: list[str] = field(default_factory=list)  # project-wide facts it depends on
    unresolved: list[UnresolvedBase] = field(default_factory=list)  # bases it could not follow


class Engine:
    """Lints configs and model sources with one loader and one index: shared base files are
    read once, and a problem in one is reported once, naming the first config that reached it."""

    def __init__(
        self,
        loader: Optional[ConfigLoader] = None,
        index: Optional[ProjectIndex] = None,
        classes: Optional[ClassView] = None,
    ) -> None:
        self.loader = loader or ConfigLoader()
        self.index = index or ProjectIndex()
        self._initializers: dict[str, tuple[int, Initializers]] = {}
        self._home: Optional[str] = None  # the package whose release ships the config
        # `classes`: another engine's, on the same index (a config edit changes no class).
        self._classes: Optional[ClassView] = classes
        self._texts: dict[str, Optional[str]] = {}

    @property
    def classes(self) -> ClassView:
        """Class lookups for the config stage (datasets' METAINFO, signatures)."""
        if self._classes is None:
            self._classes = ClassView(self.index, self.loader.config_roots)
        return self._classes

    def text_of(self, name: str) -> Optional[str]:
        """The text of a file as diagnostics name it (for the edits of a fix): what the
        loader read it as, an editor buffer or standard input included."""
        if name not in self._texts:
            path = Path(name)
            text = self.loader.overridden(path)
            if text is None:
                read = read_text(path, name)
                text = read if isinstance(read, str) else None
            self._texts[name] = text
        return self._texts[name]

    def initializers(self, target: Target = "mmengine") -> Initializers:
        """The built-in initializers plus those the indexed packages register, as `target`'s
        registry resolves and builds them."""
        known = self._initializers.get(target)
        if known is None or known[0] != self.index.generation:
            known = (
                self.index.generation,
                Initializers.for_target(target, custom_initializers(self.index)),
            )
            self._initializers[target] = known
        return known[1]

    def site(
        self,
        value: Node,
        receiver: Optional[KnownClass],
        owner_type: Optional[Node],
        scope: Optional[str],
        *,
        partial: bool = False,
        owner: Optional[Node] = None,
        constructs: bool = True,
        default: bool = False,
        packages: Callable[[], Optional[tuple[str, ...]]] = lambda: None,
        target: Target = "mmengine",
        file: Optional[str] = None,
        pushed: Optional[PushedPretrained] = None,
    ) -> Optional[SiteContext]:
        """The context of an init_cfg site; None when the receiving class reads init_cfg its
        own way (PVT, Swin, the GAN generators): the generic grammar does not apply there.
        `default`: the value is the `init_cfg` default of the receiver's own `__init__`."""
        dropped = self._drops(receiver, default) if default or constructs else False
        name = receiver.name if receiver is not None else type_name(owner_type)
        if not dropped and (
            reads_own_init_cfg(owner_type, scope)
            or (receiver is not None and reads_own_init_cfg(Scalar(None, name), scope))
        ):
            return None  # surveyed: e.g. it reads init_cfg in __init__, not init_weights
        if not dropped and receiver is not None and self.index.reads_own_init_cfg(receiver):
            return None
        return SiteContext(
            value,
            self.initializers(target),
            LayerKnowledge.for_target(target),
            target=target,
            file=file,
            pushed=pushed,
            receiver_of=lambda node: self._config_receiver(node, scope),
            partial=partial,
            module=module_info(self.index, receiver) if receiver is not None else None,
            is_project_class=self.index.has_class,
            index=self.index,
            receiver=receiver,
            owner=owner if isinstance(owner, DictValue) else None,
            constructs=constructs,
            dropped=dropped,
            packages=packages,
        )

    def _drops(self, receiver: Optional[KnownClass], default: bool) -> bool:
        """Whether the `__init__` that gets the value never reads it (a default belongs to
        the class's own `__init__`; a built class runs the first one of its lineage)."""
        if not isinstance(receiver, ClassFacts):
            return False
        params = receiver.init if default else self.index.init_params(receiver)
        return params is not None and params.drops_init_cfg

    def _config_receiver(
        self, type_node: Optional[Node], scope: Optional[str]
    ) -> Optional[KnownClass]:
        name = type_name(type_node)
        if not name:
            return None
        scope = type_scope(type_node) or scope
        if scope:
            self.index.add_package(scope)
        found = self.index.registered(name, scope)
        if len(found) > 1 and not scope and self._home:
            # 1.x configs name no scope: a release's own registry (its parent's after it)
            # builds the configs it ships, so its own class of the name is the one.
            found = [c for c in found if c.module.split(".")[0] == self._home]
        return found[0] if len(found) == 1 else None

    # -- configs -------------------------------------------------------------------------------
    def lint_config(
        self, path: Path, standalone_base: bool = False, target: Target = "mmengine"
    ) -> Outcome:
        """Check one config; `standalone_base`: a file meant only as a base, whose dicts may
        get missing keys from the configs that use it; `target`: the runtime that judges."""
        loaded = self.loader.load(path)
        self._home = release_package(loaded.path)
        outcome = Outcome(
            files=list(loaded.files),
            notes=list(dict.fromkeys(loaded.notes)),
            looked_for=list(loaded.looked_for),
            facts=[f"package:{p}" for p in loaded.packages]
            + [f"listing:{f}" for f in loaded.listings],
            unresolved=list(loaded.unresolved),
        )
        diagnostics = [
            to_diagnostic(p, filename=loaded.name, through=loaded.name, text_of=self.text_of)
            for p in loaded.problems
        ]
        if target == "mmcv1":
            diagnostics += [
                to_diagnostic(
                    MmengineOnlyConfig.at(span, what),
                    filename=loaded.name,
                    through=loaded.name,
                    text_of=self.text_of,
                )
                for span, what in self.loader.mmengine_only(loaded)
            ]
        if loaded.readable:
            diagnostics += self._config_sites(loaded, standalone_base, target)
            diagnostics += self._pretrained_strings(loaded, target)
            context = ConfigContext(loaded, self.classes, partial=standalone_base, target=target)
            diagnostics += self._config_rules(context)
            outcome.notes += [n for n in context.notes if n not in outcome.notes]
        outcome.diagnostics = dedupe(diagnostics)
        return outcome

    def _pretrained_strings(self, loaded: LoadedConfig, target: Target) -> Iterator[Diagnostic]:
        """Every `pretrained='...'` of the config, judged as the checkpoint a backbone loads
        (directly, or handed down by its detector or segmentor), and one a part may not have
        beside the one handed down to it (mmseg's segmentors assert so)."""
        scope = loaded.default_scope
        seen: set[int] = set()
        for node, steps in pretrained_sites(loaded.keys):
            entry = node.entries["pretrained"]
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(entry.value, Scalar):
                finding = UnknownCheckpoint.pretrained(entry.value, target)
                if finding is not None:
                    yield to_diagnostic(
                        finding, filename=loaded.name, through=loaded.name, text_of=self.text_of
                    )
            pushed = self._pushed(steps, scope, node) if steps else None
            refused = PretrainedConflict.refused(entry, pushed) if pushed is not None else None
            if refused is not None:
                yield to_diagnostic(
                    refused, filename=loaded.name, through=loaded.name, text_of=self.text_of
                )

    def _pushed(
        self, steps: tuple[Step, ...], scope: Optional[str], owner: DictValue
    ) -> Optional[PushedPretrained]:
        """The `pretrained` the classes above a part hand down to it, as their `__init__`s
        set it on the part's config before building it (`backbone.pretrained = pretrained`):
        None when nothing is handed down."""
        if "pretrained" not in owner.entries and not any(
            "pretrained" in parent.entries for parent, _ in steps
        ):
            return None  # nothing to hand down, nor one's own to clear
        incoming: Optional[PushedPretrained] = None
        for parent, key in steps:
            if key is None:  # through a list: nothing is handed down along it
                incoming = None
                continue
            own = parent.entries.get("pretrained")
            has = incoming.entry if incoming is not None else own
            receiver = self._config_receiver(parent.get("type"), scope)
            pushes = self.index.pretrained_pushes(receiver) if receiver is not None else {}
            if key not in pushes:
                incoming = None
                continue
            guarded, refuses = pushes[key]
            value = has.value if has is not None else None
            truthy = truthiness(value) if value is not None else False
            if truthy is True:
                incoming = PushedPretrained(has, receiver.name if receiver else "", key, refuses)
            elif truthy is False and not guarded:
                incoming = PushedPretrained(None, receiver.name if receiver else "", key, refuses)
            else:
                incoming = None  # not handed down, or not known to be
        return incoming

    def _config_rules(self, context: ConfigContext) -> Iterator[Diagnostic]:
        """The rules that judge the whole merged config; a finding's `path` is where in the
        config it is (`model.roi_head.bbox_head[0].num_classes`)."""
        loaded = context.loaded
        for rule in _hooked()["check_config"]:
            for finding in rule.check_config(context):
                diagnostic = to_diagnostic(
                    finding, filename=loaded.name, through=loaded.name, text_of=self.text_of
                )
                # An ignore comment works on its row or on the first row of the dict it is in.
                inner = [
                    s.row
                    for s in containers_along(loaded.keys, finding.path)
                    if s.file == diagnostic.filename
                ][-1:]
                yield replace(
                    diagnostic,
                    path="",
                    config_path=diagnostic.path or None,
                    suppress_rows=tuple(dict.fromkeys((*diagnostic.suppress_rows, *inner))),
                )

    def _config_sites(
        self, loaded: LoadedConfig, partial: bool, target: Target = "mmengine"
    ) -> Iterator[Diagnostic]:
        scope = loaded.default_scope
        packages = lru_cache(maxsize=1)(lambda: named_packages(loaded.keys))  # when IL102 asks
        checked: set[int] = set()
        for found in init_cfg_sites(loaded.keys):
            # One value reached by several paths (`detector = model.detector`) is one check.
            if id(found.value) in checked:
                continue
            checked.add(id(found.value))
            receiver = self._config_receiver(found.owner_type, scope)
            # A child never merges into a list's items: a base's value inside one is final.
            site = self.site(
                found.value,
                receiver,
                found.owner_type,
                scope,
                partial=partial and not found.in_list,
                owner=found.owner,
                packages=packages,
                target=target,
                file=loaded.name,
                pushed=self._pushed(found.steps, scope, found.owner)
                if found.owner is not None
                else None,
            )
            if site is None:
                continue
            holder = found.owner if found.owner is not None else loaded.keys
            entry = holder.entries.get("init_cfg")
            key_span = entry.key_span if entry is not None and entry.value is found.value else None
            for finding in check_site(site):
                yield to_diagnostic(
                    finding,
                    value=found.value,
                    config_path=found.config_path,
                    filename=loaded.name,
                    through=loaded.name,
                    key_span=key_span,
                    text_of=self.text_of,
                )

    # -- model sources -------------------------------------------------------------------------
    def lint_source(self, path: Path, target: Target = "mmengine") -> Outcome:
        module = self.index.add_file(path)
        facts = self.index.module(module)
        outcome = Outcome(files=[path])
        if facts is None:
            problem = self.index.problem(path)
            if problem is not None:
                outcome.diagnostics = [to_diagnostic(problem)]
            return outcome
        diagnostics: list[Diagnostic] = []
        for source_site in facts.sites:
            receiver = self._source_receiver(facts, source_site)
            site = self.site(
                source_site.value,
                receiver,
                source_site.receiver.type_value,
                module.split(".")[0],
                constructs=source_site.receiver.kind != "class",
                default=source_site.default,
                packages=lambda: (module.split(".")[0],),
                target=target,
            )
            if site is None:
                continue
            diagnostics += [
                to_diagnostic(f, value=source_site.value, filename=facts.file, text_of=self.text_of)
                for f in check_site(site)
            ]
        context = SourceContext(facts, self.index)
        for rule in _hooked()["check_source"]:
            diagnostics += [
                to_diagnostic(f, filename=facts.file, text_of=self.text_of)
                for f in rule.check_source(context)
            ]
        outcome.diagnostics = dedupe(diagnostics)
        return outcome

    def _source_receiver(self, facts: SourceFacts, site: SourceSite) -> Optional[KnownClass]:
        receiver = site.receiver
        if receiver.kind == "class":
            return facts.classes.get(receiver.name)
        if receiver.kind == "call":
            return self.index.resolve_in(facts, receiver.name)
        return self._config_receiver(receiver.type_value, facts.module.split(".")[0])
