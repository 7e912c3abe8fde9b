"""What an initializer does to the module (grammar.md §6, §8): the layers `layer` names, what
they hold, and entries whose work another entry undoes. Mostly warnings: the runtime runs,
but not as the author meant."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import Optional

from ..findings import Finding
from ..fix.plan import FixPlan, Remove, ReplaceString
from ..grammar.layers import LayerInfo
from ..suggest import did_you_mean, hint
from ..values import DictValue, Node, Scalar, SeqValue, truthiness
from .base import Rule, Stage
from .context import CallContext, EntryContext, SiteContext, ValueContext, layer_names

FAN_INITIALIZERS = ("Xavier", "Kaiming", "Caffe2Xavier")
# Registry aliases people write as layer names: they name no class.
LAYER_ALIASES = {
    "BN": "BatchNorm2d",
    "BN1d": "BatchNorm1d",
    "BN2d": "BatchNorm2d",
    "BN3d": "BatchNorm3d",
    "SyncBN": "SyncBatchNorm",
    "GN": "GroupNorm",
    "LN": "LayerNorm",
    "IN": "InstanceNorm2d",
    "IN1d": "InstanceNorm1d",
    "IN2d": "InstanceNorm2d",
    "IN3d": "InstanceNorm3d",
    "Conv": "Conv2d",
    "deconv": "ConvTranspose2d",
    "FC": "Linear",
    "fc": "Linear",
}


class FanOn1dWeight(Rule):
    code = "IL014"
    name = "fan-on-1d-weight"
    severity = "error"
    stages = (Stage.ENTRY,)

    def check_call(self, ctx: CallContext) -> Iterator[Finding]:
        name = ctx.instance.registry_name
        if name not in FAN_INITIALIZERS or not ctx.reach.fan_1d:
            return
        layers = ctx.site.layers
        norms = ", ".join(
            c
            for c in ctx.reach.matched_classes
            if (info := layers.get(c)) and (info.weight_dims or 2) < 2
        )
        layer = ctx.args.get("layer")
        what = "the override reaches" if ctx.target else "`layer` reaches"
        path, span = ctx.target or ((*ctx.path, "layer"), layer.value.span if layer else None)
        yield self.finding(
            f"{name} needs weights with 2+ dims, but {what} {norms} (1-D "
            "weights); use Constant for norm layers" + ctx.where,
            span,
            path,
        )


class NonTensorParameter(Rule):
    code = "IL015"
    name = "non-tensor-parameter"
    severity = "error"
    stages = (Stage.ENTRY,)

    def check_call(self, ctx: CallContext) -> Iterator[Finding]:
        layers = ctx.site.layers
        hit = [
            (c, info.non_tensor)
            for c in ctx.reach.matched_classes
            if (info := layers.get(c)) is not None
            and info.non_tensor
            and not _project_reuses(ctx.site, info)
        ]
        if not hit or ctx.target:
            return
        name, attributes = hit[0]
        layer = ctx.args.get("layer")
        yield self.finding(
            f"`layer` reaches {name}, whose `{attributes[0]}` is a number, not a "
            f"tensor: {ctx.instance.registry_name} fills it and raises "
            "AttributeError; leave it out of `layer`",
            layer.value.span if layer else None,
            (*ctx.path, "layer"),
        )


class NoOpInitializer(Rule):
    code = "IL101"
    name = "no-op-initializer"
    severity = "warning"
    stages = (Stage.ENTRY,)

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        if not ctx.base_init or ctx.in_override or ctx.spec is None:
            return
        node, layer, override = ctx.node, ctx.layer, ctx.node.get("override")
        no_layer = (
            layer is None
            and not node.open
            or (layer is not None and truthiness(layer.value) is False)
        )
        no_override = (
            override is None
            and not node.open
            or (override is not None and truthiness(override) is False)
        )
        if no_layer and no_override:
            yield self.finding(
                f"{ctx.spec.registry_name} without `layer` or `override` "
                "initialises nothing; name the layers, e.g. layer='Conv2d'",
                (ctx.type_node or node).span,
                ctx.path,
            )


def _layer_items(ctx: EntryContext) -> list[Scalar]:
    """The class names a (BaseInit) entry's `layer` writes."""
    layer = ctx.layer
    if not ctx.base_init or layer is None:
        return []
    items = layer.value.items if isinstance(layer.value, SeqValue) else (layer.value,)
    return [i for i in items if isinstance(i, Scalar) and isinstance(i.value, str)]


