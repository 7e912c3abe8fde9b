"""A rule's `FixPlan` as exact text edits against the texts of the files it touches.

Each operation is checked against the text at its span first (the string literal there holds
the value the rule saw, the key is spelled as the rule believes): when it is not, the fix is
dropped rather than guessed. Python literals and keys are edited in place, token by token, so
quotes, prefixes and escapes elsewhere stay; removing an item from a call, dict, list or tuple
is a libcst transform of the container (libcst knows which comma and which comment belongs to
which item), turned back into the smallest edit. JSON and YAML get the same through text edits.
libcst parses only a file that gets a removal.
"""

from __future__ import annotations

import ast
import io
import json
import keyword
import re
import tokenize
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Optional, Union

from ..diagnostics import Edit, Fix, Location
from ..values import Span
from .plan import (
    AddEntry,
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

if TYPE_CHECKING:
    import libcst as cst

TextOf = Callable[[str], Optional[str]]  # a file (as diagnostics name it) -> its text
NEWLINE = re.compile(r"\r\n|\r|\n")  # the line ends Python's tokenizer (and libcst) count
STRING_PREFIX = re.compile(r"[rRuU]?")


class SourceText:
    """A file's text with its line starts: 1-based (row, column) to offsets and back."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.starts = [0] + [m.end() for m in NEWLINE.finditer(text)]

    @property
    def kind(self) -> str:
        lower = self.name.lower()
        if lower.endswith(".json"):
            return "json"
        return "yaml" if lower.endswith((".yaml", ".yml")) else "python"

    def offset(self, row: int, column: int) -> Optional[int]:
        if not 1 <= row <= len(self.starts):
            return None
        start = self.starts[row - 1]
        end = self.starts[row] if row < len(self.starts) else len(self.text)
        line = NEWLINE.sub("", self.text[start:end])
        if not 1 <= column <= len(line) + 1:
            return None
        return start + column - 1

    def range(self, span: Span) -> Optional[tuple[int, int]]:
        start = self.offset(span.row, span.column)
        end = self.offset(span.end_row, span.end_column)
        return None if start is None or end is None or end < start else (start, end)

    def location(self, offset: int) -> Location:
        row = _bisect(self.starts, offset)
        return Location(row + 1, offset - self.starts[row] + 1)

    def edit(self, start: int, end: int, content: str) -> Edit:
        return Edit(content, self.location(start), self.location(end), self.name)

    def line_bounds(self, row: int) -> tuple[int, int, int]:
        """Offsets of row's start, of its end before the line break, and past the break."""
        start = self.starts[row - 1]
        past = self.starts[row] if row < len(self.starts) else len(self.text)
        return start, start + len(NEWLINE.sub("", self.text[start:past])), past


def _bisect(starts: list[int], offset: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low


def resolve(plan: FixPlan, text_of: TextOf) -> Optional[Fix]:
    """The fix as edits, or None when any operation cannot be stated exactly."""
    edits: list[Edit] = []
    for operation in plan.operations:
        text = text_of(operation.span.file)
        if text is None:
            return None
        found = operation_edits(operation, source(operation.span.file, text))
        if found is None:
            return None
        edits += found
    edits.sort(key=lambda e: (e.filename or "", e.location.row, e.location.column))
    for first, second in zip(edits, edits[1:]):
        if first.filename == second.filename and (second.location.row, second.location.column) < (
            first.end_location.row,
            first.end_location.column,
        ):
            return None  # a fix's own edits overlap
    return Fix(plan.message, plan.applicability, tuple(edits))


@lru_cache(maxsize=16)
def source(name: str, text: str) -> SourceText:
    return SourceText(name, text)


def operation_edits(operation: Operation, src: SourceText) -> Optional[list[Edit]]:
    where = src.range(operation.span)
    if where is None:
        return None
    start, end = where
    if isinstance(operation, Replace):
        return [src.edit(start, end, operation.text)]
    if isinstance(operation, ReplaceString):
        return _string_edit(src, start, end, operation.old, operation.new)
    if isinstance(operation, Rename):
        token = src.text[start:end]
        if src.kind == "python" and token.isidentifier():
            if (
                token != operation.old
                or not operation.new.isidentifier()
                or keyword.iskeyword(operation.new)
            ):
                return None
            return [src.edit(start, end, operation.new)]
        return _string_edit(src, start, end, operation.old, operation.new)
    if isinstance(operation, RewriteEntry):
        return _rewrite_entry(src, operation, start, end)
    if isinstance(operation, MakeTuple):
        return _make_tuple(src, start, end)
    if isinstance(operation, AddEntry):
        return _add_entry(src, operation, start, end) if src.kind == "python" else None
    if isinstance(operation, InsertRow):
        return _insert_row(src, operation.text, end)
    assert isinstance(operation, Remove)
    if src.kind == "python":
        return _remove_python(src, start, end)
    return _remove_data(src, start, end)


# -- entries rewritten, values made tuples, rows added -----------------------------------------


def _rewrite_entry(
    src: SourceText, operation: RewriteEntry, start: int, end: int
) -> Optional[list[Edit]]:
    """The key renamed and the value replaced, when the value is written right after its key
    (not a variable defined elsewhere, whose other uses would change too)."""
    value = src.range(operation.value) if operation.value.file == operation.key.file else None
    if value is None or not re.fullmatch(r"\s*[=:]\s*", src.text[end : value[0]]):
        return None
    edits = []
    key = src.text[start:end]
    if key != operation.new_key:
        renamed = operation_edits(
            Rename(operation.key, _key_name(key, src.kind), operation.new_key), src
        )
        if renamed is None:
            return None
        edits += renamed
    written = src.text[value[0] : value[1]]
    edits.append(src.edit(value[0], value[1], operation.template.replace("{value}", written)))
    return edits


def _key_name(token: str, kind: str) -> str:
    if kind == "python" and token.isidentifier():
        return token
    loaded = _load(token, kind)
    return loaded if isinstance(loaded, str) else token


def _make_tuple(src: SourceText, start: int, end: int) -> Optional[list[Edit]]:
    """`('cat')` gets its comma; a bare `'cat'` its parentheses too; JSON and YAML a list."""
    if src.kind != "python":
        return [src.edit(start, start, "["), src.edit(end, end, "]")]
    before, after = start, end
    text = src.text
    while before > 0 and text[before - 1] in " \t\r\n":
        before -= 1
    while after < len(text) and text[after] in " \t\r\n":
        after += 1
    opened = before > 0 and text[before - 1] == "("
    called = opened and before > 1 and (text[before - 2].isalnum() or text[before - 2] in "_)]")
    if opened and not called and after < len(text) and text[after] == ")":
        return [src.edit(end, end, ",")]
    return [src.edit(start, start, "("), src.edit(end, end, ",)")]


def _insert_row(src: SourceText, text: str, end: int) -> Optional[list[Edit]]:
    row = src.location(end).row
    line_start, line_end, past = src.line_bounds(row)
    line = src.text[line_start:line_end]
    indent = line[: len(line) - len(line.lstrip())]
    newline = src.text[line_end:past] or "\n"
    return [src.edit(line_end, line_end, newline + indent + text)]


def _add_entry(src: SourceText, operation: AddEntry, start: int, end: int) -> Optional[list[Edit]]:
    """`key=value` after the last entry of the dict() call or display at the span, separated
    from it as that entry is from the one before it."""
    import libcst as cst

    parsed = _parse(src.text)
    if parsed is None or not operation.key.isidentifier():
        return None
    module, positions, containers = parsed
    first, last = src.location(start), src.location(end)
    wanted = ((first.row, first.column - 1), (last.row, last.column - 1))
    node = next(
        (
            c
            for c in containers
            if isinstance(c, (cst.Call, cst.Dict))
            and (
                (positions[c].start.line, positions[c].start.column),
                (positions[c].end.line, positions[c].end.column),
            )
            == wanted
        ),
        None,
    )
    if node is None:
        return None
    try:
        value = cst.parse_expression(operation.value)
    except cst.ParserSyntaxError:
        return None
    items = list(_items(node))
    if isinstance(node, cst.Call):
        if any(a.keyword is not None and a.keyword.value == operation.key for a in items):
            return None
        new: Any = cst.Arg(
            value=value,
            keyword=cst.Name(operation.key),
            equal=cst.AssignEqual(
                whitespace_before=cst.SimpleWhitespace(""),
                whitespace_after=cst.SimpleWhitespace(""),
            ),
        )
    else:
        quotes = [
            e.key.value[0]
            for e in items
            if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString)
        ]
        if any(
            isinstance(e, cst.DictElement)
            and isinstance(e.key, cst.SimpleString)
            and e.key.evaluated_value == operation.key
            for e in items
        ):
            return None
        quote = quotes[0] if quotes else "'"
        new = cst.DictElement(key=cst.SimpleString(quote + operation.key + quote), value=value)
    if not items:
        return _node_edit(src, module, node, _set_items(node, [new]) or node)
    tail = items[-1]
    between = (
        items[-2].comma.whitespace_after
        if len(items) > 1 and isinstance(items[-2].comma, cst.Comma)
        else cst.SimpleWhitespace(" ")
    )
    between = _no_first_comment(between)
    if isinstance(between, cst.ParenthesizedWhitespace):
        between = between.with_changes(empty_lines=[])
    if isinstance(tail.comma, cst.Comma):  # a trailing comma: the new entry keeps one
        kept = tail.with_changes(comma=tail.comma.with_changes(whitespace_after=between))
        new = new.with_changes(comma=tail.comma)
    else:
        kept = tail.with_changes(comma=cst.Comma(whitespace_after=between))
        if isinstance(tail, cst.Arg):
            kept = kept.with_changes(whitespace_after_arg=cst.SimpleWhitespace(""))
            new = new.with_changes(whitespace_after_arg=tail.whitespace_after_arg)
    changed = _set_items(node, [*items[:-1], kept, new])
    return _node_edit(src, module, node, changed) if changed is not None else None


# -- string literals and keys ----------------------------------------------------------------


def _string_edit(src: SourceText, start: int, end: int, old: str, new: str) -> Optional[list[Edit]]:
    """The literal at [start, end) holds `old`; the smallest edit that makes it hold `new`."""
    token = src.text[start:end]
    parts = _literal_parts(token, src.kind)
    if parts is None or _load(token, src.kind) != old:
        return None
    head, body, tail = parts
    if body == old:  # no escapes: edit just the characters that differ
        same = 0
        while same < min(len(old), len(new)) and old[same] == new[same]:
            same += 1
        back = 0
        while back < min(len(old), len(new)) - same and old[-1 - back] == new[-1 - back]:
            back += 1
        middle = new[same : len(new) - back]
        candidate = head + old[:same] + middle + old[len(old) - back :] + tail
        if _load(candidate, src.kind) == new and _plain_safe(candidate, src.kind):
            offset = start + len(head)
            return [src.edit(offset + same, offset + len(old) - back, middle)]
    rewritten = _quoted(new, head, tail, src.kind)
    if rewritten is None or _load(rewritten, src.kind) != new:
        return None
    return [src.edit(start, end, rewritten)]


def _literal_parts(token: str, kind: str) -> Optional[tuple[str, str, str]]:
    """(prefix and opening quote, body, closing quote) of one string literal; None for
    anything else (an implicit concatenation, an f-string, a bytes literal, a multi-line
    YAML scalar)."""
    if kind == "python":
        try:
            tokens = [
                t
                for t in tokenize.generate_tokens(io.StringIO(token).readline)
                if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)
            ]
        except (tokenize.TokenError, SyntaxError):
            return None
        if len(tokens) != 1 or tokens[0].type != tokenize.STRING or tokens[0].string != token:
            return None
        prefix = STRING_PREFIX.match(token)
        assert prefix is not None
        rest = token[prefix.end() :]
        quote = rest[:3] if rest[:3] in ('"""', "'''") else rest[:1]
        if quote not in ('"', "'", '"""', "'''") or len(rest) < 2 * len(quote):
            return None
        return token[: prefix.end()] + quote, rest[len(quote) : -len(quote)], quote
    if "\n" in token or "\r" in token or not token:
        return None
    if token[0] in "\"'" and len(token) >= 2 and token[-1] == token[0]:
        return token[0], token[1:-1], token[0]
    if kind == "json":
        return None
    return "", token, ""  # a plain YAML scalar


