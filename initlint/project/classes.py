"""Classes as the config-stage rules need them: a registry name to its class, the method
resolution order (C3, as Python computes it), class-level constants such as a dataset's
`METAINFO` (module constants and imports followed), and the `__init__` signature a config dict
meets (defaults gathered along the MRO while `**kwargs` passes them on).

It reads the project index, and a second index of its own for the packages a class's bases come
from that the project index does not hold (mmengine's `BaseDataset`, mmdet's `CocoDataset` under
an mmyolo dataset). That second index grows as bases are met, and only these lookups use it, so
what the other rules see never depends on them. Nothing is imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

from ..cache import Dependencies
from ..config.evaluator import Namespace
from ..values import Node, Unknown
from .index import External, KnownClass, ProjectIndex
from .locate import package_folder
from .source import ClassFacts, SourceFacts

# A base the indexes cannot see, by its dotted name as imported.
Opaque = str
MroItem = Union[KnownClass, Opaque]
# Packages whose classes never derive from an OpenMMLab library's: an unseen base from them
# cannot reorder a library class found before it in the MRO.
FOUNDATIONS = ("mmengine", "mmcv", "torch", "numpy", "abc", "typing", "collections", "object")
MAX_DEPTH = 40


@dataclass(frozen=True)
class Signature:
    """The keywords a class's construction accepts, along its `__init__`s."""

    names: frozenset[str]
    defaults: Mapping[str, Node] = field(default_factory=dict)
    # Every `__init__` on the way is known and the last takes no `**kwargs`: any other
    # keyword raises TypeError.
    closed: bool = False


