"""Every row of grammar.md §11 (mmcv 1.7.2 against mmengine), pinned by running the real mmcv
1.7.2 (`tests/runtime_oracle_mmcv1.py`) and, for the rows that are differences, the real
mmengine 0.10.7 on the same value (`tests/runtime_oracle.py`), so that each row shows what a
user of either generation would see. Where grammar.md is incomplete, the row says so and
docs/runtime-facts.md ("mmcv 1.7.2") records the fact.

Rows are `(id, value, mmcv1, mmengine)`: `mmcv1` is `(exception type, exact message)` or None
when `init_weights()` runs through; `mmengine` the exception type mmengine raises (None: runs
through). Values containing "<CKPT>" get the path of a local checkpoint.
"""

from __future__ import annotations

import functools
import logging
import warnings
from pathlib import Path
from typing import Any, Optional

import pytest
import torch
import torch.nn as nn

from . import runtime_oracle as mmengine_oracle
from . import runtime_oracle_mmcv1 as oracle
from .runtime_oracle_mmcv1 import INITIALIZERS, BaseModule, mmcv

# mmcv 1.7.2 is importable once the oracle has imported it (it is not in the venv).
ConvModule = mmcv.cnn.ConvModule
build_norm_layer = mmcv.cnn.build_norm_layer
ConstantInit = mmcv.cnn.utils.weight_init.ConstantInit
PretrainedInit = mmcv.cnn.utils.weight_init.PretrainedInit
CheckpointLoader = mmcv.runner.CheckpointLoader
Sequential = mmcv.runner.Sequential

CKPT = "<CKPT>"
C = dict(type="Constant", val=1, layer="Conv2d")
SPACES16 = " " * 16
SPACES20 = " " * 20
NO_PARENT = "'NoneType' object has no attribute 'parent'"
# mmengine resolves `mmcv.`-types by importing mmcv, which in this process is mmcv 1.7.2
# itself: those rows are not compared with mmengine.
NOT_COMPARED = type("NotCompared", (BaseException,), {})
MISSING_TYPE = '`cfg` or `default_args` must contain the key "type", but got {}\nNone'


def _make_constant(**kwargs: Any) -> ConstantInit:
    """A plain function as `type`: mmcv 1.x calls it with the cfg and uses what it returns."""
    return ConstantInit(**kwargs)


class _CallableInit:
    def __call__(self, **kwargs: Any) -> ConstantInit:
        return ConstantInit(**kwargs)


