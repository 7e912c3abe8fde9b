"""The fix round trip on real code: plant one fixable mistake into each of a few hundred configs
and model sources of mmdet 3.3.0 and mmsegmentation 1.2.2 (copies of the PyPI wheels in a
temporary folder), run `initlint --diff` (which must write nothing) and then
`initlint --fix --unsafe-fixes`, and compare every file with the original.

The mistakes are what people type: a `type` in the wrong case (`'kaiming'`) or misspelled
(`'Xaiver'`), a misspelled argument (`stdd`), a misspelled checkpoint scheme (`torchvison://`), a
`layer` in the wrong case (`'conv2d'`), and a stray `_delete_=True` in a model source. Each is
planted where a value is written literally in an `init_cfg`, and only where the original has
no fixable diagnostic of its own. Whether a mistake has one unique candidate is decided here,
from the runtime (mmengine's registry and signatures, its checkpoint schemes, torch.nn), not
from initlint: exactly one valid name within one edit, or one name in another case. Values
given to the classes that read init_cfg their own way (PVT, Swin, MiT, ...: the list initlint
keeps in initlint/data/own_init_weights.json) are left alone: there the generic grammar does
not apply, so neither do its fixes.

    python benchmarks/fix_roundtrip.py [--limit N] [--json out.json]

prints: planted, unique, restored byte-identical, reverted, wrong (changed but not back to the
original), unfixed, the files that changed without a planted mistake, and the time of each run
with what libcst cost on the files it rewrote (parse and positions, the transform, the write).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tokenize
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import unpacked  # noqa: E402

KINDS = ("type-case", "type-typo", "arg-typo", "scheme", "layer-case", "delete")
LIMITS = {"mmdet": 260, "mmseg": 140}
ALIASES = ({"open-mmlab://", "openmmlab://"}, {"torchvision://", "modelzoo://"})


# -- what the runtime knows ------------------------------------------------------------------


@dataclass(frozen=True)
class Runtime:
    arguments: dict[str, frozenset[str]]  # initializer -> the arguments it takes
    schemes: tuple[str, ...]
    layers: frozenset[str]  # torch.nn module classes


def runtime() -> Runtime:
    import inspect

    import torch.nn as nn
    from mmengine.model.weight_init import BaseInit
    from mmengine.registry import WEIGHT_INITIALIZERS
    from mmengine.runner import CheckpointLoader

    base = [p for p in inspect.signature(BaseInit.__init__).parameters if p != "self"]
    arguments = {}
    for name, cls in WEIGHT_INITIALIZERS.module_dict.items():
        own = [p for p in inspect.signature(cls.__init__).parameters if p not in ("self", "kwargs")]
        arguments[name] = frozenset(own + ([] if name == "Pretrained" else base))
    schemes = tuple(s for s in CheckpointLoader._schemes if s and "(" not in s)
    layers = frozenset(
        n
        for n in dir(nn)
        if isinstance(getattr(nn, n), type) and issubclass(getattr(nn, n), nn.Module)
    )
    return Runtime(arguments, schemes, layers)


def distance_one(a: str, b: str) -> bool:
    """One insertion, deletion, substitution or swap of neighbours apart."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diffs) == 1 or (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def unique(
    written: str, valid: Union[frozenset[str], tuple[str, ...]], groups: tuple[set[str], ...] = ()
) -> bool:
    """Whether exactly one valid name (or one group of aliases) is meant by `written`."""
    if written in valid:
        return False
    folded = [v for v in valid if v.casefold() == written.casefold()]
    near = folded or [v for v in valid if distance_one(written, v)]
    if len(near) == 1:
        return True
    return bool(near) and any(set(near) <= group for group in groups)


# -- planting ---------------------------------------------------------------------------------


@dataclass
class Plant:
    file: str  # relative to the package copy
    kind: str
    before: str  # the literal text replaced
    after: str
    unique: bool
    # restored, reverted, wrong (changed, not back to the original), unfixed (a fix was
    # offered, not applied), no-fix (found, no fix offered), undetected (nothing found: a
    # class that reads init_cfg its own way, a value initlint does not see)
    outcome: str = ""


@dataclass
class Report:
    package: str
    plants: list[Plant] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    also_changed: list[str] = field(default_factory=list)  # changed, nothing planted
    own_fixable: list[str] = field(default_factory=list)  # files with a fix of their own
    unparseable: list[str] = field(default_factory=list)
    diff_wrote: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    libcst: dict[str, float] = field(default_factory=dict)