class ClassView:
    def __init__(
        self, index: ProjectIndex, config_roots: Optional[Mapping[str, Path]] = None
    ) -> None:
        self.index = index
        self.roots = dict(config_roots or {})
        self.extra = ProjectIndex()
        self._mro: dict[str, Optional[list[MroItem]]] = {}
        # What computing a class's MRO read (it and its bases): told to the recorder again
        # whenever the memoised MRO is used, so that every lint unit depends on it.
        self._reads: dict[str, tuple[set[Path], set[str]]] = {}
        self._constants: dict[tuple[str, str], tuple[Optional[Node], Dependencies]] = {}
        self._owners: dict[str, ProjectIndex] = {}  # qualname -> the index that found it

    # -- finding classes -----------------------------------------------------------------------
    def _owner(self, cls: ClassFacts) -> ProjectIndex:
        known = self._owners.get(cls.qualname)
        if known is not None:
            return known
        return self.index if self.index.has_module(cls.module) else self.extra

    def _found(self, index: ProjectIndex, cls: Optional[KnownClass]) -> Optional[KnownClass]:
        if isinstance(cls, ClassFacts):
            self._owners.setdefault(cls.qualname, index)
        return cls

    def _add(self, package: str) -> None:
        """Index the package a dotted name lives in (OpenMMLab packages only: a base from
        torch or numpy is never worth walking torch's thousands of files)."""
        top = package.split(".")[0]
        if not top.isidentifier() or not (top in self.roots or top.startswith("mm")):
            return
        folder = self.roots.get(top)
        if folder is not None:
            self.extra.add_root(
                folder.parent if folder.name == top else folder, top if folder.name == top else None
            )
        elif package_folder(top) is not None:
            self.extra.add_package(top)

    def resolve(self, dotted: str) -> Optional[KnownClass]:
        """A class by its dotted name, in the project index or else in the packages it needs."""
        with self.extra.recording(self.index.recorder):
            found = self._found(self.index, self.index.resolve(dotted))
            if found is None:
                self._add(dotted)
                found = self._found(self.extra, self.extra.resolve(dotted))
            return found

    def registered(self, name: str, scope: str) -> list[ClassFacts]:
        """The classes registered as `name` in package `scope`."""
        with self.extra.recording(self.index.recorder):
            found = self.index.registered(name, scope) if self._has(self.index, scope) else []
            index = self.index
            if not found:
                self._add(scope)
                index, found = self.extra, self.extra.registered(name, scope)
            for cls in found:
                self._found(index, cls)
            return found

    @staticmethod
    def _has(index: ProjectIndex, package: str) -> bool:
        return any(root.name == package or (root / package).is_dir() for root in index.roots)

    def module(self, cls: ClassFacts) -> Optional[SourceFacts]:
        with self.extra.recording(self.index.recorder):
            return self._owner(cls).module(cls.module)

    # -- the MRO -------------------------------------------------------------------------------
    def _bases(self, cls: ClassFacts) -> list[MroItem]:
        facts = self.module(cls)
        bases: list[MroItem] = []
        for written in cls.bases:
            if written in ("object", "ABCMeta", "metaclass", "Generic"):
                continue
            resolved = None
            target = written
            if facts is not None:
                owner = self._owner(cls)
                resolved = self._found(owner, owner.resolve_in(facts, written))
                head, _, rest = written.partition(".")
                if head in facts.imports:
                    target = facts.imports[head] + ("." + rest if rest else "")
                elif head in facts.classes or head in facts.aliases:
                    target = f"{facts.module}.{written}"
            if resolved is None and target != written:
                resolved = self.resolve(target)
            bases.append(resolved if resolved is not None else target)
        return bases

    def mro(self, cls: KnownClass) -> Optional[list[MroItem]]:
        """The class's method resolution order; unseen bases stay in it as their dotted names.
        None when it cannot be computed (too deep, or an order Python itself would refuse)."""
        order = self._linearize(cls, 0)
        files, facts = self._reads.get(cls.qualname, (set(), set()))
        for path in files:
            self.index.recorder.file(path)
        for key in facts:
            self.index.recorder.fact(key)
        return order

    def _linearize(self, cls: MroItem, depth: int) -> Optional[list[MroItem]]:
        if not isinstance(cls, ClassFacts):
            return [cls]
        key = cls.qualname
        if key in self._mro:
            return self._mro[key]
        if depth > MAX_DEPTH:
            return None
        self._mro[key] = None  # a class among its own bases: no order
        read = Dependencies()
        with self.index.recording(read):
            bases = self._bases(cls)
        lists = [self._linearize(b, depth + 1) for b in bases]
        for base in bases:
            files, facts = self._reads.get(_key(base), (set(), set()))
            read.files |= files
            read.facts |= facts
        self._reads[key] = (read.files, read.facts)
        merged = (
            None
            if any(item is None for item in lists)
            else _c3([cls], [list(item) for item in lists if item is not None] + [list(bases)])
        )
        self._mro[key] = merged
        return merged

    # -- what classes define -----------------------------------------------------------------
    def class_constant(self, cls: KnownClass, name: str) -> Optional[Node]:
        """The class-level value `name` has on `cls` (the first class of its MRO assigning
        it), module constants and imports followed. Unknown when it cannot be seen: a base
        the indexes do not hold comes first, or the value is computed."""
        key = (cls.qualname, name)
        if key not in self._constants:  # worked out once (METAINFO: 80 to 1,230 classes)
            read = Dependencies()
            with self.index.recording(read):
                value = self._class_constant(cls, name)
            self._constants[key] = (value, read)
        value, read = self._constants[key]
        for path in read.files:
            self.index.recorder.file(path)
        for fact in read.facts:
            self.index.recorder.fact(fact)
        return value

    def _class_constant(self, cls: KnownClass, name: str) -> Optional[Node]:
        order = self.mro(cls)
        if order is None:
            return Unknown(None, f"the bases of {cls.name} cannot be ordered")
        for position, current in enumerate(order):
            if not isinstance(current, ClassFacts):
                return Unknown(None, f"{_shown(current)}, a base of {cls.name}, is not indexed")
            if name not in current.class_values:
                continue
            unseen = [
                o
                for o in order[position + 1 :]
                if not isinstance(o, ClassFacts) and _shown(o).split(".")[0] not in FOUNDATIONS
            ]
            if unseen:  # it might have `current` among its bases, coming before it
                return Unknown(None, f"{_shown(unseen[0])}, a base of {cls.name}, is not indexed")
            facts = self.module(current)
            if facts is None:
                return Unknown(None, f"{current.qualname} cannot be read")
            return current.class_value(name, _ModuleNamespace(self, facts))
        return None

    def signature(self, cls: KnownClass) -> Optional[Signature]:
        """The keywords `cls(...)` accepts, and their defaults: its `__init__`, then the next
        one in the MRO while each passes `**kwargs` on. None when the first is not known."""
        order = self.mro(cls)
        if order is None:
            return None
        names: set[str] = set()
        defaults: dict[str, Node] = {}
        for current in order:
            if isinstance(current, External):
                if current.name == "BaseModule":
                    names.add("init_cfg")
                    return Signature(frozenset(names), defaults, closed=True)
                if current.qualname == "torch.nn.Module":
                    return Signature(frozenset(names), defaults, closed=True)
                return Signature(frozenset(names), defaults) if names else None
            if not isinstance(current, ClassFacts):
                return Signature(frozenset(names), defaults) if names else None
            init = current.init
            if init is None:
                continue
            names.update(init.names)
            for key, value in init.defaults.items():
                defaults.setdefault(key, value)
            if not init.var_kwargs:
                return Signature(frozenset(names), defaults, closed=True)
        return Signature(frozenset(names), defaults, closed=True)

    def deprecates_pretrained(self, cls: KnownClass) -> Optional[bool]:
        """Whether the `__init__` that receives `pretrained` warns it is deprecated."""
        order = self.mro(cls)
        for current in order or ():
            if not isinstance(current, ClassFacts):
                return None
            init = current.init
            if init is not None and ("pretrained" in init.names or not init.var_kwargs):
                return init.deprecates_pretrained
        return None


