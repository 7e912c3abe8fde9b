"""Whether `init_weights()` reaches a module at all (grammar.md §8, step 4): BaseModule calls the
init_weights of its direct children that have one, so a BaseModule held in a plain torch
container (which has none) never applies its init_cfg, nor do the modules below it."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..project.containers import ContainerSite
from ..project.index import Carried, External
from ..project.source import ClassFacts
from .base import Rule, Stage
from .context import SourceContext

PLAIN = {f"torch.nn.{c}": c for c in ("Sequential", "ModuleList", "ModuleDict")}


class InitCfgUnreachable(Rule):
    code = "IL110"
    name = "init-cfg-unreachable"
    severity = "warning"
    stages = (Stage.SOURCE,)

    def check_source(self, ctx: SourceContext) -> Iterator[Finding]:
        reported: set[int] = set()
        for container in ctx.facts.containers:
            kind, found = _lost(ctx, container)
            if not found or container.span is None:
                continue
            names = list(dict.fromkeys(cls.name for cls, _ in found))
            carried = [c for _, items in found for c in items]
            where = f"{_and(names)} {'is' if len(names) == 1 else 'are'} held in a torch.nn.{kind}"
            yield self.finding(
                f"{where}, whose children init_weights() never reaches: "
                f"{_what(carried)} never applied; use mmengine.model.{kind}",
                container.span,
                related=tuple(
                    (f"never applied: the init_cfg of {_name(c)}", c.value.span)
                    for c in carried
                    if c.value.span is not None
                ),
            )
            line = f"line {container.span.row}"
            for cls, items in found:
                for item in items:
                    span = item.value.span
                    # A value given to the module (a default may be reached elsewhere).
                    if (
                        item.default
                        or span is None
                        or span.file != ctx.facts.file
                        or id(item.value) in reported
                    ):
                        continue
                    reported.add(id(item.value))
                    yield self.finding(
                        f"this init_cfg is never applied where {cls.name} is held in the "
                        f"torch.nn.{kind} of {container.function} ({line}): init_weights() "
                        "does not reach a plain container's children",
                        span,
                        related=((f"{cls.name} held here", container.span),),
                    )


def _lost(
    ctx: SourceContext, container: ContainerSite
) -> tuple[str, list[tuple[ClassFacts, list[Carried]]]]:
    """The container's kind, and each class it holds whose init_cfgs would apply were it
    reached, with them; nothing when anything may reach it another way."""
    index, facts = ctx.index, ctx.facts
    resolved = index.resolve_in(facts, container.callee)
    if (
        not isinstance(resolved, External)
        or resolved.qualname not in PLAIN
        or container.touches_other_init
    ):
        return "", []
    found: list[tuple[ClassFacts, list[Carried]]] = []
    seen: set[str] = set()
    for holder_name, elements in container.held:
        holder = facts.classes.get(holder_name)
        if holder is None:
            continue
        for element in elements:
            cls = index.resolve_in(facts, element.callee)
            if not isinstance(cls, ClassFacts):
                continue
            carried = index.carried_init_cfgs(cls, element.init_cfg)
            key = cls.qualname + repr([id(c.value) for c in carried])
            # The holder last: reading all its methods costs more than most answers need.
            if carried and key not in seen and index.reaches_children_only(holder):
                seen.add(key)
                found.append((cls, carried))
    return PLAIN[resolved.qualname], found


def _name(carried: Carried) -> str:
    if not carried.attribute:
        return carried.owner
    return f"{carried.within}.{carried.attribute} ({carried.owner})"


def _what(carried: list[Carried]) -> str:
    names = list(dict.fromkeys(_name(c) for c in carried))
    own = [c for c in carried if not c.attribute]
    if len(names) == 1:
        return f"{'its' if own else 'the'} init_cfg{'' if own else ' of ' + names[0]} is"
    return f"the init_cfgs of {_and(names)} are"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