Expected = Optional[tuple[type[BaseException], str]]
ROWS: list[tuple[str, Any, Expected, Optional[type[BaseException]]]] = [
    # registry: `KeyError('<key> is not in the initializer registry')` [M02]
    (
        "M02-class-name",
        dict(type="ConstantInit", val=1, layer="Conv2d"),
        (KeyError, "ConstantInit is not in the initializer registry"),
        KeyError,
    ),
    (
        "M02-lower-case",
        dict(type="constant", val=1, layer="Conv2d"),
        (KeyError, "constant is not in the initializer registry"),
        KeyError,
    ),
    (
        "M02-trailing-space",
        dict(type="Pretrained ", checkpoint=CKPT),
        (KeyError, "Pretrained  is not in the initializer registry"),
        KeyError,
    ),
    # constructor errors re-raised as type(e)(f'{cls.__name__}: {e}') [M03, M04, M25]
    (
        "M03-missing-val",
        dict(type="Constant", layer="Conv2d"),
        (
            TypeError,
            "ConstantInit: ConstantInit.__init__() missing 1 required positional argument: 'val'",
        ),
        TypeError,
    ),
    (
        "M04-unknown-kwarg",
        dict(type="Constant", val=1, layer="Conv2d", foo=2),
        (TypeError, "ConstantInit: BaseInit.__init__() got an unexpected keyword argument 'foo'"),
        TypeError,
    ),
    (
        "M25-bias-str",
        dict(type="Constant", val=1, bias="x", layer="Conv2d"),
        (TypeError, "ConstantInit: bias must be a number, but got a <class 'str'>"),
        TypeError,
    ),
    (
        "M25-bias-prob-zero",
        dict(type="Normal", bias_prob=0.0, layer="Conv2d"),
        (ZeroDivisionError, "NormalInit: float division by zero"),
        ZeroDivisionError,
    ),
    (
        "M25-bias-prob-int",
        dict(type="Normal", bias_prob=1, layer="Conv2d"),
        (TypeError, f"NormalInit: bias_prob type must be float, {SPACES20}but got <class 'int'>"),
        TypeError,
    ),
    (
        "M25-layer-tuple",
        dict(type="Xavier", layer=("Conv2d",)),
        (
            TypeError,
            f"XavierInit: layer must be a str or a list of str, {SPACES20}but got a "
            "<class 'tuple'>",
        ),
        TypeError,
    ),
    (
        "M25-caffe2xavier-fixed-arg",
        dict(type="Caffe2Xavier", a=1, layer="Conv2d"),
        (
            TypeError,
            "Caffe2XavierInit: mmcv.cnn.utils.weight_init.KaimingInit.__init__() got "
            "multiple values for keyword argument 'a'",
        ),
        TypeError,
    ),
    (
        "M25-pretrained-missing-checkpoint",
        dict(type="Pretrained"),
        (
            TypeError,
            "PretrainedInit: PretrainedInit.__init__() missing 1 required positional "
            "argument: 'checkpoint'",
        ),
        TypeError,
    ),
    (
        "M25-pretrained-layer",
        dict(type="Pretrained", checkpoint=CKPT, layer="Conv2d"),
        (
            TypeError,
            "PretrainedInit: PretrainedInit.__init__() got an unexpected keyword argument 'layer'",
        ),
        TypeError,
    ),
    (
        "M25-typed-override-missing-val",
        dict(C, override=dict(name="head", type="Constant")),
        (
            TypeError,
            "ConstantInit: ConstantInit.__init__() missing 1 required positional argument: 'val'",
        ),
        TypeError,
    ),
    # call-time errors (raised by the built initializer on the module) are not prefixed
    (
        "M25-call-time-unprefixed",
        dict(type="Normal", std=-1, layer="Conv2d"),
        (RuntimeError, "normal expects std >= 0.0, but found std -1"),
        RuntimeError,
    ),
    # `type` objects: classes and functions only [M09]
    ("M09-class", dict(type=ConstantInit, val=2, layer="Conv2d"), None, None),
    ("M09-function", dict(type=_make_constant, val=2, layer="Conv2d"), None, None),
    (
        "M09-partial",
        dict(type=functools.partial(ConstantInit, val=3), layer="Conv2d"),
        (TypeError, "type must be a str or valid type, but got <class 'functools.partial'>"),
        None,
    ),
    (
        "M09-callable-instance",
        dict(type=_CallableInit(), val=3, layer="Conv2d"),
        (
            TypeError,
            f"type must be a str or valid type, but got <class '{__name__}._CallableInit'>",
        ),
        None,
    ),
    # dotted import paths are not looked up [M07]; the registry splits at the first dot, so a
    # path whose first part is not `mmcv` is a foreign scope (next rows)
    (
        "M07-mmcv-dotted-path",
        dict(type="mmcv.cnn.utils.weight_init.ConstantInit", val=1),
        (KeyError, "mmcv.cnn.utils.weight_init.ConstantInit is not in the initializer registry"),
        NOT_COMPARED,
    ),
    (
        "M07-mmengine-dotted-path",
        dict(type="mmengine.model.ConstantInit", val=1),
        (AttributeError, NO_PARENT),
        None,
    ),
    # foreign scope: the root registry has no parent [M05]; its own scope works
    (
        "M05-foreign-scope",
        dict(type="mmdet.Xavier", layer="Conv2d"),
        (AttributeError, NO_PARENT),
        KeyError,
    ),
    ("M05-own-scope", dict(type="mmcv.Constant", val=1, layer="Conv2d"), None, NOT_COMPARED),
    # `_scope_` is an ordinary kwarg [M08]
    (
        "M08-scope-key",
        dict(type="Constant", val=1, layer="Conv2d", _scope_="mmdet"),
        (
            TypeError,
            "ConstantInit: BaseInit.__init__() got an unexpected keyword argument '_scope_'",
        ),
        None,
    ),
    (
        "M08-scope-key-pretrained",
        dict(type="Pretrained", checkpoint=CKPT, _scope_="mmdet"),
        (
            TypeError,
            "PretrainedInit: PretrainedInit.__init__() got an unexpected keyword "
            "argument '_scope_'",
        ),
        None,
    ),
    # BaseModule passes init_cfg straight to initialize() [M13-M15]
    (
        "M13-list-none",
        [None],
        (AttributeError, "'NoneType' object has no attribute 'pop'"),
        AssertionError,
    ),
    (
        "M13-list-str",
        ["Constant"],
        (AttributeError, "'str' object has no attribute 'pop'"),
        AssertionError,
    ),
    (
        "M13-nested-list",
        [[C]],
        (TypeError, "pop expected at most 1 argument, got 2"),
        AssertionError,
    ),
    (
        "M14-tuple",
        (C,),
        (
            TypeError,
            f"init_cfg must be a dict or a list of dict, {SPACES16}but got <class 'tuple'>",
        ),
        None,
    ),
    (
        "M14-str",
        "Constant",
        (TypeError, f"init_cfg must be a dict or a list of dict, {SPACES16}but got <class 'str'>"),
        AssertionError,
    ),
    (
        "M14-int",
        3,
        (TypeError, f"init_cfg must be a dict or a list of dict, {SPACES16}but got <class 'int'>"),
        TypeError,
    ),
    (
        "M15-list-missing-type",
        [dict(layer="Conv2d")],
        (KeyError, MISSING_TYPE.replace("{}", "{'layer': 'Conv2d'}")),
        KeyError,
    ),
    (
        "M15-dict-missing-type",
        dict(val=1, layer="Conv2d"),
        (KeyError, MISSING_TYPE.replace("{}", "{'val': 1, 'layer': 'Conv2d'}")),
        KeyError,
    ),
    (
        "M15-type-none",
        [dict(type=None)],
        (TypeError, "type must be a str or valid type, but got <class 'NoneType'>"),
        TypeError,
    ),
    ("M15-falsy", [], None, None),
    ("M15-empty-dict", {}, None, None),
    # the same override rules [M23, M24, M28]
    ("M23-name-only", dict(C, override=dict(name="head")), None, None),
    (
        "M23-args-without-type",
        dict(C, override=dict(name="head", val=2)),
        (ValueError, "`override` need \"type\" key, but got {'val': 2}"),
        ValueError,
    ),
    (
        "M24-missing-name",
        dict(C, override=dict(type="Constant", val=2)),
        (
            ValueError,
            "`override` must contain the key \"name\",but got {'type': 'Constant', 'val': 2}",
        ),
        ValueError,
    ),
    (
        "M24-dotted-name",
        dict(C, override=dict(name="head.0", type="Constant", val=2)),
        (
            RuntimeError,
            "module did not have attribute head.0, but init_cfg is {'type': 'Constant', 'val': 2}.",
        ),
        RuntimeError,
    ),
    (
        "M28-override-tuple",
        dict(C, override=(dict(name="head"),)),
        (
            TypeError,
            f"override must be a dict or a list of dict, {SPACES16}but got <class 'tuple'>",
        ),
        TypeError,
    ),
    (
        "M28-override-str",
        dict(C, override="head"),
        (TypeError, f"override must be a dict or a list of dict, {SPACES16}but got <class 'str'>"),
        TypeError,
    ),
    # checkpoint schemes: no petrel:// [M20, M21]; s3:// falls back from petrel to ceph
    (
        "M20-petrel",
        dict(type="Pretrained", checkpoint="petrel://bucket/x.pth"),
        (FileNotFoundError, "petrel://bucket/x.pth can not be found."),
        ImportError,
    ),
    (
        "M21-s3",
        dict(type="Pretrained", checkpoint="s3://bucket/x.pth"),
        (ImportError, "Please install ceph to enable CephBackend."),
        ImportError,
    ),
    (
        "M21-misspelled-scheme",
        dict(type="Pretrained", checkpoint="torchvison://resnet50"),
        (FileNotFoundError, "torchvison://resnet50 can not be found."),
        FileNotFoundError,
    ),
    (
        "M21-pavi",
        dict(type="Pretrained", checkpoint="pavi://x"),
        (ImportError, "Please install pavi to load checkpoint from modelcloud."),
        ImportError,
    ),
    (
        "M21-open-mmlab-unknown",
        dict(type="Pretrained", checkpoint="open-mmlab://nope"),
        (KeyError, "nope"),
        KeyError,
    ),
    (
        "M21-open-mmlab-broken-alias",
        dict(type="Pretrained", checkpoint="open-mmlab://resnet50_caffe_bgr"),
        (KeyError, "detectron2/resnet50_caffe_bgr"),
        KeyError,
    ),
    (
        "M21-mmcls-unknown",
        dict(type="Pretrained", checkpoint="mmcls://nope"),
        (KeyError, "nope"),
        KeyError,
    ),
    (
        "M21-non-str-checkpoint",
        dict(type="Pretrained", checkpoint=None),
        (TypeError, "expected string or bytes-like object, got 'NoneType'"),
        TypeError,
    ),
    ("M21-local", dict(type="Pretrained", checkpoint=CKPT), None, None),
]


