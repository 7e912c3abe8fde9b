"""Survey of the official configs for initlint's fine-tuning rules (IL201, IL207, IL30x, IL31x).

Merges every config of mmdet 3.3.0, mmsegmentation 1.2.2, mmpretrain 1.2.0 and mmyolo 0.6.0
(PyPI wheels, unpacked in the cache outside the repository, see benchmarks/corpus.py) with
`mmengine.Config.fromfile`, and runs on each merged config a reference implementation of every
rule (the verdict the runtime gives, see docs/finetune-evidence.md) beside naive variants, to
count per rule: the configs a rule inspects, what it flags, and the configs a naive
implementation would flag that are in fact fine.

The datasets' own class counts are read statically from the releases' sources (the
`METAINFO = {'classes': ...}` of each dataset class, through module constants, imports and base
classes), as a linter can; `--verify-metainfo` checks that table against the imported classes.

    python scripts/finetune_survey.py [--release mmdet ...] [--verify-metainfo] [--json out.json]
    python scripts/finetune_survey.py --fixtures fixtures/finetune   # the fixtures' verdicts
"""

from __future__ import annotations

import argparse
import ast
import json
import logging
import re
import sys
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402
import mmstubs  # noqa: E402

corpus.RELEASES.update(mmpretrain="mmpretrain==1.2.0", mmyolo="mmyolo==0.6.0")
LIBRARIES = ("mmdet", "mmseg", "mmpretrain", "mmyolo")
DATASET_FOLDERS = {
    "mmdet": "datasets",
    "mmseg": "datasets",
    "mmpretrain": "datasets",
    "mmyolo": "datasets",
}

# -- the datasets' own classes, read statically --------------------------------------------------

# Wrappers: which argument holds the wrapped dataset(s). Their metainfo is the inner one's
# (mmengine dataset_wrapper.py:68/231/373, mmdet dataset_wrappers.py:72/229-244, mmseg :59,
# mmpretrain KFoldDataset :44).
WRAPPERS = {
    "RepeatDataset": "dataset",
    "ClassBalancedDataset": "dataset",
    "MultiImageMixDataset": "dataset",
    "KFoldDataset": "dataset",
    "ConcatDataset": "datasets",
}


class _Module:
    def __init__(self, path: Path, packages: dict[str, Path]) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.packages = packages  # import name -> package folder, for absolute imports
        self.names: dict[str, ast.expr] = {}
        self.classes: dict[str, ast.ClassDef] = {}
        self.imports: dict[str, tuple[Path, str]] = {}
        for node in self.tree.body:
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
            ):
                self.names[node.targets[0].id] = node.value
            elif isinstance(node, ast.ClassDef):
                self.classes[node.name] = node
            elif isinstance(node, ast.ImportFrom):
                target = self._resolve(node.module, node.level)
                if target is not None:
                    for alias in node.names:
                        self.imports[alias.asname or alias.name] = (target, alias.name)

    def _resolve(self, module: Optional[str], level: int) -> Optional[Path]:
        if level:
            base = self.path.parent
            for _ in range(level - 1):
                base = base.parent
            rel = module.split(".") if module else []
        else:
            top, *rel = (module or "").split(".")
            if top not in self.packages:
                return None
            base = self.packages[top]
        candidate = base.joinpath(*rel)
        if candidate.with_suffix(".py").is_file():
            return candidate.with_suffix(".py")
        if (candidate / "__init__.py").is_file():
            return candidate / "__init__.py"
        return None


