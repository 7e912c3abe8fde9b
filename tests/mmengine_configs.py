"""The runtime's side of the config comparison: every init_cfg in `Config.fromfile`'s result,
and initlint's values in the same shape (Unknown parts marked, classes as dotted names)."""

from __future__ import annotations

import logging
import re
import warnings
from pathlib import Path
from typing import Any, Optional

from mmengine.config import Config
from mmengine.config.lazy import LazyObject

from initlint.config.loader import LoadedConfig
from initlint.config.sites import init_cfg_sites
from initlint.values import DictValue, Node, SeqValue, Unknown, to_python

logging.getLogger("mmengine").setLevel(logging.CRITICAL)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, LazyObject):
        return str(value)
    if isinstance(value, type):
        return f"{value.__module__}.{value.__name__}"
    return value


def runtime_init_cfgs(path: Path) -> dict[str, Any]:
    """{key path: value} of every init_cfg in the config MMEngine builds (raises as it does)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cfg = Config.fromfile(str(path))
    found: dict[str, Any] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                sub = f"{path}.{key}" if path else str(key)
                if key == "init_cfg":
                    found[sub] = _plain(value)
                walk(value, sub)
        elif isinstance(node, (list, tuple)):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")

    walk(cfg.to_dict(), "")
    return found


def _classes_as_names(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__class__"}:
            return value["__class__"]
        return {k: _classes_as_names(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_classes_as_names(v) for v in value)
    return value


def initlint_init_cfgs(loaded: LoadedConfig) -> dict[str, Any]:
    return {site.config_path: _classes_as_names(to_python(site.value))
            for site in init_cfg_sites(loaded.keys)}


def unknown_reason(value: Any) -> Optional[str]:
    """Why a value holds an Unknown part (initlint's `{"__unknown__": why}` markers)."""
    if isinstance(value, dict):
        if "__unknown__" in value:
            return str(value["__unknown__"])
        values: Any = value.values()
    elif isinstance(value, (list, tuple)):
        values = value
    else:
        return None
    for item in values:
        reason = unknown_reason(item)
        if reason:
            return reason
    return None


def environment_failure(error: BaseException) -> bool:
    """The runtime failed for want of a package here (custom_imports of mmpretrain, ...), not
    because of the config: such configs say nothing about initlint."""
    return isinstance(error, ImportError)


KEY_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def hidden_by_unknown(keys: DictValue, key_path: str) -> Optional[str]:
    """Why initlint cannot see the runtime's `key_path` (e.g. `model.roi_head.bbox_head[0]
    .init_cfg`) in its merged config: the Unknown or the open dict on the way; None when the
    way is known to the end (a key path initlint should have reported)."""
    node: Node = keys
    for index, name in KEY_PART.findall(key_path):
        if isinstance(node, Unknown):
            return node.reason
        if isinstance(node, DictValue) and not index:
            entry = node.entries.get(name)
            if entry is None:
                return "keys from an unknown mapping" if node.open else None
            node = entry.value
        elif isinstance(node, SeqValue) and index and int(index) < len(node.items):
            node = node.items[int(index)]
        else:
            return None
    return node.reason if isinstance(node, Unknown) else None
