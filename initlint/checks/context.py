"""What the rules of each stage see, computed once per place and shared by every rule there.

The engine walks one init_cfg value as `BaseModule.init_weights()` consumes it (grammar.md §3):
the value (`ValueContext`), each of its dict entries (`EntryContext`: the initializer its
`type` names, built with its arguments as the runtime builds it), what each built initializer
does to the module it reaches (`CallContext`), the entry's `override` (`OverridesContext`) and
each of its items (`OverrideContext`, whose typed form is an `EntryContext` again). Everything
here is lazy: a rule that needs no Pydantic model never makes one build.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Optional

from ..grammar.layers import OVERRIDE_REACH, LayerKnowledge, Reach
from ..values import (
    ClassRef,
    DictValue,
    Entry,
    Node,
    PathPart,
    PyObject,
    Scalar,
    SeqValue,
    Span,
    Unknown,
    truthiness,
)
from .configfacts import (
    ClassCount,
    DatasetRef,
    Head,
    classes_length,
    config_library,
    heads,
    lookup_name,
    split_datasets,
)

if TYPE_CHECKING:
    from ..config.loader import LoadedConfig
    from ..grammar.spec import BuiltInitializer, Initializer
    from ..grammar.types import Initializers, ResolvedType, TypeProblem, TypeResult
    from ..project.classes import ClassView
    from ..project.index import KnownClass, ProjectIndex
    from ..project.source import SourceFacts

Path = tuple[PathPart, ...]


@dataclass(frozen=True)
class ModuleInfo:
    """What the index knows of the class that receives an init_cfg."""

    name: str
    attributes: Optional[frozenset[str]]  # every attribute an instance has; None: not all known
    suggestions: frozenset[str] = frozenset()  # attributes worth suggesting (its own)
    # attribute -> the torch.nn class it is built from, when a constructor call says so
    attribute_layers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PushedPretrained:
    """A `pretrained` that the class building this part hands down to it (a detector's
    `backbone.pretrained = pretrained`), as the runtime sets it before the part is built."""

    entry: Optional[Entry]  # where it is written; None: a None handed down (it clears)
    pusher: str  # the class that hands it on
    part: str  # the key of this part in the pusher's config (`backbone`)
    refuses_own: bool  # the pusher asserts the part has no `pretrained` of its own


@dataclass
class SiteContext:
    """One place an init_cfg is given, and what is known around it."""

    value: Node
    initializers: Initializers
    layers: LayerKnowledge = field(default_factory=LayerKnowledge.torch)
    # Which runtime judges: "mmengine", or "mmcv1" (mmcv.runner.BaseModule, grammar.md §11).
    target: str = "mmengine"
    file: Optional[str] = None  # the config being linted, as shown
    pushed: Optional[PushedPretrained] = None
    # The class a config dict's `type` builds (None: not known), for the parts below `owner`.
    receiver_of: Optional[Callable[[Optional[Node]], Optional[KnownClass]]] = None
    # A dict of a file meant only as a base may still get keys from the configs that use it
    # (not inside a list: see EntryContext.completable).
    partial: bool = False
    module: Optional[ModuleInfo] = None
    # Whether a name is a class somewhere in the indexed project (None: no index to ask).
    is_project_class: Optional[Callable[[str], bool]] = None
    # The class that receives the value, and the dict that holds `init_cfg` (a config's
    # `dict(type=..., init_cfg=...)`); `constructs`: the site builds that class (a config dict,
    # `Foo(init_cfg=...)`), rather than being its own default.
    index: Optional[ProjectIndex] = None
    receiver: Optional[KnownClass] = None
    owner: Optional[DictValue] = None
    constructs: bool = False
    # The receiving `__init__` never reads the value it is given: nothing initialises from it,
    # so only the class stage judges it (IL109).
    dropped: bool = False
    # The packages the model's classes come from (a config's scope, custom_imports and scoped
    # types; a model source's own package), asked for when needed: with `index`, all a
    # `layer` can match (IL102). None: not all of them can be named.
    packages: Callable[[], Optional[tuple[str, ...]]] = lambda: None


@dataclass
class SourceContext:
    """A model source as a whole (its classes, the containers they build), with the index."""

    facts: SourceFacts
    index: ProjectIndex


class ValueContext:
    """The init_cfg value: falsy values are a no-op; a dict is one entry; a sequence is
    iterated (a tuple works for BaseModule, grammar.md §3.2)."""

    def __init__(self, site: SiteContext) -> None:
        self.site = site
        self.value = site.value

    @cached_property
    def items(self) -> Optional[list[tuple[Node, Path]]]:
        """The entries with their paths; None when the value is no dict or sequence (or is
        falsy or unknown: then nothing is checked)."""
        value = self.value
        if isinstance(value, Unknown) or truthiness(value) is not True:
            return None
        if isinstance(value, DictValue):
            return [(value, ())]
        if isinstance(value, SeqValue) and (value.kind == "list" or self.site.target != "mmcv1"):
            return [(item, (i,)) for i, item in enumerate(value.items)]
        return None  # mmcv 1.x's initialize() takes a dict or a list only (IL001)

    @cached_property
    def entries(self) -> list[EntryContext]:
        return [
            EntryContext(self.site, item, path, self.contained)
            for item, path in self.items or ()
            if isinstance(item, DictValue)
        ]

    @cached_property
    def contained(self) -> frozenset[str]:
        """The classes the module holds when it "contains the layers the value names"."""
        names: list[str] = []
        for item, _ in self.items or ():
            if not isinstance(item, DictValue):
                continue
            holders = [item]
            override = item.get("override")
            if isinstance(override, DictValue):
                holders.append(override)
            elif isinstance(override, SeqValue):
                holders += [o for o in override.items if isinstance(o, DictValue)]
            for holder in holders:
                names += [n for n in layer_names(holder.get("layer")) or () if isinstance(n, str)]
        return self.site.layers.contained(names)


class EntryContext:
    """One initializer dict: an entry of the value, or (`override` set) a typed override."""

    def __init__(
        self,
        site: SiteContext,
        node: DictValue,
        path: Path,
        contained: frozenset[str],
        override: Optional[OverrideContext] = None,
    ) -> None:
        self.site = site
        self.node = node
        self.path = path
        self.contained = contained
        self.override = override

    @property
    def in_override(self) -> bool:
        return self.override is not None

    @property
    def completable(self) -> bool:
        """Whether a child config may still add keys to this dict: the site is a base's
        (`partial`) and no list lies between the init_cfg and the dict (a child replaces a
        list, it never merges into its items)."""
        return self.site.partial and not any(isinstance(part, int) for part in self.path)

    @cached_property
    def has_type(self) -> Optional[bool]:
        return self.node.has("type")

    @cached_property
    def type_node(self) -> Optional[Node]:
        return self.node.get("type")

    @cached_property
    def resolved(self) -> TypeResult:
        from ..grammar.types import resolve_type

        return (
            resolve_type(self.type_node, self.site.initializers)
            if self.type_node is not None
            else None
        )

    @cached_property
    def resolved_type(self) -> Optional[ResolvedType]:
        """The initializer `type` names (None: a problem, or not decidable statically)."""
        from ..grammar.types import ResolvedType

        return self.resolved if isinstance(self.resolved, ResolvedType) else None

    @cached_property
    def type_problem(self) -> Optional[TypeProblem]:
        from ..grammar.types import TypeProblem

        return self.resolved if isinstance(self.resolved, TypeProblem) else None

    @cached_property
    def spec(self) -> Optional[Initializer]:
        """What the initializer takes (None: not known, e.g. a foreign scope's)."""
        resolved = self.resolved_type
        return resolved.initializer.spec if resolved is not None else None

    @cached_property
    def base_init(self) -> bool:
        """Whether the initializer is a BaseInit (it takes `layer`, `bias`, `bias_prob`)."""
        spec = self.spec
        return spec is not None and spec.base_init and spec.uses_layer

    @cached_property
    def args(self) -> dict[Any, Entry]:
        """What the initializer is built with: every key but `type` (and, in an entry, its
        `override`; an override's own `override` is an argument, which the runtime rejects)."""
        skip = ("type",) if self.in_override else ("type", "override")
        return {k: e for k, e in self.node.entries.items() if k not in skip}

    @cached_property
    def built(self) -> Built:
        """The initializer as the runtime builds it, and what building it rejects."""
        spec = self.spec
        if spec is None:
            return Built(None, {}, [])
        data: dict[str, Any] = {}
        keys = []
        for key, entry in self.args.items():
            if isinstance(key, str):
                data[key] = to_input(entry.value)
            else:
                keys.append(key)
        instance, errors = spec.build(data)
        return Built(None if keys else instance, errors, keys)

    @property
    def instance(self) -> Optional[BuiltInitializer]:
        return self.built.instance

    @cached_property
    def layer(self) -> Optional[Entry]:
        """The entry's `layer` argument; None in an override, which ignores it (§6)."""
        return None if self.in_override else self.args.get("layer")

    @cached_property
    def call(self) -> Optional[CallContext]:
        """What the built initializer does to the module (None when it is not built)."""
        instance = self.instance
        if instance is None:
            return None
        if self.override is not None:
            return CallContext(
                self.site,
                instance,
                self.args,
                self.path,
                self.override.reach,
                self.override.where,
                self.override.target,
            )
        layer = self.node.get("layer") if "layer" in self.node.entries else None
        names = (
            layer_names(layer)
            if not (self.node.open and "layer" not in self.node.entries)
            else None
        )
        return CallContext(
            self.site, instance, self.args, self.path, self.site.layers.reach(names, self.contained)
        )

    @cached_property
    def overrides(self) -> Optional[OverridesContext]:
        """The entry's `override`, read once the entry has a type (as the runtime does)."""
        override = self.node.get("override")
        if (
            self.in_override
            or self.has_type is False
            or override is None
            or isinstance(override, Unknown)
        ):
            return None
        if isinstance(override, Scalar) and override.value is None:
            return None
        return OverridesContext(self, override, (*self.path, "override"))


@dataclass(frozen=True)
class Built:
    instance: Optional[BuiltInitializer]
    errors: Mapping[str, list[Any]]  # field -> Pydantic errors
    bad_keys: list[Any]  # argument names that are not strings


class CallContext:
    """A built initializer run on the module: `reach` is what it touches. For an override
    (`where` and `target` set) it initialises the whole attribute and ignores `layer`."""

    def __init__(
        self,
        site: SiteContext,
        instance: BuiltInitializer,
        args: Mapping[Any, Entry],
        path: Path,
        reach: Reach,
        where: str = "",
        target: Optional[tuple[Path, Optional[Span]]] = None,
    ) -> None:
        self.site = site
        self.instance = instance
        self.args = args
        self.path = path
        self.reach = reach
        self.where = where
        self.target = target


class OverridesContext:
    """An entry's `override` value: a dict, or a list of dicts (§7)."""

    def __init__(self, entry: EntryContext, value: Node, path: Path) -> None:
        self.entry = entry
        self.value = value
        self.path = path

    @cached_property
    def items(self) -> Optional[list[tuple[Node, Path]]]:
        """The items with their paths; None when `override` is no dict or list."""
        value = self.value
        if isinstance(value, DictValue):
            return [(value, self.path)]
        if isinstance(value, SeqValue) and value.kind == "list":
            return [(item, (*self.path, i)) for i, item in enumerate(value.items)]
        return None

    @cached_property
    def dicts(self) -> list[OverrideContext]:
        return [
            OverrideContext(self.entry, item, path)
            for item, path in self.items or ()
            if isinstance(item, DictValue)
        ]


class OverrideContext:
    """One override dict: `name` plus either nothing (the parent's arguments are re-run on the
    attribute) or a `type` and arguments of its own."""

    def __init__(self, parent: EntryContext, node: DictValue, path: Path) -> None:
        self.parent = parent
        self.site = parent.site
        self.node = node
        self.path = path

    @cached_property
    def name(self) -> Optional[Node]:
        return self.node.get("name")

    @cached_property
    def has_name(self) -> bool:
        name = self.name
        return not (name is None or (isinstance(name, Scalar) and name.value is None))

    @cached_property
    def attribute(self) -> Optional[str]:
        """The attribute it names, when that is a string."""
        name = self.name
        if self.has_name and isinstance(name, Scalar) and isinstance(name.value, str):
            return name.value
        return None

    @cached_property
    def rest(self) -> DictValue:
        return self.node.without("name")

    @property
    def name_only(self) -> bool:
        return not self.rest.entries and not self.rest.open

    @property
    def where(self) -> str:
        shown = self.attribute
        return f" (through override '{shown}')" if shown else " (through an override)"

    @property
    def target(self) -> tuple[Path, Optional[Span]]:
        return (*self.path, "name"), self.name.span if self.name is not None else None

    @cached_property
    def reach(self) -> Reach:
        """What the override touches: the attribute's own class when the index knows it is a
        torch layer, else (as the runtime test assumes) a module with weights."""
        module = self.site.module
        name = self.attribute
        layer = module.attribute_layers.get(name) if module and name else None
        info = self.site.layers.get(layer) if layer else None
        if info is None or not info.buildable:
            return OVERRIDE_REACH
        return Reach(
            True,
            bool(info.weight),
            bool(info.bias),
            bool(info.weight and info.weight_dims is not None and info.weight_dims < 2),
            (info.name,),
        )

    @cached_property
    def typed(self) -> Optional[EntryContext]:
        """The override as an initializer of its own, once it names an attribute and a type."""
        if not self.has_name or self.name_only or self.rest.has("type") is not True:
            return None
        return EntryContext(self.site, self.rest, self.path, self.parent.contained, self)

    @cached_property
    def inherited(self) -> Optional[CallContext]:
        """A name-only override runs the parent's initializer (minus `layer`) on the attribute,
        so the parent's call-time rules now apply to a module with weights."""
        parent = self.parent.instance
        if not self.has_name or not self.name_only or parent is None:
            return None
        args = {k: e for k, e in self.parent.args.items() if k != "layer"}
        return CallContext(
            self.site, parent, args, self.parent.path, self.reach, self.where, self.target
        )


def layer_names(layer: Optional[Node]) -> Optional[list[object]]:
    """The names a `layer` value lists; None if unknown. Non-str items are kept (never match)."""
    if layer is None:
        return []
    if isinstance(layer, Scalar):
        if layer.value is None:
            return []
        return [layer.value] if isinstance(layer.value, str) else []
    if isinstance(layer, SeqValue):
        names: list[object] = []
        for item in layer.items:
            if isinstance(item, Unknown):
                return None
            names.append(item.value if isinstance(item, Scalar) else item)
        return names
    if isinstance(layer, Unknown):
        return None
    return []


def to_input(node: Node) -> Any:
    """A node as the value Pydantic validates: Unknown stays a (valid-anywhere) Unknown."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, DictValue):
        return {k: to_input(e.value) for k, e in node.entries.items()}
    if isinstance(node, SeqValue):
        items = [to_input(i) for i in node.items]
        return items if node.kind == "list" else tuple(items)
    if isinstance(node, PyObject):
        return node.obj
    return node  # Unknown and ClassRef


def describe(node: Node) -> str:
    if isinstance(node, Scalar):
        return f"{type(node.value).__name__} {node.value!r}"
    if isinstance(node, SeqValue):
        return node.kind
    if isinstance(node, DictValue):
        return "dict"
    if isinstance(node, ClassRef):
        return f"class {node.qualname}"
    return type(node).__name__


class ConfigContext:
    """A whole merged config, for the rules that judge how it trains: its library, its
    datasets and their classes, its heads. `partial`: a file meant only as a base, which the
    configs using it complete (the rules that need the whole config stay silent on it)."""

    def __init__(
        self,
        loaded: LoadedConfig,
        classes: ClassView,
        *,
        partial: bool = False,
        bases: Sequence[LoadedConfig] = (),
        target: str = "mmengine",
    ) -> None:
        self.loaded = loaded
        self.target = target  # "mmengine" or "mmcv1": the runtime that judges
        self.keys = loaded.keys
        self.name = loaded.name
        self.classes = classes
        self.partial = partial
        self.bases = bases  # the loaded base files, for what their own merges did (IL207)
        self.library = config_library(loaded.keys, loaded.name)
        self.notes: list[str] = []  # what could not be seen, for --verbose

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    @cached_property
    def model(self) -> Optional[DictValue]:
        model = self.keys.get("model")
        return model if isinstance(model, DictValue) else None

    @cached_property
    def scope(self) -> Optional[str]:
        """The registry scope the model and datasets are built in."""
        return self.loaded.default_scope or self.library

    @cached_property
    def datasets(self) -> list[DatasetRef]:
        return split_datasets(self.keys, self.scope)

    @cached_property
    def heads(self) -> list[Head]:
        if self.library is None and self.model is not None:
            self.note(
                f"{self.name}: its library is unknown (no `default_scope`): the heads "
                "and datasets are not compared (IL301, IL302, IL306)"
            )
        return heads(self.model, self.library)

    def in_file(self, span: Optional[Span]) -> bool:
        """Whether a span is in the config being linted (not in one of its bases)."""
        return span is not None and span.file == self.name

    def pick(self, *spans: Optional[Span]) -> Optional[Span]:
        """Where to report something several places explain: the first of them in the linted
        config (what its author edits), else the first known."""
        known = [s for s in spans if s is not None]
        return next((s for s in known if self.in_file(s)), known[0] if known else None)

    # -- dataset classes ---------------------------------------------------------------------
    def dataset_class(self, ref: DatasetRef) -> Optional[KnownClass]:
        """The class a dataset dict builds, when the index can see it."""
        type_node = ref.node.get("type")
        if isinstance(type_node, ClassRef):
            return self.classes.resolve(type_node.qualname) if type_node.module else None
        looked_up = lookup_name(type_node, ref.scope)
        if looked_up is None:
            return None
        name, package = looked_up
        found = self.classes.registered(name, package)
        if len(found) != 1:
            self.note(
                f"dataset type '{package}.{name}' is not found ({package} is not "
                "installed, or give its folder with --config-root): its classes are "
                "unknown"
            )
            return None
        return found[0]

    def dataset_metainfo(self, ref: DatasetRef) -> Optional[DictValue]:
        """The dataset class's own METAINFO, when it can be read statically."""
        cls = self.dataset_class(ref)
        if cls is None:
            return None
        meta = self._metainfo(cls)
        if meta is None:
            return None
        return meta

    def _metainfo(self, cls: KnownClass) -> Optional[DictValue]:
        key = cls.qualname
        if key not in self._metainfos:
            value = self.classes.class_constant(cls, "METAINFO")
            if isinstance(value, Unknown):
                self.note(
                    f"{cls.name}'s METAINFO cannot be read statically ({value.reason}): "
                    "its classes are unknown"
                )
            self._metainfos[key] = (
                value if isinstance(value, DictValue) and not value.open else None
            )
        return self._metainfos[key]

    @cached_property
    def _metainfos(self) -> dict[str, Optional[DictValue]]:
        return {}

    def class_count(self, ref: DatasetRef) -> Optional[ClassCount]:
        """How many classes the dataset reports: its metainfo's `classes` (`thing_classes` for
        the instance heads of a panoptic dataset), an mmpretrain `classes=` list, or else the
        dataset class's own METAINFO."""
        written = ref.node.get("metainfo")
        if isinstance(written, Scalar) and written.value is None:
            written = None
        if written is not None and not isinstance(written, DictValue):
            return None  # a metainfo file, or not known
        for key in ("thing_classes", "classes"):
            if written is not None and key in written.entries:
                classes = written.get(key)
                length = classes_length(classes)
                return (
                    ClassCount(length, classes.span if classes else None, "its metainfo")
                    if length is not None
                    else None
                )
        if written is not None and written.open:
            return None
        argument = ref.node.get("classes")
        if self.library == "mmpretrain" and argument is not None:
            length = classes_length(argument)
            return (
                ClassCount(length, argument.span, "its `classes`") if length is not None else None
            )
        meta = self.dataset_metainfo(ref)
        if meta is None:
            return None
        cls = self.dataset_class(ref)
        name = cls.name if cls is not None else "the dataset"
        for key in ("thing_classes", "classes"):
            length = classes_length(meta.get(key))
            if length is not None:
                return ClassCount(length, None, f"{name}'s own METAINFO")
        return None

    def reduces_zero_label(self, ref: DatasetRef) -> Optional[bool]:
        """Whether an MMSegmentation dataset maps label 0 to 255 and the rest one down (its
        `reduce_zero_label`, else its class's default); None when that cannot be seen."""
        written = ref.node.get("reduce_zero_label")
        if written is None:
            cls = self.dataset_class(ref)
            signature = self.classes.signature(cls) if cls is not None else None
            written = signature.defaults.get("reduce_zero_label") if signature else None
            if (
                written is None
                and signature is not None
                and signature.closed
                and "reduce_zero_label" not in signature.names
            ):
                return False
        return truthiness(written) if written is not None else None

    @cached_property
    def counts(self) -> list[tuple[DatasetRef, ClassCount]]:
        """Each dataset with a known number of classes."""
        found = []
        for ref in self.datasets:
            count = self.class_count(ref)
            if count is not None:
                found.append((ref, count))
        return found