class StaticMetainfo:
    """`len(METAINFO['classes'])` per dataset class of a release, from its source alone."""

    def __init__(self, package_dirs: dict[str, Path]) -> None:
        self.package_dirs = package_dirs
        self._modules: dict[Path, _Module] = {}
        self.table: dict[str, dict[str, Optional[int]]] = {}
        # Panoptic datasets: the instance heads predict the `thing_classes` only.
        self.things: dict[str, dict[str, int]] = {}
        self.where: dict[tuple[str, str], str] = {}
        for lib, folder in package_dirs.items():
            found: dict[str, Optional[int]] = {}
            for path in sorted((folder / DATASET_FOLDERS[lib]).rglob("*.py")):
                module = self._module(path)
                if module is None:
                    continue
                for name, node in module.classes.items():
                    if not self._is_dataset(module, node):
                        continue
                    found[name] = self.classes_of(module, name)
                    things = self.classes_of(module, name, key_name="thing_classes")
                    if things is not None:
                        self.things.setdefault(lib, {})[name] = things
                    self.where[(lib, name)] = str(path.relative_to(folder.parent))
                for alias, value in module.names.items():  # LVISDataset = LVISV05Dataset
                    if isinstance(value, ast.Name) and value.id in found:
                        found[alias] = found[value.id]
            self.table[lib] = found

    def _module(self, path: Path) -> Optional[_Module]:
        if path not in self._modules:
            packages = {d.name: d for d in self.package_dirs.values()}
            try:
                self._modules[path] = _Module(path, packages)
            except (SyntaxError, UnicodeDecodeError):
                return None
        return self._modules[path]

    @staticmethod
    def _is_dataset(module: _Module, node: ast.ClassDef) -> bool:
        text = ast.unparse(node)
        return "Dataset" in node.name or "METAINFO" in text

    def _lookup(self, module: _Module, name: str, depth: int = 0) -> Optional[tuple[_Module, str]]:
        if depth > 8:
            return None
        if name in module.names or name in module.classes:
            return module, name
        if name in module.imports:
            path, original = module.imports[name]
            target = self._module(path)
            if target is not None:
                return self._lookup(target, original, depth + 1)
        return None

    def _value(self, module: _Module, node: ast.expr, depth: int = 0) -> Any:
        if depth > 8:
            raise ValueError("too deep")
        if isinstance(node, ast.Name):
            found = self._lookup(module, node.id)
            if found is None or found[1] not in found[0].names:
                raise ValueError(node.id)
            return self._value(found[0], found[0].names[found[1]], depth + 1)
        if isinstance(node, (ast.Tuple, ast.List)):
            return [self._value(module, e, depth + 1) for e in node.elts]
        return ast.literal_eval(node)

    def classes_of(
        self, module: _Module, class_name: str, depth: int = 0, key_name: str = "classes"
    ) -> Optional[int]:
        """None: no static class list (set at run time, read from a file, or none at all)."""
        if depth > 12:
            return None
        node = module.classes[class_name]
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "METAINFO" for t in stmt.targets
            ):
                meta = stmt.value
                items: list[tuple[Optional[ast.expr], ast.expr]] = []
                if isinstance(meta, ast.Dict):
                    items = list(zip(meta.keys, meta.values))
                elif isinstance(meta, ast.Call) and getattr(meta.func, "id", "") == "dict":
                    items = [(ast.Constant(k.arg), k.value) for k in meta.keywords]
                for key, value in items:
                    if isinstance(key, ast.Constant) and key.value == key_name:
                        try:
                            classes = self._value(module, value)
                        except (ValueError, SyntaxError):
                            return None
                        return len(classes) if isinstance(classes, (list, tuple)) else None
                return None  # a METAINFO without classes
        for base in node.bases:  # the first base with a METAINFO (the MRO, simplified)
            name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", None)
            if not name:
                continue
            found = self._lookup(module, name)
            if found is not None and found[1] in found[0].classes:
                result = self.classes_of(found[0], found[1], depth + 1, key_name)
                if result is not None or self._has_metainfo(found[0], found[1]):
                    return result
        return None

    def _has_metainfo(self, module: _Module, class_name: str) -> bool:
        return any(
            isinstance(s, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "METAINFO" for t in s.targets)
            for s in module.classes[class_name].body
        )

    def count(self, lib: str, dataset_type: Any, things: bool = False) -> Optional[int]:
        name = type_name(dataset_type)
        if name is None:
            return None
        scope, _, short = name.rpartition(".")
        libs = [scope] if scope in self.table else [lib, "mmdet", "mmengine"]
        for candidate in libs:
            if short in self.table.get(candidate, {}):
                if things and short in self.things.get(candidate, {}):
                    return self.things[candidate][short]
                return self.table[candidate][short]
        return None


def type_name(value: Any) -> Optional[str]:
    if isinstance(value, str):
        return value
    if isinstance(value, type):
        return value.__name__
    text = str(value)  # a lazy-config LazyObject prints its dotted name
    return text.rsplit(".", 1)[-1] if text and "<" not in text else None


def verify_metainfo(static: StaticMetainfo) -> list[str]:
    """The static table against the classes the runtime imports (via the registries)."""
    mmstubs.install()
    mmstubs.allow_mmyolo()
    import importlib

    problems = []
    for lib in static.table:
        registry = importlib.import_module(f"{lib}.registry").DATASETS
        importlib.import_module(f"{lib}.datasets")
        for name, cls in sorted(registry.module_dict.items()):
            meta = getattr(cls, "METAINFO", None) or {}
            classes = meta.get("classes") if isinstance(meta, dict) else None
            runtime = len(classes) if isinstance(classes, (list, tuple)) else None
            if name in static.table[lib] and static.table[lib][name] != runtime:
                problems.append(
                    f"{lib}.{name}: static {static.table[lib][name]}, runtime {runtime}"
                )
            elif name not in static.table[lib] and runtime is not None:
                problems.append(f"{lib}.{name}: runtime {runtime}, not in the static table")
    return problems


# -- loading the configs -------------------------------------------------------------------------


def release_configs(lib: str) -> tuple[Path, list[Path]]:
    package_dir = corpus.unpacked(lib)
    root = package_dir / ".mim" / "configs"
    configs = sorted(p for p in root.rglob("*.py") if "_base_" not in p.relative_to(root).parts)
    return root, configs


def merged(path: Path) -> dict[str, Any]:
    from mmengine.config import Config

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return plain(Config.fromfile(str(path)).to_dict())


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(plain(v) for v in value)
    if isinstance(value, type):
        return value.__name__
    if type(value).__name__ in ("LazyObject", "LazyAttr"):
        return str(value).rsplit(".", 1)[-1]
    return value


