"""Benchmark initlint on a real OpenMMLab tree: the mmdet 3.3.0 wheel from PyPI.

    python benchmarks/bench.py [--json results.json] [--release mmdet] [--repeat 3]

Downloads the wheel into a cache outside the repository (INITLINT_CORPUS_CACHE, default
~/.cache/initlint-corpus), copies the package into a temporary folder (files get edited),
and measures, on the same files:

* initlint cold with --jobs 1 and with all cores, warm (cache, nothing changed), and warm after
  editing one base config and one model file, each in a fresh process with its peak RSS;
* the pre-commit rows: initlint on one staged config, and on three staged files (that config,
  its base, a model file), each edited just before the run, with the cache of the whole-tree
  runs in place and without any cache (a fresh clone); as the floor, `python -c "import
  pydantic"` and `python -c pass`. These are short: each is run --repeat times, the fastest
  counts (all are kept under "samples");
* the language server: a scripted client opens that config in `initlint server` and sends 20
  edits, each timed from sending it to its diagnostics (median and max), beside `initlint
  CONFIG` in a fresh process without a cache (the fastest of --repeat); the same for the base
  (checked through the configs that inherit it) beside `initlint BASE`;
* beside them, `libcst.parse_module` of every .py file once, `ast.parse` of every .py file
  (the fastest of --repeat), and (when mmengine is installed) `mmengine.Config.fromfile` of
  every config;
* the ratios the project targets (README, "Performance"), of wall seconds ("ratios", which
  decide "met") and of CPU seconds ("cpu_ratios", where both sides have them).

Every process runs from bytecode (see `bytecode_env`) and is timed by wall clock; the CPU time
of the process and its children is kept beside it ("cpu_seconds", summed over the workers of a
pool), which the load of a shared machine moves less. The load average at the start and the
end is kept under "load".
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import unpacked  # noqa: E402
from server_edits import measure as server_edits  # noqa: E402

TARGETS = {  # name: (numerator, denominator, largest ratio allowed)
    "cold (all cores) / libcst parse": ("cold_all", "libcst_parse", 0.5),
    "cold (all cores) / Config.fromfile": ("cold_all", "config_fromfile", 0.1),
    "warm / cold": ("warm", "cold_all", 0.05),
    "warm after edits / cold": ("warm_edited", "cold_all", 0.15),
    "cold (--jobs 1) / ast.parse": ("cold_1", "ast_parse", 2.5),
    "1 staged config, cache / import pydantic": ("staged_1", "import_pydantic", 1.5),
    "3 staged files, cache / import pydantic": ("staged_3", "import_pydantic", 2.0),
    "1 staged config, no cache / import pydantic": ("staged_1_nocache", "import_pydantic", 1.5),
    "3 staged files, no cache / import pydantic": ("staged_3_nocache", "import_pydantic", 2.0),
    "server: edit to diagnostics (median) / initlint FILE": (
        "server_edit_median",
        "cli_file",
        0.05,
    ),
    "server: edit to diagnostics (max) / initlint FILE": ("server_edit_max", "cli_file", 0.25),
    "server: base edit to diagnostics (median) / initlint BASE": (
        "server_base_edit_median",
        "cli_base",
        0.25,
    ),
}
SERVER_EDITS = 20
RSS_LIMIT_MIB = 1024
# The staged files of the pre-commit rows (relative to the package folder): a config, the base
# it inherits its model from, and the model file of that model's head. The whole-tree edit row
# (warm_edited) edits the same base and model.
STAGED_CONFIG = Path(".mim/configs/retinanet/retinanet_r50_fpn_1x_coco.py")
STAGED_BASE = Path(".mim/configs/_base_/models/retinanet_r50_fpn.py")
STAGED_MODEL = Path("models/dense_heads/retina_head.py")
# pre-commit runs the hook's entry with its args and the staged files (.pre-commit-hooks.yaml).
HOOK_ARGS = ("--force-exclude",)
MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
run = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
# The summary line, before any notes that follow it (configs that could not be resolved).
summary = " ".join(run.stdout.strip().splitlines()[-4:])
print(seconds, usage.ru_maxrss, run.returncode, "checked" in summary,
      usage.ru_utime + usage.ru_stime)
"""