def own_init_weights() -> frozenset[str]:
    path = Path(__file__).resolve().parents[1] / "initlint" / "data" / "own_init_weights.json"
    return frozenset(json.loads(path.read_text(encoding="utf-8"))["classes"])


def init_dicts(tree: ast.AST) -> list[ast.AST]:
    """The dicts written literally as an init_cfg value or in one (a keyword `init_cfg=`, a
    default of a parameter `init_cfg`, an assignment to `init_cfg`), outermost first; not
    those of a class that reads init_cfg its own way."""
    exempt = own_init_weights()
    values: list[ast.AST] = []

    def visit(node: ast.AST, inside: bool) -> None:
        if isinstance(node, ast.ClassDef):
            inside = node.name in exempt
        if not inside and isinstance(node, ast.Call):
            owner = next((_string(k.value) for k in node.keywords if k.arg == "type"), None)
            if owner is None or owner.split(".")[-1] not in exempt:
                values.extend(k.value for k in node.keywords if k.arg == "init_cfg")
        elif not inside and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            values.extend(_defaults(node))
        elif (
            not inside
            and isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "init_cfg" for t in node.targets)
        ):
            values.append(node.value)
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    visit(tree, False)
    found = []
    for value in values:
        items = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
        found += [item for item in items if _is_dict(item)]
    return found


def _defaults(function: Union[ast.FunctionDef, ast.AsyncFunctionDef]) -> list[ast.AST]:
    params = function.args.args[len(function.args.args) - len(function.args.defaults) :]
    found: list[ast.AST] = [
        d for p, d in zip(params, function.args.defaults) if p.arg == "init_cfg"
    ]
    return found + [
        d
        for p, d in zip(function.args.kwonlyargs, function.args.kw_defaults)
        if p.arg == "init_cfg" and d is not None
    ]


def _is_dict(node: ast.AST) -> bool:
    return isinstance(node, ast.Dict) or (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "dict"
        and not node.args
    )


def _entries(node: ast.AST) -> list[tuple[str, ast.AST, ast.AST]]:
    """(key, the node that writes the key, value) of a dict() call or display."""
    if isinstance(node, ast.Call):
        return [(k.arg, k, k.value) for k in node.keywords if k.arg]
    assert isinstance(node, ast.Dict)
    return [
        (k.value, k, v)
        for k, v in zip(node.keys, node.values)
        if isinstance(k, ast.Constant) and isinstance(k.value, str)
    ]


def _string(node: ast.AST) -> Optional[str]:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def candidates(node: ast.AST, known: Runtime) -> list[tuple[str, ast.AST, str]]:
    """(kind, the node to rewrite, the new text) for every mistake this dict can take."""
    entries = {key: (key_node, value) for key, key_node, value in _entries(node)}
    kind_of = _string(entries["type"][1]) if "type" in entries else None
    if kind_of not in known.arguments:
        return []
    assert kind_of is not None
    out: list[tuple[str, ast.AST, str]] = []
    type_node = entries["type"][1]
    out.append(("type-case", type_node, kind_of.lower()))
    for typo in typos(kind_of):
        if typo.isidentifier() and unique(typo, frozenset(known.arguments)):
            out.append(("type-typo", type_node, typo))
            break
    takes = known.arguments[kind_of]
    for key, (key_node, _) in entries.items():
        if key in takes and key != "type":
            for typo in typos(key):
                if typo.isidentifier() and typo not in entries and unique(typo, takes):
                    out.append(("arg-typo", key_node, typo))
                    break
            break
    checkpoint = _string(entries["checkpoint"][1]) if "checkpoint" in entries else None
    scheme = next((s for s in known.schemes if checkpoint and checkpoint.startswith(s)), None)
    if checkpoint and scheme:
        word = scheme[:-3]
        for typo in typos(word):
            if unique(typo + "://", known.schemes, ALIASES):
                out.append(
                    ("scheme", entries["checkpoint"][1], typo + "://" + checkpoint[len(scheme) :])
                )
                break
    layer = entries.get("layer")
    layer_name = _string(layer[1]) if layer else None
    if layer and layer_name in known.layers and layer_name != layer_name.lower():
        out.append(("layer-case", layer[1], layer_name.lower()))
    if isinstance(node, ast.Call) and "_delete_" not in entries:
        out.append(("delete", node, ""))
    return out


