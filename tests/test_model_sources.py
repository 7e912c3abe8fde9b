"""Model sources: initlint on the `toydet` fixture package (fixtures/models/).

Three views of the same classes:

* the `# expect: ILnnn` comments in the fixture sources are the intended mistakes; initlint must
  report exactly those (file, row, code), no more, no less;
* the runtime: every class is built and its `init_weights()` called; it must raise exactly where
  initlint reports an *error* inside the class, and the warnings IL101/IL102/IL103 must really
  leave the parameters untouched;
* the classes meant to be silent (own init_weights, a base from an unknown package, attributes
  set under computed names, an ambiguous registry name) get no diagnostic at all.
"""

from __future__ import annotations

import ast
import copy
import importlib
import io
import logging
import re
import sys
import tokenize
import types
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import pytest
import torch
import torch.nn as nn
from mmengine.logging import MMLogger
from mmengine.model import BaseModule, initialize
from mmengine.registry import DefaultScope

from initlint.catalog import severity_of
from initlint.diagnostics import Diagnostic
from initlint.runner import lint_paths

from .conftest import ROOT, assert_snapshot, run_initlint

FIXTURE = ROOT / "fixtures" / "models"
PACKAGE = "toydet"
SCOPE = "toydet"  # the default scope a toydet config sets; project initializers need it
EXPECT = re.compile(r"#\s*expect:\s*(IL\d{3}(?:\s*,\s*IL\d{3})*)\s*$")

Key = tuple[str, int, str]  # (file relative to fixtures/models, row, code)

# What the runtime raises for each error code the fixtures use.
EXCEPTIONS: dict[str, type[BaseException]] = {
    "IL003": KeyError,
    "IL004": TypeError,
    "IL005": TypeError,
    "IL010": RuntimeError,
    "IL011": TypeError,
    "IL014": ValueError,
}
# Constructor arguments of classes that have no defaults for everything.
CONSTRUCT: dict[str, dict[str, Any]] = {
    "BasicBlock": dict(in_channels=8, out_channels=8),
    "Projection": dict(in_features=8, out_features=8),
    "FcModule": dict(in_channels=8, out_channels=8),
    "TridentBlock": dict(channels=8),
    "TridentConv": dict(channels=8),
}
# Meant to be silent: no diagnostic of any kind inside the class.
SILENT = {
    "SNGenerator": "its own init_weights reads init_cfg (type='ortho' is not a registry name)",
    "PluginHead": "its base comes from `somepkg`, which is not indexed: `proj` may exist",
    "StackedConvs": "setattr(self, f'layer{i}', ...): `layer2` may exist",
    "RefinedHead": "super()._init_layers() keeps conv_cls; `cls_branch` is a @property; "
    "ScaledNormal is the project's initializer, used correctly",
    "ResNetLite": "block_init_cfg zero-initialises BasicBlock.norm2, which exists",
    "BaseDenseHead": "valid defaults",
    "BasicBlock": "no init_cfg of its own",
    "StemBlock": "no init_cfg of its own",
    "DeepStem": "no init_cfg of its own",
    "PretrainedLoader": "a helper that reads init_cfg its own way",
    "ViTLite": "its init_weights reads init_cfg through its base's helper",
    "TridentLiteReached": "the blocks sit in MMEngine's Sequential, which init_weights reaches",
    "TridentLiteLooped": "its own init_weights calls each block's",
    "ReIDHeadReached": "the FcModules sit in MMEngine's ModuleList",
    "FcModule": "its default is lost only where a plain container holds it",
    "TridentConv": "no init_cfg of its own",
    "LinearGate": "'Lineer' matches nothing, but toydet imports somepkg, which is not "
    "installed: the index is not complete",
}
RULES_COVERED = {
    "IL003",
    "IL004",
    "IL005",
    "IL010",
    "IL011",
    "IL014",
    "IL101",
    "IL102",
    "IL103",
    "IL109",
    "IL110",
}

MMLogger.get_current_instance().setLevel(logging.CRITICAL)
logging.getLogger("mmengine").setLevel(logging.CRITICAL)


