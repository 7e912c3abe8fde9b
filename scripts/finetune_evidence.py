"""The runtime's own symptoms behind initlint's fine-tuning rules (IL201, IL207, IL30x, IL31x).

Runs the released code of mmengine 0.10.7, mmdet 3.3.0, mmsegmentation 1.2.2, mmpretrain 1.2.0
and mmyolo 0.6.0 on the CPU (with `mmcv-lite` and the stubs of `mmstubs.py` for the compiled ops
and torchvision) and prints, per experiment, whether the runtime raises (with the exception and
the release's file:line that raises it) or stays silent (with what it logs, and what went wrong).
docs/finetune-evidence.md quotes this output.

    pip install 'mmcv-lite==2.1.0' mmdet==3.3.0 mmsegmentation==1.2.2 mmpretrain==1.2.0 \
        ftfy regex && pip install --no-deps mmyolo==0.6.0
    python scripts/finetune_evidence.py [--only IL301,IL303] [--json out.json]

Everything it writes goes to a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
import logging
import os
import sys
import tempfile
import traceback
import warnings
from pathlib import Path
from typing import Any, Callable

import mmstubs

mmstubs.install()

import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.logging import MMLogger  # noqa: E402

EXPERIMENTS: list[tuple[str, str, Callable[[Path], Any]]] = []
_RUNS = itertools.count()
SITE = str(Path(torch.__file__).resolve().parents[1])


def experiment(rule: str, title: str) -> Callable[[Callable[[Path], Any]], Callable[[Path], Any]]:
    def register(fn: Callable[[Path], Any]) -> Callable[[Path], Any]:
        EXPERIMENTS.append((rule, title, fn))
        return fn

    return register


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname}: {record.getMessage()}")


def _where(exc: BaseException) -> str:
    """The innermost frame of the exception that lies in an installed package (the release)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(SITE)]
    if not frames:
        return "?"
    where = [f"{os.path.relpath(f.filename, SITE)}:{f.lineno}" for f in frames]
    ours = [w for w in where if w.startswith("mm")]
    if ours and ours[-1] != where[-1]:  # raised in torch, called from the release
        return f"{ours[-1]} -> {where[-1]}"
    return where[-1]


def run(fn: Callable[[Path], Any], tmp: Path) -> dict[str, Any]:
    records = _Records()
    handlers = MMLogger.callHandlers  # every MMLogger instance (the Runner makes its own)

    def call_handlers(self: MMLogger, record: logging.LogRecord) -> None:
        records.emit(record)
        handlers(self, record)

    MMLogger.callHandlers = call_handlers  # type: ignore[method-assign]
    stdout = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(stdout):
        warnings.simplefilter("always")
        try:
            result = fn(tmp)
            outcome: dict[str, Any] = {"raises": None, "result": result}
        except Exception as exc:  # the runtime's verdict: it raises
            outcome = {"raises": f"{type(exc).__name__}: {exc}"[:600], "at": _where(exc)}
    MMLogger.callHandlers = handlers  # type: ignore[method-assign]
    outcome["log"] = [
        line[:400] for line in records.lines if line.startswith(("WARNING", "ERROR"))
    ][:6]
    outcome["info"] = [
        line[:300]
        for line in records.lines
        if line.startswith("INFO") and not line.startswith("INFO: Config:")
    ][:12]
    outcome["warnings"] = sorted(
        {
            f"{w.category.__name__}: {w.message}"[:300]
            for w in caught
            if "pretrained" in str(w.message).lower() or w.category is UserWarning
        }
    )[:4]
    return outcome


# -- IL301 / IL302: a head with fewer outputs than the dataset has classes -----------------------


@experiment("IL301", "mmdet two-stage bbox head, num_classes=2, labels 0..3 (4-class dataset)")
def bbox_head_fewer(tmp: Path) -> Any:
    from mmdet.models.roi_heads.bbox_heads import Shared2FCBBoxHead

    head = Shared2FCBBoxHead(num_classes=2, in_channels=4, fc_out_channels=8, roi_feat_size=2)
    n = 4
    labels = torch.tensor([0, 1, 2, 2])  # 2 == num_classes: the background index
    cls_score = torch.randn(n, 3)
    bbox_pred = torch.randn(n, 8)
    rois = torch.tensor([[0, 0, 0, 4, 4.0]] * n)
    losses_bg = head.loss(
        cls_score, bbox_pred, rois, labels, torch.ones(n), torch.zeros(n, 4), torch.ones(n, 4)
    )
    labels = torch.tensor([0, 1, 2, 3])  # 3 > num_classes
    head.loss(
        cls_score, bbox_pred, rois, labels, torch.ones(n), torch.zeros(n, 4), torch.ones(n, 4)
    )
    return {
        "label == num_classes (read as background)": {k: float(v) for k, v in losses_bg.items()}
    }


