"""Running a lint: the units of work (a config with its bases, a model source, a base file no
config reached), each from the cache while it is current or computed by the engine (in a pool
of processes for many), then gathered, de-duplicated and filtered by suppression comments."""

from __future__ import annotations

import dataclasses
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from .cache import Cache, Dependencies, FileHashes
from .diagnostics import Diagnostic, dedupe, from_dict, to_diagnostic, to_dict
from .discover import CONFIG_SUFFIXES, Excluder, classify, discover, display_path, is_base_only
from .findings import UnresolvedBase
from .inherit import SettingsRoot, inheritors, project_root
from .read import file_bytes
from .suppress import (
    Selected,
    apply_suppressions,
    directive_comments,
    read_source,
    sources_with,
)
from .target import Target, TargetChooser

if TYPE_CHECKING:
    from .project.index import ProjectIndex

Progress = Callable[[int, int], None]  # (files done, files in all)


@dataclass
class LintResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    notes: list[str] = field(default_factory=list)  # what --verbose shows
    # The configs of the run (as shown) with `_base_` files that could not be followed.
    unresolved: dict[str, list[UnresolvedBase]] = field(default_factory=dict)
    # Each linted file and the files its result depends on (its bases, model sources), as
    # diagnostics name them: the fix loop tells from it which edit changed what.
    reached: dict[str, list[str]] = field(default_factory=dict)


Comments = list[tuple[int, int, str]]  # (row, column, text) of a file's directive comments


@dataclass
class UnitResult:
    """What linting one file found: a config (with its bases), a model source, or a base file
    no config reached. `deps` and `signatures` say when the result goes stale."""

    unit: str  # "config:<path>", "base:<path>" or "source:<path>" (absolute path)
    diagnostics: list[Diagnostic]
    reached: list[str]  # the config files it read (the file and its bases)
    notes: list[str]
    deps: dict[str, Optional[str]]  # file -> content hash
    signatures: dict[str, str]  # project-wide fact -> digest (ProjectIndex.fact_digest)
    comment_files: dict[str, Optional[str]]  # file as shown -> content hash (its comments)
    comments: dict[str, Comments] = field(default_factory=dict)  # content hash -> comments
    unresolved: list[UnresolvedBase] = field(default_factory=list)

    def to_entry(self) -> dict[str, Any]:
        return {"diagnostics": [to_dict(d) for d in self.diagnostics], "reached": self.reached,
                "notes": self.notes, "deps": self.deps, "signatures": self.signatures,
                "comment_files": self.comment_files,
                "unresolved": [dataclasses.asdict(u) for u in self.unresolved]}

    @classmethod
    def from_entry(cls, unit: str, entry: dict[str, Any]) -> UnitResult:
        return cls(unit, [from_dict(d) for d in entry["diagnostics"]], list(entry["reached"]),
                   list(entry["notes"]), dict(entry["deps"]), dict(entry["signatures"]),
                   dict(entry["comment_files"]),
                   unresolved=[UnresolvedBase(**u) for u in entry["unresolved"]])


class _Worker:
    """Lints units in one process: an engine (its loader and index shared by the units), and
    the directive comments of every file read, each file tokenized once."""

    def __init__(self, roots: dict[str, Path], source_roots: list[Path],
                 sources: list[Path], index: Optional[ProjectIndex] = None) -> None:
        from .config.loader import ConfigLoader
        from .engine import Engine  # the checking engine, imported only when needed

        self.engine = Engine(ConfigLoader(roots),
                             index or _new_index(roots, source_roots, sources))
        self.hashes = FileHashes()
        self.comments: dict[str, Comments] = {}

    def run(self, unit: str, target: Target = "mmengine") -> UnitResult:
        kind, _, name = unit.partition(":")
        path = Path(name)
        engine = self.engine
        with engine.index.recording(Dependencies()) as deps:
            outcome = engine.lint_source(path, target) if kind == "source" else \
                engine.lint_config(path, standalone_base=kind == "base", target=target)
        assert isinstance(deps, Dependencies)
        read = outcome.files
        # A model source the checks needed but could not read or parse (IL901 there).
        reached = display_path(path)
        unreadable = [to_diagnostic(problem, through=reached) for file in sorted(deps.files)
                      if file != path and (problem := engine.index.problem(file)) is not None]
        deps_hashes = {str(p): self.hashes.of(p) for p in [*read, *sorted(deps.files)]}
        signatures = {key: engine.index.fact_digest(key) for key in sorted(deps.facts)}
        result = UnitResult(unit, dedupe(outcome.diagnostics + unreadable),
                            [str(p) for p in read], outcome.notes, deps_hashes, signatures, {},
                            unresolved=outcome.unresolved)
        for file in read:
            digest = self.hashes.of(file)
            shown = display_path(file)
            result.comment_files[shown] = digest
            if digest is not None:
                if digest not in self.comments:
                    self.comments[digest] = directive_comments(read_source(str(file)) or "",
                                                               shown)
                result.comments[digest] = self.comments[digest]
        return result