def _load(token: str, kind: str) -> Any:
    import yaml  # only for a fix in a YAML config: most runs fix nothing

    try:
        if kind == "python":
            return ast.literal_eval(token)
        if kind == "json":
            return json.loads(token)
        return yaml.safe_load(token)
    except (ValueError, SyntaxError, yaml.YAMLError, MemoryError, RecursionError):
        return _NOTHING


_NOTHING = object()


def _plain_safe(token: str, kind: str) -> bool:
    """A plain YAML scalar stays a plain string once edited (no `: ` or ` #` inside)."""
    return (
        kind != "yaml"
        or token[:1] in "\"'"
        or not re.search(r": |\s#|^[-?:,\[\]{}#&*!|>%@`]", token)
    )


def _quoted(value: str, head: str, tail: str, kind: str) -> Optional[str]:
    """`value` as a whole literal in the quotes the old one used."""
    if kind == "json" or (kind == "yaml" and tail == '"'):
        return json.dumps(value, ensure_ascii=False)
    if kind == "yaml":
        if tail == "'":
            return "'" + value.replace("'", "''") + "'" if "\n" not in value else None
        return json.dumps(value, ensure_ascii=False)  # a plain scalar that needs quotes
    prefix = head[: -len(tail)].replace("r", "").replace("R", "")  # escapes need a non-raw
    out = []
    for char in value:
        if char == "\\":
            out.append("\\\\")
        elif char == tail[0]:
            out.append("\\" + char)
        elif char == "\n" and len(tail) == 1:
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif ord(char) < 32 and char not in "\t\n":
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(char)
    return prefix + tail + "".join(out) + tail


