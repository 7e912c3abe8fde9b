"""Benchmark initlint on a real OpenMMLab tree: the mmdet 3.3.0 wheel from PyPI.

    python benchmarks/bench.py [--json results.json] [--release mmdet]

Downloads the wheel into a cache outside the repository (INITLINT_CORPUS_CACHE, default
~/.cache/initlint-corpus), copies the package into a temporary folder (files get edited),
and measures, on the same files:

* initlint cold with --jobs 1 and with all cores, warm (cache, nothing changed), and warm after
  editing one base config and one model file, each in a fresh process with its peak RSS;
* beside them, `libcst.parse_module` and `ast.parse` of every .py file once, and (when mmengine
  is installed) `mmengine.Config.fromfile` of every config;
* the ratios the project targets (README, "Performance").
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
from pathlib import Path
from typing import Any, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import unpacked  # noqa: E402

TARGETS = {  # name: (numerator, denominator, largest ratio allowed)
    "cold (all cores) / libcst parse": ("cold_all", "libcst_parse", 0.5),
    "cold (all cores) / Config.fromfile": ("cold_all", "config_fromfile", 0.1),
    "warm / cold": ("warm", "cold_all", 0.05),
    "warm after edits / cold": ("warm_edited", "cold_all", 0.15),
}
RSS_LIMIT_MIB = 1024
MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
run = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - start
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
summary = (run.stdout.strip().splitlines() or [""])[-1]
print(seconds, children, run.returncode, "checked" in summary)
"""


def bytecode_env(work: Path) -> dict[str, str]:
    """initlint as users run it: from compiled bytecode (pip compiles a wheel when it installs
    it; an editable install under PYTHONDONTWRITEBYTECODE would recompile every module on every
    run). The bytecode goes to a folder of the benchmark's, never into the checkout."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    import initlint

    subprocess.run([sys.executable, "-m", "compileall", "-q",
                    str(Path(initlint.__file__).parent)], env=env, check=True,
                   capture_output=True)
    return env


def run_initlint(tree: Path, env: dict[str, str], *options: str) -> dict[str, float]:
    """One initlint run in a fresh process: wall seconds and the largest process RSS (MiB)."""
    command = [sys.executable, "-m", "initlint", "--config-root", f"{tree.name}={tree}",
               "--cache-dir", str(tree.parent / "cache"), *options, str(tree)]
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True,
                         text=True, check=True, cwd=tree.parent, env=env).stdout.split()
    seconds, kib, code, summarised = float(out[0]), int(out[1]), int(out[2]), out[3] == "True"
    if code not in (0, 1) or not summarised:
        raise SystemExit(f"initlint did not run (exit {code}): {' '.join(command)}\n"
                         "Is it installed in this Python? (see the README)")
    return {"seconds": seconds, "rss_mib": kib / 1024}


def time_parse(files: list[Path], parse: Any) -> float:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    start = time.perf_counter()
    for text in texts:
        try:
            parse(text)
        except Exception:  # a file the parser rejects still took its time
            pass
    return time.perf_counter() - start


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
        result = subprocess.run([sys.executable, "-c", code], input="\n".join(map(str, configs)),
                                capture_output=True, text=True, check=True)
    except subprocess.CalledProcessError:
        return None  # mmengine is not installed
    return float(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", default="mmdet", help="which release (default: mmdet)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()

    source = unpacked(args.release)
    work = Path(tempfile.mkdtemp(prefix="initlint-bench-"))
    try:
        tree = work / source.name
        shutil.copytree(source, tree)
        files = sorted(p for p in tree.rglob("*") if p.suffix in (".py", ".json", ".yaml",
                                                                   ".yml"))
        python = [p for p in files if p.suffix == ".py"]
        configs = sorted(p for p in (tree / ".mim" / "configs").rglob("*")
                         if p.suffix in (".py", ".json", ".yaml", ".yml")
                         and "_base_" not in p.parts)
        lines = sum(p.read_bytes().count(b"\n") for p in files)
        figures: dict[str, Any] = {"release": args.release, "files": len(files),
                                   "python_files": len(python), "configs": len(configs),
                                   "lines": lines, "cores": os.cpu_count()}
        runs: dict[str, dict[str, float]] = {}
        env = bytecode_env(work)
        runs["cold_1"] = run_initlint(tree, env, "--jobs", "1", "--no-cache")
        shutil.rmtree(work / "cache", ignore_errors=True)
        runs["cold_all"] = run_initlint(tree, env)  # fills the cache
        runs["warm"] = run_initlint(tree, env)
        base = tree / ".mim" / "configs" / "_base_" / "models" / "retinanet_r50_fpn.py"
        model = tree / "models" / "dense_heads" / "retina_head.py"
        for edited in (base, model):
            edited.write_text(edited.read_text() + "\n# edited by the benchmark\n")
        runs["warm_edited"] = run_initlint(tree, env)
        seconds = {name: run["seconds"] for name, run in runs.items()}
        seconds["libcst_parse"] = time_parse(python, _libcst_parse())
        seconds["ast_parse"] = time_parse(python, ast.parse)
        fromfile = time_fromfile(configs)
        if fromfile is not None:
            seconds["config_fromfile"] = fromfile
        figures["seconds"] = seconds
        figures["rss_mib"] = {name: run["rss_mib"] for name, run in runs.items()}
        figures["ratios"] = {
            label: {"ratio": seconds[a] / seconds[b], "target": limit,
                    "met": seconds[a] / seconds[b] <= limit}
            for label, (a, b, limit) in TARGETS.items() if a in seconds and b in seconds}
        figures["rss_met"] = max(figures["rss_mib"].values()) <= RSS_LIMIT_MIB
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(figures)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


def _libcst_parse() -> Any:
    import libcst

    return libcst.parse_module


def print_table(figures: dict[str, Any]) -> None:
    print(f"{figures['release']}: {figures['files']} files ({figures['python_files']} Python, "
          f"{figures['configs']} configs), {figures['lines']} lines, "
          f"{figures['cores']} cores")
    print(f"{'step':<40}{'seconds':>9}{'peak RSS MiB':>14}")
    labels = {"cold_1": "initlint cold, --jobs 1", "cold_all": "initlint cold, all cores",
              "warm": "initlint warm, nothing changed",
              "warm_edited": "initlint warm, 1 base + 1 model edited",
              "libcst_parse": "libcst.parse_module, every .py",
              "ast_parse": "ast.parse, every .py",
              "config_fromfile": "Config.fromfile, every config"}
    for name, label in labels.items():
        if name in figures["seconds"]:
            rss = figures["rss_mib"].get(name)
            shown = f"{rss:14.0f}" if rss is not None else f"{'':14}"
            print(f"{label:<40}{figures['seconds'][name]:9.2f}{shown}")
    print(f"{'ratio':<40}{'value':>8}{'target':>9}  met")
    for label, row in figures["ratios"].items():
        print(f"{label:<40}{row['ratio']:8.3f}{row['target']:9.2f}  "
              f"{'yes' if row['met'] else 'NO'}")
    print(f"{'peak RSS <= 1 GiB':<40}{max(figures['rss_mib'].values()):8.0f}{1024:9}  "
          f"{'yes' if figures['rss_met'] else 'NO'}")


if __name__ == "__main__":
    sys.exit(main())
