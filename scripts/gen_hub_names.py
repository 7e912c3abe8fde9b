"""Generate initlint/data/hub_names.json from the installed mmengine's hub/*.json.

The checkpoint names `open-mmlab://`, `mmcls://` and `torchvision://` accept, and the
deprecated aliases, as MMEngine ships them (grammar.md §13). Only the names are kept.

    python scripts/gen_hub_names.py            # rewrite the data file
    python scripts/gen_hub_names.py --check    # exit 1 if the file is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "initlint" / "data" / "hub_names.json"


def generate() -> dict[str, Any]:
    import importlib.util

    spec = importlib.util.find_spec("mmengine")
    assert spec is not None and spec.origin is not None, "mmengine is not installed"
    hub = Path(spec.origin).parent / "hub"

    def load(name: str) -> Any:
        return json.loads((hub / name).read_text(encoding="utf-8"))

    return {
        "openmmlab": sorted(load("openmmlab.json")),
        "mmcls": sorted(load("mmcls.json")),
        "torchvision": sorted(load("torchvision_0.12.json")),
        "deprecated": dict(sorted(load("deprecated.json").items())),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    data = generate()
    if args.check:
        if json.loads(DATA.read_text(encoding="utf-8")) != data:
            print(f"{DATA} is out of date; run {sys.argv[0]}", file=sys.stderr)
            return 1
        return 0
    DATA.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {DATA}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
