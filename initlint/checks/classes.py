"""The dataset's classes against the model that learns them (docs/finetune-evidence.md §1): a
head's `num_classes` against each split's classes, heads of one model that disagree, and the
`metainfo` mistakes that leave a dataset with other classes than the config means."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Optional

from ..findings import Finding, Severity
from ..fix.plan import MakeTuple
from ..suggest import did_you_mean, hint
from ..values import DictValue, Node, PathPart, Scalar, SeqValue, Span, to_python
from .base import Rule, Stage
from .configfacts import ClassCount, DatasetRef, Head, assigners
from .context import ConfigContext


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 'es' if word.endswith('s') else 's'}"


def _splits(refs: list[DatasetRef]) -> str:
    """`the train dataset has`, `the val and test datasets have` (a ConcatDataset's parts are
    datasets of one split)."""
    names = list(dict.fromkeys(r.split for r in refs))
    shown = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    many = len({id(r.node) for r in refs}) > 1
    return f"the {shown} dataset{'s have' if many else ' has'}"


@dataclass(frozen=True)
class _Place:
    """A finding before it is grouped with the others reported at the same place."""

    span: Optional[Span]
    severity: Severity
    message: str
    path: tuple[PathPart, ...]
    related: tuple[tuple[str, Span], ...] = ()


def _grouped(found: list[_Place], rule: type[Rule]) -> Iterator[Finding]:
    """One finding per place (the worst, errors first), naming how many more share it: a
    diagnostic is one per code and place."""
    by_place: dict[Optional[Span], list[_Place]] = {}
    for place in found:
        by_place.setdefault(place.span, []).append(place)
    for span, places in by_place.items():
        places.sort(key=lambda p: p.severity != "error")
        first = places[0]
        more = f" (and {len(places) - 1} more here)" if len(places) > 1 else ""
        yield rule.finding(first.message + more, span, first.path, first.severity, first.related)


@dataclass(frozen=True)
class _Mismatch:
    head: Head
    count: ClassCount
    refs: list[DatasetRef]


class NumClassesMismatch(Rule):
    code = "IL301"
    name = "num-classes-mismatch"
    severity = "error"
    stages = (Stage.CONFIG,)

    def check_config(self, ctx: ConfigContext) -> Iterator[Finding]:
        if ctx.partial or not ctx.heads:
            return
        found: list[_Place] = []
        for mismatch in self._mismatches(ctx):
            head, count = mismatch.head, mismatch.count
            n, classes = head.value, count.count
            training = any(r.split == "train" for r in mismatch.refs)
            agreed = any(c.count == n and r.split == "train" for r, c in ctx.counts)
            where = f"{_splits(mismatch.refs)} {_plural(classes, 'class')} ({count.source})"
            severity: Severity = "warning"
            if n < classes:
                severity = "error" if training else "warning"
                labels = f"label {n} is" if classes == n + 1 else f"labels {n}..{classes - 1} are"
                message = (
                    f"`{head.shown}` is {n} but {where}: {labels} out of range "
                    "(training raises, or trains them as background); set "
                    f"num_classes={classes}"
                )
                if not training:
                    message = (
                        f"`{head.shown}` is {n} but {where}: evaluation meets labels "
                        "the head cannot predict; give that split the training "
                        "classes"
                    )
            elif n == classes + 1:
                message = (
                    f"`{head.shown}` is {n} for {_plural(classes, 'class')} "
                    f"({count.source}): counting the background is the MMDetection 1.x "
                    f"convention; heads add it themselves now; set num_classes={classes}"
                )
            else:
                message = (
                    f"`{head.shown}` is {n} but {where}: {n - classes} of its outputs "
                    f"are never trained; set num_classes={classes}"
                )
            ref = mismatch.refs[0]
            dataset_first = agreed and not training
            spans = (
                (count.span, ref.node.span, head.span)
                if dataset_first
                else (head.span, count.span, ref.node.span)
            )
            span = ctx.pick(*spans)
            path = (
                (*ref.path, "metainfo", "classes")
                if span is not head.span and count.span is not None and span is count.span
                else ref.path
                if span is ref.node.span and span is not head.span
                else head.path
            )
            related = tuple(
                (text, s)
                for text, s in (
                    ("num_classes is set here", head.span),
                    ("the classes are given here", count.span),
                )
                if s is not None and s is not span
            )
            found.append(_Place(span, severity, message, path, related))
        yield from _grouped(found, type(self))

    @staticmethod
    def _mismatches(ctx: ConfigContext) -> list[_Mismatch]:
        out: list[_Mismatch] = []
        for head in ctx.heads:
            groups: dict[tuple[int, Optional[Span], str], list[DatasetRef]] = {}
            for ref, count in ctx.counts:
                if count.count == head.value:
                    continue
                if (
                    ctx.library == "mmseg"
                    and head.value == count.count - 1
                    and ctx.reduces_zero_label(ref) is not False
                ):
                    continue  # label 0 is ignored: the labels are 0..count-2
                groups.setdefault((count.count, count.span, count.source), []).append(ref)
            for (number, span, source), refs in groups.items():
                out.append(_Mismatch(head, ClassCount(number, span, source), refs))
        return out


class HeadsDisagree(Rule):
    code = "IL302"
    name = "heads-disagree"
    severity = "warning"
    stages = (Stage.CONFIG,)

    def check_config(self, ctx: ConfigContext) -> Iterator[Finding]:
        if ctx.partial:
            return
        group = list(ctx.heads)
        if ctx.library == "mmyolo":
            group += assigners(ctx.model)
        if len(group) < 2:
            return
        first = group[0]
        found: list[_Place] = []
        for other in group[1:]:
            if other.value == first.value:
                continue
            assigner = "assigner" in (other.role, first.role)
            severity: Severity = "error" if assigner else "warning"
            if assigner:
                message = (
                    f"`{other.shown}` is {other.value} but `{first.shown}` is "
                    f"{first.value}: the assigner one-hot encodes labels to "
                    f"{other.value} classes against {first.value} scores (ValueError: "
                    "Target size must be the same as input size); set both to the "
                    "dataset's number of classes"
                )
            else:
                message = (
                    f"`{other.shown}` is {other.value} but `{first.shown}` is "
                    f"{first.value}: the heads of one model predict different "
                    "classes; set both to the dataset's number of classes"
                )
            span = ctx.pick(other.span, first.span)
            path = first.path if span is first.span and span is not other.span else other.path
            related = tuple(
                (f"`{h.shown}` is set here", h.span)
                for h in (first, other)
                if h.span is not None and h.span is not span
            )
            found.append(_Place(span, severity, message, path, related))
        yield from _grouped(found, type(self))


def _metainfos(ctx: ConfigContext) -> Iterator[tuple[DatasetRef, DictValue]]:
    """Each dataset's `metainfo` dict, once per dict (val and test often share one)."""
    seen: set[int] = set()
    for ref in ctx.datasets:
        meta = ref.node.get("metainfo")
        if isinstance(meta, DictValue) and id(meta) not in seen:
            seen.add(id(meta))
            yield ref, meta


