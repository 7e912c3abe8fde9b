"""The project index: classes across files, what they inherit, and what registries call them.

Built lazily from source roots (the linted tree, `--source-root`, installed OpenMMLab packages a
config refers to): a module is parsed only when a check needs one of its classes, or when the
registry names of its package are first looked up. Everything it cannot see (a base class from
an unindexed package, a computed attribute name) makes the facts that depend on it Unknown.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Optional, Protocol, Union

from ..cache import Dependencies
from ..discover import DEFAULT_EXCLUDES, display_path
from ..findings import Finding
from ..grammar.layers import LayerKnowledge
from ..grammar.mmcv_layers import mmcv_generation
from ..read import Files, parse_python
from ..values import Node, truthiness
from .locate import package_folder
from .source import ClassFacts, InitParams, MethodFacts, SourceFacts, extract_source
from .universe import FRAMEWORKS, READ_NOT_FOLLOWED, foreign_package, is_stdlib, read_package

# Classes of torch, mmengine and mmcv 1.x whose facts we know without their source.
BASE_MODULES = {
    "mmengine.model.BaseModule",
    "mmengine.model.base_module.BaseModule",
    "mmcv.runner.BaseModule",
    "mmcv.runner.base_module.BaseModule",
}
CONTAINERS = {  # children named by index or key: attributes unknown
    f"{m}.{c}"
    for m in (
        "torch.nn",
        "mmengine.model",
        "mmengine.model.base_module",
        "mmcv.runner",
        "mmcv.runner.base_module",
    )
    for c in ("Sequential", "ModuleList", "ModuleDict")
}
CLASS_NAME = re.compile(rb"^\s*class\s+(\w+)", re.M)
# The initializer classes custom initializers derive from: mmengine's, and mmcv 1.x's.
INITIALIZER_CLASSES = {
    f"{m}.{c}"
    for m in (
        "mmengine.model",
        "mmengine.model.weight_init",
        "mmcv.cnn",
        "mmcv.cnn.utils",
        "mmcv.cnn.utils.weight_init",
    )
    for c in (
        "BaseInit",
        "ConstantInit",
        "XavierInit",
        "NormalInit",
        "TruncNormalInit",
        "UniformInit",
        "KaimingInit",
        "Caffe2XavierInit",
        "PretrainedInit",
    )
}
# Packages whose own `init_weights` is the generic one (BaseModule's) or its own business:
# never a project's dialect of init_cfg.
RUNTIME_PACKAGES = ("mmengine", "mmcv", "torch")
# A module importing another package's model registry (mmrotate registers into mmdet's
# MODELS): that package's classes are names its configs use.
REGISTRY_IMPORT = re.compile(
    rb"^[ \t]*from[ \t]+(\w+)(?:\.[\w.]+)?[ \t]+import[ \t][^\n]*\b(?:MODELS|BACKBONES|NECKS|"
    rb"HEADS|DETECTORS|SEGMENTORS|CLASSIFIERS|LOSSES|SHARED_HEADS|ROI_EXTRACTORS)\b",
    re.M,
)
BASE_MODULE_ATTRIBUTES = {
    "init_cfg",
    "_is_init",
    "is_init",
    "init_weights",
    "_dump_init_info",
    "_params_init_info",
}


@lru_cache(maxsize=1)
def module_attributes() -> frozenset[str]:
    text = resources.files("initlint").joinpath("data/torch_layers.json").read_text("utf-8")
    return frozenset(json.loads(text)["module_attributes"])


@dataclass(frozen=True)
class External:
    """A class known without its source: a torch.nn class or mmengine's BaseModule."""

    qualname: str

    @property
    def name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]

    @property
    def is_torch(self) -> bool:
        return self.qualname.startswith("torch.nn.")


KnownClass = Union[ClassFacts, External]


class Recorder(Protocol):
    """Told what a lint unit reads, so that its cached result goes stale when that changes."""

    def file(self, path: Path) -> None: ...

    def fact(self, key: str) -> None: ...


class _Ignore:
    def file(self, path: Path) -> None:
        pass

    def fact(self, key: str) -> None:
        pass


@dataclass
class Lineage:
    """A class and its ancestors in method resolution order; `complete` when none is unknown."""

    classes: list[KnownClass] = field(default_factory=list)
    complete: bool = True


def package_root(
    path: Path, known: Optional[dict[Path, tuple[Path, str]]] = None
) -> tuple[Path, str]:
    """The folder above a file's top-level package, and the file's dotted module name.
    `known` memoises the answer for folders (files of one folder share it)."""
    known = {} if known is None else known
    folder = path.parent
    if folder not in known:  # resolved once per folder: symlinks followed as Python does
        known[folder] = _package_of(folder.resolve(), known)
    root, package = known[folder]
    if path.name == "__init__.py":
        return root, package
    return root, f"{package}.{path.stem}" if package else path.stem


def _package_of(folder: Path, known: dict[Path, tuple[Path, str]]) -> tuple[Path, str]:
    """The folder above the top-level package holding `folder`, and `folder`'s dotted name
    ('' when `folder` is not a package)."""
    found = known.get(folder)
    if found is None:
        if (folder / "__init__.py").is_file():
            root, package = _package_of(folder.parent, known)
            found = root, f"{package}.{folder.name}" if package else folder.name
        else:
            found = folder, ""
        known[folder] = found
    return found


