"""Which runtime judges a project (`target`): detected from what needs no import, set in the
settings or on the command line, shown by -v and --show-settings, and part of the cache key."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from initlint import target as target_module
from initlint import validate_init_cfg
from initlint.runner import lint_paths, lint_text
from initlint.target import Decision, TargetChooser, detect, detection_root, installed_decision

from .conftest import run_initlint
from .hostile import within

MMCV1_SOURCE = "from mmcv.runner import BaseModule\n\n\nclass Head(BaseModule):\n    pass\n"
MMENGINE_SOURCE = "from mmengine.model import BaseModule\n\n\nclass Head(BaseModule):\n    pass\n"
# A tuple init_cfg: fine for MMEngine's BaseModule, a TypeError in mmcv 1.x's initialize().
TUPLE_CONFIG = (
    "model = dict(type='RetinaNet', backbone=dict(type='ResNet', init_cfg=("
    "dict(type='Kaiming', layer='Conv2d'), )))\n"
)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def no_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if neither mmengine nor mmcv were installed (the test venv has mmengine)."""
    monkeypatch.setattr(target_module, "_installed", lambda name: None)


def test_imports_of_the_sources_decide(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": MMCV1_SOURCE,
            "pkg/b.py": MMCV1_SOURCE,
            "pkg/c.py": MMENGINE_SOURCE,
            "configs/x.py": "param_scheduler = []\noptim_wrapper = dict()\n",
        },
    )
    decision = detect(tmp_path)
    assert decision.target == "mmcv1"
    assert decision.reason.startswith("auto: 2 Python files import mmcv 1.x")
    write(tmp_path, {"pkg/d.py": MMENGINE_SOURCE, "pkg/e.py": MMENGINE_SOURCE})
    assert detect(tmp_path).target == "mmengine"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("from mmcv.runner import BaseModule, ModuleList", "mmcv1"),
        ("import mmcv.runner", "mmcv1"),
        ("from mmcv import Config, DictAction", "mmcv1"),
        ("from mmcv.utils import Registry, build_from_cfg", "mmcv1"),
        ("from mmcv.cnn.utils.weight_init import INITIALIZERS", "mmcv1"),
        ("from mmengine.model import BaseModule", "mmengine"),
        ("import mmengine", "mmengine"),
    ],
)
def test_each_generation_s_own_imports(tmp_path: Path, line: str, expected: str) -> None:
    write(tmp_path, {"tool.py": line + "\n"})
    assert detect(tmp_path).target == expected


def test_imports_both_generations_share_are_no_evidence(tmp_path: Path, no_installed: None) -> None:
    # mmcv.cnn.ConvModule exists in mmcv 1.x and 2.x alike
    write(tmp_path, {"a.py": "from mmcv.cnn import ConvModule\nimport mmcv\n"})
    assert detect(tmp_path) == Decision(
        "mmengine", "auto: no evidence of either generation (the default)"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lr_config = dict(policy='step', step=[8, 11])\n", "mmcv1"),
        ("optimizer_config = dict(grad_clip=None)\n", "mmcv1"),
        ("checkpoint_config = dict(interval=1)\n", "mmcv1"),
        ("param_scheduler = [dict(type='LinearLR')]\n", "mmengine"),
        ("optim_wrapper = dict(optimizer=dict(type='SGD'))\n", "mmengine"),
        ("default_hooks = dict()\n", "mmengine"),
    ],
)
def test_config_keys_decide_without_sources(
    tmp_path: Path, text: str, expected: str, no_installed: None
) -> None:
    write(tmp_path, {"configs/a.py": text})
    decision = detect(tmp_path)
    assert decision.target == expected
    assert decision.reason.startswith("auto: 1 config sets ")


def test_json_and_yaml_configs_count(tmp_path: Path, no_installed: None) -> None:
    write(
        tmp_path,
        {
            "a.json": '{\n"lr_config": {"policy": "step"}\n}\n',
            "b.yaml": "lr_config:\n  policy: step\n",
        },
    )
    assert detect(tmp_path).target == "mmcv1"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_among_the_project_s_files_is_skipped_not_waited_on(tmp_path: Path) -> None:
    """Detection reads the head of each file: a FIFO named like a config never blocks it."""
    write(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": MMCV1_SOURCE})
    os.mkfifo(tmp_path / "pkg" / "b.py")
    with within(30):
        decision = detect(tmp_path)
    assert decision.target == "mmcv1" and "1 Python file imports mmcv 1.x" in decision.reason


def test_installed_distributions_decide_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    versions = {"mmcv-full": "1.7.2"}
    monkeypatch.setattr(target_module, "_installed", lambda name: versions.get(name))
    assert installed_decision() == Decision(
        "mmcv1", "mmcv-full 1.7.2 is installed and mmengine is not"
    )
    assert detect(tmp_path).target == "mmcv1"
    versions = {"mmcv": "1.4.0"}
    assert installed_decision() == Decision("mmcv1", "mmcv 1.4.0 is installed and mmengine is not")
    versions = {"mmcv": "2.1.0"}  # mmcv 2.x needs mmengine; alone it says nothing
    assert installed_decision() is None
    versions = {"mmcv": "1.7.2", "mmengine": "0.10.7"}
    assert installed_decision() == Decision("mmengine", "mmengine 0.10.7 is installed")
    write(tmp_path, {"a.py": MMCV1_SOURCE})  # the project's own imports come first
    assert detect(tmp_path).target == "mmcv1"


def test_the_test_environment_has_mmengine(tmp_path: Path) -> None:
    decision = detect(tmp_path)
    assert decision.target == "mmengine"
    assert decision.reason.startswith("auto: mmengine ") and "installed" in decision.reason


def test_a_file_without_a_project_is_judged_by_its_package(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "site/pkg/__init__.py": "",
            "site/pkg/models/__init__.py": "",
            "site/pkg/models/head.py": "",
            "site/loose/a.py": "",
        },
    )
    assert detection_root(tmp_path / "site/pkg/models/head.py") == tmp_path / "site/pkg"
    assert detection_root(tmp_path / "site/loose/a.py") == tmp_path / "site/loose"
    write(tmp_path, {"site/pkg/configs/x.py": ""})
    assert detection_root(tmp_path / "site/pkg/configs/x.py") == tmp_path / "site/pkg/configs"