# -- removing an item ------------------------------------------------------------------------


def _remove_data(src: SourceText, start: int, end: int) -> Optional[list[Edit]]:
    """A JSON member or element, or a YAML entry: in flow style with its comma, in block
    style the lines it is written on (comment lines after it stay)."""
    text = src.text
    before = start
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    line_start = src.starts[src.location(start).row - 1]
    if src.kind == "yaml" and before == line_start:
        return _remove_yaml_block(src, start, end, line_start)
    if src.kind == "yaml" and re.fullmatch(r"[ \t]*-[ \t]+", text[line_start:start]):
        return _remove_yaml_block(src, start, end, line_start)
    after = end
    while after < len(text) and text[after] in " \t\r\n":
        after += 1
    if after < len(text) and text[after] == ",":  # not the last: up to the next item
        past = after + 1
        while past < len(text) and text[past] in " \t\r\n":
            past += 1
        return [src.edit(start, past, "")]
    back = start
    while back > 0 and text[back - 1] in " \t\r\n":
        back -= 1
    if back > 0 and text[back - 1] == ",":  # the last: with the comma before it
        return [src.edit(back - 1, end, "")]
    if back > 0 and text[back - 1] in "{[":  # the only one
        return [src.edit(back, after, "")]
    return None


def _remove_yaml_block(
    src: SourceText, start: int, end: int, line_start: int
) -> Optional[list[Edit]]:
    first = src.location(start).row
    last = src.location(end).row
    line, line_end, _ = src.line_bounds(last)
    if src.text[line:end].strip() == "" and last > first:
        last -= 1  # the end is where the next entry starts
    elif src.text[end:line_end].strip()[:1] not in ("", "#"):
        return None
    while last > first and _blank_or_comment(src, last):
        last -= 1  # comment and blank lines after the entry belong to the next one
    prefix = src.text[line_start:start]
    if prefix.strip() not in ("", "-"):
        return None
    if prefix.strip() == "-":
        dash = prefix.index("-")
        following = next(
            (
                row
                for row in range(last + 1, len(src.starts) + 1)
                if not _blank_or_comment(src, row)
            ),
            None,
        )
        if following is not None:
            row_start, row_end, _ = src.line_bounds(following)
            text = src.text[row_start:row_end]
            indent = len(text) - len(text.lstrip())
            if indent > dash:
                return None  # the first key of an item with more keys: its `- ` must stay
    return [src.edit(line_start, src.line_bounds(last)[2], "")]


