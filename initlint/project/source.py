"""Model sources: the facts of one Python module that the project index and the checks need.

For every class: its bases and registrations as written, the attributes its methods create,
its `__init__` parameters, what its `init_weights` does with `init_cfg`. For every init_cfg
written in the module (an `__init__` default, `super().__init__(init_cfg=...)`,
`self.init_cfg = ...`, `Foo(init_cfg=...)`, a `dict(type=..., init_cfg=...)`): its value and
the class that will receive it, as written (the index resolves it).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Optional, Union

from ..config.evaluator import Evaluator, Namespace, Positions, dotted
from ..findings import Finding
from ..read import read_python
from ..values import DictValue, Node, Scalar, SeqValue, Span, Unknown
from .containers import ContainerSite, find_containers
from .syntax import is_self, is_super, self_attribute, touches_other_init


@dataclass(frozen=True)
class Registration:
    registry: str  # the registry as written, e.g. "MODELS" or "WEIGHT_INITIALIZERS"
    names: tuple[str, ...]  # the names it registers the class under
    force: bool = False


@dataclass
class MethodFacts:
    attributes: set[str] = field(default_factory=set)
    dynamic: bool = False  # setattr/add_module with a computed name: attributes unknown
    # Whether it calls `super().init_weights()`: always, only under a guard, or never (None).
    calls_super_init_weights: Optional[Literal["always", "guarded"]] = None
    reads_init_cfg: bool = False
    super_calls: set[str] = field(default_factory=set)  # `super().m()`: m runs the base's m too
    self_calls: set[str] = field(default_factory=set)  # `self.m(...)`, or `self.m` passed on
    # It reaches the `init_weights` or `init_cfg` of another module (`m.init_weights()`,
    # `initialize(m, m.init_cfg)`, `getattr(m, 'init_weights')`): what runs is not BaseModule's
    # walk alone.
    touches_other_init: bool = False


@dataclass
class InitParams:
    names: list[str]
    var_kwargs: bool
    defaults: dict[str, Node] = field(default_factory=dict)
    # `assert not (init_cfg and pretrained)`: both at once fail at construction (IL012).
    forbids_init_cfg_with_pretrained: bool = False
    # `backbone.pretrained = pretrained` (a detector or segmentor handing its `pretrained` to
    # the config of a part it builds): parameter -> whether only under `if pretrained`.
    pushes_pretrained: dict[str, bool] = field(default_factory=dict)
    # `assert backbone.get('pretrained') is None`: the part may not have its own as well.
    refuses_pretrained: set[str] = field(default_factory=set)
    # `super().__init__(..., pretrained=pretrained)`: the base's pushes apply too.
    forwards_pretrained: bool = False
    calls_super_init: bool = False
    # `warnings.warn('... pretrained is deprecated ...')`: a str `pretrained` still works,
    # as an init_cfg Pretrained (IL201).
    deprecates_pretrained: bool = False
    # Its body never reads the `init_cfg` it is given (nor the **kwargs that would hold it):
    # it neither stores nor forwards it, and nothing initialises from it (IL109).
    drops_init_cfg: bool = False
    # How the `init_cfg` it is given reaches `self.init_cfg`: passed to a base `__init__`
    # (`super().__init__(init_cfg=init_cfg)`), or stored itself; None: neither, as far as seen.
    passes_init_cfg: Optional[Literal["super", "self"]] = None


@dataclass
class ClassFacts:
    name: str
    module: str
    file: str
    span: Optional[Span]
    bases: list[str]  # dotted, as written ("BaseModule", "nn.Module")
    registrations: list[Registration] = field(default_factory=list)
    # The class body, read on first use: most indexed classes only need their bases.
    _body: Optional[tuple[ast.ClassDef, SourceFacts, Positions]] = field(default=None, repr=False)
    _methods: dict[str, MethodFacts] = field(default_factory=dict, repr=False)
    _class_attributes: set[str] = field(default_factory=set, repr=False)
    _init: Optional[InitParams] = field(default=None, repr=False)
    _init_read: bool = field(default=False, repr=False)
    _analysed: bool = field(default=False, repr=False)
    _attribute_types: dict[str, str] = field(default_factory=dict, repr=False)
    _class_values: dict[str, ast.expr] = field(default_factory=dict, repr=False)
    _attribute_init_cfgs: set[str] = field(default_factory=set, repr=False)

    @property
    def qualname(self) -> str:
        return f"{self.module}.{self.name}"

    @property
    def methods(self) -> dict[str, MethodFacts]:
        self._analyse()
        return self._methods

    @property
    def class_attributes(self) -> set[str]:
        """Class-level names, properties included."""
        self._analyse()
        return self._class_attributes

    @property
    def init(self) -> Optional[InitParams]:
        """The parameters of the class's own `__init__` (None: it defines none)."""
        if self._body is not None and not self._init_read:
            self._init_read = True
            node, facts, positions = self._body
            for statement in node.body:
                if (
                    isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and statement.name == "__init__"
                ):
                    self._init = _init_params(statement, facts, positions)
        return self._init

    @property
    def class_values(self) -> dict[str, ast.expr]:
        """Class-level `NAME = value` assignments (e.g. a dataset's METAINFO), unevaluated."""
        self._analyse()
        return self._class_values

    def class_value(self, name: str, namespace: Namespace) -> Optional[Node]:
        """A class-level assignment evaluated in `namespace` (the module's names); None when
        the class body does not assign `name`."""
        expr = self.class_values.get(name)
        if expr is None or self._body is None:
            return None
        return Evaluator(self._body[2], namespace).eval(expr)

    @property
    def attribute_types(self) -> dict[str, str]:
        """attribute -> the class its value is built from, as written (`nn.BatchNorm2d`)."""
        self._analyse()
        return self._attribute_types

    @property
    def attribute_init_cfgs(self) -> set[str]:
        """Attributes whose constructor call passes an `init_cfg` (or `**kwargs`)."""
        self._analyse()
        return self._attribute_init_cfgs

    def _analyse(self) -> None:
        if self._body is None or self._analysed:
            return
        self._analysed = True
        node, facts, positions = self._body
        for statement in node.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                decorators = {dotted(d) for d in statement.decorator_list}
                if decorators & {"property", "cached_property", "functools.cached_property"}:
                    self._class_attributes.add(statement.name)
                    continue
                self._methods[statement.name] = _method_facts(
                    statement, self._attribute_types, self._attribute_init_cfgs
                )
            elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
                targets = (
                    statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                )
                self._class_attributes.update(t.id for t in targets if isinstance(t, ast.Name))
                if statement.value is not None:
                    for target in targets:
                        if isinstance(target, ast.Name):
                            self._class_values[target.id] = statement.value


