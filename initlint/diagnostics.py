"""Diagnostic, what every report and the cache consume; the one conversion from a `Finding`, the
one de-duplication, and the one serialiser (the cache and the JSON formats share it)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Optional, Union, get_args

from .findings import Finding, Severity
from .fix.plan import Applicability
from .values import DictValue, Node, SeqValue, Span, containers_along, format_path

SEVERITIES: tuple[str, ...] = get_args(Severity)
APPLICABILITIES: tuple[str, ...] = get_args(Applicability)


@dataclass(frozen=True)
class Location:
    row: int
    column: int


@dataclass(frozen=True)
class Edit:
    """Replace the text from `location` to `end_location` (exclusive) of `filename` with
    `content`; a fix's edits may be in another file than its diagnostic (a `_base_` file)."""

    content: str
    location: Location
    end_location: Location
    filename: Optional[str] = None


@dataclass(frozen=True)
class Fix:
    message: str
    applicability: Applicability
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Related:
    """Another place that explains a diagnostic (e.g. the config through which a base was read)."""

    message: str
    filename: str
    location: Optional[Location] = None


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    # Where inside the init_cfg value, e.g. "[1].override.name" ("" for the value itself).
    path: str = ""
    filename: Optional[str] = None
    location: Optional[Location] = None
    end_location: Optional[Location] = None
    # Where in the config, e.g. "model.backbone.init_cfg[0].override"; None for source sites.
    config_path: Optional[str] = None
    fix: Optional[Fix] = None
    related: tuple[Related, ...] = field(default=())
    # Rows (in `filename`) where an ignore comment silences this diagnostic: its own row and
    # the first row of each dict, call or list it sits in, out to the init_cfg value.
    suppress_rows: tuple[int, ...] = field(default=(), compare=False)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location or Location(0, 0)
        return (self.filename or "", loc.row, loc.column, self.code, self.message)


def span_locations(span: Optional[Span]) -> tuple[Optional[Location], Optional[Location]]:
    if span is None:
        return None, None
    return Location(span.row, span.column), Location(span.end_row, span.end_column)


def to_diagnostic(
    finding: Finding,
    *,
    value: Optional[Node] = None,
    config_path: Optional[str] = None,
    filename: Optional[str] = None,
    through: Optional[str] = None,
    key_span: Optional[Span] = None,
    text_of: Optional[Callable[[str], Optional[str]]] = None,
) -> Diagnostic:
    """The diagnostic of a finding. `value` is the init_cfg value its path is inside (its dicts
    and lists give the rows a suppression may sit on), `config_path` where that value sits in
    the config, `filename` the file when the finding has no span, `through` the config (as
    shown) through which the file was reached, `key_span` where the `init_cfg` key holding
    `value` is written, `text_of` the text of a file (as shown) for the finding's fix (without
    it, or when the fix cannot be stated exactly, there is none).

    A finding about a value written elsewhere than where it is used (`init_cfg=url`, with
    `url = '...'` above or in a base) is reported where it is used, which is what the user
    edits, with the value's place as related information. Its fix edits the value where it is
    written."""
    from .catalog import severity_of  # the catalogue imports every rule family

    fix = None
    if finding.fix is not None and text_of is not None:
        from .fix.resolve import resolve

        fix = resolve(finding.fix, text_of)

    span = finding.span or (value.span if value is not None else None)
    related = tuple(
        Related(message, s.file, Location(s.row, s.column)) for message, s in finding.related
    )
    used = _used_at(finding, value, key_span) if value is not None else None
    if used is not None and span is not None:
        related = (
            Related("its value is written here", span.file, Location(span.row, span.column)),
            *related,
        )
        span = used
    start, end = span_locations(span)
    inner = format_path(finding.path)
    where = (
        None
        if config_path is None
        else config_path + ("" if not inner or inner.startswith("[") else ".") + inner
    )
    file = span.file if span is not None else filename
    rows = [start.row] if start else []
    if value is not None:
        rows += [s.row for s in containers_along(value, finding.path) if s.file == file]
    if through is not None and span is not None and span.file != through:
        related += (Related(f"reached through {through}", through),)
    return Diagnostic(
        code=finding.code,
        severity=finding.severity or severity_of(finding.code),
        message=finding.message,
        path=inner,
        filename=file,
        location=start,
        end_location=end,
        config_path=where,
        fix=fix,
        related=related,
        suppress_rows=tuple(dict.fromkeys(rows)),
    )


def _used_at(finding: Finding, value: Node, key_span: Optional[Span]) -> Optional[Span]:
    """Where the value a finding is about is used, when it is written elsewhere: the key of the
    dict entry that holds it (`init_cfg` in `init_cfg=url`), or the list it is an item of.
    None when the value is written in place (or its place is not known)."""
    if finding.span is None:
        return None
    # (how the node is held: the key's span for a dict entry, the list for an item; the node)
    chain: list[tuple[Union[Span, SeqValue, None], Node]] = [(key_span, value)]
    node = value
    for part in finding.path:
        if isinstance(node, DictValue) and part in node.entries:
            entry = node.entries[part]
            chain.append((entry.key_span, entry.value))
            node = entry.value
        elif isinstance(node, SeqValue) and isinstance(part, int) and part < len(node.items):
            chain.append((node, node.items[part]))
            node = node.items[part]
        else:
            break
    if isinstance(node, DictValue):  # an entry's finding may point at one of its values
        chain += [
            (e.key_span, e.value) for e in node.entries.values() if e.value.span == finding.span
        ]
    for holder, held in reversed(chain):  # the innermost node the finding is about
        if held.span != finding.span:
            continue
        if isinstance(holder, Span):
            return holder if not _after(held.span, holder) else None
        if isinstance(holder, SeqValue) and holder.span is not None:
            return holder.span if not _within(held.span, holder.span) else None
        return None
    return None