def merged_bases(path: Path) -> Optional[dict[str, Any]]:
    """What the config's `_base_` files give before the config's own keys are merged in (their
    union, as Config._file2dict makes it); None when it has no `_base_`."""
    from mmengine.config import Config

    try:
        bases = Config._get_base_files(str(path))
    except Exception:
        return None
    if not bases:
        return None
    result: dict[str, Any] = {}
    for base in bases:
        base_path, _ = Config._get_cfg_path(base, str(path))
        if base_path is None:
            return None
        result.update(merged(Path(base_path)))
    return result


# -- the reference rules -------------------------------------------------------------------------


def get(node: Any, *keys: Any) -> Any:
    for key in keys:
        if isinstance(node, dict):
            node = node.get(key)
        elif isinstance(node, (list, tuple)) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return None
    return node


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


# Heads whose num_classes is not a class count of the dataset (open-vocabulary detectors: the
# number of text tokens; checked on the corpus below).
NOT_A_CLASS_COUNT = {
    "GroundingDINOHead",
    "ATSSVLFusionHead",
    # mmseg STDC's detail head: a binary boundary map (its own labels)
    "STDCHead",
}


def heads(model: Any, lib: str) -> list[tuple[str, Any, str]]:
    """(key path, num_classes, head type) of each head whose outputs are the dataset's classes."""
    found: list[tuple[str, Any, str]] = []
    if not isinstance(model, dict):
        return found

    def add(path: str, head: Any, key: str = "num_classes") -> None:
        for i, h in enumerate(as_list(head)):
            if isinstance(h, dict) and key in h:
                where = f"{path}[{i}]" if isinstance(head, (list, tuple)) else path
                found.append((f"{where}.{key}", h[key], str(h.get("type"))))

    if lib in ("mmdet", "mmyolo"):
        add("model.roi_head.bbox_head", get(model, "roi_head", "bbox_head"))
        add("model.roi_head.mask_head", get(model, "roi_head", "mask_head"))
        add("model.bbox_head", model.get("bbox_head"))
        add("model.mask_head", model.get("mask_head"))
        add("model.bbox_head.head_module", get(model, "bbox_head", "head_module"))
    if lib == "mmseg":
        add("model.decode_head", model.get("decode_head"))
        add("model.auxiliary_head", model.get("auxiliary_head"))
    if lib == "mmpretrain":
        add("model.head", model.get("head"))
    return [h for h in found if h[2].rpartition(".")[2] not in NOT_A_CLASS_COUNT]


def assigners(model: Any) -> list[tuple[str, Any]]:
    """mmyolo's assigners that one-hot the labels with their own num_classes."""
    out = []
    for key in ("assigner", "initial_assigner"):
        value = get(model, "train_cfg", key, "num_classes")
        if value is not None:
            out.append((f"model.train_cfg.{key}.num_classes", value))
    return out


def dataset_classes(ds: Any, lib: str, static: StaticMetainfo, *, naive: str = "") -> Any:
    """The number of classes the dataset (through its wrappers) reports, or None if unknown."""
    if not isinstance(ds, dict):
        return None
    name = type_name(ds.get("type")) or ""
    short = name.rpartition(".")[2]
    if short in WRAPPERS:
        inner = ds.get(WRAPPERS[short])
        if naive == "top-level-metainfo-only" and isinstance(ds.get("metainfo"), dict):
            return _metainfo_count(ds["metainfo"])
        if short == "ConcatDataset":  # each part keeps its own classes (mmdet: a list)
            counts = {dataset_classes(d, lib, static, naive=naive) for d in as_list(inner)}
            known = tuple(sorted(c for c in counts if isinstance(c, int)))
            return known[0] if len(known) == 1 else (known or None)
        if naive == "top-level-metainfo-only":
            return dataset_classes(_strip_metainfo(inner), lib, static, naive=naive)
        return dataset_classes(inner, lib, static, naive=naive)
    if naive != "ignore-metainfo":
        meta = ds.get("metainfo")
        if isinstance(meta, dict) and "thing_classes" in meta:
            return _metainfo_count(meta, "thing_classes")
        if isinstance(meta, dict) and "classes" in meta:
            return _metainfo_count(meta)
        if lib == "mmpretrain" and "classes" in ds:  # mmpretrain's own `classes=` argument
            classes = ds["classes"]
            return len(classes) if isinstance(classes, (list, tuple)) else None
    return static.count(lib, ds.get("type"), things=naive != "ignore-things")


def _metainfo_count(meta: dict[str, Any], key: str = "classes") -> Optional[int]:
    classes = meta.get(key)
    return len(classes) if isinstance(classes, (list, tuple)) else None  # str: IL303


def _strip_metainfo(ds: Any) -> Any:
    return {k: v for k, v in ds.items() if k != "metainfo"} if isinstance(ds, dict) else ds


def datasets(cfg: dict[str, Any]) -> list[tuple[str, Any]]:
    out = []
    for split in ("train", "val", "test"):
        ds = get(cfg, f"{split}_dataloader", "dataset")
        if isinstance(ds, dict):
            out.append((f"{split}_dataloader.dataset", ds))
    return out


