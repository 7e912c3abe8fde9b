"""Joining what several paths through a config leave behind.

Where the evaluator cannot tell which way a config goes (an `if` on an unknown value, a loop
over an unknown sequence, a `try` whose body may raise), it runs every way and joins the end
states: what all paths agree on stays known, the rest is Unknown. A dict whose keys differ
keeps the keys every path has and is open for the rest; a value equal on every path is kept
(the first path's node, so a loop's state reaches a fixed point by identity).

Value trees model object identity by node identity: a dict changed in place is rebuilt
wherever the same node is referenced. A join can make two distinct nodes stand for what is one
object on some path (`x = a if c else b`: `x` is `a` on one path, `b` on the other), and can
leave objects reachable only through an Unknown (a key one path set). A state records both:

* `aliases`: node id -> the ids of other nodes that may be the same object. Changing one in
  place makes the others Unknown.
* `escaped`: nodes an Unknown value may be. Changing an Unknown value in place makes them, and
  every dict and list inside them, Unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..values import ClassRef, DictValue, Entry, Node, Scalar, SeqValue, Unknown

Aliases = dict[int, tuple[Node, frozenset[int]]]


@dataclass
class State:
    values: dict[str, Node]
    aliases: Aliases = field(default_factory=dict)
    escaped: list[Node] = field(default_factory=list)

    def copy(self) -> State:
        return State(dict(self.values), dict(self.aliases), list(self.escaped))

    def same(self, other: State) -> bool:
        """The same state, node for node (how a loop's fixed point is recognised)."""
        return (
            self.values.keys() == other.values.keys()
            and all(v is other.values[k] for k, v in self.values.items())
            and self.aliases.keys() == other.aliases.keys()
            and all(a[1] == other.aliases[k][1] for k, a in self.aliases.items())
            and {id(n) for n in self.escaped} == {id(n) for n in other.escaped}
        )


def containers(roots: Iterable[Node], charge: Callable[[int], None]) -> dict[int, Node]:
    """Every dict and list reachable from `roots` (each once), by id."""
    found: dict[int, Node] = {}
    stack = [r for r in roots if isinstance(r, (DictValue, SeqValue))]
    while stack:
        node = stack.pop()
        if id(node) in found:
            continue
        found[id(node)] = node
        inner = [c for c in children(node) if isinstance(c, (DictValue, SeqValue))]
        charge(1 + len(inner))
        stack += inner
    return found


def children(node: Node) -> Iterator[Node]:
    if isinstance(node, DictValue):
        for entry in node.entries.values():
            yield entry.value
    elif isinstance(node, SeqValue):
        yield from node.items


def same_scalar(a: Scalar, b: Scalar) -> bool:
    if type(a.value) is not type(b.value):
        return False
    if isinstance(a.value, (float, complex)):
        return repr(a.value) == repr(b.value)  # 0.0 and -0.0 differ; nan is never equal
    return bool(a.value == b.value)


def join_states(states: list[State], charge: Callable[[int], None]) -> State:
    if len(states) == 1:
        return states[0].copy()
    return _Joiner(states, charge).run()


def join_values(a: Node, b: Node, charge: Callable[[int], None]) -> tuple[Node, list[Node]]:
    """The join of two values, and the dicts and lists it dropped (still held elsewhere,
    perhaps, and now reached only through an Unknown)."""
    joiner = _Joiner([State({}), State({})], charge)
    return joiner.join((a, b)), [n for dropped in joiner.dropped for n in dropped]


class _Joiner:
    def __init__(self, states: list[State], charge: Callable[[int], None]) -> None:
        self.states = states
        self.charge = charge
        self.memo: dict[tuple[int, ...], Node] = {}
        self.alive: list[tuple[Node, ...]] = []  # the joined tuples, so their ids stay valid
        # Per path: the id of a dict or list there -> the ids of the joined nodes it became.
        self.index: list[dict[int, set[int]]] = [{} for _ in states]
        self.results: dict[int, Node] = {}
        # Per path: dicts and lists a join dropped (a key set on one path only, values that
        # differ in kind): after the join only an Unknown may reach them.
        self.dropped: list[list[Node]] = [[] for _ in states]

    def run(self) -> State:
        names = list(dict.fromkeys(n for s in self.states for n in s.values))
        values: dict[str, Node] = {}
        for name in names:
            nodes = [s.values.get(name) for s in self.states]
            if any(n is None for n in nodes):
                for i, n in enumerate(nodes):
                    if n is not None:
                        self.dropped[i].append(n)
                first = next(n for n in nodes if n is not None)
                values[name] = (
                    first
                    if isinstance(first, Unknown)
                    else Unknown(first.span, f"'{name}' is bound on some paths only")
                )
            else:
                values[name] = self.join(tuple(n for n in nodes if n is not None))
        return State(values, self.relations(), self.escapes())

    def join(self, nodes: tuple[Node, ...]) -> Node:
        self.charge(1)
        key = tuple(id(n) for n in nodes)
        found = self.memo.get(key)
        if found is not None:
            return found
        result = self._join(nodes)
        self.memo[key] = result
        self.alive.append(nodes)
        if isinstance(result, (DictValue, SeqValue)):
            self.results[id(result)] = result
            for i, node in enumerate(nodes):
                self.index[i].setdefault(id(node), set()).add(id(result))
        return result

    def _drop(self, nodes: tuple[Node, ...]) -> None:
        for i, node in enumerate(nodes):
            if isinstance(node, (DictValue, SeqValue)):
                self.dropped[i].append(node)

    def _join(self, nodes: tuple[Node, ...]) -> Node:
        first = nodes[0]
        if all(n is first for n in nodes):
            # Visited all the same: what is inside may be joined with something else elsewhere.
            for child in children(first):
                self.join((child,) * len(nodes))
            return first
        unknown = next((n for n in nodes if isinstance(n, Unknown)), None)
        if unknown is not None:
            self._drop(nodes)
            return unknown
        scalars = [n for n in nodes if isinstance(n, Scalar)]
        refs = [n for n in nodes if isinstance(n, ClassRef)]
        dicts = tuple(n for n in nodes if isinstance(n, DictValue))
        sequences = tuple(n for n in nodes if isinstance(n, SeqValue))
        joined: Node | None = None
        if len(scalars) == len(nodes):
            if all(same_scalar(scalars[0], n) for n in scalars):
                return first
        elif len(refs) == len(nodes):
            if len({(r.module, r.name, r.is_module) for r in refs}) == 1:
                return first
        elif len(dicts) == len(nodes):
            joined = self._join_dicts(dicts)
        elif len(sequences) == len(nodes):
            joined = self._join_sequences(sequences)
        if joined is not None:
            return joined
        self._drop(nodes)
        return Unknown(first.span, "differs between paths")

    def _join_dicts(self, nodes: tuple[DictValue, ...]) -> Node | None:
        first = nodes[0]
        if any(n.config_dict != first.config_dict for n in nodes):
            return None
        common = [k for k in first.entries if all(k in n.entries for n in nodes[1:])]
        for i, node in enumerate(nodes):
            if len(node.entries) != len(common):
                self.dropped[i] += [
                    e.value
                    for k, e in node.entries.items()
                    if k not in common and isinstance(e.value, (DictValue, SeqValue))
                ]
        is_open = any(n.open for n in nodes) or any(len(n.entries) != len(common) for n in nodes)
        changed = is_open != first.open or len(common) != len(first.entries)
        entries: dict[object, Entry] = {}
        for key in common:
            entry = first.entries[key]
            value = self.join(tuple(n.entries[key].value for n in nodes))
            changed |= value is not entry.value
            entries[key] = entry if value is entry.value else Entry(entry.key_span, value)
        if not changed:
            return first
        return DictValue(first.span, entries, is_open, first.config_dict)

    def _join_sequences(self, nodes: tuple[SeqValue, ...]) -> Node | None:
        first = nodes[0]
        if any(n.kind != first.kind or len(n.items) != len(first.items) for n in nodes):
            return None
        items = tuple(self.join(tuple(n.items[i] for n in nodes)) for i in range(len(first.items)))
        if all(a is b for a, b in zip(items, first.items)):
            return first
        return SeqValue(first.span, items, first.kind)

    def relations(self) -> Aliases:
        """Joined nodes that stand for one object on some path."""
        related: dict[int, set[int]] = {}
        for i, index in enumerate(self.index):
            before = self.states[i].aliases
            for node_id, result_ids in index.items():
                group = set(result_ids)
                for other in before.get(node_id, (None, frozenset()))[1]:
                    group |= index.get(other, set())
                self.charge(len(group))
                if len(group) > 1:
                    for result_id in group:
                        related.setdefault(result_id, set()).update(group - {result_id})
        return {r: (self.results[r], frozenset(ids)) for r, ids in related.items()}

    def escapes(self) -> list[Node]:
        """Joined nodes an Unknown may reach: escaped on some path, or dropped there."""
        escaped: dict[int, Node] = {}
        for i, state in enumerate(self.states):
            roots = [*state.escaped, *self.dropped[i]]
            if not roots:
                continue
            reachable = containers(roots, self.charge)
            for node_id, result_ids in self.index[i].items():
                if node_id in reachable:
                    escaped.update((r, self.results[r]) for r in result_ids)
        return list(escaped.values())
