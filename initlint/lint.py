"""Linting files: extract the init_cfg sites of each config, check them, collect diagnostics."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Optional

from .catalog import severity_of
from .checks.init_cfg import (
    CheckContext,
    Finding,
    check_init_cfg,
    containers_along,
    format_path,
)
from .diagnostics import Diagnostic, Location, span_locations
from .discover import discover, display_path
from .extract.config import (
    ConfigFile,
    InitCfgSite,
    SourceProblem,
    decode,
    evaluate_python_config,
    init_cfg_sites,
    type_name,
    type_scope,
)
from .values import Node, Scalar, Span


@dataclass
class LintResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0


@lru_cache(maxsize=1)
def own_init_weights() -> dict[str, frozenset[str]]:
    """Registry names of classes whose init_weights reads init_cfg its own way (PVT, Swin, GAN
    generators), with the packages where the name means such a class."""
    path = resources.files("initlint").joinpath("data/own_init_weights.json")
    classes = json.loads(path.read_text("utf-8"))["classes"]
    return {name: frozenset(entry["packages"]) for name, entry in classes.items()}


def reads_own_init_cfg(owner_type: Optional[Node], default_scope: Optional[str]) -> bool:
    """Whether the receiving class reads init_cfg its own way: then the generic grammar does
    not apply. `mmseg.VisionTransformer` does, mmpretrain's does not; with no scope to tell
    them apart, we stay silent."""
    name = type_name(owner_type)
    packages = own_init_weights().get(name or "")
    if not packages:
        return False
    scope = type_scope(owner_type) or default_scope
    return scope is None or scope in packages


# A file that mentions none of these cannot hold an init_cfg site: it is never parsed.
PREFILTER = (b"init_cfg",)


Progress = Callable[[int, int], None]  # (files done, files in all)


def lint_paths(paths: Iterable[str], files: Optional[list[Path]] = None,
               progress: Optional[Progress] = None) -> LintResult:
    """Lint the files under `paths` (or exactly `files`, when the caller discovered them)."""
    paths = list(paths)
    named = {Path(p).resolve() for p in paths if Path(p).is_file()}
    todo = list(discover(paths)) if files is None else files
    result = LintResult(files=len(todo))
    for done, path in enumerate(todo, 1):
        result.diagnostics += lint_file(path, explicit=path.resolve() in named)
        if progress is not None:
            progress(done, len(todo))
    result.diagnostics.sort(key=lambda d: d.sort_key)
    return result


def lint_file(path: Path, explicit: bool = True) -> list[Diagnostic]:
    """Lint one file. Files found by walking a folder are skipped unread when they cannot
    matter; a file named explicitly is always read (so a syntax error in it is reported)."""
    name = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [_problem(SourceProblem(f"cannot read: {exc.strerror}", Span(name, 1, 1, 1, 1)))]
    if not explicit and not any(token in data for token in PREFILTER):
        return []
    text, problem = decode(name, data)
    if text is None:
        assert problem is not None
        return [_problem(problem)]
    return lint_text(text, name)


def lint_text(text: str, filename: str = "<stdin>") -> list[Diagnostic]:
    """Lint the text of one Python config file named `filename`."""
    config = evaluate_python_config(filename, text)
    if config.problem is not None:
        return [_problem(config.problem)]
    return check_config(config)


def check_config(config: ConfigFile) -> list[Diagnostic]:
    # Until `_base_` merging, a dict in a child config may get keys from its base: missing
    # keys are then unknown, never reported.
    ctx = CheckContext(partial_dicts=config.base is not None)
    diagnostics: dict[tuple[str, Optional[Location], str], Diagnostic] = {}
    scope = config.namespace.get("default_scope")
    default_scope = scope.value if isinstance(scope, Scalar) and isinstance(scope.value, str) \
        else None
    for site in init_cfg_sites(config.namespace):
        if reads_own_init_cfg(site.owner_type, default_scope):
            continue
        for finding in check_init_cfg(site.value, ctx):
            diagnostic = _diagnostic(finding, site, config.path)
            key = (diagnostic.code, diagnostic.location, diagnostic.message)
            diagnostics.setdefault(key, diagnostic)
    return sorted(diagnostics.values(), key=lambda d: d.sort_key)


def _diagnostic(finding: Finding, site: InitCfgSite, path: str) -> Diagnostic:
    span = finding.span or site.value.span
    start, end = span_locations(span)
    inner = format_path(finding.path)
    config_path = site.config_path + ("" if not inner or inner.startswith("[") else ".") + inner
    filename = span.file if span else path
    rows = [start.row] if start else []
    rows += [s.row for s in containers_along(site.value, finding.path) if s.file == filename]
    return Diagnostic(code=finding.code, severity=severity_of(finding.code),
                      message=finding.message, path=inner, filename=filename, location=start,
                      end_location=end, config_path=config_path,
                      suppress_rows=tuple(dict.fromkeys(rows)))


def _problem(problem: SourceProblem) -> Diagnostic:
    start, end = span_locations(problem.span)
    return Diagnostic(code="IL901", severity=severity_of("IL901"), message=problem.message,
                      filename=problem.span.file, location=start, end_location=end)
