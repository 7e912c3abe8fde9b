"""How many official configs each fine-tuning rule of initlint inspects and flags.

"Inspected" means the rule had everything it needs to give a verdict on that config (a known
head count and a known dataset count for IL301, two heads for IL302, a `metainfo` for
IL303-IL305, ...); a rule is silent where it cannot see. Runs initlint's own engine on every
config (outside `_base_`) of the releases in the corpus cache (benchmarks/corpus.py), with
each release's sources given as `--config-root` would give them.

    python scripts/finetune_counts.py [--release mmdet ...] [--flagged]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402

from initlint.catalog import rules  # noqa: E402
from initlint.checks.classes import CLASS_VARIABLES, _metainfos  # noqa: E402
from initlint.checks.configfacts import assigners  # noqa: E402
from initlint.checks.configs import HEAD_LISTS  # noqa: E402
from initlint.checks.context import ConfigContext  # noqa: E402
from initlint.checks.training import ResumeFromIgnored, _pretrained  # noqa: E402
from initlint.config.loader import ConfigLoader  # noqa: E402
from initlint.engine import Engine  # noqa: E402
from initlint.project.index import ProjectIndex  # noqa: E402
from initlint.values import DictValue, Scalar, SeqValue  # noqa: E402

LIBRARIES = ("mmdet", "mmseg", "mmpretrain", "mmyolo")


def inspected(ctx: ConfigContext) -> set[str]:
    """The rules that could give a verdict on this config."""
    found: set[str] = set()
    if ctx.heads and ctx.counts:
        found.add("IL301")
    group = ctx.heads + (assigners(ctx.model) if ctx.library == "mmyolo" else [])
    if len(group) >= 2:
        found.add("IL302")
    metainfos = list(_metainfos(ctx))
    if metainfos:
        found.add("IL303")
    if any(ctx.dataset_metainfo(ref) is not None for ref, _ in metainfos):
        found.add("IL304")
    if any(isinstance(meta.get("palette"), SeqValue) for _, meta in metainfos):
        found.add("IL305")
    if ctx.heads and any(v in ctx.keys.entries for v in CLASS_VARIABLES):
        found.add("IL306")
    if any(
        r.path in HEAD_LISTS and any(isinstance(i, DictValue) for i in r.base.items)
        for r in ctx.loaded.replaced
    ):
        found.add("IL207")
    load_from = ctx.keys.get("load_from")
    if isinstance(load_from, Scalar) and isinstance(load_from.value, str) and load_from.value:
        found |= {"IL311", "IL013 (load_from)"}
    if ResumeFromIgnored.mmengine_era(ctx):
        found.add("IL312")
    resume = ctx.keys.get("resume")
    if isinstance(resume, Scalar) and resume.value is True:
        found.add("IL313")
    if any(len(p.owner_path) > 1 and p.checkpoint is not None for p in _pretrained(ctx)):
        found.add("IL314")
    backbone = ctx.model.get("backbone") if ctx.model is not None else None
    if isinstance(backbone, DictValue) and isinstance(backbone.get("frozen_stages"), Scalar):
        found.add("IL315")
    if ctx.model is not None and _has_pretrained(ctx.model):
        found.add("IL201")
    return found


def _has_pretrained(node: object) -> bool:
    if isinstance(node, DictValue):
        return "pretrained" in node.entries or any(
            _has_pretrained(e.value) for e in node.entries.values()
        )
    if isinstance(node, SeqValue):
        return any(_has_pretrained(i) for i in node.items)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--release", action="append", choices=LIBRARIES)
    parser.add_argument("--flagged", action="store_true", help="list what each rule flags")
    args = parser.parse_args()
    roots = {lib: corpus.unpacked(lib) for lib in LIBRARIES}
    config_rules = [
        r
        for r in rules().values()
        if type(r).check_config is not type(rules()["IL001"]).check_config
    ]
    for lib in args.release or LIBRARIES:
        used = {"mmdet": roots["mmdet"], lib: roots[lib]}
        engine = Engine(ConfigLoader(used), ProjectIndex(packages=used))
        folder = roots[lib] / ".mim" / "configs"
        configs = sorted(
            p for p in folder.rglob("*.py") if "_base_" not in p.relative_to(folder).parts
        )
        seen: Counter[str] = Counter()
        flagged: Counter[str] = Counter()
        shown: list[str] = []
        start = time.perf_counter()
        for path in configs:
            loaded = engine.loader.load(path)
            if not loaded.readable:
                continue
            seen["configs"] += 1
            ctx = ConfigContext(loaded, engine.classes)
            seen.update(inspected(ctx))
            for rule in config_rules:
                found = list(rule.check_config(ctx))
                if found:
                    flagged[rule.code] += 1
                    shown += [
                        f"  {path.relative_to(folder)}: {f.code} {f.message[:160]}" for f in found
                    ]
        seconds = time.perf_counter() - start
        print(f"{lib}: {seen['configs']} configs in {seconds:.1f}s")
        for code in sorted(set(seen) - {"configs"}):
            print(f"  {code}: inspected {seen[code]}, flagged {flagged[code.split()[0]]}")
        if args.flagged:
            print("\n".join(shown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
