"""Checkpoint strings as MMEngine's CheckpointLoader dispatches them (grammar.md §9, §13):
a scheme it does not know is read as a local file that does not exist."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Optional

from ..findings import Finding
from ..fix.plan import FixPlan, ReplaceString
from ..grammar.checkpoints import PLAIN_SCHEMES, hub_names, schemes
from ..suggest import did_you_mean, hint
from ..values import Scalar
from .base import Rule, Stage
from .context import ConfigContext, EntryContext


def _checkpoint(ctx: EntryContext) -> Optional[Scalar]:
    """The checkpoint string of a Pretrained entry."""
    checkpoint = ctx.args.get("checkpoint")
    if ctx.spec is None or ctx.spec.registry_name != "Pretrained" or checkpoint is None:
        return None
    value = checkpoint.value
    return value if isinstance(value, Scalar) and isinstance(value.value, str) else None


# Schemes that reach the same loader: a misspelling close to two of them is still one fix.
SCHEME_ALIASES = ({"open-mmlab", "openmmlab"}, {"torchvision", "modelzoo"})
SCHEME_WORD = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)([:/]+)")


class UnknownCheckpoint(Rule):
    code = "IL013"
    name = "unknown-checkpoint"
    severity = "error"
    stages = (Stage.ENTRY, Stage.CONFIG)
    fix = "sometimes"
    applicability = "safe"

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        checkpoint = _checkpoint(ctx)
        problem = (
            self.problem(str(checkpoint.value), ctx.site.target) if checkpoint is not None else None
        )
        if checkpoint is not None and problem:
            yield self.finding(
                problem, checkpoint.span, (*ctx.path, "checkpoint"), fix=self.repair(checkpoint)
            )

    def check_config(self, ctx: ConfigContext) -> Iterator[Finding]:
        """`load_from`, which the runner loads with the same CheckpointLoader."""
        load_from = ctx.keys.get("load_from")
        if isinstance(load_from, Scalar) and isinstance(load_from.value, str):
            problem = self.problem(load_from.value, ctx.target)
            if problem:
                yield self.finding(
                    f"load_from: {problem}",
                    load_from.span,
                    ("load_from",),
                    fix=self.repair(load_from),
                )

    @classmethod
    def repair(cls, checkpoint: Scalar) -> Optional[FixPlan]:
        """The checkpoint with its scheme repaired, when one scheme is meant."""
        path = str(checkpoint.value)
        repaired = scheme_repair(path)
        if repaired is None or checkpoint.span is None:
            return None
        return cls.plan(
            f"Replace '{path[: len(path) - len(repaired[1])]}' with '{repaired[0]}'",
            ReplaceString(checkpoint.span, path, "".join(repaired)),
        )

    @classmethod
    def pretrained(cls, value: Scalar, target: str) -> Optional[Finding]:
        """A `pretrained='...'` string: the backbone loads it as a checkpoint."""
        problem = cls.problem(str(value.value), target) if isinstance(value.value, str) else None
        return cls.finding(problem, value.span, fix=cls.repair(value)) if problem else None

    @staticmethod
    def problem(path: str, target: str = "mmengine") -> Optional[str]:
        """Why the loader cannot load `path`, when that is known statically."""
        if path == "":
            return None  # IL108
        prefixes, plain = schemes(target)
        scheme = next((s for s in prefixes if re.match(s, path)), None)
        if scheme is None:
            # Anything with '://' that no loader claims is read as a local file: a broken
            # scheme ('open-mmlab:://x', 'https:://host'). A plain local path (or a Windows
            # drive, 'C://') is unjudged: whether it exists is only known where training runs.
            end = path.find("://")
            if end < 0 or (end == 1 and path[0].isalpha()):
                return None
            written = path[: end + 3]
            suggestion = did_you_mean(written, plain)
            if target == "mmcv1" and written.endswith("petrel://"):
                return (
                    f"mmcv 1.x has no '{written}' loader: it is read as a local file that "
                    "does not exist; use 's3://' (or MMEngine)"
                )
            return (
                f"unknown checkpoint scheme '{written}' (it is read as a local file that "
                f"does not exist){hint(suggestion)}"
            )
        hub = hub_names()
        name = path[len(scheme) :]
        if scheme in ("open-mmlab://", "openmmlab://"):
            target = hub.deprecated.get(name, name)
            if target in hub.openmmlab:
                return None
            if name in hub.deprecated:
                return (
                    f"'{scheme}{name}' is a deprecated alias of '{target}', which no longer exists"
                )
            return _unknown_name(scheme, name, hub.openmmlab)
        if scheme == "mmcls://":
            return None if name in hub.mmcls else _unknown_name(scheme, name, hub.mmcls)
        if scheme in ("torchvision://", "modelzoo://"):
            # torchvision >= 0.13 adds '<model>.<weights>' keys, always lower case.
            if name in hub.torchvision or ("." in name and name == name.lower()):
                return None
            return _unknown_name(scheme, name, hub.torchvision)
        return None


def scheme_repair(path: str) -> Optional[tuple[str, str]]:
    """(the scheme, the rest) of `path` with its scheme repaired, when exactly one known
    scheme (or one group of aliases) is meant: a wrong case (`HTTPS://`), a wrong separator
    (`open-mmlab:://`) or one close spelling (`torchvison://`)."""
    match = SCHEME_WORD.match(path)
    if match is None or "://" not in match.group(2):
        return None
    word, rest = match.group(1), path[match.end() :]
    words = [s[:-3] for s in PLAIN_SCHEMES]
    folded = word.casefold()
    if folded in words:
        fixed = folded
    else:
        close = difflib.get_close_matches(folded, words, n=3, cutoff=0.75)
        if not close or not any(set(close) <= group for group in SCHEME_ALIASES) and len(close) > 1:
            return None
        fixed = close[0]
    if fixed + "://" == path[: match.end()]:
        return None  # nothing to repair: the problem is the name after it
    return fixed + "://", rest


class PlaceholderCheckpoint(Rule):
    code = "IL108"
    name = "placeholder-checkpoint"
    severity = "warning"
    stages = (Stage.ENTRY,)

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        checkpoint = _checkpoint(ctx)
        if checkpoint is not None and checkpoint.value == "":
            yield self.finding(
                "`checkpoint=''` is a placeholder: loading fails unless it is set "
                "(e.g. with --cfg-options)",
                checkpoint.span,
                (*ctx.path, "checkpoint"),
            )


def _unknown_name(scheme: str, name: str, names: frozenset[str]) -> str:
    suggestion = did_you_mean(name, sorted(names))
    full = scheme + suggestion if suggestion else None
    return f"'{name}' is not a known {scheme} model{hint(full)}"
