"""The fine-tuning rules case by case, on small configs and stub library packages written into a
temporary folder: what each reports, at which severity and where, and where each stays silent
(a value, a library or a class it cannot see). The real releases are in tests/test_finetune.py."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from initlint.runner import lint_paths
from initlint.settings import RuleLayer, resolve_rules

from .conftest import run_initlint

# A stub MMDetection: what the rules read of the real one (registrations, METAINFO, __init__).
MMDET = {
    "mmdet/__init__.py": "",
    "mmdet/datasets/__init__.py": "from .coco import CocoDataset\n",
    "mmdet/datasets/categories.py": "COCO_CLASSES = ('person', 'bicycle', 'car', 'dog')\n",
    "mmdet/datasets/coco.py": """
        from mmdet.registry import DATASETS

        from .categories import COCO_CLASSES


        class BaseDetDataset:
            METAINFO: dict = dict()

            def __init__(self, ann_file='', metainfo=None, data_root='', pipeline=()):
                self.metainfo = metainfo


        @DATASETS.register_module()
        class CocoDataset(BaseDetDataset):
            METAINFO = {'classes': COCO_CLASSES, 'palette': [(220, 20, 60)] * 4}


        CocoAlias = CocoDataset
        DATASETS.register_module(name='CocoAlias', module=CocoAlias)


        @DATASETS.register_module()
        class MyPanoptic(CocoDataset):
            METAINFO = {'classes': ('a', 'b', 'c'), 'thing_classes': ('a', 'b')}
        """,
    "mmdet/models/__init__.py": "",
    "mmdet/models/heads.py": """
        from mmdet.registry import MODELS


        class BBoxHead:
            def __init__(self, num_classes=80, reg_class_agnostic=False, init_cfg=None):
                self.num_classes = num_classes


        @MODELS.register_module()
        class Shared2FCBBoxHead(BBoxHead):
            def __init__(self, fc_out_channels=1024, *args, **kwargs):
                super().__init__(*args, **kwargs)
        """,
    "mmdet/models/resnet.py": """
        import warnings

        from mmengine.model import BaseModule

        from mmdet.registry import MODELS


        @MODELS.register_module()
        class ResNet(BaseModule):
            def __init__(self, depth, frozen_stages=-1, pretrained=None, init_cfg=None):
                super().__init__(init_cfg)
                if isinstance(pretrained, str):
                    warnings.warn('DeprecationWarning: pretrained is deprecated, '
                                  'please use "init_cfg" instead')


        @MODELS.register_module()
        class PretrainedResNet(ResNet):
            def __init__(self, init_cfg=dict(type='Pretrained', checkpoint='x.pth'), **kwargs):
                super().__init__(init_cfg=init_cfg, **kwargs)


        @MODELS.register_module()
        class FasterRCNN(BaseModule):
            def __init__(self, backbone, roi_head=None, init_cfg=None):
                super().__init__(init_cfg)
        """,
}
MMSEG = {
    "mmseg/__init__.py": "",
    "mmseg/models.py": """
        from mmengine.model import BaseModule

        from mmseg.registry import MODELS


        @MODELS.register_module()
        class EncoderDecoder(BaseModule):
            def __init__(self, backbone, decode_head, pretrained=None, init_cfg=None):
                super().__init__(init_cfg)
        """,
}


def lint(
    tmp_path: Path, config: str, *extra: dict[str, str], name: str = "configs/x.py", **files: str
) -> list[tuple[str, str, str]]:
    """(code, severity, `row:col message`) of each fine-tuning diagnostic."""
    written = {name: config, **files}
    for package in extra:
        written.update(package)
    for relative, text in written.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_dedent(text), encoding="utf-8")
    result = lint_paths([str(tmp_path / name)], source_roots=[tmp_path], jobs=1)
    return [
        (
            d.code,
            d.severity,
            f"{d.location.row}:{d.location.column} {d.message}" if d.location else d.message,
        )
        for d in result.diagnostics
        if d.code.startswith(("IL2", "IL3", "IL013"))
    ]


def _dedent(text: str) -> str:
    """Each piece of a config dedented on its own (a one-line prefix plus a block)."""
    pieces = re.split(r"(?<=\n)(?=[ \t]*\n[ \t]+\S)", text)
    return "".join(textwrap.dedent(piece) for piece in pieces).lstrip("\n")


def codes(found: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    return [(code, severity) for code, severity, _ in found]


HEAD = "model = dict(type='FasterRCNN', roi_head=dict(bbox_head=dict(num_classes={n})))\n"


# -- IL301 ---------------------------------------------------------------------------------------


def test_fewer_outputs_than_training_classes_is_an_error(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        "default_scope = 'mmdet'\n"
        + HEAD.format(n=2)
        + "train_dataloader = dict(dataset=dict(metainfo=dict(classes=('a', 'b', 'c'))))",
    )
    assert codes(found) == [("IL301", "error")]
    assert "label 2 is out of range" in found[0][2]


def test_one_more_output_than_classes_names_the_background(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        "default_scope = 'mmdet'\n"
        + HEAD.format(n=2)
        + "train_dataloader = dict(dataset=dict(metainfo=dict(classes=('a', ))))",
    )
    assert codes(found) == [("IL301", "warning")]
    assert "background" in found[0][2]


def test_a_val_split_alone_that_differs_is_a_warning_at_the_dataset(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        "default_scope = 'mmdet'\n"
        + HEAD.format(n=1)
        + """
        train_dataloader = dict(dataset=dict(metainfo=dict(classes=('a', ))))
        val_dataloader = dict(dataset=dict(metainfo=dict(classes=('a', 'b'))))
        """,
    )
    assert codes(found) == [("IL301", "warning")]
    assert found[0][2].startswith("5:58 ") and "the val dataset has 2 classes" in found[0][2]


def test_the_class_metainfo_comes_from_the_indexed_library(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        "default_scope = 'mmdet'\n"
        + HEAD.format(n=4)
        + """
        train_dataloader = dict(dataset=dict(type='CocoDataset'))
        val_dataloader = dict(dataset=dict(type='CocoAlias'))
        test_dataloader = dict(dataset=dict(type='MyPanoptic'))
        """,
        MMDET,
    )
    assert codes(found) == [("IL301", "warning")]  # 4 outputs; MyPanoptic has 2 things
    assert "the test dataset has 2 classes (MyPanoptic's own METAINFO)" in found[0][2]


def test_every_part_of_a_concat_dataset_and_what_wrappers_wrap(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        "default_scope = 'mmdet'\n"
        + HEAD.format(n=1)
        + """
        part = dict(type='CocoDataset', metainfo=dict(classes=('a', )))
        train_dataloader = dict(dataset=dict(type='RepeatDataset', times=2, dataset=dict(
            type='ConcatDataset', datasets=[part, dict(type='CocoDataset')])))
        """,
        MMDET,
    )
    assert codes(found) == [("IL301", "error")]
    assert "the train dataset has 4 classes (CocoDataset's own METAINFO)" in found[0][2]


def test_cascade_stages_and_mask_heads_are_heads_rpn_is_not(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        """
        default_scope = 'mmdet'
        model = dict(
            rpn_head=dict(type='RPNHead', num_classes=1),
            roi_head=dict(
                semantic_head=dict(num_classes=183),
                bbox_head=[dict(num_classes=2), dict(num_classes=2)],
                mask_head=dict(num_classes=2)))
        train_dataloader = dict(dataset=dict(metainfo=dict(classes=('a', 'b'))))
        """,
    )
    assert found == []


@pytest.mark.parametrize(
    "config",
    [
        # num_classes it cannot evaluate, classes it cannot see, a metainfo from a file
        HEAD.format(n="compute()") + "train_dataloader = dict(dataset=dict(metainfo=dict("
        "classes=('a',))))",
        HEAD.format(n=2) + "train_dataloader = dict(dataset=dict(metainfo=dict(classes=names())))",
        HEAD.format(n=2) + "train_dataloader = dict(dataset=dict(metainfo=dict(**other)))",
        HEAD.format(n=2) + "train_dataloader = dict(dataset=dict(metainfo='meta.py'))",
        # a dataset class that is not indexed
        HEAD.format(n=2) + "train_dataloader = dict(dataset=dict(type='CocoDataset'))",
        # an open-vocabulary head counts text tokens
        "model = dict(bbox_head=dict(type='GroundingDINOHead', num_classes=256))\n"
        "train_dataloader = dict(dataset=dict(metainfo=dict(classes=('a',))))",
    ],
)
def test_what_it_cannot_see_is_never_reported(tmp_path: Path, config: str) -> None:
    assert lint(tmp_path, "default_scope = 'mmdet'\n" + config) == []


def test_without_a_library_it_is_silent_and_says_so(tmp_path: Path) -> None:
    config = tmp_path / "x.py"
    config.write_text(
        HEAD.format(n=2) + "train_dataloader = dict(dataset=dict(metainfo="
        "dict(classes=('a', 'b', 'c'))))\n",
        encoding="utf-8",
    )
    result = run_initlint(str(config), "-v", "--no-cache", cwd=tmp_path)
    assert result.returncode == 0
    assert "its library is unknown" in result.stderr


def test_a_dataset_class_it_cannot_find_is_a_verbose_note(tmp_path: Path) -> None:
    config = tmp_path / "x.py"
    config.write_text(
        "default_scope = 'mmdet'\n"
        + HEAD.format(n=2)
        + "train_dataloader = dict(dataset=dict(type='CocoDataset'))\n",
        encoding="utf-8",
    )
    result = run_initlint(str(config), "-v", "--no-cache", cwd=tmp_path)
    assert result.returncode == 0
    assert "dataset type 'mmdet.CocoDataset' is not found" in result.stderr


def test_a_finding_lands_in_the_config_that_changed_something(tmp_path: Path) -> None:
    base = "default_scope = 'mmdet'\n" + HEAD.format(n=80)
    found = lint(
        tmp_path,
        """
        _base_ = './base.py'
        train_dataloader = dict(dataset=dict(metainfo=dict(classes=('a', ))))
        """,
        **{"configs/base.py": base},
    )
    assert codes(found) == [("IL301", "warning")]
    assert found[0][2].startswith("2:60 ")  # the child's classes, not the base's head


# -- IL302 ---------------------------------------------------------------------------------------


def test_mmyolo_assigner_against_its_head_is_an_error(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        """
        default_scope = 'mmyolo'
        num_classes = 1
        model = dict(
            bbox_head=dict(head_module=dict(num_classes=num_classes)),
            train_cfg=dict(assigner=dict(num_classes=80)))
        """,
    )
    assert codes(found) == [("IL302", "error")]


def test_mmseg_auxiliary_head_and_stdc_detail_head(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        """
        default_scope = 'mmseg'
        model = dict(
            decode_head=dict(num_classes=19),
            auxiliary_head=[dict(num_classes=19), dict(type='STDCHead', num_classes=2),
                            dict(num_classes=150)])
        """,
    )
    assert codes(found) == [("IL302", "warning")]
    assert "`model.auxiliary_head[2].num_classes` is 150" in found[0][2]


# -- IL303, IL304, IL305, IL306 ----------------------------------------------------------------


def test_a_classes_string_but_not_a_file_name(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        """
        default_scope = 'mmdet'
        train_dataloader = dict(dataset=dict(metainfo=dict(classes=('cat'))))
        val_dataloader = dict(dataset=dict(metainfo=dict(classes='data/classes.txt')))
        """,
    )
    assert codes(found) == [("IL303", "warning")]
    assert found[0][2].startswith("2:61 ")  # the string itself: the fix adds the comma


def test_metainfo_keys_the_dataset_does_not_read(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        """
        default_scope = 'mmdet'
        train_dataloader = dict(dataset=dict(type='CocoDataset', metainfo={
            'class': ('a', ), 'pallete': [(1, 2, 3)], 'task_name': 'det'}))
        val_dataloader = dict(dataset=dict(type='CocoDataset', classes=('a', )))
        test_dataloader = dict(dataset=dict(type='Unseen', metainfo=dict(CLASSES=('a', ))))
        """,
        MMDET,
    )
    assert codes(found) == [("IL304", "warning"), ("IL304", "warning"), ("IL304", "error")]
    assert "`class`" in found[0][2] and "'palette'" in found[1][2]
    assert "CocoDataset takes no `classes` argument" in found[2][2]


def test_a_short_palette_in_mmdet_is_a_warning(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        """
        default_scope = 'mmdet'
        train_dataloader = dict(dataset=dict(type='CocoDataset', metainfo=dict(
            palette=[(1, 2, 3)])))
        val_dataloader = dict(dataset=dict(metainfo=dict(classes=('a', 'b'), palette=[])))
        """,
        MMDET,
    )
    assert codes(found) == [("IL305", "warning")]  # 1 colour for CocoDataset's 4 classes


def test_classes_that_reach_a_dataset_through_a_copy(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        "default_scope = 'mmdet'\n"
        + HEAD.format(n=2)
        + """
        classes = ('a', 'b')
        train_dataloader = dict(dataset=dict(type='CocoDataset', metainfo=dict(
            classes=('a', 'b'))))
        """,
        MMDET,
    )
    assert found == []


# -- IL207 ---------------------------------------------------------------------------------------

BASE_CASCADE = """
    default_scope = 'mmdet'
    model = dict(roi_head=dict(bbox_head=[
        dict(type='Shared2FCBBoxHead', num_classes=80, reg_class_agnostic=True),
        dict(type='Shared2FCBBoxHead', num_classes=80, reg_class_agnostic=False,
             fc_out_channels=1024, unseen=dict(a=1)),
    ]))
    """


def test_a_replaced_list_that_loses_settings(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        """
        _base_ = './base.py'
        model = dict(roi_head=dict(bbox_head=[
            dict(type='Shared2FCBBoxHead', num_classes=3),
            dict(type='Shared2FCBBoxHead', num_classes=3),
        ]))
        """,
        MMDET,
        **{"configs/base.py": BASE_CASCADE},
    )
    # Stage 1 loses only class defaults and a key whose default is unknown.
    assert codes(found) == [("IL207", "warning")]
    assert (
        "`model.roi_head.bbox_head[0]`" in found[0][2] and "reg_class_agnostic=True" in found[0][2]
    )


def test_a_replaced_list_without_type(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        """
        _base_ = './base.py'
        model = dict(roi_head=dict(bbox_head=[dict(num_classes=3)]))
        """,
        **{"configs/base.py": BASE_CASCADE},
    )
    assert codes(found) == [("IL207", "error")]


# -- IL311-IL315, IL201, IL013 ----------------------------------------------------------------

PRETRAINED = """
    default_scope = 'mmdet'
    model = dict(type='FasterRCNN', backbone=dict(
        type='ResNet', depth=50, init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet50')))
    load_from = 'work_dirs/run/epoch_12.pth'
    """


def test_load_from_over_a_pretrained_is_opt_in(tmp_path: Path) -> None:
    assert codes(lint(tmp_path, PRETRAINED)) == [("IL311", "info")]
    config = tmp_path / "configs" / "x.py"
    assert run_initlint(str(config), "--no-cache", cwd=tmp_path).returncode == 0
    shown = run_initlint(str(config), "--no-cache", "--extend-select", "IL311", cwd=tmp_path)
    assert shown.returncode == 1 and "IL311" in shown.stdout


def test_opt_in_rules_need_their_code_or_a_specific_prefix() -> None:
    every = resolve_rules([RuleLayer(select=("ALL",))])
    assert "IL311" not in every and "IL312" in every
    assert "IL311" not in resolve_rules([RuleLayer(select=("IL",))])
    for selector in ("IL3", "IL31", "IL311"):
        assert "IL311" in resolve_rules(
            [RuleLayer(select=("ALL",)), RuleLayer(extend_select=(selector,))]
        )
    assert "IL311" not in resolve_rules(
        [
            RuleLayer(select=("ALL",)),
            RuleLayer(extend_select=("IL311",)),
            RuleLayer(select=("ALL",)),
        ]
    )


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ("resume_from = 'work_dirs/run/epoch_6.pth'", [("IL312", "warning")]),
        ("resume_from = None", []),
        # an MMCV 1.x config: its runner reads resume_from
        ("resume_from = 'x.pth'\ndata = dict(samples_per_gpu=2)", "mmcv1"),
        (
            "resume = True\nload_from = 'https://download.openmmlab.com/mmdetection/v2.0/x/x.pth'",
            [("IL313", "error")],
        ),
        ("resume = True\nload_from = 'https://example.com/x.pth'", [("IL313", "warning")]),
        ("resume = True\nload_from = 'work_dirs/run/epoch_6.pth'", []),
        ("load_from = 'torchvison://resnet50'", [("IL013", "error")]),
    ],
)
def test_runner_settings(tmp_path: Path, settings: str, expected: object) -> None:
    if expected == "mmcv1":
        assert lint(tmp_path, settings) == []
        return
    assert codes(lint(tmp_path, "default_scope = 'mmdet'\n" + settings)) == expected


@pytest.mark.parametrize(
    ("init_cfg", "owner", "expected"),
    [
        ("dict(type='Pretrained', checkpoint='work_dirs/det/epoch_12.pth')", "backbone", 1),
        (
            "dict(type='Pretrained', checkpoint='https://download.openmmlab.com/mmdetection/v2.0/"
            "faster_rcnn/x/x.pth')",
            "backbone",
            1,
        ),
        (
            "dict(type='Pretrained', checkpoint='work_dirs/det/epoch_12.pth', prefix='backbone.')",
            "backbone",
            0,
        ),
        (
            "dict(type='Pretrained', checkpoint='https://download.openmmlab.com/mmsegmentation/v0.5/"
            "pretrain/swin/x.pth')",
            "backbone",
            0,
        ),
        ("dict(type='Pretrained', checkpoint='torchvision://resnet50')", "backbone", 0),
        (
            "[dict(type='Kaiming', layer='Conv2d'), dict(type='Pretrained', checkpoint='latest.pth')]",
            "neck",
            1,
        ),
    ],
)
def test_whole_model_checkpoints_need_a_prefix(
    tmp_path: Path, init_cfg: str, owner: str, expected: int
) -> None:
    found = lint(
        tmp_path,
        f"default_scope = 'mmdet'\nmodel = dict({owner}=dict(type='X', init_cfg={init_cfg}))",
    )
    assert codes(found) == [("IL314", "warning")] * expected
    if expected:
        assert f"prefix='{owner}.'" in found[0][2]


def test_a_detector_inside_a_tracker_takes_a_detector_checkpoint(tmp_path: Path) -> None:
    assert (
        lint(
            tmp_path,
            """
        default_scope = 'mmdet'
        model = dict(type='ByteTrack', detector=dict(
            type='YOLOX', backbone=dict(type='CSPDarknet'),
            init_cfg=dict(type='Pretrained', checkpoint='work_dirs/yolox/epoch_80.pth')))
        """,
        )
        == []
    )


@pytest.mark.parametrize(
    ("backbone", "extra", "expected"),
    [
        ("type='ResNet', depth=50, frozen_stages=3, init_cfg=None", "", 1),
        ("type='ResNet', depth=50, frozen_stages=-1", "", 0),
        ("type='ResNet', depth=50, frozen_stages=3, init_cfg=None", "load_from = 'x.pth'", 0),
        ("type='ResNet', depth=50, frozen_stages=3, init_cfg=None", "load_from = path()", 0),
        (
            "type='ResNet', depth=50, frozen_stages=3, init_cfg=dict(type='Pretrained', "
            "checkpoint='x.pth')",
            "",
            0,
        ),
        ("type='ResNet', depth=50, frozen_stages=3, pretrained='x.pth'", "", 0),
        ("type='PretrainedResNet', depth=50, frozen_stages=3", "", 0),  # its default init_cfg
        ("type='Unseen', depth=50, frozen_stages=3", "", 0),
    ],
)
def test_frozen_stages_without_weights(
    tmp_path: Path, backbone: str, extra: str, expected: int
) -> None:
    found = lint(
        tmp_path,
        f"default_scope = 'mmdet'\nmodel = dict(type='FasterRCNN', "
        f"backbone=dict({backbone}))\n{extra}",
        MMDET,
    )
    assert [c for c in codes(found) if c[0] == "IL315"] == [("IL315", "warning")] * expected


def test_model_pretrained_by_library(tmp_path: Path) -> None:
    detector = lint(
        tmp_path,
        "default_scope = 'mmdet'\nmodel = dict(type='FasterRCNN', "
        "pretrained=None, backbone=dict(type='ResNet', depth=50))",
        MMDET,
    )
    assert codes(detector) == [("IL201", "error")]  # even None: an unexpected keyword
    segmentor = lint(
        tmp_path,
        "default_scope = 'mmseg'\nmodel = dict(type='EncoderDecoder', "
        "pretrained='x.pth', backbone=dict(type='ResNet'))",
        MMSEG,
        name="configs/seg.py",
    )
    assert segmentor == []


def test_a_backbones_pretrained_string_but_not_timms_flag(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        """
        default_scope = 'mmdet'
        model = dict(type='FasterRCNN', backbone=dict(type='ResNet', depth=50,
                                                      pretrained='torchvision://resnet50'),
                     neck=dict(type='TIMMBackbone', pretrained=True))
        """,
        MMDET,
    )
    assert codes(found) == [("IL201", "warning")]


# -- class facts: the MRO and class constants as Python has them -------------------------------


def test_class_constants_follow_the_c3_mro_and_stop_at_what_is_unseen(tmp_path: Path) -> None:
    from initlint.project.classes import ClassView
    from initlint.project.index import ProjectIndex
    from initlint.values import SeqValue, Unknown

    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "names.py").write_text("NAMES = ('x', 'y', 'z')\n", encoding="utf-8")
    (package / "data.py").write_text(
        textwrap.dedent("""
        from mmengine.dataset import BaseDataset
        from otherpkg.base import Hidden

        from .names import NAMES


        class A:
            METAINFO = dict(classes=('a',))


        class B(A):
            pass


        class C(A):
            METAINFO = dict(classes=NAMES)


        class D(B, C):  # C3: D, B, C, A (depth-first would say A's)
            pass


        class E(Hidden, C):  # Hidden comes first, and it is not indexed
            pass


        class F(C, BaseDataset):  # mmengine's classes never derive from this package's
            pass


        class G(C, Hidden):  # Hidden might derive from C and come before it
            pass
        """),
        encoding="utf-8",
    )
    view = ClassView(ProjectIndex([tmp_path]))

    def classes(name: str) -> object:
        cls = view.resolve(f"pkg.data.{name}")
        assert cls is not None
        meta = view.class_constant(cls, "METAINFO")
        if isinstance(meta, Unknown):
            return "unknown"
        found = meta.get("classes") if meta is not None and hasattr(meta, "get") else None
        return len(found.items) if isinstance(found, SeqValue) else None

    assert [classes(n) for n in "ABCDEFG"] == [1, 1, 3, 3, "unknown", 3, "unknown"]


def test_len_of_known_values() -> None:
    from initlint.config.evaluator import Evaluator, Namespace, Positions
    from initlint.values import Scalar

    source = "names = ('a', 'b')\nn = len(names)\nm = len(dict(a=1))\nk = len(unknown)\n"
    import ast

    namespace = Namespace()
    Evaluator(Positions("x.py", source), namespace).run_module(ast.parse(source))
    values = [namespace.get(n) for n in ("n", "m", "k")]
    assert [v.value if isinstance(v, Scalar) else None for v in values] == [2, 1, None]


def test_a_lazy_base_hands_out_a_copy_of_each_name(tmp_path: Path) -> None:
    """`test_dataloader = val_dataloader` in a lazy base: the child changing one leaves the
    other (Config.fromfile rebuilds each name's dicts: tests/test_finetune.py compares)."""
    from initlint.config.loader import ConfigLoader

    (tmp_path / "base.py").write_text(
        "val = dict(dataset=dict(a=1))\ntest = val\n", encoding="utf-8"
    )
    (tmp_path / "child.py").write_text(
        "from mmengine.config import read_base\n\nwith read_base():\n"
        "    from .base import *\n\nval.dataset.a = 2\n",
        encoding="utf-8",
    )
    keys = ConfigLoader().load(tmp_path / "child.py").keys
    shown = [
        keys.get(n).get("dataset").get("a").value  # type: ignore[union-attr]
        for n in ("val", "test")
    ]
    assert shown == [2, 1]


def test_the_cache_notices_a_changed_dataset_class(tmp_path: Path) -> None:
    """Every config depends on the dataset sources its classes come from, the second one to
    use a class too (the MRO is worked out once and its reads told again)."""
    lint(tmp_path, "", MMDET, name="unused.py")
    for name in ("a.py", "b.py"):
        (tmp_path / "configs" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "configs" / name).write_text(
            "default_scope = 'mmdet'\n"
            + HEAD.format(n=4)
            + "train_dataloader = dict(dataset=dict(type='CocoDataset'))\n",
            encoding="utf-8",
        )

    def run() -> list[str]:
        result = lint_paths(
            [str(tmp_path / "configs")],
            source_roots=[tmp_path],
            jobs=1,
            cache_dir=tmp_path / "cache",
        )
        return sorted(
            f"{Path(d.filename or '').name} {d.code}"
            for d in result.diagnostics
            if d.code == "IL301"
        )

    assert run() == []
    categories = tmp_path / "mmdet" / "datasets" / "categories.py"
    categories.write_text(
        "COCO_CLASSES = ('person', 'bicycle', 'car', 'dog', 'cat')\n", encoding="utf-8"
    )
    assert run() == ["a.py IL301", "b.py IL301"]


def test_mmseg_reduce_zero_label_leaves_one_class_fewer(tmp_path: Path) -> None:
    """`reduce_zero_label=True` maps label 0 to 255 and the rest one down: a metainfo that
    still names the zero label has one class more than the labels."""
    config = """
        default_scope = 'mmseg'
        model = dict(decode_head=dict(num_classes=2))
        train_dataloader = dict(dataset=dict(type='BaseSegDataset', reduce_zero_label={flag},
                                             metainfo=dict(classes=('other', 'a', 'b'))))
        """
    assert lint(tmp_path, config.format(flag=True)) == []
    assert codes(lint(tmp_path, config.format(flag=False))) == [("IL301", "error")]
