"""Generate initlint/data/mmcv_layers.json: the module classes of mmcv 1.7.2 and mmcv 2.x.

For each generation ("mmcv1": mmcv 1.7.2, "mmcv2": mmcv-lite 2.2.0, both from PyPI into the
corpus cache, see benchmarks/corpus.py), record what `layer` matching and the initializers
can see of every nn.Module class mmcv defines in `mmcv.cnn`, `mmcv.ops` and its containers
(`mmcv.runner.base_module` in 1.x; in 2.x they are `mmengine.model.base_module`'s): the direct
base names (grammar.md §6), whether a default instance has its own `weight` / `bias` tensors
(or, in `non_tensor`, a `weight` / `bias` that is neither None nor a tensor, which makes every
initializer raise) and how many dims the weight has, whether the class defines `init_weights`
itself (a BaseModule calls it on its direct children, after its own init_cfg), the registry
names that build it, the registries' name -> class tables, and the initializers mmcv registers.

Classes that import on CPU are built with small arguments; `mmcv.ops` needs the compiled
`mmcv._ext`, so its classes (and any module that fails to import) are read from source with
`ast`, and the fields that reading cannot tell are listed in the entry's `unknown`.

Classes are keyed by `module.QualName`: mmcv reuses torch names (`mmcv.cnn.bricks.wrappers.
Conv2d` subclasses `nn.Conv2d`).

    python scripts/gen_mmcv_layers.py            # rewrite the data file
    python scripts/gen_mmcv_layers.py --check    # exit 1 if the file is out of date

Each generation is described in a child process (`--describe VERSION OUT`): both are the
import package `mmcv`. tests/test_data_files.py runs the check.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import json
import pkgutil
import subprocess
import sys
import tempfile
import textwrap
import types
import warnings
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "initlint" / "data" / "mmcv_layers.json"
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "scripts"))

from corpus import MMCV, import_mmcv  # noqa: E402
from gen_torch_layers import ARG_VALUES  # noqa: E402

GENERATIONS = {"mmcv1": "1.7.2", "mmcv2": "2.2.0"}
# Required constructor arguments mmcv's classes add to torch's, by parameter name.
MMCV_ARGS: dict[str, Any] = {
    **ARG_VALUES,
    "embed_dims": 4,
    "ratio": 0.5,
    "scale_factor": 2,
    "upsample_kernel": 3,
    "depth": 18,
    "feedforward_channels": 8,
    "num_fcs": 2,
    "inplanes": 4,
    "planes": 4,
}
# Constructors whose defaults do not build on their own.
SPECIAL: dict[str, dict[str, Any]] = {
    "BaseTransformerLayer": {
        "attn_cfgs": {"type": "MultiheadAttention", "embed_dims": 4, "num_heads": 2},
        "ffn_cfgs": {"type": "FFN", "embed_dims": 4, "feedforward_channels": 8},
        "operation_order": ["self_attn", "norm", "ffn", "norm"],
    },
    "TransformerLayerSequence": {
        "transformerlayers": {
            "type": "BaseTransformerLayer",
            "attn_cfgs": {"type": "MultiheadAttention", "embed_dims": 4, "num_heads": 2},
            "ffn_cfgs": {"type": "FFN", "embed_dims": 4, "feedforward_channels": 8},
            "operation_order": ["self_attn", "norm", "ffn", "norm"],
        },
        "num_layers": 1,
    },
    "VGG": {"depth": 11},
    "GeneralizedAttention": {"in_channels": 18},  # divisible by the default 9 heads
}
# Factories whose result is a tensor (the dims of `nn.Parameter(torch.Tensor(a, b))`).
TENSOR_FACTORIES = {"Tensor", "FloatTensor", "empty", "zeros", "ones", "randn", "rand", "full"}
PARAMS = ("weight", "bias")


# --------------------------------------------------------------------------------------------
# Built classes
# --------------------------------------------------------------------------------------------
def _ctor_args(cls: type) -> Optional[dict[str, Any]]:
    if cls.__name__ in SPECIAL:
        return SPECIAL[cls.__name__]
    kwargs: dict[str, Any] = {}
    for p in list(inspect.signature(cls.__init__).parameters.values())[1:]:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.default is not p.empty:
            continue
        if p.name not in MMCV_ARGS:
            return None
        kwargs[p.name] = MMCV_ARGS[p.name]
    return kwargs


def _tensor(module: Any, attr: str) -> bool:
    value = getattr(module, attr, None)
    return value is not None and hasattr(value, "dim")


def _describe_built(cls: type) -> Optional[dict[str, Any]]:
    """Facts of a default instance, or None when no instance could be built."""
    kwargs = _ctor_args(cls)
    if kwargs is None or inspect.isabstract(cls):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = cls(**kwargs)
    except Exception:  # needs arguments we do not guess: read the source instead
        return None
    entry: dict[str, Any] = {
        "ctor": kwargs,
        "weight": _tensor(module, "weight"),
        "bias": _tensor(module, "bias"),
    }
    entry["weight_dims"] = module.weight.dim() if entry["weight"] else None
    # An initializer writes every `weight` / `bias` that is not None: a float there raises.
    entry["non_tensor"] = [
        a for a in PARAMS if getattr(module, a, None) is not None and not _tensor(module, a)
    ]
    entry["weight_optional"] = False
    if not (entry["weight"] or entry["bias"]):
        parameters = inspect.signature(cls.__init__).parameters
        switches = {p: True for p in ("affine", "elementwise_affine", "bias") if p in parameters}
        if switches:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    variant = cls(**{**kwargs, **switches})
                entry["weight_optional"] = any(_tensor(variant, a) for a in PARAMS)
            except Exception:  # the switch does not combine with the defaults: leave it off
                pass
    return entry


# --------------------------------------------------------------------------------------------
# Classes read from source
# --------------------------------------------------------------------------------------------
def _name_of(node: ast.expr) -> Optional[str]:
    """`nn.Conv2d` -> 'Conv2d', `BaseModule` -> 'BaseModule' (the runtime's `__name__`)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_self_attr(node: ast.expr, attr: str) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == attr
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    )


