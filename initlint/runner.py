"""Running a lint: the units of work (a config with its bases, a model source, a base file no
config reached), each from the cache while it is current or computed by the engine (in a pool
of processes for many), then gathered, de-duplicated and filtered by suppression comments."""

from __future__ import annotations

import dataclasses
import itertools
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, cast

from .cache import Cache, Dependencies
from .checks.files import InternalError, UnreadableFile
from .diagnostics import Diagnostic, dedupe, from_dict, to_diagnostic, to_dict
from .discover import CONFIG_SUFFIXES, Excluder, classify, discover, display_path, is_base_only
from .findings import Finding, UnresolvedBase
from .inherit import SettingsRoot, inheritors, project_root
from .read import Files, is_content_hash, resolved
from .suppress import (
    Selected,
    apply_suppressions,
    directive_comments,
    sources_with,
)
from .target import Target, TargetChooser
from .values import Span

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from .project.index import ProjectIndex

Progress = Callable[[int, int], None]  # (files done, files in all)


@dataclass
class LintResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0  # files read (not those that could not be)
    notes: list[str] = field(default_factory=list)  # what --verbose shows
    internal_errors: int = 0  # files IL905 was reported on: the run exits 2
    # The configs of the run (as shown) with `_base_` files that could not be followed.
    unresolved: dict[str, list[UnresolvedBase]] = field(default_factory=dict)
    units: list[UnitResult] = field(default_factory=list, repr=False)  # what `reached` reads

    @cached_property
    def reached(self) -> dict[str, list[str]]:
        """Each linted file and the files its result depends on (its bases, model sources),
        as diagnostics name them: the fix loop tells from it which edit changed what (only
        it: naming every dependency of a whole tree costs a tenth of a second)."""
        return {
            display_path(Path(r.unit.partition(":")[2])): [display_path(Path(f)) for f in r.deps]
            for r in self.units
        }


Comments = list[tuple[int, int, str]]  # (row, column, text) of a file's directive comments


@dataclass
class UnitResult:
    """What linting one file found: a config (with its bases), a model source, or a base file
    no config reached. `deps` and `signatures` say when the result goes stale."""

    unit: str  # "config:<path>", "base:<path>" or "source:<path>" (absolute path)
    diagnostics: list[Diagnostic]
    reached: list[str]  # the config files it read (the file and its bases)
    notes: list[str]
    deps: dict[str, str]  # file read or looked for -> its state (read.Files.state)
    signatures: dict[str, str]  # project-wide fact -> digest (ProjectIndex.fact_digest)
    comment_files: dict[str, Optional[str]]  # file as shown -> content hash (its comments)
    comments: dict[str, Comments] = field(default_factory=dict)  # content hash -> comments
    unresolved: list[UnresolvedBase] = field(default_factory=list)
    internal_error: bool = False  # IL905: never cached

    def to_entry(self) -> dict[str, Any]:
        return {
            "diagnostics": [to_dict(d) for d in self.diagnostics],
            "reached": self.reached,
            "notes": self.notes,
            "deps": self.deps,
            "signatures": self.signatures,
            "comment_files": self.comment_files,
            "unresolved": [dataclasses.asdict(u) for u in self.unresolved],
        }

    @classmethod
    def from_entry(cls, unit: str, entry: dict[str, Any]) -> UnitResult:
        """The result `to_entry` wrote; KeyError, TypeError or ValueError for anything else."""
        return cls(
            unit,
            [from_dict(d) for d in entry["diagnostics"]],
            list(entry["reached"]),
            list(entry["notes"]),
            dict(entry["deps"]),
            dict(entry["signatures"]),
            dict(entry["comment_files"]),
            unresolved=[UnresolvedBase(**u) for u in entry["unresolved"]],
        )


def internal_error(unit: str, what: str, detail: str = "") -> UnitResult:
    """IL905 on the unit's file: what went wrong (the exception, or how its process died)."""
    path = Path(unit.partition(":")[2])
    name = display_path(path)
    finding = InternalError.at(
        Span(name, 1, 1, 1, 1), f"internal error analysing this file (please report it): {what}"
    )
    notes = [f"{name}: internal error: {detail}"] if detail else []
    return UnitResult(
        unit, [to_diagnostic(finding)], [str(path)], notes, {}, {}, {}, internal_error=True
    )


