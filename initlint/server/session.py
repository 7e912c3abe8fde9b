"""What the language server keeps between requests: the open buffers, one loader and one index
per set of roots (so a re-lint after an edit reads only what the edit changed), the settings,
and what the last lint of each open document found and read.

Each document is linted as `initlint FILE` lints it (its `_base_` files merged, the rules its
settings select, its suppression comments applied), with one difference: every open buffer is
read instead of its file on disk, so a config sees the unsaved text of its open bases. Nothing
here speaks the protocol (server.py does) or knows about threads (the server calls a session
from one worker thread).
"""

from __future__ import annotations

import dataclasses
import os
import re
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Optional, Union

from ..cache import Dependencies
from ..catalog import get_rule
from ..config.loader import ConfigLoader, LoadedConfig
from ..diagnostics import Diagnostic, Location, dedupe
from ..discover import CONFIG_SUFFIXES, FileKind, absolute, classify, display_path, is_base_only
from ..engine import Engine, Outcome
from ..inherit import inheritors, project_root
from ..limits import MAX_FILE_BYTES
from ..project.index import ProjectIndex
from ..read import read_text, resolved
from ..settings import Options, Resolver, Settings, SettingsError, cli_options
from ..suggest import did_you_mean, hint
from ..suppress import SuppressionError, apply_suppressions
from ..target import TargetChooser
from ..values import Span

Log = Callable[[str], None]
# The configs on disk that inherit a document, through which it is checked (nearest first):
# a base such as default_runtime.py has hundreds, each a few milliseconds.
MAX_THROUGH = 100
# What the server makes of a document: a kind of file it lints, or none (`skip`).
DocumentKind = Union[FileKind, Literal["skip"]]
# `path:row:col: message`, how a SuppressionError says where it is.
_WHERE = re.compile(r"^(?P<file>.*?):(?P<row>\d+):(?P<column>\d+): (?P<message>.*)$", re.S)


# -- the editor's settings -----------------------------------------------------------------------


@dataclass(frozen=True)
class ClientSettings:
    """What the editor may set (`initializationOptions`, `workspace/configuration` section
    `initlint`): rule selection and roots as on the command line (they win over settings
    files), and what only an editor has."""

    select: Optional[tuple[str, ...]] = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    source_roots: tuple[str, ...] = ()
    config_roots: tuple[str, ...] = ()  # PACKAGE=FOLDER
    unsafe_fixes: bool = False  # "fix all" applies unsafe fixes too
    debounce: float = 0.05  # seconds between the last change and the lint it triggers


# Each setting under its camelCase (editors') and kebab-case (settings files') spelling.
_CLIENT_KEYS = {
    "select": "select",
    "extendSelect": "extend_select",
    "extend-select": "extend_select",
    "ignore": "ignore",
    "sourceRoots": "source_roots",
    "source-roots": "source_roots",
    "configRoots": "config_roots",
    "config-roots": "config_roots",
    "unsafeFixes": "unsafe_fixes",
    "unsafe-fixes": "unsafe_fixes",
    "debounce": "debounce",
}


def client_settings(raw: Any) -> tuple[ClientSettings, list[str]]:
    """The editor's settings (found at the top, under `settings` or under `initlint`), and
    what is wrong with them: a bad setting is left out, the others apply."""
    for wrapper in ("settings", "initlint"):
        if isinstance(raw, Mapping) and (
            isinstance(raw.get(wrapper), Mapping) or raw.get(wrapper) == []
        ):
            raw = raw[wrapper]
    if raw is None or raw == []:  # an empty Lua table may arrive as a JSON list
        return ClientSettings(), []
    if not isinstance(raw, Mapping):
        return ClientSettings(), [f"initlint settings must be an object, got {raw!r}"]
    values: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in raw.items():
        name = _CLIENT_KEYS.get(str(key))
        if name is None:
            problems.append(
                f"unknown initlint setting '{key}'"
                f"{hint(did_you_mean(str(key), list(_CLIENT_KEYS)))}"
            )
        elif name == "unsafe_fixes":
            if isinstance(value, bool):
                values[name] = value
            else:
                problems.append(f"initlint setting '{key}' must be true or false")
        elif name == "debounce":
            if (
                isinstance(value, (int, float))
                and not isinstance(value, bool)
                and 0 <= value <= 10_000
            ):
                values[name] = value / 1000
            else:
                problems.append(f"initlint setting '{key}' must be milliseconds (0-10000)")
        elif name == "config_roots" and isinstance(value, Mapping):
            values[name] = tuple(f"{k}={v}" for k, v in value.items())
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            values[name] = tuple(value)
        else:
            problems.append(f"initlint setting '{key}' must be a list of strings")
    return ClientSettings(**values), problems


