"""Configs with `if`/`for`/`while`/`try`/`with` blocks and method calls on `_base_`, compared with
`mmengine.Config.fromfile`; and the evaluator's bounds (IL904): inputs that would exhaust memory
or time if computed are refused, and the rest of the config is still read."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from mmengine.config import Config, ConfigDict

from initlint.config.evaluator import CONFIG_DICT_ATTRIBUTES, DICT_ATTRIBUTES
from initlint.config.loader import ConfigLoader, LoadedConfig
from initlint.inspect_cmd import inspect_configs, write_inspect
from initlint.limits import MAX_EVALUATOR_STEPS, MAX_NESTING, MAX_STATEMENTS, MAX_VALUE_SIZE
from initlint.runner import lint_paths

from .conftest import ROOT
from .mmengine_configs import disagreements, initlint_init_cfgs, runtime_init_cfgs

BRANCHES = ROOT / "fixtures" / "configs" / "branches"
# Environment settings the fixtures branch on: initlint reads the config once, the runtime
# once per setting, and each of the runtime's configs must agree with initlint's.
ENVIRONMENTS = {
    "retinanet_env_switch.py": [
        {},
        {"INITLINT_TEST_SMALL": "1", "INITLINT_TEST_DEPTH": "18"},
        {"INITLINT_TEST_FROZEN": "1", "INITLINT_TEST_CLASSES": "3"},
    ],
    "cascade_loops.py": [{}, {"INITLINT_TEST_EXTRA": "a,b"}],
}
CASES = [
    pytest.param(path, env, id=f"{path.name}-{i}")
    for path in sorted(BRANCHES.glob("*.py"))
    for i, env in enumerate(ENVIRONMENTS.get(path.name, [{}]))
]


def _load(tmp_path: Path, text: str, name: str = "cfg.py") -> LoadedConfig:
    path = tmp_path / name
    path.write_text(text)
    return ConfigLoader().load(path)


def _il904(loaded: LoadedConfig) -> list[tuple[int, str]]:
    return [(p.span.row, p.message) for p in loaded.problems if p.code == "IL904"]


def _inspect(path: Path) -> str:
    out = io.StringIO()
    write_inspect(inspect_configs([path]), "text", out)
    return out.getvalue()


@pytest.mark.parametrize(("path", "env"), CASES)
def test_fixture_agrees_with_config_fromfile(
    path: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = ConfigLoader().load(path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    runtime = runtime_init_cfgs(path)
    assert runtime, "the fixture should hold init_cfg values"
    assert disagreements(loaded, runtime) == []
    assert loaded.problems == []


# -- if ------------------------------------------------------------------------------------------
def test_init_cfg_set_after_a_decided_if_is_shown_and_checked(tmp_path: Path) -> None:
    """The pruning-config pattern: before, `architecture` vanished at the `if` and inspect
    printed "(no init_cfg)"; a typo in its init_cfg was never reported."""
    text = _inspect(BRANCHES / "prune_retinanet_hasattr.py")
    assert "model.architecture.init_cfg" in text and "(no init_cfg)" not in text
    base = BRANCHES / "_base_" / "retinanet_preprocessed.py"
    (tmp_path / "prune.py").write_text(
        f"_base_ = {str(base)!r}\n"
        "architecture = _base_.model\n"
        "if hasattr(_base_, 'data_preprocessor'):\n"
        "    architecture.update({'data_preprocessor': _base_.data_preprocessor})\n"
        "architecture.init_cfg = dict(type='Pretrianed', checkpoint='epoch_12.pth')\n"
        "model = dict(_delete_=True, type='GroupFisherAlgorithm', architecture=architecture)\n"
    )
    found = [
        (d.code, d.location.row if d.location else 0)
        for d in lint_paths([str(tmp_path / "prune.py")]).diagnostics
    ]
    assert found == [("IL003", 5)]


def test_condition_decided_on_the_bases(tmp_path: Path) -> None:
    (tmp_path / "base.py").write_text(
        "model = dict(type='RetinaNet', backbone=dict(type='ResNet', depth=50))\n"
    )
    loaded = _load(
        tmp_path,
        (
            "_base_ = './base.py'\n"
            "if 'model' in _base_ and not hasattr(_base_, 'teacher') and "
            "_base_.model.backbone.depth >= 50:\n"
            "    _base_.model.backbone.init_cfg = dict(type='Pretrained', checkpoint='a.pth')\n"
            "elif hasattr(_base_, 'update'):\n"
            "    _base_.model.backbone.init_cfg = None\n"
        ),
    )
    assert initlint_init_cfgs(loaded) == {
        "model.backbone.init_cfg": {"type": "Pretrained", "checkpoint": "a.pth"}
    }


def test_undecided_if_keeps_what_both_paths_agree_on(tmp_path: Path) -> None:
    loaded = _load(
        tmp_path,
        (
            "import os\n"
            "neck = dict(type='FPN', init_cfg=dict(type='Xavier', layer='Conv2d'))\n"
            "model = dict(type='RetinaNet', neck=neck,\n"
            "             backbone=dict(type='ResNet', init_cfg=dict(type='Pretrained',\n"
            "                                                        checkpoint='a.pth')))\n"
            "if os.environ.get('SMALL'):\n"
            "    model['backbone']['init_cfg']['checkpoint'] = 'b.pth'\n"
            "    model['backbone']['depth'] = 18\n"
            "else:\n"
            "    model['backbone']['init_cfg']['prefix'] = 'backbone.'\n"
        ),
    )
    ours = initlint_init_cfgs(loaded)
    # Untouched names and keys keep their values; what differs is Unknown; a key one path
    # sets leaves the dict open.
    assert (
        ours["neck.init_cfg"]
        == ours["model.neck.init_cfg"]
        == {"type": "Xavier", "layer": "Conv2d"}
    )
    assert ours["model.backbone.init_cfg"] == {
        "type": "Pretrained",
        "checkpoint": {"__unknown__": "differs between paths"},
        "__unknown__": "keys from an unknown mapping",
    }
    model = loaded.keys.get("model")
    assert model is not None and model.get("backbone").get("type").value == "ResNet"  # type: ignore


def test_a_mistake_on_every_path_is_reported_one_on_some_paths_is_not(tmp_path: Path) -> None:
    (tmp_path / "cfg.py").write_text(
        "import os\n"
        "if os.environ.get('A'):\n"
        "    init = dict(type='Kaiming', layer='Conv2d', stddev=1)\n"
        "    head = dict(type='Xavier', layer='Conv2d')\n"
        "else:\n"
        "    init = dict(type='Kaiming', layer='Conv2d', stddev=1)\n"
        "    head = dict(type='Xaiver', layer='Conv2d')\n"
        "model = dict(type='RetinaNet', neck=dict(type='FPN', init_cfg=init),\n"
        "             bbox_head=dict(type='RetinaHead', init_cfg=head))\n"
    )
    found = [
        (d.code, d.location.row if d.location else 0)
        for d in lint_paths([str(tmp_path / "cfg.py")]).diagnostics
    ]
    assert found == [("IL004", 3)]


def test_name_is_builtins_in_a_config(tmp_path: Path) -> None:
    """Runtime fact: the exec namespace has no `__name__`; the builtins module's is read."""
    (tmp_path / "cfg.py").write_text(
        "name = __name__\nmodel = dict(init_cfg=dict(type='Xavier', layer='Conv2d'))\n"
    )
    assert Config.fromfile(str(tmp_path / "cfg.py")).name == "builtins"
    name = ConfigLoader().load(tmp_path / "cfg.py").keys.get("name")
    assert name is not None and name.value == "builtins"  # type: ignore[attr-defined]
    assert "model.backbone.init_cfg" in _inspect(BRANCHES / "retinanet_main_guard.py")