def _blank_or_comment(src: SourceText, row: int) -> bool:
    start, end, _ = src.line_bounds(row)
    text = src.text[start:end].strip()
    return not text or text.startswith("#")


CONTAINERS = ("Call", "List", "Tuple", "Set", "Dict")


def _remove_python(src: SourceText, start: int, end: int) -> Optional[list[Edit]]:
    parsed = _parse(src.text)
    if parsed is None:
        return None
    module, positions, containers = parsed
    first, last = src.location(start), src.location(end)
    wanted = ((first.row, first.column - 1), (last.row, last.column - 1))
    for container in containers:
        items = _items(container)
        for index, item in enumerate(items):
            where = positions.get(item)
            if (
                where is None
                or ((where.start.line, where.start.column), (where.end.line, where.end.column))
                != wanted
            ):
                continue
            replaced = _without(container, index)
            if replaced is None:
                return None
            return _node_edit(src, module, container, replaced)
    return None


@lru_cache(maxsize=4)
def _parse(text: str) -> Optional[tuple[cst.Module, dict[cst.CSTNode, Any], list[cst.CSTNode]]]:
    """libcst's tree of a file, its nodes' positions and its containers (parsed once per text:
    a file may get several removals)."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    try:
        wrapper = MetadataWrapper(cst.parse_module(text), unsafe_skip_copy=True)
    except (cst.ParserSyntaxError, RecursionError, MemoryError, ValueError):
        return None
    positions = dict(wrapper.resolve(PositionProvider))
    containers = [node for node in positions if type(node).__name__ in CONTAINERS]
    return wrapper.module, positions, containers


def _items(container: cst.CSTNode) -> Sequence[Any]:
    import libcst as cst

    if isinstance(container, cst.Call):
        return container.args
    if isinstance(container, (cst.List, cst.Tuple, cst.Set, cst.Dict)):
        return container.elements
    return ()


def _node_edit(
    src: SourceText, module: cst.Module, old: cst.CSTNode, new: cst.CSTNode
) -> Optional[list[Edit]]:
    """The smallest edit that turns the file into the module with `old` replaced by `new`
    (rendered in place: a node inside an indented block keeps that block's indentation)."""
    import libcst as cst

    if module.code != src.text:
        return None  # libcst does not give the text back: do not guess
    changed = module.deep_replace(old, new)
    assert isinstance(changed, cst.Module)
    before, after = src.text, changed.code
    same = 0
    limit = min(len(before), len(after))
    while same < limit and before[same] == after[same]:
        same += 1
    back = 0
    while back < limit - same and before[-1 - back] == after[-1 - back]:
        back += 1
    return [src.edit(same, len(before) - back, after[same : len(after) - back])]


Whitespace = Union["cst.SimpleWhitespace", "cst.ParenthesizedWhitespace"]


def _without(container: cst.CSTNode, index: int) -> Optional[cst.CSTNode]:
    """The container without its item `index`: the comma after it goes with it (or, for the
    last item, the comma before it), the comment on its own row goes with it, comment rows
    around it stay."""
    import libcst as cst

    items = list(_items(container))
    removed = items[index]
    if isinstance(container, cst.Tuple) and (len(items) <= 2 and not container.lpar):
        return None  # `a, b` without parentheses: leave it alone
    closing = _closing(container)
    if len(items) == 1:
        tail = _no_first_comment(closing if closing is not None else _after(removed))
        opening = _opening(container)
        if _has_comment(opening):
            opening, tail = _merge(opening, tail), cst.SimpleWhitespace("")
        else:
            opening = cst.SimpleWhitespace("")
            tail = tail if _has_comment(tail) else cst.SimpleWhitespace("")
        emptied = _set_opening(container, opening)
        if closing is not None:
            emptied = _set_closing(emptied, tail)
        return _set_items(emptied, [])
    if index == len(items) - 1:
        previous = items[index - 1]
        if isinstance(container, cst.Tuple) and len(items) == 2:
            kept = previous.with_changes(comma=cst.Comma())  # `(a,)` keeps its comma
        elif isinstance(previous.comma, cst.Comma) and _has_comment(
            previous.comma.whitespace_after
        ):
            # The comment after the comma before stays: the comma too, and what came after
            # the removed item (the row break before the bracket) follows it.
            before = previous.comma.whitespace_after
            if closing is None:  # a call: the last argument holds that row break
                kept = previous.with_changes(
                    comma=previous.comma.with_changes(
                        whitespace_after=_merge(before, _after(removed))
                    )
                )
            else:
                kept = previous.with_changes(
                    comma=previous.comma.with_changes(whitespace_after=cst.SimpleWhitespace(""))
                )
                container = _set_closing(container, _merge(before, closing))
        else:
            comma = removed.comma
            if isinstance(comma, cst.Comma):
                comma = comma.with_changes(
                    whitespace_after=_no_first_comment(comma.whitespace_after)
                )
            kept = previous.with_changes(comma=comma)
            if isinstance(removed, cst.Arg):
                kept = kept.with_changes(whitespace_after_arg=removed.whitespace_after_arg)
            elif (
                closing is not None
                and isinstance(previous.comma, cst.Comma)
                and isinstance(previous.comma.whitespace_after, cst.ParenthesizedWhitespace)
            ):
                # On a row of its own, the comment before the bracket is the removed item's.
                container = _set_closing(container, _no_first_comment(closing))
        return _set_items(container, [*items[: index - 1], kept])
    after = (
        removed.comma.whitespace_after
        if isinstance(removed.comma, cst.Comma)
        else cst.SimpleWhitespace(" ")
    )
    if index == 0:
        merged = _merge(_opening(container), after)
        return _set_items(_set_opening(container, merged), items[1:])
    previous = items[index - 1]
    if not isinstance(previous.comma, cst.Comma):
        return None
    merged = _merge(previous.comma.whitespace_after, after)
    kept = previous.with_changes(comma=previous.comma.with_changes(whitespace_after=merged))
    return _set_items(container, [*items[: index - 1], kept, *items[index + 1 :]])


def _after(item: Any) -> Any:
    """The whitespace after an item of a call: behind its comma, or before the `)`."""
    import libcst as cst

    if isinstance(item.comma, cst.Comma):
        return item.comma.whitespace_after
    return getattr(item, "whitespace_after_arg", cst.SimpleWhitespace(""))


def _closing(container: cst.CSTNode) -> Any:
    """The whitespace before the closing bracket (None for a call: its last argument holds
    it)."""
    import libcst as cst

    if isinstance(container, cst.List):
        return container.rbracket.whitespace_before
    if isinstance(container, (cst.Set, cst.Dict)):
        return container.rbrace.whitespace_before
    if isinstance(container, cst.Tuple) and container.rpar:
        return container.rpar[-1].whitespace_before
    return None


def _set_closing(container: cst.CSTNode, ws: Any) -> cst.CSTNode:
    import libcst as cst

    if isinstance(container, cst.List):
        return container.with_changes(
            rbracket=container.rbracket.with_changes(whitespace_before=ws)
        )
    if isinstance(container, (cst.Set, cst.Dict)):
        return container.with_changes(rbrace=container.rbrace.with_changes(whitespace_before=ws))
    assert isinstance(container, cst.Tuple)
    rpar = container.rpar[-1].with_changes(whitespace_before=ws)
    return container.with_changes(rpar=[*container.rpar[:-1], rpar])


def _has_comment(ws: Any) -> bool:
    import libcst as cst

    if not isinstance(ws, cst.ParenthesizedWhitespace):
        return False
    return ws.first_line.comment is not None or any(line.comment for line in ws.empty_lines)


def _no_first_comment(ws: Any) -> Any:
    """The whitespace without the rest of its first row (the removed item's): its comment
    and the spaces before the line break."""
    import libcst as cst

    if isinstance(ws, cst.ParenthesizedWhitespace):
        return ws.with_changes(first_line=cst.TrailingWhitespace(newline=ws.first_line.newline))
    return ws


def _merge(before: Any, after: Any) -> Any:
    """The whitespace that takes the place of `before` (in front of the removed item) and
    `after` (behind it): the row `before` ends (with its comment), the comment rows of both,
    and where `after` leaves the next token; not the comment on the removed item's row."""
    import libcst as cst

    if isinstance(after, cst.ParenthesizedWhitespace):
        if isinstance(before, cst.ParenthesizedWhitespace):
            return after.with_changes(
                first_line=before.first_line, empty_lines=[*before.empty_lines, *after.empty_lines]
            )
        return _no_first_comment(after)
    return before


def _opening(container: cst.CSTNode) -> Any:
    import libcst as cst

    if isinstance(container, cst.Call):
        return container.whitespace_before_args
    if isinstance(container, cst.List):
        return container.lbracket.whitespace_after
    if isinstance(container, (cst.Set, cst.Dict)):
        return container.lbrace.whitespace_after
    assert isinstance(container, cst.Tuple)
    return container.lpar[0].whitespace_after


def _set_opening(container: cst.CSTNode, ws: Any) -> cst.CSTNode:
    import libcst as cst

    if isinstance(container, cst.Call):
        return container.with_changes(whitespace_before_args=ws)
    if isinstance(container, cst.List):
        return container.with_changes(lbracket=container.lbracket.with_changes(whitespace_after=ws))
    if isinstance(container, (cst.Set, cst.Dict)):
        return container.with_changes(lbrace=container.lbrace.with_changes(whitespace_after=ws))
    assert isinstance(container, cst.Tuple)
    lpar = container.lpar[0].with_changes(whitespace_after=ws)
    return container.with_changes(lpar=[lpar, *container.lpar[1:]])


def _set_items(container: cst.CSTNode, items: list[Any]) -> Optional[cst.CSTNode]:
    import libcst as cst

    if isinstance(container, cst.Call):
        return container.with_changes(args=items)
    if isinstance(container, cst.Set) and not items:
        return None  # `{}` would be a dict
    return container.with_changes(elements=items)
