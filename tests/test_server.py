"""`initlint server` end to end: a real language client (pytest-lsp) starts `initlint server` as
an editor does, over standard input and output, and talks to it as Neovim 0.11 does (its
capabilities as pytest-lsp records them): open, change and close buffers, hover, completion,
go-to-definition and code actions. The pull-diagnostics variant speaks as a client that pulls
diagnostics and can be asked to pull again. The project is a copy of the demo in a temporary
folder (plus the `toydet` model package as a source root, read in place); nothing is written
into the checkout, and the files of the project change only where a test writes them (a
settings file), never through the server.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any, Optional

import pytest

pytest.importorskip("pytest_lsp")  # Python 3.10 or newer

import pytest_lsp  # noqa: E402
from lsprotocol import types  # noqa: E402
from pygls.protocol import default_converter  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402
from pytest_lsp.client import register_lsp_features  # noqa: E402
from pytest_lsp.protocol import LanguageClientProtocol  # noqa: E402

from tests.conftest import ROOT, run_initlint  # noqa: E402

# As the README's editor snippets start it: the console script, `server`, stdio.
SCRIPT = Path(sys.executable).with_name("initlint")
SERVER = (
    [str(SCRIPT), "server"] if SCRIPT.is_file() else [sys.executable, "-m", "initlint", "server"]
)
DEMO = ROOT / "fixtures" / "demo"
MODELS = ROOT / "fixtures" / "models"
RETINANET = "configs/retinanet/retinanet_r101_fpn_1x_coco.py"
RETINANET_BASE = "configs/_base_/models/retinanet_r50_fpn.py"
FASTER_RCNN = "configs/faster_rcnn/faster-rcnn_r50_fpn_shared2fc.py"
MASK_RCNN = "configs/mask_rcnn/mask-rcnn_r50_fpn_gn-head.py"
WAIT = 120.0  # seconds before a test gives up waiting (a hung server, not a slow one)
pytestmark = pytest.mark.asyncio(loop_scope="module")


class Recording(LanguageClientProtocol):
    """Keeps every `textDocument/publishDiagnostics` with its version, in order."""

    def _handle_notification(self, method_name: str, params: Any) -> None:
        if method_name == types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
            self._server.published.append(params)  # type: ignore[attr-defined]
        super()._handle_notification(method_name, params)


def recording_client() -> LanguageClient:
    client = LanguageClient(protocol_cls=Recording, converter_factory=default_converter)
    client.published = []  # type: ignore[attr-defined]
    client.registrations = []  # type: ignore[attr-defined]
    register_lsp_features(client)

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(ls: LanguageClient, params: types.RegistrationParams) -> None:
        client.registrations += params.registrations  # type: ignore[attr-defined]

    return client


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo, copied (each test opens its own files of it or writes new ones)."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(DEMO / "configs", root / "configs")
    return root


def initialize_params(
    root: Path, capabilities: types.ClientCapabilities, options: Optional[dict[str, Any]] = None
) -> types.InitializeParams:
    return types.InitializeParams(
        capabilities=capabilities,
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
        initialization_options=options,
    )


OPTIONS = {"sourceRoots": [str(MODELS)], "debounce": 20}


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=SERVER, client_factory=recording_client),
)
async def client(lsp_client: LanguageClient, project: Path) -> AsyncIterator[None]:
    result = await lsp_client.initialize_session(
        initialize_params(project, client_capabilities("neovim@v0.11.0"), OPTIONS)
    )
    lsp_client.init_result = result  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


# -- helpers ---------------------------------------------------------------------------------------


async def until(check: Callable[[], Any], what: str) -> Any:
    """Wait for `check()` to be truthy (a hung server fails the test, a slow one does not)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while True:
        found = check()
        if found:
            return found
        if loop.time() > deadline:
            pytest.fail(f"no {what} after {WAIT:.0f} s")
        await asyncio.sleep(0.01)


