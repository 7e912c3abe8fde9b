"""Checking one init_cfg value the way `BaseModule.init_weights()` consumes it.

grammar.md §3 (shape), §4 (type), §5 (arguments), §6 (layer), §7 (override). The result is a
list of `Finding`s: a rule code, a message, where in the value, and the node to point at.
Severities come from the rule catalogue; spans become locations in `lint`.

An error means: the runtime raises on this value when the module contains the layers the
value names and the attributes its overrides name (grammar.md §12). Anything that depends on
an Unknown is not reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Optional, Union

from pydantic import ValidationError

from ..grammar.checkpoints import check_checkpoint
from ..grammar.layers import OVERRIDE_REACH, LayerKnowledge, Reach
from ..grammar.models import BUILTIN_MODELS, BaseInitArgs, CallTimeIssue, InitArgs
from ..grammar.types import Initializers, Resolved, TypeProblem, resolve_type
from ..suggest import did_you_mean, hint
from ..values import (
    ClassRef,
    DictValue,
    Entry,
    Node,
    PyObject,
    Scalar,
    SeqValue,
    Span,
    Unknown,
    truthiness,
)

PathPart = Union[str, int]
FAN_INITIALIZERS = ("Xavier", "Kaiming", "Caffe2Xavier")


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    path: tuple[PathPart, ...]
    span: Optional[Span]


def containers_along(value: Node, path: tuple[PathPart, ...]) -> list[Span]:
    """Spans of the dicts and lists a path goes through, from the value inwards."""
    spans = []
    node: Optional[Node] = value
    for part in (*path, None):
        if node is None:
            break
        if node.span is not None and isinstance(node, (DictValue, SeqValue)):
            spans.append(node.span)
        if isinstance(node, DictValue) and part is not None:
            node = node.get(part)
        elif isinstance(node, SeqValue) and isinstance(part, int) and part < len(node.items):
            node = node.items[part]
        else:
            node = None
    return spans


def format_path(path: tuple[PathPart, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(frozen=True)
class ModuleInfo:
    """What the index knows of the class that receives an init_cfg."""

    name: str
    attributes: Optional[frozenset[str]]  # every attribute an instance has; None: not all known
    suggestions: frozenset[str] = frozenset()  # attributes worth suggesting (its own)
    # attribute -> the torch.nn class it is built from, when a constructor call says so
    attribute_layers: Mapping[str, str] = field(default_factory=dict)


@dataclass
class CheckContext:
    initializers: Initializers = field(default_factory=Initializers)
    layers: LayerKnowledge = field(default_factory=LayerKnowledge.torch)
    # A dict may still get keys from a `_base_` file: missing keys are then unknown.
    partial_dicts: bool = False
    module: Optional[ModuleInfo] = None
    # Whether a name is a class somewhere in the indexed project (None: no index to ask).
    is_project_class: Optional[Callable[[str], bool]] = None


class _Checker:
    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.findings: list[Finding] = []
        self.contained: frozenset[str] = frozenset()

    def add(self, code: str, message: str, path: tuple[PathPart, ...],
            span: Optional[Span]) -> None:
        self.findings.append(Finding(code, message, path, span))

    # -- shape (§3) -------------------------------------------------------------------------
    def check(self, value: Node) -> list[Finding]:
        if isinstance(value, Unknown) or truthiness(value) is not True:
            return []  # falsy values (None, {}, [], 0) are a no-op; unknown is never reported
        if isinstance(value, DictValue):
            entries: list[tuple[Node, tuple[PathPart, ...]]] = [(value, ())]
        elif isinstance(value, SeqValue):
            entries = [(item, (i,)) for i, item in enumerate(value.items)]
        elif isinstance(value, Scalar):
            self.add("IL001", "init_cfg must be a dict or a list of dicts, got "
                     f"{type(value.value).__name__} {value.value!r}", (), value.span)
            return self.findings
        else:
            return []  # a class or object: the runtime may iterate it; not decidable
        self.contained = self.ctx.layers.contained(self._named_layers(e for e, _ in entries))
        dicts = []
        for entry, path in entries:
            if isinstance(entry, DictValue):
                dicts.append((entry, path))
            elif not isinstance(entry, Unknown):
                self.add("IL001", f"each init_cfg entry must be a dict, got {_describe(entry)}",
                         path, entry.span)
        for entry, path in dicts:
            self.check_entry(entry, path)
        self.check_entry_order(dicts)
        return _dedupe(self.findings)

    # -- how entries of a list interact ------------------------------------------------------
    def check_entry_order(self, dicts: list[tuple[DictValue, tuple[PathPart, ...]]]) -> None:
        resolved = [(entry, path, self._resolved(entry)) for entry, path in dicts]
        for i, (entry, path, result) in enumerate(resolved):
            later = resolved[i + 1:]
            type_node = entry.get("type")
            # IL105: only type='Pretrained' (or the class) runs last in BaseModule.
            if isinstance(result, Resolved) and result.initializer.name == "Pretrained" and \
                    not result.runs_last and type_node is not None and later:
                self.add("IL105", "this Pretrained is not recognised as one by BaseModule (only "
                         "type='Pretrained' is): it loads in list order and the entries after "
                         "it overwrite the loaded weights; write type='Pretrained'",
                         (*path, "type"), type_node.span)
            # IL104: a later entry re-initialises every layer this one sets.
            names = _string_layers(entry)
            if not names or entry.get("override") is not None or not _is_base_init(result):
                continue
            for j, (other, _other_path, other_result) in enumerate(later, i + 1):
                other_names = _string_layers(other)
                if other_names and set(names) <= set(other_names) and \
                        _is_base_init(other_result):
                    layer = entry.get("layer")
                    self.add("IL104", f"entry [{j}] re-initialises every layer this entry sets "
                             f"({', '.join(names)}): this one has no effect",
                             (*path, "layer"), layer.span if layer else entry.span)
                    break

    def _resolved(self, entry: DictValue) -> Any:
        type_node = entry.get("type")
        return resolve_type(type_node, self.ctx.initializers) if type_node else None

    def _named_layers(self, entries: Iterator[Node]) -> list[str]:
        """Every class name written in a `layer` of an entry or of one of its overrides."""
        names: list[str] = []
        for entry in entries:
            if not isinstance(entry, DictValue):
                continue
            holders = [entry]
            override = entry.get("override")
            if isinstance(override, DictValue):
                holders.append(override)
            elif isinstance(override, SeqValue):
                holders += [o for o in override.items if isinstance(o, DictValue)]
            for holder in holders:
                names += [n for n in _layer_names(holder.get("layer")) or () if isinstance(n, str)]
        return names

    # -- one entry (§4, §5) -----------------------------------------------------------------
    def check_entry(self, entry: DictValue, path: tuple[PathPart, ...]) -> None:
        has_type = entry.has("type")
        if has_type is False:
            if not self.ctx.partial_dicts:
                self.add("IL002", "init_cfg entry has no `type`; add one such as "
                         "type='Kaiming' or type='Pretrained'", path, entry.span)
            return
        type_node = entry.get("type")
        resolved = resolve_type(type_node, self.ctx.initializers) if type_node else None
        if isinstance(resolved, TypeProblem):
            assert type_node is not None
            self.add("IL003", resolved.message, (*path, "type"), type_node.span)
        args = {k: e for k, e in entry.entries.items() if k not in ("type", "override")}
        model = resolved.initializer.model if isinstance(resolved, Resolved) else None
        instance = None
        if model is not None:
            instance = self.build(model, args, entry, path)
            self.check_semantics(model, args, entry, path)
        if instance is not None:
            layer = entry.get("layer") if "layer" in entry.entries else None
            names = _layer_names(layer) if not (entry.open and "layer" not in entry.entries) \
                else None
            reach = self.ctx.layers.reach(names, self.contained)
            self.call_time(instance, args, path, reach)
        self.check_overrides(entry, path, model, instance, args)

    def build(self, model: type[InitArgs], args: Mapping[Any, Entry], holder: DictValue,
              path: tuple[PathPart, ...]) -> Optional[InitArgs]:
        """Construct the initializer as the runtime would; report what construction rejects."""
        data: dict[str, Any] = {}
        failed = False
        for key, entry in args.items():
            if not isinstance(key, str):
                self.add("IL004", f"argument names must be strings, got {key!r}",
                         (*path, str(key)), entry.key_span or holder.span)
                failed = True
                continue
            data[key] = _to_input(entry.value)
        data["type"] = model.registry_name
        try:
            instance = model.model_validate(data)
        except ValidationError as exc:
            self._report_validation(exc, model, args, holder, path)
            return None
        return None if failed else instance

    def _report_validation(self, exc: ValidationError, model: type[InitArgs],
                           args: Mapping[Any, Entry], holder: DictValue,
                           path: tuple[PathPart, ...]) -> None:
        by_field: dict[str, list[Any]] = {}
        for error in exc.errors():
            by_field.setdefault(str(error["loc"][0]) if error["loc"] else "", []).append(error)
        for key, errors in by_field.items():
            kinds = {e["type"] for e in errors}
            entry = args.get(key)
            if "extra_forbidden" in kinds:
                assert entry is not None
                self.add("IL004", _unexpected_message(model, key), (*path, key),
                         entry.key_span or entry.value.span)
            elif "missing" in kinds:
                if not (holder.open or self.ctx.partial_dicts):
                    self.add("IL005", f"{model.registry_name} needs `{key}`; add {key}=...",
                             path, holder.span)
            else:
                assert entry is not None
                custom = next((e for e in errors if str(e["type"]).startswith("IL")), None)
                message = custom["msg"] if custom else _invalid_message(key, errors[0]["input"])
                code = str(custom["type"]) if custom else "IL006"
                self.add(code, message, (*path, key), entry.value.span)

    def call_time(self, instance: InitArgs, args: Mapping[Any, Entry],
                  path: tuple[PathPart, ...], reach: Reach, where: str = "",
                  target: Optional[tuple[tuple[PathPart, ...], Optional[Span]]] = None) -> None:
        """What the runtime checks only once the initializer touches a module (§5.2).

        `where` and `target` (the override's `name`) are set for overrides: they initialise a
        whole attribute and ignore `layer`.
        """
        for issue in instance.call_time_issues():
            if where and issue.field == "layer":
                continue
            if _fires(issue, reach):
                entry = args.get(issue.field)
                span = entry.value.span if entry else None
                self.add(issue.code, issue.message + where, (*path, issue.field), span)
        name = instance.registry_name
        if name in FAN_INITIALIZERS and reach.fan_1d:
            norms = ", ".join(c for c in reach.matched_classes
                              if (info := self.ctx.layers.get(c)) and (info.weight_dims or 2) < 2)
            layer = args.get("layer")
            what = "the override reaches" if target else "`layer` reaches"
            at = target or ((*path, "layer"), layer.value.span if layer else None)
            self.add("IL014", f"{name} needs weights with 2+ dims, but {what} {norms} "
                     "(1-D weights); use Constant for norm layers" + where, *at)

    # -- warnings about what the entry does -------------------------------------------------
    def check_semantics(self, model: type[InitArgs], args: Mapping[Any, Entry],
                        entry: DictValue, path: tuple[PathPart, ...],
                        in_override: bool = False) -> None:
        """Warnings (what runs but does nothing, or not what was meant) and checkpoints.

        An override initialises its whole attribute: `layer` is ignored there (§6)."""
        layer = None if in_override else args.get("layer")
        if issubclass(model, BaseInitArgs) and model.uses_layer:
            override = entry.get("override")
            no_layer = layer is None and not entry.open or (
                layer is not None and truthiness(layer.value) is False)
            no_override = override is None and not entry.open or (
                override is not None and truthiness(override) is False)
            if no_layer and no_override and not in_override:
                self.add("IL101", f"{model.registry_name} without `layer` or `override` "
                         "initialises nothing; name the layers, e.g. layer='Conv2d'",
                         path, (entry.get("type") or entry).span)
            if layer is not None and "Module" in (_layer_names(layer.value) or ()):
                self.add("IL107", "`layer='Module'` matches nearly every module; name the layer "
                         "classes instead", (*path, "layer"), layer.value.span)
            if layer is not None:
                self.check_layer_names(layer.value, path)
            prob = args.get("bias_prob")
            if prob is not None and isinstance(prob.value, Scalar) and \
                    isinstance(prob.value.value, float):
                p = prob.value.value
                if "bias" in args:
                    self.add("IL106", "`bias_prob` overrides `bias`; keep one of them",
                             (*path, "bias"), args["bias"].key_span or args["bias"].value.span)
                if p != 0.0 and not 0.0 < p < 1.0:
                    self.add("IL106", f"`bias_prob={p}` is not a probability in (0, 1): the bias "
                             "becomes inf or nan", (*path, "bias_prob"), prob.value.span)
        checkpoint = args.get("checkpoint")
        if model.registry_name == "Pretrained" and checkpoint is not None and \
                isinstance(checkpoint.value, Scalar) and isinstance(checkpoint.value.value, str):
            problem = check_checkpoint(checkpoint.value.value)
            if problem:
                self.add(problem.code, problem.message, (*path, "checkpoint"),
                         checkpoint.value.span)

    def check_layer_names(self, layer: Node, path: tuple[PathPart, ...]) -> None:
        """IL102 (a name that matches no class) and IL103 (a class without weight or bias)."""
        items = layer.items if isinstance(layer, SeqValue) else (layer,)
        for item in items:
            if not (isinstance(item, Scalar) and isinstance(item.value, str)):
                continue
            name = item.value
            info = self.ctx.layers.get(name)
            if name == "Module":
                continue  # IL107: it matches nearly everything
            if info is not None:
                concrete = self.ctx.layers.get(self.ctx.layers.concrete(name) or "")
                if concrete is None:
                    if self.ctx.layers.resolved(name):  # a grand-base such as _NormBase
                        self.add("IL102", f"`layer` '{name}' matches nothing: matching looks at "
                                 "a module's class and its direct bases only; name the classes "
                                 "(e.g. '_BatchNorm')", (*path, "layer"), item.span)
                elif not concrete.weight and not concrete.bias and not concrete.weight_optional:
                    self.add("IL103", f"`layer` '{name}' names modules with no weight or bias: "
                             "this initialises nothing", (*path, "layer"), item.span)
                continue
            message = _unknown_layer_message(name, self.ctx)
            if message:
                self.add("IL102", message, (*path, "layer"), item.span)

    # -- override (§7) ------------------------------------------------------------------------
    def check_overrides(self, entry: DictValue, path: tuple[PathPart, ...],
                        parent_model: Optional[type[InitArgs]], parent: Optional[InitArgs],
                        parent_args: Mapping[Any, Entry]) -> None:
        override = entry.get("override")
        if override is None or isinstance(override, Unknown):
            return
        opath = (*path, "override")
        if isinstance(override, Scalar) and override.value is None:
            return
        if isinstance(override, DictValue):
            items: list[tuple[Node, tuple[PathPart, ...]]] = [(override, opath)]
        elif isinstance(override, SeqValue) and override.kind == "list":
            items = [(item, (*opath, i)) for i, item in enumerate(override.items)]
        else:
            self.add("IL009", "`override` must be a dict or a list of dicts, got "
                     f"{_describe(override)}", opath, override.span)
            return
        for item, ipath in items:
            if isinstance(item, Unknown):
                continue
            if not isinstance(item, DictValue):
                self.add("IL009", f"each override must be a dict, got {_describe(item)}",
                         ipath, item.span)
                continue
            self.check_override(item, ipath, path, parent_model, parent, parent_args)

    def check_override(self, item: DictValue, path: tuple[PathPart, ...],
                       entry_path: tuple[PathPart, ...],
                       parent_model: Optional[type[InitArgs]], parent: Optional[InitArgs],
                       parent_args: Mapping[Any, Entry]) -> None:
        name = item.get("name")
        if name is None or (isinstance(name, Scalar) and name.value is None):
            if not (item.open and name is None):
                self.add("IL007", "override needs `name`: the attribute to initialise, e.g. "
                         "name='fc_cls'", path, item.span)
            return
        shown = self._check_override_name(name, path)
        rest = item.without("name")
        where = f" (through override '{shown}')" if shown else " (through an override)"
        if not rest.entries and not rest.open:
            # Name only: the override re-runs the parent's arguments (minus layer) on the
            # attribute, so the parent's call-time rules now apply to a module with weights.
            if parent is not None and parent_model is not None:
                inherited = {k: e for k, e in parent_args.items() if k != "layer"}
                self.call_time(parent, inherited, entry_path, self._override_reach(shown),
                               where, ((*path, "name"), name.span))
            return
        has_type = rest.has("type")
        if has_type is False:
            extra = ", ".join(f"`{k}`" for k in rest.entries)
            self.add("IL008", f"override with arguments ({extra}) needs a `type`; add one, or "
                     "keep only `name` to reuse the parent's", path, item.span)
            return
        if has_type is None:
            return
        type_node = rest.get("type")
        assert type_node is not None
        resolved = resolve_type(type_node, self.ctx.initializers)
        if isinstance(resolved, TypeProblem):
            self.add("IL003", resolved.message, (*path, "type"), type_node.span)
            return
        if resolved is None or resolved.initializer.model is None:
            return
        model = resolved.initializer.model
        args = {k: e for k, e in rest.entries.items() if k != "type"}
        instance = self.build(model, args, item, path)
        self.check_semantics(model, args, item, path, in_override=True)
        if instance is not None:
            self.call_time(instance, args, path, self._override_reach(shown), where,
                           ((*path, "name"), name.span))

    def _override_reach(self, name: Optional[str]) -> Reach:
        """What an override touches: the attribute's own class when the index knows it is a
        torch layer, else (as the runtime test assumes) a module with weights."""
        module = self.ctx.module
        layer = module.attribute_layers.get(name) if module and name else None
        info = self.ctx.layers.get(layer) if layer else None
        if info is None or not info.buildable:
            return OVERRIDE_REACH
        return Reach(True, bool(info.weight), bool(info.bias),
                     bool(info.weight and info.weight_dims is not None and info.weight_dims < 2),
                     (info.name,))

    def _check_override_name(self, name: Node, path: tuple[PathPart, ...]) -> Optional[str]:
        if isinstance(name, Unknown):
            return None
        if not isinstance(name, Scalar):  # hasattr(module, name) needs a string
            self.add("IL006", f"override `name` must be an attribute name (a string), got "
                     f"{_describe(name)}", (*path, "name"), name.span)
            return None
        value = name.value
        if not isinstance(value, str):
            self.add("IL006", f"override `name` must be an attribute name (a string), got "
                     f"{value!r}", (*path, "name"), name.span)
            return None
        if value == "" or "." in value:
            self.add("IL010", f"override name '{value}' is not an attribute: dotted paths and ''"
                     " never are; override the direct child and let it cover its submodules",
                     (*path, "name"), name.span)
            return value
        module = self.ctx.module
        if module is not None and module.attributes is not None and \
                value not in module.attributes:
            suggestion = did_you_mean(value, sorted(module.suggestions))
            self.add("IL010", f"{module.name} has no attribute '{value}'{hint(suggestion)}",
                     (*path, "name"), name.span)
        return value


# Registry aliases people write as layer names: they name no class.
LAYER_ALIASES = {
    "BN": "BatchNorm2d", "BN1d": "BatchNorm1d", "BN2d": "BatchNorm2d", "BN3d": "BatchNorm3d",
    "SyncBN": "SyncBatchNorm", "GN": "GroupNorm", "LN": "LayerNorm", "IN": "InstanceNorm2d",
    "IN1d": "InstanceNorm1d", "IN2d": "InstanceNorm2d", "IN3d": "InstanceNorm3d",
    "Conv": "Conv2d", "deconv": "ConvTranspose2d", "FC": "Linear", "fc": "Linear",
}


def _unknown_layer_message(name: str, ctx: CheckContext) -> Optional[str]:
    """Why `name` matches no class, when we can tell (else None: it may be a project class)."""
    if ctx.is_project_class is not None and ctx.is_project_class(name):
        return None
    if name in LAYER_ALIASES:
        target = LAYER_ALIASES[name]
        extra = " (or '_BatchNorm' for every batch norm)" if "BatchNorm" in target else ""
        return (f"`layer` '{name}' is a registry alias (as in norm_cfg), not a class: it "
                f"matches nothing; use '{target}'{extra}")
    torch_names = [n for n in ctx.layers.layers if ctx.layers.resolved(n)]
    folded = {n.casefold(): n for n in torch_names}
    if name.strip().casefold() in folded:
        return (f"`layer` '{name}' matches no class (matching is exact and case-sensitive); "
                f"did you mean '{folded[name.strip().casefold()]}'?")
    if ctx.is_project_class is not None:
        suggestion = did_you_mean(name, torch_names, cutoff=0.85)
        if suggestion:
            return f"`layer` '{name}' matches no class{hint(suggestion)}"
    return None


def _string_layers(entry: DictValue) -> list[str]:
    names = _layer_names(entry.get("layer")) if "layer" in entry.entries else []
    if names is None or not all(isinstance(n, str) for n in names):
        return []
    return [str(n) for n in names]


def _is_base_init(result: Any) -> bool:
    return isinstance(result, Resolved) and result.initializer.model is not None and \
        issubclass(result.initializer.model, BaseInitArgs)


def check_init_cfg(value: Node, ctx: Optional[CheckContext] = None) -> list[Finding]:
    return _Checker(ctx or CheckContext()).check(value)


def _fires(issue: CallTimeIssue, reach: Reach) -> bool:
    if issue.when == "runs":
        return True
    if issue.when == "matched":
        return reach.matched is True
    if issue.when == "biased":
        return reach.biased is True
    return reach.weighted is True


def _layer_names(layer: Optional[Node]) -> Optional[list[object]]:
    """The names a `layer` value lists; None if unknown. Non-str items are kept (never match)."""
    if layer is None:
        return []
    if isinstance(layer, Scalar):
        if layer.value is None:
            return []
        return [layer.value] if isinstance(layer.value, str) else []
    if isinstance(layer, SeqValue):
        names: list[object] = []
        for item in layer.items:
            if isinstance(item, Unknown):
                return None
            names.append(item.value if isinstance(item, Scalar) else item)
        return names
    if isinstance(layer, Unknown):
        return None
    return []


def _to_input(node: Node) -> Any:
    """A node as the value Pydantic validates: Unknown stays a (valid-anywhere) Unknown."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, DictValue):
        return {k: _to_input(e.value) for k, e in node.entries.items()}
    if isinstance(node, SeqValue):
        items = [_to_input(i) for i in node.items]
        return items if node.kind == "list" else tuple(items)
    if isinstance(node, PyObject):
        return node.obj
    return node  # Unknown and ClassRef


def _describe(node: Node) -> str:
    if isinstance(node, Scalar):
        return f"{type(node.value).__name__} {node.value!r}"
    if isinstance(node, SeqValue):
        return node.kind
    if isinstance(node, DictValue):
        return "dict"
    if isinstance(node, ClassRef):
        return f"class {node.qualname}"
    return type(node).__name__


ARGUMENT_OWNERS = {
    field_name: name
    for name, model in BUILTIN_MODELS.items()
    for field_name in model.model_fields
    if field_name not in BaseInitArgs.model_fields and field_name not in ("type", "scope")
}


def _arguments(model: type[InitArgs]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items() if n != "type"]


def _unexpected_message(model: type[InitArgs], key: str) -> str:
    name = model.registry_name
    if key in model.fixed_args:
        return f"{name} fixes `{key}` itself; remove it (or use Kaiming to choose `{key}`)"
    if key == "override":
        return "an override cannot have its own `override`; list all overrides in the parent"
    if key == "_delete_":
        return ("`_delete_` is left over: it only works in a child config over a base that "
                "has this key; remove it")
    if key == "checkpoint":
        return f"{name} takes no `checkpoint`: only Pretrained does (a leftover of a merge?)"
    if name == "Pretrained" and key in BaseInitArgs.model_fields:
        return f"Pretrained takes no `{key}`: it loads whole modules; remove `{key}`"
    suggestion = did_you_mean(key, _arguments(model))
    if suggestion:
        return f"{name} takes no argument `{key}`{hint(suggestion)}"
    owner = ARGUMENT_OWNERS.get(key)
    if owner and owner != name:
        return f"{name} takes no argument `{key}` (it belongs to {owner})"
    return f"{name} takes no argument `{key}`; it takes " + ", ".join(
        f"`{a}`" for a in _arguments(model))


INVALID_MESSAGES = {
    "bias": "`bias` must be a number",
    "bias_prob": "`bias_prob` must be a float such as 0.01",
    "layer": "`layer` must be a class name or a list of class names (not a tuple)",
    "_scope_": "`_scope_` must be a string",
}


def _invalid_message(key: str, value: Any) -> str:
    shown = f"{value.qualname}" if isinstance(value, ClassRef) else repr(value)
    return f"{INVALID_MESSAGES.get(key, f'invalid `{key}`')}, got {shown}"


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, object, str]] = set()
    out = []
    for finding in findings:
        # One report per place: where there is no span (a Python value), per message.
        where: object = finding.span if finding.span is not None else finding.message
        key = (finding.code, where, format_path(finding.path))
        if key in seen:
            continue
        seen.add(key)
        out.append(finding)
    return out