class UnknownLayer(Rule):
    code = "IL102"
    name = "unknown-layer"
    severity = "warning"
    stages = (Stage.ENTRY,)
    fix = "sometimes"
    applicability = "safe"

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        layers = ctx.site.layers
        for item in _layer_items(ctx):
            name = str(item.value)
            if name == "Module":
                continue  # IL107: it matches nearly everything
            if layers.get(name) is not None:
                if layers.get(layers.concrete(name) or "") is None and layers.resolved(name):
                    # a grand-base such as _NormBase
                    yield self.finding(
                        f"`layer` '{name}' matches nothing: matching looks at a "
                        "module's class and its direct bases only; name the "
                        "classes (e.g. '_BatchNorm')",
                        item.span,
                        (*ctx.path, "layer"),
                    )
                continue
            found = _unknown_layer(name, ctx.site)
            if found:
                message, suggestion, safe = found
                fix: Optional[FixPlan] = None
                if suggestion and item.span is not None:
                    fix = self.plan(
                        f"Replace '{name}' with '{suggestion}'",
                        ReplaceString(item.span, name, suggestion),
                        applicability="safe" if safe else "unsafe",
                    )
                yield self.finding(message, item.span, (*ctx.path, "layer"), fix=fix)


class ParameterlessLayer(Rule):
    code = "IL103"
    name = "parameterless-layer"
    severity = "warning"
    stages = (Stage.ENTRY,)

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        layers = ctx.site.layers
        for item in _layer_items(ctx):
            name = str(item.value)
            concrete = layers.get(layers.concrete(name) or "") if name != "Module" else None
            if (
                concrete is not None
                and not concrete.weight
                and not concrete.bias
                and not concrete.weight_optional
                and not concrete.non_tensor
                and not _project_reuses(ctx.site, concrete)
            ):
                yield self.finding(
                    f"`layer` '{name}' names modules with no weight or bias: "
                    "this initialises nothing",
                    item.span,
                    (*ctx.path, "layer"),
                )


class ShadowedInitializer(Rule):
    code = "IL104"
    name = "shadowed-initializer"
    severity = "warning"
    stages = (Stage.VALUE,)
    fix = "sometimes"
    applicability = "unsafe"

    def check_value(self, ctx: ValueContext) -> Iterator[Finding]:
        # For each entry, the first later one whose layers include all of its layers. Near
        # linear: entries are grouped by their set of layers (a list has few distinct ones),
        # and each set's later supersets are found once, through its rarest layer name.
        entries = ctx.entries
        layers = [frozenset(_string_layers(e)) if e.base_init else frozenset() for e in entries]
        positions: dict[frozenset[str], list[int]] = {}  # a set -> where it is, in order
        for j, names in enumerate(layers):
            if names:
                positions.setdefault(names, []).append(j)
        with_name: dict[str, list[frozenset[str]]] = {}
        for names in positions:
            for name in names:
                with_name.setdefault(name, []).append(names)
        later: dict[frozenset[str], list[int]] = {}  # a set -> where its supersets are
        for i, entry in enumerate(entries):
            names = layers[i]
            if not names or entry.node.get("override") is not None:
                continue
            if names not in later:
                rarest = min(names, key=lambda n: len(with_name[n]))
                later[names] = sorted(
                    p for other in with_name[rarest] if names <= other for p in positions[other]
                )
            found = later[names]
            at = bisect.bisect_right(found, i)
            if at == len(found):
                continue
            j = found[at]
            layer = entry.node.get("layer")
            shown = ", ".join(_string_layers(entry))
            fix = (
                self.plan(f"Remove entry [{i}]", Remove(entry.node.span))
                if entry.node.span is not None
                else None
            )
            yield self.finding(
                f"entry [{j}] re-initialises every layer this entry sets "
                f"({shown}): this one has no effect",
                layer.span if layer else entry.node.span,
                (*entry.path, "layer"),
                fix=fix,
            )