@pytest.fixture
def checkpoint(tmp_path: Path) -> str:
    path = tmp_path / "model.pth"
    torch.save({"layer_0.weight": torch.ones(4, 4, 1, 1)}, path)
    return str(path)


def _fill(value: Any, path: str) -> Any:
    if value == CKPT:
        return path
    if isinstance(value, dict):
        return {k: _fill(v, path) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_fill(v, path) for v in value)
    return value


def _message(exc: BaseException) -> str:
    # KeyError's str() is the repr of its argument: compare the argument itself.
    return str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)


@pytest.mark.parametrize(
    ("value", "mmcv1", "mmengine"), [pytest.param(v, a, b, id=i) for i, v, a, b in ROWS]
)
def test_row(
    value: Any, mmcv1: Expected, mmengine: Optional[type[BaseException]], checkpoint: str
) -> None:
    value = _fill(value, checkpoint)
    error = oracle.runtime_error(value)
    if mmcv1 is None:
        assert error is None, repr(error)
    else:
        assert type(error) is mmcv1[0], repr(error)
        assert _message(error) == mmcv1[1]
    if mmengine is NOT_COMPARED:
        return
    theirs = mmengine_oracle.runtime_error(value)
    assert (type(theirs) if theirs is not None else None) is mmengine, repr(theirs)


