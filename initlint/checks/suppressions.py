"""Suppression comments themselves (suppress.py finds them): one that names no rule, and one
that silences nothing."""

from __future__ import annotations

from .base import Rule, Stage


class BlanketIgnore(Rule):
    code = "IL401"
    name = "blanket-ignore"
    severity = "warning"
    stages = (Stage.FILE,)
    fix = "always"
    applicability = "safe"  # a bare noqa comment: display-only, it may be there for flake8


class UnusedIgnore(Rule):
    code = "IL402"
    name = "unused-ignore"
    severity = "warning"
    stages = (Stage.FILE,)
    fix = "always"
    applicability = "safe"