@dataclass(frozen=True)
class Receiver:
    """Who gets an init_cfg: the enclosing class, a class called by name, or a registry type."""

    # "class": a class of this module (its own default); "call": a dotted callee
    # (`Foo(init_cfg=...)`); "type": the `type` of a `dict(type=..., init_cfg=...)`.
    kind: Literal["class", "call", "type"]
    name: str
    type_value: Optional[Node] = None


@dataclass(frozen=True)
class SourceSite:
    value: Node
    receiver: Receiver
    default: bool = False  # the `init_cfg` default of the receiving class's own `__init__`
    # Where it is written: the (top-level) class and method, and the attribute a constructor
    # call that passes it is assigned to (`self.conv2 = TridentConv(init_cfg=...)`).
    cls: str = ""
    method: str = ""
    attribute: str = ""


@dataclass
class SourceFacts:
    file: str
    module: str
    imports: dict[str, str] = field(default_factory=dict)  # local name -> dotted target
    star_imports: list[str] = field(default_factory=list)
    classes: dict[str, ClassFacts] = field(default_factory=dict)
    # `X.register_module(module=Foo)` / `X.register_module()(Foo)` outside decorators
    registrations: list[tuple[str, Registration]] = field(default_factory=list)
    namespace: Namespace = field(default_factory=Namespace)
    # Module-level `Alias = Name` of a class or an imported name (`LVISDataset = LVISV05Dataset`).
    aliases: dict[str, str] = field(default_factory=dict)
    # The parsed module, kept until its sites are asked for (most indexed modules never are).
    _pending: Optional[tuple[ast.Module, Positions]] = field(default=None, repr=False)
    _sites: Optional[list[SourceSite]] = field(default=None, repr=False)

    path: str = ""  # where to read the module again (facts from the cache carry no tree)

    _containers: Optional[list[ContainerSite]] = field(default=None, repr=False)

    @property
    def sites(self) -> list[SourceSite]:
        """The init_cfg sites written in the module (found on first use)."""
        if self._sites is None:
            self._sites = []
            pending = self._tree()
            if pending is not None:
                tree, positions = pending
                _SiteExtractor(self, positions).visit(tree)
            self._release()
        return self._sites

    @property
    def containers(self) -> list[ContainerSite]:
        """The module containers built in the module, with what they hold (IL110)."""
        if self._containers is None:
            pending = self._tree()
            self._containers = (
                find_containers(pending[0], pending[1], Evaluator(pending[1], self.namespace))
                if pending is not None
                else []
            )
            self._release()
        return self._containers

    def _tree(self) -> Optional[tuple[ast.Module, Positions]]:
        """The parsed module, kept until both its sites and its containers are found."""
        self._pending = self._pending or _reparse(self.path, self.file)
        return self._pending

    def _release(self) -> None:
        if self._sites is not None and self._containers is not None:
            self._pending = None