@experiment(
    "IL301",
    "mmdet two-stage bbox head, label == num_classes only (dataset has one "
    "class more than the head)",
)
def bbox_head_fewer_by_one(tmp: Path) -> Any:
    from mmdet.models.roi_heads.bbox_heads import Shared2FCBBoxHead

    head = Shared2FCBBoxHead(num_classes=2, in_channels=4, fc_out_channels=8, roi_feat_size=2)
    labels = torch.tensor([0, 1, 2])
    losses = head.loss(
        torch.randn(3, 3),
        torch.randn(3, 8),
        torch.tensor([[0, 0, 0, 4, 4.0]] * 3),
        labels,
        torch.ones(3),
        torch.zeros(3, 4),
        torch.ones(3, 4),
    )
    return {
        "losses": {k: float(v) for k, v in losses.items()},
        "note": "class 2 trains as background: no error, the class is never learnt",
    }


@experiment("IL301", "mmdet mask head (FCNMaskHead), num_classes=2, positive label 2")
def mask_head_fewer(tmp: Path) -> Any:
    from mmdet.models.roi_heads.mask_heads import FCNMaskHead

    head = FCNMaskHead(num_convs=1, in_channels=4, conv_out_channels=4, num_classes=2)
    preds = torch.randn(2, 2, 28, 28)
    return float(head.loss_mask(preds, torch.zeros(2, 28, 28), torch.tensor([0, 2])))


@experiment(
    "IL301", "mmdet FocalLoss (RetinaNet-style sigmoid head), CPU path, 2 outputs, labels 0..3"
)
def focal_fewer(tmp: Path) -> Any:
    from mmdet.models.losses import FocalLoss

    return FocalLoss(use_sigmoid=True)(torch.randn(4, 2), torch.tensor([0, 1, 2, 3]))


@experiment("IL301", "mmdet FocalLoss, CPU path, 2 outputs, label 2 (== num_classes) only")
def focal_fewer_by_one(tmp: Path) -> Any:
    from mmdet.models.losses import FocalLoss

    return {
        "loss": float(FocalLoss(use_sigmoid=True)(torch.randn(3, 2), torch.tensor([0, 1, 2]))),
        "note": "one_hot(num_classes + 1)[:, :num_classes]: label 2 becomes all-negative",
    }


@experiment(
    "IL301", "mmseg CrossEntropyLoss, decode head num_classes=2, pixel label 2 (ignore_index=255)"
)
def mmseg_ce_fewer(tmp: Path) -> Any:
    from mmseg.models.losses import CrossEntropyLoss

    label = torch.tensor([[[0, 1], [2, 255]]])
    return float(CrossEntropyLoss()(torch.randn(1, 2, 2, 2), label, ignore_index=255))


@experiment("IL301", "mmpretrain LinearClsHead num_classes=2, gt_label 3")
def mmpretrain_ce_fewer(tmp: Path) -> Any:
    from mmpretrain.models.heads import LinearClsHead
    from mmpretrain.structures import DataSample

    head = LinearClsHead(num_classes=2, in_channels=4)
    samples = [DataSample().set_gt_label(0), DataSample().set_gt_label(3)]
    return head.loss((torch.randn(2, 4),), samples)


@experiment("IL301", "mmyolo BatchTaskAlignedAssigner (YOLOv8) num_classes=2, gt label 3")
def mmyolo_assigner_fewer(tmp: Path) -> Any:
    mmstubs.allow_mmyolo()
    from mmyolo.models.task_modules.assigners import BatchTaskAlignedAssigner

    assigner = BatchTaskAlignedAssigner(num_classes=2, topk=2)
    priors = torch.tensor([[2.0, 2, 8, 8], [6, 6, 8, 8], [10, 10, 8, 8]])
    pred_bboxes = torch.tensor([[[0.0, 0, 4, 4], [2, 2, 10, 10], [6, 6, 14, 14]]])
    return assigner(
        pred_bboxes,
        torch.rand(1, 3, 2),
        priors,
        torch.tensor([[[3.0]]]),
        torch.tensor([[[0.0, 0, 12, 12]]]),
        torch.ones(1, 1, 1),
    )


