"""What an initializer is built with (grammar.md §4, §5): its `type`, the arguments its
`__init__` takes, their values when built, and the values the runtime only checks once the
initializer touches a module (§5.2)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Optional

from ..findings import Finding
from ..fix.plan import FixPlan, Rename, ReplaceString
from ..grammar.layers import Reach
from ..grammar.spec import base_arguments, builtin_specs
from ..suggest import did_you_mean, hint
from ..values import ClassRef, Entry, Scalar, Unknown
from .base import Rule, Stage
from .context import CallContext, EntryContext, OverrideContext, describe

if TYPE_CHECKING:
    from ..grammar.calls import CallTimeIssue
    from ..grammar.spec import Initializer

DELETE_KEY = "_delete_"  # a merge leftover: IL202 reports it


def _kinds(errors: list[Any]) -> set[str]:
    return {str(e["type"]) for e in errors}


class UnknownInitializer(Rule):
    code = "IL003"
    name = "unknown-initializer"
    severity = "error"
    stages = (Stage.ENTRY,)
    fix = "sometimes"
    applicability = "unsafe"

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        problem = ctx.type_problem
        node = ctx.type_node
        if problem is not None and node is not None:
            yield self.finding(
                problem.message,
                node.span,
                (*ctx.path, "type"),
                fix=self.suggested(node, problem.suggestion, ctx.site.initializers.names),
            )

    @classmethod
    def suggested(
        cls, node: object, suggestion: Optional[str], names: list[str]
    ) -> Optional[FixPlan]:
        """`type` as the suggestion: safe when it only differs in case or surrounding spaces
        from exactly one known name (the registry cannot mean anything else), else unsafe."""
        if not (
            isinstance(node, Scalar) and isinstance(node.value, str) and node.span and suggestion
        ):
            return None
        written = node.value
        return cls.plan(
            f"Replace '{written}' with '{suggestion}'",
            ReplaceString(node.span, written, suggestion),
            applicability="safe" if only_case(written, suggestion, names) else "unsafe",
        )


class UnexpectedArgument(Rule):
    code = "IL004"
    name = "unexpected-argument"
    severity = "error"
    stages = (Stage.ENTRY,)
    fix = "sometimes"
    applicability = "unsafe"

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        built, model = ctx.built, ctx.spec
        if model is None:
            return
        for key in built.bad_keys:
            entry = ctx.args[key]
            yield self.finding(
                f"argument names must be strings, got {key!r}",
                entry.key_span or ctx.node.span,
                (*ctx.path, str(key)),
            )
        for key, errors in built.errors.items():
            if "extra_forbidden" in _kinds(errors) and key != DELETE_KEY:
                entry = ctx.args[key]
                suggestion = unexpected_suggestion(model, key)
                fix = None
                if (
                    suggestion
                    and entry.key_span
                    and not _written_beside(ctx.node.entries.get(suggestion), entry)
                ):
                    fix = self.plan(
                        f"Rename `{key}` to `{suggestion}`", Rename(entry.key_span, key, suggestion)
                    )
                yield self.finding(
                    unexpected_message(model, key),
                    entry.key_span or entry.value.span,
                    (*ctx.path, key),
                    fix=fix,
                )


class MissingArgument(Rule):
    code = "IL005"
    name = "missing-argument"
    severity = "error"
    stages = (Stage.ENTRY,)

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        model = ctx.spec
        if model is None or ctx.node.open or ctx.completable:
            return  # keys we cannot see (an unknown mapping, the configs using a base)
        for key, errors in ctx.built.errors.items():
            kinds = _kinds(errors)
            if "missing" in kinds and "extra_forbidden" not in kinds:
                yield self.finding(
                    f"{model.registry_name} needs `{key}`; add {key}=...", ctx.node.span, ctx.path
                )


INVALID_MESSAGES = {
    "bias": "`bias` must be a number",
    "bias_prob": "`bias_prob` must be a float such as 0.01",
    "layer": "`layer` must be a class name or a list of class names (not a tuple)",
    "_scope_": "`_scope_` must be a string",
}


class InvalidArgumentValue(Rule):
    code = "IL006"
    name = "invalid-argument-value"
    severity = "error"
    stages = (Stage.ENTRY, Stage.OVERRIDE)

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        """What building the initializer rejects."""
        for key, errors in ctx.built.errors.items():
            if _kinds(errors) & {"extra_forbidden", "missing"}:
                continue
            entry = ctx.args[key]
            custom = next((e for e in errors if e["type"] == "invalid_value"), None)
            message = custom["msg"] if custom else _invalid_message(key, errors[0]["input"])
            yield self.finding(message, entry.value.span, (*ctx.path, key))

    def check_call(self, ctx: CallContext) -> Iterator[Finding]:
        """What the runtime checks only once the initializer touches a module (§5.2)."""
        for issue in ctx.instance.call_time_issues():
            if ctx.where and issue.field == "layer":
                continue  # an override ignores `layer`
            if _fires(issue, ctx.reach):
                entry = ctx.args.get(issue.field)
                yield self.finding(
                    issue.message + ctx.where,
                    entry.value.span if entry else None,
                    (*ctx.path, issue.field),
                )

    def check_override(self, ctx: OverrideContext) -> Iterator[Finding]:
        name = ctx.name
        if not ctx.has_name or name is None or isinstance(name, Unknown):
            return
        if not isinstance(name, Scalar):  # hasattr(module, name) needs a string
            shown = describe(name)
        elif not isinstance(name.value, str):
            shown = repr(name.value)
        else:
            return
        yield self.finding(
            f"override `name` must be an attribute name (a string), got {shown}",
            name.span,
            (*ctx.path, "name"),
        )


class BiasProbConflict(Rule):
    code = "IL106"
    name = "bias-prob-conflict"
    severity = "warning"
    stages = (Stage.ENTRY,)

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        prob = ctx.args.get("bias_prob")
        if (
            not ctx.base_init
            or prob is None
            or not (isinstance(prob.value, Scalar) and isinstance(prob.value.value, float))
        ):
            return
        p = prob.value.value
        bias = ctx.args.get("bias")
        if bias is not None:
            yield self.finding(
                "`bias_prob` overrides `bias`; keep one of them",
                bias.key_span or bias.value.span,
                (*ctx.path, "bias"),
            )
        if p != 0.0 and not 0.0 < p < 1.0:
            yield self.finding(
                f"`bias_prob={p}` is not a probability in (0, 1): the bias becomes inf or nan",
                prob.value.span,
                (*ctx.path, "bias_prob"),
            )


def _fires(issue: CallTimeIssue, reach: Reach) -> bool:
    if issue.when == "runs":
        return True
    if issue.when == "matched":
        return reach.matched is True
    if issue.when == "biased":
        return reach.biased is True
    return reach.weighted is True


def _invalid_message(key: str, value: Any) -> str:
    shown = f"{value.qualname}" if isinstance(value, ClassRef) else repr(value)
    return f"{INVALID_MESSAGES.get(key, f'invalid `{key}`')}, got {shown}"


def argument_owners() -> Mapping[str, str]:
    """Argument name -> the built-in initializer that takes it (`val` -> Constant)."""
    base = {a.key for a in base_arguments()}
    return {
        key: name for name, spec in builtin_specs().items() for key in spec.keys if key not in base
    }


def _written_beside(other: Optional[Entry], entry: Entry) -> bool:
    """Whether `other` (the key a rename would make) is there and written in the same file as
    `entry`: maybe in the same dict, where a second `std=` does not parse. From another file
    (a child config over its base) it is a key of another dict, merged."""
    if other is None:
        return False
    return (
        other.key_span is None
        or entry.key_span is None
        or other.key_span.file == entry.key_span.file
    )


def only_case(written: str, suggestion: str, names: list[str]) -> bool:
    """Whether `written` is `suggestion` with another case or surrounding spaces, and no
    other name folds to it."""
    folded = written.strip().casefold()
    if folded != suggestion.casefold():
        return False
    scope, dot, rest = suggestion.rpartition(".")
    bare = rest.casefold() if dot else folded
    return sum(1 for name in names if name.casefold() == bare) == 1


def unexpected_suggestion(model: Initializer, key: str) -> Optional[str]:
    """The argument `key` is a misspelling of, when `unexpected_message` suggests one."""
    if (
        key in model.fixed_args
        or key in ("override", "checkpoint")
        or (model.registry_name == "Pretrained" and key in {a.key for a in base_arguments()})
    ):
        return None
    return did_you_mean(key, model.keys)


def unexpected_message(model: Initializer, key: str) -> str:
    name = model.registry_name
    if key in model.fixed_args:
        return f"{name} fixes `{key}` itself; remove it (or use Kaiming to choose `{key}`)"
    if key == "override":
        return "an override cannot have its own `override`; list all overrides in the parent"
    if key == "_scope_":  # only mmcv 1.x refuses it: its registry passes it on
        return (
            f"{name} takes no `_scope_` in mmcv 1.x (its registry passes the key on to "
            "the initializer, a TypeError); remove it"
        )
    if key == "checkpoint":
        return f"{name} takes no `checkpoint`: only Pretrained does (a leftover of a merge?)"
    if name == "Pretrained" and key in {a.key for a in base_arguments()}:
        return f"Pretrained takes no `{key}`: it loads whole modules; remove `{key}`"
    suggestion = did_you_mean(key, model.keys)
    if suggestion:
        return f"{name} takes no argument `{key}`{hint(suggestion)}"
    owner = argument_owners().get(key)
    if owner and owner != name:
        return f"{name} takes no argument `{key}` (it belongs to {owner})"
    return f"{name} takes no argument `{key}`; it takes " + ", ".join(f"`{a}`" for a in model.keys)
