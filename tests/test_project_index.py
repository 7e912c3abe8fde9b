"""The project index on small sources written for each case: what it tells the rules about a
class (whether its init_weights reads init_cfg its own way, ...)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Optional

import pytest

from initlint.project.index import ProjectIndex
from initlint.project.source import ClassFacts

HELPERS = """
import torch.nn as nn
from mmengine.model import BaseModule
from somepkg import Unseen


class Loader(BaseModule):
    def load(self):
        return self.init_cfg['checkpoint']

    def log(self):
        pass


class ViaBase(Loader):
    def init_weights(self):
        self.load()


class ViaSuper(Loader):
    def load(self):
        super().load()

    def init_weights(self):
        self.load()


class ViaTwoHops(Loader):
    def init_weights(self):
        self._step()

    def _step(self):
        self.apply(self._visit)

    def _visit(self, m):
        self.load()


class PassedOn(Loader):
    def init_weights(self):
        self.apply(self.load)


class NoHelperReads(Loader):
    def init_weights(self):
        self.log()
        self.modules()
        super().init_weights()


class AlwaysSuper(Loader):
    def init_weights(self):
        super().init_weights()
        self.load()


class FromUnseenBase(Unseen, BaseModule):
    def init_weights(self):
        self.convert_checkpoint()


class Inherits(ViaBase):
    pass
"""


def _index(tmp_path: Path, text: str, name: str = "pkg/mod.py") -> tuple[ProjectIndex, str]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    for parent in path.relative_to(tmp_path).parents:
        if parent != Path("."):
            (tmp_path / parent / "__init__.py").touch()
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    index = ProjectIndex([tmp_path])
    return index, index.add_file(path)


def _class(index: ProjectIndex, module: str, name: str) -> ClassFacts:
    facts = index.module(module)
    assert facts is not None
    return facts.classes[name]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ViaBase", True),
        ("ViaSuper", True),
        ("ViaTwoHops", True),
        ("PassedOn", True),
        ("NoHelperReads", False),
        ("AlwaysSuper", False),
        ("FromUnseenBase", True),
        ("Inherits", True),
        ("Loader", False),
    ],
)
def test_helpers_count_as_inline_code(tmp_path: Path, name: str, expected: Optional[bool]) -> None:
    index, module = _index(tmp_path, HELPERS)
    assert index.reads_own_init_cfg(_class(index, module, name)) is expected


INITS = """
import torch.nn as nn
from mmengine.model import BaseModule


def wrap(f):
    return f


class Drops(BaseModule):
    def __init__(self, channels=8, init_cfg=dict(type='Kaiming', layer='Conv2d')):
        super().__init__()
        self.channels = channels


class Deletes(nn.Module):
    def __init__(self, init_cfg=None):
        del init_cfg
        super().__init__()


class KwargsDropped(BaseModule):
    def __init__(self, channels=8, **kwargs):
        super().__init__()


class Forwards(BaseModule):
    def __init__(self, init_cfg=None):
        super().__init__(init_cfg=init_cfg)


class Stores(nn.Module):
    def __init__(self, init_cfg=None):
        super().__init__()
        self.init_cfg = init_cfg


class ReadsInClosure(BaseModule):
    def __init__(self, init_cfg=None):
        super().__init__()
        self.later = lambda: init_cfg


class Locals(BaseModule):
    def __init__(self, init_cfg=None):
        super().__init__(**{k: v for k, v in locals().items() if k == 'init_cfg'})


class Decorated(BaseModule):
    @wrap
    def __init__(self, init_cfg=None):
        super().__init__()


class KwargsForwarded(BaseModule):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)


class NoInitCfg(BaseModule):
    def __init__(self, channels=8):
        super().__init__()
"""


@pytest.mark.parametrize(
    ("name", "drops"),
    [
        ("Drops", True),
        ("Deletes", True),
        ("KwargsDropped", True),
        ("Forwards", False),
        ("Stores", False),
        ("ReadsInClosure", False),
        ("Locals", False),
        ("Decorated", False),
        ("KwargsForwarded", False),
        ("NoInitCfg", False),
    ],
)
def test_an_init_that_never_reads_init_cfg_drops_it(tmp_path: Path, name: str, drops: bool) -> None:
    index, module = _index(tmp_path, INITS)
    init = _class(index, module, name).init
    assert init is not None and init.drops_init_cfg is drops


@pytest.mark.parametrize(
    ("name", "stores"),
    [
        ("Drops", False),
        ("Deletes", False),
        ("KwargsDropped", False),
        ("Forwards", True),
        ("Stores", True),
        ("ReadsInClosure", False),
        ("KwargsForwarded", True),
        ("NoInitCfg", False),
    ],
)
def test_the_init_cfg_given_ends_in_self_init_cfg(tmp_path: Path, name: str, stores: bool) -> None:
    """What IL110 needs before it calls a module's init_cfg lost: that it was kept at all."""
    index, module = _index(tmp_path, INITS)
    assert index.stores_init_cfg(_class(index, module, name)) is stores
