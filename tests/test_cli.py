"""The command line: exit codes, output formats, bad input."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import BAD_CONFIG as BAD
from .conftest import GOOD_CONFIG as GOOD
from .conftest import run_initlint


def test_clean_file_exits_0(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(GOOD)
    result = run_initlint("good.py", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All checks passed!" in result.stdout


def test_diagnostic_has_path_row_col_code_and_summary(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(BAD)
    result = run_initlint("bad.py", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == ("bad.py:5:54: IL004 Normal takes no argument `stddev`; did you mean 'std'?")
    assert lines[-2] == "Found 1 diagnostic (1 error) in 1 file checked."
    # `stddev` -> `std` is a fix, but not a safe one (grammar.md: a did-you-mean).
    assert lines[-1] == (
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option)."
    )


def test_check_subcommand_is_the_default(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(BAD)
    assert (
        run_initlint("check", "bad.py", cwd=tmp_path).stdout
        == run_initlint("bad.py", cwd=tmp_path).stdout
    )


def test_json_output(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(BAD)
    result = run_initlint("--output-format", "json", "bad.py", cwd=tmp_path)
    assert result.returncode == 1
    [item] = json.loads(result.stdout)
    assert item["code"] == "IL004"
    assert item["severity"] == "error"
    assert item["filename"] == "bad.py"
    assert item["location"] == {"row": 5, "column": 54}
    assert item["end_location"] == {"row": 5, "column": 60}
    assert item["config_path"] == "model.bbox_head.init_cfg.stddev"
    assert "std" in item["message"]


def test_json_output_when_clean_is_an_empty_array(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(GOOD)
    result = run_initlint("--output-format", "json", "good.py", cwd=tmp_path)
    assert result.returncode == 0
    assert json.loads(result.stdout) == []


def test_folder_is_walked_and_files_without_init_cfg_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "bad.py").write_text(BAD)
    (tmp_path / "configs" / "runtime.py").write_text("default_scope = 'mmdet'\n")
    (tmp_path / "configs" / "notes.txt").write_text("init_cfg=dict(type='x')")
    result = run_initlint("configs", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("configs/bad.py:5:54: IL004")
    assert "2 files checked" in result.stdout


def test_missing_path_is_a_one_line_usage_error(tmp_path: Path) -> None:
    result = run_initlint("does_not_exist.py", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "initlint: error: path does not exist: does_not_exist.py\n"


def test_unknown_option_is_exit_2(tmp_path: Path) -> None:
    result = run_initlint("--no-such-option", "x.py", cwd=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert "--no-such-option" in result.stderr


def test_syntax_error_is_il901_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("model = dict(\n    init_cfg=dict(type='Normal')\n")
    (tmp_path / "bad.py").write_text(BAD)
    result = run_initlint("broken.py", "bad.py", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "bad.py:5:54: IL004 Normal takes no argument `stddev`; did you mean 'std'?"
    assert lines[1] == "broken.py:1:13: IL901 cannot parse: '(' was never closed"
    assert "Traceback" not in result.stderr


def test_not_utf8_and_binary_files_are_il901(tmp_path: Path) -> None:
    (tmp_path / "latin1.py").write_bytes(b"model = dict(init_cfg=None)\nname = '\xe9t\xe9'\n")
    (tmp_path / "blob.py").write_bytes(b"\x00\x01init_cfg\x00")
    result = run_initlint("latin1.py", "blob.py", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        "blob.py:1:1: IL901 not a text file (it holds NUL bytes)",
        "latin1.py:2:9: IL901 not valid UTF-8 (byte 0xe9); MMEngine reads configs as UTF-8",
    ]


def test_files_are_never_modified(tmp_path: Path) -> None:
    path = tmp_path / "bad.py"
    path.write_text(BAD)
    before = path.stat().st_mtime_ns
    run_initlint("--no-cache", "bad.py", cwd=tmp_path)
    assert path.read_text() == BAD and path.stat().st_mtime_ns == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.py"]
    # With the cache where it goes by default (no INITLINT_CACHE_DIR), the only thing added
    # is the tagged cache folder.
    run_initlint("bad.py", cwd=tmp_path, env={"INITLINT_CACHE_DIR": ""})
    assert path.read_text() == BAD and path.stat().st_mtime_ns == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".initlint_cache", "bad.py"]
    assert (
        (tmp_path / ".initlint_cache" / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )


def test_schema_command_prints_json_schema() -> None:
    result = run_initlint("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "OpenMMLab init_cfg"


def test_version() -> None:
    result = run_initlint("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("initlint, version ")