def _describe(exc: BaseException) -> tuple[str, str]:
    """An exception as one line (its type, message and the innermost frame of initlint) and
    its traceback (for -v)."""
    message = " ".join(str(exc).split())
    message = message if len(message) <= 200 else message[:200] + "..."
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if f"{os.sep}initlint{os.sep}" in f.filename
    ]
    where = ""
    if frames:
        file = frames[-1].filename
        where = f" at initlint{file.rsplit(os.sep + 'initlint', 1)[-1]}:{frames[-1].lineno}"
    text = type(exc).__name__ + (f": {message}" if message else "") + where
    detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-6:])
    return text, detail.strip()


class _Worker:
    """Lints units in one process: an engine (its loader and index shared by the units), and
    the directive comments of every file read, each file tokenized once."""

    def __init__(
        self,
        roots: dict[str, Path],
        source_roots: list[Path],
        sources: list[Path],
        index: Optional[ProjectIndex] = None,
        files: Optional[Files] = None,
    ) -> None:
        from .config.loader import ConfigLoader
        from .engine import Engine  # the checking engine, imported only when needed

        index = index or _new_index(roots, source_roots, sources, files or Files())
        self.files = index.files  # one reading of each file, for the loader and the index
        self.engine = Engine(ConfigLoader(roots, self.files), index)
        self.comments: dict[str, Comments] = {}

    def run(self, unit: str, target: Target = "mmengine") -> UnitResult:
        """The unit's result against `target`; an unexpected exception is IL905 on its file,
        and the other units go on (a MemoryError or a RecursionError included)."""
        try:
            return self._run(unit, target)
        except Exception as exc:
            what, detail = _describe(exc)
            return internal_error(unit, what, detail)

    def _run(self, unit: str, target: Target) -> UnitResult:
        kind, _, name = unit.partition(":")
        path = Path(name)
        engine = self.engine
        with engine.index.recording(Dependencies()) as deps:
            outcome = (
                engine.lint_source(path, target)
                if kind == "source"
                else engine.lint_config(path, standalone_base=kind == "base", target=target)
            )
        assert isinstance(deps, Dependencies)
        read = outcome.files
        # A model source the checks needed but could not read or parse (IL901 there).
        reached = display_path(path)
        unreadable = [
            to_diagnostic(problem, through=reached)
            for file in sorted(deps.files)
            if file != path and (problem := engine.index.problem(file)) is not None
        ]
        # The states the files had when they were read (or looked for): what was linted.
        states = {
            str(p): self.files.state(p) for p in [*read, *outcome.looked_for, *sorted(deps.files)]
        }
        facts = sorted({*deps.facts, *outcome.facts})
        signatures = {key: engine.index.fact_digest(key) for key in facts}
        result = UnitResult(
            unit,
            dedupe(outcome.diagnostics + unreadable),
            [str(p) for p in read],
            outcome.notes,
            states,
            signatures,
            {},
            unresolved=outcome.unresolved,
        )
        for file in read:
            state = self.files.state(file)
            digest = state if is_content_hash(state) else None
            shown = display_path(file)
            result.comment_files[shown] = digest
            if digest is not None:
                if digest not in self.comments:
                    self.comments[digest] = directive_comments(
                        self.files.source_text(str(file)) or "", shown
                    )
                result.comments[digest] = self.comments[digest]
        return result


# The worker of a pool process: its first chunk builds it, later chunks reuse it. It starts
# from the index the parent had when it forked (what the parent already read is not re-read).
_WORKER: Optional[_Worker] = None
_PARENT_INDEX: Optional[ProjectIndex] = None


def _pool_units(
    units: list[tuple[str, Target]],
    roots: dict[str, Path],
    source_roots: list[Path],
    sources: list[Path],
) -> list[UnitResult]:
    return [_pool_worker(roots, source_roots, sources).run(unit, target) for unit, target in units]