class Doc:
    """A buffer the test edits, as an editor holds it."""

    def __init__(
        self,
        client: LanguageClient,
        path: Path,
        text: Optional[str] = None,
        language: str = "python",
    ) -> None:
        self.client = client
        self.path = path
        self.uri = path.as_uri()
        self.text = path.read_text(encoding="utf-8") if text is None else text
        self.version: Optional[int] = 1  # None once closed (what the server then publishes)
        self.seen = len(published(client))
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=self.uri, language_id=language, version=1, text=self.text
                )
            )
        )

    def change(self, text: str) -> None:
        assert self.version is not None
        self.version += 1
        self.text = text
        self.seen = len(published(self.client))
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=self.uri, version=self.version
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    def close(self) -> None:
        self.seen = len(published(self.client))
        self.version = None
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=self.uri)
            )
        )

    async def diagnostics(self, uri: Optional[str] = None) -> list[types.Diagnostic]:
        """What the server publishes, for this document's current version, on this document
        (or on `uri`, published in the same round)."""

        def mine() -> Optional[int]:
            for i, params in enumerate(published(self.client)[self.seen :], self.seen):
                if params.uri == self.uri and params.version == self.version:
                    return i + 1
            return None

        last = await until(mine, f"diagnostics for {self.path.name} v{self.version}")
        if uri is None or uri == self.uri:
            return list(published(self.client)[last - 1].diagnostics)
        await until(
            lambda: any(p.uri == uri for p in published(self.client)[self.seen :]),
            f"diagnostics for {uri}",
        )
        return latest(self.client, uri)

    def position(self, needle: str, offset: int = 0, encoding: str = "utf-16") -> types.Position:
        at = self.text.index(needle) + offset
        return position_of(self.text, at, encoding)

    def ident(self) -> types.TextDocumentIdentifier:
        return types.TextDocumentIdentifier(uri=self.uri)


def published(client: LanguageClient) -> list[types.PublishDiagnosticsParams]:
    return client.published  # type: ignore[attr-defined,no-any-return]


def latest(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    for params in reversed(published(client)):
        if params.uri == uri:
            return list(params.diagnostics)
    return []


def encoding(client: LanguageClient) -> str:
    result = client.init_result  # type: ignore[attr-defined]
    negotiated = result.capabilities.position_encoding
    return str(getattr(negotiated, "value", negotiated or "utf-16"))


def units(text: str, encoding: str) -> int:
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le" if encoding == "utf-16" else "utf-8")) // (
        2 if encoding == "utf-16" else 1
    )


def position_of(text: str, offset: int, encoding: str) -> types.Position:
    before = text[:offset]
    line = before.count("\n")
    column = units(before[before.rfind("\n") + 1 :], encoding)
    return types.Position(line=line, character=column)