def _reparse(path: str, file: str) -> Optional[tuple[ast.Module, Positions]]:
    read = read_python(Path(path), file)
    if isinstance(read, Finding):
        return None
    tree, text = read
    return tree, Positions(file, text)


def resolve_relative(module: str, is_package: bool, level: int, target: Optional[str]) -> str:
    """`from ..x import y` seen from `module` -> the absolute module name."""
    if level == 0:
        return target or ""
    parts = module.split(".")
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    return ".".join([*parts, target] if target else parts)


def extract_source(
    file: str, module: str, is_package: bool, tree: ast.Module, text: str, path: str = ""
) -> SourceFacts:
    facts = SourceFacts(file, module, path=path)
    positions = Positions(file, text)
    evaluator = Evaluator(positions, facts.namespace)
    for statement in tree.body:
        _collect_imports(statement, facts, module, is_package)
    # Module-level constants (e.g. a default init_cfg shared by several classes).
    for statement in tree.body:
        if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            evaluator.run_statement(statement)
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef):
            facts.classes[statement.name] = _class_facts(statement, facts, positions)
        elif isinstance(statement, ast.Expr):
            _module_registration(statement.value, facts)
    for statement in tree.body:
        if (
            isinstance(statement, ast.Assign)
            and isinstance(statement.value, ast.Name)
            and (statement.value.id in facts.classes or statement.value.id in facts.imports)
        ):
            for target in statement.targets:
                if isinstance(target, ast.Name) and target.id not in facts.classes:
                    facts.aliases[target.id] = statement.value.id
    facts._pending = (tree, positions)
    return facts


def _collect_imports(
    statement: ast.stmt, facts: SourceFacts, module: str, is_package: bool
) -> None:
    if isinstance(statement, ast.Import):
        for alias in statement.names:
            if alias.asname:
                facts.imports[alias.asname] = alias.name
            else:
                facts.imports[alias.name.split(".")[0]] = alias.name.split(".")[0]
    elif isinstance(statement, ast.ImportFrom):
        source = resolve_relative(module, is_package, statement.level, statement.module)
        for alias in statement.names:
            if alias.name == "*":
                facts.star_imports.append(source)
            else:
                facts.imports[alias.asname or alias.name] = f"{source}.{alias.name}"
    elif isinstance(statement, ast.Try):  # `try: import x except ImportError: ...`
        for inner in statement.body:
            _collect_imports(inner, facts, module, is_package)