def _pool_worker(roots: dict[str, Path], source_roots: list[Path], sources: list[Path]) -> _Worker:
    global _WORKER
    if _WORKER is None:
        _WORKER = _Worker(roots, source_roots, sources, _PARENT_INDEX)
    return _WORKER


def _worker_start() -> None:
    """A worker process, as it starts: Ctrl-C is the parent's to handle; it dies with its
    parent (a SIGKILL of the parent must not leave it running); and it holds none of the
    caller's standard streams, so a caller reading initlint's output through a pipe sees it
    end when initlint does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    if not _die_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before we asked
        os._exit(1)
    try:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.close(null)
    except OSError:
        pass


def _die_with_parent() -> bool:
    """Linux: the kernel kills this process when its parent dies (PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(1, signal.SIGKILL, 0, 0, 0)) == 0  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _isolated_unit(
    unit: tuple[str, Target],
    roots: dict[str, Path],
    source_roots: list[Path],
    sources: list[Path],
    out: Connection,
) -> None:
    """A process of its own for one unit (after a worker died): its result, sent back."""
    _worker_start()
    out.send(_pool_worker(roots, source_roots, sources).run(*unit))
    out.close()


def _new_index(
    roots: dict[str, Path],
    source_roots: list[Path],
    sources: list[Path],
    files: Optional[Files] = None,
) -> ProjectIndex:
    """The index every process starts from: the source roots, the packages configs come
    from, and the packages of the linted model sources."""
    from .project.index import ProjectIndex

    index = ProjectIndex(source_roots, packages=roots, files=files)
    index.add_packages_of(sources)
    return index


def default_jobs() -> int:
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