class PretrainedOrder(Rule):
    code = "IL105"
    name = "pretrained-order"
    severity = "warning"
    stages = (Stage.VALUE,)

    def check_value(self, ctx: ValueContext) -> Iterator[Finding]:
        entries = ctx.entries
        mmcv1 = ctx.site.target == "mmcv1"
        for i, entry in enumerate(entries):
            resolved = entry.resolved_type
            if (
                resolved is None
                or resolved.initializer.name != "Pretrained"
                or entry.type_node is None
            ):
                continue
            where = (entry.type_node.span, (*entry.path, "type"))
            if mmcv1 and isinstance(ctx.value, SeqValue) and entries[i + 1 :]:
                # mmcv 1.x's BaseModule: a list is applied in order, then the children.
                yield self.finding(
                    "in a list, mmcv 1.x's BaseModule applies the entries in order and then "
                    "the children's init_weights: the entries after this Pretrained overwrite "
                    "the weights it loads; put it last (the children still run after it)",
                    *where,
                )
            elif mmcv1 and not resolved.runs_last and isinstance(ctx.value, DictValue):
                parts = descendant_init_cfgs(ctx.site)
                if parts:
                    yield self.finding(
                        "mmcv 1.x's BaseModule returns early only after a dict with exactly "
                        "type='Pretrained': this one is applied first, then the children's "
                        f"init_weights overwrite what it loads for {_named(parts)}; write "
                        "type='Pretrained'",
                        *where,
                    )
            elif not mmcv1 and not resolved.runs_last and entries[i + 1 :]:
                # Only type='Pretrained' (or the class) runs last in BaseModule.
                yield self.finding(
                    "this Pretrained is not recognised as one by BaseModule (only "
                    "type='Pretrained' is): it loads in list order and the entries after it "
                    "overwrite the loaded weights; write type='Pretrained'",
                    *where,
                )


class PretrainedSkipsChildren(Rule):
    code = "IL111"
    name = "pretrained-skips-children"
    severity = "warning"
    stages = (Stage.VALUE,)

    def check_value(self, ctx: ValueContext) -> Iterator[Finding]:
        if ctx.site.target != "mmcv1" or not isinstance(ctx.value, DictValue) or not ctx.entries:
            return
        entry = ctx.entries[0]
        resolved = entry.resolved_type
        if resolved is None or not resolved.runs_last or entry.type_node is None:
            return
        parts = descendant_init_cfgs(ctx.site)
        if parts:
            yield self.finding(
                "mmcv 1.x's BaseModule returns right after a dict type='Pretrained': no "
                f"child's init_weights runs, so the init_cfg of {_named(parts)} never "
                "applies; write init_cfg=[dict(type='Pretrained', ...)] to run them after "
                "it, or load the checkpoint into the parts it is for",
                entry.type_node.span,
                (*entry.path, "type"),
            )


def descendant_init_cfgs(site: SiteContext) -> list[str]:
    """The parts below a config dict whose own init_cfg an mmcv 1.x BaseModule would apply
    when its children run: those that write one, and those whose class has one by default.
    Empty unless the receiving class is known to run BaseModule's `init_weights` (a class of
    its own may call its children's itself)."""
    if (
        site.owner is None
        or site.receiver is None
        or site.index is None
        or site.index.runs_base_init_weights(site.receiver) is not True
    ):
        return []
    found: list[str] = []

    def visit(node: Node, path: str) -> None:
        if isinstance(node, DictValue):
            for key, entry in node.entries.items():
                if not isinstance(key, str) or key in ("init_cfg", "type"):
                    continue
                value = entry.value
                sub = f"{path}.{key}" if path else key
                if isinstance(value, DictValue):
                    if _has_init_cfg(site, value):
                        found.append(sub)
                    visit(value, sub)
                elif isinstance(value, SeqValue):
                    for i, item in enumerate(value.items):
                        if isinstance(item, DictValue) and _has_init_cfg(site, item):
                            found.append(f"{sub}[{i}]")
                        visit(item, f"{sub}[{i}]")
        return

    visit(site.owner, "")
    return found


