"""Checkpoint strings as MMEngine's CheckpointLoader dispatches them (grammar.md §9, §13):
a scheme it does not know is read as a local file that does not exist."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Optional

from ..findings import Finding
from ..grammar.checkpoints import SCHEME_RE, hub_names, schemes
from ..suggest import did_you_mean, hint
from ..values import Scalar
from .base import Rule, Stage
from .context import EntryContext


def _checkpoint(ctx: EntryContext) -> Optional[Scalar]:
    """The checkpoint string of a Pretrained entry."""
    checkpoint = ctx.args.get("checkpoint")
    if ctx.spec is None or ctx.spec.registry_name != "Pretrained" or checkpoint is None:
        return None
    value = checkpoint.value
    return value if isinstance(value, Scalar) and isinstance(value.value, str) else None


class UnknownCheckpoint(Rule):
    code = "IL013"
    name = "unknown-checkpoint"
    severity = "error"
    stages = (Stage.ENTRY,)

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        checkpoint = _checkpoint(ctx)
        problem = self.problem(str(checkpoint.value), ctx.site.target) \
            if checkpoint is not None else None
        if checkpoint is not None and problem:
            yield self.finding(problem, checkpoint.span, (*ctx.path, "checkpoint"))

    @classmethod
    def pretrained(cls, value: Scalar, target: str) -> Optional[Finding]:
        """A `pretrained='...'` string: the backbone loads it as a checkpoint."""
        problem = cls.problem(str(value.value), target) if isinstance(value.value, str) \
            else None
        return cls.finding(problem, value.span) if problem else None

    @staticmethod
    def problem(path: str, target: str = "mmengine") -> Optional[str]:
        """Why the loader cannot load `path`, when that is known statically."""
        if path == "":
            return None  # IL108
        prefixes, plain = schemes(target)
        scheme = next((s for s in prefixes if re.match(s, path)), None)
        if scheme is None:
            match = SCHEME_RE.match(path)
            if match is None or len(match.group(2)) == 1:
                # A local path (or a Windows drive, 'C://'): whether it exists is only known
                # where training runs.
                return None
            written = path[: match.end()]
            suggestion = did_you_mean(written, plain)
            if target == "mmcv1" and written.endswith("petrel://"):
                return (f"mmcv 1.x has no '{written}' loader: it is read as a local file that "
                        "does not exist; use 's3://' (or MMEngine)")
            return (f"unknown checkpoint scheme '{written}' (it is read as a local file that "
                    f"does not exist){hint(suggestion)}")
        hub = hub_names()
        name = path[len(scheme):]
        if scheme in ("open-mmlab://", "openmmlab://"):
            target = hub.deprecated.get(name, name)
            if target in hub.openmmlab:
                return None
            if name in hub.deprecated:
                return f"'{scheme}{name}' is a deprecated alias of '{target}', which no " \
                       "longer exists"
            return _unknown_name(scheme, name, hub.openmmlab)
        if scheme == "mmcls://":
            return None if name in hub.mmcls else _unknown_name(scheme, name, hub.mmcls)
        if scheme in ("torchvision://", "modelzoo://"):
            # torchvision >= 0.13 adds '<model>.<weights>' keys, always lower case.
            if name in hub.torchvision or ("." in name and name == name.lower()):
                return None
            return _unknown_name(scheme, name, hub.torchvision)
        return None


class PlaceholderCheckpoint(Rule):
    code = "IL108"
    name = "placeholder-checkpoint"
    severity = "warning"
    stages = (Stage.ENTRY,)

    def check_entry(self, ctx: EntryContext) -> Iterator[Finding]:
        checkpoint = _checkpoint(ctx)
        if checkpoint is not None and checkpoint.value == "":
            yield self.finding("`checkpoint=''` is a placeholder: loading fails unless it is set "
                               "(e.g. with --cfg-options)", checkpoint.span,
                               (*ctx.path, "checkpoint"))


def _unknown_name(scheme: str, name: str, names: frozenset[str]) -> str:
    suggestion = did_you_mean(name, sorted(names))
    full = scheme + suggestion if suggestion else None
    return f"'{name}' is not a known {scheme} model{hint(full)}"