def _registration(call: ast.AST) -> Optional[tuple[str, Registration]]:
    """`X.register_module(...)`: the registry as written and the names (None: class name)."""
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "register_module"
    ):
        return None
    registry = dotted(call.func.value) or "?"
    names: list[str] = []
    force = False
    positional = list(call.args)
    for keyword in call.keywords:
        if keyword.arg == "name":
            positional.insert(0, keyword.value)
        elif keyword.arg == "force":
            force = isinstance(keyword.value, ast.Constant) and bool(keyword.value.value)
    if positional:
        first = positional[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            names = [first.value]
        elif isinstance(first, (ast.List, ast.Tuple)):
            names = [
                e.value
                for e in first.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            ]
    return registry, Registration(registry, tuple(names), force)


def _module_registration(expr: ast.expr, facts: SourceFacts) -> None:
    # X.register_module(module=Foo) or X.register_module()(Foo)
    if isinstance(expr, ast.Call):
        found = _registration(expr)
        module = next((k.value for k in expr.keywords if k.arg == "module"), None)
        if found is None and isinstance(expr.func, ast.Call) and expr.args:
            found = _registration(expr.func)
            module = expr.args[0]
        if found is not None and module is not None:
            target = dotted(module)
            if target:
                facts.registrations.append((target, found[1]))


def _class_facts(node: ast.ClassDef, facts: SourceFacts, positions: Positions) -> ClassFacts:
    cls = ClassFacts(
        node.name,
        facts.module,
        facts.file,
        positions.span(node),
        [d for d in (dotted(b) for b in node.bases) if d],
    )
    for decorator in node.decorator_list:
        found = _registration(decorator)
        if found is not None:
            registration = found[1]
            if not registration.names:
                registration = Registration(registration.registry, (node.name,), registration.force)
            cls.registrations.append(registration)
    cls._body = (node, facts, positions)
    return cls


def _method_facts(
    node: Union[ast.FunctionDef, ast.AsyncFunctionDef],
    attribute_types: dict[str, str],
    attribute_init_cfgs: set[str],
) -> MethodFacts:
    """What one method does to the instance: the attributes it sets (and from which class
    it builds each), whether it reads `self.init_cfg`, which base methods it calls."""
    method = MethodFacts()
    # A `super().init_weights()` statement directly in the body always runs; one nested in
    # an if/for/try/with runs under a guard.
    direct = {
        id(s.value)
        for s in node.body
        if isinstance(s, (ast.Expr, ast.Return)) and isinstance(s.value, ast.Call)
    }

    def attribute_named(expr: Optional[ast.expr]) -> None:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            method.attributes.add(expr.value)
        else:
            method.dynamic = True  # `setattr(self, f'layer{i}', ...)`: which names, unknown

    for child in ast.walk(node):
        method.touches_other_init |= touches_other_init(child)
        if isinstance(child, ast.Attribute):
            value = child.value
            if is_self(value):
                if isinstance(child.ctx, ast.Store):
                    method.attributes.add(child.attr)
                elif child.attr == "init_cfg" and isinstance(child.ctx, ast.Load):
                    method.reads_init_cfg = True
        elif isinstance(child, ast.Assign) and isinstance(child.value, ast.Call):
            built = dotted(child.value.func)
            if built:
                passes = any(k.arg in ("init_cfg", None) for k in child.value.keywords)
                for target in child.targets:
                    name = self_attribute(target)
                    if name is not None:
                        attribute_types.setdefault(name, built)
                        if passes:  # `init_cfg=...` or `**kwargs`: not the class default
                            attribute_init_cfgs.add(name)
        elif isinstance(child, ast.Call):
            func = child.func
            # Helpers it runs: `self.m(...)`, and `self.m` handed on (`self.apply(self.m)`).
            method.self_calls.update(
                a for a in map(self_attribute, [func, *child.args]) if a is not None
            )
            if isinstance(func, ast.Attribute) and is_super(func.value):
                method.super_calls.add(func.attr)
                if func.attr == "init_weights" and method.calls_super_init_weights != "always":
                    method.calls_super_init_weights = "always" if id(child) in direct else "guarded"
                continue
            name = dotted(func)
            if name == "setattr":
                if (
                    len(child.args) > 1
                    and isinstance(child.args[0], ast.Name)
                    and child.args[0].id == "self"
                ):
                    attribute_named(child.args[1])
            elif name in (
                "self.add_module",
                "self.register_module",
                "self.register_parameter",
                "self.register_buffer",
                "self.__setattr__",
            ):
                attribute_named(child.args[0] if child.args else None)
            elif name in ("self.__dict__.update", "vars"):
                method.dynamic = True
    return method


def _init_params(
    node: Union[ast.FunctionDef, ast.AsyncFunctionDef], facts: SourceFacts, positions: Positions
) -> InitParams:
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    names = [a.arg for a in positional][1:] + [a.arg for a in args.kwonlyargs]
    params = InitParams(names, args.kwarg is not None)
    evaluator = Evaluator(positions, facts.namespace)
    for arg, default in zip(positional[len(positional) - len(args.defaults) :], args.defaults):
        params.defaults[arg.arg] = evaluator.eval(default)
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults):
        if kw_default is not None:
            params.defaults[arg.arg] = evaluator.eval(kw_default)
    loaded: set[str] = set()
    opaque = bool(node.decorator_list)  # a decorator may read the arguments itself
    holder = "init_cfg" if "init_cfg" in names else args.kwarg.arg if args.kwarg else None
    for statement in ast.walk(node):
        if (
            isinstance(statement, ast.Call)
            and isinstance(statement.func, ast.Attribute)
            and statement.func.attr == "__init__"
            and isinstance(statement.func.value, ast.Call)
            and dotted(statement.func.value.func) == "super"
        ):
            params.calls_super_init = True
            passed = [
                *statement.args,
                *(k.value for k in statement.keywords if k.arg in (None, "pretrained")),
            ]
            if any(isinstance(a, ast.Name) and a.id == "pretrained" for a in passed) or (
                "pretrained" not in names
                and args.kwarg is not None
                and any(k.arg is None for k in statement.keywords)
            ):
                params.forwards_pretrained = True  # by name, or inside **kwargs
        if isinstance(statement, ast.Assert):
            names_in = {n.id for n in ast.walk(statement.test) if isinstance(n, ast.Name)}
            if {"init_cfg", "pretrained"} <= names_in:
                params.forbids_init_cfg_with_pretrained = True
            refused = _refused_pretrained(statement.test)
            if refused in names:
                params.refuses_pretrained.add(refused)
        elif (
            isinstance(statement, ast.Call)
            and dotted(statement.func) in ("warnings.warn", "warn")
            and statement.args
        ):
            text = " ".join(
                n.value
                for n in ast.walk(statement.args[0])
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            )
            if "pretrained" in text and "deprecat" in text.lower():
                params.deprecates_pretrained = True
        elif isinstance(statement, ast.Name) and isinstance(statement.ctx, ast.Load):
            loaded.add(statement.id)
        elif (
            isinstance(statement, ast.Call)
            and holder is not None
            and _passes_to_base(statement, holder)
        ):
            params.passes_init_cfg = params.passes_init_cfg or "super"
        elif (
            isinstance(statement, ast.Assign)
            and holder == "init_cfg"
            and isinstance(statement.value, ast.Name)
            and statement.value.id == "init_cfg"
            and any(self_attribute(t) == "init_cfg" for t in statement.targets)
        ):
            params.passes_init_cfg = "self"
    # `locals()`, `vars()`, `eval(...)`, `inspect.currentframe()`: every local may be read.
    opaque |= bool(loaded & {"locals", "vars", "eval", "exec", "inspect", "sys"})
    params.drops_init_cfg = holder is not None and holder not in loaded and not opaque
    if "pretrained" in names:
        _pushes(node.body, params, names, False)
    return params