def _has_init_cfg(site: SiteContext, node: DictValue) -> bool:
    own = node.get("init_cfg")
    if own is not None:
        return truthiness(own) is True
    if site.receiver_of is None or site.index is None or node.get("type") is None:
        return False
    cls = site.receiver_of(node.get("type"))
    return cls is not None and site.index.default_init_cfg(cls) is True


def _named(parts: list[str]) -> str:
    shown = ", ".join(f"`{p}`" for p in parts[:4])
    return shown + (f" and {len(parts) - 4} more" if len(parts) > 4 else "")


def _project_reuses(site: SiteContext, layer: LayerInfo) -> bool:
    """Whether a project class has the name of one of mmcv's (its facts are its own)."""
    if layer.origin != "mmcv" or site.index is None:
        return False
    return bool(site.index.class_packages(layer.name) - {"mmcv"})


class LayerModule(Rule):
    code = "IL107"
    name = "layer-module"
    severity = "warning"
    stages = (Stage.ENTRY,)

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        layer = ctx.layer
        if ctx.base_init and layer is not None and "Module" in (layer_names(layer.value) or ()):
            yield self.finding(
                "`layer='Module'` matches nearly every module; name the layer classes instead",
                layer.value.span,
                (*ctx.path, "layer"),
            )


def _string_layers(entry: EntryContext) -> list[str]:
    node = entry.node
    names = layer_names(node.get("layer")) if "layer" in node.entries else []
    if names is None or not all(isinstance(n, str) for n in names):
        return []
    return [str(n) for n in names]


def _unknown_layer(name: str, site: SiteContext) -> Optional[tuple[str, Optional[str], bool]]:
    """Why `name` matches no class, when we can tell (else None: it may be a project class),
    with the class to write instead and whether that is certain (the one class it is
    with another case)."""
    if site.is_project_class is not None and site.is_project_class(name):
        return None
    if name in LAYER_ALIASES:
        target = LAYER_ALIASES[name]
        extra = " (or '_BatchNorm' for every batch norm)" if "BatchNorm" in target else ""
        return (
            f"`layer` '{name}' is a registry alias (as in norm_cfg), not a class: it "
            f"matches nothing; use '{target}'{extra}",
            None,
            False,
        )
    layers = site.layers
    torch_names = layers.resolved_names()
    folded = {n.casefold(): n for n in torch_names}
    key = name.strip().casefold()
    if key in folded:
        unique = sum(1 for n in torch_names if n.casefold() == key) == 1
        return (
            f"`layer` '{name}' matches no class (matching is exact and case-sensitive); "
            f"did you mean '{folded[key]}'?",
            folded[key],
            unique,
        )
    if site.is_project_class is not None:
        suggestion = did_you_mean(name, torch_names, cutoff=0.85)
        if suggestion:
            return f"`layer` '{name}' matches no class{hint(suggestion)}", suggestion, False
    # With every class the model can hold known, any other name matches nothing.
    packages = site.packages() if site.index is not None else None
    universe = site.index.layer_universe(packages) if site.index is not None and packages else None
    if universe is not None and name not in universe:
        suggestion = did_you_mean(name, sorted(universe))
        return (
            f"`layer` '{name}' matches no class of torch.nn, mmcv, MMEngine or the packages "
            f"the model comes from ({', '.join(packages or ())}){hint(suggestion)}",
            suggestion,
            False,
        )
    return None