def test_attribute_names_of_dicts_are_the_runtimes() -> None:
    """`hasattr(_base_, 'update')` is True, `hasattr(plain_dict, 'model')` False."""
    assert set(dir(ConfigDict())) == CONFIG_DICT_ATTRIBUTES
    assert set(dir({})) == DICT_ATTRIBUTES


def test_maybe_the_same_object_changed_through_either_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`x` is `a` on one path and `b` on the other: setting a key through it keeps what both
    still agree on, in all three."""
    path = tmp_path / "cfg.py"
    path.write_text(
        "_base_ = []\n"
        "import os\n"
        "a = dict(type='FPN', init_cfg=dict(type='Xavier', layer='Conv2d'))\n"
        "b = dict(type='ResNet', init_cfg=dict(type='Pretrained', checkpoint='a.pth'))\n"
        "x = a if os.environ.get('A') else b\n"
        "x['init_cfg'] = dict(type='Kaiming', layer='Conv2d')\n"
        "x['frozen'] = True\n"
        "model = dict(type='RetinaNet', neck=a, backbone=b)\n"
    )
    loaded = ConfigLoader().load(path)
    assert initlint_init_cfgs(loaded)["x.init_cfg"] == {"type": "Kaiming", "layer": "Conv2d"}
    for env in ("", "1"):
        monkeypatch.setenv("A", env)
        assert disagreements(loaded, runtime_init_cfgs(path)) == []
    a = loaded.keys.get("a")
    assert a is not None and a.get("type").value == "FPN"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "body",
    [
        # A key one path sets merges into the base's value on that path only.
        "model = dict()\n"
        "if os.environ.get('A'):\n"
        "    model['neck'] = dict(init_cfg=dict(type='Kaiming'))\n",
        # A key we cannot name may be any of them.
        "model = _base_.model\n"
        "name = os.environ.get('A') or 'neck'\n"
        "model[name]['init_cfg'] = dict(type='Kaiming', layer='Conv2d')\n",
        "model = _base_.model\n"
        "parts = [model['backbone'], model['neck']]\n"
        "for part in parts[int(bool(os.environ.get('A'))):]:\n"
        "    part['init_cfg']['layer'] = 'Linear'\n",
    ],
)
def test_what_some_path_may_change_is_never_claimed(
    tmp_path: Path, body: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "base.py").write_text(
        "model = dict(type='RetinaNet',\n"
        "             backbone=dict(type='ResNet', init_cfg=dict(type='Xavier', layer='Conv2d')),\n"
        "             neck=dict(type='FPN', init_cfg=dict(type='Xavier', layer='Conv2d')))\n"
    )
    path = tmp_path / "cfg.py"
    path.write_text("_base_ = './base.py'\nimport os\n" + body)
    loaded = ConfigLoader().load(path)
    for env in ("", "backbone"):
        monkeypatch.setenv("A", env)
        assert disagreements(loaded, runtime_init_cfgs(path)) == []


# -- loops, try, with --------------------------------------------------------------------------
def test_loop_over_unknown_items_changes_only_what_its_body_touches(tmp_path: Path) -> None:
    loaded = _load(
        tmp_path,
        (
            "import os\n"
            "model = dict(type='RetinaNet',\n"
            "             backbone=dict(type='ResNet', init_cfg=dict(type='Pretrained',\n"
            "                                                        checkpoint='a.pth')),\n"
            "             neck=dict(type='FPN', init_cfg=dict(type='Xavier', layer='Conv2d')))\n"
            "for layer in os.environ.get('LAYERS', 'Conv2d').split(','):\n"
            "    model['neck']['init_cfg']['layer'] = layer\n"
        ),
    )
    ours = initlint_init_cfgs(loaded)
    assert ours["model.backbone.init_cfg"] == {"type": "Pretrained", "checkpoint": "a.pth"}
    assert ours["model.neck.init_cfg"]["type"] == "Xavier"
    assert "__unknown__" in ours["model.neck.init_cfg"]["layer"]


def test_try_body_that_cannot_raise_never_reaches_its_handler(tmp_path: Path) -> None:
    loaded = _load(
        tmp_path,
        (
            "try:\n"
            "    init = dict(type='Pretrained', checkpoint='a.pth')\n"
            "except Exception:\n"
            "    init = None\n"
            "try:\n"
            "    from os import no_such_name\n"
            "    neck = dict(type='Kaiming', layer='Conv2d')\n"
            "except ImportError:\n"
            "    neck = dict(type='Xavier', layer='Conv2d')\n"
            "model = dict(backbone=dict(init_cfg=init), neck=dict(init_cfg=neck))\n"
        ),
    )
    ours = initlint_init_cfgs(loaded)
    assert ours["model.backbone.init_cfg"] == {"type": "Pretrained", "checkpoint": "a.pth"}
    assert ours["model.neck.init_cfg"] == {
        "type": {"__unknown__": "differs between paths"},
        "layer": "Conv2d",
    }


def test_block_changes_through_a_function_are_unknown(tmp_path: Path) -> None:
    loaded = _load(
        tmp_path,
        (
            "model = dict(backbone=dict(type='ResNet', init_cfg=dict(type='Pretrained',\n"
            "                                                        checkpoint='a.pth')))\n"
            "def drop_init(cfg):\n"
            "    cfg['backbone'].pop('init_cfg')\n"
            "drop_init(model)\n"
        ),
    )
    assert all("__unknown__" in str(v) for v in initlint_init_cfgs(loaded).values())


@pytest.mark.parametrize(
    "line", ["exec('model = None')", "globals()['model'] = None", "vars().update(model=None)"]
)
def test_a_file_reaching_its_own_names_is_not_followed(tmp_path: Path, line: str) -> None:
    path = tmp_path / "cfg.py"
    path.write_text(INIT + line + "\n")
    loaded = ConfigLoader().load(path)
    assert runtime_init_cfgs(path) == {}
    assert initlint_init_cfgs(loaded) == {} and loaded.keys.open and not _il904(loaded)


# -- method calls on _base_ ----------------------------------------------------------------------
def test_popped_base_key_is_gone_from_the_merged_config() -> None:
    ours = initlint_init_cfgs(ConfigLoader().load(BRANCHES / "mask-rcnn_pop_base.py"))
    assert "model.detector.backbone.init_cfg" in ours
    assert not any(k.startswith(("model.backbone", "model.neck")) for k in ours)


def test_changing_a_base_variable_leaves_the_model_built_from_it() -> None:
    """Runtime fact: `_dict_to_config_dict` makes every place of `_base_` its own object."""
    ours = initlint_init_cfgs(ConfigLoader().load(BRANCHES / "faster-rcnn_copies.py"))
    assert ours["model.backbone.init_cfg"]["checkpoint"] == "torchvision://resnet50"
    assert ours["teacher_backbone.init_cfg"]["checkpoint"] == "torchvision://resnet152"


def test_configdict_stores_a_copy_of_a_plain_dict(tmp_path: Path) -> None:
    path = tmp_path / "cfg.py"
    (tmp_path / "base.py").write_text("model = dict(type='RetinaNet')\n")
    path.write_text(
        "_base_ = './base.py'\n"
        "backbone = dict(type='ResNet',\n"
        "                init_cfg=dict(type='Kaiming', layer='Conv2d'))\n"
        "_base_.model.backbone = backbone\n"
        "backbone['init_cfg']['layer'] = 'Linear'\n"
    )
    ours = initlint_init_cfgs(ConfigLoader().load(path))
    assert ours == runtime_init_cfgs(path)
    assert ours["model.backbone.init_cfg"]["layer"] == "Conv2d"


# -- bounds (IL904) ------------------------------------------------------------------------------
INIT = "model = dict(type='RetinaNet', neck=dict(init_cfg=dict(type='Kaiming', layer='Conv2d')))\n"


@pytest.mark.parametrize(
    ("source", "row", "message"),
    [
        ("x = [0] * 10**9\n", 1, "a sequence of 1000000000 items"),
        ("x = 'x' * 10**9\n", 1, "a string of 1000000000 characters"),
        ("x = b'x' * 10**9\n", 1, "a string of 1000000000 characters"),
        ("x = 2 ** 2 ** 2 ** 2 ** 2 ** 2\n", 1, "an integer of more than 4300 digits"),
        ("x = (10 ** 4000) ** 3\n", 1, "an integer of more than 4300 digits"),
        ("x = 0x" + "f" * 4000 + "\n", 1, "an integer of more than 4300 digits"),
        ("x = '%0999999999d' % 1\n", 1, "a formatted string"),
        ("x = (0,)\nfor i in range(40):\n    x = x + x\n", 3, "a sequence of 131072 items"),
        (
            "x = [[0] * 1000] * 1000\n",
            1,
            f"a value of 1001001 items (the bound is {MAX_VALUE_SIZE})",
        ),
        ("x = [1]\n" + "x = [x, x]\n" * 20, 17, "a value of 196607 items"),
        ("x = 0\nfor i in range(300):\n    x = [x]\n", 3, f"a value nested {MAX_NESTING + 1} deep"),
        ("x = " + " + ".join(["'b'"] * 600) + "\n", 1, f"nested more than {MAX_NESTING} deep"),
        ("x = [i for i in range(10**5) for j in range(10**5)]\n", 1, "a list of more than"),
        ("for i in range(10**9):\n    pass\n", 1, "a range of 1000000000 items"),
    ],
)
def test_value_beyond_a_bound_is_unknown_and_the_rest_is_read(
    tmp_path: Path, source: str, row: int, message: str
) -> None:
    loaded = _load(tmp_path, source + INIT)
    [(found_row, found)] = _il904(loaded)[:1]
    assert found_row == row and message in found and found.endswith("analysed no further")
    assert initlint_init_cfgs(loaded)["model.neck.init_cfg"] == {
        "type": "Kaiming",
        "layer": "Conv2d",
    }


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("while True:\n    pass\n", f"more than {MAX_STATEMENTS} statements"),
        (
            "d = {}\nfor i in range(10**5):\n    d[i] = i\n",
            f"more than {MAX_EVALUATOR_STEPS} evaluation steps",
        ),
        (
            "import os\nbig = [[0] * 1000 for i in range(99)]\nd = {}\nfor i in range(50000):\n"
            "    d['a'] = i\n",
            "evaluation steps",
        ),
    ],
)
def test_too_much_work_stops_the_file_with_il904(tmp_path: Path, source: str, message: str) -> None:
    loaded = _load(tmp_path, INIT + source)
    [(_, found)] = _il904(loaded)
    assert message in found and "the rest of the file is not analysed" in found
    assert initlint_init_cfgs(loaded) == {}  # what the file makes of the model is unknown
    assert loaded.keys.open


@pytest.mark.parametrize(
    "source",
    [
        "x = " + "[" * 5000 + "]" * 5000 + "\n",
        "x = " + "-" * 100_000 + "1\n",
        "x = " + "+".join(["1"] * 100_000) + "\n",
        "x = a" + ".b" * 100_000 + "\n",
    ],
)
def test_nesting_python_cannot_parse_is_a_clean_il901(tmp_path: Path, source: str) -> None:
    (tmp_path / "cfg.py").write_text(source)
    [diagnostic] = lint_paths([str(tmp_path / "cfg.py")]).diagnostics
    assert diagnostic.code == "IL901" and diagnostic.message.startswith("cannot parse")


def test_il904_reaches_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "cfg.py").write_text("x = [0] * 10**9\n" + INIT)
    [diagnostic] = lint_paths([str(tmp_path / "cfg.py")]).diagnostics
    assert (diagnostic.code, diagnostic.severity) == ("IL904", "warning")