class _Defaults(Resolver):
    """The settings when the settings files cannot be read: the defaults under the editor's."""

    def options_for_folder(self, folder: Path) -> Optional[Options]:
        return None


# -- what a lint found ---------------------------------------------------------------------------


@dataclass
class Report:
    """The last lint of one open document."""

    kind: DocumentKind
    version: Optional[int]
    by_file: dict[Path, list[Diagnostic]] = field(default_factory=dict)  # absolute paths
    reads: set[Path] = field(default_factory=set)  # a change to one of these re-lints it
    loaded: Optional[LoadedConfig] = None  # a config's merged keys, for hover and completion


@dataclass
class Buffer:
    path: Path
    text: str
    version: Optional[int]


class State:
    """A loader and an index kept alive for the documents of one set of roots; model sources
    get their own (so that opening one does not change what a config sees: `initlint FILE`
    indexes only the packages of the files it is given)."""

    def __init__(self, config_roots: Mapping[str, Path], source_roots: Sequence[Path]) -> None:
        # Parsed files are kept: a base edit loads again every config that inherits it.
        self.loader = ConfigLoader(dict(config_roots), keep_parsed=True)
        self.index = ProjectIndex(source_roots, packages=dict(config_roots))
        self.engine = Engine(self.loader, self.index)

    def read(self, path: Path, text: Optional[str]) -> None:
        """A buffer changed (`text`), or was closed (None): the loader reads it from now on;
        a new engine, since one keeps the texts it read (for fixes)."""
        if text is None:
            self.loader.forget(path)
        else:
            self.loader.override(path, text)
        # The class lookups stay: they come from the index, which a config does not change.
        self.engine = Engine(self.loader, self.index, self.engine.classes)

    def forget_source(self, path: Path, text: Optional[str] = None) -> None:
        """A model source changed: its buffer's `text` (None: its file) is read from now on."""
        self.index.override(path, text)
        self.engine = Engine(self.loader, self.index)  # its initializers came from the index


def _stamp(path: Path) -> Optional[tuple[int, int, int]]:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


def _is_source(text: str) -> bool:
    return re.search(r"^class\s+\w+", text, re.M) is not None


