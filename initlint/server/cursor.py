"""Where the cursor is in a Python config, read from the text itself, which may be half typed
(completion runs on text that does not parse yet): the calls, dicts and lists around it, the key
each one is under, the keys written in each, and the string, name or comment under the cursor.

A small tokenizer of our own, not `tokenize`: it must go on past an unterminated string or an
unclosed bracket, and read the same on every Python version.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any, Literal, Optional, Union

TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\r\n]*)
  | (?P<string>(?:[rRbBuUfF]{1,2})?
        (?:'''(?:[^\\]|\\.)*?(?:'''|\Z) | \"\"\"(?:[^\\]|\\.)*?(?:\"\"\"|\Z)
         | '(?:[^'\\\r\n]|\\.)*(?:'|(?=[\r\n])|\Z) | "(?:[^"\\\r\n]|\\.)*(?:"|(?=[\r\n])|\Z)))
  | (?P<name>[^\W\d]\w*)
  | (?P<number>\d[\w.]*)
  | (?P<continuation>\\\r?\n)
  | (?P<newline>\r\n|\r|\n)
  | (?P<op>\*\*|==|!=|<=|>=|:=|->|//|[-+*/%&|^<>@]=|[()\[\]{}=:,.;~*/%&|^<>@+-])
  | (?P<space>[ \t\f]+)
  | (?P<other>.)
""",
    re.X | re.S,
)
OPEN = {"(": ")", "[": "]", "{": "}"}
CLOSE = set(OPEN.values())
_NOTHING = object()  # not a single literal
PathPart = Union[str, int]
FrameKind = Literal["call", "dict", "list", "paren", "subscript"]


@dataclass(frozen=True)
class Token:
    kind: str
    start: int  # character offsets into the text, end exclusive
    end: int
    text: str

    @property
    def terminated(self) -> bool:
        if self.kind != "string":
            return True
        body = self.text.lstrip("rRbBuUfF")
        quote = body[:3] if body[:3] in ("'''", '"""') else body[:1]
        return (
            len(body) >= 2 * len(quote)
            and body.endswith(quote)
            and not _escaped(body, len(body) - len(quote))
        )

    @property
    def content_start(self) -> int:
        """Where a string's content starts (after its prefix and opening quote)."""
        body = self.text.lstrip("rRbBuUfF")
        quote = 3 if body[:3] in ("'''", '"""') else 1
        return self.start + len(self.text) - len(body) + quote

    @property
    def content_end(self) -> int:
        if not self.terminated:
            return self.end
        body = self.text.lstrip("rRbBuUfF")
        return self.end - (3 if body[:3] in ("'''", '"""') else 1)


def _escaped(text: str, at: int) -> bool:
    slashes = len(text[:at]) - len(text[:at].rstrip("\\"))
    return slashes % 2 == 1