def test_a_setting_wins_and_auto_is_decided_once_per_project(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"a/.git/HEAD": "", "a/x.py": MMCV1_SOURCE, "b/.git/HEAD": "", "b/x.py": MMENGINE_SOURCE},
    )
    chooser = TargetChooser()
    assert chooser(tmp_path / "a" / "x.py") == "mmcv1"
    assert chooser(tmp_path / "b" / "x.py") == "mmengine"
    assert sorted(chooser.decided) == [tmp_path / "a", tmp_path / "b"]
    fixed = TargetChooser(lambda path: "mmcv1")
    assert fixed.decision(tmp_path / "b" / "x.py") == Decision("mmcv1", "set in the settings")
    assert fixed.decided == {}


# -- settings and the command line ----------------------------------------------------------


def test_settings_and_the_command_line_set_it(tmp_path: Path) -> None:
    write(tmp_path, {"configs/a.py": TUPLE_CONFIG})
    assert run_initlint("-q", "configs/a.py", cwd=tmp_path).stdout == ""  # auto: mmengine
    result = run_initlint("-q", "--target", "mmcv1", "configs/a.py", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith(
        "configs/a.py:1:70: IL001 init_cfg must be a dict or a "
        "list of dicts, got a tuple: mmcv 1.x's BaseModule"
    )
    write(tmp_path, {"pyproject.toml": '[tool.initlint]\ntarget = "mmcv1"\n'})
    assert run_initlint("-q", "configs/a.py", cwd=tmp_path).returncode == 1
    assert run_initlint("-q", "--target", "mmengine", "configs/a.py", cwd=tmp_path).returncode == 0


def test_a_bad_target_is_a_one_line_error(tmp_path: Path) -> None:
    write(tmp_path, {"initlint.toml": 'target = "mmcv"\n', "a.py": "x = 1\n"})
    result = run_initlint("a.py", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "initlint: error: initlint.toml: target: unknown target 'mmcv' "
        "(one of auto, mmengine, mmcv1); did you mean 'mmcv1'?\n"
    )
    result = run_initlint("--target", "mmcv2", "a.py", cwd=tmp_path)
    assert result.returncode == 2
    assert "'mmcv2' is not one of 'auto', 'mmengine', 'mmcv1'" in result.stderr


def test_verbose_and_show_settings_say_which_target_and_why(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": "[tool.initlint]\n",
            "pkg/__init__.py": "",
            "pkg/head.py": MMCV1_SOURCE,
            "configs/a.py": TUPLE_CONFIG,
        },
    )
    result = run_initlint("-v", "configs/a.py", cwd=tmp_path)
    assert (
        f"[initlint] target: mmcv1 for {tmp_path} (auto: 1 Python file imports mmcv 1.x "
        "(mmcv.runner, mmcv.Config, mmcv.utils.Registry) (e.g. pkg/head.py), 0 the other "
        "generation)"
    ) in result.stderr.splitlines()
    shown = run_initlint("--show-settings", "configs/a.py", cwd=tmp_path).stdout.splitlines()
    assert 'target = "mmcv1"' in shown
    assert any(line.startswith('target-reason = "auto: 1 Python file imports') for line in shown)
    data = json.loads(
        run_initlint(
            "--show-settings",
            "--output-format",
            "json",
            "--target",
            "mmengine",
            "configs/a.py",
            cwd=tmp_path,
        ).stdout
    )
    assert (data["target"], data["target-reason"]) == ("mmengine", "set in the settings")
    result = run_initlint("-v", "--target", "mmengine", "configs/a.py", cwd=tmp_path)
    assert "[initlint] target: mmengine (set in the settings)" in result.stderr.splitlines()


def test_the_cache_keeps_a_result_per_target(tmp_path: Path) -> None:
    write(tmp_path, {"configs/a.py": TUPLE_CONFIG})
    cache = tmp_path / "cache"

    def codes(target: str) -> list[str]:
        result = lint_paths(
            [str(tmp_path / "configs")], cache_dir=cache, targets=TargetChooser(lambda _: target)
        )
        return [d.code for d in result.diagnostics]

    for _ in range(2):  # cold, then warm
        assert codes("mmcv1") == ["IL001"]
        assert codes("mmengine") == []


def test_lint_text_and_validate_take_a_target(tmp_path: Path) -> None:
    name = str(tmp_path / "a.py")
    assert [d.code for d in lint_text(TUPLE_CONFIG, name, target="mmcv1")] == ["IL001"]
    assert lint_text(TUPLE_CONFIG, name, target="mmengine") == []
    value = (dict(type="Kaiming", layer="Conv2d"),)
    assert [d.code for d in validate_init_cfg(value, target="mmcv1")] == ["IL001"]
    assert validate_init_cfg(value) == []
    with pytest.raises(ValueError, match="target must be one of mmengine, mmcv1"):
        validate_init_cfg(value, target="mmcv2")  # type: ignore[arg-type]