@experiment("IL301", "mmdet bbox head with MORE outputs than classes (num_classes=5, labels 0..1)")
def bbox_head_more(tmp: Path) -> Any:
    from mmdet.models.roi_heads.bbox_heads import Shared2FCBBoxHead

    head = Shared2FCBBoxHead(num_classes=5, in_channels=4, fc_out_channels=8, roi_feat_size=2)
    losses = head.loss(
        torch.randn(3, 6),
        torch.randn(3, 20),
        torch.tensor([[0, 0, 0, 4, 4.0]] * 3),
        torch.tensor([0, 1, 5]),
        torch.ones(3),
        torch.zeros(3, 4),
        torch.ones(3, 4),
    )
    return {k: float(v) for k, v in losses.items()}


@experiment(
    "IL301",
    "mmdet CocoMetric given a prediction of a class beyond the dataset's "
    "(a head with more outputs)",
)
def coco_metric_more(tmp: Path) -> Any:
    from mmdet.evaluation import CocoMetric

    metric = CocoMetric(ann_file=None, format_only=True, outfile_prefix=str(tmp / "out"))
    metric.cat_ids = [1, 2]
    result = dict(
        img_id=0, bboxes=np.array([[0, 0, 4, 4.0]]), scores=np.array([0.9]), labels=np.array([2])
    )
    return metric.results2json([result], str(tmp / "out"))


@experiment("IL302", "mmyolo YOLOv8Head: head_module num_classes=3, assigner num_classes=2")
def mmyolo_head_vs_assigner(tmp: Path) -> Any:
    mmstubs.allow_mmyolo()
    from mmyolo.models.losses import IoULoss  # noqa: F401  (registers the losses)
    from mmyolo.models.task_modules.assigners import BatchTaskAlignedAssigner

    assigner = BatchTaskAlignedAssigner(num_classes=2, topk=2)
    priors = torch.tensor([[2.0, 2, 8, 8], [6, 6, 8, 8], [10, 10, 8, 8]])
    pred_bboxes = torch.tensor([[[0.0, 0, 4, 4], [2, 2, 10, 10], [6, 6, 14, 14]]])
    pred_scores = torch.rand(1, 3, 3)  # the head's 3 outputs
    assigned = assigner(
        pred_bboxes,
        pred_scores,
        priors,
        torch.tensor([[[1.0]]]),
        torch.tensor([[[0.0, 0, 12, 12]]]),
        torch.ones(1, 1, 1),
    )
    bce = torch.nn.BCEWithLogitsLoss(reduction="none")  # YOLOv8Head's loss_cls
    return bce(pred_scores, assigned["assigned_scores"]).sum()


# -- IL303 / IL304: what the datasets make of `classes` ------------------------------------------


def _coco_json(tmp: Path, names: tuple[str, ...]) -> str:
    cats = [{"id": i + 1, "name": n} for i, n in enumerate(names)]
    anns = [
        {
            "id": i + 1,
            "image_id": 1,
            "category_id": i + 1,
            "bbox": [0, 0, 5, 5],
            "area": 25,
            "iscrowd": 0,
        }
        for i in range(len(names))
    ]
    path = tmp / f"ann_{len(names)}.json"
    path.write_text(
        json.dumps(
            {
                "images": [{"id": 1, "file_name": "a.jpg", "width": 10, "height": 10}],
                "annotations": anns,
                "categories": cats,
            }
        )
    )
    return str(path)


def _coco(tmp: Path, names: tuple[str, ...], **kwargs: Any) -> Any:
    from mmdet.datasets import CocoDataset

    return CocoDataset(
        ann_file=_coco_json(tmp, names), data_prefix=dict(img=""), pipeline=[], **kwargs
    )


def _labels(dataset: Any) -> list[int]:
    return sorted(
        {
            i["bbox_label"]
            for n in range(len(dataset))
            for i in dataset.get_data_info(n)["instances"]
        }
    )


@experiment(
    "IL303", "mmdet CocoDataset metainfo=dict(classes=('balloon')) on a balloon-only COCO file"
)
def coco_string_classes(tmp: Path) -> Any:
    os.chdir(tmp)
    ds = _coco(tmp, ("balloon",), metainfo=dict(classes=("balloon")))
    return {
        "metainfo['classes']": ds.metainfo["classes"],
        "len(classes)": len(ds.metainfo["classes"]),
        "cat_ids": ds.cat_ids,
        "labels": _labels(ds),
    }