class Session:
    def __init__(self, root: Path, settings: Any = None, log: Optional[Log] = None) -> None:
        self.root = absolute(root)
        self.log: Log = log or (lambda message: None)
        self.buffers: dict[Path, Buffer] = {}
        self.reports: dict[Path, Report] = {}
        self.last_good: dict[Path, LoadedConfig] = {}  # a config's last readable load
        self._states: dict[tuple[Any, ...], State] = {}
        self._stamps: dict[Path, Optional[tuple[int, int, int]]] = {}  # disk files read
        self._settings_stamps: dict[Path, Optional[tuple[int, int, int]]] = {}
        self._users: dict[Path, list[Path]] = {}  # a config -> the configs that inherit it
        self.client = ClientSettings()
        self.problems: list[str] = []  # what is wrong with the editor's settings
        self.configure(settings)

    # -- settings ------------------------------------------------------------------------------
    def configure(self, raw: Any) -> list[Path]:
        """New editor settings: every open document is linted again."""
        self.client, self.problems = client_settings(raw)
        try:
            cli = cli_options(
                self.root,
                select=self.client.select,
                extend_select=self.client.extend_select,
                ignore=self.client.ignore,
                source_roots=self.client.source_roots,
                config_roots=self.client.config_roots,
            )
        except SettingsError as exc:
            self.problems.append(f"initlint settings: {exc}")
            cli = cli_options(self.root)
        self._cli = cli
        self._reset()
        return list(self.buffers)

    def _reset(self) -> None:
        self.resolver = Resolver(self._cli, self.root)
        # Each file's target (`target = "auto"`: decided once per project until settings change).
        self.targets = TargetChooser(self._target_setting, self._settings_root)
        self._states.clear()
        self._settings_stamps.clear()
        self._users.clear()

    def _settings(self, path: Path) -> tuple[Resolver, Settings, Optional[str]]:
        """The settings of a file (those of the defaults, and why, when its settings file is
        broken)."""
        folder = path.parent
        while True:  # every place a settings file may appear (before it is read)
            for name in ("initlint.toml", "pyproject.toml"):
                candidate = folder / name
                if candidate not in self._settings_stamps:
                    self._settings_stamps[candidate] = _stamp(candidate)
            if folder.parent == folder:
                break
            folder = folder.parent
        try:
            return self.resolver, self.resolver.for_file(path), None
        except SettingsError as exc:
            resolver = _Defaults(self._cli, self.root)
            return resolver, resolver.for_file(path), str(exc)

    def _target_setting(self, path: Path) -> str:
        try:
            return self.resolver.for_file(path).target
        except SettingsError:
            return "auto"

    def _settings_root(self, path: Path) -> Optional[Path]:
        try:
            settings = self.resolver.for_file(path)
        except SettingsError:
            return None
        return settings.root if settings.file is not None else None

    def file_settings(self, path: Path) -> Settings:
        """The settings that apply to the file (the defaults when a settings file is bad)."""
        return self._settings(path)[1]

    def settings_changed(self) -> bool:
        """Whether a settings file was created, edited or deleted since it was read; if so the
        settings are read again (and the loaders and indexes start over: roots may differ)."""
        if not any(_stamp(p) != s for p, s in self._settings_stamps.items()):
            return False
        self.log("a settings file changed: reading the settings again")
        self._reset()
        return True

    def _state(self, settings: Settings, kind: DocumentKind) -> State:
        key = (
            kind == "source",
            tuple(sorted((k, str(v)) for k, v in settings.config_roots.items())),
            tuple(str(p) for p in settings.source_roots),
        )
        state = self._states.get(key)
        if state is None:
            state = self._states[key] = State(settings.config_roots, settings.source_roots)
            for buffer in self.buffers.values():
                state.loader.override(buffer.path, buffer.text)
                if _is_source(buffer.text):
                    state.index.override(buffer.path, buffer.text)
        return state

    # -- buffers -------------------------------------------------------------------------------
    def open(self, path: Path, text: str, version: Optional[int]) -> list[Path]:
        return self.change(path, text, version)

    def change(self, path: Path, text: str, version: Optional[int]) -> list[Path]:
        """The buffer's new text; the open documents to lint again (it and those that read it)."""
        path = absolute(path)
        old = self.buffers.get(path)
        self.buffers[path] = Buffer(path, text, version)
        for state in self._states.values():
            state.read(path, text)
        if _is_source(text) or (old is not None and _is_source(old.text)):
            return self._source_changed(path, text)
        return self._dependents(path)

    def close(self, path: Path) -> list[Path]:
        """The buffer is closed: its file is read from disk again; the open documents that
        read it are linted again."""
        path = absolute(path)
        old = self.buffers.pop(path, None)
        self.reports.pop(path, None)
        self.last_good.pop(path, None)
        for state in self._states.values():
            state.read(path, None)
        if old is not None and _is_source(old.text):
            return self._source_changed(path)
        return self._dependents(path)

    def files_changed(self, paths: Iterable[Path]) -> list[Path]:
        """Files changed on disk (saved, or changed by another program): what read them is
        linted again."""
        todo: list[Path] = []
        self._users.clear()  # a config may start (or stop) inheriting another
        for path in map(absolute, paths):
            if path.name in ("pyproject.toml", "initlint.toml"):
                self._reset()
                return list(self.buffers)
            self._stamps.pop(path, None)
            if path in self.buffers:
                continue  # the buffer is what counts
            for state in self._states.values():
                state.loader.invalidate(path)
                state.engine = Engine(state.loader, state.index)
            text = self.text_of(path) if path.suffix == ".py" else ""
            found = (
                self._source_changed(path)
                if text is None or _is_source(text)
                else self._dependents(path)
            )  # a model source (or gone): the index reads it again
            todo += [p for p in found if p not in todo]
        return todo

    def _source_changed(self, path: Path, text: Optional[str] = None) -> list[Path]:
        # Registries and class names span files: every open document may see the change.
        for state in self._states.values():
            state.forget_source(path, text)
        return list(self.buffers)

    def _dependents(self, path: Path) -> list[Path]:
        return [
            p
            for p in self.buffers
            if p == path or (p in self.reports and path in self.reports[p].reads)
        ]

    def _check_disk(self) -> None:
        """Files read from disk that changed since (another program, a `git checkout`): what
        was loaded from them is loaded again."""
        changed = [p for p, s in self._stamps.items() if _stamp(p) != s]
        if changed:
            self.files_changed(changed)

    # -- linting -------------------------------------------------------------------------------
    def text_of(self, path: Path) -> Optional[str]:
        """A file's text: its buffer when open, else from disk (None: unreadable)."""
        buffer = self.buffers.get(absolute(path))
        if buffer is not None:
            return buffer.text
        text = read_text(path, display_path(path))
        return text if isinstance(text, str) else None

    def kind(self, path: Path) -> DocumentKind:
        """What a document is, as `initlint` classifies a file it finds in a folder: a file
        that cannot matter (no init_cfg, `_base_` or `read_base`), or of another type, is not
        linted; nor is one the settings exclude (as `--force-exclude` would), or an installed
        package's (go-to-definition opens those)."""
        buffer = self.buffers.get(path)
        if (
            path.suffix not in CONFIG_SUFFIXES
            or buffer is None
            or {"site-packages", "dist-packages"} & set(path.parts)
            or self._excluded(path)
        ):
            return "skip"
        kinds = classify(path, buffer.text.encode("utf-8", "surrogatepass"), explicit=False)
        # A file that is both (a config that defines a class) is linted as the config it is.
        return kinds[0] if kinds else "skip"

    def _excluded(self, path: Path) -> bool:
        try:
            return self.resolver.is_path_excluded(path)
        except SettingsError:
            return False

    def current(self, path: Path) -> tuple[State, Optional[LoadedConfig], bool]:
        """The state a document is linted in, its merged config, and whether that is of the
        buffer as it is now (else the last one that could be read, while the text does not
        parse; None for a model source or a file that is not linted)."""
        path = absolute(path)
        kind = self.kind(path)
        _, settings, _ = self._settings(path)
        state = self._state(settings, kind)
        if kind in ("source", "skip"):
            return state, None, False
        loaded = state.loader.load(path)
        if loaded.readable:
            self.last_good[path] = loaded
            return state, loaded, True
        return state, self.last_good.get(path), False

    def lint(self, path: Path) -> Report:
        """Lint an open document; its report (kept until the next lint or its close)."""
        path = absolute(path)
        self.settings_changed()
        self._check_disk()
        buffer = self.buffers.get(path)
        version = buffer.version if buffer else None
        kind = self.kind(path)
        if kind == "skip" or buffer is None:
            report = Report(kind, version, reads={path})
        elif (
            len(buffer.text) > MAX_FILE_BYTES
            or len(buffer.text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES
        ):
            report = Report(kind, version, {path: [_too_large(path, buffer.text)]}, {path})
        else:
            report = self._lint(path, kind, version)
        self.reports[path] = report
        if report.loaded is not None and report.loaded.readable:
            self.last_good[path] = report.loaded
        for read in report.reads:
            if read not in self.buffers and read not in self._stamps:
                self._stamps[read] = _stamp(read)
        return report

    def preview(self, path: Path, text: str) -> list[Diagnostic]:
        """What linting the document finds in it were its buffer `text` (for "fix all"); its
        report and buffer stay as they are."""
        path = absolute(path)
        buffer = self.buffers.get(path)
        if buffer is None:
            return []
        saved = buffer
        self.change(path, text, buffer.version)
        try:
            kind = self.kind(path)
            report = self._lint(path, kind, buffer.version) if kind != "skip" else None
        finally:
            self.change(path, saved.text, saved.version)
        return report.by_file.get(path, []) if report is not None else []

    def _lint(self, path: Path, kind: DocumentKind, version: Optional[int]) -> Report:
        name = display_path(path)
        resolver, settings, settings_error = self._settings(path)
        state = self._state(settings, kind)
        deps = Dependencies()
        report = Report(kind, version, reads={path})
        try:
            with state.index.recording(deps):
                outcome = self._outcome(state, path, kind, resolver)
            if kind != "source":
                report.loaded = state.loader.load(path)
            report.reads |= set(outcome.files) | deps.files
            diagnostics = self._suppressed(outcome.diagnostics, name, resolver)
        except Exception as exc:  # a bug: a diagnostic on the file, never a dead server
            self.log(f"internal error linting {name}:\n{traceback.format_exc()}")
            diagnostics = [_internal_error(name, exc)]
        if settings_error is not None:
            diagnostics.append(
                _note(
                    name,
                    f"initlint settings: {settings_error}; the defaults apply until it is fixed",
                )
            )
        for problem in self.problems:
            diagnostics.append(_note(name, problem, "warning"))
        aliases = {resolved(p): p for p in self.buffers}  # a buffer opened through a symlink
        for diagnostic in diagnostics:
            file = absolute(Path(diagnostic.filename)) if diagnostic.filename else path
            file = aliases.get(resolved(file), file)
            report.by_file.setdefault(file, []).append(diagnostic)
        return report

    def _outcome(self, state: State, path: Path, kind: DocumentKind, resolver: Resolver) -> Outcome:
        """As `initlint FILE` lints it: a model source, its sites; a config, its init_cfg; a
        `_base_` file through the configs on disk that inherit it (what they see at its
        lines), and alone only when none of them reaches it. (The command line checks any
        config through those that inherit it; here only a base, which alone is partial: a
        config's own lint stays milliseconds, however many configs inherit it.)"""
        engine = state.engine
        target = self.targets(path)
        if kind == "source":
            return engine.lint_source(path, target)
        if kind != "base":
            return engine.lint_config(path, target=target)
        name = display_path(path)
        through = Outcome()
        reached = False
        itself = resolved(path)  # as the loader names the files it read
        for user in self._inheritors(path, resolver):
            found = engine.lint_config(user, target=self.targets(user))
            reached |= itself in found.files
            through.files += [f for f in found.files if f not in through.files]
            # Only what they see in this file: the others are not being edited.
            through.diagnostics += [d for d in found.diagnostics if d.filename == name]
        if reached:
            through.diagnostics = dedupe(through.diagnostics)
            return through
        own = engine.lint_config(path, standalone_base=True, target=target)
        own.diagnostics = dedupe(own.diagnostics + through.diagnostics)
        own.files += [f for f in through.files if f not in own.files]
        return own

    def _inheritors(self, path: Path, resolver: Resolver) -> list[Path]:
        """The configs on disk that inherit `path` (nearest first, at most `MAX_THROUGH`),
        found once (again when files change): `inherit.inheritors` in the file's project."""
        found = self._users.get(path)
        if found is None:

            def settings_root(file: Path) -> Optional[Path]:
                try:
                    settings = resolver.for_file(file)
                except SettingsError:
                    return None
                return settings.root if settings.file is not None else None

            root = project_root(path, settings_root)
            found = (
                [
                    p
                    for p in inheritors([path], {str(path)}, [root], resolver)
                    if not is_base_only(p)
                ][:MAX_THROUGH]
                if root is not None
                else []
            )
            self._users[path] = found
        return found

    def _suppressed(
        self, diagnostics: list[Diagnostic], name: str, resolver: Resolver
    ) -> list[Diagnostic]:
        """The suppression comments applied (the buffers' comments, not the disk's), then the
        settings. A comment naming an unknown rule (half typed, say) is reported where it is
        and left out, and the others still apply."""
        blanked: dict[str, set[int]] = {}  # file -> rows whose comment is left out
        errors: list[Diagnostic] = []

        def texts(shown: str) -> Optional[str]:
            text = self.text_of(Path(shown))
            if text is None or shown not in blanked:
                return text
            lines = text.splitlines(keepends=True)
            for row in blanked[shown]:
                if 0 < row <= len(lines):
                    hash_at = lines[row - 1].find("#")
                    if hash_at >= 0:
                        line = lines[row - 1]
                        ending = line[len(line.rstrip("\r\n")) :]
                        lines[row - 1] = line[:hash_at] + ending
            return "".join(lines)

        for _ in range(100):
            try:
                kept = apply_suppressions(diagnostics, texts, [name], resolver.is_selected)
                break
            except SuppressionError as exc:
                where = _WHERE.match(str(exc))
                if where is None or int(where["row"]) in blanked.get(where["file"], set()):
                    raise
                row = int(where["row"])
                blanked.setdefault(where["file"], set()).add(row)
                errors.append(
                    dataclasses.replace(
                        _note(
                            where["file"],
                            f"suppression comment ignored: {where['message']}",
                            "warning",
                        ),
                        location=Location(row, int(where["column"])),
                        end_location=Location(row, int(where["column"]) + 1),
                    )
                )
        else:
            kept = list(diagnostics)
        return resolver.apply(kept) + errors

    # -- what is published ---------------------------------------------------------------------
    def diagnostics_for(self, path: Path) -> list[Diagnostic]:
        """What is shown on a file: what its own lint found there and what the lints of the
        open configs that read it found there (one each, naming every config it was reached
        through)."""
        path = absolute(path)
        found: list[Diagnostic] = []
        owners = [path] if path in self.reports else []
        owners += [p for p in self.reports if p != path]
        for owner in owners:
            found += self.reports[owner].by_file.get(path, [])
        merged: dict[tuple[Any, ...], Diagnostic] = {}
        for diagnostic in dedupe(found):
            merged[_key(diagnostic)] = diagnostic
        for diagnostic in found:  # the configs each one was reached through
            kept = merged.get(_key(diagnostic))
            if kept is not None and kept is not diagnostic:
                extra = tuple(r for r in diagnostic.related if r not in kept.related)
                if extra:
                    merged[_key(diagnostic)] = dataclasses.replace(
                        kept, related=kept.related + extra
                    )
        return sorted(merged.values(), key=lambda d: d.sort_key)

    def published_files(self, paths: Iterable[Path]) -> set[Path]:
        """The files whose diagnostics the reports of `paths` speak of."""
        return {file for p in paths if p in self.reports for file in self.reports[p].by_file}

    def open_documents(self) -> list[Path]:
        return list(self.buffers)


def _key(diagnostic: Diagnostic) -> tuple[Any, ...]:
    return (
        diagnostic.code,
        diagnostic.filename,
        diagnostic.location,
        None if diagnostic.location else diagnostic.message,
    )


def _note(name: str, message: str, severity: str = "error") -> Diagnostic:
    """A diagnostic that is no rule's (code ''): settings that cannot be read, a suppression
    comment naming an unknown rule."""
    return Diagnostic(
        code="",
        severity="warning" if severity == "warning" else "error",
        message=message,
        filename=name,
        location=Location(1, 1),
        end_location=Location(1, 1),
    )


def _internal_error(name: str, exc: BaseException) -> Diagnostic:
    message = f"internal error analysing this file (please report it): {type(exc).__name__}: {exc}"
    rule = get_rule("IL905")
    if rule is not None:
        from ..diagnostics import to_diagnostic

        return to_diagnostic(rule.finding(message, Span(name, 1, 1, 1, 1)))
    return _note(name, message)


def _too_large(path: Path, text: str) -> Diagnostic:
    from ..checks.files import TooLargeToAnalyse
    from ..diagnostics import to_diagnostic

    size = len(text.encode("utf-8", "surrogatepass"))
    return to_diagnostic(
        TooLargeToAnalyse.at(
            Span(display_path(path), 1, 1, 1, 1),
            (
                f"the buffer is {size / 2**20:.1f} MB, beyond the {MAX_FILE_BYTES / 2**20:.1f} MB "
                "initlint reads of one file; not analysed"
            ),
        )
    )


__all__ = ["Buffer", "ClientSettings", "Report", "Session", "client_settings"]