def _refused_pretrained(test: ast.expr) -> Optional[str]:
    """`backbone.get('pretrained') is None`: the parameter whose config it checks."""
    if (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Is)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
        and isinstance(test.left, ast.Call)
    ):
        func = test.left.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "get"
            and isinstance(func.value, ast.Name)
            and test.left.args
            and isinstance(test.left.args[0], ast.Constant)
            and test.left.args[0].value == "pretrained"
        ):
            return func.value.id
    return None


def _pushes(body: list[ast.stmt], params: InitParams, names: list[str], guarded: bool) -> None:
    """`<param>.pretrained = pretrained` statements, and whether an `if` that tests
    `pretrained` guards each."""
    for statement in body:
        if (
            isinstance(statement, ast.Assign)
            and isinstance(statement.value, ast.Name)
            and statement.value.id == "pretrained"
        ):
            for target in statement.targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr == "pretrained"
                    and isinstance(target.value, ast.Name)
                    and target.value.id in names
                ):
                    before = params.pushes_pretrained.get(target.value.id, True)
                    params.pushes_pretrained[target.value.id] = before and guarded
        elif isinstance(statement, ast.If):
            tests = {n.id for n in ast.walk(statement.test) if isinstance(n, ast.Name)}
            tested = guarded or "pretrained" in tests
            _pushes(statement.body, params, names, tested)
            _pushes(statement.orelse, params, names, tested)
        elif isinstance(statement, (ast.With, ast.For, ast.While, ast.Try)):
            _pushes(statement.body, params, names, guarded)