@experiment(
    "IL303",
    "mmdet CocoDataset classes=('balloon') where the file also has 'ball' "
    "(pycocotools matches substrings of the string)",
)
def coco_string_classes_substring(tmp: Path) -> Any:
    os.chdir(tmp)
    ds = _coco(tmp, ("ball", "balloon", "loon"), metainfo=dict(classes=("balloon")))
    return {
        "cat_ids": ds.cat_ids,
        "labels": _labels(ds),
        "note": "every category whose name is a substring of 'balloon' is kept",
    }


@experiment("IL303", "mmdet DetLocalVisualizer labelling a box with classes='balloon'")
def coco_string_classes_visualised(tmp: Path) -> Any:
    from mmdet.structures import DetDataSample
    from mmdet.visualization import DetLocalVisualizer
    from mmengine.structures import InstanceData

    vis = DetLocalVisualizer(name=f"vis{next(_RUNS)}")
    vis.dataset_meta = dict(classes="balloon", palette=[(220, 20, 60)])
    texts: list[str] = []
    draw_texts = vis.draw_texts
    vis.draw_texts = lambda text, *a, **k: texts.append(text) or draw_texts(text, *a, **k)
    sample = DetDataSample()
    sample.gt_instances = InstanceData(
        bboxes=torch.tensor([[0.0, 0, 5, 5]]), labels=torch.tensor([0])
    )
    vis.add_datasample("x", np.zeros((10, 10, 3), np.uint8), sample, draw_pred=False)
    return {"label text drawn for label 0": texts}


@experiment("IL303", "mmseg BaseSegDataset subclass with METAINFO, metainfo=dict(classes=('wall'))")
def mmseg_string_classes(tmp: Path) -> Any:
    from mmseg.datasets import ADE20KDataset

    os.chdir(tmp)
    return ADE20KDataset(
        data_root=str(tmp),
        data_prefix=dict(img_path="", seg_map_path=""),
        metainfo=dict(classes=("wall")),
        lazy_init=True,
    ).metainfo["classes"]


@experiment("IL303", "mmseg BaseSegDataset (no METAINFO), metainfo=dict(classes=('balloon'))")
def mmseg_base_string_classes(tmp: Path) -> Any:
    from mmseg.datasets import BaseSegDataset

    os.chdir(tmp)
    ds = BaseSegDataset(
        data_root=str(tmp),
        data_prefix=dict(img_path="", seg_map_path=""),
        metainfo=dict(classes=("balloon")),
        lazy_init=True,
    )
    return {"classes": ds.metainfo["classes"], "palette entries": len(ds.metainfo["palette"])}


@experiment("IL303", "mmpretrain CustomDataset classes='cat' (the old-style argument)")
def mmpretrain_string_classes(tmp: Path) -> Any:
    from mmpretrain.datasets import CustomDataset

    os.chdir(tmp)
    return CustomDataset(data_root=str(tmp), classes=("cat"), lazy_init=True).CLASSES


@experiment("IL303", "mmpretrain CustomDataset metainfo=dict(classes=('cat'))")
def mmpretrain_string_metainfo(tmp: Path) -> Any:
    from mmpretrain.datasets import CustomDataset

    os.chdir(tmp)
    ds = CustomDataset(data_root=str(tmp), metainfo=dict(classes=("cat")), lazy_init=True)
    return {"classes": ds.CLASSES, "len": len(ds.CLASSES)}


@experiment("IL304", "mmdet CocoDataset metainfo=dict(CLASSES=('balloon',), PALETTE=[...])")
def coco_upper_keys(tmp: Path) -> Any:
    meta = dict(CLASSES=("balloon",), PALETTE=[(220, 20, 60)])
    ds = _coco(tmp, ("balloon",), metainfo=meta)
    train = _coco(tmp, ("balloon",), metainfo=meta, filter_cfg=dict(filter_empty_gt=True))
    return {
        "len(metainfo['classes'])": len(ds.metainfo["classes"]),
        "metainfo keys": sorted(ds.metainfo),
        "cat_ids": ds.cat_ids,
        "labels": _labels(ds),
        "images kept with filter_empty_gt=True": len(train),
    }


@experiment("IL304", "mmdet CocoDataset metainfo=dict(class=('balloon',))")
def coco_class_key(tmp: Path) -> Any:
    ds = _coco(tmp, ("balloon",), metainfo={"class": ("balloon",)})
    return {"len(metainfo['classes'])": len(ds.metainfo["classes"]), "images kept": len(ds)}


