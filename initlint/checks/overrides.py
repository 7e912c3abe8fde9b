"""`override` (grammar.md §7): its shape, its items' `name` and `type`, and whether the module
that receives the init_cfg has the attribute it names."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..suggest import did_you_mean, hint
from ..values import DictValue, Unknown
from .base import Rule, Stage
from .context import OverrideContext, OverridesContext, describe


class OverrideMissingName(Rule):
    code = "IL007"
    name = "override-missing-name"
    severity = "error"
    stages = (Stage.OVERRIDE,)

    def check_override(self, ctx: OverrideContext) -> Iterator[Finding]:
        if not ctx.has_name and not (ctx.node.open and ctx.name is None):
            yield self.finding(
                "override needs `name`: the attribute to initialise, e.g. name='fc_cls'",
                ctx.node.span,
                ctx.path,
            )


class OverrideMissingType(Rule):
    code = "IL008"
    name = "override-missing-type"
    severity = "error"
    stages = (Stage.OVERRIDE,)

    def check_override(self, ctx: OverrideContext) -> Iterator[Finding]:
        if ctx.has_name and not ctx.name_only and ctx.rest.has("type") is False:
            extra = ", ".join(f"`{k}`" for k in ctx.rest.entries)
            yield self.finding(
                f"override with arguments ({extra}) needs a `type`; add one, or "
                "keep only `name` to reuse the parent's",
                ctx.node.span,
                ctx.path,
            )


class OverrideShape(Rule):
    code = "IL009"
    name = "override-shape"
    severity = "error"
    stages = (Stage.OVERRIDE,)

    def check_overrides(self, ctx: OverridesContext) -> Iterator[Finding]:
        if ctx.items is None:
            yield self.finding(
                f"`override` must be a dict or a list of dicts, got {describe(ctx.value)}",
                ctx.value.span,
                ctx.path,
            )
            return
        for item, path in ctx.items:
            if not isinstance(item, (DictValue, Unknown)):
                yield self.finding(
                    f"each override must be a dict, got {describe(item)}", item.span, path
                )


class OverrideUnknownAttribute(Rule):
    code = "IL010"
    name = "override-unknown-attribute"
    severity = "error"
    stages = (Stage.OVERRIDE,)

    def check_override(self, ctx: OverrideContext) -> Iterator[Finding]:
        value, name = ctx.attribute, ctx.name
        if value is None or name is None:
            return
        path = (*ctx.path, "name")
        if value == "" or "." in value:
            yield self.finding(
                f"override name '{value}' is not an attribute: dotted paths and "
                "'' never are; override the direct child and let it cover its "
                "submodules",
                name.span,
                path,
            )
            return
        module = ctx.site.module
        if module is not None and module.attributes is not None and value not in module.attributes:
            suggestion = did_you_mean(value, sorted(module.suggestions))
            yield self.finding(
                f"{module.name} has no attribute '{value}'{hint(suggestion)}", name.span, path
            )
