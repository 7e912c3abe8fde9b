"""Settings files, through the real command line in temporary projects: `[tool.initlint]` in
pyproject.toml, initlint.toml, the nearest one winning, the command line over both, and one
clear line with exit 2 for anything wrong in them."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import TWO_RULES_CONFIG as BAD
from .conftest import run_initlint

# IL004 (error) on row 5, IL101 (warning) on row 6.


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def reported(stdout: str) -> list[str]:
    """`file CODE` for each diagnostic line of the concise output."""
    return [
        f"{line.split(':')[0]} {line.split(': ', 1)[1].split()[0]}"
        for line in stdout.splitlines()
        if ": IL" in line
    ]


def test_pyproject_settings_apply(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\n\n[tool.initlint]\nignore = ["IL101"]\n',
            "configs/a.py": BAD,
        },
    )
    result = run_initlint("configs", cwd=tmp_path)
    assert result.returncode == 1
    assert reported(result.stdout) == ["configs/a.py IL004"]


def test_initlint_toml_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.initlint]\nignore = ["IL101"]\n',
            "initlint.toml": 'ignore = ["IL004"]\n',
            "a.py": BAD,
        },
    )
    result = run_initlint("a.py", cwd=tmp_path)
    assert reported(result.stdout) == ["a.py IL101"]


def test_the_nearest_settings_file_wins_for_each_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.initlint]\nignore = ["IL101"]\n',
            "a.py": BAD,
            "sub/initlint.toml": 'ignore = ["IL004"]\n',
            "sub/b.py": BAD,
            # A pyproject.toml without [tool.initlint] does not count.
            "other/pyproject.toml": '[project]\nname = "other"\n',
            "other/c.py": BAD,
        },
    )
    result = run_initlint(".", cwd=tmp_path)
    assert reported(result.stdout) == ["a.py IL004", "other/c.py IL004", "sub/b.py IL101"]
    # The same from inside `sub`, and when `sub` is named from elsewhere.
    assert reported(run_initlint("b.py", cwd=tmp_path / "sub").stdout) == ["b.py IL101"]
    assert reported(run_initlint("sub/b.py", cwd=tmp_path).stdout) == ["sub/b.py IL101"]


def test_command_line_wins_over_the_settings_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.initlint]\nignore = ["IL101"]\noutput-format = "json"\n',
            "a.py": BAD,
        },
    )
    result = run_initlint(
        "--extend-select", "IL101", "--output-format", "concise", "a.py", cwd=tmp_path
    )
    assert reported(result.stdout) == ["a.py IL004", "a.py IL101"]
    result = run_initlint("--select", "IL1", "--output-format", "concise", "a.py", cwd=tmp_path)
    assert reported(result.stdout) == ["a.py IL101"]


def test_select_and_ignore_the_more_specific_selector_wins(tmp_path: Path) -> None:
    write(tmp_path, {"initlint.toml": 'select = ["IL1"]\nignore = ["IL101"]\n', "a.py": BAD})
    result = run_initlint("a.py", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    write(tmp_path, {"initlint.toml": 'select = ["IL101"]\nignore = ["IL1", "IL0"]\n'})
    assert reported(run_initlint("a.py", cwd=tmp_path).stdout) == ["a.py IL101"]
    write(tmp_path, {"initlint.toml": 'extend-select = ["ALL"]\nignore = ["IL"]\n'})
    assert run_initlint("a.py", cwd=tmp_path).returncode == 0


def test_per_file_ignores_table(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": "[tool.initlint.per-file-ignores]\n"
            '"configs/_base_/**" = ["IL101"]\n'
            '"legacy" = ["IL0", "IL1"]\n'
            '"test_*.py" = ["IL004"]\n',
            "configs/_base_/models/m.py": BAD,
            "configs/a.py": BAD,
            "legacy/old.py": BAD,
            "tools/test_x.py": BAD,
        },
    )
    result = run_initlint(".", cwd=tmp_path)
    assert reported(result.stdout) == [
        "configs/_base_/models/m.py IL004",
        "configs/a.py IL004",
        "configs/a.py IL101",
        "tools/test_x.py IL101",
    ]


def test_severity_can_be_changed_per_rule(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.initlint.severity]\nIL101 = "error"\nIL0 = "info"\n',
            "a.py": BAD,
        },
    )
    result = run_initlint("a.py", cwd=tmp_path)
    assert result.returncode == 1
    assert "Found 2 diagnostics (1 error, 1 info) in 1 file checked." in result.stdout.splitlines()
    result = run_initlint("--output-format", "json", "a.py", cwd=tmp_path)
    assert {d["code"]: d["severity"] for d in json.loads(result.stdout)} == {
        "IL004": "info",
        "IL101": "error",
    }


def test_excludes_and_force_exclude_in_settings(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.initlint]\nextend-exclude = ["legacy", "configs/*_old.py"]\n',
            "legacy/a.py": BAD,
            "configs/b_old.py": BAD,
            "configs/c.py": BAD,
            "build/d.py": BAD,
        },
    )
    result = run_initlint(".", cwd=tmp_path)
    assert reported(result.stdout) == ["configs/c.py IL004", "configs/c.py IL101"]
    # A file named on the command line is linted, unless force-exclude is set.
    assert reported(run_initlint("legacy/a.py", cwd=tmp_path).stdout) == [
        "legacy/a.py IL004",
        "legacy/a.py IL101",
    ]
    write(
        tmp_path,
        {"pyproject.toml": '[tool.initlint]\nforce-exclude = true\nexclude = ["legacy"]\n'},
    )
    result = run_initlint("legacy/a.py", "configs/c.py", cwd=tmp_path)
    assert reported(result.stdout) == ["configs/c.py IL004", "configs/c.py IL101"]
    # `exclude` replaces the default excludes: build/ is walked now.
    result = run_initlint(".", cwd=tmp_path)
    assert "build/d.py IL004" in reported(result.stdout)


def test_output_format_and_exit_zero_in_settings(tmp_path: Path) -> None:
    write(tmp_path, {"initlint.toml": 'output-format = "json"\nexit-zero = true\n', "a.py": BAD})
    result = run_initlint("a.py", cwd=tmp_path)
    assert result.returncode == 0
    assert [d["code"] for d in json.loads(result.stdout)] == ["IL004", "IL101"]


def test_show_settings_names_the_file_and_the_resolved_rules(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"pyproject.toml": '[tool.initlint]\nselect = ["IL1"]\nignore = ["IL101"]\n', "a.py": BAD},
    )
    result = run_initlint("--show-settings", "a.py", cwd=tmp_path)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == ["Resolved settings for: a.py", "Settings path: pyproject.toml"]
    assert "IL101" not in lines[2] and "IL106" in lines[2] and "IL004" not in lines[2]
    settings = json.loads(
        run_initlint("--show-settings", "--output-format", "json", "a.py", cwd=tmp_path).stdout
    )
    assert settings["settings-file"] == "pyproject.toml"
    assert all(code.startswith("IL1") for code in settings["rules"])


def one_line_error(tmp_path: Path, *args: str) -> str:
    result = run_initlint(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("initlint: error: ")
    return lines[0]


def test_unknown_key_names_file_key_and_suggestion(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.initlint]\nselct = ["IL1"]\n', "a.py": BAD})
    assert one_line_error(tmp_path, "a.py") == (
        "initlint: error: pyproject.toml: unknown key "
        "'selct' in [tool.initlint]; did you mean "
        "'select'?"
    )
    write(tmp_path, {"pyproject.toml": "", "initlint.toml": "extend_exclude = ['x']\n"})
    assert one_line_error(tmp_path, "a.py") == (
        "initlint: error: initlint.toml: unknown key "
        "'extend_exclude'; did you mean "
        "'extend-exclude'?"
    )


def test_bad_values_name_file_and_key(tmp_path: Path) -> None:
    cases = {
        'select = "IL101"': "initlint.toml: select: must be a list of strings, got 'IL101'",
        'ignore = ["IL1O1"]': "did you mean 'IL101'?",
        'select = ["IL999"]': "select: unknown rule code 'IL999'",
        'output-format = "jsno"': "output-format: unknown output format 'jsno'",
        "exit-zero = 1": "exit-zero: must be true or false, got 1",
        '[severity]\nIL101 = "fatal"': "severity.IL101: unknown severity 'fatal'",
        '[per-file-ignores]\n"tests/*" = ["E501"]': 'per-file-ignores."tests/*": unknown rule',
        'exclude = ["[abc"]': "exclude: unclosed '['",
    }
    write(tmp_path, {"a.py": BAD})
    for text, expected in cases.items():
        write(tmp_path, {"initlint.toml": text + "\n"})
        assert expected in one_line_error(tmp_path, "a.py"), text


def test_malformed_or_unreadable_settings_file(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.initlint\nselect = 1\n", "a.py": BAD})
    error = one_line_error(tmp_path, "a.py")
    assert error.startswith("initlint: error: pyproject.toml: invalid TOML: ")
    assert "line 1" in error
    (tmp_path / "pyproject.toml").unlink()
    (tmp_path / "initlint.toml").mkdir()
    assert one_line_error(tmp_path, "a.py").startswith(
        "initlint: error: cannot read initlint.toml: "
    )


def test_a_bad_settings_file_deeper_in_the_tree_is_reported_too(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": BAD, "sub/b.py": BAD, "sub/initlint.toml": "ignore = 'IL1'\n"})
    assert "sub/initlint.toml: ignore: must be a list" in one_line_error(tmp_path, ".")