@experiment("IL304", "mmdet CocoDataset classes=('balloon',) as a dataset argument (2.x style)")
def coco_classes_argument(tmp: Path) -> Any:
    return _coco(tmp, ("balloon",), classes=("balloon",))


@experiment("IL304", "mmseg ADE20KDataset metainfo=dict(CLASSES=('wall', 'floor'))")
def mmseg_upper_keys(tmp: Path) -> Any:
    from mmseg.datasets import ADE20KDataset

    ds = ADE20KDataset(
        data_root=str(tmp),
        data_prefix=dict(img_path="", seg_map_path=""),
        metainfo=dict(CLASSES=("wall", "floor")),
        lazy_init=True,
    )
    return {"len(classes)": len(ds.metainfo["classes"]), "label_map": ds.metainfo["label_map"]}


# -- IL305: palette shorter than classes ----------------------------------------------------------


@experiment("IL305", "mmseg BaseSegDataset: 3 classes, 2 palette entries")
def mmseg_palette_short(tmp: Path) -> Any:
    from mmseg.datasets import BaseSegDataset

    return BaseSegDataset(
        data_root=str(tmp),
        data_prefix=dict(img_path="", seg_map_path=""),
        metainfo=dict(classes=("a", "b", "c"), palette=[[0, 0, 0], [1, 1, 1]]),
        lazy_init=True,
    )


@experiment("IL305", "mmseg BaseSegDataset: 2 classes, 3 palette entries (no label_map)")
def mmseg_palette_long(tmp: Path) -> Any:
    from mmseg.datasets import BaseSegDataset

    return BaseSegDataset(
        data_root=str(tmp),
        data_prefix=dict(img_path="", seg_map_path=""),
        metainfo=dict(classes=("a", "b"), palette=[[0, 0, 0]] * 3),
        lazy_init=True,
    )


@experiment(
    "IL305",
    "mmseg ADE20KDataset: classes a subset of METAINFO, full-length palette (label_map set)",
)
def mmseg_palette_long_subset(tmp: Path) -> Any:
    from mmseg.datasets import ADE20KDataset

    ds = ADE20KDataset(
        data_root=str(tmp),
        data_prefix=dict(img_path="", seg_map_path=""),
        metainfo=dict(classes=("wall", "floor"), palette=ADE20KDataset.METAINFO["palette"]),
        lazy_init=True,
    )
    return {"palette": ds.metainfo["palette"]}


@experiment("IL305", "mmdet CocoDataset: 3 classes, 2 palette entries (dataset build)")
def coco_palette_short(tmp: Path) -> Any:
    ds = _coco(
        tmp, ("a", "b", "c"), metainfo=dict(classes=("a", "b", "c"), palette=[(1, 2, 3), (4, 5, 6)])
    )
    return {"palette": ds.metainfo["palette"], "labels": _labels(ds)}


@experiment("IL305", "mmdet DetLocalVisualizer drawing label 2 with a 2-entry palette")
def coco_palette_short_visualised(tmp: Path) -> Any:
    from mmdet.structures import DetDataSample
    from mmdet.visualization import DetLocalVisualizer
    from mmengine.structures import InstanceData

    vis = DetLocalVisualizer(name=f"vis{next(_RUNS)}")
    vis.dataset_meta = dict(classes=("a", "b", "c"), palette=[(1, 2, 3), (4, 5, 6)])
    sample = DetDataSample()
    sample.gt_instances = InstanceData(
        bboxes=torch.tensor([[0.0, 0, 5, 5]]), labels=torch.tensor([2])
    )
    vis.add_datasample("x", np.zeros((10, 10, 3), np.uint8), sample, draw_pred=False)
    return "drawn"


# -- IL207: a child list of head dicts replaces the base list whole ------------------------------

CASCADE_BASE = """
model = dict(type='CascadeRCNN', roi_head=dict(type='CascadeRoIHead', num_stages=2,
    bbox_head=[
        dict(type='Shared2FCBBoxHead', in_channels=256, fc_out_channels=1024, roi_feat_size=7,
             num_classes=80, reg_class_agnostic=True,
             bbox_coder=dict(type='DeltaXYWHBBoxCoder', target_means=[0., 0., 0., 0.],
                             target_stds=[0.1, 0.1, 0.2, 0.2])),
        dict(type='Shared2FCBBoxHead', in_channels=256, fc_out_channels=1024, roi_feat_size=7,
             num_classes=80, reg_class_agnostic=True,
             bbox_coder=dict(type='DeltaXYWHBBoxCoder', target_means=[0., 0., 0., 0.],
                             target_stds=[0.05, 0.05, 0.1, 0.1])),
    ]))
"""