def offset_of(text: str, position: types.Position, encoding: str) -> int:
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[: position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    for i in range(len(line) + 1):
        if units(line[:i], encoding) >= position.character:
            return start + i
    return start + len(line)


def apply(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    """The text with the edits applied, as a client applies a workspace edit."""
    spans = sorted(
        (
            (
                offset_of(text, e.range.start, encoding),
                offset_of(text, e.range.end, encoding),
                e.new_text,
            )
            for e in edits
        ),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def edits_for(edit: types.WorkspaceEdit, uri: str) -> list[types.TextEdit]:
    found: list[types.TextEdit] = []
    for change in edit.document_changes or []:
        if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri:
            found += [e for e in change.edits if isinstance(e, types.TextEdit)]
    for changed_uri, edits in (edit.changes or {}).items():
        if changed_uri == uri:
            found += edits
    return found


def cli_diagnostics(
    root: Path, config: str
) -> dict[str, list[tuple[str, tuple[int, int], tuple[int, int]]]]:
    """`initlint --output-format json CONFIG` run in the project: code and range (protocol
    coordinates, UTF-16) of each diagnostic, by file URI."""
    run = run_initlint("--output-format", "json", config, cwd=root)
    assert run.returncode in (0, 1), run.stderr
    found: dict[str, list[tuple[str, tuple[int, int], tuple[int, int]]]] = {}
    for d in json.loads(run.stdout):
        file = root / d["filename"]
        lines = file.read_text(encoding="utf-8").split("\n")
        found.setdefault(file.as_uri(), []).append(
            (d["code"], _point(lines, d["location"]), _point(lines, d["end_location"]))
        )
    return found


def _point(lines: list[str], location: dict[str, int]) -> tuple[int, int]:
    line = lines[location["row"] - 1]
    return location["row"] - 1, units(line[: location["column"] - 1], "utf-16")


def shown(
    diagnostics: list[types.Diagnostic],
) -> list[tuple[str, tuple[int, int], tuple[int, int]]]:
    return [
        (
            str(d.code),
            (d.range.start.line, d.range.start.character),
            (d.range.end.line, d.range.end.character),
        )
        for d in diagnostics
    ]


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


async def code_actions(
    client: LanguageClient, doc: Doc, diagnostic: types.Diagnostic, only: Optional[list[str]] = None
) -> list[types.CodeAction]:
    found = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc.ident(),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic], only=only),
        )
    )
    return [a for a in found or [] if isinstance(a, types.CodeAction)]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- diagnostics ---------------------------------------------------------------------------------


@pytest.mark.parametrize("config", [RETINANET, FASTER_RCNN, MASK_RCNN])
async def test_open_gives_the_command_lines_diagnostics(
    client: LanguageClient, project: Path, config: str
) -> None:
    expected = cli_diagnostics(project, config)
    assert expected, "the demo config has diagnostics"
    doc = Doc(client, project / config)
    assert encoding(client) == "utf-8"  # Neovim 0.11 offers UTF-8 first; the demo is ASCII
    own = await doc.diagnostics()
    assert sorted(shown(own)) == sorted(expected.pop(doc.uri, []))
    for uri, rows in expected.items():  # a base's: shown on the base, reached through it
        found = latest(client, uri)
        assert sorted(shown(found)) == sorted(rows)
        assert all(
            d.related_information and d.related_information[0].location.uri == doc.uri
            for d in found
        )
    for d in own:
        assert d.source == "initlint"
        assert d.code_description is not None and d.code in d.code_description.href
        assert d.data["code"] == d.code
        assert d.severity in (types.DiagnosticSeverity.Error, types.DiagnosticSeverity.Warning)
    doc.close()
    assert await doc.diagnostics() == []


async def test_an_edited_base_buffer_changes_what_its_child_shows(
    client: LanguageClient, project: Path
) -> None:
    root = project / "base-edit"
    shutil.copytree(project / "configs", root / "configs")
    child = Doc(client, root / RETINANET)
    assert codes(await child.diagnostics()) == ["IL013"]
    base = Doc(client, root / RETINANET_BASE)
    assert codes(await base.diagnostics()) == ["IL007"]
    # Unsaved: the backbone's init_cfg loses its type, which the child does not write.
    child.seen = base.seen = len(published(client))
    base.change(base.text.replace("type='Pretrained', ", ""))
    assert codes(await base.diagnostics(child.uri)) == ["IL002"]
    # On the base, through the configs that inherit it: the demo's fine-tuning config does
    # not write the backbone's init_cfg, so it sees the missing type in the base itself.
    assert codes(await base.diagnostics()) == ["IL002", "IL007"]
    # Closed: the base is read from disk again, and the child shows what it showed.
    base.close()
    assert codes(await base.diagnostics(child.uri)) == ["IL013"]
    child.close()


