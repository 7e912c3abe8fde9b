"""initlint never imports or runs what it lints, whichever way a config names a package.

A planted package leaves a mark file when its `__init__.py` runs. Configs name it as a
`default_scope`, in `pkg::` bases, in `custom_imports`, in lazy imports and `read_base`, and in
a scoped `type`; initlint lints them from the project root (`python -m initlint`, which puts the
working directory on `sys.path`), with `PYTHONPATH`, and through a real editable install. The
process boundary is what is tested here: `sys.path` is the process's own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PLANT = "open({mark!r}, 'a').write(__name__ + '\\n')\n"

CONFIGS = {
    "scope.py": "default_scope = 'mypkg.models'\n"
    "model = dict(type='Head', init_cfg=dict(type='Normal', layer='Conv2d'))\n",
    "scope_top.py": "default_scope = 'mypkg'\n"
    "model = dict(type='Head', init_cfg=dict(type='Normal', layer='Conv2d'))\n",
    "this.py": "default_scope = 'this.x'\n"
    "model = dict(type='Head', init_cfg=dict(type='Normal', layer='Conv2d'))\n",
    "pkg_base.py": "_base_ = ['mypkg::base.py']\n",
    "dotted_pkg_base.py": "_base_ = ['mypkg.configs::base.py']\n",
    "custom_imports.py": "custom_imports = dict(imports=['mypkg.models'])\n"
    "model = dict(type='mypkg.Head', init_cfg=dict(type='Xavier'))\n",
    "lazy.py": "from mypkg.models import Head\n"
    "model = dict(type=Head, init_cfg=dict(type='Normal', layer='Conv2d'))\n",
    "read_base.py": "from mmengine.config import read_base\n"
    "with read_base():\n"
    "    from mypkg.configs.base import *\n",
    "scoped_type.py": "model = dict(type='mypkg.models.Head', "
    "init_cfg=dict(type='mypkg.Xavier', layer='Conv2d'))\n",
}


def _plant(project: Path, mark: Path) -> None:
    package = project / "mypkg"
    for folder in (package, package / "models", package / "configs"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text(PLANT.format(mark=str(mark)))
    (package / "models" / "heads.py").write_text(
        "from mmengine.model import BaseModule\n"
        + PLANT.format(mark=str(mark))
        + "class Head(BaseModule):\n    def __init__(self, init_cfg=None):\n"
        "        super().__init__(init_cfg)\n"
    )
    base = "model = dict(type='Head', init_cfg=dict(type='Kaiming', layer='Conv2d', stddev=1))\n"
    (package / "configs" / "base.py").write_text(base)
    (package / ".mim" / "configs").mkdir(parents=True)
    (package / ".mim" / "configs" / "base.py").write_text(base)
    configs = project / "configs"
    configs.mkdir()
    for name, text in CONFIGS.items():
        (configs / name).write_text(text)


def _lint(cwd: Path, env: dict[str, str], prelude: str = "") -> subprocess.CompletedProcess[str]:
    code = (
        prelude + "from initlint.cli import main; main(['--no-cache', "
        "'--output-format', 'json', 'configs'])"
    )
    # Bytecode is written (as on a user's machine), into a folder of the test's own: a module
    # that is imported leaves its .pyc there.
    pycache = cwd.parent / "pycache"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **os.environ,
            "PYTHONDONTWRITEBYTECODE": "",
            "PYTHONPYCACHEPREFIX": str(pycache),
            **env,
        },
    )


def _assert_clean(result: subprocess.CompletedProcess[str], mark: Path, project: Path) -> None:
    assert result.returncode in (0, 1), result.stderr
    assert not mark.exists(), f"linted code ran: {mark.read_text()}"
    json.loads(result.stdout)  # nothing but the report on stdout (`this` prints a poem)
    compiled = [p for p in (project.parent / "pycache").rglob("*.pyc") if "mypkg" in p.parts]
    assert not compiled, f"modules of the project were compiled: {compiled}"


@pytest.mark.parametrize("how", ["project-root", "PYTHONPATH"])
def test_packages_on_the_path_are_read_never_imported(tmp_path: Path, how: str) -> None:
    project, mark = tmp_path / "project", tmp_path / "MARK"
    _plant(project, mark)
    if how == "project-root":  # `python -c` puts the working directory first on sys.path
        result = _lint(project, {})
    else:
        elsewhere = tmp_path / "elsewhere"
        (elsewhere / "configs").mkdir(parents=True)
        for name in CONFIGS:
            (elsewhere / "configs" / name).write_text((project / "configs" / name).read_text())
        result = _lint(elsewhere, {"PYTHONPATH": str(project)})
    _assert_clean(result, mark, project)


def test_an_editable_install_is_read_never_imported(tmp_path: Path) -> None:
    project, mark = tmp_path / "project", tmp_path / "MARK"
    _plant(project, mark)
    (project / "pyproject.toml").write_text(
        '[project]\nname = "mypkg"\nversion = "0.1"\n[build-system]\n'
        'requires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
        '[tool.setuptools.packages.find]\ninclude = ["mypkg*"]\n'
    )
    prefix = tmp_path / "prefix"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-e",
            str(project),
            "--prefix",
            str(prefix),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [site] = prefix.glob("lib/python*/site-packages")
    assert list(site.glob("__editable__*finder.py")), "not a setuptools editable install"
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "configs").mkdir(parents=True)
    for name in CONFIGS:
        (elsewhere / "configs" / name).write_text((project / "configs" / name).read_text())
    prelude = f"import site; site.addsitedir({str(site)!r}); "
    result = _lint(elsewhere, {}, prelude)
    _assert_clean(result, mark, project)
    # The package was found through the editable mapping: its base's init_cfg was checked.
    reported = {Path(d["filename"]).name for d in json.loads(result.stdout)}
    assert "base.py" in reported
