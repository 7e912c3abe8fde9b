"""Two fixture projects, one per generation (fixtures/generations/): the same configs, and the
same toy detector on mmcv 1.x's `mmcv.runner.BaseModule` or on MMEngine's. initlint detects
each project's target from its imports and reports exactly what each config's `# expect:`
line says for it; each config is then loaded and built by that generation's own runtime
(mmcv 1.7.2's `Config` and `Registry`, MMEngine's), and `init_weights()` raises exactly where
initlint reports an error. What the warnings IL105 and IL111 say about the weights is checked
on the built models too."""

from __future__ import annotations

import importlib
import json
import re
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import torch

from initlint.catalog import severity_of

from .conftest import ROOT, run_initlint
from .runtime_oracle_mmcv1 import mmcv

FIXTURES = ROOT / "fixtures" / "generations"
GENERATIONS = ("mmcv1", "mmengine")
EXPECT = re.compile(r"^# expect: mmcv1=(?P<mmcv1>[\w,]*) mmengine=(?P<mmengine>[\w,]*)$", re.M)
SEVEN = 7.0  # every weight of the toy checkpoint
# What each runtime raises for the error codes of the configs.
RAISES = {
    "IL001": TypeError,
    "IL003": AttributeError,
    "IL004": TypeError,
    "IL012": AssertionError,
    "IL013": FileNotFoundError,
    "IL208": AttributeError,
}


def _configs() -> list[Path]:
    return sorted((FIXTURES / "mmcv1" / "configs").glob("*.py"))


def _expected(config: Path, generation: str) -> list[str]:
    match = EXPECT.search(config.read_text(encoding="utf-8"))
    assert match is not None, f"{config.name} has no `# expect:` line"
    return sorted(c for c in match.group(generation).split(",") if c)


def test_the_two_projects_share_their_configs() -> None:
    for generation in GENERATIONS:
        ours = {
            p.relative_to(FIXTURES / generation / "configs"): p.read_bytes()
            for p in (FIXTURES / generation / "configs").rglob("*.py")
        }
        theirs = {
            p.relative_to(FIXTURES / "mmcv1" / "configs"): p.read_bytes()
            for p in (FIXTURES / "mmcv1" / "configs").rglob("*.py")
        }
        assert ours == theirs
    assert len(_configs()) >= 10


@pytest.mark.parametrize("generation", GENERATIONS)
def test_initlint_detects_the_target_and_reports_what_each_config_expects(generation: str) -> None:
    project = FIXTURES / generation
    result = run_initlint("--no-cache", "-v", "--output-format", "json", ".", cwd=project)
    assert f"[initlint] target: {generation} for {project}" in result.stderr
    found: dict[str, list[str]] = {}
    for d in json.loads(result.stdout):
        found.setdefault(Path(d["filename"]).name, []).append(d["code"])
    for config in _configs():
        assert sorted(found.pop(config.name, [])) == _expected(config, generation), config.name
    assert found == {}, "diagnostics outside the configs"


# -- the runtimes ---------------------------------------------------------------------------


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The configs' `checkpoint='toy.pth'`: a state dict for the backbone (`conv.*`) and for
    the detector (`backbone.conv.*`), every value 7."""
    full = torch.full((8, 3, 3, 3), SEVEN), torch.full((8,), SEVEN)
    torch.save(
        {
            "conv.weight": full[0],
            "conv.bias": full[1],
            "backbone.conv.weight": full[0],
            "backbone.conv.bias": full[1],
        },
        tmp_path / "toy.pth",
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _package(generation: str) -> Any:
    """The fixture's model package (mmcv 1.7.2 is imported by the oracle module already)."""
    folder = str(FIXTURES / generation)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(f"toygen_{generation}")


def _build(generation: str, config: Path) -> Any:
    """The model as the generation's runtime builds it from the config, initialised."""
    package = _package(generation)
    if generation == "mmcv1":
        cfg = mmcv.Config.fromfile(str(config))
    else:
        from mmengine.config import Config

        cfg = Config.fromfile(str(config))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = package.MODELS.build(cfg.model)
        with torch.no_grad():
            model.init_weights()
    return model


def _cases() -> Iterator[Any]:
    for generation in GENERATIONS:
        for config in _configs():
            yield pytest.param(generation, config.name, id=f"{generation}-{config.stem}")


# mmcv 1.x's Config.fromfile leaves its temporary file behind when the config raises.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize(("generation", "name"), list(_cases()))
def test_the_runtime_raises_exactly_where_initlint_reports_an_error(
    generation: str, name: str, workdir: Path
) -> None:
    config = FIXTURES / generation / "configs" / name
    errors = [c for c in _expected(config, generation) if severity_of(c) == "error"]
    try:
        _build(generation, config)
    except Exception as exc:
        assert errors, f"{generation} raised {exc!r} on {name}, initlint reports no error"
        assert isinstance(exc, tuple(RAISES[c] for c in errors)), repr(exc)
        return
    assert not errors, f"{generation} ran {name} through, initlint reports {errors}"


def _first(tensor: torch.Tensor) -> float:
    return float(tensor.detach().flatten()[0])


def test_what_the_warnings_say_happens(workdir: Path) -> None:
    configs = FIXTURES / "{}" / "configs"
    # IL105 (mmcv1): in a list, Kaiming after the Pretrained overwrites the loaded conv.
    v1 = _build("mmcv1", Path(str(configs).format("mmcv1")) / "list_pretrained_first.py")
    engine = _build("mmengine", Path(str(configs).format("mmengine")) / "list_pretrained_first.py")
    assert _first(v1.backbone.conv.weight) != SEVEN
    assert _first(engine.backbone.conv.weight) == SEVEN
    # IL111 (mmcv1): after a dict Pretrained the head's own init_cfg (bias_prob=0.01) never
    # runs; MMEngine runs it, then loads the checkpoint (which has no head).
    prior = -4.59511985013459  # -log((1 - 0.01) / 0.01)
    v1 = _build("mmcv1", Path(str(configs).format("mmcv1")) / "detector_pretrained.py")
    engine = _build("mmengine", Path(str(configs).format("mmengine")) / "detector_pretrained.py")
    assert _first(v1.backbone.conv.weight) == SEVEN == _first(engine.backbone.conv.weight)
    assert _first(v1.head.cls.bias) != pytest.approx(prior)
    assert _first(engine.head.cls.bias) == pytest.approx(prior)
    # IL105 (mmengine): 'mmengine.Pretrained' loads first, then Kaiming overwrites it.
    engine = _build("mmengine", Path(str(configs).format("mmengine")) / "mmengine_pretrained.py")
    assert _first(engine.backbone.conv.weight) != SEVEN
