"""Same answers however initlint runs: one process or several, cold or from the cache, and
after a base file changes; a damaged cache entry is ignored and rewritten, never trusted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from initlint import runner
from initlint.diagnostics import to_dict
from initlint.runner import UnitResult, lint_paths
from initlint.target import Target

from .conftest import ROOT, run_initlint, stamped

TREES = ["fixtures/demo", "fixtures/configs", "fixtures/models"]


def _lint(tree: Path, jobs: int, cache: Path | None) -> list[dict[str, object]]:
    result = lint_paths([str(tree)], jobs=jobs, cache_dir=cache)
    return [to_dict(d) for d in result.diagnostics]


@pytest.fixture
def trees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture trees (so editing them is safe), as the working directory; a
    pool of workers even for these few files (what the tests compare)."""
    monkeypatch.setattr(runner, "UNITS_PER_WORKER", 2)
    for tree in TREES:
        shutil.copytree(ROOT / tree, tmp_path / tree)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_jobs_and_cache_give_identical_diagnostics(trees: Path) -> None:
    root = Path("fixtures")
    reference = _lint(root, jobs=1, cache=None)
    assert len(reference) > 20
    assert _lint(root, jobs=3, cache=None) == reference
    cache = trees / "cache"
    assert _lint(root, jobs=2, cache=cache) == reference  # cold, filling the cache
    assert _lint(root, jobs=1, cache=cache) == reference  # warm
    assert _lint(root, jobs=3, cache=cache) == reference  # warm, several processes


def test_editing_a_base_file_is_seen_through_the_cache(trees: Path) -> None:
    root = Path("fixtures/configs")
    cache = trees / "cache"
    before = _lint(root, jobs=2, cache=cache)
    base = root / "_base_" / "models" / "faster_rcnn_r50_fpn.py"
    base.write_text(base.read_text().replace("std=0.01)),", "stddev=0.01)),", 1))
    after_cold = _lint(root, jobs=1, cache=None)
    assert after_cold != before
    assert any(d["code"] == "IL004" and "stddev" in str(d["message"]) for d in after_cold)
    assert _lint(root, jobs=2, cache=cache) == after_cold  # warm, after the edit
    assert _lint(root, jobs=1, cache=cache) == after_cold


def test_editing_a_model_file_is_seen_through_the_cache(trees: Path) -> None:
    root = Path("fixtures/models")
    cache = trees / "cache"
    _lint(root, jobs=1, cache=cache)
    blocks = root / "toydet" / "models" / "layers" / "blocks.py"
    text = blocks.read_text()
    assert "self.norm2 = " in text
    blocks.write_text(text.replace("self.norm2 = ", "self.norm_two = "))
    assert _lint(root, jobs=1, cache=cache) == _lint(root, jobs=1, cache=None)


def test_editing_what_a_source_rule_reads_elsewhere_is_seen_through_the_cache(trees: Path) -> None:
    """IL110 reads the class a container holds (another file), IL102 on a complete index the
    whole package and what it imports: editing those files changes what a warm run reports
    (an optional import of a package that is not installed leaves the index incomplete)."""
    root = Path("fixtures/models")
    cache = trees / "cache"
    before = _lint(root, jobs=1, cache=cache)
    fc_module = root / "toydet" / "models" / "reid" / "fc_module.py"
    registry = root / "toyseg" / "registry.py"
    assert any(d["code"] == "IL110" and "FcModule" in str(d["message"]) for d in before)
    assert any(d["code"] == "IL102" and "Lineer" in str(d["message"]) for d in before)
    fc_module.write_text(
        fc_module.read_text().replace(
            "init_cfg=dict(type='Kaiming', layer='Linear')", "init_cfg=None"
        )
    )
    registry.write_text(
        registry.read_text() + "\ntry:\n    import nopkg\nexcept ImportError:\n    nopkg = None\n"
    )
    after = _lint(root, jobs=1, cache=None)
    assert not any("FcModule" in str(d["message"]) or "Lineer" in str(d["message"]) for d in after)
    assert _lint(root, jobs=1, cache=cache) == after


def _database(cache: Path) -> Path:
    [database] = cache.rglob("*.json")
    return database


