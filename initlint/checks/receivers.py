"""The class that receives an init_cfg (found through the project index): whether building it
with this value raises."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from ..findings import Finding
from ..values import Entry, Scalar, Span, truthiness
from .base import Rule, Stage
from .context import PushedPretrained, SiteContext


class InitCfgNotAccepted(Rule):
    code = "IL011"
    name = "init-cfg-not-accepted"
    severity = "error"
    stages = (Stage.CLASS,)

    def check_receiver(self, ctx: SiteContext) -> Iterator[Finding]:
        params = (
            ctx.index.init_params(ctx.receiver)
            if ctx.index is not None and ctx.receiver is not None
            else None
        )
        if params is not None and "init_cfg" not in params.names and not params.var_kwargs:
            assert ctx.receiver is not None
            yield self.finding(
                f"{ctx.receiver.name}.__init__ takes no `init_cfg` (and no "
                "**kwargs): building it raises TypeError; remove init_cfg or set "
                "it on a module that takes one",
                ctx.value.span,
            )


class PretrainedConflict(Rule):
    code = "IL012"
    name = "pretrained-conflict"
    severity = "error"
    stages = (Stage.CLASS,)

    def check_receiver(self, ctx: SiteContext) -> Iterator[Finding]:
        if ctx.index is None or ctx.receiver is None or ctx.owner is None:
            return
        own = ctx.owner.entries.get("pretrained")
        pushed = ctx.pushed
        if not truthiness(ctx.value) or not ctx.index.forbids_pretrained_with_init_cfg(
            ctx.receiver
        ):
            return
        name = ctx.receiver.name
        if pushed is None and _set(own):
            assert own is not None
            yield self.finding(
                f"{name} asserts that `pretrained` and `init_cfg` are not both "
                "set; drop `pretrained` and use "
                "init_cfg=dict(type='Pretrained', checkpoint=...)",
                own.key_span or own.value.span,
            )
        elif pushed is not None and pushed.entry is not None and _set(pushed.entry):
            # Reported where this config wrote one of the two (what its author edits).
            entry = pushed.entry
            init = ctx.owner.entries.get("init_cfg")
            at_init = (
                init is not None
                and (entry.key_span or entry.value.span) is not None
                and _file(entry) != ctx.file
                and _file(init) == ctx.file
            )
            message = (
                f"{pushed.pusher} hands its `pretrained` to `{pushed.part}`, and {name} "
                "asserts that `pretrained` and `init_cfg` are not both set; drop "
                f"`pretrained` and use {pushed.part}.init_cfg=dict(type='Pretrained', "
                "checkpoint=...)"
            )
            if at_init:
                assert init is not None
                yield self.finding(
                    message,
                    init.key_span or init.value.span,
                    related=_related("`pretrained` is written here", entry),
                )
            else:
                yield self.finding(
                    message,
                    entry.key_span or entry.value.span,
                    related=_related(f"`{pushed.part}.init_cfg` is written here", init),
                )

    @classmethod
    def refused(cls, own: Entry, pushed: PushedPretrained) -> Optional[Finding]:
        """A part's own `pretrained` where the class above it hands one down and asserts
        there is none (mmseg's segmentors)."""
        if not (pushed.refuses_own and _set(pushed.entry) and _set(own)):
            return None
        return cls.finding(
            f"{pushed.pusher} asserts that its `{pushed.part}` has no "
            "`pretrained` of its own when it is given one; set only one of them",
            own.key_span or own.value.span,
            related=_related("the one handed down is written here", pushed.entry),
        )


class InitCfgDropped(Rule):
    code = "IL109"
    name = "init-cfg-dropped"
    severity = "warning"
    stages = (Stage.CLASS,)

    def check_receiver(self, ctx: SiteContext) -> Iterator[Finding]:
        if not ctx.dropped or ctx.receiver is None or truthiness(ctx.value) is not True:
            return
        name = ctx.receiver.name
        what = "this default" if not ctx.constructs else "this init_cfg"
        yield self.finding(
            f"{name}.__init__ neither stores nor passes on `init_cfg`: {what} "
            f"is never applied; {_remedy(ctx)}",
            ctx.value.span,
        )


def _remedy(ctx: SiteContext) -> str:
    """How the class would keep it: a BaseModule passes it to `super().__init__`."""
    if (
        ctx.index is not None
        and ctx.receiver is not None
        and ctx.index.lineage(ctx.receiver).complete
        and not ctx.index.is_base_module(ctx.receiver)
    ):
        base = "mmcv.runner.BaseModule" if ctx.target == "mmcv1" else "mmengine.model.BaseModule"
        return (
            f"{ctx.receiver.name} is no BaseModule: derive it from {base} and pass "
            "init_cfg to super().__init__()"
        )
    return "pass it to super().__init__(init_cfg=init_cfg)"


def _set(entry: Optional[Entry]) -> bool:
    return entry is not None and isinstance(entry.value, Scalar) and truthiness(entry.value) is True


def _file(entry: Entry) -> Optional[str]:
    span = entry.key_span or entry.value.span
    return span.file if span is not None else None


def _related(message: str, entry: Optional[Entry]) -> tuple[tuple[str, Span], ...]:
    span = (entry.key_span or entry.value.span) if entry is not None else None
    return ((message, span),) if span is not None else ()
