"""The cache never lies: after any sequence of edits, creations and deletions in a small
project (configs in three formats, `_base_` files, a model package, its `__init__.py`,
settings, suppression comments), a run from the cache reports exactly what a run without it
reports. Hypothesis draws the sequences; each step is checked warm against cold."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Optional

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import run_initlint
from .hostile import within

HEAD = "type='ToyHead', init_cfg=dict(type='Normal', layer='Conv2d', "
# Each file of the project, and the contents it may take (None: the file is absent).
SLOTS: dict[str, list[Optional[str]]] = {
    "configs/a.py": [
        None,
        f"model = dict({HEAD}stddev=0.01))\n",
        f"model = dict({HEAD}std=0.01))\n",
        "_base_ = '../_base_/m.py'\nmodel = dict(init_cfg=dict(override=dict(name='nope')))\n",
        f"_base_ = ['../_base_/m.py', '../_base_/n.py']\nmodel = dict({HEAD}std=0.01))\n",
        f"model = dict({HEAD}stddev=0.01))  # noqa: IL004\n",
        "model = dict(init_cfg=dict(type='Normal'\n",
        f"model = dict({HEAD}std=0.01, override=dict(type='Constant', name='fc', val=1)))\n",
    ],
    "configs/b.json": [
        None,
        '{"_base_": "../_base_/m.py", "model": {"init_cfg": {"type": "Normal", "std": 1}}}',
        '{"model": {"type": "ToyHead", "init_cfg": {"type": "Xavier", "gain": -1}}}',
        '{"model": ',
    ],
    "configs/c.yaml": [
        None,
        "_base_: ../_base_/n.py\nmodel:\n  init_cfg: {type: Kaiming, layer: BN}\n",
        "model:\n  type: ToyHead\n  init_cfg: {type: Kaiming, layer: Conv2d}  # noqa: IL004\n",
    ],
    "_base_/m.py": [
        None,
        f"model = dict({HEAD}std=0.01))\n",
        "model = dict(type='ToyHead', init_cfg=dict(type='Kaiming', layer='ReLU'))\n",
        "_base_ = './n.py'\nmodel = dict(init_cfg=dict(type='Constant', val=1))\n",
        "_base_ = './m.py'\n",
    ],
    "_base_/n.py": [
        None,
        "model = dict(init_cfg=[dict(type='Normal', layer='Conv2d'), "
        "dict(type='Constant', layer='Conv2d', val=1)])\n",
        "norm = dict(type='BN')\n",
    ],
    "toy/__init__.py": [None, "", "from .heads import ToyHead\n"],
    "toy/heads.py": [
        None,
        "from mmengine.model import BaseModule\nfrom mmengine.registry import MODELS\n\n\n"
        "@MODELS.register_module()\nclass ToyHead(BaseModule):\n"
        "    def __init__(self, init_cfg=None):\n        super().__init__(init_cfg)\n"
        "        self.conv = None\n        self.fc = None\n",
        "from mmengine.registry import MODELS\n\nfrom .blocks import Block\n\n\n"
        "@MODELS.register_module()\nclass ToyHead(Block):\n"
        "    def __init__(self, init_cfg=dict(type='Normal', layer='Conv2d',\n"
        "                 override=dict(type='Normal', name='cls'))):\n"
        "        super().__init__(init_cfg)\n",
        "class ToyHead(:\n",
    ],
    "toy/blocks.py": [
        None,
        "from mmengine.model import BaseModule\n\n\nclass Block(BaseModule):\n"
        "    def __init__(self, init_cfg=None):\n        super().__init__(init_cfg)\n"
        "        self.cls = None\n",
        "from mmengine.model import BaseModule\n\n\nclass Block(BaseModule):\n"
        "    def __init__(self, init_cfg=None):\n        super().__init__(init_cfg)\n",
    ],
    "pyproject.toml": [
        None,
        "[tool.initlint]\nignore = ['IL101']\n",
        "[tool.initlint]\nsource-roots = ['.']\n",
    ],
}
NAMES = sorted(SLOTS)
steps = st.lists(st.tuples(st.sampled_from(NAMES), st.integers(0, 7)), min_size=1, max_size=8)


def apply(root: Path, name: str, choice: int) -> None:
    options = SLOTS[name]
    text = options[choice % len(options)]
    path = root / name
    if text is None:
        path.unlink(missing_ok=True)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def lint(root: Path, cache: Optional[Path]) -> tuple[int, list[dict[str, object]]]:
    options = ["--cache-dir", str(cache)] if cache else ["--no-cache"]
    with within(60):
        run = run_initlint(
            "--output-format", "json", "--jobs", "1", "--source-root", ".", *options, ".", cwd=root
        )
    assert run.returncode in (0, 1, 2), run.stderr
    return run.returncode, json.loads(run.stdout) if run.stdout else [run.stderr]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({name: st.integers(0, 7) for name in NAMES}), steps)
def test_a_cached_run_equals_a_run_without_cache_after_any_edits(
    start: dict[str, int], edits: list[tuple[str, int]]
) -> None:
    with tempfile.TemporaryDirectory(prefix="initlint-warm-") as folder:
        root, cache = Path(folder) / "project", Path(folder) / "cache"
        root.mkdir()
        for name, choice in start.items():
            apply(root, name, choice)
        assert lint(root, cache) == lint(root, None)
        for name, choice in edits:
            apply(root, name, choice)
            assert lint(root, cache) == lint(root, None), (name, choice)