# --------------------------------------------------------------------------------------------
# The registry [M01, M22]
# --------------------------------------------------------------------------------------------
def test_the_registry_and_its_eight_names() -> None:
    assert mmcv.__version__ == "1.7.2"
    assert (INITIALIZERS.name, INITIALIZERS.scope) == ("initializer", "mmcv")
    names = {
        key: (cls.__name__, cls.__bases__[0].__name__)
        for key, cls in INITIALIZERS.module_dict.items()
    }
    assert names == {
        "Constant": ("ConstantInit", "BaseInit"),
        "Xavier": ("XavierInit", "BaseInit"),
        "Normal": ("NormalInit", "BaseInit"),
        "TruncNormal": ("TruncNormalInit", "BaseInit"),
        "Uniform": ("UniformInit", "BaseInit"),
        "Kaiming": ("KaimingInit", "BaseInit"),
        "Caffe2Xavier": ("Caffe2XavierInit", "KaimingInit"),
        "Pretrained": ("PretrainedInit", "object"),
    }


def _first(weight: torch.Tensor) -> float:
    return float(weight.detach().flatten()[0])


def _after(value: Any, *layers: str) -> list[float]:
    """The first weight value of every toy layer after `init_weights()` (layers in order)."""
    model = oracle.Toy(value, list(layers), [])
    with torch.no_grad():
        model.init_weights()
    return [_first(getattr(model, f"layer_{i}").weight) for i in range(len(layers))]


