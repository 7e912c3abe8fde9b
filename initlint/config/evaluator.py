"""The static evaluator: a config module's statements and expressions to value trees.

It runs a config module's statements the way `exec` would, but only for what it can see:
literals, `dict()` calls, displays, names bound earlier, arithmetic on known numbers and
strings, comparisons, subscripts, attribute access on dicts (ConfigDict), the in-place forms
real configs use (`model['backbone']['init_cfg'] = ...`, `x.update(...)`, `x.pop(k)`,
`del _base_.model`) and the blocks around them. An `if` whose condition it can decide takes
its branch; otherwise every branch runs and the end states are joined (join.py). A loop over a
known sequence runs once per item, any other loop until its state no longer changes; a `try`
or `with` body may stop at any statement. Everything else is Unknown.

The work is bounded (limits.py). A value or a number too large to build, or an expression
nested too deeply, is Unknown; too many statements or steps, and the rest of the file is. Each
is an IL904 in `findings`.

It reads Python's own `ast` (positions included), not libcst: on the mmdet 3.3.0 configs,
libcst's parse plus its position metadata cost 27x what `ast.parse` does, and nothing here
needs a lossless tree.
"""

from __future__ import annotations

import ast
import operator
import re
import sys
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Optional, Union

from ..checks.files import TooLargeToAnalyse
from ..findings import Finding
from ..limits import (
    MAX_EVALUATOR_STEPS,
    MAX_INT_DIGITS,
    MAX_NESTING,
    MAX_STATEMENTS,
    MAX_VALUE_SIZE,
)
from ..values import (
    ClassRef,
    DictValue,
    Entry,
    Node,
    Scalar,
    SeqValue,
    Span,
    Unknown,
    contains_unknown,
    to_python,
    truthiness,
)
from .join import Aliases, State, children, containers, join_states, join_values
from .merge import config_merge

BINARY_OPS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
UNARY_OPS: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Invert: operator.invert,
}
ORDER_OPS: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
# A `{{_base_.x}}` written inside quotes: the runtime leaves a garbage string (IL205).
QUOTED_BASE_REF = re.compile(r'"\{\s*_base_\.[\w.]+\s*\}"')
# `%` formatting with a width or precision: `'%0999999999d' % 1` is a bomb.
FORMAT_WIDTH = re.compile(r"%[#0 +-]*(\*|\d+)?(?:\.(\*|\d+))?")
# What a `def` or a lambda binds: the runtime drops functions from the config.
FUNCTION = Unknown(None, "function")
# `{{_base_.x}}` is rewritten to the string literal "{_base_.x}" before parsing (same length,
# so positions hold); the evaluator hands such strings to a BaseLookup.
BaseLookup = Callable[[list[str], Span], Node]
# The attributes a dict has besides its keys, and those a ConfigDict adds (mmengine 0.10.7,
# `dir(ConfigDict())`; pinned by a test): `hasattr(_base_, 'update')` is True.
DICT_ATTRIBUTES = frozenset(dir({}))
CONFIG_DICT_ATTRIBUTES = DICT_ATTRIBUTES | frozenset(
    {
        "__add__",
        "__copy__",
        "__deepcopy__",
        "__dict__",
        "__frozen",
        "__getattr__",
        "__getnewargs__",
        "__key",
        "__missing__",
        "__module__",
        "__parent",
        "__setstate__",
        "__weakref__",
        "_hook",
        "_to_lazy_dict",
        "build_lazy",
        "deepcopy",
        "freeze",
        "lazy",
        "merge",
        "to_dict",
        "unfreeze",
    }
)
# Methods (of dicts, lists, strings) that change nothing they are called on.
READ_ONLY_METHODS = frozenset(
    {
        "get",
        "copy",
        "keys",
        "values",
        "items",
        "index",
        "count",
        "to_dict",
        "format",
        "join",
        "split",
        "rsplit",
        "strip",
        "lstrip",
        "rstrip",
        "replace",
        "startswith",
        "endswith",
        "lower",
        "upper",
        "splitlines",
        "partition",
        "rpartition",
        "find",
        "rfind",
        "zfill",
        "encode",
        "decode",
        "exists",
        "isfile",
        "isdir",
        "basename",
        "dirname",
        "splitext",
        "abspath",
        "realpath",
        "expanduser",
        "deepcopy",
    }
)
# Builtins that change none of their arguments and return nothing that holds them.
PLAIN_BUILTINS = frozenset(
    {
        "print",
        "len",
        "isinstance",
        "issubclass",
        "hasattr",
        "str",
        "repr",
        "int",
        "float",
        "bool",
        "type",
        "id",
        "abs",
        "round",
        "format",
        "callable",
        "hash",
        "ord",
        "chr",
        "bin",
        "hex",
        "oct",
        "divmod",
        "pow",
        "any",
        "all",
    }
)
# Builtins that change none of their arguments but may return what they hold.
VIEW_BUILTINS = frozenset(
    {
        "list",
        "tuple",
        "set",
        "frozenset",
        "sorted",
        "reversed",
        "iter",
        "next",
        "max",
        "min",
        "sum",
        "zip",
        "enumerate",
        "map",
        "filter",
        "getattr",
        "range",
        "slice",
        "dict",
    }
)
# Builtins that reach the module's names themselves: after them, nothing is known.
NAMESPACE_BUILTINS = frozenset({"exec", "eval", "globals", "locals", "vars", "__import__"})
# Bits an integer may have: fewer than MAX_INT_DIGITS decimal digits (log2(10) > 3.321).
MAX_INT_BITS = MAX_INT_DIGITS * 3321 // 1000
# Rounds of a loop over unknown items before its fixed point is given up (then whatever the
# loop touches is Unknown).
MAX_ROUNDS = 8
# The name a pseudo-variable holds an expression's value under while two paths are joined.
RESULT = "\0result"
# IL904 findings kept per file (each may repeat in a loop of values growing past a bound).
MAX_FINDINGS = 10
# A change in place, to apply to a node that may be the same object as the one changed.
Redo = Callable[[Node], Optional[Node]]


class Namespace:
    """A module's names and their values, in binding order (a config's top-level keys)."""

    def __init__(self) -> None:
        self.values: dict[str, Node] = {}

    def get(self, name: str) -> Optional[Node]:
        return self.values.get(name)

    def bind(self, name: str, value: Node) -> None:
        self.values.pop(name, None)  # re-binding moves the key last, as in a module dict
        self.values[name] = value

    def delete(self, name: str) -> None:
        self.values.pop(name, None)

    def items(self) -> Iterator[tuple[str, Node]]:
        return iter(list(self.values.items()))