async def test_a_base_opened_alone_is_checked_through_the_configs_that_inherit_it(
    client: LanguageClient, project: Path
) -> None:
    root = project / "staged"
    base = write(
        root / "configs" / "_base_" / "model.py",
        "model = dict(backbone=dict(init_cfg=dict(checkpoint='x.pth')))\n",
    )
    write(
        root / "configs" / "exp.py",
        "_base_ = ['./_base_/model.py']\n"
        "model = dict(backbone=dict(init_cfg=dict(type='Normal', layer='Conv2d')))\n",
    )
    expected = cli_diagnostics(root, "configs/_base_/model.py")
    assert [c for c, _, _ in expected[base.as_uri()]] == ["IL004"]  # `checkpoint` for Normal
    doc = Doc(client, base)
    assert sorted(shown(await doc.diagnostics())) == sorted(expected[base.as_uri()])
    doc.close()


async def test_a_syntax_error_while_typing_is_il901_and_the_server_goes_on(
    client: LanguageClient, project: Path
) -> None:
    doc = Doc(
        client,
        project / FASTER_RCNN.replace(".py", "-typing.py"),
        (project / FASTER_RCNN).read_text(),
    )
    assert "IL003" in codes(await doc.diagnostics())
    good = doc.text
    doc.change(good.replace("init_cfg=dict(type='Xaiver',", "init_cfg=dict(type='Xavier', ("))
    broken = await doc.diagnostics()
    assert codes(broken) == ["IL901"]
    assert broken[0].severity == types.DiagnosticSeverity.Error
    doc.change(good.replace("'Xaiver'", "'Xavier'"))
    assert "IL003" not in codes(await doc.diagnostics()) and codes(await doc.diagnostics())
    doc.close()


async def test_files_that_cannot_matter_are_ignored(client: LanguageClient, project: Path) -> None:
    notes = Doc(
        client, write(project / "notes.txt", "init_cfg=dict(type='Xaiver')\n"), language="plaintext"
    )
    script = Doc(client, write(project / "tools" / "plot.py", "import sys\nprint(sys.argv\n"))
    excluded = Doc(
        client,
        write(
            project / "build" / "exp.py",  # `build` is excluded
            "init_cfg = dict(type='Xaiver')\n",
        ),
    )
    config = Doc(client, project / MASK_RCNN)
    assert await config.diagnostics()  # linted after the others (one worker, in order)
    uris = {p.uri for p in published(client)}
    assert not {notes.uri, script.uri, excluded.uri} & uris
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=notes.ident(), position=types.Position(line=0, character=2))
    )
    assert hover is None
    for doc in (notes, script, excluded, config):
        doc.close()


async def test_positions_are_in_the_negotiated_encoding(
    client: LanguageClient, project: Path
) -> None:
    text = "model = dict(name='🐱 é', init_cfg=dict(type='Xaiver'))\n"
    doc = Doc(client, write(project / "configs" / "wide.py", text))
    (found,) = await doc.diagnostics()
    assert found.code == "IL003"
    negotiated = encoding(client)
    assert found.range.start == doc.position("'Xaiver'", encoding=negotiated)
    assert found.range.end == doc.position("'Xaiver'", len("'Xaiver'"), negotiated)
    doc.close()


async def test_settings_files_and_editor_settings_apply_without_a_restart(
    client: LanguageClient, project: Path
) -> None:
    root = project / "settings"
    shutil.copytree(project / "configs", root / "configs")
    doc = Doc(client, root / FASTER_RCNN)
    before = codes(await doc.diagnostics())
    assert "IL004" in before
    write(root / "pyproject.toml", '[tool.initlint]\nignore = ["IL004"]\n')
    doc.change(doc.text + "\n")
    assert codes(await doc.diagnostics()) == [c for c in before if c != "IL004"]
    write(root / "pyproject.toml", '[tool.initlint]\nselct = ["IL0"]\n')
    doc.change(doc.text + "\n")
    broken = await doc.diagnostics()
    assert codes(broken) == sorted(["None", *before])  # linted with the defaults
    assert any("unknown key 'selct'" in d.message for d in broken)
    (root / "pyproject.toml").unlink()
    seen = len(published(client))
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={"initlint": {**OPTIONS, "ignore": ["IL003", "IL104"]}}
        )
    )
    await until(
        lambda: any(p.uri == doc.uri for p in published(client)[seen:]),
        "diagnostics after the settings changed",
    )
    after = latest(client, doc.uri)
    assert codes(after) == [c for c in before if c not in ("IL003", "IL104")]
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"initlint": OPTIONS})
    )
    doc.close()