def _param_value(call: ast.expr) -> tuple[Optional[bool], Optional[int], Optional[int]]:
    """What `self.X = <call>` stores: (is a tensor, exact dims, at least dims).

    Only `nn.Parameter(torch.Tensor(a, b, ...))` and `None` are understood.
    """
    if isinstance(call, ast.Constant) and call.value is None:
        return False, None, None
    if not (isinstance(call, ast.Call) and _name_of(call.func) == "Parameter"):
        return None, None, None
    inner = call.args[0] if call.args else None
    if isinstance(inner, ast.Call) and _name_of(inner.func) in TENSOR_FACTORIES:
        plain = [a for a in inner.args if not isinstance(a, ast.Starred)]
        if len(plain) == len(inner.args):
            return True, len(plain), None
        return True, None, len(plain)
    return True, None, None


class _Reading:
    """What an `__init__` body does to `self.weight` / `self.bias`."""

    def __init__(self, defaults: dict[str, object]) -> None:
        self.defaults = defaults  # parameters with a literal default, and `self.X = X` copies
        self.found: dict[str, tuple[Optional[bool], Optional[int], Optional[int]]] = {}
        self.uncertain: set[str] = set()

    def _store(
        self, attr: str, value: tuple[Optional[bool], Optional[int], Optional[int]], certain: bool
    ) -> None:
        if attr in self.found and self.found[attr] != value:
            self.uncertain.add(attr)
        self.found[attr] = value
        if not certain or value[0] is None:
            self.uncertain.add(attr)

    def _condition(self, test: ast.expr) -> Optional[bool]:
        """The truth of `if affine:` / `if self.affine:` / `if not bias:` for the defaults."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = self._condition(test.operand)
            return None if inner is None else not inner
        name = (
            test.id
            if isinstance(test, ast.Name)
            else (
                test.attr
                if isinstance(test, ast.Attribute) and _is_self_attr(test, test.attr)
                else None
            )
        )
        if name is not None and name in self.defaults:
            return bool(self.defaults[name])
        return None

    def read(self, body: list[ast.stmt], certain: bool = True) -> None:
        for stmt in body:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    for attr in PARAMS:
                        if _is_self_attr(target, attr):
                            self._store(attr, _param_value(stmt.value), certain)
                    if (
                        isinstance(target, ast.Attribute)
                        and _is_self_attr(target, target.attr)
                        and isinstance(stmt.value, ast.Name)
                        and stmt.value.id in self.defaults
                    ):
                        self.defaults[target.attr] = self.defaults[stmt.value.id]
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                call = stmt.value
                if (
                    _is_self_attr(call.func, "register_parameter")
                    and len(call.args) == 2
                    and isinstance(call.args[0], ast.Constant)
                    and call.args[0].value in PARAMS
                ):
                    self._store(str(call.args[0].value), _param_value(call.args[1]), certain)
            elif isinstance(stmt, ast.If):
                branch = self._condition(stmt.test)
                if branch is None:
                    self.read(stmt.body, False)
                    self.read(stmt.orelse, False)
                else:
                    self.read(stmt.body if branch else stmt.orelse, certain)
            elif isinstance(stmt, (ast.For, ast.While, ast.With, ast.Try)):
                for part in ("body", "orelse", "finalbody"):
                    self.read(getattr(stmt, part, []), False)
                for handler in getattr(stmt, "handlers", []):
                    self.read(handler.body, False)


def _literal_defaults(func: ast.FunctionDef) -> dict[str, object]:
    args = func.args
    positional = args.posonlyargs + args.args
    pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults))
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
    found: dict[str, object] = {}
    for arg, default in pairs:
        try:
            found[arg.arg] = ast.literal_eval(default)
        except ValueError:
            continue
    return found


def _read_class(node: ast.ClassDef) -> dict[str, Any]:
    """Bases, own weight/bias and init_weights of a class, from its source."""
    methods = {s.name: s for s in node.body if isinstance(s, ast.FunctionDef)}
    bases = [n for n in (_name_of(b) for b in node.bases) if n is not None]
    entry: dict[str, Any] = {"bases": bases, "defines_init_weights": "init_weights" in methods}
    init = methods.get("__init__")
    reading = _Reading(_literal_defaults(init) if init is not None else {})
    if init is not None:
        reading.read(init.body)
    # A store in another method (`reset_parameters`, `_init_layers`) may run from __init__:
    # what the instance holds is then not read.
    for method in methods.values():
        if method is not init:
            later = _Reading({})
            later.read(list(ast.walk(method)), False)  # type: ignore[arg-type]
            reading.uncertain.update(later.found)
    entry["own"] = {attr: reading.found[attr] for attr in reading.found}
    entry["uncertain"] = sorted(reading.uncertain)
    entry["registered_by_decorator"] = []
    for deco in node.decorator_list:
        if (
            isinstance(deco, ast.Call)
            and isinstance(deco.func, ast.Attribute)
            and deco.func.attr == "register_module"
            and isinstance(deco.func.value, ast.Name)
        ):
            names: Any = node.name
            keyword = {k.arg: k.value for k in deco.keywords}
            given = deco.args[0] if deco.args else keyword.get("name")
            if given is not None:
                names = ast.literal_eval(given)
            for name in [names] if isinstance(names, str) else names:
                entry["registered_by_decorator"].append(f"{deco.func.value.id}:{name}")
    return entry


def _source_classes(package_dir: Path, files: list[Path]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Top-level classes of `files`, as `module.Name` -> (module, reading)."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for path in files:
        module = ".".join(path.relative_to(package_dir.parent).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                found[f"{module}.{node.name}"] = (module, _read_class(node))
    return found


def _resolve_source_classes(
    readings: dict[str, tuple[str, dict[str, Any]]],
    known: dict[str, dict[str, Any]],
    torch_layers: dict[str, Any],
    base_module: str,
) -> dict[str, dict[str, Any]]:
    """The nn.Module classes among `readings`, with what a default instance would hold.

    A field the reading cannot tell, but a direct base's data can (an own `__init__` that does
    not touch `weight` inherits it from `nn.Conv2d`), comes from that base; what neither tells
    is listed in `unknown`.
    """
    by_name: dict[str, dict[str, Any]] = {}
    for entry in known.values():
        by_name.setdefault(entry["name"], entry)
    result: dict[str, dict[str, Any]] = {}
    pending = dict(readings)
    while True:  # bases first: a class is a module once one of its bases is
        progressed = False
        for key, (module, reading) in list(pending.items()):
            name = key.rsplit(".", 1)[1]
            base_entries = [
                by_name.get(b) or _torch_entry(b, torch_layers) for b in reading["bases"]
            ]
            if not any(b is not None for b in base_entries):
                continue
            entry = _source_entry(
                name, module, reading, [b for b in base_entries if b], base_module
            )
            result[key] = entry
            by_name.setdefault(name, entry)
            del pending[key]
            progressed = True
        if not progressed:
            return result


def _torch_entry(name: str, torch_layers: dict[str, Any]) -> Optional[dict[str, Any]]:
    if name == "Module":
        return {
            "name": "Module",
            "weight": False,
            "bias": False,
            "weight_dims": None,
            "base_module": False,
            "defines_init_weights": False,
        }
    entry = torch_layers.get(name)
    if entry is None or "weight" not in entry:
        return None
    return {
        "name": name,
        "weight": entry["weight"],
        "bias": entry["bias"],
        "weight_dims": entry["weight_dims"],
        "base_module": False,
        "defines_init_weights": False,
    }


def _source_entry(
    name: str, module: str, reading: dict[str, Any], bases: list[dict[str, Any]], base_module: str
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": name,
        "module": module,
        "bases": reading["bases"],
        "source": "ast",
        "ctor": None,
        "non_tensor": [],
        "weight_optional": False,
        "defines_init_weights": reading["defines_init_weights"],
        "base_module": name == base_module
        or base_module in reading["bases"]
        or any(b.get("base_module") for b in bases),
    }
    unknown: list[str] = []
    for attr in PARAMS:
        own = reading["own"].get(attr)
        inherited = [b.get(attr) for b in bases]
        if attr in reading["uncertain"]:
            value: Optional[bool] = None
        elif own is not None:
            value = own[0]
        elif len(bases) == len(reading["bases"]) and all(v is not None for v in inherited):
            value = any(inherited)
        else:
            value = None
        entry[attr] = value
        if value is None:
            unknown.append(attr)
    entry["weight_dims"] = None
    own_weight = reading["own"].get("weight")
    if entry["weight"]:
        if own_weight is not None and "weight" not in reading["uncertain"]:
            exact, at_least = own_weight[1], own_weight[2]
        else:
            weighted = [b for b in bases if b.get("weight")]
            dims = {b.get("weight_dims") for b in weighted}
            floors = {b.get("weight_dims_at_least") for b in weighted}
            exact = dims.pop() if len(dims) == 1 else None
            at_least = floors.pop() if len(floors) == 1 and exact is None else None
        entry["weight_dims"] = exact
        if exact is None:
            unknown.append("weight_dims")
            if at_least is not None:
                entry["weight_dims_at_least"] = at_least
    if not entry["base_module"] and any(b.get("base_module") is None for b in bases):
        entry["base_module"] = None
        unknown.append("base_module")
    entry["unknown"] = unknown
    return entry


# --------------------------------------------------------------------------------------------
# One generation (child process)
# --------------------------------------------------------------------------------------------
def _qualified(obj: Any) -> str:
    return f"{obj.__module__}.{obj.__qualname__}"


def _params(func: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for p in list(inspect.signature(func).parameters.values())[1:]:
        row: dict[str, Any] = {"name": p.name, "kind": p.kind.name}
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            row["required"] = p.default is p.empty
            if p.default is not p.empty:
                row["default"] = (
                    p.default
                    if isinstance(p.default, (type(None), bool, int, float, str))
                    else repr(p.default)
                )
        rows.append(row)
    return rows


def _initializers(module_dict: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, cls in sorted(module_dict.items()):
        chain = [c for c in cls.__mro__ if c is not object and "__init__" in vars(c)]
        found[key] = {
            "class": _qualified(cls),
            "bases": [b.__name__ for b in cls.__bases__],
            "init": {c.__name__: _params(c.__init__) for c in chain},
        }
    return found


def _module_classes(module: Any, only: Optional[set[str]] = None) -> list[type]:
    import torch.nn as nn

    return [
        obj
        for obj in list(vars(module).values())
        if inspect.isclass(obj)
        and issubclass(obj, nn.Module)
        and obj.__module__ == module.__name__
        and (only is None or obj.__name__ in only)
    ]


def describe(version: str) -> dict[str, Any]:
    major = version.split(".")[0]
    if major == "2":  # mmcv 2.x registers into mmengine's registries: note what was there
        import mmengine.model  # noqa: F401  (registers mmengine's own models first)
        from mmengine.registry import MODELS, WEIGHT_INITIALIZERS

        before_models = set(MODELS.module_dict)
        before_inits = set(WEIGHT_INITIALIZERS.module_dict)
    mmcv = import_mmcv(version)
    package_dir = Path(mmcv.__file__).parent
    if major == "1":
        from mmcv.cnn import INITIALIZERS, MODELS
        from mmcv.cnn.bricks import registry as bricks
        from mmcv.runner import BaseModule

        registries = {n: r for n, r in vars(bricks).items() if type(r).__name__ == "Registry"}
        registries["MODELS"] = MODELS
        initializers = _initializers(INITIALIZERS.module_dict)
        containers = "mmcv.runner.base_module"
    else:
        from mmengine.model import BaseModule

        registries = {"MODELS": MODELS}
        initializers = _initializers(
            {k: v for k, v in WEIGHT_INITIALIZERS.module_dict.items() if k not in before_inits}
        )
        containers = "mmengine.model.base_module"

    found: list[type] = _module_classes(
        importlib.import_module(containers),
        {"BaseModule", "Sequential", "ModuleList", "ModuleDict"},
    )
    unimported: list[Path] = sorted((package_dir / "ops").rglob("*.py"))
    for info in pkgutil.walk_packages(mmcv.cnn.__path__, "mmcv.cnn."):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                found += _module_classes(importlib.import_module(info.name))
        except Exception:  # needs compiled ops or an optional package: read its source
            unimported.append(package_dir.parent.joinpath(*info.name.split(".")).with_suffix(".py"))

    tables: dict[str, dict[str, str]] = {}
    for reg_name, registry in sorted(registries.items()):
        tables[reg_name] = {
            key: _qualified(cls)
            for key, cls in registry.module_dict.items()
            if major == "1" or key not in before_models
        }
        # What a registry name builds is a module class configs reach too, wherever it is
        # defined (`SyncBN` is a subclass of torch's SyncBatchNorm in mmcv.utils).
        found += [
            cls
            for key, cls in registry.module_dict.items()
            if key in tables[reg_name] and not cls.__module__.startswith("torch.")
        ]

    classes: dict[str, dict[str, Any]] = {}
    unbuilt: list[type] = []
    for obj in found:
        if _qualified(obj) in classes:
            continue
        entry: dict[str, Any] = {
            "name": obj.__name__,
            "module": obj.__module__,
            "bases": [b.__name__ for b in obj.__bases__],
            "source": "built",
            "defines_init_weights": "init_weights" in vars(obj),
            "base_module": issubclass(obj, BaseModule),
        }
        built = _describe_built(obj)
        if built is None:
            unbuilt.append(obj)
        else:
            entry.update(built)
        classes[_qualified(obj)] = entry

    torch_layers = json.loads(
        (ROOT / "initlint" / "data" / "torch_layers.json").read_text(encoding="utf-8")
    )["layers"]
    for obj in sorted(unbuilt, key=lambda c: len(c.__mro__)):  # bases first
        bases = [
            classes.get(_qualified(b)) or _torch_entry(b.__name__, torch_layers)
            for b in obj.__bases__
        ]
        node = ast.parse(textwrap.dedent(inspect.getsource(obj))).body[0]
        assert isinstance(node, ast.ClassDef)
        fallback = _source_entry(
            obj.__name__,
            obj.__module__,
            _read_class(node),
            [b for b in bases if b is not None],
            BaseModule.__name__,
        )
        entry = classes[_qualified(obj)]
        entry.update(
            {
                k: fallback[k]
                for k in (
                    "ctor",
                    "weight",
                    "bias",
                    "weight_dims",
                    "weight_optional",
                    "non_tensor",
                    "unknown",
                )
            }
        )
        entry["source"] = "ast"
        entry["unknown"] = [u for u in entry["unknown"] if u != "base_module"]
    readings = _source_classes(package_dir, unimported)
    classes.update(_resolve_source_classes(readings, classes, torch_layers, BaseModule.__name__))
    for key, (_, reading) in readings.items():  # registered when mmcv.ops is imported
        if key in classes:
            for mark in reading["registered_by_decorator"]:
                reg_name, name = mark.split(":", 1)
                tables.setdefault(reg_name, {})[name] = key

    for entry in classes.values():
        entry["registered"] = []
    for reg_name, table in tables.items():
        for name, target in table.items():
            if target in classes:
                classes[target]["registered"].append(f"{reg_name}:{name}")
    for entry in classes.values():
        entry["registered"].sort()
    return {
        "version": version,
        "requirement": MMCV[version],
        "classes": dict(sorted(classes.items())),
        "registries": {k: dict(sorted(v.items())) for k, v in sorted(tables.items())},
        "initializers": initializers,
    }


# --------------------------------------------------------------------------------------------
# Checking the source reading of mmcv.ops against built instances (stubbed compiled ops)
# --------------------------------------------------------------------------------------------
def _stub_ops(tmp: str) -> None:
    """Let `import mmcv.ops` work without the compiled `mmcv._ext`: constructors never call
    it. Only this check uses the stub; the data file keeps what the source tells."""
    ext = types.ModuleType("mmcv._ext")

    def missing(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return lambda *args, **kwargs: None

    ext.__getattr__ = missing  # type: ignore[method-assign]
    sys.modules["mmcv._ext"] = ext
    import torch.distributed as dist

    # mmcv.ops.SyncBatchNorm asks the default process group for its size.
    dist.init_process_group("gloo", init_method=f"file://{tmp}/group", rank=0, world_size=1)


def describe_ops_built(version: str) -> dict[str, Any]:
    mmcv = import_mmcv(version)
    package_dir = Path(mmcv.__file__).parent
    found: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        _stub_ops(tmp)
        for path in sorted((package_dir / "ops").rglob("*.py")):
            module_name = ".".join(path.relative_to(package_dir.parent).with_suffix("").parts)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                module = importlib.import_module(module_name.removesuffix(".__init__"))
            for obj in _module_classes(module):
                found[_qualified(obj)] = {
                    "bases": [b.__name__ for b in obj.__bases__],
                    "defines_init_weights": "init_weights" in vars(obj),
                    "built": _describe_built(obj),
                }
    return found


def verify_ops(data: dict[str, Any]) -> list[str]:
    """Where the source reading of mmcv.ops disagrees with built instances (empty if none)."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for generation, version in GENERATIONS.items():
            out = Path(tmp) / f"{generation}-ops.json"
            subprocess.run(
                [sys.executable, __file__, "--describe-ops-built", version, str(out)], check=True
            )
            built = json.loads(out.read_text(encoding="utf-8"))
            classes = data[generation]["classes"]
            compared = 0
            for key, real in sorted(built.items()):
                entry = classes.get(key)
                if entry is None:
                    problems.append(f"{generation}: {key} is a module but not in the data")
                    continue
                for field in ("bases", "defines_init_weights"):
                    if entry[field] != real[field]:
                        problems.append(
                            f"{generation}: {key}.{field}: read {entry[field]}, built {real[field]}"
                        )
                instance = real["built"]
                if instance is None:
                    continue
                compared += 1
                for field in ("weight", "bias", "weight_dims"):
                    if field in entry["unknown"]:
                        at_least = entry.get("weight_dims_at_least")
                        if (
                            field == "weight_dims"
                            and at_least is not None
                            and instance[field] < at_least
                        ):
                            problems.append(
                                f"{generation}: {key}.weight_dims: read >= "
                                f"{at_least}, built {instance[field]}"
                            )
                    elif entry[field] != instance[field]:
                        problems.append(
                            f"{generation}: {key}.{field}: read {entry[field]}, "
                            f"built {instance[field]}"
                        )
            print(
                f"{generation}: {len(built)} nn.Module classes in mmcv.ops, {compared} built "
                "and compared",
                file=sys.stderr,
            )
    return problems


