"""Notes: what a run could not see, said beside the diagnostics (nothing known may silently
vanish). Today one kind: configs whose `_base_` files could not be resolved, so their init_cfg
values are partly unknown and their checks incomplete.

Where a note goes, so that no consumer of the diagnostics breaks: the text formats print it
under the summary line; `json-report` (opt-in) holds it in `notes`; SARIF in
`invocations[0].toolExecutionNotifications`; every other format leaves its output as it was
and the command line says it on standard error (`initlint: note: ...`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

from ..findings import UnresolvedBase


@dataclass(frozen=True)
class Note:
    kind: str  # "unresolved-bases"
    message: str  # one line, as the text formats print it
    configs: tuple[str, ...] = ()  # the configs it is about, as shown
    package: Optional[str] = None  # the package that is missing, if that is the cause
    hint: Optional[str] = None  # what to do
    # Where the unresolved `_base_` entries are written (file:row:col), one per config.
    where: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "message": self.message,
            "count": len(self.configs),
            "configs": list(self.configs),
            "package": self.package,
            "hint": self.hint,
            "where": list(self.where),
        }


def unresolved_notes(unresolved: Mapping[str, Sequence[UnresolvedBase]]) -> list[Note]:
    """One note per cause (a missing package; anything else) over the configs (as shown)
    that could not be fully resolved."""
    by_package: dict[Optional[str], dict[str, str]] = {}
    for config, entries in sorted(unresolved.items()):
        if not entries:
            continue
        first = entries[0]
        packages = [e for e in entries if e.package]
        chosen = packages[0] if packages else first
        by_package.setdefault(chosen.package, {})[config] = chosen.where
    notes = []
    for package, configs in sorted(by_package.items(), key=lambda item: item[0] or "~"):
        count = len(configs)
        what = (
            f"{count} config{'s' if count != 1 else ''} could not be fully resolved "
            f"({'their' if count != 1 else 'its'} init_cfg checks are incomplete)"
        )
        if package:
            hint = f"install {package}, or pass --config-root {package}=FOLDER"
            message = (
                f"{what}: {'they inherit' if count != 1 else 'it inherits'} from "
                f"package '{package}', which is neither installed nor given; {hint}"
            )
        else:
            hint = "run with -v to see each `_base_` entry initlint could not follow"
            message = f"{what}: a `_base_` entry or import initlint cannot follow"
        notes.append(
            Note(
                "unresolved-bases",
                message + " (-v names them)",
                tuple(configs),
                package,
                hint,
                tuple(configs.values()),
            )
        )
    return notes