def rule_301(
    cfg: dict[str, Any], lib: str, static: StaticMetainfo, naive: str = ""
) -> tuple[bool, list[str]]:
    """(inspected, findings): a head's num_classes against each dataset's classes."""
    model = cfg.get("model")
    found = heads(model, lib)
    if naive == "with-rpn-and-semantic":
        found += [(p, v, t) for p, v, t in every_num_classes(model) if (p, v, t) not in found]
    counts = [(where, dataset_classes(ds, lib, static, naive=naive)) for where, ds in datasets(cfg)]
    counts = [
        (w, n)
        for w, c in counts
        for n in (c if isinstance(c, tuple) else [c])
        if isinstance(n, int)
    ]
    heads_known = [(p, v, t) for p, v, t in found if isinstance(v, int)]
    if not heads_known or not counts:
        return False, []
    findings = []
    for path, outputs, _kind in heads_known:
        for where, n in counts:
            if outputs < n:
                findings.append(f"error {path}={outputs} < {n} classes of {where}")
            elif outputs == n + 1:
                findings.append(
                    f"warning {path}={outputs} = {n} classes + 1 (background?) of {where}"
                )
            elif outputs > n:
                findings.append(f"warning {path}={outputs} > {n} classes of {where}")
    return True, sorted(set(findings))


