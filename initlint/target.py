"""Which runtime a project's init_cfg values are judged against: MMEngine (OpenMMLab 2.0,
`target = "mmengine"`) or mmcv 1.x (`mmcv.runner.BaseModule`, `target = "mmcv1"`).

`target = "auto"` (the default) decides per project from what needs no import, strongest
evidence first: the imports of the project's Python files (`from mmcv.runner import ...`, gone
in mmcv 2.0, against `from mmengine... import ...`), then the keys of its configs (1.x's
`lr_config`, `optimizer_config`, `checkpoint_config` against 2.x's `param_scheduler`,
`optim_wrapper`, `default_hooks`), then the installed distributions (`mmcv-full`, or `mmcv`
below 2.0, without `mmengine`). With no evidence at all it is MMEngine. The project is the one
inherit.py finds (settings file, repository, `configs/` folder), else the top-level package
holding the file, else the file's folder. Its files are read once per run (their first 64 KiB,
where imports and top-level keys are), and no further once 20 of them import one generation
and none the other (or, with no import seen, 20 configs set one generation's keys).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Optional

from .discover import CONFIG_SUFFIXES, DEFAULT_EXCLUDES, display_path
from .read import read_head

Target = Literal["mmengine", "mmcv1"]
TARGETS: tuple[Target, ...] = ("mmengine", "mmcv1")
SETTINGS = ("auto", "mmengine", "mmcv1")  # what settings and --target accept

# Imports only one generation has (mmcv 2.0 removed mmcv.runner, mmcv.utils.Registry and
# mmcv.Config; they moved to mmengine).
MMCV1_IMPORT = re.compile(
    rb"^[ \t]*(?:from[ \t]+mmcv\.runner\b|import[ \t]+mmcv\.runner\b"
    rb"|from[ \t]+mmcv\.cnn\.utils\.weight_init\b"
    rb"|from[ \t]+mmcv(?:\.utils)?[ \t]+import[ \t][^\n]*\b(?:Config|Registry|build_from_cfg)\b)",
    re.M,
)
MMENGINE_IMPORT = re.compile(rb"^[ \t]*(?:from[ \t]+mmengine\b|import[ \t]+mmengine\b)", re.M)
# Top-level config keys only one generation's runner reads.
MMCV1_KEYS = rb"lr_config|optimizer_config|checkpoint_config|log_config|workflow"
MMENGINE_KEYS = rb"param_scheduler|optim_wrapper|default_hooks|train_dataloader|val_evaluator"
MMCV1_CONFIG = re.compile(rb"^[\"']?(?:" + MMCV1_KEYS + rb")[\"']?[ \t]*[=:]", re.M)
MMENGINE_CONFIG = re.compile(rb"^[\"']?(?:" + MMENGINE_KEYS + rb")[\"']?[ \t]*[=:]", re.M)
MAX_FILES = 20_000  # files read per project, at most
HEAD_BYTES = 1 << 16  # of each file, its first 64 KiB
DECISIVE = 20  # files importing one generation, none the other: the walk stops


@dataclass(frozen=True)
class Decision:
    """The target that applies to a project, and why (what `-v` and --show-settings say)."""

    target: Target
    reason: str


@dataclass
class _Evidence:
    mmcv1_imports: list[Path]
    mmengine_imports: list[Path]
    mmcv1_configs: list[Path]
    mmengine_configs: list[Path]


def _walk(root: Path) -> Iterator[Path]:
    count = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in DEFAULT_EXCLUDES and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(CONFIG_SUFFIXES):
                yield Path(folder) / name
                count += 1
                if count >= MAX_FILES:
                    return


def _evidence(root: Path) -> _Evidence:
    """What the files under `root` say. The walk stops early once the imports are decisive
    (DECISIVE files of one generation and none of the other), or, with no import seen, the
    config keys are: a project is one generation."""
    evidence = _Evidence([], [], [], [])
    paths = iter([root]) if root.is_file() else _walk(root)
    for path in paths:
        data = read_head(path, HEAD_BYTES)  # imports and top-level keys come early
        if data is None:
            continue
        if path.suffix == ".py":
            if MMCV1_IMPORT.search(data):
                evidence.mmcv1_imports.append(path)
            if MMENGINE_IMPORT.search(data):
                evidence.mmengine_imports.append(path)
        if MMCV1_CONFIG.search(data):
            evidence.mmcv1_configs.append(path)
        if MMENGINE_CONFIG.search(data):
            evidence.mmengine_configs.append(path)
        imports = sorted((len(evidence.mmcv1_imports), len(evidence.mmengine_imports)))
        keys = sorted((len(evidence.mmcv1_configs), len(evidence.mmengine_configs)))
        if (imports[0] == 0 and imports[1] >= DECISIVE) or (
            imports[1] == 0 and keys[0] == 0 and keys[1] >= DECISIVE
        ):
            break
    return evidence


def _installed(name: str) -> Optional[str]:
    """The version of an installed distribution (its metadata only: nothing is imported)."""
    from importlib import metadata  # only when the project's own files say nothing

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
    except Exception:  # a broken dist-info: as if absent
        return None


def installed_decision() -> Optional[Decision]:
    """What the installed distributions say, if anything."""
    engine = _installed("mmengine")
    if engine is not None:
        return Decision("mmengine", f"mmengine {engine} is installed")
    for name in ("mmcv-full", "mmcv"):
        version = _installed(name)
        if version is not None and version.split(".")[0] in ("0", "1"):
            return Decision("mmcv1", f"{name} {version} is installed and mmengine is not")
    return None


def _example(paths: list[Path]) -> str:
    return f" (e.g. {display_path(paths[0])})" if paths else ""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def detect(root: Path) -> Decision:
    """The target of the project at `root` (a folder, or a lone file)."""
    evidence = _evidence(root)
    one, two = evidence.mmcv1_imports, evidence.mmengine_imports
    if len(one) != len(two):
        target: Target = "mmcv1" if len(one) > len(two) else "mmengine"
        ours, theirs = (one, two) if target == "mmcv1" else (two, one)
        verb = "imports" if len(ours) == 1 else "import"
        what = (
            "mmcv 1.x (mmcv.runner, mmcv.Config, mmcv.utils.Registry)"
            if target == "mmcv1"
            else "mmengine"
        )
        return Decision(
            target,
            f"auto: {_plural(len(ours), 'Python file')} {verb} {what}"
            f"{_example(ours)}, {len(theirs)} the other generation",
        )
    one, two = evidence.mmcv1_configs, evidence.mmengine_configs
    if len(one) != len(two):
        target = "mmcv1" if len(one) > len(two) else "mmengine"
        ours, theirs = (one, two) if target == "mmcv1" else (two, one)
        keys = (
            "1.x keys (lr_config, optimizer_config, ...)"
            if target == "mmcv1"
            else "2.x keys (param_scheduler, optim_wrapper, ...)"
        )
        verb = "sets" if len(ours) == 1 else "set"
        return Decision(
            target,
            f"auto: {_plural(len(ours), 'config')} {verb} {keys}"
            f"{_example(ours)}, {len(theirs)} the other generation's",
        )
    installed = installed_decision()
    if installed is not None:
        return Decision(installed.target, f"auto: {installed.reason}")
    return Decision("mmengine", "auto: no evidence of either generation (the default)")


def detection_root(
    path: Path, settings_root: Optional[Callable[[Path], Optional[Path]]] = None
) -> Path:
    """The folder whose files decide the target of `path` (absolute)."""
    from .inherit import project_root

    found = project_root(path, settings_root)
    if found is not None:
        return found
    top = None
    for folder in path.parents:  # the top-level package holding the file
        if not (folder / "__init__.py").is_file():
            break
        top = folder
    return top if top is not None else path.parent


class TargetChooser:
    """The target of each file of a run: the setting that applies to it (`auto`, `mmengine`,
    `mmcv1`), with `auto` decided once per project."""

    def __init__(
        self,
        setting_for: Callable[[Path], str] = lambda _: "auto",
        settings_root: Optional[Callable[[Path], Optional[Path]]] = None,
    ) -> None:
        self.setting_for = setting_for
        self.settings_root = settings_root
        self._projects: dict[Path, Decision] = {}
        self._folders: dict[str, Decision] = {}  # folder -> the decision of its files

    def decision(self, path: Path) -> Decision:
        name = os.path.abspath(path)
        folder = os.path.dirname(name)
        known = self._folders.get(folder)  # files of one folder share settings and project
        if known is None:
            known = self._folders[folder] = self._decide(Path(name))
        return known

    def _decide(self, path: Path) -> Decision:
        setting = self.setting_for(path)
        if setting in TARGETS:
            return Decision(setting, "set in the settings")
        root = detection_root(path, self.settings_root)
        if root not in self._projects:
            self._projects[root] = detect(root)
        return self._projects[root]

    def __call__(self, path: Path) -> Target:
        return self.decision(path).target

    @property
    def decided(self) -> dict[Path, Decision]:
        """The projects decided automatically so far, with their decisions."""
        return dict(self._projects)