@pytest.mark.parametrize(
    "damage", ["truncate", "garbage", "empty", "not-a-table", "damaged-entries"]
)
def test_a_damaged_cache_is_ignored_and_rewritten(trees: Path, damage: str) -> None:
    root = Path("fixtures")
    cache = trees / "cache"
    reference = _lint(root, jobs=1, cache=cache)
    database = _database(cache)
    text = database.read_text()
    if damage == "truncate":
        database.write_text(text[: len(text) // 2])
    elif damage == "garbage":
        database.write_bytes(b"\x00\xff not json")
    elif damage == "empty":
        database.write_text("")
    elif damage == "not-a-table":
        database.write_text("[1, 2, 3]")
    else:  # valid JSON whose entries are not what they claim, under digests that match
        data = json.loads(text)
        for unit, stored in data["results"].items():
            entry = json.loads(stored.partition(" ")[2])
            entry["diagnostics"] = [{"code": "IL999"}] if "demo" in unit else None
            entry.pop("deps", None) if "configs" in unit else None
            data["results"][unit] = stamped(entry)
        data["comments"] = {digest: "??" for digest in data["comments"]}
        database.write_text(json.dumps(data))
    assert _lint(root, jobs=1, cache=cache) == reference
    rewritten = json.loads(database.read_text())  # rewritten whole, and usable again
    assert len(rewritten["results"]) == len(json.loads(text)["results"])
    assert _lint(root, jobs=1, cache=cache) == reference


def test_cli_cache_is_tagged_and_no_cache_bypasses_it(trees: Path) -> None:
    default = {"INITLINT_CACHE_DIR": ""}  # the default place, in the project root
    first = run_initlint("--output-format", "json", "fixtures/demo", cwd=trees, env=default)
    assert (trees / ".initlint_cache" / "CACHEDIR.TAG").is_file()
    second = run_initlint("--output-format", "json", "fixtures/demo", cwd=trees, env=default)
    assert first.stdout == second.stdout
    shutil.rmtree(trees / ".initlint_cache")
    third = run_initlint(
        "--no-cache",
        "--jobs",
        "1",
        "--output-format",
        "json",
        "fixtures/demo",
        cwd=trees,
        env=default,
    )
    assert third.stdout == first.stdout
    assert not (trees / ".initlint_cache").exists()


TOY_HEAD = (
    "from mmengine.model import BaseModule\nfrom mmengine.registry import MODELS\n\n\n"
    "@MODELS.register_module()\nclass ToyHead(BaseModule):\n"
    "    def __init__(self, init_cfg=None):\n        super().__init__(init_cfg)\n"
    "        self.conv = None\n"
)


def test_an_edit_to_a_registry_file_of_a_config_root_changes_the_answer_where_it_must(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A package given with --config-root is the project's: its modules' contents are what
    the cached results depend on (the registry digest), not a signature of every file in it.
    Renaming a registration changes the answer; an edit elsewhere in the package leaves the
    config's cached result in use."""
    package = tmp_path / "toypkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "heads.py").write_text(TOY_HEAD)
    (package / "other.py").write_text("VALUE = 1\n")
    config = tmp_path / "configs" / "a.py"
    config.parent.mkdir()
    config.write_text(
        "default_scope = 'toypkg'\nmodel = dict(type='ToyHead', init_cfg=dict("
        "type='Normal', layer='Conv2d', override=dict(name='cls', type='Normal')))\n"
    )
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "cache"
    roots = {"toypkg": package}

    def lint(cached: bool) -> list[str]:
        result = lint_paths(
            ["configs"], jobs=1, config_roots=roots, cache_dir=cache if cached else None
        )
        return [d.code for d in result.diagnostics]

    assert lint(True) == lint(False) == ["IL010"]  # ToyHead has no attribute 'cls'
    linted: list[str] = []
    real = runner._Worker.run

    def counted(self: runner._Worker, unit: str, target: Target = "mmengine") -> UnitResult:
        linted.append(unit)
        return real(self, unit, target)

    monkeypatch.setattr(runner._Worker, "run", counted)
    (package / "other.py").write_text("VALUE = 2\n")
    assert lint(True) == ["IL010"]
    assert linted == []  # served from the cache: nothing it depends on changed
    (package / "heads.py").write_text(
        TOY_HEAD.replace("register_module()", "register_module(name='Other')")
    )
    assert lint(True) == lint(False) == []  # the registry no longer names ToyHead
    assert linted