class _ModuleNamespace(Namespace):
    """A module's names for evaluating one of its expressions: its constants, and what it
    imports looked up in the module it comes from."""

    def __init__(self, view: ClassView, facts: SourceFacts, depth: int = 0) -> None:
        super().__init__()
        self.values.update(facts.namespace.values)
        self.view = view
        self.facts = facts
        self.depth = depth

    def get(self, name: str) -> Optional[Node]:
        value = self.values.get(name)
        if value is not None and not isinstance(value, Unknown):
            return value
        target = self.facts.imports.get(name)
        if target is not None and self.depth < 8:
            found = self.view_constant(target)
            if found is not None:
                return found
        return value

    def view_constant(self, dotted: str) -> Optional[Node]:
        """A module-level constant by its dotted name (`pkg.categories.NAMES`)."""
        module, _, name = dotted.rpartition(".")
        index = self.view.index
        with self.view.extra.recording(index.recorder):
            facts = index.module(module) if index.has_module(module) else None
            if facts is None:
                self.view._add(module)
                extra = self.view.extra
                facts = extra.module(module) if extra.has_module(module) else None
        if facts is None:
            return None
        return _ModuleNamespace(self.view, facts, self.depth + 1).get(name)


def _shown(item: MroItem) -> str:
    return item if isinstance(item, str) else item.qualname


def _key(item: MroItem) -> str:
    return item if isinstance(item, str) else item.qualname


def _c3(head: list[MroItem], sequences: list[list[MroItem]]) -> Optional[list[MroItem]]:
    """Python's C3 merge; None when no consistent order exists."""
    result = list(head)
    sequences = [list(s) for s in sequences if s]
    while sequences:
        for sequence in sequences:
            candidate = sequence[0]
            key = _key(candidate)
            if not any(key in (_key(x) for x in s[1:]) for s in sequences):
                break
        else:
            return None
        result.append(candidate)
        sequences = [s[1:] if _key(s[0]) == key else s for s in sequences]
        sequences = [s for s in sequences if s]
    return result