def _passes_to_base(call: ast.Call, holder: str) -> bool:
    """`super().__init__(..., init_cfg=init_cfg)` (or positionally, or `**kwargs` holding it),
    or `Base.__init__(self, ...)` the same way."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "__init__"):
        return False
    passed = [*call.args, *(k.value for k in call.keywords)]
    return any(isinstance(v, ast.Name) and v.id == holder for v in passed) or any(
        isinstance(a, ast.Starred) and isinstance(a.value, ast.Name) and a.value.id == holder
        for a in call.args
    )


class _SiteExtractor(ast.NodeVisitor):
    """Walks every function, evaluating locals path by path, and records the init_cfg sites."""

    def __init__(self, facts: SourceFacts, positions: Positions) -> None:
        self.facts = facts
        self.positions = positions
        self.cls: Optional[ClassFacts] = None
        self.method = ""  # the method of `cls` being read
        self.attribute = ""  # the `self.x` the statement being read assigns a call to
        self._assigned_call: Optional[ast.expr] = None
        self.seen: set[int] = set()
        # Only statements on rows that write `init_cfg` can pass or carry one.
        self.rows = {i + 1 for i, line in enumerate(positions.lines) if "init_cfg" in line}

    # Each name maps to the values it may hold here (one per branch that assigned it).
    Env = dict[str, list[Node]]

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        outer, method = self.cls, self.method
        self.cls = self.facts.classes.get(node.name) if outer is None else None
        self.method = ""
        self.generic_visit(node)
        self.cls, self.method = outer, method

    def visit_FunctionDef(self, node: Union[ast.FunctionDef, ast.AsyncFunctionDef]) -> None:
        outer = self.method
        if self.cls is not None and not outer:
            self.method = node.name
        if self.cls is not None and node.name == "__init__" and self.cls.init is not None:
            default = self.cls.init.defaults.get("init_cfg")
            if default is not None:
                self._site(default, Receiver("class", self.cls.name), default=True)
        self._run_block(node.body, {})
        self.method = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def _evaluator(self, env: Env) -> Evaluator:
        namespace = Namespace()
        namespace.values.update(self.facts.namespace.values)
        for name, values in env.items():
            namespace.bind(
                name,
                values[-1] if len(values) == 1 else Unknown(None, f"'{name}' differs by branch"),
            )
        return Evaluator(self.positions, namespace)

    def _values(self, expr: ast.expr, env: Env) -> list[Node]:
        if isinstance(expr, ast.Name) and expr.id in env:
            return env[expr.id]
        return [self._evaluator(env).eval(expr)]

    def _run_block(self, body: list[ast.stmt], env: Env) -> Env:
        for statement in body:
            env = self._run(statement, env)
        return env

    def _run(self, statement: ast.stmt, env: Env) -> Env:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.visit_FunctionDef(statement)  # a nested function: its own scope
            return env
        if isinstance(statement, ast.ClassDef):
            self.visit_ClassDef(statement)
            return env
        self.attribute, self._assigned_call = "", None
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
            self.attribute = next((a for a in map(self_attribute, statement.targets) if a), "")
            self._assigned_call = statement.value
        self._scan_expressions(statement, env)
        self.attribute = ""
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            values = self._values(statement.value, env)
            for target in targets:
                if isinstance(target, ast.Name):
                    env = {**env, target.id: values}
                elif self_attribute(target) == "init_cfg" and self.cls is not None:
                    for value in values:
                        self._site(value, Receiver("class", self.cls.name))
            return env
        if (
            isinstance(statement, ast.AugAssign)
            and self_attribute(statement.target) == "init_cfg"
            and self.cls is not None
        ):
            for value in self._values(statement.value, env):
                self._site(value, Receiver("class", self.cls.name))
            return env
        if isinstance(statement, ast.If):
            then = self._run_block(statement.body, env)
            other = self._run_block(statement.orelse, env)
            return _join(then, other)
        if isinstance(statement, (ast.For, ast.While, ast.AsyncFor)):
            once = self._run_block(statement.body, env)
            return _join(_join(env, once), self._run_block(statement.orelse, env))
        if isinstance(statement, (ast.With, ast.AsyncWith)):
            return self._run_block(statement.body, env)
        if isinstance(statement, ast.Try):
            result = self._run_block(statement.body, env)
            for handler in statement.handlers:
                result = _join(result, self._run_block(handler.body, env))
            result = self._run_block(statement.orelse, result)
            return self._run_block(statement.finalbody, result)
        return env

    def _scan_expressions(self, statement: ast.stmt, env: Env) -> None:
        """Calls that pass an init_cfg, and dict displays that carry one, in this statement."""
        first = statement.lineno
        last = statement.end_lineno or first
        if isinstance(statement, (ast.If, ast.For, ast.While, ast.With, ast.Try)):
            last = statement.body[0].lineno - 1 if statement.body else last  # the header
        if not any(row in self.rows for row in range(first, last + 1)):
            return
        for node in _walk_shallow(statement):
            if isinstance(node, ast.Call):
                self._call_site(node, env)
            elif isinstance(node, ast.Dict):
                keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
                if "init_cfg" in keys and "type" in keys:
                    self._typed_dict_site(self._evaluator(env).eval(node))

    def _call_site(self, call: ast.Call, env: Env) -> None:
        func = call.func
        name = dotted(func)
        is_super_init = (
            isinstance(func, ast.Attribute)
            and func.attr == "__init__"
            and isinstance(func.value, ast.Call)
            and dotted(func.value.func) == "super"
        )
        keyword = next((k for k in call.keywords if k.arg == "init_cfg"), None)
        if name == "dict" and keyword is not None:
            self._typed_dict_site(self._evaluator(env).eval(call))
            return
        if is_super_init and self.cls is not None:
            expr = keyword.value if keyword is not None else None
            if (
                expr is None
                and len(call.args) == 1
                and self.cls.bases
                and self.cls.bases[0].split(".")[-1] == "BaseModule"
            ):
                expr = call.args[0]  # BaseModule.__init__(self, init_cfg=None)
            if expr is not None and not (isinstance(expr, ast.Name) and expr.id == "init_cfg"):
                for value in self._values(expr, env):
                    self._site(value, Receiver("class", self.cls.name))
            return
        if keyword is None or name is None or name.startswith("super"):
            return
        if isinstance(keyword.value, ast.Name) and keyword.value.id == "init_cfg":
            return  # passing on what it was given: checked where it is written
        receiver = Receiver("call", name)
        attribute, self.attribute = (
            self.attribute,
            self.attribute if call is self._assigned_call else "",
        )
        for value in self._values(keyword.value, env):
            self._site(value, receiver)
        self.attribute = attribute

    def _typed_dict_site(self, value: Node) -> None:
        if isinstance(value, DictValue):
            init_cfg = value.get("init_cfg")
            if init_cfg is not None:
                self._site(init_cfg, Receiver("type", "", value.get("type")))

    def _site(self, value: Node, receiver: Receiver, default: bool = False) -> None:
        if isinstance(value, Unknown) or value.span is None:
            return
        key = id(value)
        if (key, receiver) in self.seen:  # type: ignore[comparison-overlap]
            return
        self.seen.add((key, receiver))  # type: ignore[arg-type]
        if isinstance(value, (DictValue, SeqValue)) or (
            isinstance(value, Scalar) and value.value not in (None,)
        ):
            assert self.facts._sites is not None
            self.facts._sites.append(
                SourceSite(
                    value,
                    receiver,
                    default,
                    self.cls.name if self.cls else "",
                    self.method,
                    self.attribute if receiver.kind == "call" else "",
                )
            )


def _walk_shallow(statement: ast.stmt) -> list[ast.AST]:
    """The expressions of a statement, not those of nested statements or functions."""
    out: list[ast.AST] = []
    stack: list[ast.AST] = [
        c for c in ast.iter_child_nodes(statement) if not isinstance(c, ast.stmt)
    ]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Lambda, ast.stmt)):
            continue
        out.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return out


def _join(a: dict[str, list[Node]], b: dict[str, list[Node]]) -> dict[str, list[Node]]:
    out = dict(a)
    for name, values in b.items():
        if name in out:
            merged = list(out[name])
            merged += [v for v in values if all(v is not w for w in merged)]
            out[name] = merged
        else:
            out[name] = values
    return out