def test_layer_matches_the_class_and_its_direct_bases_only() -> None:
    """[M22]: `_get_bases_name`, as in mmengine (grammar.md §6)."""
    value = dict(type="Constant", val=3)
    conv, linear = _after({**value, "layer": "_ConvNd"}, "Conv2d", "Linear")
    assert conv == 3.0 != linear
    assert _after({**value, "layer": "_NormBase"}, "BatchNorm2d") == [1.0]  # a grand-base
    assert _after({**value, "layer": "_BatchNorm"}, "BatchNorm2d") == [3.0]
    assert _after({**value, "layer": "Module"}, "Linear", "GroupNorm") == [3.0, 3.0]


# --------------------------------------------------------------------------------------------
# PretrainedInit.map_location defaults to None [M12]; torch.load gets no weights_only
# --------------------------------------------------------------------------------------------
def test_pretrained_map_location_defaults_to_none(
    checkpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert PretrainedInit(checkpoint="x").map_location is None
    calls: list[dict[str, Any]] = []
    real_load = torch.load

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(torch, "load", spy)
    assert oracle.runtime_error(dict(type="Pretrained", checkpoint=checkpoint)) is None
    assert calls == [{"map_location": None}]


def test_a_gpu_checkpoint_fails_on_a_cpu_host_unless_map_location_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the None default [M12] does: tensors go back to the device they were saved from,
    so a checkpoint saved on a GPU fails to load on a CPU-only host, where mmengine's 'cpu'
    default loads it. (The file is made on CPU by tagging its storages 'cuda:0'.)"""
    import torch.serialization

    path = tmp_path / "gpu.pth"
    with monkeypatch.context() as patch:
        patch.setattr(torch.serialization, "location_tag", lambda storage: "cuda:0")
        torch.save({"layer_0.weight": torch.ones(4, 4, 1, 1)}, path)
    value = dict(type="Pretrained", checkpoint=str(path))
    error = oracle.runtime_error(value)
    assert isinstance(error, RuntimeError)
    assert str(error).startswith(
        "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False."
    )
    assert oracle.runtime_error(dict(value, map_location="cpu")) is None
    assert mmengine_oracle.runtime_error(value) is None


def test_a_checkpoint_with_non_tensor_pickles_fails_under_torch_2_6_defaults(
    tmp_path: Path,
) -> None:
    """mmcv 1.7.2 passes no `weights_only`, so torch >= 2.6 loads weights only (as mmengine
    0.10.7 does, grammar.md §0)."""
    import pickle

    import numpy as np

    path = tmp_path / "numpy.pth"
    torch.save({"layer_0.weight": torch.ones(4, 4, 1, 1), "meta": np.zeros(2)}, path)
    error = oracle.runtime_error(dict(type="Pretrained", checkpoint=str(path)))
    assert isinstance(error, pickle.UnpicklingError)
    assert "Weights only load failed" in str(error)


# --------------------------------------------------------------------------------------------
# BaseModule ordering: the dict-Pretrained early return [M16], list order [M17, M18], child
# is_init [M19]
# --------------------------------------------------------------------------------------------
class Child(BaseModule):  # type: ignore[misc]
    def __init__(self, init_cfg: Any = None) -> None:
        super().__init__(init_cfg)
        self.conv = nn.Conv2d(2, 2, 1)


class Parent(BaseModule):  # type: ignore[misc]
    def __init__(self, init_cfg: Any = None, child_cfg: Any = None) -> None:
        super().__init__(init_cfg)
        self.conv = nn.Conv2d(2, 2, 1)
        self.child = Child(child_cfg)


@pytest.fixture
def sevens(tmp_path: Path) -> dict[str, Any]:
    """A Pretrained entry whose checkpoint holds 7.0 for the parent's conv only."""
    path = tmp_path / "sevens.pth"
    torch.save(
        {"conv.weight": torch.full((2, 2, 1, 1), 7.0), "conv.bias": torch.full((2,), 7.0)}, path
    )
    return dict(type="Pretrained", checkpoint=str(path))


def constant(val: float) -> dict[str, Any]:
    return dict(type="Constant", val=val, layer="Conv2d")


def _weights(model: Parent) -> tuple[float, float]:
    with torch.no_grad():
        model.init_weights()
    return _first(model.conv.weight), _first(model.child.conv.weight)


def test_dict_pretrained_returns_before_the_children(sevens: dict[str, Any]) -> None:
    """[M16]: the child's own init_cfg never runs; nothing is marked initialised; at top level
    `_params_init_info` stays behind, and a second call runs again without a warning."""
    model = Parent(sevens, constant(3))
    default = _first(model.child.conv.weight)
    assert _weights(model) == (7.0, default)
    assert (model.is_init, model.child.is_init) == (False, False)
    assert hasattr(model, "_params_init_info")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _weights(model) == (7.0, default)
    # Only the exact string 'Pretrained' in a dict takes the early return.
    for typed in ("mmcv.Pretrained", PretrainedInit):
        model = Parent({**sevens, "type": typed}, constant(3))
        assert _weights(model) == (7.0, 3.0)
        assert model.is_init and not hasattr(model, "_params_init_info")


def test_mmengine_applies_pretrained_after_the_children(sevens: dict[str, Any]) -> None:
    """The other side of [M16, M17]: mmengine's Pretrained comes last and children still run."""
    from mmengine.model import BaseModule as EngineModule

    class EngineChild(EngineModule):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(constant(3))
            self.conv = nn.Conv2d(2, 2, 1)

    class EngineParent(EngineModule):  # type: ignore[misc]
        def __init__(self, init_cfg: Any) -> None:
            super().__init__(init_cfg)
            self.conv = nn.Conv2d(2, 2, 1)
            self.child = EngineChild()

    for value in (sevens, [sevens, constant(5)]):
        model = EngineParent(value)
        with torch.no_grad():
            model.init_weights()
        assert _first(model.conv.weight) == 7.0
        assert _first(model.child.conv.weight) == 3.0


def test_list_entries_apply_in_order_then_the_children(sevens: dict[str, Any]) -> None:
    """[M17, M18]: in a list, Pretrained is an ordinary entry: later entries and the
    children's own init_cfg overwrite it."""
    assert _weights(Parent([sevens, constant(5)])) == (5.0, 5.0)
    assert _weights(Parent([constant(5), sevens])) == (7.0, 5.0)
    assert _weights(Parent([sevens], constant(3))) == (7.0, 3.0)
    assert _weights(Parent([constant(5), sevens], constant(3))) == (7.0, 3.0)


def test_shape_errors_leave_earlier_entries_applied() -> None:
    """Unlike mmengine [A30], nothing is checked before the first entry is applied."""
    model = oracle.Toy([constant(3), None], ["Conv2d"], [])
    with pytest.raises(AttributeError), torch.no_grad():
        model.init_weights()
    assert _first(model.layer_0.weight) == 3.0


def test_an_initialised_child_runs_again_with_a_warning() -> None:
    """[M19]: the parent does not consult the child's `is_init`; the child's guard warns
    (a UserWarning; mmengine logs a WARNING and skips the child)."""
    model = Parent(constant(3), constant(4))
    with torch.no_grad():
        model.child.init_weights()
        with pytest.warns(
            UserWarning, match="^init_weights of Child has been called more than once.$"
        ):
            model.init_weights()
    # The guard keeps the child's weights, so the parent's entry (run first) stays on them.
    assert _first(model.child.conv.weight) == 3.0
    with pytest.warns(
        UserWarning, match="^init_weights of Parent has been called more than once.$"
    ):
        model.init_weights()


def test_a_base_module_inside_a_plain_torch_container_is_never_initialised() -> None:
    """grammar.md §8.4, "mmcv 1.x behaves the same": only direct children with
    `init_weights` are visited; mmcv.runner.Sequential has it, nn.Sequential does not."""

    class Holder(BaseModule):  # type: ignore[misc]
        def __init__(self, seq: nn.Module) -> None:
            super().__init__(None)
            self.seq = seq

    plain = Holder(nn.Sequential(Child(constant(3))))
    default = _first(plain.seq[0].conv.weight)
    ours = Holder(Sequential(Child(constant(3))))
    broken = Holder(nn.Sequential(Child(dict(constant(1), override=dict(name="missing")))))
    with torch.no_grad():
        for model in (plain, ours, broken):
            model.init_weights()  # the broken child's override is never reached
    assert _first(plain.seq[0].conv.weight) == default != 3.0
    assert _first(ours.seq[0].conv.weight) == 3.0


# --------------------------------------------------------------------------------------------
# mmcv's own classes (initlint/data/mmcv_layers.json)
# --------------------------------------------------------------------------------------------
class Head(BaseModule):  # type: ignore[misc]
    def __init__(self, init_cfg: Any, in_list: bool = False) -> None:
        super().__init__(init_cfg)
        block = ConvModule(2, 2, 1, norm_cfg=dict(type="BN"))
        if in_list:
            self.blocks = nn.ModuleList([block])
        else:
            self.block = block

    def conv_module(self) -> ConvModule:
        return self.blocks[0] if hasattr(self, "blocks") else self.block


def test_layer_conv_module_initialises_nothing_of_its_own() -> None:
    """ConvModule has no weight or bias of its own: `layer='ConvModule'` matches it, and the
    initializer finds nothing to write (its conv and norm stay what they were)."""
    model = Head(dict(type="Constant", val=3, layer="ConvModule"), in_list=True)
    before = [p.clone() for p in model.parameters()]
    with torch.no_grad():
        model.init_weights()
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))


