"""What the config-stage rules read from a merged config: its library, the datasets each split
builds (through wrappers), the number of classes each one reports, and the heads whose outputs
are those classes. Everything that cannot be seen is None (never reported).

The facts and their sources are in docs/finetune-evidence.md: the wrappers and how they pass
metainfo on (§2), the heads each library's models have, and the dataset classes read from
their `METAINFO` statically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..config.sites import type_name, type_scope
from ..values import ClassRef, DictValue, Node, PathPart, Scalar, SeqValue, Span, format_path

# The libraries whose models and datasets these rules know, and what each depends on.
LIBRARIES = ("mmdet", "mmseg", "mmpretrain", "mmyolo")
# Dataset wrappers: the argument holding what they wrap. Their metainfo is the inner one's
# (mmengine dataset_wrapper.py, mmdet/mmseg MultiImageMixDataset, mmpretrain KFoldDataset);
# a ConcatDataset's parts keep their own in mmdet (and must agree in mmengine).
WRAPPERS = {
    "RepeatDataset": "dataset",
    "ClassBalancedDataset": "dataset",
    "MultiImageMixDataset": "dataset",
    "KFoldDataset": "dataset",
    "ConcatDataset": "datasets",
}
SPLITS = ("train", "val", "test")
# Heads with a `num_classes` that is not the dataset's number of classes: open-vocabulary heads
# (the text tokens) and STDC's binary detail head.
NOT_A_CLASS_COUNT = frozenset({"GroundingDINOHead", "ATSSVLFusionHead", "STDCHead"})
# Where released configs live inside an installed package.
PACKAGE_CONFIGS = re.compile(r"(?:^|/)(mm\w+)/\.mim/configs/")

Path = tuple[PathPart, ...]


def config_library(keys: DictValue, name: str) -> Optional[str]:
    """The library a config belongs to: its `default_scope`, the scope of its model, or the
    package its file ships in."""
    scope = keys.get("default_scope")
    if isinstance(scope, Scalar) and scope.value in LIBRARIES:
        return str(scope.value)
    model = keys.get("model")
    if isinstance(model, DictValue):
        for found in (_scalar(model.get("_scope_")), type_scope(model.get("type"))):
            if found in LIBRARIES:
                return found
    match = PACKAGE_CONFIGS.search(name.replace("\\", "/"))
    if match and match.group(1) in LIBRARIES:
        return match.group(1)
    return None


def _scalar(node: Optional[Node]) -> Optional[str]:
    return node.value if isinstance(node, Scalar) and isinstance(node.value, str) else None


def short_type(node: Optional[Node]) -> Optional[str]:
    """The class name a `type` names (`'mmdet.CocoDataset'`, `CocoDataset` imported)."""
    return type_name(node)


@dataclass(frozen=True)
class DatasetRef:
    """One dataset a split builds: the dict, where it is in the config, and the registry scope
    its `type` is looked up in."""

    split: str
    path: Path
    node: DictValue
    scope: Optional[str]

    @property
    def shown(self) -> str:
        return format_path(self.path)


def split_datasets(keys: DictValue, default_scope: Optional[str]) -> list[DatasetRef]:
    """The datasets of `train_dataloader`, `val_dataloader`, `test_dataloader`, through
    wrappers (one per part of a ConcatDataset)."""
    found: list[DatasetRef] = []
    for split in SPLITS:
        loader = keys.get(f"{split}_dataloader")
        if isinstance(loader, DictValue):
            _walk(
                loader.get("dataset"),
                split,
                (f"{split}_dataloader", "dataset"),
                _scope_of(loader, default_scope),
                found,
            )
    return found


def _scope_of(node: DictValue, outer: Optional[str]) -> Optional[str]:
    return _scalar(node.get("_scope_")) or outer


def _walk(
    node: Optional[Node], split: str, path: Path, scope: Optional[str], found: list[DatasetRef]
) -> None:
    if not isinstance(node, DictValue):
        return
    scope = _scope_of(node, scope)
    wrapped = WRAPPERS.get(short_type(node.get("type")) or "")
    if wrapped is None:
        found.append(DatasetRef(split, path, node, scope))
        return
    inner = node.get(wrapped)
    if isinstance(inner, SeqValue):
        for i, item in enumerate(inner.items):
            _walk(item, split, (*path, wrapped, i), scope, found)
    else:
        _walk(inner, split, (*path, wrapped), scope, found)


def lookup_name(ref_type: Optional[Node], scope: Optional[str]) -> Optional[tuple[str, str]]:
    """(registry name, package) a `type` is looked up as, or None when not a plain name."""
    name = short_type(ref_type)
    if name is None or isinstance(ref_type, ClassRef):
        return None
    package = type_scope(ref_type) or scope
    return (name, package) if package else None


@dataclass(frozen=True)
class ClassCount:
    """How many classes a dataset reports, and where that comes from: the classes written in
    the config (`span` set), or the dataset class's own METAINFO (`span` None)."""

    count: int
    span: Optional[Span]
    source: str  # e.g. "its metainfo", "CocoDataset's own METAINFO"