def _looks_like_file(text: str) -> bool:
    """A `classes` string the runtime would read as a file of class names."""
    return os.sep in text or "/" in text or bool(os.path.splitext(text)[1])


class ClassesAsString(Rule):
    code = "IL303"
    name = "classes-as-string"
    severity = "warning"
    stages = (Stage.CONFIG,)
    fix = "always"
    applicability = "safe"

    def check_config(self, ctx: ConfigContext) -> Iterator[Finding]:
        seen: set[int] = set()
        for ref, meta in _metainfos(ctx):
            classes = meta.get("classes")
            if (
                not (isinstance(classes, Scalar) and isinstance(classes.value, str))
                or id(classes) in seen
                or _looks_like_file(classes.value)
            ):
                continue
            seen.add(id(classes))
            text = classes.value
            letters = ", ".join(repr(c) for c in text[:3]) + (", ..." if len(text) > 3 else "")
            yield self.finding(
                f"`classes` is the string {text!r}, not a tuple (parentheses alone make no "
                f"tuple): the dataset tries it as a file of class names, then takes it as "
                f"{_plural(len(text), 'class')} ({letters}); write ({text!r},)",
                classes.span,
                (*ref.path, "metainfo", "classes"),
                fix=self.plan(f"Write ({text!r},)", MakeTuple(classes.span))
                if classes.span is not None
                else None,
            )


# Keys of MMEngine-era metainfo every dataset reads; a class's own METAINFO adds its keys.
METAINFO_KEYS = ("classes", "palette")