def test_a_conv_module_child_reinitialises_itself_after_the_parent() -> None:
    """ConvModule defines `init_weights` (Kaiming on its conv, norm weight 1): as a direct
    child of a BaseModule it is called after the parent's init_cfg and undoes it; inside a
    plain ModuleList it is not visited and keeps the parent's values."""
    value = dict(type="Constant", val=3, layer=["Conv2d", "_BatchNorm"])
    direct, listed = Head(value), Head(value, in_list=True)
    with torch.no_grad():
        direct.init_weights()
        listed.init_weights()
    assert _first(direct.conv_module().conv.weight) != 3.0
    assert direct.conv_module().norm.weight.tolist() == [1.0, 1.0]
    assert _first(listed.conv_module().conv.weight) == 3.0
    assert listed.conv_module().norm.weight.tolist() == [3.0, 3.0]


def test_syncbn_layers_are_not_matched_by_batchnorm_base_names() -> None:
    """`norm_cfg=dict(type='SyncBN')` builds mmcv's subclass of torch's SyncBatchNorm, whose
    only direct base is `SyncBatchNorm`: `layer='_BatchNorm'` misses it."""

    class Norms(BaseModule):  # type: ignore[misc]
        def __init__(self, layer: str) -> None:
            super().__init__(dict(type="Constant", val=3, layer=layer))
            self.norm = build_norm_layer(dict(type="SyncBN"), 2)[1]

    found = {}
    for layer in ("_BatchNorm", "BatchNorm2d", "SyncBatchNorm"):
        model = Norms(layer)
        with torch.no_grad():
            model.init_weights()
        found[layer] = model.norm.weight.tolist()
    assert found == {
        "_BatchNorm": [1.0, 1.0],
        "BatchNorm2d": [1.0, 1.0],
        "SyncBatchNorm": [3.0, 3.0],
    }
    assert [b.__name__ for b in type(model.norm).__bases__] == ["SyncBatchNorm"]


