"""What a rule is: its code, name, severity, the stages it runs at, whether and how safely it
can fix what it finds, and its document (`rules/ILnnn-name.md`, loaded by the catalogue).

A rule judges at one or more stages, each a method the engine calls with that stage's context
(`check_value`, `check_entry`, `check_call`, `check_overrides`, `check_override`,
`check_receiver`, `check_config` for a whole merged config (its datasets, heads, runner
settings), and `check_source` once per linted model source). Rules found while a file is read or
a config is loaded have no method: their classmethods build the findings the reader and the
loader report, so that a rule's code and its messages live in one class.

An `opt_in` rule runs only when selected by its code or a prefix more specific than `IL`
(`IL311`, `IL31`, `IL3`): `ALL`, the default selection, leaves it off (ruff's preview rules).
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from typing import TYPE_CHECKING, ClassVar, Literal, Optional

from ..findings import Finding, Severity
from ..fix.plan import Applicability, FixPlan, Operation
from ..values import PathPart, Span

if TYPE_CHECKING:
    from .context import (
        CallContext,
        ConfigContext,
        EntryContext,
        OverrideContext,
        OverridesContext,
        SiteContext,
        SourceContext,
        ValueContext,
    )


class Stage(str, Enum):
    FILE = "file"  # reading a file: decoding, parsing, its suppression comments
    CONFIG = "config"  # loading a config (`_base_` files, their merge) and the merged whole
    VALUE = "value"  # one init_cfg value as a whole: its shape, how its entries interact
    ENTRY = "entry"  # one initializer dict (an entry or a typed override), built and run
    OVERRIDE = "override"  # an entry's `override` and each of its items
    CLASS = "class"  # the class that receives the init_cfg
    SOURCE = "source"  # a model source as a whole: the modules its classes build and hold


FixAvailability = Literal["none", "sometimes", "always"]
Status = Literal["active", "reserved", "removed"]


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    stages: ClassVar[tuple[Stage, ...]]
    fix: ClassVar[FixAvailability] = "none"
    # How safe its fixes are as a rule; one fix may say otherwise (IL003 fixes a case slip
    # safely and a misspelling unsafely), as its document's Fix safety section explains.
    applicability: ClassVar[Optional[Applicability]] = None
    status: ClassVar[Status] = "active"
    # Off unless selected by code or a specific prefix (`ALL` does not select it).
    opt_in: ClassVar[bool] = False

    @classmethod
    def finding(
        cls,
        message: str,
        span: Optional[Span] = None,
        path: tuple[PathPart, ...] = (),
        severity: Optional[Severity] = None,
        related: tuple[tuple[str, Span], ...] = (),
        fix: Optional[FixPlan] = None,
    ) -> Finding:
        return Finding(cls.code, message, span, path, severity, related, fix)

    @classmethod
    def plan(
        cls,
        message: str,
        *operations: Optional[Operation],
        applicability: Optional[Applicability] = None,
    ) -> Optional[FixPlan]:
        """A fix for `finding(..., fix=)`: `operations` applied together (None when one of
        them is None, i.e. could not be stated), at the rule's applicability unless given."""
        chosen = applicability or cls.applicability
        if chosen is None or not operations or any(op is None for op in operations):
            return None
        return FixPlan(message, chosen, tuple(op for op in operations if op is not None))

    # The stages' methods: a rule implements those of the stages it judges at.
    def check_value(self, ctx: ValueContext) -> Iterator[Finding]:
        return iter(())

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        return iter(())

    def check_call(self, ctx: CallContext) -> Iterator[Finding]:
        return iter(())

    def check_overrides(self, ctx: OverridesContext) -> Iterator[Finding]:
        return iter(())

    def check_override(self, ctx: OverrideContext) -> Iterator[Finding]:
        return iter(())

    def check_receiver(self, ctx: SiteContext) -> Iterator[Finding]:
        return iter(())

    def check_config(self, ctx: ConfigContext) -> Iterator[Finding]:
        return iter(())

    def check_source(self, ctx: SourceContext) -> Iterator[Finding]:
        return iter(())


HOOKS = (
    "check_value",
    "check_entry",
    "check_call",
    "check_overrides",
    "check_override",
    "check_receiver",
    "check_config",
    "check_source",
)


def implements(rule: type[Rule], hook: str) -> bool:
    return getattr(rule, hook) is not getattr(Rule, hook)


class Reserved:
    """A code that is taken but has no rule (yet, or any more): it is never given to another."""

    def __init__(self, code: str, name: str, status: Status, note: str) -> None:
        self.code, self.name, self.status, self.note = code, name, status, note
