"""`initlint inspect CONFIG...`: every init_cfg of the merged config, with the place that wrote
each of its keys. How a user understands a diagnostic, and how we check the merge."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, TextIO

from .config.loader import ConfigLoader, LoadedConfig
from .config.sites import InitCfgSite, init_cfg_sites
from .project.index import External
from .project.source import ClassFacts
from .values import ClassRef, DictValue, Node, Scalar, SeqValue, Span, to_python

if TYPE_CHECKING:
    from .engine import Engine


def _where(span: Optional[Span]) -> Optional[str]:
    return f"{span.file}:{span.row}:{span.column}" if span else None


def provenance(node: Node, prefix: str = "") -> Iterator[tuple[str, Optional[str]]]:
    """(key path, file:row:col) for every key and list item of a value, outermost first."""
    if isinstance(node, DictValue):
        for key, entry in node.entries.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            yield path, _where(entry.key_span or entry.value.span)
            yield from provenance(entry.value, path)
    elif isinstance(node, SeqValue):
        for i, item in enumerate(node.items):
            path = f"{prefix}[{i}]"
            yield path, _where(item.span)
            yield from provenance(item, path)


def _owner(node: Optional[Node]) -> Optional[str]:
    if isinstance(node, Scalar) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ClassRef):
        return node.qualname
    return None


def _receiver(engine: Optional[Engine], site: InitCfgSite, scope: Optional[str]) -> Optional[str]:
    """The class that receives the init_cfg, where the index finds it."""
    if engine is None:
        return None
    found = engine._config_receiver(site.owner_type, scope)
    if isinstance(found, ClassFacts):
        row = f":{found.span.row}" if found.span is not None else ""
        return f"{found.module}.{found.name} ({found.file}{row})"
    return found.qualname if isinstance(found, External) else None


def describe(loaded: LoadedConfig, engine: Optional[Engine] = None) -> dict[str, Any]:
    scope = loaded.default_scope
    return {
        "config": loaded.name,
        "lazy": loaded.lazy,
        "init_cfgs": [
            {
                "config_path": site.config_path,
                "owner_type": _owner(site.owner_type),
                "receiver": _receiver(engine, site, scope),
                "value": to_python(site.value),
                "written_at": _where(site.value.span),
                "provenance": dict(provenance(site.value)),
            }
            for site in init_cfg_sites(loaded.keys)
        ],
        "problems": [
            {"code": p.code, "message": p.message, "at": _where(p.span)} for p in loaded.problems
        ],
        # `_base_` entries that could not be followed: what they add is unknown.
        "unresolved": [
            {"written": u.written, "at": u.where, "reason": u.reason, "package": u.package}
            for u in loaded.unresolved
        ],
        "notes": loaded.notes,
    }


def inspect_configs(
    paths: Iterable[Path],
    config_roots: Optional[dict[str, Path]] = None,
    source_roots: Iterable[Path] = (),
) -> list[dict[str, Any]]:
    """What `inspect` shows of each config; `config_roots` and `source_roots` as `check`
    takes them (the packages of `pkg::` bases, the folders of the classes configs name)."""
    from .engine import Engine
    from .project.index import ProjectIndex

    roots = dict(config_roots or {})
    loader = ConfigLoader(roots)
    engine = Engine(loader, ProjectIndex(list(source_roots), packages=roots))
    return [describe(loader.load(path), engine) for path in paths]


def write_inspect(reports: list[dict[str, Any]], output_format: str, out: TextIO) -> None:
    if output_format == "json":
        json.dump(reports, out, indent=2, default=repr)
        out.write("\n")
        return
    for report in reports:
        out.write(f"{report['config']}\n")
        if not report["init_cfgs"]:
            out.write("  (no init_cfg)\n")
        for site in report["init_cfgs"]:
            owner = f"  (type={site['owner_type']})" if site["owner_type"] else ""
            receiver = f" -> {site['receiver']}" if site.get("receiver") else ""
            out.write(f"  {site['config_path']}{owner}{receiver}\n")
            out.write(f"    {json.dumps(site['value'], default=repr)}\n")
            width = max((len(k) for k in site["provenance"]), default=0)
            for key, where in site["provenance"].items():
                out.write(f"    {key.ljust(width)}  {where or '(from Python)'}\n")
        for problem in report["problems"]:
            out.write(f"  {problem['at']}: {problem['code']} {problem['message']}\n")
        for base in report["unresolved"]:
            package = base["package"]
            hint = f"; install {package}, or pass --config-root {package}=FOLDER" if package else ""
            written = f" {base['written']!r}" if base["written"] else " entry"
            out.write(
                f"  {base['at']}: `_base_`{written} not followed: {base['reason']}{hint} "
                "(what it adds is unknown)\n"
            )
        out.write("\n")
