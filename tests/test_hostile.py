"""Hostile input, one test per class of it (issue 14): what cannot be read is said and never
blocks, bounded work per file, one bad file never stops the run, the cache is untrusted and
never stale, and the command line's error paths are one clear line, never a traceback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from initlint import runner
from initlint.cache import Cache
from initlint.diagnostics import to_dict
from initlint.limits import MAX_FILE_BYTES, MAX_PYTHON_TOKENS
from initlint.runner import lint_paths
from initlint.target import Target

from .conftest import BAD_CONFIG, GOOD_CONFIG, run_initlint, run_initlint_process, stamped
from .hostile import snapshot, within

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


def _found(result: runner.LintResult) -> list[tuple[str, str]]:
    return sorted((d.filename or "", d.code) for d in result.diagnostics)


def _lint(*paths: str, cache: Path | None = None, jobs: int = 1) -> runner.LintResult:
    with within(60):
        return lint_paths(list(paths), jobs=jobs, cache_dir=cache)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- only regular files are opened ----------------------------------------------------------------


@needs_fifo
def test_fifos_sockets_devices_in_the_tree_as_a_base_and_named_are_never_opened(here: Path) -> None:
    import socket

    os.mkfifo("tree.py")
    os.mkfifo("named.json")
    server = socket.socket(socket.AF_UNIX)
    server.bind("socket.yaml")
    Path("child.py").write_text("_base_ = ['./tree.py', '/dev/zero']\n" + BAD_CONFIG)
    before = snapshot(here)
    result = _lint(".", "named.json")
    server.close()
    assert _found(result) == [
        ("/dev/zero", "IL901"),
        ("child.py", "IL004"),
        ("named.json", "IL901"),
        ("socket.yaml", "IL901"),
        ("tree.py", "IL901"),
    ]
    messages = {d.filename: d.message for d in result.diagnostics}
    assert messages["tree.py"] == "not a regular file (a FIFO); not read"
    assert messages["/dev/zero"] == "not a regular file (a character device); not read"
    assert messages["socket.yaml"] == "not a regular file (a socket); not read"
    assert result.files == 1  # only what was read is counted
    assert snapshot(here) == before


def test_links_to_nothing_loops_and_a_folder_named_like_a_config(here: Path) -> None:
    os.symlink("nowhere.py", "dangling.py")
    os.symlink("loop.py", "loop.py")
    Path("folder.py").mkdir()
    Path("folder.py/inner.py").write_text(BAD_CONFIG)
    Path("child.py").write_text("_base_ = ['./loop.py', './folder.py']\n" + GOOD_CONFIG)
    result = _lint(".")
    assert _found(result) == [
        ("child.py", "IL902"),
        ("dangling.py", "IL901"),
        ("folder.py/inner.py", "IL004"),
        ("loop.py", "IL901"),
    ]
    assert result.files == 2


def test_a_file_beyond_the_size_bound_is_il904_unread(here: Path) -> None:
    with open("huge.py", "wb") as handle:  # sparse: no disk written, and never read
        handle.truncate(MAX_FILE_BYTES + 1)
    Path("child.py").write_text("_base_ = './huge.py'\n" + BAD_CONFIG)
    result = _lint(".")
    assert _found(result) == [("child.py", "IL004"), ("huge.py", "IL904")]
    [large] = [d for d in result.diagnostics if d.code == "IL904"]
    assert large.message == "the file is 8.0 MB, beyond the 8 MB initlint reads; it is not analysed"


def test_a_python_file_beyond_the_token_bound_is_il904_unparsed(here: Path) -> None:
    # 1.2 MB of `0,`: Python's parser would take about 1 GB for it (half a KB a token).
    Path("wide.py").write_text("init_cfg = [" + "0," * (MAX_PYTHON_TOKENS // 2 + 1) + "]\n")
    Path("other.py").write_text(BAD_CONFIG)
    result = _lint(".")
    assert _found(result) == [("other.py", "IL004"), ("wide.py", "IL904")]
    [wide] = [d for d in result.diagnostics if d.code == "IL904"]
    assert wide.message == (
        "the file holds about 1,000,006 tokens, beyond the 1,000,000 "
        "initlint parses; it is not analysed"
    )


def test_a_python_file_too_deep_for_the_parser_is_il901_and_the_run_goes_on(here: Path) -> None:
    Path("deep.py").write_text("init_cfg = " + "-" * 5000 + "1\n")
    Path("other.py").write_text(BAD_CONFIG)
    assert _found(_lint(".")) == [("deep.py", "IL901"), ("other.py", "IL004")]


def test_an_unreadable_file_and_folder_met_in_a_walk_are_reported(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Permissions do not stop root: the system calls are made to refuse instead.
    Path("locked").mkdir()
    Path("locked/a.py").write_text(BAD_CONFIG)
    Path("secret.py").write_text(BAD_CONFIG)
    Path("open.py").write_text(BAD_CONFIG)
    real_open, real_scandir = os.open, os.scandir

    def refusing_open(path: object, *args: object, **kwargs: object) -> int:
        if str(path).endswith("secret.py"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    def refusing_scandir(path: object = ".") -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refusing_open)
    monkeypatch.setattr(os, "scandir", refusing_scandir)
    run = run_initlint(".", cwd=here)
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        "locked:1:1: IL901 cannot read this folder: Permission denied; the files in it are "
        "not linted",
        "open.py:5:54: IL004 Normal takes no argument `stddev`; did you mean 'std'?",
        "secret.py:1:1: IL901 cannot read: Permission denied",
        "Found 3 diagnostics (3 errors) in 1 file checked.",
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]


# -- files are classified by what they hold -------------------------------------------------------


def test_a_config_that_defines_a_helper_class_is_still_a_config(here: Path) -> None:
    Path("config.py").write_text("class Helper:\n    pass\n\n\n" + BAD_CONFIG)
    assert _found(_lint(".")) == [("config.py", "IL004")]


@pytest.mark.parametrize("codec", ["utf-16", "utf-32", "utf-16-le"])
def test_a_wide_encoded_config_found_by_a_walk_is_read_and_reported(here: Path, codec: str) -> None:
    Path("configs").mkdir()
    Path("configs/wide.py").write_bytes(BAD_CONFIG.encode(codec))
    walked = _lint(".")
    named = _lint("configs/wide.py")
    assert _found(walked) == _found(named) == [("configs/wide.py", "IL901")]
    assert walked.files == named.files == 1


# -- one bad file never stops the run -------------------------------------------------------------


def _tree(root: Path, count: int) -> list[Path]:
    """`count` configs in folders of four, each with one IL004."""
    made = []
    for i in range(count):
        path = root / f"f{i // 4}" / f"c{i}.py"
        path.parent.mkdir(exist_ok=True)
        path.write_text(BAD_CONFIG)
        made.append(path)
    return made


def test_an_exception_on_one_file_is_il905_there_and_every_other_file_is_reported(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from initlint.engine import Engine

    _tree(here, 3)
    real = Engine.lint_config

    def failing(self: Engine, path: Path, **how: Any) -> object:
        if path.name == "c1.py":
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, path, **how)

    monkeypatch.setattr(Engine, "lint_config", failing)
    run = run_initlint(".", cwd=here)
    assert run.returncode == 2
    lines = run.stdout.splitlines()
    assert lines[0] == "f0/c0.py:5:54: IL004 Normal takes no argument `stddev`; did you mean 'std'?"
    assert lines[1].startswith(
        "f0/c1.py:1:1: IL905 internal error analysing this file (please "
        "report it): RecursionError: maximum recursion depth exceeded at "
        "initlint/"
    )
    assert lines[2].startswith("f0/c2.py:5:54: IL004")
    assert run.stderr == "initlint: error: internal error on 1 file (IL905); please report it\n"
    # Neither a suppression, nor --exit-zero, nor --ignore hides it; and it is never cached.
    Path("f0/c1.py").write_text(BAD_CONFIG + "# initlint: file-ignore[IL905]\n")
    again = run_initlint("--exit-zero", "--ignore", "IL905", ".", cwd=here)
    assert again.returncode == 2 and "IL905" in again.stdout


@pytest.mark.parametrize("how", ["MemoryError", "SIGKILL"])
def test_the_pool_survives_a_worker_that_fails_or_dies(
    here: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    made = _tree(here, 24)
    monkeypatch.setattr(runner, "UNITS_PER_WORKER", 8)  # a pool of two for these
    real = runner._Worker._run

    def dying(self: runner._Worker, unit: str, target: Target) -> runner.UnitResult:
        if unit.endswith(f"{os.sep}c5.py"):
            if how == "SIGKILL":
                os.kill(os.getpid(), signal.SIGKILL)
            raise MemoryError()
        return real(self, unit, target)

    monkeypatch.setattr(runner._Worker, "_run", dying)  # the forked workers inherit it
    result = _lint(".", jobs=2)
    codes = {d.filename: d.code for d in result.diagnostics}
    assert len(codes) == len(made)
    assert codes.pop("f1/c5.py") == "IL905"
    assert set(codes.values()) == {"IL004"}
    assert result.internal_errors == 1
    [died] = [d for d in result.diagnostics if d.code == "IL905"]
    assert ("killed (SIGKILL" if how == "SIGKILL" else "MemoryError") in died.message


# -- the cache is untrusted and never stale -------------------------------------------------------


def _codes(result: runner.LintResult) -> list[dict[str, object]]:
    return [to_dict(d) for d in result.diagnostics]


def test_creating_a_missing_base_invalidates_the_result(here: Path) -> None:
    cache = here / "cache"
    Path("child.py").write_text("_base_ = './base.py'\n" + GOOD_CONFIG)
    assert _found(_lint("child.py", cache=cache)) == [("child.py", "IL902")]
    Path("base.py").write_text("model = dict(type='RetinaNet')\n")
    assert _found(_lint("child.py", cache=cache)) == []
    Path("base.py").unlink()
    assert _found(_lint("child.py", cache=cache)) == [("child.py", "IL902")]


def test_creating_a_module_a_model_source_imports_invalidates_the_result(here: Path) -> None:
    cache = here / "cache"
    package = here / "toy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "heads.py").write_text(
        "from .blocks import Block\n\n\nclass Head(Block):\n"
        "    def __init__(self, init_cfg=dict(type='Normal', layer='Conv2d',\n"
        "                 override=dict(name='nowhere', type='Normal'))):\n"
        "        super().__init__(init_cfg=init_cfg)\n"
    )
    cold_before = _codes(lint_paths(["toy"], jobs=1))
    assert _codes(lint_paths(["toy"], jobs=1, cache_dir=cache)) == cold_before
    (package / "blocks.py").write_text(
        "from mmengine.model import BaseModule\n\n\nclass Block(BaseModule):\n"
        "    def __init__(self, init_cfg=None):\n        super().__init__(init_cfg)\n"
        "        self.conv = None\n"
    )
    cold_after = _codes(lint_paths(["toy"], jobs=1))
    assert cold_after != cold_before  # the override's name is now known to be wrong
    assert _codes(lint_paths(["toy"], jobs=1, cache_dir=cache)) == cold_after


def test_installing_a_package_a_base_names_invalidates_the_result(tmp_path: Path) -> None:
    # Separate processes: where packages live is looked up once a process.
    site, project = tmp_path / "site", tmp_path / "project"
    site.mkdir()
    project.mkdir()
    (project / "child.py").write_text("_base_ = 'toypkg::models/m.py'\n")
    env = {"PYTHONPATH": str(site), "INITLINT_CACHE_DIR": str(tmp_path / "cache")}
    before = run_initlint_process("--output-format", "json", "child.py", cwd=project, env=env)
    assert before.returncode == 0 and json.loads(before.stdout) == []
    configs = site / "toypkg" / ".mim" / "configs" / "models"
    configs.mkdir(parents=True)
    (site / "toypkg" / "__init__.py").write_text("")
    (configs / "m.py").write_text(BAD_CONFIG)
    after = run_initlint_process("--output-format", "json", "child.py", cwd=project, env=env)
    cold = run_initlint_process(
        "--no-cache", "--output-format", "json", "child.py", cwd=project, env=env
    )
    assert after.stdout == cold.stdout
    assert [d["code"] for d in json.loads(after.stdout)] == ["IL004"]


def test_a_file_edited_during_the_run_is_stored_with_the_hash_of_what_was_linted(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from initlint.config.loader import ConfigLoader

    cache = here / "cache"
    Path("_base_").mkdir()
    base = Path("_base_/model.py")
    base.write_text(GOOD_CONFIG)
    Path("child.py").write_text("_base_ = './_base_/model.py'\n")
    real = ConfigLoader._read

    def editing(self: ConfigLoader, path: Path, stack: tuple[Path, ...]) -> object:
        loaded = real(self, path, stack)
        if path.name == "model.py":  # someone saves the base just after it was read
            base.write_text(BAD_CONFIG)
        return loaded

    monkeypatch.setattr(ConfigLoader, "_read", editing)
    assert _found(_lint("child.py", cache=cache)) == []  # what it read: the good version
    monkeypatch.setattr(ConfigLoader, "_read", real)
    warm = _lint("child.py", cache=cache)
    assert _codes(warm) == _codes(_lint("child.py"))
    assert _found(warm) == [("_base_/model.py", "IL004")]


def _database(cache: Path) -> Path:
    [database] = cache.rglob("*.json")
    return database


@pytest.mark.parametrize(
    "damage",
    ["entries-of-the-wrong-shape", "a-fifo", "a-folder", "deep", "huge-number", "bad-utf8"],
)
def test_a_damaged_database_is_ignored_and_rewritten(here: Path, damage: str) -> None:
    cache = here / "cache"
    _tree(here, 2)
    Path("f0/c1.py").write_text(GOOD_CONFIG + "# noqa: IL004\n")
    reference = _codes(_lint(".", cache=cache))
    database = _database(cache)
    data = json.loads(database.read_text())
    if damage == "entries-of-the-wrong-shape":  # under digests that match
        for number, (unit, stored) in enumerate(data["results"].items()):
            entry = json.loads(stored.partition(" ")[2])
            [
                entry.update({"diagnostics": [{"code": 1}]}),
                entry.update({"deps": []}),
                entry.update({"deps": {str(k): 1 for k in entry["deps"]}}),
                entry.update({"signatures": None}),
                entry.update({"reached": "x"}),
            ][number % 5]
            data["results"][unit] = stamped(entry)
        data["comments"] = {k: [[1, "x", None]] for k in data["comments"]}
        database.write_text(json.dumps(data))
    elif damage in ("a-fifo", "a-folder"):
        database.unlink()
        os.mkfifo(database) if damage == "a-fifo" else database.mkdir()
    elif damage == "deep":
        database.write_text("[" * 100_000 + "]" * 100_000)
    elif damage == "huge-number":
        database.write_text('{"results": ' + "9" * 10_000 + "}")
    else:
        database.write_bytes(b'{"results": "\xff"}')
    assert _codes(_lint(".", cache=cache)) == reference
    if damage != "a-folder":  # a folder in the way: the run goes on without writing it
        assert json.loads(database.read_text())["results"]
    assert _codes(_lint(".", cache=cache)) == reference


@pytest.mark.parametrize("what", ["a-file", "a-dangling-link", "a-fifo"])
def test_an_unusable_default_cache_location_means_a_run_without_cache(
    here: Path, what: str
) -> None:
    Path("bad.py").write_text(BAD_CONFIG)
    location = here / ".initlint_cache"
    if what == "a-file":
        location.write_text("mine\n")
    elif what == "a-dangling-link":
        os.symlink("nowhere", location)
    else:
        os.mkfifo(location)
    before = snapshot(here)
    with within(60):
        run = run_initlint("-v", "bad.py", cwd=here, env={"INITLINT_CACHE_DIR": ""})
    assert run.returncode == 1
    assert "IL004" in run.stdout
    notes = [line for line in run.stderr.splitlines() if line.startswith("[initlint] cache")]
    assert len(notes) == 1 and notes[0].startswith("[initlint] cache: not used: ")
    assert snapshot(here) == before


def test_an_unwritable_cache_is_a_note_not_an_error(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(30, "Read-only file system")

    Path("bad.py").write_text(BAD_CONFIG)
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    run = run_initlint("-v", "--cache-dir", str(here / "cache"), "bad.py", cwd=here)
    assert run.returncode == 1
    assert "[initlint] cache: not written to " in run.stderr
    assert "Read-only file system" in run.stderr
    proc = run_initlint("-v", "--cache-dir", "/proc", "bad.py", cwd=here)
    assert proc.returncode == 1 and "[initlint] cache: not written to /proc" in proc.stderr


@pytest.mark.parametrize(
    ("location", "problem"),
    [
        ("/dev/null", "a character device, not a folder"),
        ("dangling", "a symbolic link to nothing"),
        ("bad.py/cache", "under a file, not a folder"),
    ],
)
def test_an_explicit_cache_dir_that_cannot_be_a_folder_is_a_usage_error(
    here: Path, location: str, problem: str
) -> None:
    Path("bad.py").write_text(BAD_CONFIG)
    os.symlink("nowhere", "dangling")
    run = run_initlint("--cache-dir", location, "bad.py", cwd=here)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == (
        f"initlint: error: --cache-dir (or INITLINT_CACHE_DIR): {location} is {problem}\n"
    )


def test_a_cache_dir_that_is_a_project_folder_hides_nothing_from_git(here: Path) -> None:
    project = here / "project"
    project.mkdir()
    (project / "bad.py").write_text(BAD_CONFIG)
    run_initlint("--cache-dir", ".", "bad.py", cwd=project)
    assert not (project / ".gitignore").exists()
    assert not (project / "CACHEDIR.TAG").exists()
    run_initlint("--cache-dir", "made", "bad.py", cwd=project)  # a folder initlint makes
    assert (project / "made" / ".gitignore").read_text() == "# Created by initlint\n*\n"
    assert (project / "made" / "CACHEDIR.TAG").is_file()


def test_an_interrupted_run_leaves_no_cache_to_trust(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = here / "cache"
    made = _tree(here, 3)
    real = runner._Worker._run
    calls = []

    def interrupted(self: runner._Worker, unit: str, target: Target) -> runner.UnitResult:
        calls.append(unit)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(self, unit, target)

    monkeypatch.setattr(runner._Worker, "_run", interrupted)
    run = run_initlint("--cache-dir", str(cache), ".", cwd=here)
    assert (run.returncode, run.stderr) == (2, "\ninitlint: error: aborted\n")  # click's words
    assert not list(cache.rglob("*.json")) and not list(cache.rglob(".tmp-*"))
    monkeypatch.setattr(runner._Worker, "_run", real)
    # Interrupted while the database is written: the old one stays, no partial file.
    assert len(_lint(".", cache=cache).diagnostics) == len(made)
    before = _database(cache).read_bytes()
    made[0].write_text(GOOD_CONFIG)
    real_replace = os.replace

    def interrupted_replace(source: str, target: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted_replace)
    with pytest.raises(KeyboardInterrupt):
        _lint(".", cache=cache)
    monkeypatch.setattr(os, "replace", real_replace)
    assert _database(cache).read_bytes() == before
    assert not list(cache.rglob(".tmp-*"))
    assert len(_lint(".", cache=cache).diagnostics) == len(made) - 1


def test_cache_location_checks_need_no_database() -> None:
    cache = Cache(Path("/dev/null"), {})
    assert not cache.usable and cache.notes == [
        "cache: not used: /dev/null is a character device, not a folder"
    ]


# -- the command line's error paths ---------------------------------------------------------------


def test_a_closed_standard_input_is_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "initlint", "--stdin-filename", "x.py", "-"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=lambda: os.close(0),
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "initlint: error: cannot read standard input: it is closed\n"


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf"])
def test_a_bad_progress_delay_is_a_warning(
    here: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    from initlint import cli

    Path("bad.py").write_text(BAD_CONFIG)
    monkeypatch.setattr(cli, "_stderr_is_terminal", lambda: True)
    run = run_initlint("bad.py", cwd=here, env={"INITLINT_PROGRESS_DELAY": value})
    assert run.returncode == 1 and "IL004" in run.stdout
    assert run.stderr.startswith(
        f"initlint: warning: INITLINT_PROGRESS_DELAY={value!r} is "
        "not a number of seconds; using 1.0\n"
    )


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            '[tool.initlint]\nsource-roots = ["a\\u0000b"]\n',
            "pyproject.toml: [tool.initlint] source-roots: 'a\\x00b' holds a NUL character",
        ),
        (
            '[tool.initlint]\nconfig-roots = {mmdet = "\\u0000"}\n',
            "pyproject.toml: [tool.initlint] config-roots: '\\x00' holds a NUL character",
        ),
        (
            "[tool.initlint]\nextend-exclude = " + "[" * 5000 + "]" * 5000 + "\n",
            "pyproject.toml: invalid TOML: nested too deeply",
        ),
        (
            '[tool.initlint]\nsource-roots = ["' + "a" * 5000 + '"]\n',
            "pyproject.toml: [tool.initlint] source-roots: '" + "a" * 5000 + "' is not a folder",
        ),
    ],
)
def test_hostile_settings_are_one_line(here: Path, settings: str, message: str) -> None:
    Path("pyproject.toml").write_text(settings)
    Path("bad.py").write_text(BAD_CONFIG)
    run = run_initlint("bad.py", cwd=here)
    assert (run.returncode, run.stdout, run.stderr) == (2, "", f"initlint: error: {message}\n")


@needs_fifo
def test_a_settings_file_that_is_a_fifo_is_never_opened(here: Path) -> None:
    os.mkfifo("pyproject.toml")
    Path("bad.py").write_text(BAD_CONFIG)
    with within(60):
        run = run_initlint("bad.py", cwd=here)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == (
        "initlint: error: cannot read pyproject.toml: a FIFO, not a regular file\n"
    )


def test_over_long_names_are_diagnostics_or_one_line(here: Path) -> None:
    long = "a" * 5000
    Path("child.py").write_text(f"_base_ = ['./{long}.py', 'x\\0y.py']\n" + BAD_CONFIG)
    run = run_initlint("child.py", cwd=here)
    assert run.returncode == 1
    assert [line.split(": ", 1)[-1] for line in run.stdout.splitlines()] == [
        f"IL902 `_base_` file not found: {long}.py",
        "IL902 `_base_` file not found: x\\x00y.py",
        "IL004 Normal takes no argument `stddev`; did you mean 'std'?",
        "Found 3 diagnostics (3 errors) in 1 file checked.",
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]
    missing = run_initlint(long + ".py", cwd=here)
    assert (missing.returncode, missing.stderr) == (
        2,
        f"initlint: error: path does not exist: {long}.py\n",
    )


@pytest.mark.parametrize(
    "output_format", ["concise", "full", "json", "json-lines", "sarif", "github", "junit"]
)
def test_file_names_that_are_not_utf8_are_reported_in_every_format(
    tmp_path: Path, output_format: str
) -> None:
    name = os.fsdecode(b"caf\xe9.py")
    (tmp_path / name).write_text(BAD_CONFIG)
    result = subprocess.run(
        [sys.executable, "-m", "initlint", "--output-format", output_format, "."],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr == b""
    if output_format == "sarif":
        uri = json.loads(result.stdout)["runs"][0]["results"][0]["locations"][0][
            "physicalLocation"
        ]["artifactLocation"]["uri"]
        assert uri == "caf%E9.py"
    elif output_format in ("concise", "full", "github"):
        assert b"caf\xe9.py" in result.stdout  # the name's bytes, as on disk


# -- nothing is left behind -----------------------------------------------------------------------

SLOW_WORKERS = """
import sys, time
import initlint.runner as runner
def slow(self, unit, target):
    time.sleep(120)
runner._Worker._run = slow
runner.UNITS_PER_WORKER = 8  # a pool of two for 24 files
from initlint.cli import main
main(sys.argv[1:])
"""


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found += [int(p) for p in text.split()]
    return found


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_initlint_leaves_no_worker_holding_the_callers_pipes(
    tmp_path: Path, sig: int
) -> None:
    _tree(tmp_path, 24)
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_WORKERS, "--no-cache", "-j", "2", "."],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline:  # the pool has started
        time.sleep(0.2)
        workers = _children(process.pid)
    assert len(workers) >= 2
    process.send_signal(sig)
    # Generous bounds: the point is that the pipes close and the workers go, long before the
    # two minutes their (patched) work would take.
    with within(60):
        process.stdout.read()  # type: ignore[union-attr]
        process.stderr.read()  # type: ignore[union-attr]
    process.wait(60)
    with within(60):
        while any(
            Path(f"/proc/{pid}").exists()
            and "zombie" not in Path(f"/proc/{pid}/status").read_text()
            for pid in workers
        ):
            time.sleep(0.2)
