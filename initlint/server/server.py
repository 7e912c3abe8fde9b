"""`initlint server`: the Language Server Protocol over standard input and output (pygls).

Diagnostics are published (or, for a client that pulls them and can be asked to pull again,
pulled) for each open Python, JSON or YAML config and model source, from the buffer's unsaved
text: on open at once, on change after a short pause (`debounce`), cleared on close. A config
sees the buffers of its open `_base_` files, and an edit to a base lints again every open config
that read it. A diagnostic found in a base file through an open config is shown on the base.

The session (session.py) is used from one worker thread, in the order the notifications came:
the event loop stays free to answer, and a lint that fails is a diagnostic, never a dead
server.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Optional, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..catalog import documents
from ..diagnostics import Diagnostic
from ..discover import absolute
from .actions import Action, Change, fix_all, fix_changes, ignore_actions, quick_fixes
from .features import Completion, Features, Target
from .positions import Encoding, Point, Text, encoding_of
from .session import Session

T = TypeVar("T")
SOURCE = "initlint"
FIX_ALL = "source.fixAll.initlint"
SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}
COMPLETION_KIND = {
    "initializer": types.CompletionItemKind.Constructor,
    "argument": types.CompletionItemKind.Property,
    "layer": types.CompletionItemKind.Class,
    "scheme": types.CompletionItemKind.Module,
    "checkpoint": types.CompletionItemKind.File,
    "attribute": types.CompletionItemKind.Field,
    "rule": types.CompletionItemKind.EnumMember,
}
UNNECESSARY = {"IL402"}  # shown faded, as editors show an unused import
logger = logging.getLogger(__name__)


class InitlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "initlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full
        )
        self.session: Optional[Session] = None
        self.features: Optional[Features] = None
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="initlint-lint")
        self.pull = False  # the client pulls diagnostics (and can be asked to pull again)
        self.document_changes = False  # the client applies versioned edits
        self.encoding: Encoding = "utf-16"
        self.pending: set[Path] = set()  # documents to lint again (touched by the worker)
        self.published: set[Path] = set()  # files shown with diagnostics (push)
        self._timer: Optional[asyncio.TimerHandle] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None

    # -- the worker ----------------------------------------------------------------------------
    def submit(self, work: Callable[[], T]) -> Future[T]:
        """Run `work` on the worker thread, after what was submitted before."""

        def guarded() -> T:
            try:
                return work()
            except Exception:
                self.log(
                    f"internal error (please report it):\n{traceback.format_exc()}",
                    types.MessageType.Error,
                )
                raise

        return self.worker.submit(guarded)

    async def run(self, work: Callable[[], T]) -> T:
        return await asyncio.wrap_future(self.submit(work))

    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        """A `window/logMessage` (from any thread)."""
        loop = self._loop
        params = types.LogMessageParams(type=kind, message=message)
        if loop is None or loop.is_closed():
            logger.info(message)
            return
        try:
            loop.call_soon_threadsafe(self.window_log_message, params)
        except RuntimeError:  # the loop is closing
            logger.info(message)

    @property
    def _session(self) -> Session:
        assert self.session is not None, "the client has not initialized the server"
        return self.session

    # -- linting -------------------------------------------------------------------------------
    def changed(self, documents: Iterable[Path]) -> None:
        """(worker) Documents to lint again at the next flush."""
        self.pending.update(documents)

    def schedule(self, delay: Optional[float] = None) -> None:
        """Lint the pending documents once nothing changed for `delay` seconds (the debounce)."""
        if self._timer is not None:
            self._timer.cancel()
        wait = self._session.client.debounce if delay is None else delay
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(wait, lambda: asyncio.ensure_future(self.flush()))

    async def flush(self) -> None:
        self._timer = None
        if self.pull:
            if await self.run(self._has_pending):
                self.refresh()
            return
        for uri, version, diagnostics in await self.run(self._lint_pending):
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
            )

    def _has_pending(self) -> bool:
        """(worker) Whether an open document waits to be pulled again (a closed one never is)."""
        self.pending.intersection_update(self._session.buffers)
        return bool(self.pending)

    def refresh(self) -> None:
        try:
            self.workspace_diagnostic_refresh(None)
        except Exception:  # the client is gone, or refused
            self.log(f"workspace/diagnostic/refresh failed:\n{traceback.format_exc()}")

    def _lint_pending(self) -> list[tuple[str, Optional[int], list[types.Diagnostic]]]:
        """(worker) Lint the pending documents; what to publish, file by file."""
        session = self._session
        todo = [p for p in self.pending if p in session.buffers]
        touched = session.published_files(todo) | set(self.pending)
        self.pending.clear()
        for path in todo:
            session.lint(path)
        touched |= session.published_files(todo)
        return self._publications(touched)

    def _publications(
        self, files: Iterable[Path]
    ) -> list[tuple[str, Optional[int], list[types.Diagnostic]]]:
        session = self._session
        out = []
        for file in sorted(files):
            found = session.diagnostics_for(file)
            report = session.reports.get(file)
            linted = report is not None and report.kind != "skip"
            if not found and file not in self.published and not linted:
                continue  # nothing was shown there, and it is not linted (another file type)
            if found:
                self.published.add(file)
            else:
                self.published.discard(file)
            buffer = session.buffers.get(file)
            out.append(
                (
                    from_fs_path(str(file)) or file.as_uri(),
                    buffer.version if buffer else None,
                    self.lsp_diagnostics(file, found),
                )
            )
        return out

    def _pull(self, path: Path) -> list[types.Diagnostic]:
        """(worker) A document's diagnostics, linted first when stale."""
        session = self._session
        report = session.reports.get(path)
        buffer = session.buffers.get(path)
        if buffer is None:
            return []
        if path in self.pending or report is None or report.version != buffer.version:
            self.pending.discard(path)
            session.lint(path)
        return self.lsp_diagnostics(path, session.diagnostics_for(path))

    # -- conversions ---------------------------------------------------------------------------
    def text(self, path: Path) -> Text:
        return Text(self._session.text_of(path) or "")

    def lsp_range(
        self, text: Text, row: int, column: int, end_row: int, end_column: int
    ) -> types.Range:
        return types.Range(
            start=_position(text.to_point(row, column, self.encoding)),
            end=_position(text.to_point(end_row, end_column, self.encoding)),
        )

    def lsp_diagnostics(self, path: Path, found: list[Diagnostic]) -> list[types.Diagnostic]:
        text = self.text(path)
        texts: dict[Path, Text] = {path: text}

        def text_of(file: Path) -> Text:
            if file not in texts:
                texts[file] = self.text(file)
            return texts[file]

        known = documents()
        out = []
        for d in found:
            start = d.location
            end = d.end_location or start
            row, column = (start.row, start.column) if start else (1, 1)
            end_row, end_column = (end.row, end.column) if end else (row, column)
            related = []
            for r in d.related:
                file = absolute(Path(r.filename))
                where = r.location
                at = (where.row, where.column) if where else (1, 1)
                related.append(
                    types.DiagnosticRelatedInformation(
                        location=types.Location(
                            uri=_uri(file), range=self.lsp_range(text_of(file), *at, *at)
                        ),
                        message=r.message,
                    )
                )
            out.append(
                types.Diagnostic(
                    range=self.lsp_range(text, row, column, end_row, end_column),
                    message=d.message,
                    severity=SEVERITY.get(d.severity),
                    code=d.code or None,
                    code_description=types.CodeDescription(href=known[d.code].url)
                    if d.code in known
                    else None,
                    source=SOURCE,
                    related_information=related or None,
                    tags=[types.DiagnosticTag.Unnecessary] if d.code in UNNECESSARY else None,
                    data=self._data(d, text_of),
                )
            )
        return out

    def _data(self, d: Diagnostic, text_of: Callable[[Path], Text]) -> dict[str, Any]:
        """What a client keeps with a diagnostic and may send back: its code, where in the
        config, and its fix as protocol edits (ruff's server keeps its fix there too)."""
        data: dict[str, Any] = {
            "code": d.code,
            "config_path": d.config_path,
            "noqa_row": d.location.row if d.location else None,
        }
        if d.fix is not None:
            data["fix"] = {
                "message": d.fix.message,
                "applicability": d.fix.applicability,
                "edits": [self._text_edit(c, text_of) for c in fix_changes(d)],
            }
        return data

    def _text_edit(self, change: Change, text_of: Callable[[Path], Text]) -> dict[str, Any]:
        where = self.lsp_range(
            text_of(change.path), change.row, change.column, change.end_row, change.end_column
        )
        return {
            "uri": _uri(change.path),
            "newText": change.content,
            "range": {
                "start": {"line": where.start.line, "character": where.start.character},
                "end": {"line": where.end.line, "character": where.end.character},
            },
        }

    def workspace_edit(self, changes: Sequence[Change]) -> types.WorkspaceEdit:
        session = self._session
        by_file: dict[Path, list[types.TextEdit]] = {}
        for change in changes:
            text = self.text(change.path)
            by_file.setdefault(change.path, []).append(
                types.TextEdit(
                    range=self.lsp_range(
                        text, change.row, change.column, change.end_row, change.end_column
                    ),
                    new_text=change.content,
                )
            )
        if self.document_changes:
            return types.WorkspaceEdit(
                document_changes=[
                    types.TextDocumentEdit(
                        text_document=types.OptionalVersionedTextDocumentIdentifier(
                            uri=_uri(path),
                            version=session.buffers[path].version
                            if path in session.buffers
                            else None,
                        ),
                        edits=list(edits),
                    )
                    for path, edits in by_file.items()
                ]
            )
        return types.WorkspaceEdit(changes={_uri(p): e for p, e in by_file.items()})

    def code_action(self, action: Action, lsp: Sequence[types.Diagnostic]) -> types.CodeAction:
        kind = types.CodeActionKind.QuickFix if action.kind == "quickfix" else FIX_ALL
        return types.CodeAction(
            title=action.title,
            kind=kind,
            edit=self.workspace_edit(action.changes),
            diagnostics=list(lsp) or None,
            is_preferred=action.preferred or None,
        )

    def offset(self, path: Path, position: types.Position) -> int:
        return self.text(path).point_offset(Point(position.line, position.character), self.encoding)