# --------------------------------------------------------------------------------------------
# Both generations (parent process)
# --------------------------------------------------------------------------------------------
def generate() -> dict[str, Any]:
    data: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for generation, version in GENERATIONS.items():
            out = Path(tmp) / f"{generation}.json"
            subprocess.run([sys.executable, __file__, "--describe", version, str(out)], check=True)
            data[generation] = json.loads(out.read_text(encoding="utf-8"))
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument(
        "--verify-ops",
        action="store_true",
        help="check the source reading of mmcv.ops against built instances",
    )
    parser.add_argument("--describe", nargs=2, metavar=("VERSION", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--describe-ops-built", nargs=2, metavar=("VERSION", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.describe:
        version, out = args.describe
        Path(out).write_text(json.dumps(describe(version)), encoding="utf-8")
        return 0
    if args.describe_ops_built:
        version, out = args.describe_ops_built
        Path(out).write_text(json.dumps(describe_ops_built(version)), encoding="utf-8")
        return 0
    if args.verify_ops:
        problems = verify_ops(json.loads(DATA.read_text(encoding="utf-8")))
        print("\n".join(problems) or "the source reading agrees", file=sys.stderr)
        return 1 if problems else 0
    data = generate()
    if args.check:
        current = json.loads(DATA.read_text(encoding="utf-8"))
        if current != data:
            print(f"{DATA} is out of date; run {sys.argv[0]}", file=sys.stderr)
            return 1
        return 0
    DATA.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    counts = ", ".join(
        f"{g}: {len(d['classes'])} classes, {len(d['initializers'])} initializers"
        for g, d in data.items()
    )
    print(f"wrote {DATA} ({counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
