"""Shared test helpers: running the command line (in this process, or in a real one where the
process boundary is what is tested), snapshot files, and keeping the repository clean: caches go
to a temporary folder, and a run that leaves a new file in the checkout fails."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

# Nothing a test runs may write a cache into the checkout: initlint's, hypothesis's.
_CACHES = tempfile.TemporaryDirectory(prefix="initlint-test-caches-")
os.environ["INITLINT_CACHE_DIR"] = str(Path(_CACHES.name) / "initlint")
os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = str(Path(_CACHES.name) / "hypothesis")

from hypothesis import settings  # noqa: E402  (after its storage folder is set)

settings.register_profile("initlint", database=None)
settings.load_profile("initlint")

from initlint.read import content_hash  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"

# A config with one mistake (IL004, `stddev`), and the same config fixed.
BAD_CONFIG = """model = dict(
    type='RetinaNet',
    bbox_head=dict(
        type='RetinaHead',
        init_cfg=dict(type='Normal', layer='Conv2d', stddev=0.01)))
"""
GOOD_CONFIG = BAD_CONFIG.replace("stddev", "std")
# A config with mistakes of two rules (IL004, and IL101: Kaiming without `layer`).
TWO_RULES_CONFIG = """model = dict(
    type='RetinaNet',
    bbox_head=dict(
        type='RetinaHead',
        init_cfg=dict(type='Normal', layer='Conv2d', stddev=0.01)),
    neck=dict(type='FPN', init_cfg=dict(type='Kaiming')))