@dataclass(frozen=True)
class Head:
    """A `num_classes` whose outputs are the dataset's classes (or, for an assigner, the
    width it one-hot encodes labels to)."""

    path: Path  # to the `num_classes` key
    value: int
    span: Optional[Span]
    role: str  # "head" or "assigner"

    @property
    def shown(self) -> str:
        return format_path(self.path)


def heads(model: Optional[Node], library: Optional[str]) -> list[Head]:
    """The heads of a model whose outputs are the dataset's classes, by library: mmdet and
    mmyolo `roi_head.bbox_head` (each Cascade/HTC stage), `roi_head.mask_head`, `bbox_head`,
    `mask_head`, mmyolo `bbox_head.head_module`; mmseg `decode_head`, `auxiliary_head`; mmpretrain
    `head`. Never `rpn_head` (one class: object) or semantic/stuff heads."""
    found: list[Head] = []
    if not isinstance(model, DictValue):
        return found
    root: Path = ("model",)
    if library in ("mmdet", "mmyolo"):
        roi = model.get("roi_head")
        if isinstance(roi, DictValue):
            for key in ("bbox_head", "mask_head"):
                _heads(roi.get(key), (*root, "roi_head", key), found)
        for key in ("bbox_head", "mask_head"):
            _heads(model.get(key), (*root, key), found)
        bbox = model.get("bbox_head")
        if library == "mmyolo" and isinstance(bbox, DictValue):
            _heads(bbox.get("head_module"), (*root, "bbox_head", "head_module"), found)
    elif library == "mmseg":
        for key in ("decode_head", "auxiliary_head"):
            _heads(model.get(key), (*root, key), found)
    elif library == "mmpretrain":
        _heads(model.get("head"), (*root, "head"), found)
    return found


def _heads(node: Optional[Node], path: Path, found: list[Head], role: str = "head") -> None:
    if isinstance(node, SeqValue):
        for i, item in enumerate(node.items):
            _heads(item, (*path, i), found, role)
        return
    if not isinstance(node, DictValue) or short_type(node.get("type")) in NOT_A_CLASS_COUNT:
        return
    entry = node.entries.get("num_classes")
    value = entry.value if entry is not None else None
    if (
        isinstance(value, Scalar)
        and isinstance(value.value, int)
        and not isinstance(value.value, bool)
    ):
        assert entry is not None
        found.append(Head((*path, "num_classes"), value.value, value.span or entry.key_span, role))


def assigners(model: Optional[Node]) -> list[Head]:
    """mmyolo's assigners, which one-hot encode labels to their own `num_classes`."""
    found: list[Head] = []
    train_cfg = model.get("train_cfg") if isinstance(model, DictValue) else None
    if isinstance(train_cfg, DictValue):
        for key in ("assigner", "initial_assigner"):
            _heads(train_cfg.get(key), ("model", "train_cfg", key), found, "assigner")
    return found


def classes_length(node: Optional[Node]) -> Optional[int]:
    """The number of classes a `classes` value lists (a str is not a list: None)."""
    return len(node.items) if isinstance(node, SeqValue) else None