HEAD = """import torch.nn as nn
from mmengine.model import BaseModule


class Head(BaseModule):

    def __init__(self, init_cfg=dict(type='Normal', layer='Linear', override=dict(name='fc'))):
        super().__init__(init_cfg=init_cfg)
        self.fc = nn.Linear(2, 2)
"""


async def test_a_model_source_is_linted_from_its_buffer(
    client: LanguageClient, project: Path
) -> None:
    write(project / "proj" / "__init__.py", "")
    doc = Doc(client, write(project / "proj" / "heads.py", HEAD))
    assert await doc.diagnostics() == []
    doc.change(HEAD.replace("name='fc'", "name='fcc'"))  # unsaved
    (found,) = await doc.diagnostics()
    assert found.code == "IL010" and "did you mean 'fc'?" in found.message
    doc.close()


async def test_a_base_changed_on_disk_re_lints_its_open_config(
    client: LanguageClient, project: Path
) -> None:
    root = project / "disk-edit"
    shutil.copytree(project / "configs", root / "configs")
    child = Doc(client, root / RETINANET)
    assert codes(await child.diagnostics()) == ["IL013"]
    base = root / RETINANET_BASE
    base.write_text(base.read_text().replace("type='Pretrained', ", ""))  # another program
    child.seen = len(published(client))
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=base.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    assert codes(await child.diagnostics()) == ["IL002"]
    child.close()


# -- code actions --------------------------------------------------------------------------------


async def test_ignore_action_silences_that_diagnostic(
    client: LanguageClient, project: Path
) -> None:
    doc = Doc(
        client,
        project / FASTER_RCNN.replace(".py", "-ignore.py"),
        (project / FASTER_RCNN).read_text(),
    )
    found = await doc.diagnostics()
    target = next(d for d in found if d.code == "IL004")
    actions = await code_actions(client, doc, target)
    ignore = next(a for a in actions if a.title == "Ignore IL004 on this line")
    assert ignore.kind == types.CodeActionKind.QuickFix and ignore.edit is not None
    fixed = apply(doc.text, edits_for(ignore.edit, doc.uri), encoding(client))
    assert fixed.splitlines()[target.range.start.line].endswith("  # initlint: ignore[IL004]")
    doc.change(fixed)
    after = await doc.diagnostics()
    assert codes(after) == sorted(c for c in codes(found) if c != "IL004")  # no IL402 either
    # Another code on the same row joins the comment.
    other = next(d for d in after if d.range.start.line == target.range.start.line)
    join = next(
        a
        for a in await code_actions(client, doc, other)
        if a.title == f"Ignore {other.code} on this line"
    )
    assert join.edit is not None
    joined = apply(doc.text, edits_for(join.edit, doc.uri), encoding(client))
    assert f"# initlint: ignore[IL004, {other.code}]" in joined
    doc.change(joined)
    assert other.code not in codes(await doc.diagnostics())
    doc.close()


