"""The pre-commit hook (.pre-commit-hooks.yaml), through the real `pre-commit try-repo`.

The hook is installed from a snapshot of this working tree (the files a wheel is built from,
committed into a temporary git repository, so uncommitted changes are what is tested), into a
temporary PRE_COMMIT_HOME, and run in a temporary git repository holding a config. Installing
the hook environment runs pip: initlint's dependencies come from the package index pip is
configured with (PyPI; libcst is not in this machine's local mirror). Without an index that
serves them the test is skipped, naming what pip could not find.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import BAD_CONFIG as BAD
from .conftest import GOOD_CONFIG as GOOD
from .conftest import RETINANET_BASE, RETINANET_BASE_EDITED, RETINANET_TREE, ROOT

# What pip says when no index it can reach serves a package.
NO_PACKAGE = (
    "No matching distribution found",
    "Could not find a version",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "Max retries exceeded",
)
# The files a wheel of initlint is built from (pyproject.toml's hatch settings).
PACKAGE_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "initlint", "rules")

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pre_commit") is None or shutil.which("git") is None,
    reason="needs pre-commit (in the `test` extra) and git",
)


class Env:
    def __init__(self, root: Path) -> None:
        config = root / "gitconfig"
        config.write_text("[init]\n\tdefaultBranch = main\n")
        self.vars = {
            **os.environ,
            "PRE_COMMIT_HOME": str(root / "pre-commit-home"),
            "GIT_CONFIG_GLOBAL": str(config),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
            "NO_COLOR": "1",
            "PRE_COMMIT_COLOR": "never",
        }

    def run(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, cwd=cwd, env=self.vars, capture_output=True, text=True, timeout=900
        )

    def git(self, *args: str, cwd: Path) -> None:
        result = self.run("git", *args, cwd=cwd)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Env, Path]]:
    """A git repository holding a snapshot of this working tree's package files."""
    root = tmp_path_factory.mktemp("precommit")
    env = Env(root)
    snapshot = root / "initlint-repo"
    snapshot.mkdir()
    for name in PACKAGE_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, snapshot / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            shutil.copy2(source, snapshot / name)
    env.git("init", "-q", cwd=snapshot)
    env.git("add", "-A", cwd=snapshot)
    env.git("commit", "-q", "-m", "snapshot", cwd=snapshot)
    yield env, snapshot


def user_repo(root: Path, env: Env, files: dict[str, str]) -> Path:
    repo = root / "project"
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir()
    env.git("init", "-q", cwd=repo)
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    env.git("add", "-A", cwd=repo)
    return repo


def try_repo(
    env: Env, snapshot: Path, repo: Path, *files: str, hook: str = "initlint"
) -> tuple[int, str]:
    result = env.run(
        sys.executable,
        "-m",
        "pre_commit",
        "try-repo",
        str(snapshot),
        hook,
        "--files",
        *files,
        cwd=repo,
    )
    output = result.stdout + result.stderr
    log = Path(env.vars["PRE_COMMIT_HOME"]) / "pre-commit.log"
    if "An unexpected error has occurred" in output and log.exists():
        text = log.read_text()
        missing = [
            line.strip()
            for line in text.splitlines()
            if any(reason in line for reason in NO_PACKAGE)
        ]
        if missing:
            pytest.skip(
                "pip could not install the hook's dependencies into its environment: " + missing[0]
            )
        output += text
    return result.returncode, output


def test_hook_fails_on_a_bad_config_and_passes_once_fixed(
    hook_repo: tuple[Env, Path], tmp_path: Path
) -> None:
    env, snapshot = hook_repo
    repo = user_repo(tmp_path, env, {"configs/model.py": BAD, "README.md": "# demo\n"})
    code, output = try_repo(env, snapshot, repo, "configs/model.py", "README.md")
    assert code == 1, output
    assert "initlint" in output and "Failed" in output
    assert (
        "configs/model.py:5:54: IL004 Normal takes no argument `stddev`; did you mean 'std'?"
    ) in output

    (repo / "configs" / "model.py").write_text(GOOD)
    env.git("add", "-A", cwd=repo)
    code, output = try_repo(env, snapshot, repo, "configs/model.py")
    assert code == 0, output
    assert "Passed" in output


def test_hook_honours_the_project_excludes(hook_repo: tuple[Env, Path], tmp_path: Path) -> None:
    env, snapshot = hook_repo
    repo = user_repo(
        tmp_path,
        env,
        {
            "pyproject.toml": '[tool.initlint]\nextend-exclude = ["legacy"]\n',
            "legacy/old.py": BAD,
            "configs/model.py": GOOD,
        },
    )
    code, output = try_repo(env, snapshot, repo, "legacy/old.py", "configs/model.py")
    assert code == 0, output
    assert "IL004" not in output


def test_a_staged_base_alone_is_checked_as_the_configs_that_inherit_it(
    hook_repo: tuple[Env, Path], tmp_path: Path
) -> None:
    """Only the `_base_` file is staged (three levels of configs inherit it, none staged):
    before, the hook passed; the r50 configs raise at init_weights()."""
    env, snapshot = hook_repo
    repo = user_repo(tmp_path, env, RETINANET_TREE)
    env.git("commit", "-q", "-m", "retinanet configs", cwd=repo)
    (repo / RETINANET_BASE).write_text(RETINANET_BASE_EDITED)
    env.git("add", RETINANET_BASE, cwd=repo)
    code, output = try_repo(env, snapshot, repo, RETINANET_BASE)
    assert code == 1, output
    assert f"{RETINANET_BASE}:19:18: IL002 init_cfg entry has no `type`" in output
    assert f"{RETINANET_BASE}:36:13: IL005 Constant needs `val`" in output
    assert "IL013" not in output  # an inheritor's own mistake is not the base's


SAFE_FIX = BAD.replace("stddev", "std").replace("type='Normal'", "type='normal'")


def test_fix_hook_fixes_the_file_and_fails_as_pre_commit_hooks_do(
    hook_repo: tuple[Env, Path], tmp_path: Path
) -> None:
    env, snapshot = hook_repo
    repo = user_repo(tmp_path, env, {"configs/model.py": SAFE_FIX})
    code, output = try_repo(env, snapshot, repo, "configs/model.py", hook="initlint-fix")
    assert code == 1, output
    assert "files were modified by this hook" in output
    assert (repo / "configs" / "model.py").read_text() == GOOD
    env.git("add", "-A", cwd=repo)
    code, output = try_repo(env, snapshot, repo, "configs/model.py", hook="initlint-fix")
    assert code == 0, output
    # What has no safe fix is left, reported, and fails the hook.
    (repo / "configs" / "model.py").write_text(BAD)
    env.git("add", "-A", cwd=repo)
    code, output = try_repo(env, snapshot, repo, "configs/model.py", hook="initlint-fix")
    assert code == 1 and "IL004" in output, output
    assert (repo / "configs" / "model.py").read_text() == BAD