def every_num_classes(node: Any, path: str = "model") -> Iterator[tuple[str, Any, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "num_classes":
                yield f"{path}.num_classes", value, str(node.get("type"))
            else:
                yield from every_num_classes(value, f"{path}.{key}")
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from every_num_classes(value, f"{path}[{i}]")


def rule_302(cfg: dict[str, Any], lib: str) -> tuple[bool, list[str]]:
    model = cfg.get("model")
    values = [(p, v) for p, v, _ in heads(model, lib) if isinstance(v, int)]
    if lib == "mmyolo":
        values += [(p, v) for p, v in assigners(model) if isinstance(v, int)]
    if len(values) < 2:
        return False, []
    distinct = {v for _, v in values}
    if len(distinct) == 1:
        return True, []
    return True, [", ".join(f"{p}={v}" for p, v in values)]


def metainfos(cfg: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every `metainfo` given to a dataset (through wrappers), and old-style `classes=`."""

    def walk(ds: Any, where: str) -> Iterator[tuple[str, Any]]:
        if not isinstance(ds, dict):
            return
        if "metainfo" in ds:
            yield f"{where}.metainfo", ds["metainfo"]
        short = (type_name(ds.get("type")) or "").rpartition(".")[2]
        if short in WRAPPERS:
            inner = ds.get(WRAPPERS[short])
            if isinstance(inner, (list, tuple)):
                for i, d in enumerate(inner):
                    yield from walk(d, f"{where}.{WRAPPERS[short]}[{i}]")
            else:
                yield from walk(inner, f"{where}.{WRAPPERS[short]}")

    for where, ds in datasets(cfg):
        yield from walk(ds, where)


def dataset_dicts(cfg: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    def walk(ds: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
        if not isinstance(ds, dict):
            return
        yield where, ds
        short = (type_name(ds.get("type")) or "").rpartition(".")[2]
        if short in WRAPPERS:
            inner = ds.get(WRAPPERS[short])
            for i, d in enumerate(as_list(inner)):
                yield from walk(d, f"{where}.{WRAPPERS[short]}[{i}]")

    for where, ds in datasets(cfg):
        yield from walk(ds, where)


def rule_303(cfg: dict[str, Any], lib: str) -> tuple[bool, list[str]]:
    found = [(w, m) for w, m in metainfos(cfg) if isinstance(m, dict) and "classes" in m]
    out = [
        f"{w}.classes={m['classes']!r} is a string"
        for w, m in found
        if isinstance(m["classes"], str)
    ]
    if lib == "mmpretrain":
        for w, ds in dataset_dicts(cfg):
            if isinstance(ds.get("classes"), str) and not ds["classes"].endswith(".txt"):
                out.append(f"{w}.classes={ds['classes']!r} (read as a file name)")
    return bool(found), out


UNKNOWN_KEYS = {"CLASSES", "PALETTE", "class", "Classes", "Palette"}


def rule_304(cfg: dict[str, Any], lib: str) -> tuple[bool, list[str]]:
    found = [(w, m) for w, m in metainfos(cfg) if isinstance(m, dict)]
    out = [f"{w} has {k!r}" for w, m in found for k in m if k in UNKNOWN_KEYS]
    if lib in ("mmdet", "mmseg", "mmyolo"):  # these datasets take no `classes=` (TypeError)
        out += [
            f"{w}.classes= is not an argument of {ds.get('type')}"
            for w, ds in dataset_dicts(cfg)
            if "classes" in ds
        ]
    return bool(found), out


def rule_305(cfg: dict[str, Any], lib: str, static: StaticMetainfo) -> tuple[bool, list[str]]:
    found = [
        (w, m)
        for w, m in metainfos(cfg)
        if isinstance(m, dict) and "palette" in m and isinstance(m.get("classes"), (list, tuple))
    ]
    out = []
    for w, m in found:
        palette = m["palette"]
        if not isinstance(palette, (list, tuple)):
            continue
        if len(palette) < len(m["classes"]):
            sev = (
                "error (ValueError at build)"
                if lib == "mmseg"
                else "warning (AssertionError when visualised)"
            )
            out.append(f"{sev}: {w} palette {len(palette)} < classes {len(m['classes'])}")
        elif lib == "mmseg" and len(palette) > len(m["classes"]):
            out.append(
                f"note: {w} palette {len(palette)} > classes {len(m['classes'])} "
                "(mmseg raises unless the classes are a reordered subset of METAINFO)"
            )
    return bool(found), out


TOP_LEVEL_CLASS_NAMES = ("classes", "class_name", "class_names", "metainfo", "CLASSES")


def rule_306(cfg: dict[str, Any], lib: str, static: StaticMetainfo) -> tuple[bool, list[str]]:
    defined = {k: cfg[k] for k in TOP_LEVEL_CLASS_NAMES if k in cfg}
    if not defined:
        return False, []
    given = [m for _, m in metainfos(cfg)]
    given_classes = [m.get("classes") for m in given if isinstance(m, dict)]
    out = []
    for key, value in defined.items():
        classes = value.get("classes") if key == "metainfo" and isinstance(value, dict) else value
        reached = any(value == m for m in given) or any(classes == c for c in given_classes)
        if reached:
            continue
        differs = []
        for path, outputs, _ in heads(cfg.get("model"), lib):
            for where, ds in datasets(cfg):
                n = dataset_classes(ds, lib, static)
                if isinstance(outputs, int) and isinstance(n, int) and outputs != n:
                    differs.append(f"{path}={outputs} vs {n} of {where}")
        if differs:
            out.append(f"`{key}` reaches no dataset; {differs[0]}")
    return True, out


HARMLESS: list[str] = []
RESUME_FROM_NONE: list[str] = []
HEAD_LIST_PATHS = (
    "model.roi_head.bbox_head",
    "model.roi_head.mask_head",
    "model.decode_head",
    "model.auxiliary_head",
)


def rule_207(path: Path, cfg: dict[str, Any], lib: str) -> tuple[bool, list[str]]:
    bases = merged_bases(path)
    if bases is None:
        return False, []
    inspected = False
    out = []
    for dotted in HEAD_LIST_PATHS:
        keys = dotted.split(".")
        base_list, child_list = get(bases, *keys), get(cfg, *keys)
        if not (
            isinstance(base_list, (list, tuple))
            and base_list
            and all(isinstance(d, dict) for d in base_list)
        ):
            continue
        inspected = True
        if not isinstance(child_list, (list, tuple)) or child_list == base_list:
            continue
        for i, (old, new) in enumerate(zip(base_list, child_list)):
            if not isinstance(new, dict):
                continue
            lost = sorted(set(old) - set(new))
            if "type" not in new:
                out.append(f"{dotted}[{i}] has no `type` (lost with {lost}): KeyError at build")
                continue
            if new.get("type") != old.get("type"):
                continue  # another head: its own keys
            defaults = class_defaults(lib, str(new["type"]))
            changed = [k for k in lost if k not in defaults or plain(defaults[k]) != old[k]]
            if changed:
                out.append(f"{dotted}[{i}] loses {changed} (the class defaults differ)")
            elif lost:
                HARMLESS.append(f"{path.name} {dotted}[{i}] loses {lost}, all class defaults")
    return inspected, out


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


EXAMPLES: dict[str, set[str]] = {}


def checkpoint_kind(checkpoint: str) -> str:
    if not isinstance(checkpoint, str):
        return "unknown"
    if checkpoint.startswith(
        ("torchvision://", "open-mmlab://", "openmmlab://", "mmcls://", "modelzoo://")
    ):
        return "backbone (scheme)"
    if WHOLE_MODEL.search(checkpoint):
        return "whole model (work_dirs/epoch)"
    if ZOO.match(checkpoint):
        if BACKBONE_ONLY.search(checkpoint):
            return "backbone (pretrain folder)"
        return "whole model (model zoo)"
    return "unknown"


def pretrained_sites(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for key, value in node.items():
            sub = f"{path}.{key}" if path else str(key)
            if key == "init_cfg":
                for i, entry in enumerate(as_list(value)):
                    if isinstance(entry, dict) and str(entry.get("type")).endswith("Pretrained"):
                        yield sub if not isinstance(value, list) else f"{sub}[{i}]", entry
            yield from pretrained_sites(value, sub)
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from pretrained_sites(value, f"{path}[{i}]")


def rule_314(cfg: dict[str, Any], naive: bool = False) -> tuple[bool, list[str], Counter[str]]:
    kinds: Counter[str] = Counter()
    out = []
    inspected = False
    model = cfg.get("model")
    for where, entry in pretrained_sites(model, "model"):
        if where.startswith("model.init_cfg"):
            continue  # the whole model: a whole-model checkpoint is what it wants
        owner = get(model, *where.split(".")[1:-1])
        kind = checkpoint_kind(entry.get("checkpoint"))
        has_prefix = entry.get("prefix") is not None
        if isinstance(owner, dict) and "backbone" in owner and not naive:
            # a whole detector inside a tracker / distiller: its keys match the checkpoint's
            kinds[f"{kind} on a whole-model sub-module ({where})"] += 1
            continue
        inspected = True
        label = f"{kind}, {'prefix' if has_prefix else 'no prefix'}"
        kinds[label] += 1
        suffix = f" prefix={entry['prefix']}" if has_prefix else ""
        EXAMPLES.setdefault(label, set()).add(f"{where}: {entry.get('checkpoint')}{suffix}")
        if has_prefix:
            continue
        if kind.startswith("whole model") or (naive and ZOO.match(str(entry.get("checkpoint")))):
            out.append(f"{where}: {entry.get('checkpoint')}")
    return inspected, out, kinds


def backbone_pretrained(cfg: dict[str, Any]) -> bool:
    model = cfg.get("model") or {}
    backbone = model.get("backbone") or {}
    if cfg.get("load_from"):
        return True
    if model.get("pretrained") or backbone.get("pretrained"):
        return True
    for where, _ in pretrained_sites(model, "model"):
        if where.startswith(("model.init_cfg", "model.backbone")):
            return True
    return False


def rule_315(cfg: dict[str, Any], lib: str, naive: bool = False) -> tuple[bool, list[str]]:
    backbone = get(cfg, "model", "backbone")
    if not isinstance(backbone, dict) or not isinstance(backbone.get("frozen_stages"), int):
        return False, []
    short = (type_name(backbone.get("type")) or "").rpartition(".")[2]
    default = class_defaults(lib, str(backbone.get("type"))).get("frozen_stages", -1)
    if not isinstance(default, int) or backbone["frozen_stages"] <= default:
        return True, []
    if naive:
        model = cfg.get("model") or {}
        reached = bool(
            backbone.get("init_cfg") or backbone.get("pretrained") or model.get("pretrained")
        )
    else:
        reached = backbone_pretrained(cfg)
    if reached:
        return True, []
    return True, [f"{short} frozen_stages={backbone['frozen_stages']} (default {default})"]


def rule_201(cfg: dict[str, Any], lib: str) -> tuple[bool, list[str], Counter[str]]:
    model = cfg.get("model") or {}
    kinds: Counter[str] = Counter()
    out = []
    if "pretrained" in model:
        kind = f"model.pretrained ({lib} {model.get('type')})"
        kinds[
            f"model.pretrained in {lib}" + (" = None" if model["pretrained"] is None else "")
        ] += 1
        if lib in ("mmdet", "mmyolo") and model["pretrained"] is not None:
            out.append(f"error: {kind}")
        elif lib in ("mmdet", "mmyolo"):
            out.append(f"error (even None: an unexpected keyword): {kind}")
    for where, node in walk_dicts(model, "model"):
        if where == "model" or "pretrained" not in node:
            continue
        value = node["pretrained"]
        short = (type_name(node.get("type")) or "").rpartition(".")[2]
        if value is True or value is False:
            kinds[f"pretrained={value} ({short})"] += 1
            continue
        if value is None:
            kinds["pretrained=None (sub-module)"] += 1
            continue
        init_defaults()
        scope = (type_name(node.get("type")) or "").rpartition(".")[0] or lib
        if not (
            DEPRECATES_PRETRAINED.get((scope, short))
            or DEPRECATES_PRETRAINED.get(("mmdet", short))
            and scope == "mmyolo"
        ):
            # e.g. Flamingo pops vision_encoder['pretrained'] before building it
            kinds[f"pretrained='...' on {short}, whose __init__ has no deprecation path"] += 1
            continue
        kinds["pretrained='...' on a backbone that deprecates it"] += 1
        out.append(f"warning: {where}.pretrained={value!r}")
    return bool(kinds), out, kinds


def walk_dicts(node: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk_dicts(value, f"{path}.{key}")
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from walk_dicts(value, f"{path}[{i}]")


def is_zoo(value: Any) -> bool:
    return isinstance(value, str) and (value.startswith(("http://", "https://")) or "://" in value)


def rule_31x(cfg: dict[str, Any]) -> dict[str, tuple[bool, list[str]]]:
    load_from = cfg.get("load_from")
    pretrained = any(True for _ in pretrained_sites(cfg.get("model"), "model"))
    if "resume_from" in cfg and cfg["resume_from"] is None:
        RESUME_FROM_NONE.append("resume_from=None")
    return {
        "IL311": (
            bool(load_from),
            [f"load_from={load_from} over a Pretrained init_cfg"]
            if load_from and pretrained
            else [],
        ),
        "IL312": (
            True,
            [f"resume_from={cfg['resume_from']!r} is set"]
            if cfg.get("resume_from") is not None
            else [],
        ),
        "IL313": (
            bool(cfg.get("resume")),
            [f"resume=True with load_from={load_from}"]
            if cfg.get("resume") and is_zoo(load_from)
            else [],
        ),
    }


def frozen_defaults() -> dict[str, Any]:
    """frozen_stages defaults of the backbones (the runtime's signatures)."""
    return {
        name: params["frozen_stages"]
        for name, params in init_defaults().items()
        if "frozen_stages" in params
    }


_DEFAULTS: dict[str, dict[str, Any]] = {}
DEPRECATES_PRETRAINED: dict[tuple[str, str], bool] = {}
BY_LIBRARY: dict[tuple[str, str], dict[str, Any]] = {}  # (library, class) -> defaults


def class_defaults(lib: str, name: str) -> dict[str, Any]:
    """The defaults of the class a config of `lib` names (its own registry, then mmdet's for
    mmyolo's `mmdet.` types and parents)."""
    init_defaults()
    scope, _, short = name.rpartition(".")
    for candidate in ([scope] if scope else [lib]) + ["mmdet", "mmengine"]:
        if (candidate, short) in BY_LIBRARY:
            return BY_LIBRARY[(candidate, short)]
    return {}


def init_defaults() -> dict[str, dict[str, Any]]:
    """{registered model class name: {__init__ parameter: default}} of the four libraries."""
    if _DEFAULTS:
        return _DEFAULTS
    import inspect

    mmstubs.install()
    mmstubs.allow_mmyolo()
    import importlib

    out: dict[str, Any] = {}
    for lib in LIBRARIES:
        registry = importlib.import_module(f"{lib}.registry").MODELS
        importlib.import_module(f"{lib}.models")
        for name, cls in registry.module_dict.items():
            if (lib, name) in BY_LIBRARY:
                continue
            merged_defaults: dict[str, Any] = {}
            for klass in getattr(cls, "__mro__", (cls,)):  # **kwargs pass on to the bases
                try:
                    params = inspect.signature(klass.__init__).parameters
                except (TypeError, ValueError):
                    continue
                for key, param in params.items():
                    if param.default is not inspect.Parameter.empty:
                        merged_defaults.setdefault(key, param.default)
            out.setdefault(name, merged_defaults)
            BY_LIBRARY[(lib, name)] = merged_defaults
            try:
                source = inspect.getsource(cls.__init__)
            except (TypeError, OSError):
                continue
            DEPRECATES_PRETRAINED[(lib, name)] = (
                "pretrained is" in source and "deprecated" in source
            )
    _DEFAULTS.update(out)
    return out


# -- the survey ----------------------------------------------------------------------------------


def survey(libs: list[str], static: StaticMetainfo, defaults: dict[str, Any]) -> dict[str, Any]:
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    flagged: dict[str, list[str]] = defaultdict(list)
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    failures: list[str] = []
    for lib in libs:
        root, configs = release_configs(lib)
        start = time.perf_counter()
        for path in configs:
            name = f"{lib}/{path.relative_to(root)}"
            try:
                cfg = merged(path)
            except Exception as exc:  # the runtime refuses it (or lacks a package here)
                failures.append(f"{name}: {type(exc).__name__}: {str(exc)[:120]}")
                continue
            totals[lib]["configs merged"] += 1
            results: dict[str, tuple[bool, list[str]]] = {
                "IL301": rule_301(cfg, lib, static),
                "IL301 naive: ignore metainfo": rule_301(cfg, lib, static, "ignore-metainfo"),
                "IL301 naive: panoptic datasets' classes, not thing_classes": rule_301(
                    cfg, lib, static, "ignore-things"
                ),
                "IL301 naive: metainfo of the outer dataset dict only": rule_301(
                    cfg, lib, static, "top-level-metainfo-only"
                ),
                "IL301 naive: every num_classes under model (rpn, semantic, assigners)": rule_301(
                    cfg, lib, static, "with-rpn-and-semantic"
                ),
                "IL302": rule_302(cfg, lib),
                "IL303": rule_303(cfg, lib),
                "IL304": rule_304(cfg, lib),
                "IL305": rule_305(cfg, lib, static),
                "IL306": rule_306(cfg, lib, static),
                "IL207": rule_207(path, cfg, lib),
                "IL315": rule_315(cfg, lib),
                "IL315 naive: ignore load_from and model-level Pretrained": rule_315(
                    cfg, lib, naive=True
                ),
            }
            inspected, found, counted = rule_314(cfg)
            results["IL314"] = (inspected, found)
            kinds["IL314 checkpoints"].update(counted)
            results["IL314 naive: any model-zoo URL without prefix, whatever the owner"] = rule_314(
                cfg, True
            )[:2]
            inspected, found, counted = rule_201(cfg, lib)
            results["IL201"] = (inspected, found)
            kinds["IL201 uses"].update(f"{lib}: {k}" for k in counted)
            results.update(rule_31x(cfg))
            for rule, (inspected, found) in results.items():
                if inspected:
                    totals[rule][f"{lib} inspected"] += 1
                if found:
                    totals[rule][f"{lib} flagged"] += 1
                    flagged[rule].extend(f"{name}: {f}" for f in found)
        totals[lib]["seconds"] = round(time.perf_counter() - start)
    return {
        "totals": {k: dict(v) for k, v in totals.items()},
        "flagged": dict(flagged),
        "kinds": {k: dict(v) for k, v in kinds.items()},
        "failures": failures,
    }


def naive_only(result: dict[str, Any]) -> dict[str, list[str]]:
    """Configs a naive variant flags and the reference rule does not: its false positives."""
    flagged = result["flagged"]
    out = {}
    for rule in flagged:
        if " naive" not in rule:
            continue
        reference = {f.split(": ", 1)[0] for f in flagged.get(rule.split(" ")[0], [])}
        out[rule] = sorted({f.split(": ", 1)[0] for f in flagged[rule]} - reference)
    return out


def lint_fixtures(folder: Path, static: StaticMetainfo, defaults: dict[str, Any]) -> int:
    """The reference rules on the fixture trees; compares with the codes each README expects."""
    failed = 0
    for readme in sorted(folder.rglob("README.md")):
        for line in readme.read_text().splitlines():
            match = re.match(r"^- `([^`]+)` \((\w+)\) -> ([^:]+): ", line)
            if not match:
                continue
            rel, lib, expected = match.groups()
            path = readme.parent / rel
            cfg = merged(path)
            got = set()
            checks: dict[str, tuple[bool, list[str]]] = {
                "IL301": rule_301(cfg, lib, static),
                "IL302": rule_302(cfg, lib),
                "IL303": rule_303(cfg, lib),
                "IL304": rule_304(cfg, lib),
                "IL305": rule_305(cfg, lib, static),
                "IL306": rule_306(cfg, lib, static),
                "IL207": rule_207(path, cfg, lib),
                "IL315": rule_315(cfg, lib),
                "IL314": rule_314(cfg)[:2],
                "IL201": rule_201(cfg, lib)[:2],
                **rule_31x(cfg),
            }
            for code, (_, found) in checks.items():
                if [f for f in found if not f.startswith("note")]:
                    got.add(code)
            want = set() if expected == "nothing" else set(re.findall(r"IL\d{3}", expected))
            status = "ok" if got == want else "MISMATCH"
            failed += status != "ok"
            print(
                f"{status:8} {path.relative_to(folder)}: expected {sorted(want) or 'nothing'}"
                f", reference rules give {sorted(got) or 'nothing'}"
            )
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--release", action="append", choices=LIBRARIES)
    parser.add_argument("--verify-metainfo", action="store_true")
    parser.add_argument("--fixtures", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--examples", type=int, default=8, help="flagged configs shown per rule")
    args = parser.parse_args()
    logging.getLogger("mmengine").setLevel(logging.CRITICAL)
    mmstubs.install()
    dirs = {lib: corpus.unpacked(lib) for lib in LIBRARIES}
    static = StaticMetainfo(dirs)
    defaults = frozen_defaults()
    if args.fixtures:
        return 1 if lint_fixtures(args.fixtures, static, defaults) else 0
    print("## Dataset classes read statically (METAINFO['classes'] length; - = none static)")
    for lib, table in static.table.items():
        print(
            f"{lib}: "
            + ", ".join(f"{k}={'-' if v is None else v}" for k, v in sorted(table.items()))
        )
    if args.verify_metainfo:
        problems = verify_metainfo(static)
        print(f"static table vs imported classes: {len(problems)} differences")
        for p in problems:
            print(f"   {p}")
    result = survey(args.release or list(LIBRARIES), static, defaults)
    result["naive false positives"] = naive_only(result)
    result["metainfo"] = static.table
    print("\n## Per rule: configs inspected / flagged")
    for rule, counts in sorted(result["totals"].items()):
        print(f"{rule}: {counts}")
    print("\n## Flagged (reference rules)")
    for rule, items in sorted(result["flagged"].items()):
        if " naive" in rule:
            continue
        print(f"{rule}: {len(items)} findings")
        for item in items[: args.examples]:
            print(f"   {item}")
    print("\n## Naive variants: configs flagged that the reference rule passes")
    for rule, items in sorted(result["naive false positives"].items()):
        print(f"{rule}: {len(items)} configs")
        for item in items[: args.examples]:
            print(f"   {item}")
    print("\n## Kinds")
    for name, counts in result["kinds"].items():
        print(f"{name}: {counts}")
    print("\n## Checkpoint examples per kind (IL314)")
    for kind, items in sorted(EXAMPLES.items()):
        print(f"{kind}: {len(items)} distinct")
        for item in sorted(items)[:4]:
            print(f"   {item}")
    result["checkpoint examples"] = {k: sorted(v) for k, v in EXAMPLES.items()}
    print(
        f"\n## IL207: base-list entries replaced, every lost key a class default: {len(HARMLESS)}"
    )
    for item in HARMLESS[: args.examples]:
        print(f"   {item}")
    result["IL207 harmless"] = HARMLESS
    print(f"\n## IL312: configs with resume_from=None (ignored, harmless): {len(RESUME_FROM_NONE)}")
    print(f"\n## Refused by Config.fromfile: {len(result['failures'])}")
    for item in result["failures"][:20]:
        print(f"   {item}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=repr))
    return 0


if __name__ == "__main__":
    sys.exit(main())