class ProjectIndex:
    def __init__(
        self,
        roots: Iterable[Path] = (),
        packages: Optional[Mapping[str, Path]] = None,
        files: Optional[Files] = None,
    ) -> None:
        """`roots`: folders of modules and packages; `packages`: package -> its folder;
        `files`: where files are read (once a run: the cache keeps the hashes of what was
        read)."""
        self.files = files or Files()
        self._config_roots = dict(packages or {})
        self._lazy: set[str] = set()  # installed packages indexed because a check asked
        self._lazy_roots: set[Path] = set()  # and their folders
        self.roots: list[Path] = []
        self._modules: dict[str, Path] = {}
        self._packages: dict[Path, tuple[Path, str]] = {}  # folder -> package_root's answer
        self._added: set[tuple[Path, Optional[str]]] = set()  # add_file's calls to add_root
        self._facts: dict[str, Optional[SourceFacts]] = {}
        self._registered: dict[str, dict[str, list[str]]] = {}  # package -> name -> qualnames
        self._class_names: Optional[dict[str, frozenset[str]]] = None
        self._initializers: Optional[list[tuple[str, ClassFacts]]] = None
        self._digests: dict[str, str] = {}
        self._lineages: dict[str, tuple[Lineage, Dependencies]] = {}
        self._own_readers: dict[str, Optional[bool]] = {}  # reads_own_init_cfg, memoised
        self._problems: dict[Path, Finding] = {}  # modules that cannot be read or parsed
        self._texts: dict[Path, str] = {}  # modules read from an editor's buffer (`override`)
        self._sources_read: set[str] = set()  # packages scanned for others' registries
        self._universes: dict[str, tuple[Optional[frozenset[str]], list[tuple[str, Path]]]] = {}
        # Told what the current lint unit reads (the runner's cache bookkeeping).
        self.recorder: Recorder = _Ignore()
        self.generation = 0  # how many times the set of modules changed
        for root in roots:
            self.add_root(root)
        for name, folder in (packages or {}).items():
            if folder.name == name:  # the package folder itself
                self.add_root(folder.parent, name)
            else:  # a checkout holding the package
                self.add_root(folder)

    # -- files and modules -------------------------------------------------------------------
    def add_root(self, root: Path, package: Optional[str] = None) -> Optional[Path]:
        """Index the modules under `root` (a folder of packages), or only those of `package`
        there (an installed package lives beside hundreds of others); the folder added (None:
        it was already, or is no folder)."""
        root = root.resolve()
        key = root / package if package else root
        if key in self.roots or not key.is_dir():
            return None
        self.roots.append(key)
        # What was derived from the modules known so far may change with the new ones.
        self._class_names = None
        self._registered.clear()
        self._digests.clear()
        self.generation += 1
        self._lineages.clear()
        self._own_readers.clear()
        self._universes.clear()
        self._initializers = None
        prefix = str(root) + os.sep
        for path in _python_files(str(key)):
            relative = path[len(prefix) : -3].split(os.sep)
            if relative[-1] == "__init__":
                relative = relative[:-1]
            if relative and all(p.isidentifier() for p in relative):
                self._modules.setdefault(".".join(relative), Path(path))
        return key

    def add_packages_of(self, paths: Iterable[Path]) -> None:
        """Index the packages these files belong to (before any lookup, so that what a
        check finds does not depend on the order files are linted in)."""
        for path in paths:
            self.add_file(path)

    def add_file(self, path: Path) -> str:
        """Index the package a file belongs to; its module name (which depends on the
        `__init__.py` files above it: a fact of its own)."""
        self.recorder.fact(f"root:{path}")
        root, module = package_root(path, self._packages)
        package = module.split(".")[0] if "." in module or path.name == "__init__.py" else None
        if (root, package) not in self._added:
            self._added.add((root, package))
            self.add_root(root, package)
        return module

    def add_package(self, package: str) -> bool:
        """Index an installed package, located without importing it."""
        self.recorder.fact(f"package:{package.split('.')[0]}")  # installing it changes results
        if any(m == package or m.startswith(package + ".") for m in self._modules):
            return True
        top = package.split(".")[0]  # a scope such as 'mmdet.models' lives in package mmdet
        folder = package_folder(top)
        if folder is None:
            return False
        self._lazy.add(top)
        added = self.add_root(folder.parent, folder.name)
        if added is not None:
            self._lazy_roots.add(added)
        return True

    def has_class(self, name: str) -> bool:
        """Whether any indexed module defines a class of this name (a cheap text scan)."""
        return bool(self.class_packages(name))

    def class_packages(self, name: str) -> frozenset[str]:
        """The top-level packages of the indexed modules that define a class of this name."""
        self.recorder.fact("classes")
        if self._class_names is None:
            names: dict[str, set[str]] = {}
            for module_name, path in self._modules.items():
                data = self.files.bytes(path, display_path(path))
                if isinstance(data, Finding):
                    continue
                for match in CLASS_NAME.findall(data):
                    try:
                        names.setdefault(match.decode(), set()).add(module_name.split(".")[0])
                    except UnicodeDecodeError:
                        continue
            self._class_names = {k: frozenset(v) for k, v in names.items()}
        return self._class_names.get(name, frozenset())

    def class_names(self) -> frozenset[str]:
        """The names of the classes the indexed modules define (what `has_class` knows)."""
        self.has_class("")
        return frozenset(self._class_names or {})

    def layer_universe(self, packages: Iterable[str]) -> Optional[frozenset[str]]:
        """Every class name a module of a model built from these packages can have (for
        `layer` matching: its class and its direct bases are among them), or None when the
        index cannot be complete: a package is not found, an import cannot be followed, a
        module imports a computed name (see universe.py)."""
        wanted = tuple(sorted(set(packages)))
        key = "universe:" + ",".join(wanted)
        self.recorder.fact(key)
        if key not in self._universes:
            with self.recording(_Ignore()):  # a dependency through its digest
                self._universes[key] = self._universe(wanted)
        return self._universes[key][0]

    def _universe(
        self, packages: tuple[str, ...]
    ) -> tuple[Optional[frozenset[str]], list[tuple[str, Path]]]:
        read: list[tuple[str, Path]] = []  # what the answer is computed from (the cache's)
        if not packages or not all(self.add_package(p) for p in packages):
            return None, read
        names: set[str] = set()
        pending, done = list(packages), set(packages) | set(FRAMEWORKS)
        # mmcv's classes are known as data (both generations); an installed one adds its own.
        names.update(
            c.name for g in ("mmcv1", "mmcv2") for c in mmcv_generation(g).classes.values()
        )
        for framework in READ_NOT_FOLLOWED:
            found = foreign_package(framework)
            if found is None:
                if framework == "mmcv":
                    continue
                return None, read
            names |= found.classes
            read += [(framework, f) for f in found.files]
        while pending:
            package = pending.pop()
            indexed = [
                p for m, p in self._modules.items() if m == package or m.startswith(package + ".")
            ]
            text = read_package(indexed) if indexed else foreign_package(package)
            if text is None or text.dynamic:
                return None, read
            read += [(package, f) for f in text.files]
            if not indexed and not text.uses_torch:
                continue  # defines no torch module, and brings in none
            names |= text.classes
            for imported in sorted(text.imports - done):
                done.add(imported)
                if not is_stdlib(imported):
                    pending.append(imported)
        names.update(LayerKnowledge.torch().layers)
        return frozenset(names), read

    def module(self, name: str) -> Optional[SourceFacts]:
        path = self._modules.get(name)
        if path is not None:
            self.recorder.file(path)
        if name in self._facts:
            return self._facts[name]
        facts = None
        if path is not None:
            text = self._texts.get(path)
            read = (
                self.files.python(path, display_path(path))
                if text is None
                else _parsed(display_path(path), text)
            )
            if isinstance(read, Finding):
                self._problems[path] = read
            else:
                tree, text = read
                facts = extract_source(
                    display_path(path), name, path.name == "__init__.py", tree, text, str(path)
                )
        self._facts[name] = facts
        return facts

    def has_module(self, name: str) -> bool:
        """Whether a module of this name is indexed (without reading it)."""
        return name in self._modules

    def override(self, path: Path, text: Optional[str]) -> None:
        """Parse the module at `path` from `text` (an editor's buffer; None: from disk again)
        when next asked. Registry and class names are still read from the file."""
        for known in {Path(os.path.abspath(path)), path.resolve()}:
            if text is None:
                self._texts.pop(known, None)
            else:
                self._texts[known] = text
        self.forget(path)

    def forget(self, path: Path) -> None:
        """Read the module at `path` again when next asked (it changed), and everything derived
        from the modules (registry names, class names, lineages, initializers)."""
        names = {Path(os.path.abspath(path)), path.resolve()}
        for name in [n for n, known in self._modules.items() if known in names]:
            self._facts.pop(name, None)
        for known in names:
            self._problems.pop(known, None)
            self.files.forget(known)
        self._class_names = None
        self._registered.clear()
        self._digests.clear()
        self._lineages.clear()
        self._own_readers.clear()
        self._universes.clear()
        self._initializers = None
        self.generation += 1

    def problem(self, path: Path) -> Optional[Finding]:
        """Why the module at `path` could not be read (IL901), once something asked for it."""
        return self._problems.get(path)

    @contextmanager
    def recording(self, recorder: Recorder) -> Iterator[Recorder]:
        """Within the block, what is read is told to `recorder`."""
        outer, self.recorder = self.recorder, recorder
        try:
            yield recorder
        finally:
            self.recorder = outer

    # -- names ---------------------------------------------------------------------------------
    def resolve(self, dotted: str, _seen: Optional[set[str]] = None) -> Optional[KnownClass]:
        """A dotted name (as imports spell it) to the class it names, or None if unknown."""
        seen = _seen if _seen is not None else set()
        if dotted in seen:
            return None
        seen.add(dotted)
        if (
            dotted.startswith("torch.nn.")
            or dotted in BASE_MODULES
            or dotted in CONTAINERS
            or dotted in INITIALIZER_CLASSES
        ):
            return External(_torch_name(dotted))
        parts = dotted.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module_name = ".".join(parts[:cut])
            if module_name not in self._modules:
                self.recorder.fact(f"module:{module_name}")  # creating it changes this
                continue
            facts = self.module(module_name)
            if facts is None:
                return None
            return self._attribute(facts, parts[cut:], seen)
        return None

    def _attribute(
        self, facts: SourceFacts, path: list[str], seen: set[str]
    ) -> Optional[KnownClass]:
        head, rest = path[0], path[1:]
        if head in facts.aliases and head not in facts.imports:
            head = facts.aliases[head]
        if head in facts.classes and not rest:
            return facts.classes[head]
        if head in facts.imports:
            target = facts.imports[head]
            return self.resolve(".".join([target, *rest]), seen)
        for star in facts.star_imports:
            found = self.resolve(".".join([star, *path]), seen)
            if found is not None:
                return found
        return None

    def resolve_in(self, facts: SourceFacts, written: str) -> Optional[KnownClass]:
        """A name as written in a module (`BaseModule`, `nn.Conv2d`, a local class)."""
        head, _, rest = written.partition(".")
        if head in facts.aliases and head not in facts.imports:
            head = facts.aliases[head]
        if head in facts.classes:
            return facts.classes[head] if not rest else None
        if head in facts.imports:
            return self.resolve(facts.imports[head] + ("." + rest if rest else ""))
        for star in facts.star_imports:
            found = self.resolve(f"{star}.{written}")
            if found is not None:
                return found
        return None

    # -- registries ----------------------------------------------------------------------------
    def registered(self, name: str, scope: Optional[str]) -> list[ClassFacts]:
        """Classes registered under `name` (in `scope`'s package, or in any indexed package,
        and those whose registries they register into)."""
        if not scope:
            self.recorder.fact("packages")  # a new package may register the name
            self._add_registry_sources()
        packages = [scope] if scope else self._top_packages()
        found: list[ClassFacts] = []
        for package in packages:
            for qualname in self._registry(package).get(name, []):
                cls = self.resolve(qualname)
                if isinstance(cls, ClassFacts) and cls not in found:
                    found.append(cls)
        return found

    def _add_registry_sources(self) -> None:
        """Index the installed packages whose model registries an indexed package registers
        into (mmrotate 0.x's ROTATED_DETECTORS is mmdet's MODELS): a config of the one names
        classes of the other without a scope."""
        while True:
            packages = sorted({m.split(".")[0] for m in self._modules} - self._sources_read)
            if not packages:
                return
            for package in packages:
                self._sources_read.add(package)
                for module_name, path in list(self._modules.items()):
                    if module_name.split(".")[0] != package:
                        continue
                    data = self.files.bytes(path, str(path))
                    if not isinstance(data, bytes) or b"import" not in data:
                        continue
                    for match in REGISTRY_IMPORT.finditer(data):
                        other = match.group(1).decode()
                        if other != package and other not in RUNTIME_PACKAGES:
                            self.add_package(other)

    # -- what spans many files: a lint unit depends on a digest of it, not on every file --------
    def fact_digest(self, key: str) -> str:
        """A digest of one project-wide fact: "registry:<package>" (what its registries map
        names to), "initializers" (the registered weight initializers and their arguments),
        or "classes" (the class names defined anywhere)."""
        if key not in self._digests:  # files do not change during a run
            with self.recording(_Ignore()):
                cheap = self._cheap_fact(key)
                if cheap is not None:
                    digest = fact_digest({"": [cheap]})
                elif key.startswith("registry:"):
                    digest = fact_digest(self._registry(key.split(":", 1)[1]))
                elif key.startswith("universe:"):
                    universe = self.layer_universe(key.split(":", 1)[1].split(","))
                    digest = fact_digest(
                        {"universe": sorted(universe) if universe is not None else ["<incomplete>"]}
                    )
                elif key == "initializers":
                    digest = fact_digest(
                        {
                            name: [
                                cls.qualname,
                                *(p.names if (p := self.init_params(cls)) else ["?"]),
                            ]
                            for name, cls in self.weight_initializers()
                        }
                    )
                else:
                    self.has_class("")
                    digest = fact_digest(self._class_names or {})
            self._digests[key] = digest
        return self._digests[key]

    def _cheap_fact(self, key: str) -> Optional[str]:
        """The facts that are lookups, not reads of modules, as text (None for the others):
        a package's folder, whether a module exists, a file's module name, the packages."""
        kind, _, name = key.partition(":")
        if kind == "package":  # where it is, and a signature of its files (an upgrade)
            folder = self._config_roots.get(name) or package_folder(name)
            # The project's own packages need none: the contents of their modules are
            # dependencies already (the modules read, the digests of registries and class
            # names), and an edit to one must not make every unit naming the package stale.
            signed = folder is not None and not self._indexed(folder)
            return f"{folder}|{_tree_signature(folder) if folder and signed else ''}"
        if kind == "module":
            return str(self._modules.get(name))
        if kind == "root":
            try:
                return str(package_root(Path(name), self._packages))
            except (OSError, RuntimeError, ValueError) as exc:
                return type(exc).__name__
        if kind == "listing":  # the configs in a folder (IL902's hints name them)
            try:
                return " ".join(
                    sorted(
                        n for n in os.listdir(name) if n.endswith((".py", ".json", ".yaml", ".yml"))
                    )
                )
            except (OSError, ValueError) as exc:
                return type(exc).__name__
        if key == "packages":  # of the project's roots: installed ones have their own facts
            return " ".join(p for p in self._top_packages() if p not in self._lazy)
        return None

    def _indexed(self, folder: Path) -> bool:
        """Whether a package folder lies in a root the index was given (the linted tree, the
        source and config roots), not in an installed package a check asked for."""
        try:
            folder = folder.resolve()
        except (OSError, RuntimeError, ValueError):
            return False
        return any(
            folder == root or root in folder.parents
            for root in self.roots
            if root not in self._lazy_roots
        )

    def _top_packages(self) -> list[str]:
        return sorted({m.split(".")[0] for m in self._modules})

    def fact_files(self, key: str) -> Optional[list[tuple[str, Path]]]:
        """The modules a fact is computed from (every module it may read); None for a cheap
        fact, computed again every run."""
        if self._cheap_fact_kind(key):
            return None
        if key.startswith("universe:"):
            self.layer_universe(key.split(":", 1)[1].split(","))
            universe, read = self._universes[key]
            # An incomplete answer may change with what gets installed: never from the cache.
            return read if universe is not None else [("<incomplete>", Path(os.devnull, "-"))]
        package = key.split(":", 1)[1] if key.startswith("registry:") else None
        return [
            (name, path)
            for name, path in sorted(self._modules.items())
            if package is None or name.split(".")[0] == package
        ]

    @staticmethod
    def _cheap_fact_kind(key: str) -> bool:
        return key == "packages" or key.partition(":")[0] in (
            "package",
            "module",
            "root",
            "listing",
        )

    def _registry(self, package: str) -> dict[str, list[str]]:
        self.recorder.fact(f"registry:{package}")
        if package in self._registered:
            return self._registered[package]
        with self.recording(_Ignore()):  # a dependency through its digest, not file by file
            names = self._read_registry(package)
        self._registered[package] = names
        return names

    def _read_registry(self, package: str) -> dict[str, list[str]]:
        names: dict[str, list[str]] = {}
        for module_name, path in self._modules.items():
            if module_name.split(".")[0] != package:
                continue
            data = self.files.bytes(path, display_path(path))
            if isinstance(data, Finding) or b"register_module" not in data:
                continue
            found = scan_registrations(data)
            if found is not None:  # the usual decorators, read without parsing the module
                for registered, class_name in found:
                    names.setdefault(registered, []).append(f"{module_name}.{class_name}")
                continue
            facts = self.module(module_name)
            if facts is None:
                continue
            for cls in facts.classes.values():
                for registration in cls.registrations:
                    for registered in registration.names:
                        names.setdefault(registered, []).append(cls.qualname)
            for target, registration in facts.registrations:
                resolved = self.resolve_in(facts, target)
                if isinstance(resolved, ClassFacts):
                    for registered in registration.names or (resolved.name,):
                        names.setdefault(registered, []).append(resolved.qualname)
        return names

    def weight_initializers(self) -> list[tuple[str, ClassFacts]]:
        """Classes registered into a weight-initializer registry, by the name they get."""
        self.recorder.fact("initializers")
        if self._initializers is None:
            with self.recording(_Ignore()):  # a dependency through its digest
                self._initializers = self._read_initializers()
        return self._initializers

    def _read_initializers(self) -> list[tuple[str, ClassFacts]]:
        found = []
        for module_name in list(self._modules):
            path = self._modules[module_name]
            data = self.files.bytes(path, display_path(path))
            if isinstance(data, Finding) or b"INITIALIZERS" not in data:  # mmcv 1.x: INITIALIZERS
                continue
            facts = self.module(module_name)
            for cls in facts.classes.values() if facts else ():
                for registration in cls.registrations:
                    if "INITIALIZERS" in registration.registry:
                        found += [(name, cls) for name in registration.names]
        return found

    # -- class facts ---------------------------------------------------------------------------
    def lineage(self, cls: KnownClass) -> Lineage:
        """The class and its ancestors, method resolution order (left-first depth-first)."""
        known = self._lineages.get(cls.qualname)
        if known is None:
            with self.recording(Dependencies()) as read:
                lineage = self._lineage(cls)
            assert isinstance(read, Dependencies)
            known = self._lineages[cls.qualname] = (lineage, read)
        lineage, read = known
        for path in read.files:  # what it depends on, as if read again
            self.recorder.file(path)
        for key in read.facts:
            self.recorder.fact(key)
        return lineage

    def _lineage(self, cls: KnownClass) -> Lineage:
        lineage = Lineage()
        seen: set[str] = set()

        def visit(current: KnownClass) -> None:
            key = current.qualname
            if key in seen:
                return
            seen.add(key)
            lineage.classes.append(current)
            if isinstance(current, External):
                return
            facts = self.module(current.module)
            for base in current.bases:
                if base in ("object", "ABCMeta", "metaclass"):
                    continue
                resolved = self.resolve_in(facts, base) if facts else None
                if resolved is None:
                    lineage.complete = False
                    continue
                visit(resolved)

        visit(cls)
        return lineage

    def attributes(self, cls: KnownClass) -> tuple[set[str], bool]:
        """The attributes an instance has after construction, and whether that set is complete."""
        lineage = self.lineage(cls)
        complete = lineage.complete
        found: set[str] = set(module_attributes())
        for current in lineage.classes:
            if isinstance(current, External):
                if _is_base_module(current):
                    found |= BASE_MODULE_ATTRIBUTES
                elif current.qualname != "torch.nn.Module":
                    complete = False  # a torch layer or container: children we do not list
                continue
            found |= current.class_attributes
            found |= set(current.methods)
        for _, _, method in _running(lineage):  # what the methods that run set
            found |= method.attributes
            complete &= not method.dynamic
        return found, complete

    def running_methods(self, cls: KnownClass) -> list[tuple[ClassFacts, str, MethodFacts]]:
        """The methods of the class and its bases that run (see `_running`)."""
        return _running(self.lineage(cls))

    # -- what init_weights() reaches (IL110) ---------------------------------------------------
    def is_base_module(self, cls: KnownClass) -> bool:
        """Whether the class is a BaseModule, every base known."""
        lineage = self.lineage(cls)
        return lineage.complete and any(
            isinstance(c, External) and _is_base_module(c) for c in lineage.classes
        )

    def runs_base_init_weights(self, cls: KnownClass) -> bool:
        """Whether `init_weights()` of an instance applies its init_cfg and then reaches its
        children as BaseModule's does: a BaseModule whose every init_weights, from the class
        up, calls `super().init_weights()` unconditionally."""
        if not self.is_base_module(cls):
            return False
        lineage = self.lineage(cls)
        first = 0
        while True:
            found = _method_in(lineage, "init_weights", first)
            if not isinstance(found, tuple):
                return found is False
            where, method = found
            if method.calls_super_init_weights != "always" or method.touches_other_init:
                return False
            first = where + 1

    def reaches_children_only(self, cls: KnownClass) -> bool:
        """Whether nothing but BaseModule's walk can call the init_weights of what a class
        holds: no method of it or its bases reaches another module's init_weights or
        init_cfg (`for m in self.layers: m.init_weights()`)."""
        return self.is_base_module(cls) and not any(
            method.touches_other_init
            for current in self.lineage(cls).classes
            if isinstance(current, ClassFacts)
            for method in current.methods.values()
        )

    def carried_init_cfgs(
        self, cls: KnownClass, passed: Optional[Node], _seen: Optional[set[str]] = None
    ) -> list[Carried]:
        """The init_cfg values `init_weights()` would apply if it reached a module of `cls`
        built with `passed` (None: no `init_cfg` given, its default applies): its own, and
        those of the modules its construction builds, known to be set and stored."""
        seen = _seen if _seen is not None else set()
        if (
            not isinstance(cls, ClassFacts)
            or cls.qualname in seen
            or not self.runs_base_init_weights(cls)
        ):
            return []
        seen.add(cls.qualname)
        running = self.running_methods(cls)
        if any("init_weights" in m.self_calls for _, _, m in running):
            return []  # it initialises itself (e.g. in __init__): reached when built
        params = self.init_params(cls)
        found: list[Carried] = []
        own = (
            passed
            if passed is not None
            else (params.defaults.get("init_cfg") if params is not None else None)
        )
        sets_own = any("init_cfg" in m.attributes for _, _, m in running)
        if (
            own is not None
            and truthiness(own) is True
            and self.stores_init_cfg(cls)
            and not (passed is None and sets_own)
        ):
            found.append(Carried(cls.name, "", own, passed is None))
        ran = {(c.qualname, name) for c, name, _ in running}
        for current in self.lineage(cls).classes:
            if not isinstance(current, ClassFacts):
                continue
            facts = self.module(current.module)
            if facts is None:
                continue
            for site in facts.sites:  # `self.x = Foo(init_cfg=...)` in a method that runs
                if (
                    site.cls == current.name
                    and site.receiver.kind == "call"
                    and site.attribute
                    and (current.qualname, site.method) in ran
                ):
                    child = self.resolve_in(facts, site.receiver.name)
                    found += self._carried_child(child, site.value, cls, site.attribute, seen)
            for attribute, written in current.attribute_types.items():
                if attribute not in current.attribute_init_cfgs:  # built with its default
                    child = self.resolve_in(facts, written)
                    found += self._carried_child(child, None, cls, attribute, seen)
        return found

    def _carried_child(
        self,
        child: Optional[KnownClass],
        passed: Optional[Node],
        parent: ClassFacts,
        attribute: str,
        seen: set[str],
    ) -> list[Carried]:
        if child is None:
            return []
        return [
            Carried(
                c.owner,
                f"{attribute}.{c.attribute}" if c.attribute else attribute,
                c.value,
                c.default,
                parent.name,
            )
            for c in self.carried_init_cfgs(child, passed, set(seen))
        ]

    def attribute_class(self, cls: KnownClass, attribute: str) -> Optional[KnownClass]:
        """The class an attribute is built from, when a constructor call says so."""
        for current in self.lineage(cls).classes:
            if isinstance(current, ClassFacts) and attribute in current.attribute_types:
                facts = self.module(current.module)
                written = current.attribute_types[attribute]
                return self.resolve_in(facts, written) if facts else None
        return None

    def init_params(self, cls: KnownClass) -> Optional[InitParams]:
        """The `__init__` the class runs, when every class before it is known."""
        lineage = self.lineage(cls)
        for current in lineage.classes:
            if isinstance(current, External):
                if current.qualname in BASE_MODULES or current.name == "BaseModule":
                    return InitParams(["init_cfg"], var_kwargs=False)
                if current.qualname == "torch.nn.Module":
                    return InitParams([], var_kwargs=False)
                return None
            if current.init is not None:
                return current.init
        return None

    def stores_init_cfg(self, cls: KnownClass) -> bool:
        """Whether the `init_cfg` a class is built with ends in `self.init_cfg`: each
        `__init__` from the class up passes it to the next, and BaseModule's stores it."""
        for current in self.lineage(cls).classes:
            if isinstance(current, External):
                return _is_base_module(current)
            if current.init is not None and current.init.passes_init_cfg != "super":
                return current.init.passes_init_cfg == "self"
        return False

    def _inits(self, cls: KnownClass) -> Iterator[InitParams]:
        """The `__init__`s that run when `cls` is built: its own, and each base's for as long
        as the one before calls `super().__init__`."""
        for current in self.lineage(cls).classes:
            if isinstance(current, External):
                return
            params = current.init
            if params is None:
                continue
            yield params
            if not params.calls_super_init:
                return

    def forbids_pretrained_with_init_cfg(self, cls: KnownClass) -> bool:
        """Whether building `cls` asserts `not (init_cfg and pretrained)` (ResNetV1c hands
        both to ResNet's `__init__`, which does)."""
        for params in self._inits(cls):
            if params.forbids_init_cfg_with_pretrained:
                return True
            if not params.forwards_pretrained:
                return False  # the base gets no `pretrained` from this one
        return False

    def pretrained_pushes(self, cls: KnownClass) -> dict[str, tuple[bool, bool]]:
        """The parts whose config gets the class's `pretrained` (`backbone.pretrained =
        pretrained` in a detector's or segmentor's `__init__`): parameter -> (only when
        `pretrained` is set, whether a `pretrained` of the part's own is refused)."""
        found: dict[str, tuple[bool, bool]] = {}
        for params in self._inits(cls):
            for name, guarded in params.pushes_pretrained.items():
                found.setdefault(name, (guarded, name in params.refuses_pretrained))
            if not params.forwards_pretrained:
                break
        return found

    def default_init_cfg(self, cls: KnownClass) -> Optional[bool]:
        """Whether building `cls` without an init_cfg still gives it one (a truthy default of
        an `__init__` on the way); None when no `__init__` says."""
        for params in self._inits(cls):
            default = params.defaults.get("init_cfg")
            if default is not None:
                return truthiness(default) is True
        return None

    def reads_own_init_cfg(self, cls: KnownClass) -> Optional[bool]:
        """Whether the init_weights a class runs reads init_cfg its own way (not the generic
        grammar): it reads `self.init_cfg` and calls `super().init_weights()` only under a
        guard, or not at all. The methods of the class and its bases that it calls
        (`self.m()`, `super().m()`, and what those call) count as if their code were inline;
        one we cannot see may read init_cfg: True. None when the init_weights that runs is
        not known."""
        lineage = self.lineage(cls)  # recorded as a dependency, whether memoised or not
        if cls.qualname not in self._own_readers:
            self._own_readers[cls.qualname] = _reads_own(lineage)
        return self._own_readers[cls.qualname]


