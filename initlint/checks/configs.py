"""Configs as `Config.fromfile` loads them (grammar.md §10): `_base_` files, their merge, and
what a merge leaves behind. Most are found while the loader reads a config; these classes hold
their codes and messages, the loader decides when."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..values import Span
from .arguments import DELETE_KEY, _kinds
from .base import Rule, Stage
from .context import EntryContext


class StrayDelete(Rule):
    code = "IL202"
    name = "stray-delete"
    severity = "error"
    stages = (Stage.CONFIG, Stage.ENTRY)

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        errors = ctx.built.errors.get(DELETE_KEY)
        entry = ctx.args.get(DELETE_KEY)
        if errors and "extra_forbidden" in _kinds(errors) and entry is not None:
            yield self.finding("`_delete_` survives the merge: it only works in a child config "
                               "over a base that has this key; remove it",
                               entry.key_span or entry.value.span, (*ctx.path, DELETE_KEY))


class BaseMergeType(Rule):
    code = "IL203"
    name = "base-merge-type"
    severity = "error"
    stages = (Stage.CONFIG,)

    @classmethod
    def conflict(cls, span: Span, path: str, base_kind: str) -> Finding:
        return cls.finding(f"`{path}` is a dict here but a {base_kind} in the base: the child "
                           "cannot merge into it; add `_delete_=True` to replace it", span)


class DuplicateBaseKey(Rule):
    code = "IL204"
    name = "duplicate-base-key"
    severity = "error"
    stages = (Stage.CONFIG,)

    @classmethod
    def keys(cls, span: Span, shown: str) -> Finding:
        return cls.finding(f"duplicate keys among the `_base_` files: {shown}; the runtime "
                           "refuses this (KeyError)", span)


class QuotedBaseReference(Rule):
    code = "IL205"
    name = "quoted-base-reference"
    severity = "warning"
    stages = (Stage.CONFIG,)

    @classmethod
    def at(cls, span: Span) -> Finding:
        return cls.finding("`{{_base_.x}}` inside quotes becomes a placeholder string, not the "
                           "base value; remove the quotes", span)


class ShadowedVariable(Rule):
    code = "IL206"
    name = "shadowed-variable"
    severity = "warning"
    stages = (Stage.CONFIG,)

    @classmethod
    def at(cls, span: Span, variable: str, used_at: Span) -> Finding:
        return cls.finding(f"re-assigning `{variable}` does not change the init_cfg the base "
                           f"built from it ({used_at.file}:{used_at.row}); set that init_cfg key "
                           "in this file instead", span)


class MmengineOnlyConfig(Rule):
    code = "IL208"
    name = "mmengine-only-config"
    severity = "error"
    stages = (Stage.CONFIG,)

    @classmethod
    def at(cls, span: Span, what: str) -> Finding:
        return cls.finding(f"{what} needs MMEngine's Config: mmcv 1.x's `Config.fromfile` "
                           "cannot load this config; write the base's path and the values "
                           "themselves (or `{{_base_.x}}`)", span)


class BaseNotFound(Rule):
    code = "IL902"
    name = "base-not-found"
    severity = "error"
    stages = (Stage.CONFIG,)

    @classmethod
    def file(cls, span: Span, shown: str, likely: str = "") -> Finding:
        return cls.finding(f"`_base_` file not found: {shown}" + (f"; {likely}" if likely
                                                                   else ""), span)

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
