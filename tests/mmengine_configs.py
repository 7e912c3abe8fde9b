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
    return {
        site.config_path: _classes_as_names(to_python(site.value))
        for site in init_cfg_sites(loaded.keys)
    }


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


def consistent(ours: Any, runtime: Any) -> bool:
    """Whether initlint's value (Unknown parts marked) may be the runtime's: every known part
    equal, an open dict's other keys free."""
    if isinstance(ours, dict) and set(ours) == {"__unknown__"}:
        return True
    if isinstance(ours, dict):
        known = {k: v for k, v in ours.items() if k != "__unknown__"}
        if not isinstance(runtime, dict) or not set(known) <= set(runtime):
            return False
        if "__unknown__" not in ours and set(known) != set(runtime):
            return False
        return all(consistent(v, runtime[k]) for k, v in known.items())
    if isinstance(ours, (list, tuple)):
        return (
            type(ours) is type(runtime)
            and len(ours) == len(runtime)
            and all(consistent(a, b) for a, b in zip(ours, runtime))
        )
    return bool(ours == runtime)


def under_unknown(keys: DictValue, path: str) -> bool:
    """Whether initlint's config has an Unknown (or a dict open for more keys) on the way
    to `path` (a key path like `model.roi_head.bbox_head[0].init_cfg`)."""
    return hidden_by_unknown(keys, path) is not None


def disagreements(loaded: LoadedConfig, runtime: dict[str, Any]) -> list[str]:
    """Where initlint claims what the runtime does not have: an init_cfg it reports that the
    runtime's config lacks or holds otherwise, or one of the runtime's it misses with no
    Unknown on the way."""
    ours = initlint_init_cfgs(loaded)
    found = [
        f"{key}: initlint has {value!r}, the runtime {runtime.get(key, 'nothing')!r}"
        for key, value in ours.items()
        if key not in runtime or not consistent(value, runtime[key])
    ]
    found += [
        f"{key}: initlint misses {runtime[key]!r}"
        for key in runtime
        if key not in ours and not under_unknown(loaded.keys, key)
    ]
    return found