def literal(token: Token) -> Any:
    """The value of a string, number or True/False/None token; `_NOTHING` for anything else."""
    if (
        token.kind in ("string", "number")
        and token.terminated
        and token.text.lstrip("rRbBuU")[:1] not in ("f", "F")
    ):
        try:
            return ast.literal_eval(token.text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return _NOTHING
    if token.kind == "name" and token.text in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[token.text]
    return _NOTHING


@dataclass
class Frame:
    """A call, dict, list or bracketed expression the cursor is in."""

    kind: FrameKind
    start: int  # offset of its opening bracket
    callee: str = ""  # a call's callee as written ('dict')
    key: Optional[PathPart] = None  # how the container around it reaches it
    index: int = 0  # the item being written (a list's index)
    item_key: Optional[str] = None  # that item's key (`k=` of a call, `'k':` of a dict)
    after_key: bool = False  # past that item's `=` or `:`
    item_tokens: int = 0
    item_name: Optional[str] = None  # an item so far made of one name (a keyword before `=`)
    value: Any = _NOTHING  # the item's value when it is one literal
    # The literal value of each key written in it (`_NOTHING` when not one literal), the
    # whole container (before and after the cursor).
    written: dict[str, Any] = field(default_factory=dict)
    end: Optional[int] = None  # offset after its closing bracket

    @property
    def is_mapping(self) -> bool:
        """A `dict(...)` call or a `{...}` display: a dict of a config."""
        return self.kind == "dict" or (
            self.kind == "call" and self.callee in ("dict", "ConfigDict")
        )

    def text_value(self, key: str) -> Optional[str]:
        value = self.written.get(key, _NOTHING)
        return value if isinstance(value, str) else None

    def _finish_item(self) -> None:
        if self.item_key is not None:
            self.written[self.item_key] = self.value if self.item_tokens == 1 else _NOTHING
        self.index += 1
        self.item_key, self.after_key, self.item_tokens = None, False, 0
        self.item_name, self.value = None, _NOTHING


@dataclass
class Cursor:
    """The cursor's place in the text."""

    offset: int
    frames: list[Frame]  # outermost first
    top: Optional[str]  # the top-level name assigned (`model` in `model = dict(`)
    token: Optional[Token]  # the string, name, number or comment under the cursor
    after_key: bool  # in the innermost frame, past the item's `=` or `:`
    item_key: Optional[str]  # that item's key
    item_tokens: int = 0  # tokens of that item (of its value, past the key) before the cursor

    @property
    def frame(self) -> Optional[Frame]:
        return self.frames[-1] if self.frames else None

    @property
    def path(self) -> tuple[PathPart, ...]:
        """The key path of the innermost frame from the top (`('model', 'backbone')`)."""
        if self.top is None:
            return ()
        return (self.top, *(f.key for f in self.frames[1:] if f.key is not None))

    @property
    def role(self) -> Literal["key", "value", "other"]:
        """Writing a key (a keyword of `dict(`, a key of `{`), a value, or neither."""
        frame = self.frame
        if frame is None:
            return "other"
        if frame.kind in ("call", "dict"):
            return "value" if self.after_key else "key"
        return "value" if frame.kind in ("list", "paren") else "other"

    @property
    def in_string(self) -> bool:
        token = self.token
        return (
            token is not None
            and token.kind == "string"
            and token.content_start <= self.offset <= token.content_end
        )

    @property
    def typed(self) -> str:
        """What is typed of the string or name under the cursor, up to the cursor."""
        token = self.token
        if token is None:
            return ""
        if token.kind == "string":
            return token.text[token.content_start - token.start : self.offset - token.start]
        if token.kind == "name":
            return token.text[: self.offset - token.start]
        return ""

    def value_key(self) -> tuple[Optional[str], Optional[Frame]]:
        """In a value: its key and the dict holding that key; a value inside a list (`layer=
        ['Conv2d', |`) is under the list's key."""
        frames = self.frames
        if not frames:
            return None, None
        if self.role == "value" and frames[-1].kind in ("call", "dict"):
            return self.item_key, frames[-1]
        for i in range(len(frames) - 1, 0, -1):
            if frames[i].kind not in ("list", "paren"):
                break
            key = frames[i].key
            if isinstance(key, str):
                return key, frames[i - 1]
        return None, None


def tokens(text: str) -> list[Token]:
    return [
        Token(m.lastgroup or "other", m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)
    ]


# Beyond this a buffer is not read for the cursor (no completion, hover or definition there):
# real configs are a few kilobytes, and the linter refuses 8 MB files anyway.
MAX_TEXT = 1_000_000


def at(text: str, offset: int) -> Cursor:
    """The cursor at character `offset` of `text`."""
    if len(text) > MAX_TEXT:
        return Cursor(offset, [], None, None, False, None)
    frames: list[Frame] = []
    top: Optional[str] = None
    pending: Optional[str] = None
    statement = "start"  # at the top level: "start", "name" (NAME read), "value", "other"
    cursor: Optional[Cursor] = None
    chain: list[Frame] = []
    previous: Optional[Token] = None
    for token in tokens(text):
        if cursor is None and _under(token, offset):
            cursor = _cursor(offset, frames, top, token)
            chain = list(frames)
        elif cursor is None and token.start >= offset:
            cursor = _cursor(offset, frames, top, None)
            chain = list(frames)
        if cursor is not None and not frames:
            break  # every frame around the cursor is closed: nothing more to learn
        kind = token.kind
        if kind in ("space", "comment", "continuation"):
            continue
        if kind == "newline":
            if not frames:
                statement, pending = "start", None
            continue
        if not frames:
            if token.text in OPEN:
                opened = _kind(token.text, previous)
                frames.append(
                    Frame(
                        opened,
                        token.start,
                        key=top if statement == "value" else None,
                        callee=_callee(text, token.start) if opened == "call" else "",
                    )
                )
            elif kind == "name" and statement == "start":
                pending, statement = token.text, "name"
            elif token.text == "=" and statement == "name":
                top, statement = pending, "value"
            elif statement == "name":
                statement = "other"
            previous = token
            continue
        frame = frames[-1]
        if token.text in OPEN:
            callee = _callee(text, token.start) if token.text == "(" else ""
            child_kind = _kind(token.text, previous)
            if frame.kind in ("call", "dict"):
                key: Optional[PathPart] = frame.item_key if frame.after_key else None
            elif frame.kind in ("list", "paren"):
                key = frame.index
            else:
                key = None
            frame.item_tokens += 1
            frame.value = _NOTHING
            frames.append(
                Frame(
                    child_kind, token.start, callee=callee if child_kind == "call" else "", key=key
                )
            )
        elif token.text in CLOSE:
            closed = frames.pop()
            closed._finish_item()
            closed.end = token.end
        elif token.text == ",":
            frame._finish_item()
        elif (
            token.text == "="
            and frame.kind == "call"
            and not frame.after_key
            and frame.item_tokens == 1
            and frame.item_name is not None
        ):
            frame.item_key, frame.after_key = frame.item_name, True
            frame.item_tokens, frame.value = 0, _NOTHING
        elif token.text == ":" and frame.kind == "dict" and not frame.after_key:
            frame.item_key = (
                frame.value if isinstance(frame.value, str) and frame.item_tokens == 1 else None
            )
            frame.after_key, frame.item_tokens, frame.value = True, 0, _NOTHING
        else:
            frame.item_tokens += 1
            frame.item_name = token.text if kind == "name" and frame.item_tokens == 1 else None
            frame.value = literal(token) if frame.item_tokens == 1 else _NOTHING
        previous = token
    if cursor is None:
        cursor = _cursor(offset, frames, top, None)
        chain = list(frames)
    cursor.frames = chain
    return cursor


def _under(token: Token, offset: int) -> bool:
    if token.kind in ("name", "number"):
        return token.start <= offset <= token.end
    if token.kind == "string":
        return token.start < offset < token.end or (
            not token.terminated and token.start < offset <= token.end
        )
    if token.kind == "comment":
        return token.start < offset <= token.end
    return False


def _cursor(offset: int, frames: list[Frame], top: Optional[str], token: Optional[Token]) -> Cursor:
    frame = frames[-1] if frames else None
    after = frame.after_key if frame else False
    item_key = frame.item_key if frame else None
    return Cursor(
        offset, list(frames), top, token, after, item_key, frame.item_tokens if frame else 0
    )


def _kind(bracket: str, previous: Optional[Token]) -> FrameKind:
    follows_value = (
        previous is not None
        and (previous.kind in ("name", "string", "number") or previous.text in (")", "]", "}"))
        and previous.text not in ("in", "and", "or", "not", "if", "else", "return", "lambda")
    )
    if bracket == "{":
        return "dict"
    if bracket == "[":
        return "subscript" if follows_value else "list"
    return "call" if follows_value else "paren"


def _callee(text: str, at: int) -> str:
    match = re.search(r"([^\W\d][\w.]*)\s*$", text[max(0, at - 200) : at])
    return match.group(1) if match else ""


__all__ = ["Cursor", "Frame", "Token", "at", "literal", "tokens"]