@experiment(
    "IL207", "Cascade child `bbox_head=[dict(num_classes=3), dict(num_classes=3)]` over a base list"
)
def cascade_list_no_type(tmp: Path) -> Any:
    from mmdet.registry import MODELS
    from mmdet.utils import register_all_modules
    from mmengine.config import Config

    register_all_modules()
    (tmp / "base.py").write_text(CASCADE_BASE)
    (tmp / "child.py").write_text(
        "_base_ = './base.py'\nmodel = dict(roi_head=dict(bbox_head=["
        "dict(num_classes=3), dict(num_classes=3)]))\n"
    )
    cfg = Config.fromfile(str(tmp / "child.py"))
    print(cfg.model.roi_head.bbox_head)
    return MODELS.build(cfg.model.roi_head.bbox_head[0])


@experiment(
    "IL207",
    "Cascade child list with type and num_classes only: built, with the class "
    "defaults in place of the base's values",
)
def cascade_list_with_type(tmp: Path) -> Any:
    from mmdet.registry import MODELS
    from mmdet.utils import register_all_modules
    from mmengine.config import Config

    register_all_modules()
    (tmp / "base.py").write_text(CASCADE_BASE)
    (tmp / "child.py").write_text(
        "_base_ = './base.py'\nmodel = dict(roi_head=dict(bbox_head=["
        "dict(type='Shared2FCBBoxHead', num_classes=3), "
        "dict(type='Shared2FCBBoxHead', num_classes=3)]))\n"
    )
    cfg = Config.fromfile(str(tmp / "child.py"))
    heads = [MODELS.build(h) for h in cfg.model.roi_head.bbox_head]
    return [
        {
            "reg_class_agnostic": h.reg_class_agnostic,
            "in_channels": h.in_channels,
            "target_stds": list(h.bbox_coder.stds),
        }
        for h in heads
    ]


# -- IL311 / IL312 / IL313: the Runner and checkpoints --------------------------------------------


def _toy_model() -> str:
    from mmengine.model import BaseModel
    from mmengine.registry import MODELS

    class FinetuneToy(BaseModel):
        def __init__(self, init_cfg: Any = None) -> None:
            super().__init__(init_cfg=init_cfg)
            self.linear = torch.nn.Linear(2, 1)

        def forward(self, inputs: Any, labels: Any = None, mode: str = "tensor") -> Any:
            out = self.linear(inputs)
            return {"loss": out.sum()} if mode == "loss" else out

    MODELS.register_module(module=FinetuneToy, force=True)
    return "FinetuneToy"


def _toy_runner(tmp: Path, **cfg: Any) -> Any:
    """Runner.from_cfg on a config as a user writes it (a dict model, the default hooks)."""
    from mmengine.config import Config
    from mmengine.runner import Runner

    loader = dict(
        dataset=dict(type="FinetuneToyData"),
        sampler=dict(type="DefaultSampler", shuffle=False),
        batch_size=1,
        collate_fn=dict(type="default_collate"),
    )
    settings: dict[str, Any] = dict(
        model=dict(type=_toy_model(), init_cfg=cfg.pop("init_cfg", None)),
        work_dir=str(tmp / "work"),
        train_dataloader=loader,
        train_cfg=dict(by_epoch=True, max_epochs=cfg.pop("epochs", 1)),
        optim_wrapper=dict(optimizer=dict(type="SGD", lr=0.0)),
        default_hooks=dict(
            checkpoint=dict(type="CheckpointHook", interval=100),
            logger=dict(type="LoggerHook", interval=100),
        ),
        experiment_name=f"toy{next(_RUNS)}",
    )
    settings.update(cfg)
    return Runner.from_cfg(Config(settings))


def _register_toy_data() -> None:
    from mmengine.registry import DATASETS

    class FinetuneToyData(torch.utils.data.Dataset):  # type: ignore[type-arg]
        def __len__(self) -> int:
            return 2

        def __getitem__(self, i: int) -> dict[str, Any]:
            return dict(inputs=torch.ones(2), labels=torch.ones(1))

    DATASETS.register_module(module=FinetuneToyData, force=True)