# -- reading the fixtures ----------------------------------------------------------------------
def _sources() -> list[Path]:
    return sorted(FIXTURE.rglob("*.py"))


def _relative(path: Path) -> str:
    return path.resolve().relative_to(FIXTURE.resolve()).as_posix()


def expected_keys() -> set[Key]:
    """(file, row, code) of every `# expect: ILnnn` comment (comments only, not strings)."""
    found: set[Key] = set()
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type != tokenize.COMMENT:
                continue
            match = EXPECT.search(token.string)
            if match:
                for code in re.findall(r"IL\d{3}", match.group(1)):
                    found.add((_relative(path), token.start[0], code))
    return found


def _row_of(file: str, text: str) -> int:
    rows = [
        i
        for i, line in enumerate((FIXTURE / file).read_text("utf-8").splitlines(), 1)
        if text in line
    ]
    assert len(rows) == 1, f"{text!r} should occur once in {file}, found rows {rows}"
    return rows[0]


@dataclass(frozen=True)
class FixtureClass:
    name: str
    module: str
    file: str
    first: int
    last: int

    def holds(self, file: Optional[str], row: int) -> bool:
        return file == self.file and self.first <= row <= self.last


def fixture_classes() -> dict[str, FixtureClass]:
    classes: dict[str, FixtureClass] = {}
    for path in _sources():
        file = _relative(path)
        parts = file[:-3].split("/")
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for node in ast.parse(path.read_text("utf-8")).body:
            if isinstance(node, ast.ClassDef):
                assert node.name not in classes, f"class names must be unique: {node.name}"
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                classes[node.name] = FixtureClass(
                    node.name, module, file, first, node.end_lineno or node.lineno
                )
    return classes


CLASSES = fixture_classes()


# -- initlint ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reported:
    file: Optional[str]
    row: int
    diagnostic: Diagnostic

    @property
    def key(self) -> Key:
        return (self.file or "", self.row, self.diagnostic.code)


@pytest.fixture(scope="module")
def reported() -> list[Reported]:
    result = lint_paths([str(FIXTURE)])
    out = []
    for d in result.diagnostics:
        file = _relative(Path.cwd() / d.filename) if d.filename else None
        out.append(Reported(file, d.location.row if d.location else 0, d))
    return out


def _keys(reported: list[Reported]) -> set[Key]:
    return {r.key for r in reported}


def _in_class(reported: list[Reported], name: str) -> list[Reported]:
    cls = CLASSES[name]
    return [r for r in reported if cls.holds(r.file, r.row)]


def test_every_rule_is_covered_by_the_fixtures() -> None:
    expected = expected_keys()
    assert RULES_COVERED <= {code for _, _, code in expected}
    il010 = {row for file, row, code in expected if code == "IL010"}
    assert len(il010) >= 3  # a missing attribute, a dotted name, a block_init_cfg override


def test_diagnostics_are_exactly_the_expect_comments(reported: list[Reported]) -> None:
    """No more, no less: the commented mistakes."""
    want = expected_keys()
    got = _keys(reported)
    assert got == want, f"not reported: {sorted(want - got)}\nunexpected: {sorted(got - want)}"


@pytest.mark.parametrize(
    "key", [pytest.param(key, id=f"{key[0]}:{key[1]}:{key[2]}") for key in sorted(expected_keys())]
)
def test_commented_mistake_is_reported(key: Key, reported: list[Reported]) -> None:
    assert key in _keys(reported), [r.key for r in reported if r.file == key[0]]


@pytest.mark.parametrize("name", sorted(SILENT))
def test_silent_class_gets_no_diagnostic(name: str, reported: list[Reported]) -> None:
    found = _in_class(reported, name)
    assert not found, f"{name} ({SILENT[name]}): " + "; ".join(
        f"{r.row}: {r.diagnostic.code} {r.diagnostic.message}" for r in found
    )


