"""How a run starts (docs/finetune-evidence.md §1): which weights reach the model (`load_from`,
Pretrained init_cfgs, the deprecated `pretrained`), resuming, and what a frozen backbone is
frozen at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Optional

from ..config.sites import type_name
from ..findings import Finding
from ..fix.plan import AddEntry, FixPlan, InsertRow, RewriteEntry
from ..values import (
    DictValue,
    Entry,
    Node,
    PathPart,
    Scalar,
    SeqValue,
    Span,
    Unknown,
    truthiness,
)
from .base import Rule, Stage
from .configfacts import lookup_name
from .context import ConfigContext

# Model-zoo checkpoints of whole models, and the folders that hold backbone-only ones.
ZOO = re.compile(
    r"https?://download\.openmmlab\.com/(mmdetection|mmsegmentation|mmyolo|"
    r"mmclassification|mmpretrain|mmpose|mmrotate|mmocr)/"
)
WHOLE_MODEL = re.compile(
    r"(work_dirs/|(^|/)(epoch|iter)_\d+\.pth$|(^|/)latest\.pth$|"
    r"(^|/)best_[^/]*\.pth$)"
)
BACKBONE_ONLY = re.compile(
    r"(/pretrain/|/pretrained/|/backbone|_backbone|/v0\.5/pretrain|"
    r"/third_party/|/mmdet_pretrained/)",
    re.I,
)
PRETRAINED = ("Pretrained", "PretrainedInit")
# Top-level keys only an MMEngine-era config has (MMCV 1.x had `data`, `optimizer`, `runner`).
MMENGINE_KEYS = (
    "train_dataloader",
    "val_dataloader",
    "test_dataloader",
    "optim_wrapper",
    "param_scheduler",
    "default_hooks",
    "env_cfg",
    "default_scope",
)

Path = tuple[PathPart, ...]


def whole_model(checkpoint: str) -> bool:
    """Whether a checkpoint holds a whole model (keys `backbone.*`, `neck.*`, ...): a run's
    own (`work_dirs/`, `epoch_12.pth`) or a detector's or classifier's from the model zoo."""
    if WHOLE_MODEL.search(checkpoint):
        return True
    return bool(ZOO.match(checkpoint)) and not BACKBONE_ONLY.search(checkpoint)


@dataclass(frozen=True)
class _Pretrained:
    """A Pretrained entry of an init_cfg under `model`."""

    owner_path: Path  # to the dict holding `init_cfg`
    owner: DictValue
    path: Path  # to the entry
    entry: DictValue

    @property
    def checkpoint(self) -> Optional[Scalar]:
        value = self.entry.get("checkpoint")
        return value if isinstance(value, Scalar) and isinstance(value.value, str) else None


def _init_cfgs(node: Node, path: Path) -> Iterator[tuple[Path, DictValue, Node]]:
    """(owner path, owner dict, init_cfg value) of every `init_cfg` under a value."""
    if isinstance(node, DictValue):
        for key, entry in node.entries.items():
            if key == "init_cfg":
                yield path, node, entry.value
            yield from _init_cfgs(entry.value, (*path, key))
    elif isinstance(node, SeqValue):
        for i, item in enumerate(node.items):
            yield from _init_cfgs(item, (*path, i))


def _pretrained(ctx: ConfigContext) -> list[_Pretrained]:
    found: list[_Pretrained] = []
    if ctx.model is None:
        return found
    for owner_path, owner, value in _init_cfgs(ctx.model, ("model",)):
        entries = (
            [(value, ())]
            if isinstance(value, DictValue)
            else [(item, (i,)) for i, item in enumerate(value.items)]
            if isinstance(value, SeqValue)
            else []
        )
        for entry, inner in entries:
            if isinstance(entry, DictValue) and type_name(entry.get("type")) in PRETRAINED:
                found.append(
                    _Pretrained(owner_path, owner, (*owner_path, "init_cfg", *inner), entry)
                )
    return found


def _string(node: Optional[Node]) -> Optional[Scalar]:
    return node if isinstance(node, Scalar) and isinstance(node.value, str) else None


def _key_span(ctx: ConfigContext, key: str) -> Optional[Span]:
    entry = ctx.keys.entries.get(key)
    return (entry.key_span or entry.value.span) if entry is not None else None


def _short_url(url: str) -> str:
    """A long URL as its host and file name."""
    scheme, _, rest = url.partition("://")
    host, _, tail = rest.partition("/")
    return (
        url
        if len(url) <= 60 or "/" not in tail
        else f"{scheme}://{host}/.../{tail.rsplit('/', 1)[-1]}"
    )


def _path_text(path: Path) -> str:
    return ".".join(str(p) for p in path)


class LoadFromOverridesInit(Rule):
    code = "IL311"
    name = "load-from-overrides-init"
    severity = "info"
    stages = (Stage.CONFIG,)
    fix = "sometimes"  # where the config that sets load_from also writes that init_cfg
    applicability = "safe"
    opt_in = True  # official fine-tuning configs do this on purpose

    def check_config(self, ctx: ConfigContext) -> Iterator[Finding]:
        load_from = _string(ctx.keys.get("load_from"))
        if ctx.partial or load_from is None or not load_from.value:
            return
        found = [p for p in _pretrained(ctx) if p.checkpoint is not None]
        if not found:
            return
        first = found[0]
        checkpoint = first.checkpoint
        assert checkpoint is not None
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        where = _path_text(first.owner_path)
        yield self.finding(
            f"`load_from` replaces the weights that the Pretrained of `{where}` downloads "
            f"({checkpoint.value!r}){more}: the runner initialises the model, then loads "
            f"`load_from` over it; set `{where}.init_cfg=None` to skip the download",
            load_from.span,
            (*first.owner_path, "init_cfg"),
            related=(("the Pretrained is here", first.entry.span),)
            if first.entry.span is not None
            else (),
            fix=self._skip_download(first, load_from) if len(found) == 1 else None,
        )

    @classmethod
    def _skip_download(cls, found: _Pretrained, load_from: Scalar) -> Optional[FixPlan]:
        """`init_cfg=None` where the config that sets `load_from` writes that init_cfg."""
        entry = found.owner.entries.get("init_cfg")
        if (
            entry is None
            or entry.key_span is None
            or load_from.span is None
            or entry.key_span.file != load_from.span.file
            or not entry.key_span.file.endswith(".py")
        ):
            return None
        return cls.plan(
            f"Set `{_path_text(found.owner_path)}.init_cfg=None`",
            RewriteEntry.of(entry, "init_cfg", "None"),
        )


class ResumeFromIgnored(Rule):
    code = "IL312"
    name = "resume-from-ignored"
    severity = "warning"
    stages = (Stage.CONFIG,)
    fix = "sometimes"  # not where the file already sets `load_from` or `resume` itself
    applicability = "unsafe"

    def check_config(self, ctx: ConfigContext) -> Iterator[Finding]:
        entry = ctx.keys.entries.get("resume_from")
        if ctx.partial or entry is None or not self.mmengine_era(ctx):
            return
        value = entry.value
        if isinstance(value, Unknown) or (isinstance(value, Scalar) and value.value is None):
            return
        shown = f"{value.value!r}" if isinstance(value, Scalar) else "a value"
        yield self.finding(
            f"`resume_from` is an MMCV 1.x key that MMEngine's Runner never reads: the run "
            f"starts at epoch 0 instead of resuming {shown}; write `load_from` with the "
            "checkpoint and `resume = True`",
            entry.key_span or value.span,
            ("resume_from",),
            fix=self._resume(ctx, entry),
        )

    @classmethod
    def _resume(cls, ctx: ConfigContext, entry: Entry) -> Optional[FixPlan]:
        """`load_from = X` and `resume = True` in place of `resume_from = X`, in a Python
        config that sets neither itself (its bases may: this file's assignment wins)."""
        key = entry.key_span
        if (
            key is None
            or not key.file.endswith(".py")
            or key.file != ctx.name
            or any(name in ctx.loaded.assigned for name in ("load_from", "resume"))
            or entry.value.span is None
        ):
            return None
        return cls.plan(
            "Write `load_from` and `resume = True`",
            RewriteEntry.of(entry, "load_from", "{value}"),
            InsertRow(entry.value.span, "resume = True"),
        )

    @staticmethod
    def mmengine_era(ctx: ConfigContext) -> bool:
        return ctx.loaded.lazy or any(k in ctx.keys.entries for k in MMENGINE_KEYS)


class ResumeFromPretrained(Rule):
    code = "IL313"
    name = "resume-from-pretrained"
    severity = "warning"
    stages = (Stage.CONFIG,)

    def check_config(self, ctx: ConfigContext) -> Iterator[Finding]:
        resume = ctx.keys.get("resume")
        load_from = _string(ctx.keys.get("load_from"))
        if (
            ctx.partial
            or not (isinstance(resume, Scalar) and resume.value is True)
            or load_from is None
        ):
            return
        checkpoint = str(load_from.value)
        if "://" not in checkpoint:
            return  # a local file: one's own run, most likely
        published = checkpoint.startswith(
            ("https://download.openmmlab.com/", "http://download.openmmlab.com/")
        )
        outcome = (
            "a published model-zoo checkpoint keeps only the weights, so resuming "
            "raises (KeyError: 'message_hub')"
            if published
            else "resuming continues that run: its epoch, optimizer state and schedule"
        )
        yield self.finding(
            f"`resume = True` resumes from `load_from` ({_short_url(checkpoint)!r}): "
            f"{outcome}; to fine-tune from it, set `resume = False`",
            ctx.pick(_key_span(ctx, "resume"), load_from.span),
            ("resume",),
            severity="error" if published else None,
            related=(("load_from is set here", load_from.span),)
            if load_from.span is not None
            else (),
        )


class CheckpointWithoutPrefix(Rule):
    code = "IL314"
    name = "checkpoint-without-prefix"
    severity = "warning"
    stages = (Stage.CONFIG,)
    fix = "sometimes"  # where the Pretrained is a dict written in a Python file
    applicability = "unsafe"

    def check_config(self, ctx: ConfigContext) -> Iterator[Finding]:
        for found in _pretrained(ctx):
            checkpoint = found.checkpoint
            prefix = found.entry.get("prefix")
            if (
                len(found.owner_path) < 2
                or checkpoint is None
                or found.entry.open
                or (
                    prefix is not None and not (isinstance(prefix, Scalar) and prefix.value is None)
                )
            ):
                continue  # the whole model's own init_cfg, or a prefix is given
            if "backbone" in found.owner.entries:
                continue  # a whole detector inside a tracker: its keys are the checkpoint's
            if not whole_model(str(checkpoint.value)):
                continue
            module = _path_text(found.owner_path[1:])
            yield self.finding(
                f"{checkpoint.value!r} is a whole model's checkpoint (keys 'backbone.*', "
                f"'neck.*', ...) loaded into `{_path_text(found.owner_path)}` without "
                f"`prefix`: no key matches and it keeps its initial weights; add "
                f"prefix='{module}.'",
                checkpoint.span,
                (*found.path, "checkpoint"),
                fix=self.plan(
                    f"Add prefix='{module}.'",
                    AddEntry(found.entry.span, "prefix", repr(f"{module}.")),
                )
                if found.entry.span is not None and "prefix" not in found.entry.entries
                else None,
            )


class FrozenWithoutPretrained(Rule):
    code = "IL315"
    name = "frozen-without-pretrained"
    severity = "warning"
    stages = (Stage.CONFIG,)

    def check_config(self, ctx: ConfigContext) -> Iterator[Finding]:
        backbone = ctx.model.get("backbone") if ctx.model is not None else None
        if ctx.partial or not isinstance(backbone, DictValue) or ctx.model is None:
            return
        entry = backbone.entries.get("frozen_stages")
        frozen = entry.value if entry is not None else None
        if not (isinstance(frozen, Scalar) and isinstance(frozen.value, int)):
            return
        looked_up = lookup_name(backbone.get("type"), ctx.scope)
        found = ctx.classes.registered(*looked_up) if looked_up else []
        signature = ctx.classes.signature(found[0]) if len(found) == 1 else None
        default = signature.defaults.get("frozen_stages") if signature is not None else None
        if (
            not (isinstance(default, Scalar) and isinstance(default.value, int))
            or frozen.value <= default.value
            or self._weights_reach(ctx, backbone, signature)
        ):
            return
        name = found[0].name
        init_cfg = backbone.entries.get("init_cfg")
        # Reported where this config writes one of the settings that make it so.
        span = ctx.pick(
            frozen.span,
            _key_span(ctx, "load_from"),
            init_cfg.value.span if init_cfg is not None else None,
        )
        yield self.finding(
            f"frozen_stages={frozen.value} freezes {name} stages that no pretrained weights "
            f"reach (no Pretrained init_cfg, no `pretrained`, no `load_from`): they stay at "
            f"their random initial values; load weights, or keep the default "
            f"frozen_stages={default.value}",
            span,
            ("model", "backbone", "frozen_stages"),
            related=(("frozen_stages is set here", frozen.span),)
            if frozen.span is not None and frozen.span != span
            else (),
        )

    @staticmethod
    def _weights_reach(ctx: ConfigContext, backbone: DictValue, signature: object) -> bool:
        """Whether weights may reach the backbone (anything unknown counts as may)."""
        assert ctx.model is not None
        load_from = ctx.keys.get("load_from")
        if load_from is not None and truthiness(load_from) is not False:
            return True
        for holder in (ctx.model, backbone):
            pretrained = holder.get("pretrained")
            if pretrained is not None and truthiness(pretrained) is not False:
                return True
            if holder.open:
                return True
        for holder in (ctx.model, backbone):
            value = holder.get("init_cfg")
            if value is None and holder is backbone:
                defaults = getattr(signature, "defaults", {})
                value = defaults.get("init_cfg")
            if value is not None and _may_load(value):
                return True
        return False


def _may_load(value: Node) -> bool:
    """Whether an init_cfg value may hold a Pretrained (anything unknown: it may)."""
    if isinstance(value, Unknown):
        return True
    if isinstance(value, SeqValue):
        return any(_may_load(item) for item in value.items)
    if isinstance(value, DictValue):
        kind = value.get("type")
        return (
            value.open
            or kind is None
            or not isinstance(kind, Scalar)
            or type_name(kind) in PRETRAINED
        )
    return False


class DeprecatedPretrained(Rule):
    code = "IL201"
    name = "deprecated-pretrained"
    severity = "warning"
    stages = (Stage.CONFIG,)
    fix = "sometimes"  # the deprecated backbone `pretrained`; not the model's TypeError
    applicability = "unsafe"

    def check_config(self, ctx: ConfigContext) -> Iterator[Finding]:
        model = ctx.model
        if model is None:
            return
        yield from self._model_pretrained(ctx, model)
        yield from self._submodules(ctx, model, ("model",), ctx.scope, top=True)

    def _model_pretrained(self, ctx: ConfigContext, model: DictValue) -> Iterator[Finding]:
        entry = model.entries.get("pretrained")
        looked_up = lookup_name(model.get("type"), _scope(model, ctx.scope))
        if entry is None or looked_up is None:
            return
        found = ctx.classes.registered(*looked_up)
        signature = ctx.classes.signature(found[0]) if len(found) == 1 else None
        if signature is None or not signature.closed or "pretrained" in signature.names:
            return  # mmseg's segmentors and mmpretrain's classifiers still take it
        yield self.finding(
            f"{found[0].name} takes no `pretrained` (TypeError when the model is built): "
            "give the backbone `init_cfg=dict(type='Pretrained', checkpoint=...)` instead",
            entry.key_span or entry.value.span,
            ("model", "pretrained"),
            severity="error",
        )

    def _submodules(
        self, ctx: ConfigContext, node: Node, path: Path, scope: Optional[str], top: bool = False
    ) -> Iterator[Finding]:
        if isinstance(node, SeqValue):
            for i, item in enumerate(node.items):
                yield from self._submodules(ctx, item, (*path, i), scope)
            return
        if not isinstance(node, DictValue):
            return
        scope = _scope(node, scope)
        entry = node.entries.get("pretrained")
        if not top and entry is not None and _string(entry.value) is not None:
            looked_up = lookup_name(node.get("type"), scope)
            found = ctx.classes.registered(*looked_up) if looked_up else []
            if len(found) == 1 and ctx.classes.deprecates_pretrained(found[0]):
                value = _string(entry.value)
                assert value is not None
                # Not over an init_cfg the dict has (here or from a base): they would merge.
                fix = (
                    self.plan(
                        "Write init_cfg=dict(type='Pretrained', checkpoint=...)",
                        RewriteEntry.of(
                            entry, "init_cfg", "dict(type='Pretrained', checkpoint={value})"
                        ),
                    )
                    if node.has("init_cfg") is False
                    and entry.key_span is not None
                    and entry.key_span.file.endswith(".py")
                    else None
                )
                yield self.finding(
                    f"`pretrained` is deprecated for {found[0].name}: write "
                    f"init_cfg=dict(type='Pretrained', checkpoint={value.value!r})",
                    entry.key_span or value.span,
                    (*path, "pretrained"),
                    fix=fix,
                )
        for key, child in node.entries.items():
            if key != "init_cfg":
                yield from self._submodules(ctx, child.value, (*path, key), scope)


def _scope(node: DictValue, outer: Optional[str]) -> Optional[str]:
    scope = node.get("_scope_")
    return scope.value if isinstance(scope, Scalar) and isinstance(scope.value, str) else outer