class Positions:
    """ast positions (1-based rows, UTF-8 byte columns) as ruff's 1-based character columns."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        # Rows as ast counts them: not at the other breaks of str.splitlines (a form feed).
        self.lines = re.split(r"\r\n|\r|\n", text)
        # Rows (1-based) holding non-ASCII text, where byte and character columns differ.
        self.wide = (
            {i + 1 for i, line in enumerate(self.lines) if not line.isascii()}
            if not text.isascii()
            else set()
        )

    def column(self, row: int, offset: int) -> int:
        if row not in self.wide:
            return offset + 1
        line = self.lines[row - 1]
        return len(line.encode("utf-8")[:offset].decode("utf-8", "replace")) + 1

    def span(self, node: ast.AST) -> Optional[Span]:
        try:
            row: int = node.lineno  # type: ignore[attr-defined]
            start: int = node.col_offset  # type: ignore[attr-defined]
            end_row: int = node.end_lineno or row  # type: ignore[attr-defined]
            end = node.end_col_offset  # type: ignore[attr-defined]
        except AttributeError:
            return None
        if end is None:
            end = start
        if not self.wide:
            return Span(self.file, row, start + 1, end_row, end + 1)
        return Span(self.file, row, self.column(row, start), end_row, self.column(end_row, end))


ReadBase = Callable[[str, Span], Optional[Namespace]]


@dataclass
class Usage:
    """What the evaluator built and spent on one file (how far it is from the bounds)."""

    statements: int = 0
    steps: int = 0
    largest_value: int = 0  # nodes of the largest dict or list, counted as a tree
    longest_string: int = 0
    most_digits: int = 0
    deepest_value: int = 0


class _Exhausted(Exception):
    """The statement or step bound is reached: the rest of the file is not analysed."""


@dataclass
class _Loop:
    """The states at each `break` and `continue` of the loop being run."""

    breaks: list[State] = field(default_factory=list)
    continues: list[State] = field(default_factory=list)


@dataclass
class _Catch:
    """The join of the states a `try` (or `with`) body may raise in."""

    state: Optional[State] = None


class Evaluator:
    """Runs one module. `base_lookup` answers `{{_base_.x}}` references; `read_base` loads
    the module a lazy config imports inside `with read_base():`; `module_name` is what
    `__name__` reads ('builtins' in a config: the runtime's exec namespace has none)."""

    def __init__(
        self,
        positions: Positions,
        namespace: Namespace,
        base_refs: frozenset[tuple[int, int]] = frozenset(),
        base_lookup: Optional[BaseLookup] = None,
        read_base: Optional[ReadBase] = None,
        module_name: Optional[str] = None,
    ) -> None:
        self.positions = positions
        self.namespace = namespace
        self.base_refs = base_refs  # (row, column) of rewritten {{_base_.x}} references
        self.base_lookup = base_lookup
        self.read_base = read_base
        self.module_name = module_name
        # Where each name is read (IL206), and strings that hold a quoted {{_base_.x}} (IL205).
        self.references: dict[str, list[Span]] = {}
        self.quoted_base_refs: list[Span] = []
        self.assignments: dict[str, Span] = {}  # top-level name -> where it is last bound
        self.imported: list[str] = []  # names a `read_base` import bound
        # A lazy config (`with read_base()`, or imports of non-builtin modules): imported
        # objects stay in the config, and inheritance is Python's (config.py, _is_lazy_import).
        self.lazy = False
        self.findings: list[Finding] = []  # IL904: what was too large to analyse
        # A bound was reached, or the file did what cannot be followed (`exec`, `globals()`):
        # its names are Unknown, and keys may exist that we cannot see.
        self.exhausted = False
        self.usage = Usage()
        self._aliases: Aliases = {}
        self._escaped: list[Node] = []
        self._live = True  # the current path has not left by raise, break or continue
        self._loop: Optional[_Loop] = None
        self._catch: Optional[_Catch] = None
        self._active = False
        self._depth = 0
        self._copies = False  # `_base_` is copied so that each place is its own object
        self._measures: dict[int, tuple[Node, int, int]] = {}
        self._functions: dict[str, ast.AST] = {}
        self._reported: set[tuple[Optional[Span], str]] = set()
        self._too_deep = False

    def span(self, node: ast.AST) -> Optional[Span]:
        return self.positions.span(node)

    def unknown(self, node: ast.AST, why: str) -> Unknown:
        return Unknown(self.span(node), why)

    # -- entry points ---------------------------------------------------------------------
    def eval(self, node: ast.expr) -> Node:
        if self._active:
            return self._eval(node)
        self._active = True
        try:
            return self._eval(node)
        except _Exhausted as stop:
            self._too_large(self.span(node), str(stop))
            return self.unknown(node, "too large to analyse")
        except RecursionError:
            self._too_large(self.span(node), "nested too deeply")
            return self.unknown(node, "too large to analyse")
        finally:
            self._active = False

    def run_module(self, module: ast.Module) -> None:
        base = self.namespace.get("_base_")
        if isinstance(base, DictValue) and _may_change(module):
            # `_dict_to_config_dict` copies every dict and list of the bases: no two places of
            # `_base_` are one object, and changing one in place changes no other.
            self._copies = True
            self.namespace.values["_base_"] = self._copy_of_base(base)
        for statement in module.body:
            self.run_statement(statement)

    def run_statement(self, statement: ast.stmt) -> None:
        if self.exhausted or not self._live:
            return  # past a bound, or past a top-level `raise`
        if self._active:
            self._run(statement)
            return
        self._active = True
        try:
            self._run(statement)
        except _Exhausted as stop:
            self._give_up(statement, str(stop))
        except RecursionError:
            self._give_up(statement, "nested too deeply")
        finally:
            self._active = False

    def _give_up(self, statement: ast.stmt, why: str) -> None:
        self._too_large(self.span(statement), why, "the rest of the file is not analysed")
        self._lose_track(statement)

    def _lose_track(self, where: ast.AST) -> None:
        """What the file binds from here on cannot be followed (a bound is reached, or it
        calls `exec` or `globals()`): every name is Unknown, and so are the config's keys."""
        self.exhausted = True
        self._live = False
        for name in list(self.namespace.values):
            self.namespace.values[name] = self.unknown(where, "not analysed")
        self._aliases, self._escaped = {}, []

    # -- bounds ----------------------------------------------------------------------------
    def _too_large(self, span: Optional[Span], why: str, then: str = "analysed no further") -> None:
        key = (span, why)
        stops = then != "analysed no further"  # the file's last word: always said
        if key not in self._reported and (stops or len(self._reported) < MAX_FINDINGS):
            self._reported.add(key)
            self.findings.append(
                TooLargeToAnalyse.finding(f"too large to analyse: {why}; {then}", span)
            )

    def _tick(self) -> None:
        self.usage.statements += 1
        if self.usage.statements > MAX_STATEMENTS:
            raise _Exhausted(f"more than {MAX_STATEMENTS} statements to run (loops included)")

    def _charge(self, steps: int) -> None:
        self.usage.steps += steps
        if self.usage.steps > MAX_EVALUATOR_STEPS:
            raise _Exhausted(f"more than {MAX_EVALUATOR_STEPS} evaluation steps")

    def _measure(self, node: Node) -> tuple[int, int]:
        """(nodes as a tree, nesting depth) of a value; cached by node."""
        if not isinstance(node, (DictValue, SeqValue)):
            return 1, 0
        cached = self._measures.get(id(node))
        if cached is not None and cached[0] is node:
            return cached[1], cached[2]
        size, depth = 1, 1
        for child in children(node):
            child_size, child_depth = self._measure(child)
            size += child_size
            depth = max(depth, child_depth + 1)
        self._charge(1 + (len(node.entries) if isinstance(node, DictValue) else len(node.items)))
        self._measures[id(node)] = (node, size, depth)
        return size, depth

    def _bounded(self, node: Node) -> Node:
        """A dict or list just built, or Unknown (IL904) if it is beyond the bounds."""
        size, depth = self._measure(node)
        self.usage.largest_value = max(self.usage.largest_value, size)
        self.usage.deepest_value = max(self.usage.deepest_value, depth)
        if size <= MAX_VALUE_SIZE and depth <= MAX_NESTING:
            return node
        if size > MAX_VALUE_SIZE:
            self._too_large(node.span, f"a value of {size} items (the bound is {MAX_VALUE_SIZE})")
        else:
            self._too_large(node.span, f"a value nested {depth} deep (the bound is {MAX_NESTING})")
        self._escaped.append(node)  # what it holds is now reached through an Unknown
        return Unknown(node.span, "too large to analyse")

    def _scalar(self, span: Optional[Span], value: Any) -> Node:
        """A computed number or string, or Unknown (IL904) if it is beyond the bounds."""
        if isinstance(value, int) and not isinstance(value, bool):
            bits = value.bit_length()
            self.usage.most_digits = max(self.usage.most_digits, bits * 30103 // 100000 + 1)
            if bits > MAX_INT_BITS:
                self._too_large(span, f"an integer of more than {MAX_INT_DIGITS} digits")
                return Unknown(span, "too large to analyse")
        elif isinstance(value, (str, bytes)):
            self.usage.longest_string = max(self.usage.longest_string, len(value))
            if len(value) > MAX_VALUE_SIZE:
                self._too_large(
                    span, f"a string of {len(value)} characters (the bound is {MAX_VALUE_SIZE})"
                )
                return Unknown(span, "too large to analyse")
        return Scalar(span, value)

    # -- state: forks, joins, changes in place ------------------------------------------------
    def _snapshot(self) -> State:
        self._charge(len(self.namespace.values) + len(self._aliases) + len(self._escaped))
        return State(dict(self.namespace.values), dict(self._aliases), list(self._escaped))

    def _restore(self, state: State) -> None:
        self._charge(len(state.values) + len(state.aliases) + len(state.escaped))
        self.namespace.values = dict(state.values)
        self._aliases = dict(state.aliases)
        self._escaped = list(state.escaped)

    def _join(self, states: list[State]) -> State:
        return join_states(states, self._charge)

    def _settle(self, ends: list[State]) -> None:
        """Continue from the join of the paths that reach this point (none: dead code)."""
        if not ends:
            self._live = False
            return
        self._restore(ends[0] if len(ends) == 1 else self._join(ends))
        self._live = True

    def _add_to(self, catch: _Catch, state: State) -> None:
        if catch.state is None:
            catch.state = state
        elif not self._same(catch.state, state):
            catch.state = self._join([catch.state, state])

    def _same(self, a: State, b: State) -> bool:
        self._charge(len(a.values) + sum(len(p) for _, p in a.aliases.values()) + len(a.escaped))
        return a.same(b)

    def _mutate(self, old: Node, new: Node, redo: Optional[Redo] = None) -> None:
        """`old` is changed in place into `new`: so is every place that holds it. A node that
        may be the same object gets the join of itself and itself changed by `redo` (or
        becomes Unknown)."""
        if old is not new:
            self._replace({id(old): new}, mutated=True, redo=redo)

    def _invalidate(self, node: Node, why: str) -> None:
        """`node` is changed in a way we cannot see (what it held may be reached elsewhere)."""
        if isinstance(node, (DictValue, SeqValue)):
            self._escaped.append(node)
            self._mutate(node, Unknown(node.span, why))

    def _invalidate_deep(self, nodes: list[Node], why: str) -> None:
        """`nodes` and every dict and list inside them may be changed."""
        found = containers(nodes, self._charge)
        if found:
            self._replace({i: Unknown(n.span, why) for i, n in found.items()}, mutated=True)

    def _escape(self, nodes: list[Node]) -> None:
        """An Unknown value may now be (or hold) these."""
        new = [n for n in nodes if isinstance(n, (DictValue, SeqValue))]
        if new:
            self._charge(len(self._escaped))
            known = {id(e) for e in self._escaped}
            self._escaped += [n for n in new if id(n) not in known]

    def _through_unknown(self) -> None:
        """Something unknown is changed in place: it may be anything that escaped."""
        if self._escaped:
            escaped, self._escaped = self._escaped, []
            self._invalidate_deep(escaped, "may be changed through an unknown value")

    def _replace(
        self, changes: dict[int, Node], mutated: bool, redo: Optional[Redo] = None
    ) -> None:
        """The nodes with these ids become the given ones wherever they are held; the dicts
        and lists holding them are rebuilt. `mutated`: they are changed in place, so nodes
        that may be the same object (aliases) may be changed too (`_maybe_changed`)."""
        while changes:
            memo: dict[int, tuple[Node, Node]] = {}
            values = self.namespace.values
            for name, value in list(values.items()):
                values[name] = self._rebuild(value, changes, memo)
            kept = []
            for node in self._escaped:
                new = self._rebuild(node, changes, memo)
                kept.append(node if isinstance(new, Unknown) else new)
            self._escaped = list({id(n): n for n in kept}.values())
            rebuilt: dict[int, Node] = {i: new for i, (old, new) in memo.items() if new is not old}
            rebuilt.update(changes)
            follow: dict[int, Node] = {}
            aliases: Aliases = {}
            for node_id, (node, partners) in self._aliases.items():
                self._charge(1 + len(partners))
                if node_id in changes:
                    if mutated:
                        for partner_id in partners - changes.keys():
                            entry = self._aliases.get(partner_id)
                            partner = rebuilt.get(partner_id, entry[0] if entry else None)
                            if isinstance(partner, (DictValue, SeqValue)):
                                follow[id(partner)] = self._maybe_changed(partner, redo)
                    continue
                now = rebuilt.get(node_id, node)
                if isinstance(now, Unknown):
                    continue
                ids = frozenset(
                    id(rebuilt[p]) if p in rebuilt else p
                    for p in partners
                    if p not in changes and not isinstance(rebuilt.get(p), Unknown)
                )
                if ids:
                    aliases[id(now)] = (now, ids)
            self._aliases = aliases
            changes, mutated = follow, True

    def _maybe_changed(self, node: Node, redo: Optional[Redo]) -> Node:
        """A node that may be the object just changed: the join of it and it changed."""
        changed = redo(node) if redo is not None else None
        if changed is None:
            self._escaped.append(node)
            return Unknown(node.span, "may be changed through another name")
        joined, dropped = join_values(node, changed, self._charge)
        self._escape(dropped)  # e.g. the value set: that key may hold it
        return joined

    def _rebuild(
        self, node: Node, changes: dict[int, Node], memo: dict[int, tuple[Node, Node]]
    ) -> Node:
        """`node` with the changed nodes inside it replaced (itself if none is)."""
        new = changes.get(id(node))
        if new is not None:
            return new
        if not isinstance(node, (DictValue, SeqValue)):
            return node
        done = memo.get(id(node))
        if done is not None:
            return done[1]
        self._charge(1 + (len(node.entries) if isinstance(node, DictValue) else len(node.items)))
        result: Node = node
        if isinstance(node, DictValue):
            entries: Optional[dict[Any, Entry]] = None
            for key, entry in node.entries.items():
                value = self._rebuild(entry.value, changes, memo)
                if value is not entry.value:
                    if entries is None:
                        entries = dict(node.entries)
                    entries[key] = Entry(entry.key_span, value)
            if entries is not None:
                result = self._bounded(replace(node, entries=entries))
        else:
            items = tuple(self._rebuild(i, changes, memo) for i in node.items)
            if any(a is not b for a, b in zip(items, node.items)):
                result = self._bounded(replace(node, items=items))
        memo[id(node)] = (node, result)
        return result

    def _copy_of_base(self, node: Node) -> Node:
        """A copy in which every place is its own node, every dict a ConfigDict."""
        if isinstance(node, DictValue):
            self._charge(len(node.entries) + 1)
            return DictValue(
                node.span,
                {
                    k: Entry(e.key_span, self._copy_of_base(e.value))
                    for k, e in node.entries.items()
                },
                node.open,
                True,
            )
        if isinstance(node, SeqValue):
            self._charge(len(node.items) + 1)
            return SeqValue(node.span, tuple(self._copy_of_base(i) for i in node.items), node.kind)
        return node

    # -- expressions ----------------------------------------------------------------------
    def _eval(self, node: ast.expr) -> Node:
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                if self._depth == MAX_NESTING + 1 and not self._too_deep:
                    self._too_deep = True  # one finding for the expression, not each branch
                    self._too_large(
                        self.span(node), f"an expression nested more than {MAX_NESTING} deep"
                    )
                self._opaque(node)
                return self.unknown(node, "too large to analyse")
            method = getattr(self, f"_eval_{type(node).__name__}", None)
            if method is None:
                self._opaque(node)
                return self.unknown(node, f"{type(node).__name__} expression")
            result: Node = method(node)
            return result
        finally:
            self._depth -= 1
            if not self._depth:
                self._too_deep = False

    def _opaque(self, node: ast.AST) -> None:
        """What an expression we do not evaluate may do: hold what the names it reads hold,
        change them through the calls it makes, bind names with `:=`."""
        read: list[Node] = []
        calls = False
        for inner in ast.walk(node):
            if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Load):
                value = self.namespace.get(inner.id)
                span = self.span(inner)
                if span is not None:
                    self.references.setdefault(inner.id, []).append(span)
                if value is not None:
                    read.append(value)
            elif isinstance(inner, ast.Call):
                func = inner.func
                calls |= not (
                    isinstance(func, ast.Name)
                    and func.id in PLAIN_BUILTINS | (VIEW_BUILTINS - {"map", "filter"})
                    or isinstance(func, ast.Attribute)
                    and func.attr in READ_ONLY_METHODS
                )
            elif isinstance(inner, ast.NamedExpr) and isinstance(inner.target, ast.Name):
                self.namespace.bind(inner.target.id, self.unknown(inner, ":= in an expression"))
        if calls:
            self._call_effects(read, unknown_callee=True)
        else:
            self._escape(read)

    def _eval_Constant(self, node: ast.Constant) -> Node:
        span = self.span(node)
        value = node.value
        if value is Ellipsis:
            return Unknown(span, "...")
        if isinstance(value, str) and span is not None:
            if (span.row, span.column) in self.base_refs:
                path = value.strip("{} \t").split(".")[1:]
                if self.base_lookup is None:
                    return Unknown(span, "value from a _base_ file")
                return self.base_lookup(path, span)
            if QUOTED_BASE_REF.search(value):
                self.quoted_base_refs.append(span)
        if isinstance(value, int) and not isinstance(value, bool):
            return self._scalar(span, value)  # a hex literal may be beyond the bound
        return Scalar(span, value)

    def _eval_JoinedStr(self, node: ast.JoinedStr) -> Node:
        parts: list[str] = []
        known = True
        for part in node.values:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                parts.append(part.value)
                continue
            value = self._eval(part.value) if isinstance(part, ast.FormattedValue) else None
            if (
                isinstance(part, ast.FormattedValue)
                and part.format_spec is None
                and part.conversion in (-1, ord("s"))
                and isinstance(value, Scalar)
                and isinstance(value.value, (str, int, float, bool, type(None)))
            ):
                parts.append(str(value.value))
            else:
                known = False
        if not known:
            return self.unknown(node, "f-string")
        return self._scalar(self.span(node), "".join(parts))

    def _eval_Name(self, node: ast.Name) -> Node:
        value = self.namespace.get(node.id)
        span = self.span(node)
        if span is not None:
            self.references.setdefault(node.id, []).append(span)
        if value is None:
            if node.id == "__name__" and self.module_name is not None:
                return Scalar(span, self.module_name)
            return self.unknown(node, f"name '{node.id}'")
        return value

    def _eval_NamedExpr(self, node: ast.NamedExpr) -> Node:
        value = self._eval(node.value)
        self.assign(node.target, value)
        return value

    def _eval_Lambda(self, node: ast.Lambda) -> Node:
        self._functions[f"<lambda {id(node)}>"] = node
        return FUNCTION

    def _eval_UnaryOp(self, node: ast.UnaryOp) -> Node:
        operand = self._eval(node.operand)
        if isinstance(node.op, ast.Not):
            truth = truthiness(operand)
            return (
                Scalar(self.span(node), not truth)
                if truth is not None
                else self.unknown(node, "operation on an unknown value")
            )
        op = UNARY_OPS.get(type(node.op))
        if (
            op is not None
            and isinstance(operand, Scalar)
            and isinstance(operand.value, (int, float, complex))
        ):
            try:
                return self._scalar(self.span(node), op(operand.value))
            except TypeError:
                pass
        return self.unknown(node, "operation on an unknown value")

    def _eval_BinOp(self, node: ast.BinOp) -> Node:
        return self._binary(
            node, BINARY_OPS.get(type(node.op)), self._eval(node.left), self._eval(node.right)
        )

    def _binary(
        self, node: ast.AST, op: Optional[Callable[[Any, Any], Any]], left: Node, right: Node
    ) -> Node:
        if op is None:
            self._escape([left, right])  # `a | b` of dicts holds what they hold
            return self.unknown(node, "operator")
        if isinstance(left, Scalar) and isinstance(right, Scalar):
            return self._scalar_op(node, op, left.value, right.value)
        if (
            isinstance(left, SeqValue)
            and isinstance(right, SeqValue)
            and op is operator.add
            and left.kind == right.kind
            and left.kind in ("list", "tuple")
        ):
            size = len(left.items) + len(right.items)
            if size > MAX_VALUE_SIZE:
                return self._refuse(node, f"a sequence of {size} items")
            self._charge(size)
            return self._bounded(SeqValue(self.span(node), left.items + right.items, left.kind))
        if op is operator.mul:
            seq, count = (left, right) if isinstance(left, SeqValue) else (right, left)
            if (
                isinstance(seq, SeqValue)
                and seq.kind in ("list", "tuple")
                and isinstance(count, Scalar)
                and isinstance(count.value, int)
            ):
                size = len(seq.items) * max(count.value, 0)
                if size > MAX_VALUE_SIZE:
                    return self._refuse(node, f"a sequence of {size} items")
                self._charge(size)
                return self._bounded(
                    SeqValue(self.span(node), seq.items * max(count.value, 0), seq.kind)
                )
        self._escape([left, right])
        return self.unknown(node, "operation on an unknown value")

    def _refuse(self, node: ast.AST, what: str) -> Unknown:
        self._too_large(self.span(node), f"{what} (the bound is {MAX_VALUE_SIZE})")
        return self.unknown(node, "too large to analyse")

    def _scalar_op(self, node: ast.AST, op: Callable[[Any, Any], Any], a: Any, b: Any) -> Node:
        span = self.span(node)
        if (
            op is operator.pow
            and isinstance(a, int)
            and isinstance(b, int)
            and b > 0
            and abs(a) > 1
            and (abs(a).bit_length() - 1) * b >= MAX_INT_BITS
        ):
            self._too_large(span, f"an integer of more than {MAX_INT_DIGITS} digits")
            return Unknown(span, "too large to analyse")
        if op is operator.mul and isinstance(a, int) and isinstance(b, (str, bytes)):
            a, b = b, a
        if op is operator.mul and isinstance(a, (str, bytes)) and isinstance(b, int):
            size = len(a) * max(b, 0)
            if size > MAX_VALUE_SIZE:
                return self._refuse(node, f"a string of {size} characters")
        if (
            op is operator.add
            and isinstance(a, (str, bytes))
            and isinstance(b, (str, bytes))
            and len(a) + len(b) > MAX_VALUE_SIZE
        ):
            return self._refuse(node, f"a string of {len(a) + len(b)} characters")
        if op is operator.mod and isinstance(a, (str, bytes)):
            text = a if isinstance(a, str) else a.decode("latin-1")
            for width, precision in FORMAT_WIDTH.findall(text):
                for number in (width, precision):
                    if number == "*" or (number and int(number) > MAX_VALUE_SIZE):
                        return self._refuse(node, "a formatted string")
        try:
            return self._scalar(span, op(a, b))
        except Exception:  # what the runtime would raise is not ours to report here
            return self.unknown(node, "operation that raises")

    def _eval_BoolOp(self, node: ast.BoolOp) -> Node:
        return self._bool_op(
            isinstance(node.op, ast.And), self._eval(node.values[0]), node.values[1:]
        )

    def _bool_op(self, is_and: bool, value: Node, rest: list[ast.expr]) -> Node:
        """`a and b` / `a or b` as Python does: the operand that decides, b evaluated only
        when needed."""
        if not rest:
            return value
        truth = truthiness(value)
        if truth is None:
            return self._either(
                [lambda: value, lambda: self._bool_op(is_and, self._eval(rest[0]), rest[1:])]
            )
        if truth != is_and:
            return value
        return self._bool_op(is_and, self._eval(rest[0]), rest[1:])

    def _eval_IfExp(self, node: ast.IfExp) -> Node:
        truth = self._condition(node.test)
        if truth is None:
            return self._either([lambda: self._eval(node.body), lambda: self._eval(node.orelse)])
        return self._eval(node.body if truth else node.orelse)

    def _either(self, branches: list[Callable[[], Node]]) -> Node:
        """The value (and the effects) of one of these, we do not know which."""
        start = self._snapshot()
        ends = []
        for branch in branches:
            self._restore(start)
            value = branch()
            state = self._snapshot()
            state.values[RESULT] = value
            ends.append(state)
        joined = self._join(ends)
        value = joined.values.pop(RESULT)
        self._restore(joined)
        return value

    def _condition(self, test: ast.expr) -> Optional[bool]:
        return truthiness(self._eval(test))

    def _eval_Compare(self, node: ast.Compare) -> Node:
        left = self._eval(node.left)
        decided = True
        for i, (op, comparator) in enumerate(zip(node.ops, node.comparators)):
            right = self._eval(comparator)
            answer = self._compare(op, left, right)
            if answer is False:
                return Scalar(self.span(node), False)
            if answer is None:
                for rest in node.comparators[i + 1 :]:  # evaluated or not: effects unknown
                    self._opaque(rest)
                decided = False
                break
            left = right
        return (
            Scalar(self.span(node), True)
            if decided
            else self.unknown(node, "comparison of unknown values")
        )

    def _compare(self, op: ast.cmpop, left: Node, right: Node) -> Optional[bool]:
        if isinstance(op, (ast.In, ast.NotIn)):
            found = self._contains(right, left)
            return None if found is None else found == isinstance(op, ast.In)
        if isinstance(op, (ast.Is, ast.IsNot)):
            same = _identical(left, right)
            return None if same is None else same == isinstance(op, ast.Is)
        if isinstance(op, (ast.Eq, ast.NotEq)):
            equal = _equal(left, right)
            return None if equal is None else equal == isinstance(op, ast.Eq)
        order = ORDER_OPS.get(type(op))
        if order is not None and isinstance(left, Scalar) and isinstance(right, Scalar):
            try:
                return bool(order(left.value, right.value))
            except TypeError:
                return None
        return None

    def _contains(self, container: Node, item: Node) -> Optional[bool]:
        if isinstance(container, DictValue):
            if isinstance(item, Scalar) and not _unhashable(item.value):
                return container.has(item.value)
            return None
        if isinstance(container, SeqValue) and container.kind in ("list", "tuple"):
            unsure = False
            for element in container.items:
                equal = _equal(element, item)
                if equal:
                    return True
                unsure |= equal is None
            return None if unsure else False
        if (
            isinstance(container, Scalar)
            and isinstance(item, Scalar)
            and isinstance(container.value, str)
            and isinstance(item.value, str)
        ):
            return item.value in container.value
        return None

    def _eval_ListComp(self, node: ast.ListComp) -> Node:
        items: list[Node] = []

        def build() -> bool:
            items.append(self._eval(node.elt))
            if len(items) > MAX_VALUE_SIZE:
                self._refuse(node, f"a list of more than {MAX_VALUE_SIZE} items")
                return False
            return True

        if not self._comprehension(node, build):
            return self.unknown(node, "list comprehension")
        return self._bounded(SeqValue(self.span(node), tuple(items), "list"))

    def _eval_DictComp(self, node: ast.DictComp) -> Node:
        entries: dict[Any, Entry] = {}

        def build() -> bool:
            key, value = self._eval(node.key), self._eval(node.value)
            if not isinstance(key, Scalar) or _unhashable(key.value):
                return False
            entries.pop(key.value, None)
            entries[key.value] = Entry(key.span, value)
            if len(entries) > MAX_VALUE_SIZE:
                self._refuse(node, f"a dict of more than {MAX_VALUE_SIZE} items")
                return False
            return True

        if not self._comprehension(node, build):
            return self.unknown(node, "dict comprehension")
        return self._bounded(DictValue(self.span(node), entries))

    def _comprehension(
        self, node: Union[ast.ListComp, ast.DictComp], build: Callable[[], bool]
    ) -> bool:
        """Runs a comprehension's loops over known items (its names are its own), calling
        `build` per item; False, with the effects unknown, when some item is not known."""
        names = {n for g in node.generators for n in _target_names(g.target)}
        outer = self.namespace.values
        assigned = {n: self.assignments[n] for n in names if n in self.assignments}
        self.namespace.values = dict(outer)
        for name in names & outer.keys():  # kept apart, still changed by what runs inside
            self.namespace.values[f"\0outer {name}"] = outer[name]
        try:
            done = self._generate(node.generators, build)
        finally:
            inner = self.namespace.values
            self.namespace.values = {
                k: inner[f"\0outer {k}"] if k in names else inner[k]
                for k in outer
                if k in inner or k in names
            }
            self.namespace.values.update(
                (k, v)
                for k, v in inner.items()
                if k not in outer and k not in names and not k.startswith("\0")
            )
            for name in names:
                self.assignments.pop(name, None)
            self.assignments.update(assigned)
        if not done:
            self._opaque(node)
        return done

    def _generate(self, generators: list[ast.comprehension], build: Callable[[], bool]) -> bool:
        if not generators:
            return build()
        first = generators[0]
        items = None if first.is_async else self._iteration(first.iter)
        if items is None:
            return False
        for item in items:
            self._charge(1)
            self.assign(first.target, item)
            keep = True
            for test in first.ifs:
                truth = self._condition(test)
                if truth is None:
                    return False
                if not truth:
                    keep = False
                    break
            if keep and not self._generate(generators[1:], build):
                return False
        return True

    def _eval_List(self, node: ast.List) -> Node:
        return self._sequence(node, node.elts, "list")

    def _eval_Tuple(self, node: ast.Tuple) -> Node:
        return self._sequence(node, node.elts, "tuple")

    def _sequence(
        self, node: ast.AST, elements: list[ast.expr], kind: Literal["list", "tuple"]
    ) -> Node:
        items: list[Node] = []
        known = True
        for element in elements:
            if isinstance(element, ast.Starred):
                inner = self._eval(element.value)
                unpacked = self._items_of(inner)
                if unpacked is None:
                    self._escape([inner])
                    known = False
                else:
                    items += unpacked
            else:
                items.append(self._eval(element))
        if not known:
            self._escape(items)
            return self.unknown(node, "unpacking an unknown sequence")
        if len(items) > MAX_VALUE_SIZE:
            return self._refuse(node, f"a sequence of {len(items)} items")
        return self._bounded(SeqValue(self.span(node), tuple(items), kind))

    def _eval_Dict(self, node: ast.Dict) -> Node:
        entries: dict[Any, Entry] = {}
        is_open = False
        for key_node, value_node in zip(node.keys, node.values):
            if key_node is None:  # {**spread}
                inner = self._eval(value_node)
                if isinstance(inner, DictValue):
                    entries = _spread(entries, inner)
                    is_open |= inner.open
                else:
                    # Keys written before may be overwritten by the unknown mapping.
                    self._escape([*(e.value for e in entries.values()), inner])
                    entries, is_open = {}, True
                continue
            key = self._eval(key_node)
            value = self._eval(value_node)
            if not isinstance(key, Scalar) or _unhashable(key.value):
                self._escape([value, *(e.value for e in entries.values())])
                return self.unknown(node, "dict with an unknown key")
            entries.pop(key.value, None)
            entries[key.value] = Entry(self.span(key_node), value)
        return self._bounded(DictValue(self.span(node), entries, is_open))

    def _arguments(self, node: ast.Call) -> list[Node]:
        """The values a call is given, evaluated in order (`*args` and `**kwargs` unpacked)."""
        values = [self._eval(a.value if isinstance(a, ast.Starred) else a) for a in node.args]
        values += [self._eval(k.value) for k in node.keywords]
        return values

    def _eval_Call(self, node: ast.Call) -> Node:
        func = node.func
        if isinstance(func, ast.Name) and self.namespace.get(func.id) is None:
            builtin = getattr(self, f"_builtin_{func.id}", None)
            if builtin is not None:
                result: Node = builtin(node)
                return result
            if func.id in NAMESPACE_BUILTINS:  # any name may now be bound to anything
                self._arguments(node)
                self._lose_track(node)
                return self.unknown(node, f"call to {func.id}()")
            if func.id in PLAIN_BUILTINS or func.id in VIEW_BUILTINS:
                values = self._arguments(node)
                if func.id in VIEW_BUILTINS:
                    self._escape(values)
                if any(v is FUNCTION for v in values):
                    self._call_function(None)  # `sorted(x, key=f)` calls it
                return self.unknown(node, f"call to {func.id}()")
        if isinstance(func, ast.Attribute):
            receiver = self._eval(func.value)
            if isinstance(receiver, (DictValue, SeqValue)):
                return self._method(node, receiver, func.attr)
            if isinstance(receiver, ClassRef):
                return self._call_class(
                    node, ClassRef(self.span(func), receiver.qualname, func.attr)
                )
            values = self._arguments(node)
            if isinstance(receiver, Scalar):  # a str method: it changes nothing
                return self.unknown(node, f"call to .{func.attr}()")
            # A method of something unknown may change it, or what it is given.
            self._call_effects(values, unknown_callee=func.attr not in READ_ONLY_METHODS)
            return self.unknown(node, f"call to {dotted(func) or 'a method'}()")
        callee = self._eval(func)
        if isinstance(callee, ClassRef):
            return self._call_class(node, callee)
        values = self._arguments(node)
        if callee is FUNCTION:
            self._call_function(func.id if isinstance(func, ast.Name) else None)
            self._call_effects(values, unknown_callee=False)
        else:
            self._call_effects(values, unknown_callee=True)
        return self.unknown(node, f"call to {dotted(func) or 'a function'}()")

    def _call_class(self, node: ast.Call, callee: ClassRef) -> Node:
        """A call of something imported: `copy.deepcopy(x)` is known; anything else may
        change what it is given."""
        name = callee.qualname
        if (
            name in ("copy.deepcopy", "copy.copy")
            and len(node.args) == 1
            and not node.keywords
            and not isinstance(node.args[0], ast.Starred)
        ):
            value = self._eval(node.args[0])
            if isinstance(value, (DictValue, SeqValue)):
                return (
                    self._deep_copy(value) if name == "copy.deepcopy" else self._shallow_copy(value)
                )
            if isinstance(value, (Scalar, ClassRef)):
                return value  # immutable: the copy is the object itself
            return self.unknown(node, f"call to {name}()")
        self._call_effects(self._arguments(node), unknown_callee=False)
        return Unknown(self.span(node), f"call to {name}()")

    def _call_effects(self, values: list[Node], unknown_callee: bool) -> None:
        """A function we cannot see is called with these: it may change them (and, if we do
        not even know what it is, anything an Unknown may reach)."""
        for value in values:
            if value is FUNCTION:
                self._call_function(None)  # it may be called
        changed: list[Node] = [v for v in values if isinstance(v, (DictValue, SeqValue))]
        if changed:
            self._invalidate_deep(changed, "given to a function")
        if unknown_callee:
            self._through_unknown()

    def _call_function(self, name: Optional[str]) -> None:
        """A function this file defines is called: whatever its body (and the functions it
        calls) names may be changed."""
        todo = (
            [self._functions[name]] if name in self._functions else list(self._functions.values())
        )
        seen: set[int] = set()
        names: set[str] = set()
        while todo:
            function = todo.pop()
            if id(function) in seen:
                continue
            seen.add(id(function))
            for inner in ast.walk(function):
                if isinstance(inner, ast.Name):
                    names.add(inner.id)
                    if inner.id in self._functions:
                        todo.append(self._functions[inner.id])
                elif isinstance(inner, ast.Global):
                    for global_name in inner.names:
                        self.namespace.bind(global_name, Unknown(None, "set by a function"))
        values = [v for v in (self.namespace.get(n) for n in names) if v is not None]
        self._invalidate_deep(values, "changed by a function")
        self._through_unknown()

    # -- builtins we know ----------------------------------------------------------------------
    def _builtin_dict(self, node: ast.Call) -> Node:
        return self._dict_call(node)

    def _builtin_hasattr(self, node: ast.Call) -> Node:
        if (
            len(node.args) != 2
            or node.keywords
            or any(isinstance(a, ast.Starred) for a in node.args)
        ):
            self._arguments(node)
            return self.unknown(node, "call to hasattr()")
        owner, name = self._eval(node.args[0]), self._eval(node.args[1])
        if isinstance(name, Scalar) and isinstance(name.value, str):
            answer = self._has_attribute(owner, name.value)
            if answer is not None:
                return Scalar(self.span(node), answer)
        return self.unknown(node, "call to hasattr()")

    def _has_attribute(self, owner: Node, name: str) -> Optional[bool]:
        if isinstance(owner, DictValue):
            if not self._is_config_dict(owner):
                return name in DICT_ATTRIBUTES  # a plain dict's keys are no attributes
            if name in owner.entries or name in CONFIG_DICT_ATTRIBUTES:
                return True
            if name == "scope" or owner.open:  # `_dict_to_config_dict` sets `scope` on some
                return None
            return False
        if isinstance(owner, Scalar):
            return hasattr(owner.value, name)
        if isinstance(owner, SeqValue) and owner.kind in ("list", "tuple"):
            return hasattr([] if owner.kind == "list" else (), name)
        return None

    def _builtin_getattr(self, node: ast.Call) -> Node:
        values = [self._eval(a) for a in node.args if not isinstance(a, ast.Starred)]
        if len(values) not in (2, 3) or len(values) != len(node.args) or node.keywords:
            self._escape(values)
            return self.unknown(node, "call to getattr()")
        owner, name = values[0], values[1]
        if (
            isinstance(owner, DictValue)
            and isinstance(name, Scalar)
            and isinstance(name.value, str)
        ):
            is_config = self._is_config_dict(owner)
            methods = CONFIG_DICT_ATTRIBUTES if is_config else DICT_ATTRIBUTES
            if name.value not in methods:
                found = owner.get(name.value) if is_config else None
                if found is not None:
                    return found
                if len(values) == 3 and (not is_config or owner.has(name.value) is False):
                    return values[2]
        self._escape(values)
        return self.unknown(node, "call to getattr()")

    def _builtin_len(self, node: ast.Call) -> Node:
        values = self._arguments(node)
        if len(values) == 1 and len(node.args) == 1 and not node.keywords:
            value = values[0]
            if isinstance(value, SeqValue) or (isinstance(value, DictValue) and not value.open):
                size = len(value.items) if isinstance(value, SeqValue) else len(value.entries)
                return Scalar(self.span(node), size)
            if isinstance(value, Scalar) and isinstance(value.value, (str, bytes)):
                return Scalar(self.span(node), len(value.value))
        return self.unknown(node, "call to len()")

    def _builtin_setattr(self, node: ast.Call) -> Node:
        values = self._arguments(node)
        if (
            len(values) == 3
            and len(node.args) == 3
            and not node.keywords
            and isinstance(values[1], Scalar)
        ):
            self._set_key(values[0], values[1], self.span(node.args[1]), values[2])
        else:
            self._call_effects(values, unknown_callee=True)
        return Scalar(self.span(node), None)

    def _builtin_delattr(self, node: ast.Call) -> Node:
        values = self._arguments(node)
        if (
            len(values) == 2
            and len(node.args) == 2
            and not node.keywords
            and isinstance(values[1], Scalar)
        ):
            self._delete_key(values[0], values[1])
        else:
            self._call_effects(values, unknown_callee=True)
        return Scalar(self.span(node), None)

    def _dict_call(self, node: ast.Call) -> Node:
        entries: dict[Any, Entry] = {}
        is_open = False
        for arg in node.args:
            inner = self._eval(arg.value if isinstance(arg, ast.Starred) else arg)
            if isinstance(inner, DictValue) and not isinstance(arg, ast.Starred):
                entries = _spread(entries, inner)
                is_open |= inner.open
            else:
                self._escape([inner, *(e.value for e in entries.values())])
                for keyword in node.keywords:
                    self._escape([self._eval(keyword.value)])
                return self.unknown(node, "dict() of an unknown value")
        for keyword in node.keywords:
            if keyword.arg is not None:
                entries[keyword.arg] = Entry(self._keyword_span(keyword), self._eval(keyword.value))
                continue
            inner = self._eval(keyword.value)  # **mapping
            if isinstance(inner, DictValue):
                entries = _spread(entries, inner)
                is_open |= inner.open
            else:
                is_open = True
        return self._bounded(DictValue(self.span(node), entries, is_open))

    def _keyword_span(self, keyword: ast.keyword) -> Optional[Span]:
        """The span of the keyword's name (`std` in `std=0.01`)."""
        span = self.span(keyword)
        if span is None or keyword.arg is None:
            return span
        return Span(span.file, span.row, span.column, span.row, span.column + len(keyword.arg))

    # -- methods of dicts and lists -------------------------------------------------------------
    def _method(self, node: ast.Call, receiver: Union[DictValue, SeqValue], method: str) -> Node:
        plain_args = not node.keywords and not any(isinstance(a, ast.Starred) for a in node.args)
        if isinstance(receiver, DictValue):
            if method in ("update", "merge"):
                return self._update(node, receiver, method)
            if method in ("pop", "get", "setdefault") and plain_args and 1 <= len(node.args) <= 2:
                key = self._eval(node.args[0])
                default = self._eval(node.args[1]) if len(node.args) == 2 else None
                return self._dict_lookup(node, receiver, method, key, default)
            if method == "copy" and not node.args and not node.keywords:
                return self._shallow_copy(receiver)
            if method == "clear" and not node.args and not node.keywords:
                self._escape([receiver])
                self._mutate(receiver, replace(receiver, entries={}, open=False))
                return Scalar(self.span(node), None)
        elif receiver.kind == "list" and plain_args:
            found = self._list_method(node, receiver, method)
            if found is not None:
                return found
        values = self._arguments(node)
        if method in READ_ONLY_METHODS:
            self._escape([receiver, *values])  # what it returns may hold what they hold
        else:
            self._invalidate(receiver, f"changed by .{method}()")
            self._call_effects(values, unknown_callee=False)
        return self.unknown(node, f"result of .{method}()")

    def _dict_lookup(
        self, node: ast.Call, receiver: DictValue, method: str, key: Node, default: Optional[Node]
    ) -> Node:
        """`d.get(k)`, `d.pop(k)`, `d.setdefault(k, v)`: a ConfigDict's pop of a missing key
        gives None (the default's default), a plain dict's raises KeyError."""
        span = self.span(node)
        if not isinstance(key, Scalar) or _unhashable(key.value):
            if method == "get":
                self._escape([receiver])
            else:
                self._invalidate(receiver, f"changed by .{method}() of an unknown key")
            return self.unknown(node, f".{method}() of an unknown key")
        present = receiver.has(key.value)
        if present:
            found = receiver.entries[key.value].value
            if method == "pop":
                self._mutate(receiver, receiver.without(key.value), _without(key.value))
            return found
        if present is None:  # an open dict may hold it
            if method == "setdefault":
                entries = dict(receiver.entries)
                entries[key.value] = Entry(key.span, self.unknown(node, "setdefault()"))
                self._mutate(receiver, replace(receiver, entries=entries))
            return self.unknown(node, f"{key.value!r} may or may not be set")
        is_config = self._is_config_dict(receiver)
        if method == "pop" and default is None and not is_config:
            return self.unknown(node, "pop() of a missing key (KeyError)")
        value = default if default is not None else Scalar(span, None)
        if method == "setdefault":
            value = self._hook(value) if is_config else value
            entries = dict(receiver.entries)
            entries[key.value] = Entry(key.span, value)
            self._mutate(receiver, self._bounded(replace(receiver, entries=entries)))
        return value

    def _list_method(self, node: ast.Call, receiver: SeqValue, method: str) -> Optional[Node]:
        span = self.span(node)
        if method in ("append", "extend") and len(node.args) == 1:
            arg = self._eval(node.args[0])
            added = [arg] if method == "append" else self._items_of(arg)
            if added is None:
                self._escape([arg])
                self._invalidate(receiver, "extended by an unknown sequence")
            else:
                extra = tuple(added)

                def extend(node: Node) -> Optional[Node]:
                    if not (isinstance(node, SeqValue) and node.kind == "list"):
                        return None
                    self._charge(len(node.items) + len(extra))
                    return self._bounded(replace(node, items=node.items + extra))

                self._mutate(receiver, extend(receiver) or receiver, extend)
            return Scalar(span, None)
        if method == "insert" and len(node.args) == 2:
            index, arg = self._eval(node.args[0]), self._eval(node.args[1])
            if isinstance(index, Scalar) and isinstance(index.value, int):
                items = list(receiver.items)
                items.insert(index.value, arg)
                self._charge(len(items))
                self._mutate(receiver, self._bounded(replace(receiver, items=tuple(items))))
            else:
                self._escape([arg])
                self._invalidate(receiver, "insert() at an unknown place")
            return Scalar(span, None)
        if method == "pop" and len(node.args) <= 1:
            index = self._eval(node.args[0]) if node.args else Scalar(None, -1)
            if (
                isinstance(index, Scalar)
                and isinstance(index.value, int)
                and not isinstance(index.value, bool)
                and -len(receiver.items) <= index.value < len(receiver.items)
            ):
                items = list(receiver.items)
                found = items.pop(index.value)
                self._mutate(receiver, replace(receiver, items=tuple(items)))
                return found
            self._invalidate(receiver, "pop() at an unknown place")
            return self.unknown(node, "pop()")
        if method == "copy" and not node.args:
            return self._shallow_copy(receiver)
        return None

    def _update(self, node: ast.Call, receiver: DictValue, method: str) -> Node:
        """`x.update(...)` (recursive for a ConfigDict, which also copies plain dicts it
        stores), `x.merge(...)` (ConfigDict.merge: deep copies merged)."""
        other = self._dict_call(node)
        is_config = method == "merge" or self._is_config_dict(receiver)
        if not isinstance(other, DictValue):
            if is_config:  # a recursive update may change the dicts inside in place
                self._invalidate_deep([receiver], f"changed by .{method}()")
            else:
                self._invalidate(receiver, f"changed by .{method}()")
            return Scalar(self.span(node), None)
        if method == "merge":
            self._escape([receiver])
            self._mutate(receiver, self._deep_copy(config_merge(other, receiver), config=True))
        else:
            changes: dict[int, Node] = {}
            self._updated(receiver, other, is_config, changes)
            self._replace(changes, mutated=True)
        return Scalar(self.span(node), None)

    def _updated(
        self, target: DictValue, other: DictValue, is_config: bool, changes: dict[int, Node]
    ) -> Node:
        """`target` after `target.update(other)`; the dicts changed in place go to `changes`."""
        entries = _spread(dict(target.entries), replace(other, entries={}))
        for key, entry in other.entries.items():
            old = target.entries.get(key)
            if (
                is_config
                and old is not None
                and isinstance(old.value, DictValue)
                and isinstance(entry.value, DictValue)
            ):
                value = self._updated(old.value, entry.value, True, changes)
            else:
                value = self._hook(entry.value) if is_config else entry.value
            entries[key] = Entry(entry.key_span, value)
        self._charge(len(entries))
        new = self._bounded(replace(target, entries=entries, open=target.open or other.open))
        changes[id(target)] = new
        return new

    # -- copies --------------------------------------------------------------------------------
    def _is_config_dict(self, node: DictValue) -> bool:
        """Whether the runtime has this dict as a ConfigDict: a merged one, or one reached
        through `_base_` or a `read_base` import (a dict the file writes is a plain dict)."""
        if node.config_dict or self._copies:
            return node.config_dict  # once `_base_` is copied, every ConfigDict is marked
        roots = [self.namespace.get(name) for name in ("_base_", *self.imported)]
        stack = [r for r in roots if r is not None]
        seen: set[int] = set()
        while stack:
            current = stack.pop()
            if current is node:
                return True
            if id(current) in seen:
                continue
            seen.add(id(current))
            if isinstance(current, (DictValue, SeqValue)):
                stack += children(current)
        return False

    def _hook(self, node: Node) -> Node:
        """`ConfigDict._hook`: what a ConfigDict stores of a value. A plain dict becomes a new
        ConfigDict, a list or tuple a new one of the same kind; a ConfigDict is kept."""
        if isinstance(node, DictValue) and not self._is_config_dict(node):
            self._charge(len(node.entries) + 1)
            return self._bounded(
                DictValue(
                    node.span,
                    {k: Entry(e.key_span, self._hook(e.value)) for k, e in node.entries.items()},
                    node.open,
                    True,
                )
            )
        if isinstance(node, SeqValue) and node.kind in ("list", "tuple"):
            self._charge(len(node.items) + 1)
            return self._bounded(
                SeqValue(node.span, tuple(self._hook(i) for i in node.items), node.kind)
            )
        return node

    def _shallow_copy(self, node: Union[DictValue, SeqValue]) -> Node:
        """`x.copy()`, `copy.copy(x)`: a ConfigDict copies as it stores (`__copy__`)."""
        if isinstance(node, DictValue):
            if self._is_config_dict(node):
                self._charge(len(node.entries))
                return self._bounded(
                    DictValue(
                        node.span,
                        {
                            k: Entry(e.key_span, self._hook(e.value))
                            for k, e in node.entries.items()
                        },
                        node.open,
                        True,
                    )
                )
            return replace(node, entries=dict(node.entries))
        if node.kind == "tuple":
            return node
        return replace(node, items=tuple(node.items))

    def _deep_copy(self, node: Node, config: Optional[bool] = None) -> Node:
        """`copy.deepcopy(x)`: new dicts and lists throughout (shared ones stay shared, as
        deepcopy's memo keeps them); `config` marks every dict a ConfigDict, or none."""
        memo: dict[int, Node] = {}

        def copy(value: Node) -> Node:
            if not isinstance(value, (DictValue, SeqValue)):
                return value
            done = memo.get(id(value))
            if done is not None:
                return done
            self._charge(
                1 + (len(value.entries) if isinstance(value, DictValue) else len(value.items))
            )
            result: Node
            if isinstance(value, DictValue):
                result = DictValue(
                    value.span,
                    {k: Entry(e.key_span, copy(e.value)) for k, e in value.entries.items()},
                    value.open,
                    value.config_dict if config is None else config,
                )
            else:
                result = SeqValue(value.span, tuple(copy(i) for i in value.items), value.kind)
            memo[id(value)] = result
            return result

        if config is None and isinstance(node, DictValue) and self._is_config_dict(node):
            config = True
        return self._bounded(copy(node))

    # -- subscripts and attributes -------------------------------------------------------------
    def _eval_Subscript(self, node: ast.Subscript) -> Node:
        container = self._eval(node.value)
        index = node.slice
        if isinstance(index, ast.Slice):
            return self._slice(node, container, index)
        key = self._eval(index)
        found = _lookup(container, key)
        if found is not None:
            return found
        if not isinstance(key, Scalar):
            self._escape([container])  # an unknown key may name any of its values
        return self.unknown(node, "subscript of unknown value")

    def _slice(self, node: ast.Subscript, container: Node, index: ast.Slice) -> Node:
        bounds = [
            self._eval(part) if part is not None else Scalar(None, None)
            for part in (index.lower, index.upper, index.step)
        ]
        numbers = [
            b.value
            for b in bounds
            if isinstance(b, Scalar) and (b.value is None or isinstance(b.value, int))
        ]
        if len(numbers) == 3:
            try:
                chosen = slice(*numbers)
                if isinstance(container, SeqValue) and container.kind in ("list", "tuple"):
                    return SeqValue(self.span(node), container.items[chosen], container.kind)
                if isinstance(container, Scalar) and isinstance(container.value, (str, bytes)):
                    return Scalar(self.span(node), container.value[chosen])
            except ValueError:  # a step of 0
                pass
        self._escape([container])
        return self.unknown(node, "slice")

    def _eval_Attribute(self, node: ast.Attribute) -> Node:
        owner = self._eval(node.value)
        if isinstance(owner, ClassRef):
            return ClassRef(self.span(node), owner.qualname, node.attr)
        if isinstance(owner, DictValue):  # ConfigDict attribute access
            if node.attr in CONFIG_DICT_ATTRIBUTES:  # a method, even if a key has its name
                self._escape([owner])
                return self.unknown(node, f"method .{node.attr}")
            found = owner.get(node.attr)
            if found is not None:
                return found
        elif isinstance(owner, SeqValue):
            self._escape([owner])
        return self.unknown(node, f"attribute '{node.attr}'")

    # -- statements -------------------------------------------------------------------------
    def _run(self, statement: ast.stmt) -> None:
        if not self._live:
            return
        self._tick()
        catch = self._catch
        before = self._snapshot() if catch is not None else None
        method = getattr(self, f"_run_{type(statement).__name__}", None)
        if method is None:
            self._forget_block(statement)
        else:
            method(statement)
        if catch is not None and before is not None and self._may_raise(statement):
            self._add_to(catch, before)  # the body of a try may stop here

    def _may_raise(self, statement: ast.stmt) -> bool:
        """Whether a statement just run may have raised: any but `pass`, a `def`, and
        assignments to names of a value known in full (whatever raises is Unknown)."""
        if isinstance(statement, ast.Pass) or (
            isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
            and not statement.decorator_list
        ):
            return False
        targets = (
            statement.targets
            if isinstance(statement, ast.Assign)
            else [statement.target]
            if isinstance(statement, ast.AnnAssign) and statement.value is not None
            else []
        )
        if not targets or not all(isinstance(t, ast.Name) for t in targets):
            return True
        value = self.namespace.get(targets[0].id)  # type: ignore[attr-defined]
        return value is None or contains_unknown(value)

    def _block(self, body: list[ast.stmt]) -> None:
        for statement in body:
            if not self._live:
                return
            self._run(statement)

    def _run_Assign(self, statement: ast.Assign) -> None:
        if any(isinstance(t, ast.Name) and t.id == "_base_" for t in statement.targets):
            # The runtime removes `_base_ = ...` before running the file
            # (RemoveAssignFromAST) and binds `_base_` to the merged bases instead.
            return
        value = self._eval(statement.value)
        for target in statement.targets:
            self.assign(target, value)

    def _run_AnnAssign(self, statement: ast.AnnAssign) -> None:
        if statement.value is not None:
            self.assign(statement.target, self._eval(statement.value))

    def _run_AugAssign(self, statement: ast.AugAssign) -> None:
        left = self._eval(statement.target)
        value = self._binary(
            statement, BINARY_OPS.get(type(statement.op)), left, self._eval(statement.value)
        )
        if isinstance(left, DictValue) or (isinstance(left, SeqValue) and left.kind == "list"):
            # `+=` extends a list in place (`|=` updates a dict)
            if isinstance(value, (DictValue, SeqValue)):
                self._mutate(left, value)
            else:
                self._invalidate(left, "changed in place")
                return
        self.assign(statement.target, value)

    def _run_Import(self, statement: ast.Import) -> None:
        self._run_import(statement)

    def _run_ImportFrom(self, statement: ast.ImportFrom) -> None:
        self._run_import(statement)

    def _run_Delete(self, statement: ast.Delete) -> None:
        for target in statement.targets:
            self._delete(target)

    def _run_Expr(self, statement: ast.Expr) -> None:
        self._eval(statement.value)

    def _run_FunctionDef(self, statement: Union[ast.FunctionDef, ast.AsyncFunctionDef]) -> None:
        # Functions are dropped from the config (config.py, `_file2dict`).
        self.namespace.bind(statement.name, FUNCTION)
        self._functions[statement.name] = statement

    _run_AsyncFunctionDef = _run_FunctionDef

    def _run_ClassDef(self, statement: ast.ClassDef) -> None:
        self._forget_block(statement)  # a class body runs, and may change module values
        self.namespace.bind(statement.name, self.unknown(statement, "class"))

    def _run_Pass(self, statement: ast.stmt) -> None:
        pass

    _run_Global = _run_Nonlocal = _run_Pass

    def _run_Raise(self, statement: ast.Raise) -> None:
        if statement.exc is not None:
            self._eval(statement.exc)
        self._live = False

    def _run_Return(self, statement: ast.Return) -> None:
        self._live = False  # outside a function: the runtime refuses the file

    def _run_Assert(self, statement: ast.Assert) -> None:
        if self._condition(statement.test) is False:
            self._live = False

    def _run_Break(self, statement: ast.Break) -> None:
        if self._loop is not None:
            self._loop.breaks.append(self._snapshot())
        self._live = False

    def _run_Continue(self, statement: ast.Continue) -> None:
        if self._loop is not None:
            self._loop.continues.append(self._snapshot())
        self._live = False

    def _run_If(self, statement: ast.If) -> None:
        truth = self._condition(statement.test)
        if truth is None:
            self._fork([statement.body, statement.orelse])
        else:
            self._block(statement.body if truth else statement.orelse)

    def _fork(self, blocks: list[list[ast.stmt]]) -> None:
        """Run each block from the current state, then continue from their join."""
        start = self._snapshot()
        ends = []
        for block in blocks:
            self._restore(start)
            self._live = True
            self._block(block)
            if self._live:
                ends.append(self._snapshot())
        self._settle(ends)

    def _run_For(self, statement: Union[ast.For, ast.AsyncFor]) -> None:
        items = self._iteration(statement.iter)
        if items is None:
            self._loop_unknown(statement, statement.target, None, [])
            return
        outer = self._loop
        broke: list[State] = []
        try:
            for item in items:
                loop = self._loop = _Loop()
                self.assign(statement.target, item)
                self._block(statement.body)
                broke += loop.breaks
                ends = ([self._snapshot()] if self._live else []) + loop.continues
                self._settle(ends)
                if not self._live:
                    break  # every path left the loop
        finally:
            self._loop = outer
        if self._live:
            self._block(statement.orelse)
        self._settle(([self._snapshot()] if self._live else []) + broke)

    _run_AsyncFor = _run_For

    def _run_While(self, statement: ast.While) -> None:
        outer = self._loop
        broke: list[State] = []
        try:
            while True:
                truth = self._condition(statement.test)
                if truth is None:
                    break
                if not truth:
                    self._block(statement.orelse)
                    self._settle(([self._snapshot()] if self._live else []) + broke)
                    return
                loop = self._loop = _Loop()
                self._block(statement.body)
                broke += loop.breaks
                self._settle(([self._snapshot()] if self._live else []) + loop.continues)
                if not self._live:
                    self._settle(broke)
                    return
        finally:
            self._loop = outer
        self._loop_unknown(statement, None, statement.test, broke)

    def _loop_unknown(
        self,
        statement: Union[ast.For, ast.AsyncFor, ast.While],
        target: Optional[ast.expr],
        test: Optional[ast.expr],
        broke: list[State],
    ) -> None:
        """A loop that runs we do not know how often: its body from the join of every state
        it may start an iteration in, until that join no longer changes."""
        outer = self._loop
        start = self._snapshot()
        entry = start
        settled = False
        try:
            for _ in range(MAX_ROUNDS):
                self._restore(entry)
                self._live = True
                loop = self._loop = _Loop()
                if test is not None:
                    self._eval(test)
                if target is not None:
                    self.assign(target, self.unknown(target, "an item of an unknown sequence"))
                self._block(statement.body)
                broke += loop.breaks
                ends = ([self._snapshot()] if self._live else []) + loop.continues
                following = self._join([entry, *ends])
                if self._same(following, entry):
                    settled = True
                    break
                entry = following
        finally:
            self._loop = outer
        self._restore(start)
        self._live = True
        if not settled:
            self._forget_block(statement)
            entry, broke = self._snapshot(), []
        self._restore(entry)
        if test is not None:
            self._eval(test)
        self._block(statement.orelse)
        self._settle(([self._snapshot()] if self._live else []) + broke)

    def _iteration(self, expr: ast.expr) -> Optional[list[Node]]:
        """The items a `for` loop goes through, if known."""
        if (
            isinstance(expr, ast.Call)
            and not expr.keywords
            and not any(isinstance(a, ast.Starred) for a in expr.args)
        ):
            func = expr.func
            if isinstance(func, ast.Name) and self.namespace.get(func.id) is None:
                found = self._builtin_iteration(func.id, expr)
                if found is not None or func.id in ("range", "enumerate", "zip", "reversed"):
                    return found
            if (
                isinstance(func, ast.Attribute)
                and func.attr in ("items", "keys", "values")
                and not expr.args
            ):
                owner = self._eval(func.value)
                if isinstance(owner, DictValue) and not owner.open:
                    return [
                        _key_node(k, e)
                        if func.attr == "keys"
                        else e.value
                        if func.attr == "values"
                        else SeqValue(None, (_key_node(k, e), e.value), "tuple")
                        for k, e in owner.entries.items()
                    ]
                self._escape([owner])
                return None
        return self._items_of(self._eval(expr))

    def _builtin_iteration(self, name: str, expr: ast.Call) -> Optional[list[Node]]:
        args = expr.args
        if name == "range":
            values = [self._eval(a) for a in args]
            numbers = [
                v.value for v in values if isinstance(v, Scalar) and isinstance(v.value, int)
            ]
            if len(numbers) != len(values) or not 1 <= len(numbers) <= 3:
                return None
            try:
                span = range(*numbers)
            except ValueError:
                return None
            if len(span) > MAX_VALUE_SIZE:
                self._refuse(expr, f"a range of {len(span)} items")
                return None
            return [Scalar(None, i) for i in span]
        if name == "enumerate" and len(args) == 1:
            items = self._iteration(args[0])
            return (
                None
                if items is None
                else [
                    SeqValue(None, (Scalar(None, i), item), "tuple") for i, item in enumerate(items)
                ]
            )
        if name == "zip" and args:
            columns = [c for c in (self._iteration(a) for a in args) if c is not None]
            if len(columns) != len(args):
                return None
            return [SeqValue(None, row, "tuple") for row in zip(*columns)]
        if name == "reversed" and len(args) == 1:
            items = self._iteration(args[0])
            return None if items is None else items[::-1]
        return None

    def _items_of(self, value: Node) -> Optional[list[Node]]:
        """What iterating over a value gives, if known."""
        if isinstance(value, SeqValue) and value.kind in ("list", "tuple"):
            return list(value.items)
        if isinstance(value, DictValue) and not value.open:
            return [_key_node(k, e) for k, e in value.entries.items()]
        if isinstance(value, Scalar) and isinstance(value.value, str):
            return [Scalar(value.span, c) for c in value.value]
        return None

    def _run_Try(self, statement: ast.Try) -> None:
        outer, loop = self._catch, self._loop
        exits = (len(loop.breaks), len(loop.continues)) if loop is not None else (0, 0)
        catch = self._catch = _Catch()
        try:
            self._block(statement.body)
        finally:
            self._catch = outer
        ends: list[State] = []
        if self._live:
            self._block(statement.orelse)  # raising here skips the handlers
            if self._live:
                ends.append(self._snapshot())
        if statement.handlers and catch.state is not None:
            for handler in statement.handlers:
                self._restore(catch.state)
                self._live = True
                if handler.type is not None:
                    self._eval(handler.type)
                if handler.name:
                    self.namespace.bind(handler.name, self.unknown(handler, "an exception"))
                self._block(handler.body)
                if self._live:
                    if handler.name:  # Python deletes it at the end of the handler
                        self.namespace.delete(handler.name)
                    ends.append(self._snapshot())
        escaping = [catch.state] if catch.state is not None else []
        if statement.finalbody:
            if loop is not None:  # leaving by break or continue runs `finally` first
                for states, start in ((loop.breaks, exits[0]), (loop.continues, exits[1])):
                    pending = states[start:]
                    del states[start:]
                    states += self._finally(pending, statement.finalbody)
            escaping = self._finally(escaping, statement.finalbody)
        if outer is not None:  # what no handler catches reaches the enclosing try
            for state in escaping:
                self._add_to(outer, state)
        self._settle(ends)
        if self._live and statement.finalbody:
            self._block(statement.finalbody)

    _run_TryStar = _run_Try

    def _finally(self, states: list[State], body: list[ast.stmt]) -> list[State]:
        """The states after running a `finally` body from each of these."""
        saved, live = self._snapshot(), self._live
        after = []
        for state in states:
            self._restore(state)
            self._live = True
            self._block(body)
            if self._live:
                after.append(self._snapshot())
        self._restore(saved)
        self._live = live
        return after

    def _run_With(self, statement: Union[ast.With, ast.AsyncWith]) -> None:
        if isinstance(statement, ast.With) and self._is_read_base(statement):
            self._run_read_base(statement)
            return
        outer = self._catch
        catch = self._catch = _Catch()
        try:
            for item in statement.items:
                given = self._eval(item.context_expr)
                if item.optional_vars is not None:
                    self._escape([given])
                    self.assign(
                        item.optional_vars, self.unknown(item.context_expr, "what a `with` gives")
                    )
            self._block(statement.body)
        finally:
            self._catch = outer
        ends = [self._snapshot()] if self._live else []
        if catch.state is not None:
            ends.append(catch.state)  # a context manager may swallow what the body raises
            if outer is not None:
                self._add_to(outer, catch.state)
        self._settle(ends)

    _run_AsyncWith = _run_With

    def _run_Match(self, statement: ast.stmt) -> None:
        subject = self._eval(statement.subject)  # type: ignore[attr-defined]
        self._escape([subject])
        captured = [
            n
            for case in statement.cases  # type: ignore[attr-defined]
            for n in _captured_names(case.pattern)
        ]
        for name in captured:  # a pattern that fails may still bind some names
            self.namespace.bind(name, self.unknown(statement, "bound by a match pattern"))
        start = self._snapshot()
        ends = [start]  # no case matches
        for case in statement.cases:  # type: ignore[attr-defined]
            self._restore(start)
            self._live = True
            if case.guard is not None:
                self._eval(case.guard)
            self._block(case.body)
            if self._live:
                ends.append(self._snapshot())
        self._settle(ends)

    def _forget_block(self, statement: ast.stmt) -> None:
        """A block we do not follow: whatever it may bind or change is Unknown."""
        names = _bound_names(statement)
        values = [v for v in (self.namespace.get(n) for n in names) if v is not None]
        self._invalidate_deep(values, "changed in a block")
        self._through_unknown()
        for name in names:
            self.namespace.bind(name, self.unknown(statement, "changed in a block"))

    def _run_import(self, node: Union[ast.Import, ast.ImportFrom]) -> None:
        self.lazy |= _makes_lazy(node)
        span = self.span(node)
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                self.namespace.bind(
                    bound, ClassRef(span, "", alias.name if alias.asname else bound, is_module=True)
                )
            return
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                continue
            self.namespace.bind(alias.asname or alias.name, ClassRef(span, module, alias.name))

    # -- assignment ---------------------------------------------------------------------------
    def assign(self, target: ast.expr, value: Node) -> None:
        if isinstance(target, ast.Name):
            self.namespace.bind(target.id, value)
            span = self.span(target)
            if span is not None:
                self.assignments[target.id] = span
        elif isinstance(target, (ast.Tuple, ast.List)):
            self._unpack(target, value)
        elif isinstance(target, ast.Starred):
            self.assign(target.value, value)
        elif isinstance(target, (ast.Subscript, ast.Attribute)):
            key, key_span = self._key(target)
            self._set_key(self._eval(target.value), key, key_span, value)

    def _unpack(self, target: Union[ast.Tuple, ast.List], value: Node) -> None:
        elements = target.elts
        items = self._items_of(value)
        starred = [i for i, e in enumerate(elements) if isinstance(e, ast.Starred)]
        if items is not None and len(starred) <= 1:
            before = starred[0] if starred else len(elements)
            after = len(elements) - before - 1 if starred else 0
            if (starred and len(items) >= before + after) or len(items) == len(elements):
                for element, item in zip(elements[:before], items):
                    self.assign(element, item)
                if starred:
                    middle = items[before : len(items) - after]
                    self.assign(
                        elements[before],
                        SeqValue(self.span(elements[before]), tuple(middle), "list"),
                    )
                    for element, item in zip(elements[before + 1 :], items[len(items) - after :]):
                        self.assign(element, item)
                return
        self._escape([value])
        for element in elements:
            self.assign(element, self.unknown(target, "unpacking"))

    def _key(self, target: Union[ast.Subscript, ast.Attribute]) -> tuple[Node, Optional[Span]]:
        if isinstance(target, ast.Attribute):
            span = self.span(target)
            if span is not None:  # the attribute name is the last len(attr) characters
                span = Span(
                    span.file,
                    span.end_row,
                    span.end_column - len(target.attr),
                    span.end_row,
                    span.end_column,
                )
            return Scalar(span, target.attr), span
        index = target.slice
        if isinstance(index, ast.Slice):
            return Unknown(None, "slice"), None
        return self._eval(index), self.span(index)

    def _set_key(self, container: Node, key: Node, key_span: Optional[Span], value: Node) -> None:
        """`x['k'] = v` / `x.k = v`: x is changed in place, everywhere it is held (a
        ConfigDict stores its own copy of a plain dict or list, `ConfigDict._hook`)."""
        if (
            isinstance(container, DictValue)
            and isinstance(key, Scalar)
            and not _unhashable(key.value)
        ):

            def set_key(node: Node) -> Optional[Node]:
                if not isinstance(node, DictValue):
                    return None
                entries = dict(node.entries)
                entries[key.value] = Entry(
                    key_span, self._hook(value) if self._is_config_dict(node) else value
                )
                self._charge(len(entries))
                return self._bounded(replace(node, entries=entries))

            new = set_key(container)
            assert new is not None
            self._mutate(container, new, set_key)
        elif (
            isinstance(container, SeqValue)
            and container.kind == "list"
            and isinstance(key, Scalar)
            and isinstance(key.value, int)
            and -len(container.items) <= key.value < len(container.items)
        ):
            index: int = key.value

            def set_item(node: Node) -> Optional[Node]:
                if not (
                    isinstance(node, SeqValue)
                    and node.kind == "list"
                    and -len(node.items) <= index < len(node.items)
                ):
                    return None
                items = list(node.items)
                items[index] = value
                return self._bounded(replace(node, items=tuple(items)))

            self._mutate(container, set_item(container) or container, set_item)
        elif isinstance(container, (DictValue, SeqValue)):
            self._escape([value])
            self._invalidate(container, "set at an unknown key")
        elif isinstance(container, Unknown):
            self._escape([value])
            self._through_unknown()

    def _delete(self, target: ast.expr) -> None:
        """`del x`, `del x['k']`, `del _base_.k`."""
        if isinstance(target, ast.Name):
            self.namespace.delete(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._delete(element)
        elif isinstance(target, (ast.Subscript, ast.Attribute)):
            key, _ = self._key(target)
            self._delete_key(self._eval(target.value), key)

    def _delete_key(self, container: Node, key: Node) -> None:
        if (
            isinstance(container, DictValue)
            and isinstance(key, Scalar)
            and not _unhashable(key.value)
        ):
            self._mutate(container, container.without(key.value), _without(key.value))
        elif isinstance(container, (DictValue, SeqValue)):
            self._invalidate(container, "deleted from at an unknown key")
        elif isinstance(container, Unknown):
            self._through_unknown()

    # -- lazy configs ---------------------------------------------------------------------------
    @staticmethod
    def _is_read_base(statement: ast.With) -> bool:
        item = statement.items[0].context_expr if statement.items else None
        return isinstance(item, ast.Call) and dotted(item.func) in (
            "read_base",
            "mmengine.config.read_base",
        )

    def _run_read_base(self, statement: ast.With) -> None:
        """`with read_base(): from .base import *`: Python import semantics on config modules
        (each imported dict a ConfigDict of its own, `_dict_to_config_dict_lazy`)."""
        self.lazy = True
        for small in statement.body:
            if not isinstance(small, ast.ImportFrom) or small.module is None:
                continue
            module = "." * small.level + small.module
            span = self.span(small)
            base = self.read_base(module, span) if self.read_base and span else None
            for alias in small.names:
                if alias.name == "*":
                    if base is not None:
                        for name, value in base.items():
                            if not name.startswith("_"):
                                self._import(name, value)
                    continue
                found = base.get(alias.name) if base is not None else None
                self._import(
                    alias.asname or alias.name,
                    found if found is not None else Unknown(span, f"'{alias.name}' from {module}"),
                )

    def _import(self, name: str, value: Node) -> None:
        self.imported.append(name)
        self.namespace.bind(
            name, self._copy_of_base(value) if isinstance(value, (DictValue, SeqValue)) else value
        )


def _spread(entries: dict[Any, Entry], inner: DictValue) -> dict[Any, Entry]:
    """`{**entries, **inner}`: keys an open `inner` may hold overwrite any written before."""
    spread = (
        {
            k: Entry(e.key_span, Unknown(e.value.span, "may be overwritten by unseen keys"))
            for k, e in entries.items()
        }
        if inner.open
        else dict(entries)
    )
    spread.update(inner.entries)
    return spread


def _without(key: Any) -> Redo:
    def redo(node: Node) -> Optional[Node]:
        return node.without(key) if isinstance(node, DictValue) else None

    return redo


def _key_node(key: Any, entry: Entry) -> Node:
    return Scalar(entry.key_span, key)


def _identical(left: Node, right: Node) -> Optional[bool]:
    """`left is right` for None, True and False (other objects' identity is not modelled)."""
    for a, b in ((left, right), (right, left)):
        if isinstance(a, Scalar) and (a.value is None or isinstance(a.value, bool)):
            if isinstance(b, Scalar):
                return a.value is b.value
            if isinstance(b, (DictValue, SeqValue, ClassRef)):
                return False
    return None


def _equal(left: Node, right: Node) -> Optional[bool]:
    """`left == right`, when both are known."""
    if isinstance(left, Scalar) and isinstance(right, Scalar):
        try:
            return bool(left.value == right.value)
        except Exception:
            return None
    if isinstance(left, Unknown) or isinstance(right, Unknown):
        return None
    if isinstance(left, ClassRef) and isinstance(right, ClassRef):
        return True if left.qualname == right.qualname else None
    if isinstance(left, (DictValue, SeqValue)) and isinstance(right, (DictValue, SeqValue)):
        if (
            contains_unknown(left)
            or contains_unknown(right)
            or _holds_class(left)
            or _holds_class(right)
        ):
            return None
        return bool(to_python(left) == to_python(right))
    if {type(left), type(right)} in (
        {Scalar, DictValue},
        {Scalar, SeqValue},
        {DictValue, SeqValue},
    ):
        return False  # a str or a number is no dict, a dict no list
    return None  # a class may define its own `==`


def _holds_class(node: Node) -> bool:
    if isinstance(node, ClassRef):
        return True
    return any(_holds_class(c) for c in children(node))


def _captured_names(pattern: ast.AST) -> list[str]:
    names = []
    for inner in ast.walk(pattern):
        name = (
            getattr(inner, "name", None)
            if type(inner).__name__ in ("MatchAs", "MatchStar")
            else getattr(inner, "rest", None)
            if type(inner).__name__ == "MatchMapping"
            else None
        )
        if isinstance(name, str):
            names.append(name)
    return names


_MAY_CHANGE: weakref.WeakKeyDictionary[ast.Module, bool] = weakref.WeakKeyDictionary()


def _may_change(module: ast.Module) -> bool:
    """Whether a module may change a value in place (a store into a subscript or attribute,
    `+=`, `del x[k]`, a method or function call that is not known to change nothing); once
    per tree (a language server evaluates a kept tree again at every edit of its base)."""
    known = _MAY_CHANGE.get(module)
    if known is None:
        known = _MAY_CHANGE[module] = _walk_may_change(module)
    return known


def _walk_may_change(module: ast.Module) -> bool:
    for node in ast.walk(module):
        if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(
            node.ctx, (ast.Store, ast.Del)
        ):
            return True
        if isinstance(node, ast.AugAssign):
            return True
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                if func.attr not in READ_ONLY_METHODS:
                    return True
            elif not (isinstance(func, ast.Name) and func.id in PLAIN_BUILTINS | VIEW_BUILTINS):
                return True
    return False


STDLIB = frozenset(
    getattr(sys, "stdlib_module_names", ())
    or (
        "os",
        "os.path",
        "sys",
        "math",
        "copy",
        "re",
        "json",
        "random",
        "time",
        "datetime",
        "functools",
        "itertools",
        "collections",
        "pathlib",
        "typing",
    )
)


def _makes_lazy(node: Union[ast.Import, ast.ImportFrom]) -> bool:
    """Whether this import makes a config lazy: relative, or of a non-builtin module."""
    if isinstance(node, ast.ImportFrom):
        if node.level:
            return True
        module = node.module
        if module is None or module == "mmengine" or module.startswith("mmengine.config"):
            return False
        return module.split(".")[0] not in STDLIB
    return any(a.name.split(".")[0] not in STDLIB for a in node.names)


def _unhashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return True
    return False


def _lookup(container: Node, key: Node) -> Optional[Node]:
    if not isinstance(key, Scalar):
        return None
    if isinstance(container, DictValue):
        if _unhashable(key.value):
            return None
        return container.get(key.value)
    if (
        isinstance(container, SeqValue)
        and isinstance(key.value, int)
        and not isinstance(key.value, bool)
        and -len(container.items) <= key.value < len(container.items)
    ):
        return container.items[key.value]
    if (
        isinstance(container, Scalar)
        and isinstance(container.value, str)
        and isinstance(key.value, int)
    ):
        try:
            return Scalar(None, container.value[key.value])
        except IndexError:
            return None
    return None


def dotted(node: Optional[ast.AST]) -> Optional[str]:
    """`a.b.c` for a name or a chain of attributes on one; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        left = dotted(node.value)
        return f"{left}.{node.attr}" if left else None
    return None


def _target_names(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for e in target.elts for n in _target_names(e)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


def _root_name(node: ast.AST) -> Optional[str]:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _bound_names(statement: ast.stmt) -> list[str]:
    """Names a block may bind or change in place (conservatively: every root it touches)."""
    names: list[str] = []
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.append(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.alias):
            names.append((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(
            node.ctx, (ast.Store, ast.Del)
        ):
            root = _root_name(node)
            if root:
                names.append(root)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            root = _root_name(node.func.value)
            if root:
                names.append(root)
    return list(dict.fromkeys(names))