def _checkpoint(
    tmp: Path, name: str, value: float, *, full: bool, epoch: int = 12, prefix: str = ""
) -> str:
    state = {
        f"{prefix}linear.weight": torch.full((1, 2), value),
        f"{prefix}linear.bias": torch.full((1,), value),
    }
    ckpt: dict[str, Any] = {"meta": {"epoch": epoch, "iter": epoch * 2}, "state_dict": state}
    if full:  # what CheckpointHook writes; publish_model.py keeps only meta and state_dict
        ckpt.update(
            message_hub={"log_scalars": {}, "runtime_info": {}, "resumed_keys": {}},
            optimizer={
                "state": {},
                "param_groups": [
                    {
                        "lr": 0.0,
                        "momentum": 0,
                        "dampening": 0,
                        "weight_decay": 0,
                        "nesterov": False,
                        "maximize": False,
                        "foreach": None,
                        "differentiable": False,
                        "fused": None,
                        "params": [0, 1],
                    }
                ],
            },
        )
    path = tmp / name
    torch.save(ckpt, path)
    return str(path)


@experiment("IL311", "Pretrained init_cfg (weights 1) and load_from (weights 2): train()")
def load_from_overrides_init(tmp: Path) -> Any:
    a = _checkpoint(tmp, "pretrained.pth", 1.0, full=False)
    b = _checkpoint(tmp, "load_from.pth", 2.0, full=False)
    runner = _toy_runner(tmp, init_cfg=dict(type="Pretrained", checkpoint=a), load_from=b)
    runner.train()
    return {
        "weight after train()": runner.model.linear.weight.tolist(),
        "note": "init_weights() loads the Pretrained first, load_or_resume() overwrites",
    }


@experiment("IL312", "resume_from=<full checkpoint of epoch 12> in the config (MMEngine Runner)")
def resume_from_ignored(tmp: Path) -> Any:
    ckpt = _checkpoint(tmp, "epoch_12.pth", 5.0, full=True)
    runner = _toy_runner(tmp, resume_from=ckpt, epochs=13)
    runner.train()
    return {
        "epoch after train()": runner.epoch,
        "weight": runner.model.linear.weight.tolist(),
        "note": "started at epoch 0 with the model's own init: resume_from was never read",
    }


@experiment("IL313", "resume=True, load_from=<published model-zoo checkpoint: meta+state_dict>")
def resume_published(tmp: Path) -> Any:
    ckpt = _checkpoint(tmp, "faster_rcnn_r50_fpn_1x_coco_20200130-047c8118.pth", 3.0, full=False)
    runner = _toy_runner(tmp, resume=True, load_from=ckpt, epochs=12)
    runner.train()
    return runner.epoch


@experiment("IL313", "resume=True, load_from=<full checkpoint of epoch 12>, max_epochs=12")
def resume_full(tmp: Path) -> Any:
    ckpt = _checkpoint(tmp, "epoch_12.pth", 3.0, full=True)
    runner = _toy_runner(tmp, resume=True, load_from=ckpt, epochs=12)
    runner.train()
    return {
        "epoch": runner.epoch,
        "iter": runner.iter,
        "note": "train loop starts at epoch 12 of 12: no training step at all",
    }


@experiment("IL013", "load_from='torchvison://resnet50' (a misspelt scheme), Runner.train()")
def load_from_misspelt_scheme(tmp: Path) -> Any:
    runner = _toy_runner(tmp, load_from="torchvison://resnet50", epochs=1)
    runner.train()
    return runner.epoch


# -- IL314: Pretrained on a submodule from a whole-model checkpoint -----------------------------


@experiment(
    "IL314", "PretrainedInit on a backbone, whole-model checkpoint (keys 'backbone.*'), no prefix"
)
def pretrained_without_prefix(tmp: Path) -> Any:
    from mmengine.model import BaseModule

    class Backbone(BaseModule):
        def __init__(self, init_cfg: Any) -> None:
            super().__init__(init_cfg=init_cfg)
            self.linear = torch.nn.Linear(2, 1)

    ckpt = _checkpoint(tmp, "epoch_12.pth", 7.0, full=False, prefix="backbone.")
    module = Backbone(dict(type="Pretrained", checkpoint=ckpt))
    before = module.linear.weight.tolist()
    module.init_weights()
    with_prefix = Backbone(dict(type="Pretrained", checkpoint=ckpt, prefix="backbone."))
    with_prefix.init_weights()
    return {
        "unchanged": module.linear.weight.tolist() == before,
        "with prefix='backbone.'": with_prefix.linear.weight.tolist(),
    }


# -- IL315: frozen stages with random weights ----------------------------------------------------