def test_ambiguous_registry_name_is_silent(reported: list[Reported]) -> None:
    """'ToyStem' names two classes (the later one registered with force=True): initlint must not
    pick one and check `conv3` against StemBlock, which lacks it."""
    file = CLASSES["ToyDetector"].file
    first, last = _row_of(file, "type='ToyStem'"), _row_of(file, "name='conv3'")
    assert not [r for r in reported if r.file == file and first <= r.row <= last]


def test_cli_output_snapshot() -> None:
    result = run_initlint("fixtures/models")
    assert result.returncode == 1
    assert_snapshot("models-concise.txt", result.stdout)


# -- the runtime ---------------------------------------------------------------------------------
class _SomeBase(BaseModule):
    """Stands in for `somepkg.Base`, the base initlint cannot see: it builds `proj`."""

    def __init__(self, init_cfg: Any = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.proj = nn.Linear(4, 4)


@pytest.fixture(scope="module")
def toydet() -> Iterator[dict[str, type]]:
    """Every fixture class, imported with fixtures/models on sys.path (and a fake somepkg)."""
    somepkg = types.ModuleType("somepkg")
    somepkg.Base = _SomeBase  # type: ignore[attr-defined]
    sys.modules["somepkg"] = somepkg
    sys.path.insert(0, str(FIXTURE))
    try:
        yield {
            name: getattr(importlib.import_module(cls.module), name)
            for name, cls in CLASSES.items()
        }
    finally:
        sys.path.remove(str(FIXTURE))
        del sys.modules["somepkg"]


@dataclass
class Outcome:
    module: Optional[nn.Module]
    error: Optional[BaseException]


def _build_and_init(cls: type) -> Outcome:
    module = None
    try:
        with (
            DefaultScope.overwrite_default_scope(SCOPE),
            warnings.catch_warnings(),
            torch.no_grad(),
        ):
            warnings.simplefilter("ignore")
            module = cls(**CONSTRUCT.get(cls.__name__, {}))
            init_weights = getattr(module, "init_weights", None)
            if init_weights is not None:
                init_weights()
    except Exception as exc:  # the verdict is "it raises", whatever it raises
        return Outcome(module, exc)
    return Outcome(module, None)


NN_CLASSES = sorted(n for n in CLASSES if n != "ScaledNormalInit")  # the initializer is no module


def test_every_fixture_module_is_exercised(toydet: dict[str, type]) -> None:
    modules = {n for n, c in toydet.items() if isinstance(c, type) and issubclass(c, nn.Module)}
    assert modules == set(NN_CLASSES)


def _expected_errors(name: str) -> set[str]:
    cls = CLASSES[name]
    return {
        code
        for file, row, code in expected_keys()
        if cls.holds(file, row) and severity_of(code) == "error"
    }


@pytest.mark.parametrize("name", NN_CLASSES)
def test_runtime_raises_exactly_where_the_comments_say(name: str, toydet: dict[str, type]) -> None:
    """The fixtures themselves: each class with an expected error raises the matching
    exception, every other class builds and initialises."""
    outcome = _build_and_init(toydet[name])
    codes = _expected_errors(name)
    if not codes:
        assert outcome.error is None, f"{name} raised {outcome.error!r}"
    else:
        assert len(codes) == 1, "one intended error per class"
        assert isinstance(outcome.error, EXCEPTIONS[codes.pop()]), repr(outcome.error)


@pytest.mark.parametrize("name", NN_CLASSES)
def test_initlint_errors_exactly_when_init_weights_raises(
    name: str, toydet: dict[str, type], reported: list[Reported]
) -> None:
    outcome = _build_and_init(toydet[name])
    errors = [r for r in _in_class(reported, name) if r.diagnostic.severity == "error"]
    assert (outcome.error is not None) == bool(errors), (
        f"runtime: {outcome.error!r}; initlint: "
        f"{[(r.row, r.diagnostic.code, r.diagnostic.message) for r in errors]}"
    )


def test_ambiguous_registry_name_builds_the_forced_class(toydet: dict[str, type]) -> None:
    from toydet.registry import MODELS  # importable once the toydet fixture ran

    assert MODELS.get("ToyStem") is toydet["DeepStem"]
    assert MODELS.get("Stem") is toydet["StemBlock"]
    assert MODELS.get("TinyResNet") is toydet["ResNetLite"]
    stem = MODELS.build(
        dict(
            type="ToyStem",
            init_cfg=dict(
                type="Kaiming", layer="Conv2d", override=dict(type="Constant", val=0, name="conv3")
            ),
        )
    )
    stem.init_weights()
    assert float(stem.conv3.weight.detach().abs().sum()) == 0.0


def _no_op_cases() -> list[Any]:
    return [
        pytest.param(code, name, id=f"{code}-{name}")
        for code, name in (
            ("IL101", "SEModule"),
            ("IL102", "ToyNeck"),
            ("IL102", "SegStem"),
            ("IL103", "PAFPNLite"),
        )
    ]


def _entry_index(path: str) -> Optional[int]:
    match = re.match(r"\[(\d+)\]", path)
    return int(match.group(1)) if match else None


def _randomised(module: nn.Module) -> dict[str, torch.Tensor]:
    with torch.no_grad():
        for param in module.parameters():
            param.normal_()
    return {k: v.clone() for k, v in module.state_dict().items()}


def _changed(module: nn.Module, before: dict[str, torch.Tensor]) -> list[str]:
    return [k for k, v in module.state_dict().items() if not torch.equal(v, before[k])]


@pytest.mark.parametrize(("code", "name"), _no_op_cases())
def test_warned_entry_changes_no_parameter(
    code: str, name: str, toydet: dict[str, type], reported: list[Reported]
) -> None:
    """IL101/IL102/IL103 say the entry initialises nothing: run just that entry through
    `mmengine.model.initialize` on the built class and compare every parameter."""
    found = [r for r in _in_class(reported, name) if r.diagnostic.code == code]
    assert len(found) == 1, [r.key for r in _in_class(reported, name)]
    module = toydet[name](**CONSTRUCT.get(name, {}))
    init_cfg = module.init_cfg
    index = _entry_index(found[0].diagnostic.path)
    entry = copy.deepcopy(init_cfg[index] if index is not None else init_cfg)
    before = _randomised(module)
    initialize(module, copy.deepcopy(entry))
    assert _changed(module, before) == [], f"{entry} changed parameters"
    # The comparison can see a change: the same entry aimed at Conv2d changes weights.
    control = {**entry, "layer": "Conv2d"}
    initialize(module, control)
    assert _changed(module, before), f"{control} changed nothing: the harness is blind"


# -- a class that reads init_cfg through helper methods ------------------------------------------
VIT_CONFIG = """default_scope = 'toydet'
model = dict(
    type='ViTLite',
    init_cfg=dict(type='Pretrained', checkpoint={checkpoint!r}, key_map=dict(head='fc'),
                  drop=['pos_embed'], strict=False))
"""


def test_init_cfg_read_through_helper_methods_is_exempt(
    tmp_path: Path, toydet: dict[str, type]
) -> None:
    """ViTLite.init_weights calls its base's helper, which reads init_cfg its own way: the
    three keys Pretrained does not take are the class's dialect, and the runtime loads them."""
    from mmengine.registry import MODELS as ROOT_MODELS

    from initlint import validate_init_cfg

    source = toydet["ViTLite"]()
    checkpoint = tmp_path / "vit.pth"
    state = {
        k.replace("fc.", "head.", 1): torch.randn_like(v) for k, v in source.state_dict().items()
    }
    torch.save(state, checkpoint)
    config = tmp_path / "vit_config.py"
    config.write_text(VIT_CONFIG.format(checkpoint=str(checkpoint)), encoding="utf-8")
    init_cfg = {
        "type": "Pretrained",
        "checkpoint": str(checkpoint),
        "key_map": {"head": "fc"},
        "drop": ["pos_embed"],
        "strict": False,
    }
    # The generic grammar rejects the value: three arguments Pretrained does not take.
    assert sorted(d.path for d in validate_init_cfg(init_cfg)) == ["drop", "key_map", "strict"]

    result = lint_paths([str(config)], source_roots=[FIXTURE])
    assert [(d.code, d.message) for d in result.diagnostics] == []

    with DefaultScope.overwrite_default_scope(SCOPE):
        model = ROOT_MODELS.build(dict(type="ViTLite", init_cfg=init_cfg))
    model.init_weights()
    assert torch.equal(model.fc.weight, state["head.weight"])
    assert torch.equal(model.patch_embed.weight, state["patch_embed.weight"])
    assert not torch.equal(model.pos_embed, state["pos_embed"])  # dropped, as it asked


# -- init_cfg taken and dropped (IL109) ----------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "receiver", "value"),
    [
        ("EquiFPN", "", dict(type="Xavier", layer="Conv2d", distribution="uniform")),
        ("ContextNeck", "context", dict(type="Constant", val=0, layer="Linear")),
    ],
)
def test_dropped_init_cfg_changes_no_parameter(
    name: str,
    receiver: str,
    value: dict[str, Any],
    toydet: dict[str, type],
    reported: list[Reported],
) -> None:
    """IL109: the class's `__init__` never passes the value on, so `init_weights()` leaves
    every parameter as it was; the same value run by `initialize` would change them."""
    assert [r.diagnostic.code for r in _in_class(reported, name)] == ["IL109"]
    module = toydet[name]()
    target = module.get_submodule(receiver)
    assert getattr(target, "init_cfg", None) is None
    before = _randomised(module)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        module.init_weights()
    assert _changed(module, before) == []
    initialize(target, copy.deepcopy(value))
    assert _changed(module, before), f"{value} changed nothing: the harness is blind"


