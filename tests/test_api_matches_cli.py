"""The same value gets the same codes everywhere: every hand-written grammar case that a Python
config can spell, checked by `validate_init_cfg` and by linting a config that holds it, gives
the same diagnostics (code, path inside the value, message)."""

from __future__ import annotations

import ast
import math
from pathlib import Path
from typing import Any

import pytest

from initlint import validate_init_cfg
from initlint.runner import lint_paths

from .test_grammar_cases import CASES


def _spellable(value: Any) -> bool:
    """Whether a config's literal can hold exactly this value (no NaN, classes, numpy...)."""
    try:
        text = repr(value)
        again = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return False
    return _same(again, value) and "inf" not in text and "nan" not in text


def _same(a: Any, b: Any) -> bool:
    if isinstance(b, dict):
        return isinstance(a, dict) and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return bool(a == b) and not (isinstance(a, float) and math.isnan(a))


SPELLABLE = [(case_id, value) for case_id, value, _ in CASES if _spellable(value)]


def _shown(d: Any) -> tuple[str, str, str]:
    return d.code, d.path, d.message


@pytest.fixture(scope="module")
def linted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[str, str, str]]]:
    """Every case as `model = dict(init_cfg=VALUE)` in a config of its own, linted in one run."""
    root = tmp_path_factory.mktemp("cases")
    names = {}
    for i, (case_id, value) in enumerate(SPELLABLE):
        path = root / f"case_{i:03d}.py"
        path.write_text(f"model = dict(init_cfg={value!r})\n", encoding="utf-8")
        names[str(path)] = case_id
    result = lint_paths([str(root)], jobs=1)
    found: dict[str, list[tuple[str, str, str]]] = {case_id: [] for case_id, _ in SPELLABLE}
    for d in result.diagnostics:
        found[names[str(Path(d.filename or "").resolve())]].append(_shown(d))
    return found


def test_most_cases_are_spellable() -> None:
    assert len(SPELLABLE) > 200


@pytest.mark.parametrize(("case_id", "value"), SPELLABLE, ids=[c for c, _ in SPELLABLE])
def test_api_and_config_agree(
    linted: dict[str, list[tuple[str, str, str]]], case_id: str, value: Any
) -> None:
    assert sorted(linted[case_id]) == sorted(_shown(d) for d in validate_init_cfg(value))
