"""The init_cfg sites of a loaded config (every `init_cfg` key, with the `type` of the dict
holding it), and the `{{_base_.x}}` pre-pass of a config's text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..values import ClassRef, DictValue, Node, Scalar, SeqValue

# MMEngine's textual pre-pass for `{{_base_.x}}` (config.py, `_substitute_base_vars`).
BASE_REF = re.compile(r"\{\{\s*_base_\.([\w\.]+)\s*\}\}")


# One step from a dict towards an init_cfg: the dict and the key followed (None: into a list).
Step = tuple[DictValue, Optional[str]]


@dataclass(frozen=True)
class InitCfgSite:
    """One init_cfg value in a config, and the `type` of the dict that receives it."""

    config_path: str
    value: Node
    owner_type: Optional[Node]
    owner: Optional[DictValue] = None  # the dict holding the `init_cfg` key
    in_list: bool = False  # a list lies on the way to it (no child merges into list items)
    # The dicts above the owner, from the top-level value down, with the key followed in each
    # (a detector's `backbone`): where a `pretrained` is handed down (IL012).
    steps: tuple[Step, ...] = ()


def substitute_base_refs(text: str) -> tuple[str, frozenset[tuple[int, int]]]:
    """Rewrite `{{_base_.x}}` as the same-length literal `"{_base_.x}"`, as the runtime
    rewrites it to a quoted placeholder, and remember where each one starts."""
    if "{{" not in text:
        return text, frozenset()
    starts = []
    pieces = []
    last = 0
    for match in BASE_REF.finditer(text):
        starts.append(match.start())
        pieces += [text[last : match.start()], '"' + match.group(0)[1:-1] + '"']
        last = match.end()
    pieces.append(text[last:])
    new_text = "".join(pieces)
    positions = set()
    for start in starts:
        row = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        positions.add((row, column))
    return new_text, frozenset(positions)


def init_cfg_sites(keys: DictValue) -> list[InitCfgSite]:
    """Every init_cfg value reachable from the config's top-level keys, by every path that
    reaches it, those under `model` first (that is what the runtime builds)."""
    found: list[InitCfgSite] = []
    names = sorted(
        ((k, e.value) for k, e in keys.entries.items() if isinstance(k, str)),
        key=lambda item: item[0] != "model",
    )
    for name, value in names:
        if name.startswith("__") or name == "_base_":
            continue
        if name == "init_cfg":
            found.append(InitCfgSite(name, value, None))
        found += [
            InitCfgSite(name + rel, value, owner_type, owner, in_list, steps)
            for rel, value, owner_type, owner, in_list, steps in _sites_below(value)
        ]
    return found


_SiteRow = tuple[str, Node, Optional[Node], DictValue, bool, tuple[Step, ...]]
_SITES_BELOW: dict[int, tuple[Node, list[_SiteRow]]] = {}


def _sites_below(node: Node) -> list[_SiteRow]:
    """The init_cfg values inside a value, with their paths relative to it. Memoised by node:
    configs share most of their trees with their bases, which are walked once."""
    if not isinstance(node, (DictValue, SeqValue)):
        return []
    cached = _SITES_BELOW.get(id(node))
    if cached is not None and cached[0] is node:
        return cached[1]
    rows: list[_SiteRow] = []
    if isinstance(node, DictValue):
        for key, entry in node.entries.items():
            sub = f".{key}" if isinstance(key, str) else f"[{key!r}]"
            if key == "init_cfg":
                rows.append((sub, entry.value, node.get("type"), node, False, ()))
            step: Step = (node, key if isinstance(key, str) else None)
            rows += [
                (sub + rel, v, t, o, listed, (step, *steps))
                for rel, v, t, o, listed, steps in _sites_below(entry.value)
            ]
    else:
        for i, item in enumerate(node.items):
            rows += [
                (f"[{i}]" + rel, v, t, o, True, steps)
                for rel, v, t, o, _, steps in _sites_below(item)
            ]
    if len(_SITES_BELOW) > 200_000:
        _SITES_BELOW.clear()
    _SITES_BELOW[id(node)] = (node, rows)  # the node is kept, so its id is not reused
    return rows


_PretrainedRow = tuple[DictValue, tuple[Step, ...]]
_PRETRAINED_BELOW: dict[int, tuple[Node, list[_PretrainedRow]]] = {}


def pretrained_sites(keys: DictValue) -> list[_PretrainedRow]:
    """Every dict holding a `pretrained` key below the top-level keys, with the dicts above it
    (as `InitCfgSite.steps`); memoised by node as `init_cfg_sites` is."""
    found: list[_PretrainedRow] = []
    for key, entry in keys.entries.items():
        if isinstance(key, str) and not key.startswith("__") and key != "_base_":
            found += _pretrained_below(entry.value)
    return found


def _pretrained_below(node: Node) -> list[_PretrainedRow]:
    if not isinstance(node, (DictValue, SeqValue)):
        return []
    cached = _PRETRAINED_BELOW.get(id(node))
    if cached is not None and cached[0] is node:
        return cached[1]
    rows: list[_PretrainedRow] = []
    if isinstance(node, DictValue):
        if "pretrained" in node.entries:
            rows.append((node, ()))
        for key, entry in node.entries.items():
            step: Step = (node, key if isinstance(key, str) else None)
            rows += [(d, (step, *steps)) for d, steps in _pretrained_below(entry.value)]
    else:
        for item in node.items:
            rows += [(d, ((_LIST, None), *steps)) for d, steps in _pretrained_below(item)]
    if len(_PRETRAINED_BELOW) > 200_000:
        _PRETRAINED_BELOW.clear()
    _PRETRAINED_BELOW[id(node)] = (node, rows)
    return rows


_LIST = DictValue(None, {})  # the step into a list: nothing is handed down along it


def type_scope(node: Optional[Node]) -> Optional[str]:
    """The registry scope a `type` names ('mmdet.RetinaNet' -> 'mmdet'), if any."""
    if isinstance(node, Scalar) and isinstance(node.value, str) and "." in node.value:
        return node.value.split(".", 1)[0]
    if isinstance(node, ClassRef):
        return node.module.split(".")[0] or None
    return None


def type_name(node: Optional[Node]) -> Optional[str]:
    """The registry name a `type` value names ('mmdet.RetinaNet' -> 'RetinaNet')."""
    if isinstance(node, Scalar) and isinstance(node.value, str):
        return node.value.rsplit(".", 1)[-1]
    if isinstance(node, ClassRef):
        return node.name
    return None