async def test_each_quick_fix_makes_its_diagnostic_go(
    client: LanguageClient, project: Path
) -> None:
    for config in (FASTER_RCNN, RETINANET, MASK_RCNN):
        original = (project / config).read_text()
        doc = Doc(client, project / config.replace(".py", "-quickfix.py"), original)
        fixable = [d for d in await doc.diagnostics() if d.data.get("fix")]
        assert fixable, config
        for target in fixable:
            fix = target.data["fix"]
            actions = await code_actions(client, doc, target)
            action = next(a for a in actions if a.title == f"{target.code}: {fix['message']}")
            assert action.kind == types.CodeActionKind.QuickFix and action.edit is not None
            assert bool(action.is_preferred) == (fix["applicability"] == "safe")
            doc.change(apply(doc.text, edits_for(action.edit, doc.uri), encoding(client)))
            after = await doc.diagnostics()
            assert (target.code, target.message) not in [(d.code, d.message) for d in after]
            doc.change(original)  # each fix on its own
            await doc.diagnostics()
        doc.close()


async def test_fix_all_applies_the_safe_fixes(client: LanguageClient, project: Path) -> None:
    doc = Doc(
        client, project / MASK_RCNN.replace(".py", "-fixall.py"), (project / MASK_RCNN).read_text()
    )
    found = await doc.diagnostics()
    safe = [d for d in found if d.data.get("fix", {}).get("applicability") == "safe"]
    assert safe
    actions = await code_actions(client, doc, found[0], only=["source.fixAll"])
    (action,) = actions
    assert action.kind == "source.fixAll.initlint" and action.edit is not None
    doc.change(apply(doc.text, edits_for(action.edit, doc.uri), encoding(client)))
    after = [(d.code, d.message) for d in await doc.diagnostics()]
    assert not any((d.code, d.message) in after for d in safe)
    assert len(after) == len(found) - len(safe)  # the rest stay
    doc.close()


async def test_fix_all_takes_unsafe_fixes_when_the_settings_file_says_so(
    client: LanguageClient, project: Path
) -> None:
    root = project / "unsafe"
    shutil.copytree(project / "configs", root / "configs")
    write(root / "pyproject.toml", "[tool.initlint]\nunsafe-fixes = true\n")
    doc = Doc(client, root / FASTER_RCNN)
    found = await doc.diagnostics()
    unsafe = [d for d in found if d.data.get("fix", {}).get("applicability") == "unsafe"]
    assert unsafe  # `stddev` -> `std` is a did-you-mean: unsafe
    (action,) = await code_actions(client, doc, found[0], only=["source.fixAll"])
    assert action.edit is not None
    doc.change(apply(doc.text, edits_for(action.edit, doc.uri), encoding(client)))
    after = [(d.code, d.message) for d in await doc.diagnostics()]
    assert not any((d.code, d.message) in after for d in unsafe)
    doc.close()


# -- hover, completion, definition ---------------------------------------------------------------


async def test_hover_shows_the_merged_value_and_who_wrote_each_key(
    client: LanguageClient, project: Path
) -> None:
    doc = Doc(client, project / RETINANET)
    await doc.diagnostics()
    for needle in ("init_cfg", "torchvison"):  # on the key, and inside the value
        hover = await client.text_document_hover_async(
            types.HoverParams(
                text_document=doc.ident(), position=doc.position(needle, 2, encoding(client))
            )
        )
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        text = hover.contents.value
        assert "model.backbone.init_cfg" in text
        assert "dict(type='Pretrained', checkpoint='torchvison://resnet101')" in text
        assert f"| `type` | [{RETINANET_BASE}:19:" in text  # from the base
        assert f"| `checkpoint` | [{RETINANET}:9:" in text  # from the child
    code_hover = Doc(
        client,
        write(
            project / "configs" / "hover-code.py",
            "init_cfg = dict(type='Kaiming')  # initlint: ignore[IL101]\n",
        ),
    )
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=code_hover.ident(), position=code_hover.position("IL101", 2)
        )
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value.startswith("**IL101** no-op-initializer (warning)")
    assert "## What it does" in hover.contents.value
    doc.close()
    code_hover.close()


async def complete(client: LanguageClient, doc: Doc) -> list[types.CompletionItem]:
    """Completion at the end of the buffer (where the test typed)."""
    found = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=doc.ident(),
            position=position_of(doc.text, len(doc.text), encoding(client)),
        )
    )
    if isinstance(found, types.CompletionList):
        return list(found.items)
    return list(found or [])


