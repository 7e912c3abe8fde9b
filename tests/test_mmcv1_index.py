"""The project index for the 1.x generation: `mmcv.runner.BaseModule` and its containers are
base modules (so a class's attributes are known and IL010 can fire), mmcv's own classes are
never taken for a dialect of init_cfg even when mmcv itself is indexed, initializers registered
into mmcv's `INITIALIZERS` are grammar models, and a package that registers into another's
registry (mmrotate into mmdet's) finds that package's classes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from initlint.runner import lint_paths
from initlint.target import TargetChooser

from .corpus import mmcv_root

MMCV1 = TargetChooser(lambda _: "mmcv1")

HEAD = """import torch.nn as nn
from mmcv.runner import BaseModule, ModuleList
from mmcv.utils import Registry

MODELS = Registry('models')


@MODELS.register_module()
class ToyHead(BaseModule):

    def __init__(self, init_cfg=dict(type='Normal', layer='Conv2d', std=0.01,
                                     override=dict(name='fc_cls', type='Normal', std=0.01))):
        super().__init__(init_cfg)
        self.conv_cls = nn.Conv2d(8, 3, 1)
        self.convs = ModuleList([nn.Conv2d(8, 8, 3)])
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def lines(root: Path, *roots: Path) -> list[str]:
    result = lint_paths([str(root / "pkg")], source_roots=list(roots), targets=MMCV1)
    return [
        f"{Path(d.filename or '').name}:{d.location.row if d.location else 0}: {d.code} {d.message}"
        for d in result.diagnostics
    ]


def test_an_mmcv_base_module_s_attributes_are_known(tmp_path: Path) -> None:
    write(tmp_path, {"pkg/__init__.py": "", "pkg/heads.py": HEAD})
    assert lines(tmp_path) == [
        "heads.py:12: IL010 ToyHead has no attribute 'fc_cls'; did you mean 'conv_cls'?"
    ]


def test_mmcv_itself_as_a_source_root_is_no_dialect(tmp_path: Path) -> None:
    """With mmcv 1.7.2's own source indexed, its BaseModule (whose init_weights reads
    init_cfg) is still the base module, not a class with an init_weights of its own."""
    write(tmp_path, {"pkg/__init__.py": "", "pkg/heads.py": HEAD})
    assert lines(tmp_path, mmcv_root("1.7.2")) == lines(tmp_path)


def test_initializers_registered_into_mmcv_s_registry_are_checked(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/inits.py": "from mmcv.cnn.utils.weight_init import INITIALIZERS, BaseInit\n\n\n"
            "@INITIALIZERS.register_module()\nclass ZeroConv(BaseInit):\n\n"
            "    def __init__(self, scale=1.0, **kwargs):\n"
            "        super().__init__(**kwargs)\n        self.scale = scale\n",
            "pkg/heads.py": "import torch.nn as nn\nfrom mmcv.runner import BaseModule\n\n\n"
            "class Head(BaseModule):\n\n"
            "    def __init__(self, init_cfg=[dict(type='ZeroConv', scale=2, "
            "layer='Conv2d'),\n"
            "                                 dict(type='ZeroConv', scael=2, "
            "layer='Conv2d'),\n"
            "                                 dict(type='ZeroConv', layer='Conv2d',"
            " _scope_='pkg')]):\n"
            "        super().__init__(init_cfg)\n"
            "        self.conv = nn.Conv2d(2, 2, 1)\n",
        },
    )
    found = [line.split(": ", 1)[1] for line in lines(tmp_path) if ": IL104 " not in line]
    assert found == [
        "IL004 ZeroConv takes no argument `scael`; did you mean 'scale'?",
        "IL004 ZeroConv takes no `_scope_` in mmcv 1.x (its registry passes the key on to the "
        "initializer, a TypeError); remove it",
    ]


def test_a_registry_shared_with_an_installed_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mmrotate 0.x registers into mmdet 2.x's MODELS, and its configs name mmdet's classes
    without a scope: the package whose registry it imports is indexed, so the pushed-down
    `pretrained` meets mmdet's backbone (IL012)."""
    write(
        tmp_path,
        {
            "site/basedet/__init__.py": "",
            "site/basedet/models/__init__.py": "from .builder import MODELS  # noqa\n",
            "site/basedet/models/builder.py": "from mmcv.utils import Registry\n\n"
            "MODELS = Registry('models')\n",
            "site/basedet/models/backbones.py": "from mmcv.runner import BaseModule\n\nfrom .builder import MODELS\n\n\n"
            "@MODELS.register_module()\nclass ResNet(BaseModule):\n\n"
            "    def __init__(self, depth=50, pretrained=None, init_cfg=None):\n"
            "        super().__init__(init_cfg)\n"
            "        assert not (init_cfg and pretrained), 'cannot be specified at the same "
            "time'\n",
            "rotate/rotpkg/__init__.py": "",
            "rotate/rotpkg/builder.py": "from basedet.models.builder import MODELS\n\n"
            "ROTATED_DETECTORS = MODELS\n",
            "rotate/rotpkg/detectors.py": "from mmcv.runner import BaseModule\n\nfrom .builder import ROTATED_DETECTORS\n\n\n"
            "@ROTATED_DETECTORS.register_module()\nclass RotatedRetinaNet(BaseModule):\n\n"
            "    def __init__(self, backbone, pretrained=None, init_cfg=None):\n"
            "        super().__init__(init_cfg)\n"
            "        if pretrained:\n            backbone.pretrained = pretrained\n",
            "rotate/configs/retina.py": "model = dict(type='RotatedRetinaNet', pretrained='torchvision://resnet50',\n"
            "             backbone=dict(type='ResNet', init_cfg=dict(type='Pretrained', "
            "checkpoint='torchvision://resnet50')))\n",
        },
    )
    monkeypatch.setattr(sys, "path", [str(tmp_path / "site"), *sys.path])
    result = lint_paths([str(tmp_path / "rotate")], targets=MMCV1)
    assert [(d.code, d.location.row if d.location else 0) for d in result.diagnostics] == [
        ("IL012", 1)
    ]
    assert (
        "RotatedRetinaNet hands its `pretrained` to `backbone`, and ResNet asserts"
        in result.diagnostics[0].message
    )
