"""Generated configs (branches on the environment and on the bases, loops, try, aliases, copies,
in-place changes, `_base_` method calls) merged by initlint once and by `Config.fromfile` under
every environment they branch on: initlint never claims an init_cfg the runtime does not have.
"""

from __future__ import annotations

import os
import random
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import given, seed, settings
from hypothesis import strategies as st

from initlint.config.loader import ConfigLoader

from .mmengine_configs import disagreements, runtime_init_cfgs

BASE = (
    "init = dict(type='Kaiming', layer='Conv2d')\n"
    "model = dict(type='M', backbone=dict(type='B', init_cfg=init),\n"
    "             neck=dict(type='N', init_cfg=dict(type='Xavier', layer='Conv2d')),\n"
    "             head=dict(type='H', init_cfg=[dict(type='Normal', layer='Linear')]))\n"
)
START = (
    "_base_ = './base.py'\n"
    "import os\n"
    "import copy\n"
    "a = dict(type='A', init_cfg=dict(type='Kaiming', layer='Conv2d'),\n"
    "         sub=dict(init_cfg=None))\n"
    "b = dict(type='B', init_cfg=None)\n"
    "c = a\n"
    "m2 = dict(init_cfg=None)\n"
)
PLACES = [
    "a",
    "b",
    "c",
    "m2",
    "model",
    "_base_.model",
    "_base_.model.backbone",
    "_base_.model['neck']",
    "a['sub']",
    "_base_.init",
]
CONDITIONS = [
    "os.environ.get('A')",
    "os.environ.get('B')",
    "not os.environ.get('A')",
    "os.environ.get('A') and os.environ.get('B')",
    "hasattr(_base_, 'model')",
    "'neck' in _base_.model",
]
ITEMS = ["[1, 2]", "[]", "os.environ.get('A', 'x').split(',')"]


def _statement(r: random.Random, depth: int) -> str:
    place, name, other = r.choice(PLACES), r.choice("abc"), r.choice(PLACES)
    choices = [
        f"{name} = dict(type='T', init_cfg=dict(type='Kaiming', layer='Conv2d'),\n"
        "    sub=dict(init_cfg=dict(type='Normal', layer='Linear')))",
        f"{name} = {other}",
        f"{place}['init_cfg'] = dict(type='Xavier', layer='{r.choice(['Conv2d', 'Linear'])}')",
        f"{place}['init_cfg']['layer'] = '{r.choice(['Linear', 'BatchNorm2d'])}'",
        f"{place}.update(dict(init_cfg=dict(type='Constant', val={r.randint(0, 2)})))",
        f"{place}.pop('init_cfg', None)",
        f"{name} = {other} if {r.choice(CONDITIONS)} else {r.choice(PLACES)}",
        f"{name} = {other} if {r.choice(CONDITIONS)} else {r.choice(PLACES)}\n"
        f"{name}['init_cfg'] = dict(type='Uniform', layer='Conv2d')",
        f"{name} = copy.deepcopy({other})",
        f"{name} = {other}.copy()",
        f"{name} = {other}.get('init_cfg')",
        "m2 = _base_.pop('model', None) or dict(init_cfg=None)",
    ]
    if depth < 2:
        inner = depth + 1
        choices += [
            f"if {r.choice(CONDITIONS)}:\n{_block(r, inner)}"
            + (f"\nelse:\n{_block(r, inner)}" if r.random() < 0.5 else ""),
            f"for k in {r.choice(ITEMS)}:\n{_block(r, inner)}",
            f"try:\n{_block(r, inner)}\n    "
            + r.choice(["raise ValueError", "int(os.environ.get('A') or 'x')", "pass"])
            + f"\nexcept ValueError:\n{_block(r, inner)}",
        ]
    return r.choice(choices)


def _block(r: random.Random, depth: int) -> str:
    lines = "\n".join(_statement(r, depth) for _ in range(r.randint(1, 3)))
    return "\n".join("    " + line for line in lines.splitlines())


def program(r: random.Random) -> str:
    body = "\n".join(_statement(r, 0) for _ in range(r.randint(1, 4)))
    end = r.choice(
        ["", "model = dict(neck=dict(init_cfg=dict(layer='Linear')))", "model = dict(backbone=a)"]
    )
    return f"{START}{body}\n{end}\n"


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@seed(20261201)
@settings(max_examples=80, deadline=None, database=None)
@given(st.randoms(use_true_random=False))
def test_generated_config_never_claims_what_the_runtime_lacks(r: random.Random) -> None:
    source = program(r)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "base.py").write_text(BASE)
        path = Path(folder) / "cfg.py"
        path.write_text(source)
        loaded = ConfigLoader().load(path)
        for a in ("", "1"):
            for b in ("", "1"):
                with _environment({"A": a, "B": b}), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    try:
                        runtime = runtime_init_cfgs(path)
                    except Exception:  # this path raises: no config to compare with
                        continue
                assert disagreements(loaded, runtime) == [], (a, b, source)