def bytecode_env(work: Path) -> dict[str, str]:
    """initlint as users run it: from compiled bytecode (pip compiles a wheel when it installs
    it; an editable install under PYTHONDONTWRITEBYTECODE would recompile every module on every
    run). The bytecode goes to a folder of the benchmark's, never into the checkout.

    Under PYTHONPYCACHEPREFIX Python reads the bytecode of every module, the standard library
    and the installed packages included, from that folder only: the first process to import a
    module compiles it there. `warm_up` runs each kind of process once before any is timed."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    import initlint

    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(initlint.__file__).parent)],
        env=env,
        check=True,
        capture_output=True,
    )
    return env


def measure(command: Sequence[str], env: dict[str, str], cwd: Path) -> dict[str, Any]:
    """One process, timed from outside: wall seconds, CPU seconds of it and its children, the
    largest RSS among them (MiB), its exit code and whether its last line is a summary."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
        env=env,
    ).stdout.split()
    return {
        "seconds": float(out[0]),
        "rss_mib": int(out[1]) / 1024,
        "code": int(out[2]),
        "summarised": out[3] == "True",
        "cpu_seconds": float(out[4]),
    }


def initlint_command(tree: Path, *options: str, paths: Sequence[str] = ()) -> list[str]:
    return [
        sys.executable,
        "-m",
        "initlint",
        "--config-root",
        f"{tree.name}={tree}",
        "--cache-dir",
        str(tree.parent / "cache"),
        *options,
        *(paths or [str(tree)]),
    ]


def run_initlint(
    tree: Path, env: dict[str, str], *options: str, paths: Sequence[str] = ()
) -> dict[str, float]:
    """One initlint run in a fresh process (on the whole tree, or on `paths` relative to the
    folder holding it, as pre-commit names staged files): wall seconds, CPU seconds and the
    largest process RSS (MiB)."""
    command = initlint_command(tree, *options, paths=paths)
    run = measure(command, env, tree.parent)
    if run["code"] not in (0, 1) or not run["summarised"]:
        raise SystemExit(
            f"initlint did not run (exit {run['code']}): {' '.join(command)}\n"
            "Is it installed in this Python? (see the README)"
        )
    return {key: run[key] for key in ("seconds", "rss_mib", "cpu_seconds")}


def fastest(samples: list[dict[str, float]]) -> dict[str, Any]:
    """The fastest of repeated runs (the least disturbed by the machine's other work)."""
    best = dict(min(samples, key=lambda s: s["seconds"]))
    best["samples"] = [s["seconds"] for s in samples]
    return best


def edit(*files: Path) -> None:
    """A change that alters each file's content (and so its hash), as a commit would."""
    stamp = time.time_ns()
    for file in files:
        file.write_text(file.read_text() + f"\n# edited by the benchmark {stamp}\n")


def staged_runs(tree: Path, env: dict[str, str], repeat: int) -> dict[str, dict[str, Any]]:
    """The pre-commit rows: the staged files edited just before each run, the cache of the
    whole-tree runs (as left in tree.parent / "cache") put back before each run with a cache,
    and no cache folder at all before each run without one (the run writes a new one)."""
    cache = tree.parent / "cache"
    snapshot = tree.parent / "cache-whole-tree"
    shutil.copytree(cache, snapshot)
    staged = {"staged_1": [STAGED_CONFIG], "staged_3": [STAGED_CONFIG, STAGED_BASE, STAGED_MODEL]}
    runs: dict[str, dict[str, Any]] = {}
    for name, files in staged.items():
        for suffix, cached in (("", True), ("_nocache", False)):
            samples = []
            for _ in range(repeat):
                shutil.rmtree(cache, ignore_errors=True)
                if cached:
                    shutil.copytree(snapshot, cache)
                edit(*(tree / f for f in files))
                samples.append(
                    run_initlint(
                        tree, env, *HOOK_ARGS, paths=[str(Path(tree.name) / f) for f in files]
                    )
                )
            runs[name + suffix] = fastest(samples)
    shutil.rmtree(cache, ignore_errors=True)
    shutil.move(str(snapshot), str(cache))  # the whole-tree cache, as it was
    return runs