"""


@dataclass
class Run:
    """What a run of the command line printed, and its exit code."""

    returncode: int
    stdout: str
    stderr: str


def run_initlint(
    *args: str, cwd: Path = ROOT, stdin: str | None = None, env: dict[str, str] | None = None
) -> Run:
    """`initlint ARGS` in this process, as the console script runs it: its argv, working
    directory, environment and standard streams (a bytes stdin, a non-terminal stdout)."""
    from initlint.cli import main

    out, err = io.StringIO(), io.StringIO()
    data = io.TextIOWrapper(io.BytesIO((stdin or "").encode("utf-8")), encoding="utf-8")
    code = 0
    with (
        _environment({"NO_COLOR": "1", **(env or {})}),
        _working_directory(cwd),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        _stdin(data),
    ):
        try:
            main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    return Run(code, out.getvalue(), err.getvalue())


def run_initlint_process(
    *args: str, cwd: Path = ROOT, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m initlint ARGS` in a real subprocess: for what only a process shows (the
    exit status the shell sees, a real standard input, the interpreter's own start)."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "initlint", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
    )


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    saved = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(saved)


@contextlib.contextmanager
def _stdin(stream: io.TextIOWrapper) -> Iterator[None]:
    saved, sys.stdin = sys.stdin, stream
    try:
        yield
    finally:
        sys.stdin = saved


def assert_snapshot(name: str, actual: str) -> None:
    """Compare with tests/snapshots/NAME; INITLINT_UPDATE_SNAPSHOTS=1 rewrites it (deliberately)."""
    path = SNAPSHOTS / name
    if os.environ.get("INITLINT_UPDATE_SNAPSHOTS") == "1":
        path.write_text(actual, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"no snapshot {name}: run with INITLINT_UPDATE_SNAPSHOTS=1, review, commit")
    assert actual == path.read_text(encoding="utf-8")


# -- the checkout stays clean --------------------------------------------------------------------
def _untracked() -> Optional[set[str]]:
    """Files in the checkout git does not track (ignored ones too); None outside a checkout."""
    try:
        result = subprocess.run(
            ["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    return {
        line[3:]
        for line in result.stdout.splitlines()
        if line[:2] in ("??", "!!") and not line[3:].startswith(".venv/")
    }


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_BEFORE] = _untracked()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = session.config.stash.get(_BEFORE, None)
    after = _untracked() if before is not None else None
    if before is None or after is None:
        return
    new = sorted(f for f in after - before if "__pycache__" not in f)
    if new:
        print(f"\nthe tests wrote into the checkout: {new[:10]}", file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_BEFORE = pytest.StashKey[Optional[set[str]]]()


# -- a project shaped like mmdet's retinanet configs -------------------------------------------
RETINANET_BASE = "configs/_base_/models/retinanet_r50_fpn.py"
# The model base as an edit leaves it: `type` dropped from the backbone's init_cfg (the r50
# configs that inherit it raise; those that set their own Pretrained do not), and a Constant
# entry without `val` in a list (final: no child can complete a list item).
RETINANET_BASE_EDITED = """# model settings
model = dict(
    type='RetinaNet',
    data_preprocessor=dict(
        type='DetDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_size_divisor=32),
    backbone=dict(
        type='ResNet',
        depth=50,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        frozen_stages=1,
        norm_cfg=dict(type='BN', requires_grad=True),
        norm_eval=True,
        style='pytorch',
        init_cfg=dict(checkpoint='torchvision://resnet50')),
    neck=dict(
        type='FPN',
        in_channels=[256, 512, 1024, 2048],
        out_channels=256,
        start_level=1,
        add_extra_convs='on_input',
        num_outs=5),
    bbox_head=dict(
        type='RetinaHead',
        num_classes=80,
        in_channels=256,
        stacked_convs=4,
        feat_channels=256,
        init_cfg=[
            dict(type='Normal', layer='Conv2d', std=0.01,
                 override=dict(type='Normal', name='retina_cls', std=0.01, bias_prob=0.01)),
            dict(type='Constant', layer='GroupNorm')]))
"""
RETINANET_BASE_GOOD = RETINANET_BASE_EDITED.replace(
    "init_cfg=dict(checkpoint=", "init_cfg=dict(type='Pretrained', checkpoint="
).replace("layer='GroupNorm')", "layer='GroupNorm', val=1)")
RETINANET_TREE = {
    RETINANET_BASE: RETINANET_BASE_GOOD,
    "configs/_base_/datasets/coco_detection.py": "dataset_type = 'CocoDataset'\ndata_root = 'data/coco/'\n"
    "train_dataloader = dict(batch_size=2, dataset=dict(type=dataset_type, "
    "data_root=data_root))\n",
    "configs/_base_/schedules/schedule_1x.py": "train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=12, val_interval=1)\n"
    "optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='SGD', lr=0.02))\n",
    "configs/_base_/default_runtime.py": "default_scope = 'mmdet'\nload_from = None\nresume = False\n",
    "configs/retinanet/retinanet_r50_fpn_1x_coco.py": "_base_ = [\n    '../_base_/models/retinanet_r50_fpn.py',\n"
    "    '../_base_/datasets/coco_detection.py',\n"
    "    '../_base_/schedules/schedule_1x.py', '../_base_/default_runtime.py'\n]\n"
    "# optimizer\noptim_wrapper = dict(\n"
    "    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=0.0001))\n",
    "configs/retinanet/retinanet_r101_fpn_1x_coco.py": "_base_ = './retinanet_r50_fpn_1x_coco.py'\nmodel = dict(\n    backbone=dict(\n"
    "        depth=101,\n        init_cfg=dict(type='Pretrained',\n"
    "                      checkpoint='torchvision://resnet101')))\n",
    "configs/retinanet/retinanet_x101-64x4d_fpn_1x_coco.py": "_base_ = './retinanet_r50_fpn_1x_coco.py'\nmodel = dict(\n    backbone=dict(\n"
    "        type='ResNeXt',\n        depth=101,\n        groups=64,\n"
    "        base_width=4,\n        init_cfg=dict(\n"
    "            type='Pretrained', checkpoint='open-mmlab://resnext101_64x4d')))\n",
    "configs/free_anchor/freeanchor_r50_fpn_1x_coco.py": "_base_ = '../retinanet/retinanet_r50_fpn_1x_coco.py'\nmodel = dict(\n"
    "    bbox_head=dict(\n        _delete_=True,\n        type='FreeAnchorRetinaHead',\n"
    "        num_classes=80,\n        in_channels=256))\n",
    # Three levels down; with a mistake of its own (IL013), which is not the base's.
    "configs/free_anchor/freeanchor_r101_fpn_1x_coco.py": "_base_ = './freeanchor_r50_fpn_1x_coco.py'\nmodel = dict(\n    backbone=dict(\n"
    "        depth=101,\n        init_cfg=dict(type='Pretrained',\n"
    "                      checkpoint='torchvison://resnet101')))\n",
}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def stamped(entry: dict[str, object]) -> str:
    """A cache result as the database stores it: its JSON text after that text's digest
    (what a damaged entry needs to be taken for one initlint wrote)."""
    body = json.dumps(entry, separators=(",", ":"))
    return f"{content_hash(body.encode())} {body}"