# `@MODELS.register_module(...)` (other decorators may follow) right above `class Name`.
DECORATED = re.compile(
    rb"^[ \t]*@[ \t]*[\w.]+\.register_module\((?P<args>[^()]*)\)[ \t]*(?:#[^\n]*)?\n"
    rb"(?:[ \t]*(?:@[^\n]*|#[^\n]*)?\n)*?[ \t]*class[ \t]+(?P<name>\w+)",
    re.M,
)


def scan_registrations(data: bytes) -> Optional[list[tuple[str, str]]]:
    """(registered name, class name) of each `@X.register_module(...)` class in a module,
    read from the text; None when the module registers in a way only parsing can tell (a call
    outside a decorator, stacked registrations). The pattern is tried only where
    `register_module(` occurs: most of a module's text is never scanned."""
    found: list[tuple[str, str]] = []
    matched_to = 0
    at = data.find(CALL)
    while at >= 0:
        match = DECORATED.match(data, data.rfind(b"\n", 0, at) + 1)
        if at < matched_to or match is None or match.start("args") != at + len(CALL):
            return None
        names = _registered_names(match.group("args").decode("utf-8", "replace"))
        if names is None:
            return None
        class_name = match.group("name").decode()
        found += [(name, class_name) for name in names or [class_name]]
        matched_to = match.end()
        at = data.find(CALL, at + 1)
    return found


