"""Configs as `Config.fromfile` loads them (grammar.md §10): `_base_` files, their merge, and
what a merge leaves behind. Most are found while the loader reads a config; these classes hold
their codes and messages, the loader decides when."""

from __future__ import annotations

from collections.abc import Iterator

from ..config.sites import type_name
from ..findings import Finding
from ..fix.plan import Remove
from ..values import DictValue, Node, Scalar, SeqValue, Span, format_path
from .arguments import DELETE_KEY, _kinds
from .base import Rule, Stage
from .configfacts import lookup_name
from .context import ConfigContext, EntryContext


class StrayDelete(Rule):
    code = "IL202"
    name = "stray-delete"
    severity = "error"
    stages = (Stage.CONFIG, Stage.ENTRY)
    fix = "sometimes"
    applicability = "unsafe"

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        errors = ctx.built.errors.get(DELETE_KEY)
        entry = ctx.args.get(DELETE_KEY)
        if errors and "extra_forbidden" in _kinds(errors) and entry is not None:
            yield self.finding(
                "`_delete_` survives the merge: it only works in a child config "
                "over a base that has this key; remove it",
                entry.key_span or entry.value.span,
                (*ctx.path, DELETE_KEY),
                fix=self.plan("Remove `_delete_`", Remove.entry(entry)),
            )


class BaseMergeType(Rule):
    code = "IL203"
    name = "base-merge-type"
    severity = "error"
    stages = (Stage.CONFIG,)

    @classmethod
    def conflict(cls, span: Span, path: str, base_kind: str) -> Finding:
        return cls.finding(
            f"`{path}` is a dict here but a {base_kind} in the base: the child "
            "cannot merge into it; add `_delete_=True` to replace it",
            span,
        )


class DuplicateBaseKey(Rule):
    code = "IL204"
    name = "duplicate-base-key"
    severity = "error"
    stages = (Stage.CONFIG,)

    @classmethod
    def keys(cls, span: Span, shown: str) -> Finding:
        return cls.finding(
            f"duplicate keys among the `_base_` files: {shown}; the runtime "
            "refuses this (KeyError)",
            span,
        )


class QuotedBaseReference(Rule):
    code = "IL205"
    name = "quoted-base-reference"
    severity = "warning"
    stages = (Stage.CONFIG,)

    @classmethod
    def at(cls, span: Span) -> Finding:
        return cls.finding(
            "`{{_base_.x}}` inside quotes becomes a placeholder string, not the "
            "base value; remove the quotes",
            span,
        )


class ShadowedVariable(Rule):
    code = "IL206"
    name = "shadowed-variable"
    severity = "warning"
    stages = (Stage.CONFIG,)

    @classmethod
    def at(cls, span: Span, variable: str, used_at: Span) -> Finding:
        return cls.finding(
            f"re-assigning `{variable}` does not change the init_cfg the base "
            f"built from it ({used_at.file}:{used_at.row}); set that init_cfg key "
            "in this file instead",
            span,
        )


class MmengineOnlyConfig(Rule):
    code = "IL208"
    name = "mmengine-only-config"
    severity = "error"
    stages = (Stage.CONFIG,)

    @classmethod
    def at(cls, span: Span, what: str) -> Finding:
        return cls.finding(
            f"{what} needs MMEngine's Config: mmcv 1.x's `Config.fromfile` "
            "cannot load this config; write the base's path and the values "
            "themselves (or `{{_base_.x}}`)",
            span,
        )


class BaseNotFound(Rule):
    code = "IL902"
    name = "base-not-found"
    severity = "error"
    stages = (Stage.CONFIG,)

    @classmethod
    def file(cls, span: Span, shown: str, likely: str = "") -> Finding:
        return cls.finding(
            f"`_base_` file not found: {shown}" + (f"; {likely}" if likely else ""), span
        )

    @classmethod
    def key(cls, span: Span, dotted: str) -> Finding:
        return cls.finding(f"`{{{{_base_.{dotted}}}}}` names no key of the `_base_` files", span)


