"""The shape of an init_cfg value (grammar.md §3): what BaseModule can iterate, and entries
that name no initializer."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..values import DictValue, Scalar, SeqValue, Unknown, truthiness
from .base import Rule, Stage
from .context import EntryContext, ValueContext, describe


class InitCfgShape(Rule):
    code = "IL001"
    name = "init-cfg-shape"
    severity = "error"
    stages = (Stage.VALUE,)

    def check_value(self, ctx: ValueContext) -> Iterator[Finding]:
        value = ctx.value
        if isinstance(value, Scalar) and truthiness(value) is True:
            yield self.finding(
                "init_cfg must be a dict or a list of dicts, got "
                f"{type(value.value).__name__} {value.value!r}",
                value.span,
            )
            return
        if (
            ctx.site.target == "mmcv1"
            and isinstance(value, SeqValue)
            and value.kind != "list"
            and truthiness(value) is True
        ):
            yield self.finding(
                f"init_cfg must be a dict or a list of dicts, got a {value.kind}:"
                " mmcv 1.x's BaseModule passes it to initialize(), which refuses "
                "anything else (TypeError); make it a list",
                value.span,
            )
            return
        for item, path in ctx.items or ():
            if not isinstance(item, (DictValue, Unknown)):
                yield self.finding(
                    f"each init_cfg entry must be a dict, got {describe(item)}", item.span, path
                )


class MissingType(Rule):
    code = "IL002"
    name = "missing-type"
    severity = "error"
    stages = (Stage.ENTRY,)

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        # An override without `type` re-runs its parent's initializer (IL008 when it has
        # arguments); a base file's dict may get its type from the configs that use it.
        if ctx.in_override or ctx.has_type is not False or ctx.completable:
            return
        yield self.finding(
            "init_cfg entry has no `type`; add one such as type='Kaiming' or type='Pretrained'",
            ctx.node.span,
            ctx.path,
        )