CALL = b"register_module("


def _registered_names(args: str) -> Optional[list[str]]:
    """The names `register_module(args)` registers under ([] for the class name)."""
    try:
        call = ast.parse(f"f({args})", mode="eval").body
    except SyntaxError:
        return None
    assert isinstance(call, ast.Call)
    values = list(call.args) + [k.value for k in call.keywords if k.arg == "name"]
    if any(k.arg not in ("name", "force", "module") for k in call.keywords) or any(
        k.arg == "module" for k in call.keywords
    ):
        return None
    if not values:
        return []
    try:
        value = ast.literal_eval(values[0])
    except ValueError:
        return None
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _torch_name(dotted: str) -> str:
    if dotted.startswith("torch.nn."):
        return "torch.nn." + dotted.rsplit(".", 1)[-1]
    return dotted


def _python_files(root: str) -> Iterator[str]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in DEFAULT_EXCLUDES and not d.startswith(".")]
        for name in filenames:
            if name.endswith(".py"):
                yield os.path.join(dirpath, name)


def _tree_signature(folder: Path) -> str:
    """The names, sizes and modification times of a package's modules: an installed package
    is not the project's, and its files are not hashed every run; this changes when it is
    upgraded, reinstalled or edited."""
    parts = []
    for path in sorted(_python_files(str(folder))):
        try:
            info = os.stat(path)
        except OSError:
            continue
        parts.append(f"{path}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.blake2b(
        "\n".join(parts).encode("utf-8", "surrogateescape"), digest_size=16
    ).hexdigest()