# -- init_cfg that init_weights() never reaches (IL110) -----------------------------------------
@pytest.mark.parametrize(
    ("name", "nested", "reached"),
    [
        ("TridentLite", "layer1.0.conv2", False),
        ("TridentLiteReached", "layer1.0.conv2", True),
        ("TridentLiteLooped", "layer1.0.conv2", True),
        ("LinearReIDHeadLite", "fcs.0", False),
        ("ReIDHeadReached", "fcs.0", True),
    ],
)
def test_nested_init_cfg_is_applied_exactly_when_no_plain_container_hides_it(
    name: str, nested: str, reached: bool, toydet: dict[str, type]
) -> None:
    """BaseModule.init_weights() calls init_weights() on direct children that have one: a
    torch Sequential or ModuleList has none, so the BaseModules in it keep `is_init` False and
    their init_cfg unapplied (the `# expect: IL110` comments are on exactly those containers
    and the init_cfg they hide; the reached ones are in SILENT)."""
    torch.manual_seed(0)
    model = toydet[name]()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.init_weights()
    module = model.get_submodule(nested)
    assert module.is_init is reached
    weight = module.get_submodule("conv" if "conv2" in nested else "fc").weight.detach()
    if "conv2" in nested:  # Constant(val=3) on its Conv2d
        assert bool((weight == 3).all()) is reached
    else:  # the head's Normal(std=0.01) on every Linear, then (if reached) FcModule's Kaiming
        assert (float(weight.std()) > 0.1) is reached


