"""Fixes: what a rule states (`plan`), the exact edits it becomes (`resolve`, libcst where the
structure matters), and applying them to a fixed point (`apply`). Only `plan` is imported
here: reading and linting never load libcst."""

from .plan import (
    AddEntry,
    Applicability,
    FixPlan,
    InsertRow,
    MakeTuple,
    Operation,
    Remove,
    Rename,
    Replace,
    ReplaceString,
    RewriteEntry,
)

__all__ = [
    "AddEntry",
    "Applicability",
    "FixPlan",
    "InsertRow",
    "MakeTuple",
    "Operation",
    "Remove",
    "Rename",
    "Replace",
    "ReplaceString",
    "RewriteEntry",
]