# The worker of a pool process: its first chunk builds it, later chunks reuse it. It starts
# from the index the parent had when it forked (what the parent already read is not re-read).
_WORKER: Optional[_Worker] = None
_PARENT_INDEX: Optional[ProjectIndex] = None


def _pool_units(units: list[tuple[str, Target]], roots: dict[str, Path],
                source_roots: list[Path], sources: list[Path]) -> list[UnitResult]:
    global _WORKER
    if _WORKER is None:
        _WORKER = _Worker(roots, source_roots, sources, _PARENT_INDEX)
    return [_WORKER.run(unit, target) for unit, target in units]


def _new_index(roots: dict[str, Path], source_roots: list[Path],
               sources: list[Path]) -> ProjectIndex:
    """The index every process starts from: the source roots, the packages configs come
    from, and the packages of the linted model sources."""
    from .project.index import ProjectIndex

    index = ProjectIndex(source_roots, packages=roots)
    index.add_packages_of(sources)
    return index


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def lint_paths(paths: Iterable[str], files: Optional[list[Path]] = None,
               progress: Optional[Progress] = None,
               config_roots: Optional[dict[str, Path]] = None,
               source_roots: Iterable[Path] = (), jobs: Optional[int] = None,
               cache_dir: Optional[Path] = None,
               selected: Optional[Selected] = None, excluder: Optional[Excluder] = None,
               settings_root: Optional[SettingsRoot] = None,
               targets: Optional[Callable[[Path], Target]] = None) -> LintResult:
    """Lint the configs and model sources under `paths` (or exactly `files`).

    Files found by walking a folder are skipped unread when they cannot matter; a file named
    explicitly is always read (so a syntax error in it is reported). `config_roots` maps a
    package (`mmdet`) to its folder for `mmdet::` bases and type lookups; `source_roots` are
    more folders whose classes configs may name. `jobs` processes share the work (default:
    one per core); `cache_dir` keeps results between runs (None: no cache). `selected` says
    which rules run on which file (default: all): suppressions follow it.

    A config file of the run that configs outside it inherit is also checked through them
    (inherit.py finds them in its project, walked with `excluder`; `settings_root` says where
    a file's settings file is): what they find at its lines is reported. A `_base_` file
    that no config inherits is checked on its own.

    `targets` gives the runtime each file is judged against (default: decided per project,
    target.py's `auto`)."""
    paths = list(paths)
    if targets is None:
        targets = TargetChooser(settings_root=settings_root)
    named = {os.path.abspath(p) for p in paths if os.path.isfile(p)}
    todo = list(discover(paths, CONFIG_SUFFIXES)) if files is None else files
    cwd = os.getcwd()
    absolute = {path: os.path.normpath(os.path.join(cwd, path)) for path in todo}  # abspath
    roots = {**(config_roots or {})}
    source_roots = [Path(p).resolve() for p in source_roots]
    # Diagnostics name files (and messages name bases) relative to the working directory.
    settings = {"config_roots": {k: str(v.resolve()) for k, v in sorted(roots.items())},
                "source_roots": [str(p) for p in source_roots], "cwd": cwd}
    cache = Cache(cache_dir, settings) if cache_dir is not None else None
    configs: list[Path] = []
    bases: list[Path] = []
    sources: list[Path] = []
    for path in todo:
        try:
            data = file_bytes(absolute[path])
        except OSError:
            data = b""
        else:
            if cache is not None:  # read once: the cache checks contents by this hash
                cache.hashes.prime(absolute[path], data)
        kind = classify(path, data, explicit=absolute[path] in named)
        if kind != "skip":
            {"config": configs, "base": bases, "source": sources}[kind].append(path)
    done = len(todo) - len(configs) - len(bases) - len(sources)  # skipped unread

    def step(count: int = 1) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, len(todo))

    runner = _Runner(cache, roots, source_roots, [Path(absolute[p]) for p in sources], jobs,
                     step, targets)
    units = [f"config:{absolute[p]}" for p in configs]
    units += [f"source:{absolute[p]}" for p in sources]
    results = runner.run(units)
    # The configs outside the run that inherit its config files: what they see at the lines
    # of those files counts (a staged `_base_` file is checked as its users see it).
    own = {absolute[p] for p in configs + bases}
    walked = [os.path.abspath(p) for p in paths if os.path.isdir(p)]
    folders = {os.path.dirname(f): f for f in sorted(own)}  # one file per folder decides
    projects = {root for root in (project_root(Path(f), settings_root)
                                  for f in folders.values())
                if root is not None and not any(_contains(folder, str(root))
                                                for folder in walked)}
    outside = inheritors([Path(f) for f in sorted(own)], set(absolute.values()), projects,
                         excluder, cache_dir) if projects else []
    through = runner.run([f"config:{p}" for p in outside if not is_base_only(p)], count=False)
    # A `_base_/` file only where no config reached it: alone, as the loadable file it is.
    reached = {name for result in results + through for name in result.reached}
    results += runner.run([f"base:{absolute[p]}" for p in bases
                           if str(absolute[p]) not in reached])
    through += runner.run([f"base:{p}" for p in outside
                           if is_base_only(p) and str(p) not in reached], count=False)
    step(len(todo) - done)  # base files some config reached
    # The loader names files by their resolved paths: a symlinked config is still ours.
    own |= {str(Path(f).resolve()) for f in own}
    shown_own = {display_path(Path(f)) for f in own}
    for result in through:
        result.diagnostics = [d for d in result.diagnostics if d.filename in shown_own or
                              any(r.filename in shown_own for r in d.related)]
    notes: list[str] = _through_notes(own, through)
    known: dict[str, Comments] = {}
    ours = {id(result) for result in results}
    for result in results + through:
        if id(result) in ours:  # the notes of files outside the run are theirs
            notes += [n for n in result.notes if n not in notes]
        for shown, digest in result.comment_files.items():
            found = result.comments.get(digest or "") if digest else None
            if found is None and digest and cache is not None:
                found = cache.comments(digest)
            if found is not None:
                known[shown] = found
                if cache is not None and digest and digest in result.comments:
                    cache.store_comments(digest, found)
    if cache is not None:
        cache.save()
    # In unit order: the first config to reach a base names it (those of the run first).
    diagnostics = dedupe(d for result in results + through for d in result.diagnostics)
    linted = [display_path(p) for p in configs + bases + sources]
    unresolved = {display_path(Path(r.unit.partition(":")[2])): r.unresolved
                  for r in results if r.unresolved}
    depends = {display_path(Path(r.unit.partition(":")[2])): [display_path(Path(f))
                                                              for f in r.deps]
               for r in results + through}
    return LintResult(apply_suppressions(diagnostics, read_source, linted, selected,
                                         known=known), len(todo), notes, unresolved, depends)


