"""What MMEngine's CheckpointLoader knows (grammar.md §9, §13): the schemes it dispatches on,
and the model-zoo names behind `open-mmlab://`, `mmcls://` and `torchvision://` (mmcv 1.7.2's
model zoo holds the same names, §11)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# The loaders' prefixes, in the order the runtime tries them (reverse-sorted regexes).
SCHEMES = sorted(
    [
        "torchvision://",
        "modelzoo://",
        "pavi://",
        "openmmlab://",
        "open-mmlab://",
        "mmcls://",
        "https://",
        "http://",
        r"(\S+\:)?s3://",
        r"(\S+\:)?petrel://",
    ],
    reverse=True,
)
PLAIN_SCHEMES = [s for s in SCHEMES if "(" not in s] + ["s3://", "petrel://"]
# mmcv 1.x's CheckpointLoader has no petrel:// loader: `petrel://x` is a local path (§11).
MMCV1_SCHEMES = [s for s in SCHEMES if "petrel" not in s]
MMCV1_PLAIN_SCHEMES = [s for s in PLAIN_SCHEMES if s != "petrel://"]


def schemes(target: str) -> tuple[list[str], list[str]]:
    """The loaders' prefixes in the order they are tried, and the schemes as written."""
    return (MMCV1_SCHEMES, MMCV1_PLAIN_SCHEMES) if target == "mmcv1" else (SCHEMES, PLAIN_SCHEMES)


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
    return HubNames(
        frozenset(raw["openmmlab"]),
        frozenset(raw["mmcls"]),
        frozenset(raw["torchvision"]),
        dict(raw["deprecated"]),
    )
