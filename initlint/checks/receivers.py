"""The class that receives an init_cfg (found through the project index): whether building it
with this value raises."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..values import Scalar, truthiness
from .base import Rule, Stage
from .context import SiteContext


class InitCfgNotAccepted(Rule):
    code = "IL011"
    name = "init-cfg-not-accepted"
    severity = "error"
    stages = (Stage.CLASS,)

    def check_receiver(self, ctx: SiteContext) -> Iterator[Finding]:
        params = ctx.index.init_params(ctx.receiver) \
            if ctx.index is not None and ctx.receiver is not None else None
        if params is not None and "init_cfg" not in params.names and not params.var_kwargs:
            assert ctx.receiver is not None
            yield self.finding(f"{ctx.receiver.name}.__init__ takes no `init_cfg` (and no "
                               "**kwargs): building it raises TypeError; remove init_cfg or set "
                               "it on a module that takes one", ctx.value.span)


class PretrainedConflict(Rule):
    code = "IL012"
    name = "pretrained-conflict"
    severity = "error"
    stages = (Stage.CLASS,)

    def check_receiver(self, ctx: SiteContext) -> Iterator[Finding]:
        if ctx.index is None or ctx.receiver is None or ctx.owner is None:
            return
        params = ctx.index.init_params(ctx.receiver)
        pretrained = ctx.owner.entries.get("pretrained")
        if params is not None and params.forbids_init_cfg_with_pretrained and \
                pretrained is not None and isinstance(pretrained.value, Scalar) and \
                truthiness(pretrained.value) and truthiness(ctx.value):
            yield self.finding(f"{ctx.receiver.name} asserts that `pretrained` and `init_cfg` "
                               "are not both set; drop `pretrained` and use "
                               "init_cfg=dict(type='Pretrained', checkpoint=...)",
                               pretrained.key_span or pretrained.value.span)


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
        yield self.finding(f"{name}.__init__ neither stores nor passes on `init_cfg`: {what} "
                           f"is never applied; {_remedy(ctx)}", ctx.value.span)


def _remedy(ctx: SiteContext) -> str:
    """How the class would keep it: a BaseModule passes it to `super().__init__`."""
    if ctx.index is not None and ctx.receiver is not None and \
            ctx.index.lineage(ctx.receiver).complete and \
            not ctx.index.is_base_module(ctx.receiver):
        return (f"{ctx.receiver.name} is no BaseModule: derive it from "
                "mmengine.model.BaseModule and pass init_cfg to super().__init__()")
    return "pass it to super().__init__(init_cfg=init_cfg)"