def lint_paths(
    paths: Iterable[str],
    files: Optional[list[Path]] = None,
    progress: Optional[Progress] = None,
    config_roots: Optional[dict[str, Path]] = None,
    source_roots: Iterable[Path] = (),
    jobs: Optional[int] = None,
    cache_dir: Optional[Path] = None,
    selected: Optional[Selected] = None,
    excluder: Optional[Excluder] = None,
    settings_root: Optional[SettingsRoot] = None,
    unreadable: Iterable[tuple[Path, str]] = (),
    targets: Optional[Callable[[Path], Target]] = None,
) -> LintResult:
    """Lint the configs and model sources under `paths` (or exactly `files`).

    Files found by walking a folder are skipped unread when they cannot matter; a file named
    explicitly is always read (so a syntax error in it is reported). `config_roots` maps a
    package (`mmdet`) to its folder for `mmdet::` bases and type lookups; `source_roots` are
    more folders whose classes configs may name. `jobs` processes share the work (default:
    one per core); `cache_dir` keeps results between runs (None: no cache). `selected` says
    which rules run on which file (default: all): suppressions follow it. `unreadable`: the
    folders a walk could not read, with why (`discover`'s `problems`), reported as IL901.

    `targets` gives the runtime each file is judged against (default: decided per project,
    target.py's `auto`).

    A config file of the run that configs outside it inherit is also checked through them
    (inherit.py finds them in its project, walked with `excluder`; `settings_root` says where
    a file's settings file is): what they find at its lines is reported. A `_base_` file
    that no config inherits is checked on its own.

    A file that cannot be read (a FIFO, a device, a dangling link, beyond the size bound) is
    reported and not counted as checked; an unexpected failure on one file is IL905 there
    (`internal_errors`), and every other file is still linted."""
    paths = list(paths)
    walk_problems = list(unreadable)
    named = {os.path.abspath(p) for p in paths if not os.path.isdir(p)}
    todo = (
        list(discover(paths, CONFIG_SUFFIXES, problems=walk_problems)) if files is None else files
    )
    cwd = os.getcwd()
    absolute = {path: os.path.normpath(os.path.join(cwd, path)) for path in todo}  # abspath
    roots = {**(config_roots or {})}
    source_roots = [Path(p).resolve() for p in source_roots]
    # Diagnostics name files (and messages name bases) relative to the working directory.
    settings = {
        "config_roots": {k: str(v.resolve()) for k, v in sorted(roots.items())},
        "source_roots": [str(p) for p in source_roots],
        "cwd": cwd,
    }
    contents = Files()  # every file read once: what is linted is what the cache hashes
    notes: list[str] = []
    cache = Cache(cache_dir, settings, contents) if cache_dir is not None else None
    if cache is not None and not cache.usable:
        notes += cache.notes
        cache = None
    configs: list[Path] = []
    bases: list[Path] = []
    sources: list[Path] = []
    problems = [
        to_diagnostic(
            UnreadableFile.at(
                Span(display_path(folder), 1, 1, 1, 1),
                f"cannot read this folder: {why}; the files in it are not linted",
            )
        )
        for folder, why in walk_problems
    ]
    read = 0
    for path in todo:
        data = contents.bytes(Path(absolute[path]), display_path(path))
        if isinstance(data, Finding):  # a FIFO, a device, unreadable, too large: said, not read
            problems.append(to_diagnostic(data))
            continue
        read += 1
        for kind in classify(path, data, explicit=absolute[path] in named):
            {"config": configs, "base": bases, "source": sources}[kind].append(path)
    kinds = {p for p in configs + bases + sources}
    done = len(todo) - len(kinds)  # skipped unread, or unreadable

    def step(count: int = 1) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(min(done, len(todo)), len(todo))

    runner = _Runner(
        cache,
        roots,
        source_roots,
        [Path(absolute[p]) for p in sources],
        jobs,
        step,
        contents,
        targets or TargetChooser(settings_root=settings_root),
    )
    units = [f"config:{absolute[p]}" for p in configs]
    units += [f"source:{absolute[p]}" for p in sources]
    results = runner.run(units)
    # The configs outside the run that inherit its config files: what they see at the lines
    # of those files counts (a staged `_base_` file is checked as its users see it).
    own = {absolute[p] for p in configs + bases}
    walked = [os.path.abspath(p) for p in paths if os.path.isdir(p)]
    folders = {os.path.dirname(f): f for f in sorted(own)}  # one file per folder decides
    projects = {
        root
        for root in (project_root(Path(f), settings_root) for f in folders.values())
        if root is not None and not any(_contains(folder, str(root)) for folder in walked)
    }
    outside = (
        inheritors(
            [Path(f) for f in sorted(own)], set(absolute.values()), projects, excluder, cache_dir
        )
        if projects
        else []
    )
    through = runner.run([f"config:{p}" for p in outside if not is_base_only(p)], count=False)
    # A `_base_/` file only where no config reached it: alone, as the loadable file it is.
    reached = {name for result in results + through for name in result.reached}
    results += runner.run([f"base:{absolute[p]}" for p in bases if str(absolute[p]) not in reached])
    through += runner.run(
        [f"base:{p}" for p in outside if is_base_only(p) and str(p) not in reached], count=False
    )
    step(len(todo) - done)  # base files some config reached
    if through:  # (resolving every file of a whole tree costs 0.05 s: only when needed)
        # The loader names files by their resolved paths: a symlinked config is still ours.
        own |= {str(resolved(Path(f))) for f in own}
        shown_own = {display_path(Path(f)) for f in own}
        for result in through:  # an internal error there is ours too: it exits 2
            result.diagnostics = [
                d
                for d in result.diagnostics
                if d.filename in shown_own
                or d.code == "IL905"
                or any(r.filename in shown_own for r in d.related)
            ]
        notes += _through_notes(own, through)
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
        notes += [n for n in cache.notes if n not in notes]
    # In unit order: the first config to reach a base names it (those of the run first).
    diagnostics = dedupe(
        [*problems, *(d for result in results + through for d in result.diagnostics)]
    )
    linted = [display_path(p) for p in dict.fromkeys(configs + bases + sources)]
    unresolved = {
        display_path(Path(r.unit.partition(":")[2])): r.unresolved for r in results if r.unresolved
    }
    return LintResult(
        apply_suppressions(diagnostics, contents.source_text, linted, selected, known=known),
        read,
        notes,
        sum(1 for result in results + through if result.internal_error),
        unresolved,
        results + through,
    )


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
    return [
        f"{display_path(Path(name))}: checked through {len(found)} config"
        f"{'s' if len(found) != 1 else ''} that inherit it ({', '.join(found[:3])}"
        f"{', ...' if len(found) > 3 else ''})"
        for name, found in sorted(users.items())
    ]


