"""Suppression comments, through the real command line: `# initlint: ignore[...]`,
`# noqa: ...`, `# initlint: file-ignore[...]`, and the diagnostics about them (IL401, IL402)."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run_initlint

# Row 5: IL004 (`stddev` for `std`), inside the dict opened on row 3.
# Row 6: IL101 (Kaiming initialises nothing) and IL004 (Kaiming takes no `stddev`).
CONFIG = """model = dict(
    backbone=dict(
        init_cfg=dict(
            type='Normal', layer='Conv2d',
            stddev=0.01)),
    neck=dict(init_cfg=dict(type='Kaiming', stddev=0.1)))
"""
CLEAN = """model = dict(
    backbone=dict(init_cfg=dict(type='Normal', layer='Conv2d', std=0.01)))
"""


def with_comments(comments: dict[int, str], text: str = CONFIG) -> str:
    """`text` with `# comment` appended to the given 1-based rows."""
    lines = text.splitlines()
    for row, comment in comments.items():
        lines[row - 1] += "  " + comment
    return "\n".join(lines) + "\n"


def lint(tmp_path: Path, text: str, *args: str, name: str = "cfg.py") -> tuple[int, list[str]]:
    (tmp_path / name).write_text(text)
    result = run_initlint(*args, name, cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout.splitlines()


def codes(lines: list[str]) -> list[str]:
    """The codes reported, sorted."""
    return sorted(line.split(": ", 1)[1].split()[0] for line in lines if line.startswith("cfg.py:"))


def test_without_comments_all_three_are_reported(tmp_path: Path) -> None:
    code, lines = lint(tmp_path, CONFIG)
    assert code == 1
    assert codes(lines) == ["IL004", "IL004", "IL101"]


def test_ignore_with_codes_on_the_row_silences_exactly_those(tmp_path: Path) -> None:
    code, lines = lint(tmp_path, with_comments({6: "# initlint: ignore[IL101, IL004]"}))
    assert codes(lines) == ["IL004"]  # the one on row 5 is still there
    assert lines[0].startswith("cfg.py:5:13: IL004")
    code, lines = lint(tmp_path, with_comments({6: "# initlint: ignore[IL101]"}))
    assert codes(lines) == ["IL004", "IL004"]


def test_ignore_on_the_first_row_of_the_enclosing_dict(tmp_path: Path) -> None:
    code, lines = lint(
        tmp_path,
        with_comments({3: "# initlint: ignore[IL004]", 6: "# initlint: ignore[IL004, IL101]"}),
    )
    assert code == 0, lines
    assert lines == ["All checks passed! (1 file checked)"]


def test_ignore_on_an_unrelated_row_does_not_silence(tmp_path: Path) -> None:
    code, lines = lint(tmp_path, with_comments({1: "# initlint: ignore[IL004]"}))
    assert codes(lines) == ["IL004", "IL004", "IL101", "IL402"]


def test_noqa_with_codes_and_other_tools_codes(tmp_path: Path) -> None:
    code, lines = lint(tmp_path, with_comments({5: "# noqa: E501, IL004", 6: "# noqa:IL101,IL004"}))
    assert code == 0, lines
    # Codes of other tools alone are theirs: no effect, and not reported as unused.
    code, lines = lint(tmp_path, with_comments({5: "# noqa: E501", 2: "# noqa: W291"}))
    assert codes(lines) == ["IL004", "IL004", "IL101"]


def test_file_ignore_anywhere_silences_the_whole_file(tmp_path: Path) -> None:
    text = CONFIG + "# initlint: file-ignore[IL004]\n"
    code, lines = lint(tmp_path, text)
    assert codes(lines) == ["IL101"]
    code, lines = lint(tmp_path, "# initlint: file-ignore[IL004, IL101]\n" + CONFIG)
    assert code == 0, lines


def test_rule_names_work_in_initlint_comments(tmp_path: Path) -> None:
    code, lines = lint(
        tmp_path,
        with_comments(
            {
                5: "# initlint: ignore[unexpected-argument]",
                6: "# initlint: ignore[no-op-initializer, IL004]",
            }
        ),
    )
    assert code == 0, lines


def test_blanket_ignore_silences_but_is_reported_with_the_codes_to_name(tmp_path: Path) -> None:
    code, lines = lint(tmp_path, with_comments({6: "# initlint: ignore"}))
    assert code == 1
    assert codes(lines) == ["IL004", "IL401"]
    [il401] = [line for line in lines if "IL401" in line]
    assert il401.startswith("cfg.py:6:60: IL401")
    assert "`# initlint: ignore[IL004, IL101]`" in il401


def test_bare_noqa_is_blanket_when_it_hides_something_and_ignored_otherwise(tmp_path: Path) -> None:
    code, lines = lint(tmp_path, with_comments({5: "# noqa", 1: "# noqa"}))
    assert codes(lines) == ["IL004", "IL101", "IL401"]
    assert lines[0].startswith("cfg.py:5:29: IL401")
    assert "`# noqa: IL004`" in lines[0]
    # A bare noqa comment that hides nothing of initlint's is another tool's business.
    code, lines = lint(tmp_path, with_comments({1: "# noqa", 2: "# NOQA"}, CLEAN))
    assert code == 0, lines


def test_blanket_file_ignore_is_reported_too(tmp_path: Path) -> None:
    code, lines = lint(tmp_path, CONFIG + "# initlint: file-ignore\n")
    assert codes(lines) == ["IL401"]
    assert "in this file" in lines[0]


def test_unused_suppression_is_il402_naming_the_unused_codes(tmp_path: Path) -> None:
    code, lines = lint(tmp_path, with_comments({2: "# initlint: ignore[IL101]"}, CLEAN))
    assert code == 1
    assert len(lines) == 3
    assert lines[0].startswith("cfg.py:2:77: IL402 [*] unused suppression: IL101 ")
    # Partly used: only the code that hid nothing is named, with the comment to keep.
    code, lines = lint(tmp_path, with_comments({5: "# initlint: ignore[IL004, IL101]"}))
    [il402] = [line for line in lines if "IL402" in line]
    assert "IL101 suppresses nothing" in il402
    assert "use `# initlint: ignore[IL004]`" in il402
    # An unused blanket `# initlint: ignore`, and an unused file-ignore.
    code, lines = lint(
        tmp_path,
        "# initlint: file-ignore[IL108]\n" + with_comments({2: "# initlint: ignore"}, CLEAN),
    )
    assert codes(lines) == ["IL402", "IL402"]


def test_a_code_whose_rule_does_not_run_is_not_unused(tmp_path: Path) -> None:
    text = with_comments({2: "# initlint: ignore[IL101]"}, CLEAN)
    code, lines = lint(tmp_path, text, "--ignore", "IL101")
    assert code == 0, lines
    (tmp_path / "pyproject.toml").write_text(
        '[tool.initlint.per-file-ignores]\n"cfg.py" = ["IL1"]\n'
    )
    code, lines = lint(tmp_path, text)
    assert code == 0, lines
    # ... while an ignored rule's diagnostic counts as there to hide: no IL402 either.
    code, lines = lint(
        tmp_path, with_comments({6: "# initlint: ignore[IL101, IL004]"}), "--select", "IL004,IL402"
    )
    assert codes(lines) == ["IL004"]


def test_diagnostics_about_suppressions_can_be_ignored_like_any_rule(tmp_path: Path) -> None:
    text = with_comments({2: "# initlint: ignore[IL101]"}, CLEAN)
    code, lines = lint(tmp_path, text, "--ignore", "IL402")
    assert code == 0, lines
    code, lines = lint(tmp_path, "# initlint: file-ignore[IL402]\n" + text)
    assert code == 0, lines
    code, lines = lint(
        tmp_path, with_comments({2: "# initlint: ignore[IL101]  # initlint: ignore[IL402]"}, CLEAN)
    )
    assert code == 0, lines


def test_unknown_code_in_a_suppression_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "cfg.py").write_text(with_comments({6: "# initlint: ignore[IL1O1]"}))
    result = run_initlint("cfg.py", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "initlint: error: cfg.py:6:60: unknown rule code 'IL1O1' in "
        "`# initlint: ignore[IL1O1]`; did you mean 'IL101'?\n"
    )
    (tmp_path / "cfg.py").write_text(with_comments({6: "# noqa: IL999"}))
    result = run_initlint("cfg.py", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("initlint: error: cfg.py:6:60: unknown rule code 'IL999'")
    assert len(result.stderr.splitlines()) == 1


def test_misspelled_directive_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "cfg.py").write_text(with_comments({6: "# initlint: ignroe[IL101]"}))
    result = run_initlint("cfg.py", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "did you mean 'ignore'?" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    for comment, message in (
        ("# initlint: ignore IL101", "write the codes in brackets: `# initlint: ignore[IL101]`"),
        ("# initlint: ignore[IL101", "the `[` is not closed"),
    ):
        (tmp_path / "cfg.py").write_text(with_comments({6: comment}))
        result = run_initlint("cfg.py", cwd=tmp_path)
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr.endswith(message + "\n")


def test_a_directive_inside_a_string_is_not_a_comment(tmp_path: Path) -> None:
    text = "note = '# initlint: ignore[IL999]  # noqa'\n" + CLEAN
    code, lines = lint(tmp_path, text)
    assert code == 0, lines


def test_json_output_locates_the_comment(tmp_path: Path) -> None:
    code, lines = lint(
        tmp_path, with_comments({2: "# initlint: ignore[IL101]"}, CLEAN), "--output-format", "json"
    )
    [item] = json.loads("\n".join(lines))
    assert item["code"] == "IL402"
    assert item["severity"] == "warning"
    assert item["location"] == {"row": 2, "column": 77}
    assert item["end_location"] == {"row": 2, "column": 102}


def test_suppressions_apply_to_standard_input(tmp_path: Path) -> None:
    text = with_comments({5: "# noqa: IL004", 6: "# initlint: ignore[IL004]"})
    result = run_initlint("--stdin-filename", "configs/cfg.py", "-", cwd=tmp_path, stdin=text)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("configs/cfg.py:6:34: IL101")
    assert len(result.stdout.splitlines()) == 2


def test_suppression_in_a_base_file_silences_what_a_child_config_reaches(tmp_path: Path) -> None:
    base = tmp_path / "configs" / "_base_"
    base.mkdir(parents=True)
    (base / "model.py").write_text(
        with_comments({6: "# initlint: ignore[IL101, IL004]", 5: "# noqa: IL004"})
    )
    (tmp_path / "configs" / "child.py").write_text(
        "_base_ = ['./_base_/model.py']\nmodel = dict(backbone=dict(depth=50))\n"
    )
    result = run_initlint("configs/child.py", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_yaml_configs_take_comments_too(tmp_path: Path) -> None:
    text = "model:\n  init_cfg:\n    type: Normal\n    layer: Conv2d\n    stddev: 0.1\n"
    code, lines = lint(tmp_path, text, name="cfg.yaml")
    assert code == 1 and "IL004" in lines[0]
    code, lines = lint(
        tmp_path, text.replace("Normal", "Normal  # initlint: ignore[IL004]"), name="cfg.yaml"
    )
    assert code == 0, lines