FLOORS = {"import_pydantic": "import pydantic", "python_pass": "pass"}


def floor_runs(work: Path, env: dict[str, str], repeat: int) -> dict[str, dict[str, Any]]:
    """`python -c CODE` for each floor, in the same environment as initlint runs in."""
    runs = {}
    for name, code in FLOORS.items():
        samples = []
        for _ in range(repeat):
            run = measure([sys.executable, "-c", code], env, work)
            if run["code"] != 0:
                raise SystemExit(f"python -c {code!r} failed (exit {run['code']})")
            samples.append({k: run[k] for k in ("seconds", "rss_mib", "cpu_seconds")})
        runs[name] = fastest(samples)
    return runs


def warm_up(tree: Path, work: Path, env: dict[str, str]) -> None:
    """Compile, untimed, the bytecode every measured process will read (see `bytecode_env`):
    a run with a process pool and a cache, one on staged files, and the floors."""
    subset = tree / STAGED_CONFIG.parent  # enough configs for a pool of workers
    for paths in ([str(subset)], [str(Path(tree.name) / STAGED_CONFIG)]):
        command = initlint_command(tree, *HOOK_ARGS, paths=paths)
        command[command.index("--cache-dir") + 1] = str(work / "warm-up-cache")
        subprocess.run(command, capture_output=True, cwd=tree.parent, env=env)
    for code in FLOORS.values():
        subprocess.run([sys.executable, "-c", code], capture_output=True, env=env)
    shutil.rmtree(work / "warm-up-cache", ignore_errors=True)


def time_parse(files: list[Path], parse: Any, repeat: int = 1) -> dict[str, Any]:
    """Parsing every file in this process: wall and CPU seconds (the fastest of `repeat`)."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    samples = []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        for text in texts:
            try:
                parse(text)
            except Exception:  # a file the parser rejects still took its time
                pass
        samples.append(
            {"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu}
        )
    return fastest(samples) if repeat > 1 else samples[0]


def time_fromfile(configs: list[Path]) -> Optional[float]:
    code = """
import logging, sys, time, warnings
warnings.simplefilter("ignore")
logging.disable(logging.CRITICAL)
from mmengine.config import Config
paths = sys.stdin.read().split()
start = time.perf_counter()
for path in paths:
    try:
        Config.fromfile(path)
    except Exception:
        pass