# -- IL110 shape by shape, each run through the runtime ----------------------------------------
CONTAINER_HEADER = """
import torch.nn as nn
from mmengine.model import BaseModule, ModuleList, Sequential
from mmengine.registry import MODELS


class Leaf(BaseModule):
    def __init__(self, init_cfg=dict(type='Constant', val=3, layer='Linear')):
        super().__init__(init_cfg=init_cfg)
        self.fc = nn.Linear(2, 2)


class SelfInit(Leaf):
    def __init__(self):
        super().__init__()
        self.init_weights()


class Custom(Leaf):
    def init_weights(self):
        pass


class Unstored(Leaf):
    def __init__(self, init_cfg=dict(type='Constant', val=3, layer='Linear')):
        super().__init__(init_cfg=None)
        self.cfg = init_cfg

"""
# case -> (the runtime loses a Leaf's init_cfg, initlint reports IL110, the holder's body)
CONTAINER_CASES = {
    "appended-to-attribute": (
        True,
        True,
        """
    def __init__(self):
        super().__init__()
        self.x = nn.ModuleList()
        for _ in range(2):
            self.x.append(Leaf())
""",
    ),
    "appended-in-another-method": (
        True,
        True,
        """
    def __init__(self):
        super().__init__()
        self.x = nn.ModuleList()
        self._add()

    def _add(self):
        self.x.append(Leaf())
""",
    ),
    "list-comprehension": (
        True,
        True,
        """
    def __init__(self):
        super().__init__()
        self.x = nn.ModuleList([Leaf() for _ in range(2)])
""",
    ),
    "unpacked-local-list": (
        True,
        True,
        """
    def __init__(self):
        super().__init__()
        layers = []
        layers.append(Leaf())
        layers += [Leaf()]
        self.x = nn.Sequential(*layers)
""",
    ),
    "returned-by-a-method": (
        True,
        True,
        """
    def __init__(self):
        super().__init__()
        self.x = self._make()

    def _make(self):
        return nn.Sequential(Leaf(), nn.ReLU())
""",
    ),
    "module-dict-display": (
        True,
        True,
        """
    def __init__(self):
        super().__init__()
        self.x = nn.ModuleDict({'a': Leaf(), 'b': nn.ReLU()})
""",
    ),
    "module-dict-items": (
        True,
        True,
        """
    def __init__(self):
        super().__init__()
        d = nn.ModuleDict()
        d['a'] = Leaf()
        self.add_module('x', d)
""",
    ),
    "given-init-cfg": (
        True,
        True,
        """
    def __init__(self):
        super().__init__()
        self.x = nn.Sequential(Leaf(init_cfg=dict(type='Constant', val=3, layer='Linear')))
""",
    ),
    "inside-an-mmengine-container": (
        True,
        True,
        """
    def __init__(self):
        super().__init__()
        self.x = Sequential(nn.Sequential(Leaf()), nn.ReLU())
""",
    ),
    "in-a-list-of-containers": (
        True,
        True,
        """
    def __init__(self):
        super().__init__()
        stages = []
        for _ in range(2):
            stages.append(nn.Sequential(Leaf()))
        self.stages = ModuleList(stages)
""",
    ),
    "mmengine-container": (
        False,
        False,
        """
    def __init__(self):
        super().__init__()
        self.x = ModuleList([Leaf() for _ in range(2)])
""",
    ),
    "also-a-direct-child": (
        False,
        False,
        """
    def __init__(self):
        super().__init__()
        leaf = Leaf()
        self.leaf = leaf
        self.x = nn.ModuleList([leaf])
""",
    ),
    "moved-into-mmengine-sequential": (
        False,
        False,
        """
    def __init__(self):
        super().__init__()
        plain = nn.Sequential(Leaf())
        self.x = Sequential(*plain)
""",
    ),
    "looped-init-weights": (
        False,
        False,
        """
    def __init__(self):
        super().__init__()
        self.x = nn.ModuleList([Leaf()])

    def init_weights(self):
        super().init_weights()
        for m in self.x:
            m.init_weights()
""",
    ),
    "init-cfg-none": (
        False,
        False,
        """
    def __init__(self):
        super().__init__()
        self.x = nn.ModuleList([Leaf(init_cfg=None)])
""",
    ),
    "initialises-itself": (
        False,
        False,
        """
    def __init__(self):
        super().__init__()
        self.x = nn.ModuleList([SelfInit()])
""",
    ),
    "own-init-weights": (
        False,
        False,
        """
    def __init__(self):
        super().__init__()
        self.x = nn.ModuleList([Custom()])
""",
    ),
    "init-cfg-kept-elsewhere": (
        False,
        False,
        """
    def __init__(self):
        super().__init__()
        self.x = nn.ModuleList([Unstored()])
""",
    ),
    "built-by-registry": (
        True,
        False,
        """
    def __init__(self, cfg=dict(type='Leaf')):
        super().__init__()
        self.x = nn.ModuleList([MODELS.build(cfg)])
""",
    ),
    "indexed-out": (
        False,
        False,
        """
    def __init__(self):
        super().__init__()
        blocks = nn.ModuleList([Leaf()])
        self.first = blocks[0]
""",
    ),
}


