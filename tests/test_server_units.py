"""The language server's parts in this process, without a client: positions in each encoding,
the cursor read from half-typed text, the session's buffers and dependencies, the ignore
action. The end-to-end tests (test_server.py) drive the whole server as an editor does."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from initlint.server.actions import ignore_actions
from initlint.server.cursor import at
from initlint.server.features import Features, show
from initlint.server.positions import Point, Text
from initlint.server.session import Session, client_settings
from initlint.values import DictValue, Entry, Scalar, SeqValue, Unknown

from .conftest import ROOT, _working_directory

DEMO = ROOT / "fixtures" / "demo" / "configs"
CHILD = "retinanet/retinanet_r101_fpn_1x_coco.py"
BASE = "_base_/models/retinanet_r50_fpn.py"


# -- positions -----------------------------------------------------------------------------------


def test_columns_in_each_encoding() -> None:
    text = Text("a = '🐱é' + x\n")
    x = text.text.index("x") + 1  # initlint's column of `x`
    assert text.to_point(1, x, "utf-32") == Point(0, 11)
    assert text.to_point(1, x, "utf-16") == Point(0, 12)  # the cat is a surrogate pair
    assert text.to_point(1, x, "utf-8") == Point(0, 15)
    for encoding in ("utf-8", "utf-16", "utf-32"):
        assert text.from_point(text.to_point(1, x, encoding), encoding) == (1, x)  # type: ignore
    assert text.from_point(Point(0, 6), "utf-16") == (1, 6)  # inside the pair: at the cat


def test_lines_break_where_the_protocol_says() -> None:
    text = Text("a\r\nb\rc\nd\x0ce\u2028f")
    assert [text.line(i) for i in range(text.line_count)] == ["a", "b", "c", "d\x0ce\u2028f"]
    assert text.location(text.text.index("f")) == (4, 5)
    assert text.to_point(9, 1, "utf-16") == Point(3, 5)  # beyond the text: its end
    assert text.from_point(Point(2, 99), "utf-16") == (3, 2)  # beyond the line: its end


# -- the cursor ----------------------------------------------------------------------------------


def cursor_at_end(text: str):  # type: ignore[no-untyped-def]
    return at(text, len(text))


def test_the_cursor_in_half_typed_configs() -> None:
    cur = cursor_at_end("model = dict(\n    backbone=dict(\n        init_cfg=dict(type='Normal', ")
    assert cur.path == ("model", "backbone", "init_cfg")
    assert cur.role == "key" and cur.frame is not None and cur.frame.written == {"type": "Normal"}
    cur = cursor_at_end("x = dict(init_cfg=dict(layer=['Conv2d', 'Lin")
    assert cur.value_key()[0] == "layer" and cur.in_string and cur.typed == "Lin"
    cur = cursor_at_end("x = {'init_cfg': {'type': 'Kaiming', 'mo")
    assert cur.role == "key" and cur.in_string and cur.typed == "mo"
    assert cur.path == ("x", "init_cfg")
    text = "m = dict(init_cfg=[dict(type='Kaiming'), dict(override=dict(name='fc'))])"
    cur = at(text, text.index("'fc'") + 2)
    assert cur.path == ("m", "init_cfg", 1, "override") and cur.value_key()[0] == "name"
    text = "a = dict(k=dict(\n  init_cfg=dict(type='Normal'\n"  # unclosed, then more
    assert at(text, text.index("Normal")).value_key()[0] == "type"
    cur = cursor_at_end("x = 1  # initlint: ignore[IL1")
    assert cur.token is not None and cur.token.kind == "comment"


# -- the session ---------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(DEMO, tmp_path / "configs")
    return tmp_path


def test_a_base_buffer_is_what_its_open_config_reads(project: Path) -> None:
    with _working_directory(project):
        session = Session(project)
        child, base = project / "configs" / CHILD, project / "configs" / BASE
        session.open(child, child.read_text(), 1)
        assert [d.code for d in session.lint(child).by_file[child]] == ["IL013"]
        assert session.open(base, base.read_text().replace("type='Pretrained', ", ""), 1) == [
            child,
            base,
        ]  # the open configs that read it, and itself
        assert [d.code for d in session.lint(child).by_file[child]] == ["IL002"]
        session.lint(base)  # through the configs on disk that inherit it, the child first
        found = {d.code: d for d in session.diagnostics_for(base)}
        assert sorted(found) == ["IL002", "IL007"]  # IL002: another inheritor's backbone
        assert [r.message for r in found["IL007"].related] == [  # found twice, shown once
            "reached through configs/retinanet/retinanet_r101_fpn_1x_coco.py"
        ]
        assert session.close(base) == [child]
        assert [d.code for d in session.lint(child).by_file[child]] == ["IL013"]


def test_a_half_typed_suppression_is_reported_and_the_others_still_apply(project: Path) -> None:
    with _working_directory(project):
        session = Session(project)
        path = project / "configs" / "typed.py"
        text = (
            "a = dict(init_cfg=dict(type='Kaiming'))  # initlint: ignore[IL101]\n"
            "b = dict(init_cfg=dict(type='Kaiming'))  # initlint: ignore[IL1]\n"
        )
        session.open(path, text, 1)
        found = session.lint(path).by_file[path]
        assert [(d.code, d.location.row if d.location else 0) for d in found] == [
            ("IL101", 2),
            ("", 2),
        ]
        assert "unknown rule code 'IL1'" in found[1].message


def test_bad_editor_settings_are_said_and_left_out() -> None:
    settings, problems = client_settings(
        {"initlint": {"ignore": ["IL108"], "debounc": 3, "unsafeFixes": "yes"}}
    )
    assert settings.ignore == ("IL108",)
    assert problems == [
        "unknown initlint setting 'debounc'; did you mean 'debounce'?",
        "initlint setting 'unsafeFixes' must be true or false",
    ]
    assert client_settings([])[1] == [] and client_settings({"initlint": []})[1] == []


def test_the_ignore_action_never_breaks_a_string(project: Path) -> None:
    with _working_directory(project):
        session = Session(project)
        path = project / "configs" / "strings.py"
        text = "x = dict(init_cfg=dict(type='Xaiver', note='''a\nb'''))\n"
        session.open(path, text, 1)
        found = session.lint(path).by_file[path]
        assert [d.code for d in found] == ["IL003"]
        assert ignore_actions(session, path, found) == []  # row 1 ends inside the string


def test_hover_describes_the_merged_value(project: Path) -> None:
    with _working_directory(project):
        session = Session(project)
        child = project / "configs" / CHILD
        text = child.read_text()
        session.open(child, text, 1)
        hover = Features(session).hover(child, text.index("checkpoint"))
        assert hover is not None
        assert "dict(type='Pretrained', checkpoint='torchvison://resnet101')" in hover.markdown
        assert text[hover.start : hover.end] == "dict(checkpoint='torchvison://resnet101')"
        # In the base: its own value, and what the open config that inherits it makes of it.
        session.lint(child)
        base = project / "configs" / BASE
        base_text = base.read_text()
        session.open(base, base_text, 1)
        hover = Features(session).hover(base, base_text.index("resnet50')"))
        assert hover is not None
        own, inherited = hover.markdown.split("\n---\n")
        assert "dict(type='Pretrained', checkpoint='torchvision://resnet50')" in own
        assert f"In `configs/{CHILD}`, which inherits this file" in inherited
        assert "checkpoint='torchvison://resnet101'" in inherited


def test_values_are_shown_as_configs_write_them() -> None:
    value = DictValue(
        None,
        {
            "type": Entry(None, Scalar(None, "Normal")),
            "layer": Entry(None, SeqValue(None, (Scalar(None, "Conv2d"),), "tuple")),
            "std": Entry(None, Unknown(None, "call to f()")),
        },
    )
    assert show(value) == "dict(type='Normal', layer=('Conv2d',), std=<unknown: call to f()>)"
    long = DictValue(None, {f"key{i}": Entry(None, Scalar(None, "x" * 10)) for i in range(8)})
    assert show(long).splitlines()[:2] == ["dict(", "    key0='xxxxxxxxxx',"]


def test_the_linter_never_imports_pygls_and_the_server_never_torch() -> None:
    code = (
        "import sys, initlint.cli, initlint.runner, initlint.api; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
    code = (
        "import sys, pathlib, initlint.server.server as s; "
        "from initlint.server.session import Session; "
        f"d = pathlib.Path({str(DEMO)!r}); session = Session(d); "
        f"p = d / {CHILD!r}; session.open(p, p.read_text(), 1); session.lint(p); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'mmengine')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_completion_on_a_keyword_already_written(project: Path) -> None:
    with _working_directory(project):
        session = Session(project)
        path = project / "configs" / "keyword.py"
        text = "x = dict(init_cfg=dict(type='Normal', std=0.01, layer='Conv2d'))\n"
        session.open(path, text, 1)
        found = {c.label: c for c in Features(session).complete(path, text.index("std") + 2)}
        assert "std" in found and "layer" not in found  # `layer` is written after it
        assert found["mean"].insert == "mean"  # the `=` is there already
        assert text[found["mean"].start : found["mean"].end] == "std"


def test_fix_all_applies_the_safe_fixes_in_passes(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from initlint.diagnostics import Diagnostic, Edit, Fix, Location
    from initlint.discover import display_path
    from initlint.server.actions import _apply, fix_all

    with _working_directory(project):
        session = Session(project)
        path = project / "configs" / "fix.py"
        session.open(path, "a = 'Xaiver'\nb = 'Xaiver'  # then 'Kaimin'\n", 1)

        def preview(previewed: Path, text: str) -> list[Diagnostic]:
            """Each misspelling a diagnostic with its fix; two fixes overlap on row 2."""
            found = []
            for row, line in enumerate(text.splitlines(), 1):
                for wrong, right, applicability in (
                    ("'Xaiver'", "'Xavier'", "safe"),
                    ("'Kaimin'", "'Kaiming'", "unsafe"),
                ):
                    column = line.find(wrong) + 1
                    if column:
                        edit = Edit(
                            right, Location(row, column), Location(row, column + len(wrong))
                        )
                        found.append(
                            Diagnostic(
                                "IL003",
                                "error",
                                "unknown",
                                filename=display_path(previewed),
                                location=Location(row, column),
                                fix=Fix(f"Use {right}", applicability, (edit,)),
                            )
                        )
            return found

        monkeypatch.setattr(session, "preview", preview)
        text = session.buffers[path].text
        action = fix_all(session, path)
        assert action is not None
        (change,) = action.changes  # one change, from the first difference to the last
        assert (change.row, change.column, change.content) == (1, 8, "vier'\nb = 'Xavi")
        assert _apply(text, [change]) == "a = 'Xavier'\nb = 'Xavier'  # then 'Kaimin'\n"
        unsafe = fix_all(session, path, unsafe=True)
        assert unsafe is not None
        assert (
            _apply(text, list(unsafe.changes)) == "a = 'Xavier'\nb = 'Xavier'  # then 'Kaiming'\n"
        )


def test_columns_after_a_form_feed_are_counted_in_characters(tmp_path: Path) -> None:
    """ast does not break rows at a form feed (str.splitlines does): the columns of a row
    after one are converted from bytes on the right row."""
    path = tmp_path / "page.py"
    text = "x = 1\x0c\ny = dict(a='é', init_cfg=dict(type='Xaiver'))\n"
    with _working_directory(tmp_path):
        session = Session(tmp_path)
        session.open(path, text, 1)
        (found,) = session.lint(path).by_file[path]
    assert found.location is not None
    assert (found.location.row, found.location.column) == (
        2,
        text.split("\n")[1].index("'Xaiver'") + 1,
    )