class BaseCycle(Rule):
    code = "IL903"
    name = "base-cycle"
    severity = "error"
    stages = (Stage.CONFIG,)

    @classmethod
    def chain(cls, span: Span, cycle: str) -> Finding:
        return cls.finding(f"`_base_` files include each other: {cycle}", span)


# Lists of head dicts a child may replace whole (Cascade/HTC stages, mmseg's cascaded heads).
HEAD_LISTS = (
    ("model", "roi_head", "bbox_head"),
    ("model", "roi_head", "mask_head"),
    ("model", "decode_head"),
    ("model", "auxiliary_head"),
)


def _plain(node: Node) -> object:
    """A value to compare with a class default (tuples and lists alike); _UNSEEN if unknown."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, SeqValue):
        items = [_plain(i) for i in node.items]
        return _UNSEEN if any(i is _UNSEEN for i in items) else items
    if isinstance(node, DictValue) and not node.open:
        entries = {k: _plain(e.value) for k, e in node.entries.items()}
        return _UNSEEN if any(v is _UNSEEN for v in entries.values()) else entries
    return _UNSEEN


_UNSEEN = object()


class ListReplacesBaseList(Rule):
    code = "IL207"
    name = "list-replaces-base-list"
    severity = "warning"
    stages = (Stage.CONFIG,)

    def check_config(self, ctx: ConfigContext) -> Iterator[Finding]:
        for replaced in ctx.loaded.replaced:
            if replaced.path not in HEAD_LISTS:
                continue
            shown = format_path(replaced.path)
            for i, (old, new) in enumerate(zip(replaced.base.items, replaced.child.items)):
                if (
                    not (isinstance(old, DictValue) and isinstance(new, DictValue))
                    or old.open
                    or new.open
                ):
                    continue
                lost = [k for k in old.entries if k not in new.entries and k != "_delete_"]
                if not lost:
                    continue
                if "type" not in new.entries:
                    yield self.finding(
                        f"`{shown}[{i}]` has no `type`: a child's list replaces the base's "
                        f"(lists are not merged), so `type` and {len(lost) - 1} more keys of "
                        "the base's item are gone (KeyError when the model is built); write "
                        "each item out whole",
                        new.span,
                        (*replaced.path, i),
                        severity="error",
                    )
                    continue
                changed = self._changed(ctx, old, new, lost)
                if changed:
                    keys = ", ".join(changed[:4]) + (", ..." if len(changed) > 4 else "")
                    yield self.finding(
                        f"`{shown}[{i}]` replaces the base's item (lists are not merged) and "
                        f"loses {keys}: it gets the class's defaults instead; write each item "
                        "out whole",
                        new.span,
                        (*replaced.path, i),
                    )

    @staticmethod
    def _changed(
        ctx: ConfigContext, old: DictValue, new: DictValue, lost: list[object]
    ) -> list[str]:
        """The lost keys whose base value is not what the class gives by default."""
        if type_name(old.get("type")) != type_name(new.get("type")):
            return []  # another head: its own keys
        looked_up = lookup_name(new.get("type"), ctx.scope)
        found = ctx.classes.registered(*looked_up) if looked_up else []
        signature = ctx.classes.signature(found[0]) if len(found) == 1 else None
        if signature is None:
            return []
        changed = []
        for key in lost:
            default = signature.defaults.get(key) if isinstance(key, str) else None
            base = old.get(key)
            if default is None or base is None:
                continue  # no default seen: whether it matters is unknown
            mine, theirs = _plain(base), _plain(default)
            if mine is not _UNSEEN and theirs is not _UNSEEN and mine != theirs:
                changed.append(f"{key}={_short(base)}")
        return changed


def _short(node: Node) -> str:
    if isinstance(node, Scalar):
        return repr(node.value)
    return "dict(...)" if isinstance(node, DictValue) else "[...]"
