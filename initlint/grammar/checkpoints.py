"""Checkpoint strings as MMEngine's CheckpointLoader dispatches them (grammar.md §9, §13)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Optional

from ..suggest import did_you_mean, hint

# The loaders' prefixes, in the order the runtime tries them (reverse-sorted regexes).
SCHEMES = sorted(
    ["torchvision://", "modelzoo://", "pavi://", "openmmlab://", "open-mmlab://", "mmcls://",
     "https://", "http://", r"(\S+\:)?s3://", r"(\S+\:)?petrel://"],
    reverse=True,
)
PLAIN_SCHEMES = [s for s in SCHEMES if "(" not in s] + ["s3://", "petrel://"]
SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*:)?([A-Za-z][A-Za-z0-9+.\-]*)://")


@dataclass(frozen=True)
class HubNames:
    openmmlab: frozenset[str]
    mmcls: frozenset[str]
    torchvision: frozenset[str]
    deprecated: dict[str, str]


@lru_cache(maxsize=1)
def hub_names() -> HubNames:
    text = resources.files("initlint").joinpath("data/hub_names.json").read_text("utf-8")
    raw = json.loads(text)
    return HubNames(frozenset(raw["openmmlab"]), frozenset(raw["mmcls"]),
                    frozenset(raw["torchvision"]), dict(raw["deprecated"]))


@dataclass(frozen=True)
class CheckpointProblem:
    code: str
    message: str


def check_checkpoint(path: str) -> Optional[CheckpointProblem]:
    if path == "":
        return CheckpointProblem(
            "IL108", "`checkpoint=''` is a placeholder: loading fails unless it is set "
                     "(e.g. with --cfg-options)")
    scheme = next((s for s in SCHEMES if re.match(s, path)), None)
    if scheme is None:
        match = SCHEME_RE.match(path)
        if match is None or len(match.group(2)) == 1:
            # A local path (or a Windows drive, 'C://'): whether it exists is only known where
            # training runs.
            return None
        written = path[: match.end()]
        suggestion = did_you_mean(written, PLAIN_SCHEMES)
        return CheckpointProblem(
            "IL013", f"unknown checkpoint scheme '{written}' (it is read as a local file that "
                     f"does not exist){hint(suggestion)}")
    hub = hub_names()
    if scheme in ("open-mmlab://", "openmmlab://"):
        name = path[len(scheme):]
        target = hub.deprecated.get(name, name)
        if target in hub.openmmlab:
            return None
        if name in hub.deprecated:
            return CheckpointProblem(
                "IL013", f"'{scheme}{name}' is a deprecated alias of '{target}', which no longer "
                         "exists")
        return _unknown_name(scheme, name, hub.openmmlab)
    if scheme == "mmcls://":
        name = path[len(scheme):]
        return None if name in hub.mmcls else _unknown_name(scheme, name, hub.mmcls)
    if scheme in ("torchvision://", "modelzoo://"):
        name = path[len(scheme):]
        if name in hub.torchvision:
            return None
        # torchvision >= 0.13 adds '<model>.<weights>' keys, always lower case.
        if "." in name and name == name.lower():
            return None
        return _unknown_name(scheme, name, hub.torchvision)
    return None


def _unknown_name(scheme: str, name: str, names: frozenset[str]) -> CheckpointProblem:
    suggestion = did_you_mean(name, sorted(names))
    full = scheme + suggestion if suggestion else None
    return CheckpointProblem("IL013", f"'{name}' is not a known {scheme} model{hint(full)}")