def typos(word: str) -> list[str]:
    """Misspellings people make, most likely first: two neighbours swapped, a letter left out,
    a letter doubled."""
    out = []
    for i in range(1, len(word) - 2):
        if word[i] != word[i + 1]:
            out.append(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    out += [word[:i] + word[i + 1 :] for i in range(1, len(word) - 1)]
    out += [word[:i] + word[i] + word[i:] for i in range(1, len(word))]
    return [t for t in dict.fromkeys(out) if t != word]


def plant(path: Path, text: str, known: Runtime, turn: int, source: bool) -> Optional[Plant]:
    """One mistake in the file (the kinds taken in turn over the files); None if none fits."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    if not text.isascii():
        return None  # keep column arithmetic to characters that are one byte
    options = [
        c
        for node in init_dicts(tree)
        for c in candidates(node, known)
        if c[0] != "delete" or source
    ]
    if not options:
        return None
    wanted = KINDS[turn % len(KINDS)]
    kind, node, new = next((c for c in options if c[0] == wanted), options[0])
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    start = starts[node.lineno - 1] + node.col_offset
    if kind == "delete":
        assert isinstance(node, ast.Call)
        at = text.index("(", start) + 1
        new_text = text[:at] + "_delete_=True, " + text[at:]
        planted = Plant(str(path), kind, "dict(", "dict(_delete_=True, ", True)
    else:
        end = starts[node.end_lineno - 1] + node.end_col_offset  # type: ignore[operator]
        old = text[start:end]
        if isinstance(node, ast.keyword):
            replaced = new + old[len(node.arg or "") :]
            end = start + len(old)
            old_name, new_text_part = old, replaced
        else:
            quote = old[0] if old[:1] in "'\"" else None
            if quote is None or not _one_string(old):
                return None  # 'a' 'b' written over rows: no single literal to plant in
            old_name, new_text_part = old, quote + new + quote
        new_text = text[:start] + new_text_part + text[end:]
        planted = Plant(
            str(path), kind, old_name, new_text_part, _is_unique(kind, old_name, new, known)
        )
    try:
        ast.parse(new_text)
    except SyntaxError:
        return None
    path.write_text(new_text, encoding="utf-8")
    return planted


def _one_string(token: str) -> bool:
    try:
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(token).readline)
            if t.type == tokenize.STRING
        ]
    except (tokenize.TokenError, SyntaxError):
        return False
    return len(tokens) == 1 and tokens[0].string == token


def _is_unique(kind: str, old: str, new: str, known: Runtime) -> bool:
    if kind in ("type-case", "type-typo"):
        return unique(new, frozenset(known.arguments))
    if kind == "layer-case":
        return unique(new, known.layers)
    if kind == "scheme":
        return unique(new.split("://")[0] + "://", known.schemes, ALIASES)
    return True  # arguments were chosen unique among the initializer's


# -- running ------------------------------------------------------------------------------------


def digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def initlint(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "initlint", "--no-cache", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=1800,
        env={**os.environ, "NO_COLOR": "1"},
    )
    return result, time.perf_counter() - start


def round_trip(package: str, work: Path, known: Runtime, limit: Optional[int] = None) -> Report:
    report = Report(package)
    pristine = unpacked(package)
    copy = work / package
    shutil.copytree(pristine, copy, ignore=shutil.ignore_patterns("__pycache__"))
    roots = ["--config-root", f"mmdet={unpacked('mmdet')}"] if package != "mmdet" else []
    # Files with a fixable diagnostic of their own: not planted in, expected to change.
    baseline, seconds = initlint("--output-format", "json", *roots, package, cwd=work)
    report.seconds["lint"] = seconds
    own = {
        (work / d["filename"]).resolve()
        for d in json.loads(baseline.stdout)
        if d["fix"] is not None
    }
    report.own_fixable = sorted(str(p.relative_to(work.resolve())) for p in own)
    originals = {p: p.read_text(encoding="utf-8") for p in sorted(copy.rglob("*.py"))}
    configs = [p for p in originals if ".mim" in p.relative_to(copy).parts]
    sources = [p for p in originals if ".mim" not in p.relative_to(copy).parts]
    # Configs and model sources in turn, until the limit.
    order = (
        [p for pair in zip(configs, sources) for p in pair]
        + configs[len(sources) :]
        + sources[len(configs) :]
    )
    planted: dict[Path, Plant] = {}
    turn = 0
    for path in order:
        if path.resolve() in own:
            continue
        found = plant(path, originals[path], known, turn, path in set(sources))
        if found is not None:
            found.file = str(path.relative_to(work))
            planted[path] = found
            turn += 1
            if len(planted) >= (limit or LIMITS[package]):
                break
    report.plants = list(planted.values())
    found, seconds = initlint(
        "--output-format", "json", "--unsafe-fixes", *roots, package, cwd=work
    )
    report.seconds["lint planted"] = seconds
    new = Counter((d["filename"], d["code"], d["message"]) for d in json.loads(found.stdout))
    new.subtract(
        Counter((d["filename"], d["code"], d["message"]) for d in json.loads(baseline.stdout))
    )
    offered = {d["filename"] for d in json.loads(found.stdout) if d["fix"] is not None}
    detected = {name for (name, _, _), count in new.items() if count > 0}
    before = digest(copy)
    diff, seconds = initlint("--diff", "--unsafe-fixes", *roots, package, cwd=work)
    report.seconds["diff"] = seconds
    report.diff_wrote = [name for name, h in digest(copy).items() if before.get(name) != h]
    fixed, seconds = initlint("--fix", "--unsafe-fixes", *roots, package, cwd=work)
    report.seconds["fix"] = seconds
    reverted = set(re.findall(r"^initlint: (?:warning|error): (\S+): ", fixed.stderr, re.M))
    after = digest(copy)
    for path, original in originals.items():
        name = str(path.relative_to(work))
        now = path.read_text(encoding="utf-8")
        if now != original and path not in planted:
            report.also_changed.append(name)
        if before.get(str(path.relative_to(copy))) != after.get(str(path.relative_to(copy))):
            try:
                ast.parse(now)
            except SyntaxError:
                report.unparseable.append(name)
        if path in planted:
            key = str(path.relative_to(copy))
            planted[path].outcome = (
                "restored"
                if now == original
                else "reverted"
                if name in reverted
                else "wrong"
                if before.get(key) != after.get(key)
                else "undetected"
                if name not in detected
                else "no-fix"
                if name not in offered
                else "unfixed"
            )
    report.counts = dict(Counter(p.outcome for p in report.plants))
    report.counts["planted"] = len(report.plants)
    report.counts["unique"] = sum(p.unique for p in report.plants)
    report.libcst = libcst_cost(
        copy, [work / p.file for p in report.plants if p.kind == "delete"], originals
    )
    return report


def libcst_cost(copy: Path, removed: list[Path], originals: dict[Path, str]) -> dict[str, float]:
    """What the removals cost with libcst, file by file: parse with positions, the transform
    (the container without the item, as code), and an atomic write of the result."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    from initlint.fix.apply import write_atomically

    parse = transform = write = 0.0
    files = 0
    scratch = Path(tempfile.mkdtemp(prefix="initlint-libcst-"))
    try:
        for path in removed:
            text = originals[path].replace("dict(", "dict(_delete_=True, ", 1)
            start = time.perf_counter()
            wrapper = MetadataWrapper(cst.parse_module(text), unsafe_skip_copy=True)
            positions = wrapper.resolve(PositionProvider)
            middle = time.perf_counter()
            calls = [
                n
                for n in positions
                if isinstance(n, cst.Call)
                and n.args
                and n.args[0].keyword is not None
                and n.args[0].keyword.value == "_delete_"
            ]
            if calls:
                new = calls[0].with_changes(args=calls[0].args[1:])
                wrapper.module.code_for_node(new)
            done = time.perf_counter()
            target = scratch / path.name
            target.write_text(text, encoding="utf-8")
            write_atomically(target, text)
            parse += middle - start
            transform += done - middle
            write += time.perf_counter() - done
            files += 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    per = max(files, 1)
    return {
        "files": files,
        "parse_s": parse,
        "transform_s": transform,
        "write_s": write,
        "per_file_ms": 1000 * (parse + transform + write) / per,
    }


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="plants per package")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    known = runtime()
    reports = []
    with tempfile.TemporaryDirectory(prefix="initlint-roundtrip-") as folder:
        for package in ("mmdet", "mmseg"):
            report = round_trip(package, Path(folder), known, args.limit)
            reports.append(report)
            print(
                f"{package}: {report.counts}; by kind "
                f"{dict(Counter((p.kind, p.outcome) for p in report.plants))}"
            )
            print(
                f"  changed without a plant: {report.also_changed}; unparseable: "
                f"{report.unparseable}; --diff wrote: {report.diff_wrote}"
            )
            print(f"  seconds: {report.seconds}; libcst: {report.libcst}")
            for p in report.plants:
                if p.outcome != "restored":
                    print(f"  {p.outcome}: {p.file} {p.kind} {p.before!r} -> {p.after!r}")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in reports], indent=2))
    return 0


def as_dict(report: Report) -> dict[str, Any]:
    return asdict(report)


if __name__ == "__main__":
    sys.exit(main())