class UnknownMetainfoKey(Rule):
    code = "IL304"
    name = "unknown-metainfo-key"
    severity = "warning"
    stages = (Stage.CONFIG,)

    def check_config(self, ctx: ConfigContext) -> Iterator[Finding]:
        for ref, meta in _metainfos(ctx):
            own = ctx.dataset_metainfo(ref)
            if own is None:
                continue  # the dataset class (and the keys it reads) is not known
            known = list(
                dict.fromkeys([*METAINFO_KEYS, *(k for k in own.entries if isinstance(k, str))])
            )
            for key, entry in meta.entries.items():
                if not isinstance(key, str) or key in known:
                    continue
                suggestion = self._meant(key, known)
                if suggestion is None:
                    continue
                yield self.finding(
                    f"metainfo key `{key}` is not one the dataset reads, so it keeps its own "
                    f"`{suggestion}`{hint(suggestion)}",
                    entry.key_span or entry.value.span,
                    (*ref.path, "metainfo", key),
                )
        yield from self._classes_argument(ctx)

    @staticmethod
    def _meant(key: str, known: list[str]) -> Optional[str]:
        """The known key a misspelt or 2.x-era key stands for (`CLASSES`, `class`)."""
        folded = {k.casefold(): k for k in known}
        if key.casefold() in folded:
            return folded[key.casefold()]
        if key.casefold() == "class" and "classes" in known:
            return "classes"
        return did_you_mean(key, known, cutoff=0.8)

    def _classes_argument(self, ctx: ConfigContext) -> Iterator[Finding]:
        """The 2.x `classes=` argument of a dataset that takes none (TypeError when built)."""
        if ctx.library not in ("mmdet", "mmseg", "mmyolo"):
            return  # mmpretrain's datasets take `classes`
        for ref in ctx.datasets:
            entry = ref.node.entries.get("classes")
            cls = ctx.dataset_class(ref) if entry is not None else None
            signature = ctx.classes.signature(cls) if cls is not None else None
            if (
                entry is None
                or signature is None
                or not signature.closed
                or "classes" in signature.names
            ):
                continue
            yield self.finding(
                f"{cls.name if cls else 'the dataset'} takes no `classes` argument (TypeError "
                "when it is built): MMEngine-era datasets take `metainfo=dict(classes=...)`",
                entry.key_span or entry.value.span,
                (*ref.path, "classes"),
                severity="error",
            )


class PaletteLength(Rule):
    code = "IL305"
    name = "palette-length"
    severity = "error"
    stages = (Stage.CONFIG,)

    def check_config(self, ctx: ConfigContext) -> Iterator[Finding]:
        for ref, meta in _metainfos(ctx):
            palette = meta.get("palette")
            if not isinstance(palette, SeqValue) or not palette.items:
                continue  # an empty palette is generated
            classes: Optional[Node] = meta.get("classes")
            if classes is None and not meta.open:
                own = ctx.dataset_metainfo(ref)
                classes = own.get("classes") if own is not None else None
            if not isinstance(classes, SeqValue) or len(palette.items) >= len(classes.items):
                continue
            colours, count = len(palette.items), len(classes.items)
            if ctx.library == "mmseg":
                yield self.finding(
                    f"the palette has {_plural(colours, 'colour')} for "
                    f"{_plural(count, 'class')}: the dataset raises when it is built "
                    "(ValueError: palette does not match classes); give one colour per class",
                    palette.span,
                    (*ref.path, "metainfo", "palette"),
                )
            else:
                yield self.finding(
                    f"the palette has {_plural(colours, 'colour')} for "
                    f"{_plural(count, 'class')}: drawing a prediction of class {colours} or "
                    "above raises (AssertionError in the visualizer); give one colour per "
                    "class",
                    palette.span,
                    (*ref.path, "metainfo", "palette"),
                    severity="warning",
                )


# Top-level names configs keep their classes in.
CLASS_VARIABLES = ("classes", "class_names", "class_name", "metainfo", "CLASSES")


class ClassesNotPassed(Rule):
    code = "IL306"
    name = "classes-not-passed"
    severity = "warning"
    stages = (Stage.CONFIG,)

    def check_config(self, ctx: ConfigContext) -> Iterator[Finding]:
        if ctx.partial or not ctx.heads:
            return
        given = self._given(ctx)
        for variable in CLASS_VARIABLES:
            entry = ctx.keys.entries.get(variable)
            if entry is None:
                continue
            value = entry.value
            classes = (
                value.get("classes")
                if variable == "metainfo" and isinstance(value, DictValue)
                else value
            )
            if not isinstance(classes, SeqValue) or self._reaches(value, classes, given):
                continue
            defaulted = [(ref, count) for ref, count in ctx.counts if count.span is None]
            differs = [
                (head, ref, count)
                for head in ctx.heads
                for ref, count in defaulted
                if head.value != count.count
            ]
            if not differs:
                continue
            head, ref, count = differs[0]
            yield self.finding(
                f"`{variable}` is defined but reaches no dataset: {_splits([ref])} "
                f"{_plural(count.count, 'class')} ({count.source}) while `{head.shown}` is "
                f"{head.value}; pass it to every split as `metainfo=dict(classes=...)`",
                entry.key_span or value.span,
                (variable,),
            )

    @staticmethod
    def _given(ctx: ConfigContext) -> list[Node]:
        """What the datasets get: each metainfo, its classes, an mmpretrain `classes=`."""
        found: list[Node] = []
        for ref in ctx.datasets:
            meta = ref.node.get("metainfo")
            if meta is not None:
                found.append(meta)
                if isinstance(meta, DictValue) and meta.get("classes") is not None:
                    found.append(meta.get("classes"))  # type: ignore[arg-type]
            argument = ref.node.get("classes")
            if argument is not None:
                found.append(argument)
        return found

    @staticmethod
    def _reaches(value: Node, classes: Node, given: list[Node]) -> bool:
        if any(g is value or g is classes for g in given):
            return True
        plain = {repr(to_python(n)) for n in (value, classes)}
        return any(repr(to_python(g)) in plain for g in given)