def _after(span: Span, key: Span) -> bool:
    """Whether a value is written after its key in the same file (a definition comes first)."""
    return span.file == key.file and (span.row, span.column) >= (key.end_row, key.end_column)


def _within(inner: Span, outer: Span) -> bool:
    return (
        inner.file == outer.file
        and (outer.row, outer.column) <= (inner.row, inner.column)
        and (inner.end_row, inner.end_column) <= (outer.end_row, outer.end_column)
    )


def dedupe(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """One diagnostic per code and place, the first one met (a base file reached by many
    configs, a value reached by several config paths, an override re-running its parent's
    arguments), or the first with a fix; without a place (a Python value), one per code,
    path and message."""
    seen: dict[tuple[Any, ...], int] = {}
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        key: tuple[Any, ...] = (
            (diagnostic.code, diagnostic.filename, diagnostic.location)
            if diagnostic.location is not None
            else (diagnostic.code, diagnostic.filename, diagnostic.path, diagnostic.message)
        )
        if key not in seen:
            seen[key] = len(kept)
            kept.append(diagnostic)
        elif kept[seen[key]].fix is None and diagnostic.fix is not None:
            # A base file's mistake seen from a config that can tell its fix (another may
            # not: its own keys are in the way).
            kept[seen[key]] = diagnostic
    return kept


# -- serialising ---------------------------------------------------------------------------------


def _location_dict(loc: Optional[Location]) -> Optional[dict[str, int]]:
    return {"row": loc.row, "column": loc.column} if loc else None


def _location(data: Any) -> Optional[Location]:
    if data is None:
        return None
    row, column = data["row"], data["column"]
    if not (type(row) is int and type(column) is int):  # not a bool either
        raise TypeError("a location holds two ints")
    return Location(row, column)


def _text(data: Any, key: str, optional: bool = False) -> Any:
    value = data.get(key) if optional else data[key]
    if not (isinstance(value, str) or (optional and value is None)):
        raise TypeError(f"{key} is not a string")
    return value


def fix_dict(fix: Optional[Fix]) -> Optional[dict[str, Any]]:
    if fix is None:
        return None
    return {
        "applicability": fix.applicability,
        "message": fix.message,
        "edits": [
            {
                "filename": e.filename,
                "location": _location_dict(e.location),
                "end_location": _location_dict(e.end_location),
                "content": e.content,
            }
            for e in fix.edits
        ],
    }


def _fix(data: dict[str, Any]) -> Fix:
    if data["applicability"] not in APPLICABILITIES or not isinstance(data["message"], str):
        raise ValueError("not a fix")
    edits = []
    for e in data["edits"]:
        start, end = _location(e["location"]), _location(e["end_location"])
        if start is None or end is None or not isinstance(e["content"], str):
            raise ValueError("not an edit")
        edits.append(Edit(e["content"], start, end, e.get("filename")))
    return Fix(data["message"], data["applicability"], tuple(edits))


def to_dict(d: Diagnostic) -> dict[str, Any]:
    """A diagnostic as JSON: the fields of the JSON output (ruff's names) and `suppress_rows`."""
    return {
        "code": d.code,
        "severity": d.severity,
        "message": d.message,
        "filename": d.filename,
        "location": _location_dict(d.location),
        "end_location": _location_dict(d.end_location),
        "config_path": d.config_path,
        "path": d.path,
        "fix": fix_dict(d.fix),
        "related": [
            {"message": r.message, "filename": r.filename, "location": _location_dict(r.location)}
            for r in d.related
        ],
        "suppress_rows": list(d.suppress_rows),
    }


def from_dict(data: dict[str, Any]) -> Diagnostic:
    """The diagnostic `to_dict` wrote; KeyError, TypeError or ValueError for anything else
    (every field is checked: the cache database it comes from is not trusted)."""
    fix = data.get("fix")
    severity = data["severity"]
    if severity not in SEVERITIES:
        raise ValueError("not a diagnostic")
    rows = data.get("suppress_rows", [])
    if not isinstance(rows, list) or any(type(r) is not int for r in rows):
        raise TypeError("suppress_rows holds ints")
    if fix is not None and (
        fix["applicability"] not in get_args(Applicability) or not isinstance(fix["edits"], list)
    ):
        raise ValueError("not a fix")
    related = data.get("related", [])
    if not isinstance(related, list):
        raise TypeError("related is a list")
    return Diagnostic(
        code=_text(data, "code"),
        severity=severity,
        message=_text(data, "message"),
        path=_text(data, "path", optional=True) or "",
        filename=_text(data, "filename", optional=True),
        location=_location(data.get("location")),
        end_location=_location(data.get("end_location")),
        config_path=_text(data, "config_path", optional=True),
        fix=None if fix is None else _fix(fix),
        related=tuple(
            Related(_text(r, "message"), _text(r, "filename"), _location(r.get("location")))
            for r in related
        ),
        suppress_rows=tuple(rows),
    )