@experiment("IL315", "mmdet ResNet(depth=18, frozen_stages=4) with no Pretrained")
def frozen_random(tmp: Path) -> Any:
    from mmdet.models.backbones import ResNet

    net = ResNet(depth=18, frozen_stages=4, norm_eval=True)
    net.init_weights()
    net.train()
    frozen = [n for n, p in net.named_parameters() if not p.requires_grad]
    total = sum(1 for _ in net.parameters())
    return {
        "frozen parameters": f"{len(frozen)} of {total}",
        "init_cfg": net.init_cfg,
        "note": "every trainable weight of the backbone is Kaiming-random and frozen",
    }


# -- IL201: `pretrained` on detectors, backbones, segmentors, classifiers ------------------------


@experiment("IL201", "mmdet 3.x FasterRCNN built with model.pretrained")
def detector_pretrained(tmp: Path) -> Any:
    from mmdet.registry import MODELS
    from mmdet.utils import register_all_modules

    register_all_modules()
    return MODELS.build(
        dict(
            type="FasterRCNN",
            pretrained="torchvision://resnet50",
            backbone=dict(type="ResNet", depth=18),
        )
    )


@experiment("IL201", "mmdet 3.x RetinaNet built with model.pretrained")
def single_stage_pretrained(tmp: Path) -> Any:
    from mmdet.registry import MODELS
    from mmdet.utils import register_all_modules

    register_all_modules()
    return MODELS.build(
        dict(
            type="RetinaNet",
            pretrained="torchvision://resnet50",
            backbone=dict(type="ResNet", depth=18),
            neck=None,
            bbox_head=dict(type="RetinaHead", num_classes=2, in_channels=512),
        )
    )


@experiment("IL201", "mmdet ResNet(pretrained='torchvision://resnet50')")
def backbone_pretrained(tmp: Path) -> Any:
    from mmdet.models.backbones import ResNet

    return ResNet(depth=18, pretrained="torchvision://resnet50").init_cfg


@experiment("IL201", "mmseg EncoderDecoder(pretrained=...) forwards it to the backbone")
def segmentor_pretrained(tmp: Path) -> Any:
    from mmengine.config import ConfigDict
    from mmseg.registry import MODELS
    from mmseg.utils import register_all_modules

    register_all_modules()
    model = MODELS.build(
        ConfigDict(
            type="EncoderDecoder",
            pretrained="open-mmlab://resnet18_v1c",
            backbone=dict(type="ResNetV1c", depth=18),
            decode_head=dict(
                type="FCNHead", in_channels=512, channels=8, num_classes=2, in_index=3
            ),
        )
    )
    return model.backbone.init_cfg


@experiment("IL201", "mmpretrain ImageClassifier(pretrained=...) becomes its init_cfg")
def classifier_pretrained(tmp: Path) -> Any:
    from mmpretrain.registry import MODELS
    from mmpretrain.utils import register_all_modules

    register_all_modules()
    model = MODELS.build(
        dict(type="ImageClassifier", pretrained="a.pth", backbone=dict(type="ResNet", depth=18))
    )
    return model.init_cfg


@experiment("IL201", "mmyolo YOLODetector built with model.pretrained")
def yolo_pretrained(tmp: Path) -> Any:
    mmstubs.allow_mmyolo()
    from mmyolo.registry import MODELS
    from mmyolo.utils import register_all_modules

    register_all_modules()
    return MODELS.build(
        dict(type="YOLODetector", pretrained="a.pth", backbone=dict(type="mmdet.ResNet", depth=18))
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated rule codes")
    parser.add_argument("--json", type=Path, help="write the outcomes as JSON here")
    args = parser.parse_args()
    logging.getLogger("py.warnings").setLevel(logging.ERROR)
    wanted = set(args.only.split(",")) if args.only else None
    _register_toy_data()
    rows = []
    start = os.getcwd()
    for rule, title, fn in EXPERIMENTS:
        if wanted and rule not in wanted:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            outcome = run(fn, Path(tmp))
            os.chdir(start)
        rows.append({"rule": rule, "experiment": title, **outcome})
        print(f"## {rule}: {title}")
        if outcome["raises"]:
            print(f"   RAISES {outcome['raises']}\n   at {outcome['at']}")
        else:
            print(f"   silent; result: {outcome['result']!r}"[:900])
        for line in outcome["log"] + outcome["warnings"]:
            print(f"   log {line}")
        for line in outcome["info"]:
            if any(word in line.lower() for word in ("checkpoint", "resum", "load")):
                print(f"   log {line}")
        print()
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, default=repr))
    return 0


if __name__ == "__main__":
    sys.exit(main())