def fact_digest(names: Mapping[str, Iterable[str]]) -> str:
    """A digest of a project-wide fact (what a package's registries map names to, ...)."""
    text = json.dumps({k: sorted(v) for k, v in sorted(names.items())})
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class Carried:
    """An init_cfg a module would apply: `owner` is the class it is given to, `attribute`
    where that module sits below the one asked about ('' for itself), `within` the class
    whose construction builds it."""

    owner: str
    attribute: str
    value: Node
    default: bool  # the owner's `init_cfg` default, rather than a value its builder gives it
    within: str = ""


def _is_base_module(cls: External) -> bool:
    return cls.qualname in BASE_MODULES or cls.name == "BaseModule"


def _running(lineage: Lineage) -> list[tuple[ClassFacts, str, MethodFacts]]:
    """The implementations that run, method by method: the first in MRO order, and the next
    one whenever the running one calls `super().<method>()`."""
    runs_next: dict[str, bool] = {}
    found = []
    for current in lineage.classes:
        if isinstance(current, External):
            continue
        for name, method in current.methods.items():
            if not runs_next.get(name, True):
                continue  # overridden by a subclass that does not call it
            runs_next[name] = name in method.super_calls
            found.append((current, name, method))
    return found


def _reads_own(lineage: Lineage) -> Optional[bool]:
    """`ProjectIndex.reads_own_init_cfg` of the lineage's first class."""
    found = _method_in(lineage, "init_weights", 0)
    if not isinstance(found, tuple):
        return found
    owner = lineage.classes[found[0]]
    if isinstance(owner, ClassFacts) and owner.module.split(".")[0] in RUNTIME_PACKAGES:
        return False  # BaseModule itself, or mmcv's own classes (given as a source)
    if found[1].calls_super_init_weights == "always":
        return False
    # `self.m` resolves from the instance's class, `super().m` from the class after the one
    # whose method calls it.
    pending = [found]
    seen: set[tuple[int, str]] = set()
    while pending:
        where, method = pending.pop()
        if method.reads_init_cfg:
            return True
        for first, name in [(0, n) for n in method.self_calls] + [
            (where + 1, n) for n in method.super_calls
        ]:
            if name != "init_weights" and (first, name) not in seen:
                seen.add((first, name))
                helper = _method_in(lineage, name, first)
                if helper is None:
                    return True
                if isinstance(helper, tuple):
                    pending.append(helper)
    return False


def _method_in(
    lineage: Lineage, name: str, first: int
) -> Union[tuple[int, MethodFacts], bool, None]:
    """The method `name` the instance runs, looked up from `lineage.classes[first]` on: its
    class's place and facts; False when BaseModule or torch.nn.Module defines it (or no class
    does), None when a class we cannot see might."""
    for where, current in enumerate(lineage.classes[first:], first):
        if isinstance(current, External):
            base_module = _is_base_module(current)
            if not base_module and current.qualname != "torch.nn.Module":
                return None
            if name in module_attributes() or (base_module and name in BASE_MODULE_ATTRIBUTES):
                return False
            continue
        method = current.methods.get(name)
        if method is not None:
            return where, method
    return False if lineage.complete else None


def _parsed(name: str, text: str) -> Union[tuple[ast.Module, str], Finding]:
    tree = parse_python(name, text)
    return tree if isinstance(tree, Finding) else (tree, text)