def test_a_float_bias_attribute_makes_every_initializer_raise() -> None:
    """mmcv's HSigmoid keeps its `bias` argument as a float attribute: naming it in `layer`,
    or an override on a module that holds one, reaches `nn.init.constant_(3.0, ...)`."""
    hsigmoid = mmcv.cnn.bricks.hsigmoid.HSigmoid

    class Gate(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(2, 2, 1)
            with warnings.catch_warnings():  # it announces a change of defaults in 1.4.4
                warnings.simplefilter("ignore", UserWarning)
                self.act = hsigmoid()

    class Holder(BaseModule):  # type: ignore[misc]
        def __init__(self, init_cfg: Any) -> None:
            super().__init__(init_cfg)
            self.gate = Gate()

    for value, raises in (
        (dict(type="Kaiming", layer="Conv2d"), False),
        (dict(type="Kaiming", layer="Conv2d", override=dict(name="gate")), True),
        (dict(type="Normal", layer="HSigmoid"), True),
    ):
        model = Holder(value)
        if raises:
            with pytest.raises(AttributeError, match="^'float' object has no attribute 'fill_'$"):
                model.init_weights()
        else:
            model.init_weights()


@pytest.mark.parametrize(
    "name", ["ConvModule", "ConvWS2d", "FFN", "PatchEmbed", "DepthwiseSeparableConvModule", "Scale"]
)
def test_the_toy_holds_the_mmcv_classes_a_value_names(name: str) -> None:
    """The oracle builds mmcv classes from the data file's constructor arguments (a name torch
    has too, such as MultiheadAttention, is torch's)."""
    model = oracle.toy(dict(type="Constant", val=3, layer=name))
    assert type(model.layer_0).__name__ == name
    assert type(model.layer_0).__module__.startswith("mmcv.")


def test_checkpoint_schemes_have_no_petrel() -> None:
    """[M20]: the registered prefixes, in the order they are tried."""
    assert list(CheckpointLoader._schemes) == [
        "torchvision://",
        "pavi://",
        "openmmlab://",
        "open-mmlab://",
        "modelzoo://",
        "mmcls://",
        "https://",
        "http://",
        r"(\S+\:)?s3://",
        "",
    ]


def test_the_oracle_is_quiet() -> None:
    """mmcv's logger is silenced, so the suite's output stays readable."""
    assert logging.getLogger("mmcv").getEffectiveLevel() == logging.CRITICAL


def _own_tensors(module: nn.Module) -> dict[str, torch.Tensor]:
    return {
        a: getattr(module, a)
        for a in ("weight", "bias")
        if isinstance(getattr(module, a, None), torch.Tensor)
    }


def test_the_data_says_which_mmcv_classes_a_constant_reaches() -> None:
    """For every mmcv 1.7.2 class the generator built: `Constant(val=3, layer=<its name>)`
    fills the instance's own weight (and its bias with 0) exactly when the data says it has
    them, whatever its children hold; a class whose `bias` is a float makes it raise. Names
    torch also has are torch's in a toy."""
    from initlint.grammar.layers import LayerKnowledge
    from initlint.grammar.mmcv_layers import mmcv_generation

    checked = 0
    for entry in mmcv_generation("mmcv1").classes.values():
        if entry.ctor is None or entry.name in LayerKnowledge.torch().layers:
            continue
        value = dict(type="Constant", val=3, bias=2, layer=entry.name)
        if entry.non_tensor:  # HSigmoid's `bias` is a float
            error = oracle.runtime_error(value)
            assert isinstance(error, AttributeError), entry.key
            assert str(error) == "'float' object has no attribute 'fill_'"
            continue
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            model = oracle.toy(value)
            model.init_weights()
        layer = model.layer_0
        assert type(layer).__module__ == entry.module
        own = _own_tensors(layer)
        assert ("weight" in own, "bias" in own) == (entry.weight, entry.bias), entry.key
        if "weight" in own:
            assert own["weight"].dim() == entry.weight_dims
            if not entry.defines_init_weights:  # else its own init_weights ran afterwards
                assert bool((own["weight"] == 3).all()), entry.key
        checked += 1
    assert checked >= 30