TOYDET = """default_scope = 'toydet'
model = dict(
    type='LiteHead',
    init_cfg=dict(type='Normal', layer='Conv2d', override=dict(name='cls_out')))
"""


async def test_completion_inside_an_init_cfg(client: LanguageClient, project: Path) -> None:
    doc = Doc(client, write(project / "configs" / "typing.py", TOYDET))
    await doc.diagnostics()
    head = "model = dict(type='LiteHead', init_cfg=dict(type='Normal', "
    doc.change(head)
    labels = [i.label for i in await complete(client, doc)]
    assert "std" in labels and "mean" in labels and "layer" in labels
    assert "type" not in labels and "val" not in labels
    item = next(i for i in await complete(client, doc) if i.label == "std")
    assert isinstance(item.text_edit, types.TextEdit) and item.text_edit.new_text == "std="
    doc.change("model = dict(init_cfg=dict(type='")
    labels = [i.label for i in await complete(client, doc)]
    assert {"Normal", "Kaiming", "Pretrained", "ScaledNormal"} <= set(labels)  # ScaledNormal:
    doc.change("model = dict(init_cfg=dict(type='Normal', layer=['Conv2d', '")  # toydet's
    labels = [i.label for i in await complete(client, doc)]
    assert "Linear" in labels and "BatchNorm2d" in labels and "ReLU" not in labels
    doc.change("model = dict(init_cfg=dict(type='Pretrained', checkpoint='torchvision://")
    labels = [i.label for i in await complete(client, doc)]
    assert "torchvision://resnet50" in labels
    doc.change(
        "default_scope = 'toydet'\nmodel = dict(type='LiteHead', init_cfg=dict("
        "type='Normal', override=dict(name='"
    )
    labels = [i.label for i in await complete(client, doc)]
    assert "cls_out" in labels and "reg_out" in labels
    doc.change("x = 1  # initlint: ignore[IL10")
    labels = [i.label for i in await complete(client, doc)]
    assert "IL101" in labels
    doc.close()


async def test_definition_of_a_type_an_attribute_and_a_base(
    client: LanguageClient, project: Path
) -> None:
    doc = Doc(
        client,
        write(
            project / "configs" / "definition.py",
            "_base_ = ['./_base_/schedules/schedule_1x.py']\n" + TOYDET,
        ),
    )
    await doc.diagnostics()

    async def definition(needle: str) -> types.Location:
        found = await client.text_document_definition_async(
            types.DefinitionParams(
                text_document=doc.ident(), position=doc.position(needle, 2, encoding(client))
            )
        )
        assert isinstance(found, list) and len(found) == 1, found
        location = found[0]
        assert isinstance(location, types.Location)
        return location

    head = MODELS / "toydet" / "models" / "heads" / "lite_head.py"
    lines = head.read_text().splitlines()
    cls = await definition("LiteHead")
    assert cls.uri == head.as_uri()
    assert lines[cls.range.start.line].startswith("class LiteHead(")
    attribute = await definition("cls_out")
    assert attribute.uri == head.as_uri()
    assert lines[attribute.range.start.line].strip().startswith("self.cls_out = ")
    base = await definition("schedule_1x")
    assert base.uri == (project / "configs" / "_base_" / "schedules" / "schedule_1x.py").as_uri()
    doc.close()


# -- hostile buffers -----------------------------------------------------------------------------

BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}]\n"
        for i in range(8)
    )
    + "init_cfg: *i\n"
)


def hostile_buffers() -> Iterator[tuple[str, str, str]]:
    yield "huge.py", "init_cfg = dict(type='Normal')\n" + "x = 1\n" * 1_500_000, "IL904"
    yield "deep.py", "init_cfg = " + "[" * 5000 + "]" * 5000 + "\n", "IL90"
    yield "bomb.yaml", BOMB, "IL904"
    yield "random.py", "init_cfg = 1\n" + "".join(chr(c) for c in range(0, 0x2000, 7)), "IL901"


