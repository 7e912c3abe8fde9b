"""`pretrained` followed where the runtime pushes it (both targets): a detector's or
segmentor's `__init__` that sets `backbone.pretrained = pretrained` (mmdet 2.x, mmseg 0.x and
1.x, mmrotate 0.x) before building the part. The classes here copy those `__init__`s; every
verdict is checked against MMEngine building the same config."""

from __future__ import annotations

import importlib
import sys
import warnings
from pathlib import Path

import pytest

from initlint.runner import lint_paths

MODELS = """from mmengine.model import BaseModule
from mmengine.registry import Registry

MODELS = Registry('pushdown models')


@MODELS.register_module()
class Backbone(BaseModule):

    def __init__(self, pretrained=None, init_cfg=None):
        super().__init__(init_cfg)
        assert not (init_cfg and pretrained), \\
            'init_cfg and pretrained cannot be specified at the same time'


@MODELS.register_module()
class VariantBackbone(Backbone):  # ResNetV1c: its base's __init__ asserts

    def __init__(self, **kwargs):
        super().__init__(**kwargs)


@MODELS.register_module()
class SharedHead(Backbone):
    pass


@MODELS.register_module()
class RoIHead(BaseModule):  # mmdet 2.x BaseRoIHead: hands it on even when None

    def __init__(self, shared_head=None, pretrained=None, init_cfg=None):
        super().__init__(init_cfg)
        if shared_head is not None:
            shared_head.pretrained = pretrained
            self.shared_head = MODELS.build(shared_head)


@MODELS.register_module()
class TwoStage(BaseModule):  # mmdet 2.x TwoStageDetector

    def __init__(self, backbone, roi_head=None, pretrained=None, init_cfg=None):
        super().__init__(init_cfg)
        if pretrained:
            backbone.pretrained = pretrained
        self.backbone = MODELS.build(backbone)
        if roi_head is not None:
            roi_head.pretrained = pretrained
            self.roi_head = MODELS.build(roi_head)


@MODELS.register_module()
class FasterRCNN(TwoStage):  # forwards its arguments by position

    def __init__(self, backbone, roi_head=None, pretrained=None, init_cfg=None):
        super(FasterRCNN, self).__init__(backbone, roi_head, pretrained, init_cfg)


@MODELS.register_module()
class EncoderDecoder(BaseModule):  # mmseg's segmentors

    def __init__(self, backbone, pretrained=None, init_cfg=None):
        super().__init__(init_cfg)
        if pretrained is not None:
            assert backbone.get('pretrained') is None, \\
                'both backbone and segmentor set pretrained weight'
            backbone.pretrained = pretrained
        self.backbone = MODELS.build(backbone)
"""
PRETRAINED = "dict(type='Pretrained', checkpoint='a.pth')"
# config -> (initlint's codes, whether MMEngine raises when building it)
CASES = {
    "two-stage-backbone": (
        f"model = dict(type='FasterRCNN', pretrained='a.pth', backbone=dict(type='Backbone', "
        f"init_cfg={PRETRAINED}))",
        ["IL012"],
    ),
    "variant-backbone": (
        f"model = dict(type='FasterRCNN', pretrained='a.pth', "
        f"backbone=dict(type='VariantBackbone', init_cfg={PRETRAINED}))",
        ["IL012"],
    ),
    "shared-head-through-the-roi-head": (
        f"model = dict(type='FasterRCNN', pretrained='a.pth', backbone=dict(type='Backbone'), "
        f"roi_head=dict(type='RoIHead', shared_head=dict(type='SharedHead', "
        f"init_cfg={PRETRAINED})))",
        ["IL012"],
    ),
    "roi-head-clears-the-shared-head-s-own": (
        "model = dict(type='FasterRCNN', backbone=dict(type='Backbone'), "
        "roi_head=dict(type='RoIHead', shared_head=dict(type='SharedHead', "
        f"pretrained='a.pth', init_cfg={PRETRAINED})))",
        [],
    ),
    "no-pretrained-to-hand-down": (
        f"model = dict(type='FasterRCNN', backbone=dict(type='Backbone', init_cfg={PRETRAINED}))",
        [],
    ),
    "segmentor-backbone": (
        f"model = dict(type='EncoderDecoder', pretrained='a.pth', "
        f"backbone=dict(type='Backbone', init_cfg={PRETRAINED}))",
        ["IL012"],
    ),
    "segmentor-refuses-two": (
        "model = dict(type='EncoderDecoder', pretrained='a.pth', "
        "backbone=dict(type='Backbone', pretrained='b.pth'))",
        ["IL012"],
    ),
    "segmentor-alone": (
        "model = dict(type='EncoderDecoder', pretrained='a.pth', backbone=dict(type='Backbone'))",
        [],
    ),
    "a-misspelled-scheme-handed-down": (
        "model = dict(type='EncoderDecoder', pretrained='torchvison://resnet50', "
        "backbone=dict(type='Backbone'))",
        ["IL013"],
    ),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pushdown")
    (root / "pushpkg").mkdir()
    (root / "pushpkg" / "__init__.py").write_text("")
    (root / "pushpkg" / "models.py").write_text(MODELS)
    (root / "configs").mkdir()
    for name, (text, _) in CASES.items():
        (root / "configs" / f"{name}.py").write_text(text + "\n")
    return root


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("target", ["mmengine", "mmcv1"])
def test_initlint(project: Path, name: str, target: str) -> None:
    from initlint.target import TargetChooser

    result = lint_paths(
        [str(project / "configs" / f"{name}.py")],
        source_roots=[project],
        targets=TargetChooser(lambda _: target),
    )
    assert [d.code for d in result.diagnostics] == CASES[name][1]


@pytest.mark.parametrize("name", sorted(CASES))
def test_mmengine_builds_it_as_initlint_says(
    project: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(project))
    from mmengine.config import Config

    models = importlib.import_module("pushpkg.models")
    model = Config.fromfile(str(project / "configs" / f"{name}.py")).model
    errors = [c for c in CASES[name][1] if c == "IL012"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if errors:
            with pytest.raises(AssertionError):
                models.MODELS.build(model)
        else:
            models.MODELS.build(model)
    sys.modules.pop("pushpkg.models", None)
    sys.modules.pop("pushpkg", None)