print(time.perf_counter() - start)
"""
    try:
        result = subprocess.run(
            [sys.executable, "-c", code],
            input="\n".join(map(str, configs)),
            capture_output=True,
            text=True,
            check=True,
        )
    except subprocess.CalledProcessError:
        return None  # mmengine is not installed
    return float(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", default="mmdet", help="which release (default: mmdet)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        metavar="N",
        help="runs of each pre-commit and floor row; the fastest counts (default: 3)",
    )
    parser.add_argument(
        "--no-warm-up",
        action="store_true",
        help="time the first processes with the bytecode they compile "
        "(as this benchmark did before it warmed up)",
    )
    args = parser.parse_args()
    repeat = max(1, args.repeat)

    source = unpacked(args.release)
    work = Path(tempfile.mkdtemp(prefix="initlint-bench-"))
    load = {"start": list(os.getloadavg())}
    try:
        tree = work / source.name
        shutil.copytree(source, tree)
        files = sorted(p for p in tree.rglob("*") if p.suffix in (".py", ".json", ".yaml", ".yml"))
        python = [p for p in files if p.suffix == ".py"]
        configs = sorted(
            p
            for p in (tree / ".mim" / "configs").rglob("*")
            if p.suffix in (".py", ".json", ".yaml", ".yml") and "_base_" not in p.parts
        )
        lines = sum(p.read_bytes().count(b"\n") for p in files)
        figures: dict[str, Any] = {
            "release": args.release,
            "files": len(files),
            "python_files": len(python),
            "configs": len(configs),
            "lines": lines,
            "cores": os.cpu_count(),
            "repeat": repeat,
            "warmed_up": not args.no_warm_up,
        }
        runs: dict[str, dict[str, Any]] = {}
        env = bytecode_env(work)
        if not args.no_warm_up:
            warm_up(tree, work, env)
        runs["cold_1"] = run_initlint(tree, env, "--jobs", "1", "--no-cache")
        shutil.rmtree(work / "cache", ignore_errors=True)
        runs["cold_all"] = run_initlint(tree, env)  # fills the cache
        runs["warm"] = run_initlint(tree, env)
        edit(tree / STAGED_BASE, tree / STAGED_MODEL)
        runs["warm_edited"] = run_initlint(tree, env)
        runs.update(staged_runs(tree, env, repeat))
        runs.update(floor_runs(work, env, repeat))
        runs["cli_file"] = fastest(
            [
                run_initlint(tree, env, "--no-cache", paths=[str(Path(tree.name) / STAGED_CONFIG)])
                for _ in range(repeat)
            ]
        )
        runs["cli_base"] = fastest(
            [
                run_initlint(tree, env, "--no-cache", paths=[str(Path(tree.name) / STAGED_BASE)])
                for _ in range(repeat)
            ]
        )
        command = [sys.executable, "-m", "initlint", "server"]
        server = server_edits(
            tree / STAGED_CONFIG, tree.parent, command, [f"{tree.name}={tree}"], SERVER_EDITS, env
        )
        # A base is checked through the configs that inherit it: each edit lints them all.
        server_base = server_edits(
            tree / STAGED_BASE, tree.parent, command, [f"{tree.name}={tree}"], SERVER_EDITS, env
        )
        figures["server"] = server
        figures["server_base"] = server_base
        parsed = {
            "libcst_parse": time_parse(python, _libcst_parse()),
            "ast_parse": time_parse(python, ast.parse, repeat),
        }
        seconds = {name: run["seconds"] for name, run in runs.items()}
        seconds.update({name: run["seconds"] for name, run in parsed.items()})
        fromfile = time_fromfile(configs)
        if fromfile is not None:
            seconds["config_fromfile"] = fromfile
        seconds.update(
            {
                "server_open": server["open_seconds"],
                "server_edit_median": server["edit_median_seconds"],
                "server_edit_max": server["edit_max_seconds"],
                "server_base_edit_median": server_base["edit_median_seconds"],
                "server_base_edit_max": server_base["edit_max_seconds"],
            }
        )
        figures["seconds"] = seconds
        figures["rss_mib"] = {name: run["rss_mib"] for name, run in runs.items()}
        if server["rss_mib"] is not None:
            figures["rss_mib"]["server_open"] = server["rss_mib"]
        cpu = {name: run["cpu_seconds"] for name, run in [*runs.items(), *parsed.items()]}
        figures["cpu_seconds"] = cpu
        figures["samples"] = {
            name: run["samples"]
            for name, run in [*runs.items(), *parsed.items()]
            if "samples" in run
        }
        figures["ratios"] = ratios(seconds)
        # The same ratios of CPU seconds, which other work on a shared machine moves less.
        figures["cpu_ratios"] = ratios(cpu)
        figures["rss_met"] = max(figures["rss_mib"].values()) <= RSS_LIMIT_MIB
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load["end"] = list(os.getloadavg())
    figures["load"] = load
    print_table(figures)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


def ratios(seconds: dict[str, float]) -> dict[str, dict[str, Any]]:
    return {
        label: {
            "ratio": seconds[a] / seconds[b],
            "target": limit,
            "met": seconds[a] / seconds[b] <= limit,
        }
        for label, (a, b, limit) in TARGETS.items()
        if a in seconds and b in seconds
    }


def _libcst_parse() -> Any:
    import libcst

    return libcst.parse_module


LABELS = {
    "cold_1": "initlint cold, --jobs 1",
    "cold_all": "initlint cold, all cores",
    "warm": "initlint warm, nothing changed",
    "warm_edited": "initlint warm, 1 base + 1 model edited",
    "staged_1": "1 staged config, cache",
    "staged_3": "3 staged files, cache",
    "staged_1_nocache": "1 staged config, no cache",
    "staged_3_nocache": "3 staged files, no cache",
    "import_pydantic": "python -c 'import pydantic'",
    "python_pass": "python -c pass",
    "cli_file": "initlint CONFIG (one config, no cache)",
    "server_open": "server: start, open CONFIG, diagnostics",
    "server_edit_median": f"server: {SERVER_EDITS} edits, edit to diagnostics, median",
    "server_edit_max": f"server: {SERVER_EDITS} edits, edit to diagnostics, max",
    "cli_base": "initlint BASE (one base config, no cache)",
    "server_base_edit_median": f"server: {SERVER_EDITS} edits of BASE, median",
    "server_base_edit_max": f"server: {SERVER_EDITS} edits of BASE, max",
    "libcst_parse": "libcst.parse_module, every .py",
    "ast_parse": "ast.parse, every .py",
    "config_fromfile": "Config.fromfile, every config",
}


def print_table(figures: dict[str, Any]) -> None:
    print(
        f"{figures['release']}: {figures['files']} files ({figures['python_files']} Python, "
        f"{figures['configs']} configs), {figures['lines']} lines, "
        f"{figures['cores']} cores; load average {_load(figures['load']['start'])} at the "
        f"start, {_load(figures['load']['end'])} at the end"
    )
    cpu = figures.get("cpu_seconds", {})
    print(f"{'step':<52}{'seconds':>9}{'CPU s':>8}{'peak RSS MiB':>14}")
    for name, label in LABELS.items():
        if name in figures["seconds"]:
            rss = figures["rss_mib"].get(name)
            shown = f"{rss:14.0f}" if rss is not None else f"{'':14}"
            used = f"{cpu[name]:8.2f}" if name in cpu else f"{'':8}"
            print(f"{label:<52}{figures['seconds'][name]:9.3f}{used}{shown}")
    if figures.get("samples"):
        print(f"(pre-commit, floor and ast.parse rows: the fastest of {figures['repeat']} runs)")
    cpu_ratios = figures.get("cpu_ratios", {})
    print(f"{'ratio (wall clock; CPU beside it)':<60}{'value':>8}{'CPU':>8}{'target':>9}  met")
    for label, row in figures["ratios"].items():
        by_cpu = f"{cpu_ratios[label]['ratio']:8.3f}" if label in cpu_ratios else f"{'':8}"
        print(
            f"{label:<60}{row['ratio']:8.3f}{by_cpu}{row['target']:9.2f}  "
            f"{'yes' if row['met'] else 'NO'}"
        )
    print(
        f"{'peak RSS <= 1 GiB':<60}{max(figures['rss_mib'].values()):8.0f}{'':8}{1024:9}  "
        f"{'yes' if figures['rss_met'] else 'NO'}"
    )


def _load(averages: list[float]) -> str:
    return "/".join(f"{a:.2f}" for a in averages)


if __name__ == "__main__":
    sys.exit(main())
