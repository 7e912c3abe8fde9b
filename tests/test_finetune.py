"""The fine-tuning rules (IL201, IL207, IL301-IL306, IL311-IL315, IL013 on `load_from`) on the
fixture trees of fixtures/finetune, shaped like the official configs (Cascade lists, dataset
wrappers, lazy configs, `_base_` chains), with the dataset classes read from the real releases'
sources (the corpus cache). Each tree's verdict is in its README, from the runtime
(docs/finetune-evidence.md); what initlint sees of each merged config (the heads, the classes
of each dataset's metainfo) is compared with `mmengine.Config.fromfile`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from initlint.checks.context import ConfigContext
from initlint.config.loader import ConfigLoader
from initlint.engine import Engine
from initlint.project.index import ProjectIndex
from initlint.runner import lint_paths
from initlint.values import format_path

from .conftest import ROOT
from .corpus import unpacked

pytestmark = pytest.mark.slow  # it reads the releases from the corpus cache

FIXTURES = ROOT / "fixtures" / "finetune"
# The codes of the fine-tuning rules (and IL013, which judges `load_from` too).
CODES = re.compile(r"IL(201|207|30[1-6]|31[1-5]|013)$")
VERDICT = re.compile(r"^- `([^`]+)` \((\w+)\) -> ([^:]+): ")


def _verdicts() -> list[tuple[str, str, set[str]]]:
    found = []
    for readme in sorted(FIXTURES.rglob("README.md")):
        for line in readme.read_text(encoding="utf-8").splitlines():
            match = VERDICT.match(line)
            if match:
                config, library, expected = match.groups()
                codes = set() if expected == "nothing" else set(re.findall(r"IL\d{3}", expected))
                found.append((str((readme.parent / config).relative_to(ROOT)), library, codes))
    return found


VERDICTS = _verdicts()


def _roots() -> dict[str, Path]:
    return {lib: unpacked(lib) for lib in ("mmdet", "mmseg", "mmpretrain", "mmyolo")}


def test_every_fixture_config_has_a_verdict() -> None:
    configs = {
        str(p.relative_to(ROOT))
        for p in FIXTURES.rglob("*.py")
        if "_base_" not in p.relative_to(FIXTURES).parts
    }
    assert configs == {config for config, _, _ in VERDICTS}


@pytest.mark.parametrize(
    ("config", "library", "expected"), VERDICTS, ids=[v[0].split("finetune/")[1] for v in VERDICTS]
)
def test_fixture_gets_its_verdict(
    config: str, library: str, expected: set[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = lint_paths([config], config_roots=_roots(), jobs=1)
    # A config's own verdict, at its lines or its bases': what the configs inheriting it get
    # is theirs (a config is also checked through them, and their findings name their files).
    codes = {
        d.code
        for d in result.diagnostics
        if CODES.match(d.code)
        and (d.filename == config or "_base_" in Path(d.filename or "").parts)
    }
    assert codes == expected, [
        f"{d.filename}:{d.location}: {d.code} {d.message}"
        for d in result.diagnostics
        if CODES.match(d.code)
    ]


# -- what initlint sees against what the runtime merges -------------------------------------------


def _runtime(path: Path) -> dict[str, Any]:
    from mmengine.config import Config

    return Config.fromfile(str(path)).to_dict()


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, (list, tuple)) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return None
    return node


@pytest.mark.parametrize(
    ("config", "library", "expected"), VERDICTS, ids=[v[0].split("finetune/")[1] for v in VERDICTS]
)
def test_heads_and_metainfo_classes_are_the_runtimes(
    config: str, library: str, expected: set[str]
) -> None:
    path = ROOT / config
    roots = _roots()
    engine = Engine(ConfigLoader(roots), ProjectIndex(packages=roots))
    ctx = ConfigContext(engine.loader.load(path), engine.classes)
    runtime = _runtime(path)
    assert ctx.library == library
    for head in ctx.heads:
        assert _get(runtime, head.path) == head.value, format_path(head.path)
    seen = 0
    for ref in ctx.datasets:
        count = ctx.class_count(ref)
        if count is None or count.span is None:
            continue  # the class's own METAINFO: test_dataset_class_counts below
        classes = _get(runtime, (*ref.path, "metainfo", "classes"))
        assert isinstance(classes, (list, tuple)) and len(classes) == count.count, ref.shown
        seen += 1
    # Every dataset the runtime gives a metainfo with classes is one initlint counted.
    for ref in ctx.datasets:
        classes = _get(runtime, (*ref.path, "metainfo", "classes"))
        if isinstance(classes, (list, tuple)):
            count = ctx.class_count(ref)
            assert count is not None and count.count == len(classes), ref.shown


# The dataset classes' own number of classes, read statically (the survey checked this table
# against the imported classes: docs/finetune-evidence.md, "Dataset classes, read statically").
CLASS_COUNTS = [
    ("mmdet", "CocoDataset", 80),
    ("mmdet", "LVISDataset", 1230),
    ("mmdet", "LVISV1Dataset", 1203),
    ("mmdet", "CocoPanopticDataset", 80),
    ("mmdet", "VOCDataset", 20),
    ("mmdet", "CityscapesDataset", 8),
    ("mmdet", "Objects365V2Dataset", 365),
    ("mmdet", "BaseDetDataset", None),
    ("mmdet", "OpenImagesDataset", None),
    ("mmseg", "ADE20KDataset", 150),
    ("mmseg", "CityscapesDataset", 19),
    ("mmseg", "PascalVOCDataset", 21),
    ("mmseg", "BaseSegDataset", None),
    ("mmpretrain", "ImageNet", 1000),
    ("mmpretrain", "CIFAR100", 100),
    ("mmpretrain", "CustomDataset", None),
    ("mmpretrain", "ImageNet21k", None),
    ("mmyolo", "YOLOv5CocoDataset", 80),
    ("mmyolo", "YOLOv5VOCDataset", 20),
]


@pytest.mark.parametrize(
    ("library", "dataset", "count"),
    CLASS_COUNTS,
    ids=[f"{lib}.{name}" for lib, name, _ in CLASS_COUNTS],
)
def test_dataset_class_counts(library: str, dataset: str, count: int | None) -> None:
    from initlint.checks.configfacts import DatasetRef
    from initlint.values import DictValue, Entry, Scalar

    roots = _roots()
    engine = Engine(ConfigLoader(roots), ProjectIndex(packages=roots))
    loaded = engine.loader.load(ROOT / "fixtures" / "finetune" / "runner" / "resume_from.py")
    ctx = ConfigContext(loaded, engine.classes)
    node = DictValue(None, {"type": Entry(None, Scalar(None, dataset))})
    found = ctx.class_count(DatasetRef("train", ("train_dataloader", "dataset"), node, library))
    assert (found.count if found is not None else None) == count