def _position(point: Point) -> types.Position:
    return types.Position(line=point.line, character=point.character)


def _uri(path: Path) -> str:
    return from_fs_path(str(path)) or path.as_uri()


def _path(uri: str) -> Optional[Path]:
    """The file a URI names; None for anything else (`untitled:`, `git:`)."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return absolute(Path(path)) if path else None


def _root(params: types.InitializeParams) -> Path:
    for candidate in [*(f.uri for f in params.workspace_folders or []), params.root_uri]:
        path = _path(candidate) if candidate else None
        if path is not None and path.is_dir():
            return path
    if params.root_path and Path(params.root_path).is_dir():
        return absolute(Path(params.root_path))
    return absolute(Path.cwd())


def build() -> InitlintServer:
    server = InitlintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: InitlintServer, params: types.InitializeParams) -> None:
        ls._loop = asyncio.get_running_loop()
        root = _root(params)
        # Diagnostics name files relative to the working directory, as `initlint` run there.
        os.chdir(root)
        ls.encoding = encoding_of(ls.workspace.position_encoding)
        caps = params.capabilities
        workspace = caps.workspace
        edit = workspace.workspace_edit if workspace else None
        ls.document_changes = bool(edit and edit.document_changes)
        refresh = workspace.diagnostics if workspace else None
        text = caps.text_document
        ls.pull = bool(text and text.diagnostic and refresh and refresh.refresh_support)
        if ls.pull:
            ls.feature(
                types.TEXT_DOCUMENT_DIAGNOSTIC,
                types.DiagnosticOptions(
                    identifier=SOURCE, inter_file_dependencies=True, workspace_diagnostics=False
                ),
            )(pull_diagnostics)
        ls.session = Session(root, params.initialization_options, log=ls.log)
        ls.features = Features(ls.session)
        for problem in ls.session.problems:
            ls.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message=problem)
            )

    @server.feature(types.INITIALIZED)
    async def initialized(ls: InitlintServer, params: types.InitializedParams) -> None:
        caps = ls.client_capabilities.workspace
        if (
            caps
            and caps.did_change_watched_files
            and caps.did_change_watched_files.dynamic_registration
        ):
            watchers = [
                types.FileSystemWatcher(glob_pattern=f"**/{name}")
                for name in ("pyproject.toml", "initlint.toml", "*.py", "*.json", "*.yaml", "*.yml")
            ]
            try:
                await ls.client_register_capability_async(
                    types.RegistrationParams(
                        registrations=[
                            types.Registration(
                                id="initlint-watched-files",
                                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                register_options=types.DidChangeWatchedFilesRegistrationOptions(
                                    watchers=watchers
                                ),
                            )
                        ]
                    )
                )
            except Exception:
                ls.log(f"could not watch files:\n{traceback.format_exc()}")
        await pull_settings(ls)

    async def pull_settings(ls: InitlintServer) -> None:
        caps = ls.client_capabilities.workspace
        if not (caps and caps.configuration):
            return
        try:
            found = await ls.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section=SOURCE)])
            )
        except Exception:
            ls.log(f"workspace/configuration failed:\n{traceback.format_exc()}")
            return
        if found and found[0] is not None:
            await apply_settings(ls, found[0])

    async def apply_settings(ls: InitlintServer, raw: Any) -> None:
        session = ls._session
        ls.changed(await ls.run(lambda: session.configure(raw)))
        for problem in session.problems:
            ls.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message=problem)
            )
        await ls.flush() if not ls.pull else ls.refresh()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(
        ls: InitlintServer, params: types.DidChangeConfigurationParams
    ) -> None:
        settings = params.settings
        if isinstance(settings, dict) and settings:
            await apply_settings(ls, settings)
        else:  # the pull model: the notification only says "ask again"
            await pull_settings(ls)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: InitlintServer, params: types.DidOpenTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path is None:
            return
        text, version = params.text_document.text, params.text_document.version
        session = ls._session
        ls.submit(lambda: ls.changed(session.open(path, text, version)))
        ls.schedule(0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: InitlintServer, params: types.DidChangeTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path is None:
            return
        text = ls.workspace.get_text_document(params.text_document.uri).source
        version = params.text_document.version
        session = ls._session
        ls.submit(lambda: ls.changed(session.change(path, text, version)))
        ls.schedule()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: InitlintServer, params: types.DidCloseTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path is None:
            return
        session = ls._session

        def close() -> None:
            shown = session.published_files([path]) | {path}
            ls.changed(session.close(path))
            ls.pending.update(shown)  # what it showed is shown again without it

        ls.submit(close)
        ls.schedule(0)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: InitlintServer, params: types.DidSaveTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path is None:
            return
        session = ls._session
        ls.submit(lambda: ls.changed(session.files_changed([path])))
        ls.schedule()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(
        ls: InitlintServer, params: types.DidChangeWatchedFilesParams
    ) -> None:
        paths = [p for p in (_path(c.uri) for c in params.changes) if p is not None]
        session = ls._session
        ls.submit(lambda: ls.changed(session.files_changed(paths)))
        ls.schedule()

    async def pull_diagnostics(
        ls: InitlintServer, params: types.DocumentDiagnosticParams
    ) -> types.RelatedFullDocumentDiagnosticReport:
        path = _path(params.text_document.uri)
        items = await ls.run(lambda: ls._pull(path)) if path is not None else []
        return types.RelatedFullDocumentDiagnosticReport(items=items)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: InitlintServer, params: types.HoverParams) -> Optional[types.Hover]:
        path = _path(params.text_document.uri)
        features = ls.features
        if path is None or features is None:
            return None

        def work() -> Optional[types.Hover]:
            found = features.hover(path, ls.offset(path, params.position))
            if found is None:
                return None
            text = ls.text(path)
            start = text.offset_point(found.start, ls.encoding)
            end = text.offset_point(found.end, ls.encoding)
            return types.Hover(
                contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=found.markdown),
                range=types.Range(start=_position(start), end=_position(end)),
            )

        return await ls.run(work)

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=["'", '"', "=", "(", ",", "[", "/", " "]),
    )
    async def completion(
        ls: InitlintServer, params: types.CompletionParams
    ) -> Optional[types.CompletionList]:
        path = _path(params.text_document.uri)
        features = ls.features
        if path is None or features is None:
            return None

        def work() -> Optional[types.CompletionList]:
            found = features.complete(path, ls.offset(path, params.position))
            if not found:
                return None
            text = ls.text(path)
            return types.CompletionList(
                is_incomplete=False, items=[_item(ls, text, c) for c in found]
            )

        return await ls.run(work)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def definition(
        ls: InitlintServer, params: types.DefinitionParams
    ) -> Optional[list[types.Location]]:
        path = _path(params.text_document.uri)
        features = ls.features
        if path is None or features is None:
            return None

        def work() -> Optional[list[types.Location]]:
            found = features.definition(path, ls.offset(path, params.position))
            return [_location(ls, t) for t in found] or None

        return await ls.run(work)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[
                types.CodeActionKind.QuickFix,
                types.CodeActionKind.SourceFixAll,
                FIX_ALL,
            ]
        ),
    )
    async def code_action(
        ls: InitlintServer, params: types.CodeActionParams
    ) -> Optional[list[types.CodeAction]]:
        path = _path(params.text_document.uri)
        if path is None:
            return None
        only = params.context.only
        wanted = {str(getattr(k, "value", k)) for k in only} if only else None
        sent = list(params.context.diagnostics)
        requested = params.range

        def work() -> Optional[list[types.CodeAction]]:
            return _actions(ls, path, requested, sent, wanted)

        return await ls.run(work)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: InitlintServer, params: None) -> None:
        if ls._timer is not None:
            ls._timer.cancel()
        ls.worker.shutdown(wait=False, cancel_futures=True)

    return server


def _item(ls: InitlintServer, text: Text, c: Completion) -> types.CompletionItem:
    start = _position(text.offset_point(c.start, ls.encoding))
    end = _position(text.offset_point(c.end, ls.encoding))
    return types.CompletionItem(
        label=c.label,
        kind=COMPLETION_KIND.get(c.kind),
        detail=c.detail or None,
        documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=c.documentation)
        if c.documentation
        else None,
        sort_text=c.sort or None,
        filter_text=c.label,
        text_edit=types.TextEdit(
            range=types.Range(start=start, end=end),
            new_text=c.insert if c.insert is not None else c.label,
        ),
    )


def _location(ls: InitlintServer, target: Target) -> types.Location:
    text = ls.text(target.path)
    return types.Location(
        uri=_uri(target.path),
        range=ls.lsp_range(text, target.row, target.column, target.end_row, target.end_column),
    )


def _actions(
    ls: InitlintServer,
    path: Path,
    requested: types.Range,
    sent: list[types.Diagnostic],
    wanted: Optional[set[str]],
) -> Optional[list[types.CodeAction]]:
    """(worker) The code actions for a range: the document linted first when stale, so that
    the fixes are of its text as it is."""
    session = ls._session
    buffer = session.buffers.get(path)
    if buffer is None:
        return None
    report = session.reports.get(path)
    if report is None or report.version != buffer.version or path in ls.pending:
        session.lint(path)
    found = session.diagnostics_for(path)
    converted = ls.lsp_diagnostics(path, found)
    actions: list[types.CodeAction] = []

    def allowed(kind: str) -> bool:
        return wanted is None or any(kind == w or kind.startswith(w + ".") for w in wanted)

    if allowed(types.CodeActionKind.QuickFix.value):
        here = [(d, c) for d, c in zip(found, converted) if _overlaps(c.range, requested)]
        # The diagnostics the client sent are the ones shown: keep theirs in the action.
        for d, lsp in here:
            shown = next((s for s in sent if s.range == lsp.range and s.code == lsp.code), lsp)
            for action in quick_fixes([d]) + ignore_actions(session, path, [d]):
                actions.append(ls.code_action(action, [shown]))
    if allowed(FIX_ALL):
        # Unsafe fixes too when the editor or the file's settings (`unsafe-fixes`) ask for them.
        unsafe = session.client.unsafe_fixes or session.file_settings(path).unsafe_fixes
        fixed = fix_all(session, path, unsafe=unsafe)
        if fixed is not None:
            actions.append(ls.code_action(fixed, []))
    return actions or None


def _overlaps(a: types.Range, b: types.Range) -> bool:
    start = (b.start.line, b.start.character)
    end = (b.end.line, b.end.character)
    return (a.start.line, a.start.character) <= end and start <= (a.end.line, a.end.character)


def serve() -> None:
    """Serve the protocol on standard input and output until the client exits."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() must not corrupt the protocol's stream
    build().start_io(stdin, stdout)


__all__ = ["InitlintServer", "build", "serve"]