UNITS_PER_WORKER = 20


class _Runner:
    """Each unit's result: from the cache when still valid, else computed (in parallel)."""

    def __init__(
        self,
        cache: Optional[Cache],
        roots: dict[str, Path],
        source_roots: list[Path],
        sources: list[Path],
        jobs: Optional[int],
        step: Callable[[int], None],
        files: Optional[Files] = None,
        targets: Optional[Callable[[Path], Target]] = None,
    ) -> None:
        self.cache = cache
        self.targets = targets or TargetChooser()
        self.roots = roots
        self.source_roots = source_roots
        self.sources = sources
        self.jobs = jobs or default_jobs()
        self.step = step
        self.files = files or Files()
        self.worker: Optional[_Worker] = None
        self._index: Optional[ProjectIndex] = None
        self._digests: dict[tuple[str, int], Optional[str]] = {}

    @property
    def index(self) -> ProjectIndex:
        """The index the cache's project-wide digests are checked against."""
        if self._index is None:
            self._index = _new_index(self.roots, self.source_roots, self.sources, self.files)
        return self._index

    def fact_digest(self, key: str) -> Optional[str]:
        assert self.cache is not None
        memo = (key, self.index.generation)  # thousands of units ask for the same facts
        if memo not in self._digests:
            try:
                self._digests[memo] = self.cache.fact_digest(key, self.index)
            except (OSError, RuntimeError, ValueError):  # a key from a damaged database
                self._digests[memo] = None
        return self._digests[memo]

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
                except (KeyError, TypeError, ValueError, AttributeError):
                    pass  # a damaged entry: compute it again
            todo.append(unit)
        # A worker costs its start and a copy of what this process has loaded: about as
        # much as 20 units (mmdet's 30 inheritors of a staged config: 0.32 s here, 0.36 s
        # in a pool of two).
        workers = min(self.jobs, max(1, len(todo) // UNITS_PER_WORKER))
        if todo and workers <= 1:
            self.worker = self.worker or _Worker(
                self.roots, self.source_roots, self.sources, self.index
            )
            for unit in todo:
                results[unit] = self.worker.run(unit, target[unit])
                step(1)
        elif todo:
            for result in self._in_pool([(u, target[u]) for u in todo], workers):
                results[result.unit] = result
                step(1)
        if self.cache is not None:
            stored = [u for u in todo if not results[u].internal_error]
            for unit in stored:
                self.cache.store_result(cache_key[unit], results[unit].to_entry())
            # The workers' digests of project-wide facts, so the next run need not redo them.
            for key, digest in {
                k: v for u in stored for k, v in results[u].signatures.items()
            }.items():
                self.cache.remember_fact(key, digest, self.index)
        return [results[unit] for unit in units]

    def _context(self) -> Any:
        import multiprocessing

        global _PARENT_INDEX
        methods = multiprocessing.get_all_start_methods()
        _PARENT_INDEX = self.index if "fork" in methods else None
        return multiprocessing.get_context("fork" if "fork" in methods else None)

    def _in_pool(self, units: list[tuple[str, Target]], workers: int) -> Iterator[UnitResult]:
        """The units' results from a pool of processes. A worker that dies (a signal, the
        out-of-memory killer) breaks the pool: the units not yet done are run again, each
        in a process of its own (`_isolated`)."""
        from concurrent.futures import Future, ProcessPoolExecutor, as_completed

        # Units of one folder share their bases: keep them together, deal folders out.
        chunks: list[list[tuple[str, Target]]] = [[] for _ in range(workers * 4)]
        for i, (_, group) in enumerate(
            itertools.groupby(sorted(units), key=lambda u: Path(u[0]).parent)
        ):
            chunks[i % len(chunks)].extend(group)
        pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=self._context(), initializer=_worker_start
        )
        left: dict[Future[list[UnitResult]], list[tuple[str, Target]]] = {}
        try:
            left = {
                pool.submit(_pool_units, chunk, self.roots, self.source_roots, self.sources): chunk
                for chunk in chunks
                if chunk
            }
            for future in as_completed(list(left)):
                try:
                    found = future.result()
                except Exception:  # BrokenProcessPool, or a result that was lost
                    break
                del left[future]
                yield from found
        except BaseException:  # Ctrl-C: stop the workers now, not after their chunks
            _stop(pool)
            raise
        if left:
            for future in [f for f in left if f.done() and f.exception() is None]:
                yield from future.result()  # done before the pool broke
                del left[future]
            _stop(pool)
            yield from self._isolated([u for chunk in left.values() for u in chunk], workers)
        else:
            pool.shutdown(wait=True)

    def _isolated(self, units: list[tuple[str, Target]], workers: int) -> Iterator[UnitResult]:
        """Each unit in a process of its own, `workers` at a time: a process that dies is
        IL905 on its unit, with how it died, and the others go on."""
        from multiprocessing.connection import wait

        context = self._context()
        queue = list(units)
        running: dict[Connection, tuple[Any, tuple[str, Target]]] = {}  # pipe -> (process, unit)
        try:
            while queue or running:
                while queue and len(running) < workers:
                    unit = queue.pop(0)
                    reader, writer = context.Pipe(duplex=False)
                    process = context.Process(
                        target=_isolated_unit,
                        args=(unit, self.roots, self.source_roots, self.sources, writer),
                    )
                    process.start()
                    writer.close()
                    running[reader] = (process, unit)
                for ready in wait(list(running)):
                    reader = cast("Connection", ready)
                    process, unit = running.pop(reader)
                    try:
                        result = reader.recv()
                    except (EOFError, OSError):
                        result = None
                    except Exception:  # a result that cannot be unpickled
                        result = None
                    reader.close()
                    process.join()
                    if isinstance(result, UnitResult):
                        yield result
                    else:
                        yield internal_error(unit[0], _death(process.exitcode))
        finally:
            for process, _ in running.values():
                process.kill()
                process.join()


def _death(exitcode: Optional[int]) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"the process analysing it was killed ({name}; out of memory?)"
    return f"the process analysing it exited with status {exitcode}"


def _stop(pool: Any) -> None:
    """Kill a pool's workers and let it go (shutdown would wait for their work)."""
    processes = getattr(pool, "_processes", None) or {}  # private, but the only handle
    for process in list(processes.values()):
        try:
            process.kill()
        except (OSError, AttributeError):
            pass
    pool.shutdown(wait=True, cancel_futures=True)


def lint_text(
    text: str,
    filename: str = "<stdin>",
    config_roots: Optional[dict[str, Path]] = None,
    source_roots: Iterable[Path] = (),
    selected: Optional[Selected] = None,
    target: Optional[Target] = None,
) -> list[Diagnostic]:
    """Lint the text of one config named `filename` (its `_base_` files are read from disk)
    against `target` (None: decided for its project, target.py's `auto`). An unexpected
    failure is IL905 on it."""
    from .config.loader import ConfigLoader
    from .engine import Engine
    from .project.index import ProjectIndex

    roots = dict(config_roots or {})
    path = resolved(Path(filename))
    files = Files()
    try:
        loader = ConfigLoader(roots, files)
        loader.override(path, text)
        engine = Engine(loader, ProjectIndex(source_roots, packages=roots, files=files))
        diagnostics = engine.lint_config(
            path, standalone_base=is_base_only(path), target=target or TargetChooser()(path)
        ).diagnostics
    except Exception as exc:
        diagnostics = internal_error(f"config:{path}", _describe(exc)[0]).diagnostics
    return apply_suppressions(
        diagnostics,
        sources_with(display_path(path), text, files.source_text),
        [display_path(path)],
        selected,
    )


__all__ = ["LintResult", "display_path", "lint_paths", "lint_text"]
