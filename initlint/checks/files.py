"""Files initlint reads: what cannot be read, decoded or parsed is reported where it is, and
the run goes on."""

from __future__ import annotations

from ..findings import Finding
from ..values import Span
from .base import Rule, Stage


class UnreadableFile(Rule):
    code = "IL901"
    name = "syntax-error"
    severity = "error"
    stages = (Stage.FILE,)

    @classmethod
    def at(cls, span: Span, message: str) -> Finding:
        return cls.finding(message, span)


class TooLargeToAnalyse(Rule):
    code = "IL904"
    name = "too-large-to-analyse"
    severity = "warning"
    stages = (Stage.FILE,)

    @classmethod
    def at(cls, span: Span, message: str) -> Finding:
        return cls.finding(message, span)
