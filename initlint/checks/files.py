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
    """A file (or a value in it) beyond a bound of `initlint/limits.py`: analysed no further,
    so that one generated or hostile file cannot stall the run."""

    code = "IL904"
    name = "too-large-to-analyse"
    severity = "warning"
    stages = (Stage.FILE,)

    @classmethod
    def at(cls, span: Span, message: str) -> Finding:
        return cls.finding(message, span)


class InternalError(Rule):
    """An unexpected failure of initlint while analysing one file: reported on that file, the
    other files are still linted, and the run exits 2 (as ruff does for a panic)."""

    code = "IL905"
    name = "internal-error"
    severity = "error"
    stages = (Stage.FILE,)

    @classmethod
    def at(cls, span: Span, message: str) -> Finding:
        return cls.finding(message, span)