async def test_hostile_buffers_are_diagnostics_and_the_server_answers(
    client: LanguageClient, project: Path
) -> None:
    for name, text, code in hostile_buffers():
        doc = Doc(
            client,
            project / "configs" / "hostile" / name,
            text,
            language="yaml" if name.endswith(".yaml") else "python",
        )
        found = await doc.diagnostics()
        assert [str(d.code)[: len(code)] for d in found] == [code], (name, codes(found))
        doc.close()
    config = Doc(client, project / MASK_RCNN)
    assert await config.diagnostics()  # still linting
    config.close()


CRASHING = [
    sys.executable,
    "-c",
    """
import initlint.engine
def crash(self, path, standalone_base=False, target='mmengine'):
    print('a stray print, which must not reach the protocol stream')
    raise RuntimeError('injected failure')
initlint.engine.Engine.lint_config = crash
from initlint.server import serve
serve()
""",
]


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=CRASHING, client_factory=recording_client),
)
async def crashing(lsp_client: LanguageClient, project: Path) -> AsyncIterator[None]:
    result = await lsp_client.initialize_session(
        initialize_params(project, client_capabilities("neovim@v0.11.0"))
    )
    lsp_client.init_result = result  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def test_an_internal_error_is_a_diagnostic_on_that_buffer(
    crashing: LanguageClient, project: Path
) -> None:
    """The engine is made to print and then raise, in a real server."""
    doc = Doc(crashing, project / MASK_RCNN)
    (found,) = await doc.diagnostics()
    assert "internal error" in found.message and "injected failure" in found.message
    assert found.severity == types.DiagnosticSeverity.Error
    assert any("injected failure" in m.message for m in crashing.log_messages)
    doc.change(doc.text + "\n")  # the server goes on
    assert len(await doc.diagnostics()) == 1
    doc.close()


# -- pull diagnostics ----------------------------------------------------------------------------


def pulling_capabilities() -> types.ClientCapabilities:
    caps = client_capabilities("visual_studio_code")
    assert caps.text_document is not None and caps.workspace is not None
    caps.text_document.diagnostic = types.DiagnosticClientCapabilities(
        related_document_support=True
    )
    caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    return caps


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=SERVER, client_factory=recording_client),
)
async def puller(lsp_client: LanguageClient, project: Path) -> AsyncIterator[None]:
    result = await lsp_client.initialize_session(
        initialize_params(project, pulling_capabilities(), {"debounce": 0})
    )
    lsp_client.init_result = result  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def test_pull_diagnostics_refresh_when_a_base_changes(
    puller: LanguageClient, project: Path
) -> None:
    provider = puller.init_result.capabilities.diagnostic_provider  # type: ignore[attr-defined]
    assert isinstance(provider, types.DiagnosticOptions)
    assert provider.inter_file_dependencies and not provider.workspace_diagnostics
    await until(lambda: puller.registrations, "the watched files registration")  # type: ignore
    (watch,) = puller.registrations  # type: ignore[attr-defined]
    assert watch.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    root = project / "pull"
    shutil.copytree(project / "configs", root / "configs")
    child = Doc(puller, root / RETINANET)
    base = Doc(puller, root / RETINANET_BASE)

    async def pull(doc: Doc) -> list[str]:
        report = await puller.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=doc.ident())
        )
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        return codes(list(report.items))

    assert await pull(child) == ["IL013"]
    assert await pull(base) == ["IL007"]
    refreshed = puller.diagnostic_refresh_count
    base.change(base.text.replace("type='Pretrained', ", ""))
    await until(lambda: puller.diagnostic_refresh_count > refreshed, "a diagnostic refresh")
    assert await pull(child) == ["IL002"]
    assert not published(puller)  # pulled, never pushed
    child.close()
    base.close()