@pytest.mark.parametrize("case", sorted(CONTAINER_CASES))
def test_container_shapes_agree_with_the_runtime(case: str, tmp_path: Path) -> None:
    """Each shape of container code: IL110 exactly when, built and initialised, a Leaf with an
    init_cfg is left unreached (its Constant(val=3) not applied, though it is as a direct
    child), but where initlint cannot see the class (a registry build): silent."""
    expected, reported, body = CONTAINER_CASES[case]
    text = CONTAINER_HEADER + "\nclass Holder(BaseModule):\n" + body
    path = tmp_path / "holder.py"
    path.write_text(text, encoding="utf-8")
    result = lint_paths([str(path)])
    codes = [d.code for d in result.diagnostics]
    assert set(codes) <= {"IL110"}, [(d.code, d.message) for d in result.diagnostics]
    namespace: dict[str, Any] = {}
    exec(compile(text, str(path), "exec"), namespace)  # noqa: S102  (the case's own code)
    namespace["MODELS"].register_module(module=namespace["Leaf"], force=True)
    holder = namespace["Holder"]()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        holder.init_weights()
    leaves = [m for m in holder.modules() if isinstance(m, namespace["Leaf"]) and m.init_cfg]
    assert leaves or not expected

    def applied(leaf: nn.Module) -> bool:
        return bool((leaf.fc.weight == 3).all())

    def applied_as_a_direct_child(leaf: nn.Module) -> bool:
        control = BaseModule()
        control.leaf = type(leaf)()
        control.init_weights()
        return applied(control.leaf)

    # Lost: not applied here, though the same class as a direct child applies it.
    lost = any(not applied(m) and applied_as_a_direct_child(m) for m in leaves)
    assert lost is expected, f"runtime: lost={lost}"
    assert ("IL110" in codes) is reported, [(d.code, d.message) for d in result.diagnostics]