def _contains(folder: str, path: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _through_notes(own: set[str], through: list[UnitResult]) -> list[str]:
    """For --verbose: which files of the run were checked through configs outside it."""
    users: dict[str, list[str]] = {}
    for result in through:
        user = result.unit.partition(":")[2]
        for name in result.reached:
            if name in own and name != user:
                users.setdefault(name, []).append(display_path(Path(user)))
    return [f"{display_path(Path(name))}: checked through {len(found)} config"
            f"{'s' if len(found) != 1 else ''} that inherit it ({', '.join(found[:3])}"
            f"{', ...' if len(found) > 3 else ''})" for name, found in sorted(users.items())]


class _Runner:
    """Each unit's result: from the cache when still valid, else computed (in parallel)."""

    def __init__(self, cache: Optional[Cache], roots: dict[str, Path], source_roots: list[Path],
                 sources: list[Path], jobs: Optional[int], step: Callable[[int], None],
                 targets: Callable[[Path], Target]) -> None:
        self.cache = cache
        self.targets = targets
        self.roots = roots
        self.source_roots = source_roots
        self.sources = sources
        self.jobs = jobs or default_jobs()
        self.step = step
        self.worker: Optional[_Worker] = None
        self._index: Optional[ProjectIndex] = None

    @property
    def index(self) -> ProjectIndex:
        """The index the cache's project-wide digests are checked against."""
        if self._index is None:
            self._index = _new_index(self.roots, self.source_roots, self.sources)
        return self._index

    def fact_digest(self, key: str) -> str:
        assert self.cache is not None
        return self.cache.fact_digest(key, self.index)

    def run(self, units: list[str], count: bool = True) -> list[UnitResult]:
        """The results of `units`; `count`: each is a file of the run (progress counts it)."""
        step = self.step if count else lambda _: None
        results: dict[str, UnitResult] = {}
        todo: list[str] = []
        target = {unit: self.targets(Path(unit.partition(":")[2])) for unit in units}
        cache_key = {unit: f"{target[unit]}|{unit}" for unit in units}  # one per target
        for unit in units:
            entry = self.cache.result(cache_key[unit], self.fact_digest) if self.cache else None
            if entry is not None:
                try:
                    results[unit] = UnitResult.from_entry(unit, entry)
                    step(1)
                    continue
                except (KeyError, TypeError, ValueError):
                    pass  # a damaged entry: compute it again
            todo.append(unit)
        workers = min(self.jobs, max(1, len(todo) // 8))
        if todo and workers <= 1:
            self.worker = self.worker or _Worker(self.roots, self.source_roots, self.sources,
                                                 self.index)
            for unit in todo:
                results[unit] = self.worker.run(unit, target[unit])
                step(1)
        elif todo:
            for result in self._in_pool([(u, target[u]) for u in todo], workers):
                results[result.unit] = result
                step(1)
        if self.cache is not None:
            for unit in todo:
                self.cache.store_result(cache_key[unit], results[unit].to_entry())
            # The workers' digests of project-wide facts, so the next run need not redo them.
            for key, digest in {k: v for u in todo
                                for k, v in results[u].signatures.items()}.items():
                self.cache.remember_fact(key, digest, self.index)
        return [results[unit] for unit in units]

    def _in_pool(self, units: list[tuple[str, Target]], workers: int) -> Iterator[UnitResult]:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        # Units of one folder share their bases: keep them together, deal folders out.
        chunks: list[list[tuple[str, Target]]] = [[] for _ in range(workers * 4)]
        for i, (_, group) in enumerate(itertools.groupby(sorted(units),
                                                         key=lambda u: Path(u[0]).parent)):
            chunks[i % len(chunks)].extend(group)
        global _PARENT_INDEX
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        _PARENT_INDEX = self.index if "fork" in methods else None
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [pool.submit(_pool_units, chunk, self.roots, self.source_roots,
                                   self.sources) for chunk in chunks if chunk]
            for future in as_completed(futures):
                yield from future.result()


def lint_text(text: str, filename: str = "<stdin>",
              config_roots: Optional[dict[str, Path]] = None,
              source_roots: Iterable[Path] = (),
              selected: Optional[Selected] = None,
              target: Optional[Target] = None) -> list[Diagnostic]:
    """Lint the text of one config named `filename` (its `_base_` files are read from disk)
    against `target` (None: decided for its project, target.py's `auto`)."""
    from .config.loader import ConfigLoader
    from .engine import Engine
    from .project.index import ProjectIndex

    roots = dict(config_roots or {})
    loader = ConfigLoader(roots)
    path = Path(filename).resolve()
    loader.override(path, text)
    engine = Engine(loader, ProjectIndex(source_roots, packages=roots))
    outcome = engine.lint_config(path, standalone_base=is_base_only(path),
                                 target=target or TargetChooser()(path))
    return apply_suppressions(outcome.diagnostics, sources_with(display_path(path), text),
                              [display_path(path)], selected)


__all__ = ["LintResult", "display_path", "lint_paths", "lint_text"]