# -- IL102 when every class the model can hold is known -----------------------------------------
SEG_HEAD_CONV = (
    "`layer` 'SegHeadConv' matches no class of torch.nn, mmcv, MMEngine or the "
    "packages the model comes from (toyseg); did you mean 'SegHeadConvs'?"
)


@pytest.mark.parametrize(
    ("config", "layer", "expected"),
    [
        ("default_scope = 'toyseg'\n", "SegHeadConv", [SEG_HEAD_CONV]),
        ("custom_imports = dict(imports=['toyseg.models'])\n", "SegHeadConv", [SEG_HEAD_CONV]),
        # Classes of mmcv (known as data) and of MMEngine are classes a model may hold.
        ("default_scope = 'toyseg'\n", "ConvModule", []),
        ("default_scope = 'toyseg'\n", "ModuleList", []),
        # toydet imports somepkg, which is not installed; nopkg is nowhere; no scope names nothing.
        ("default_scope = 'toydet'\n", "SegHeadConv", []),
        (
            "default_scope = 'toyseg'\ncustom_imports = dict(imports=['nopkg.layers'])\n",
            "SegHeadConv",
            [],
        ),
        ("", "SegHeadConv", []),
    ],
)
def test_unknown_layer_is_reported_when_the_index_is_complete(
    config: str, layer: str, expected: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "seg_config.py"
    path.write_text(
        config + "model = dict(type='SegLite', init_cfg=dict(type='Normal', "
        f"std=0.01, layer={layer!r}))\n",
        encoding="utf-8",
    )
    result = lint_paths([str(path)], source_roots=[FIXTURE])
    assert [d.message for d in result.diagnostics if d.code == "IL102"] == expected
