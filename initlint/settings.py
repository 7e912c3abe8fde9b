"""Settings: `[tool.initlint]` in pyproject.toml or the top-level table of initlint.toml.

For each file the nearest settings file up its folder tree wins (initlint.toml over
pyproject.toml in the same folder; a pyproject.toml without `[tool.initlint]` does not count);
options on the command line win over every file. Rule selection follows ruff: `select`
replaces the rules of the layer below (the defaults: every rule not opt-in, then the settings file,
then the command line), `extend-select` adds, `ignore` removes, and within one layer the more
specific selector wins (`select = ["IL1"]` with `ignore = ["IL101"]` drops IL101, `select =
["IL101"]` with `ignore = ["IL1"]` keeps it). Paths in a settings file are relative to its
folder; paths on the command line to the working directory.

Opt-in rules (IL311) are not selected by `ALL` or `IL`, the default selection included: only
their own code or a longer prefix selects them (`IL311`, `IL31`, `IL3`), as ruff's preview
rules need selecting. Ignoring works on them as on any rule.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Optional, cast

from .catalog import rules
from .diagnostics import SEVERITIES, Diagnostic
from .discover import (
    DEFAULT_EXCLUDES,
    BadPattern,
    FilePattern,
    PatternSet,
    absolute,
    display_path,
    path_or_parent_matches,
)
from .findings import Severity
from .fix.plan import Applicability
from .limits import MAX_FILE_BYTES
from .read import read_regular
from .suggest import did_you_mean, hint
from .target import SETTINGS as TARGET_SETTINGS

SETTINGS_FILES = ("initlint.toml", "pyproject.toml")  # in the same folder, the first wins
DEFAULT_OUTPUT_FORMAT = "concise"
SELECTOR = re.compile(r"ALL|IL\d{0,3}")

_toml = importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "tomli")


class SettingsError(Exception):
    """Bad settings (a settings file or a command-line option): one line, exit 2."""


# ---------------------------------------------------------------------------------------------
# Rule selectors


def rule_codes() -> list[str]:
    return sorted(rules())


def check_selector(selector: str) -> Optional[str]:
    """None when `selector` (`ALL`, `IL`, `IL1`, `IL10`, `IL101`) names at least one rule;
    otherwise why not, with a did-you-mean."""
    codes = rule_codes()
    if SELECTOR.fullmatch(selector) and any(c.startswith(selector) for c in codes + ["ALL"]):
        return None
    suggestion = hint(did_you_mean(selector, codes + ["ALL"]))
    if re.fullmatch(r"IL\d{1,2}", selector):
        return f"no rule code starts with '{selector}'"
    if re.fullmatch(r"IL\d{3}", selector):
        return f"unknown rule code '{selector}'{suggestion}"
    return (
        f"unknown rule selector '{selector}' (a code such as IL101, a prefix such as "
        f"IL1, or ALL){suggestion}"
    )


def expand(selector: str, enabling: bool = False) -> list[str]:
    """The rule codes a selector names; `enabling` (a select, not an ignore): without the
    opt-in rules unless it is more specific than `IL`."""
    codes = rule_codes()
    found = codes if selector == "ALL" else [c for c in codes if c.startswith(selector)]
    if enabling and selector in ("ALL", "IL"):
        opt_in = {code for code, rule in rules().items() if rule.opt_in}
        found = [c for c in found if c not in opt_in]
    return found


def specificity(selector: str) -> int:
    return 0 if selector == "ALL" else len(selector) - 1


@dataclass(frozen=True)
class RuleLayer:
    """One layer of rule selection: the defaults, a settings file or the command line."""

    select: Optional[tuple[str, ...]] = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


def resolve_rules(layers: Iterable[RuleLayer]) -> frozenset[str]:
    """The selected rule codes, as ruff resolves `select`/`extend-select`/`ignore`."""
    selected: set[str] = set()
    carried: tuple[str, ...] = ()
    for layer in layers:
        ignores = layer.ignore + carried
        carried = ()
        enabling = (layer.select or ()) + layer.extend_select
        updates: dict[str, bool] = {}
        for level in range(5):
            for selector in enabling:
                if specificity(selector) == level:
                    updates.update(dict.fromkeys(expand(selector, enabling=True), True))
            for selector in ignores:
                if specificity(selector) == level:
                    updates.update(dict.fromkeys(expand(selector), False))
        if layer.select is not None:
            selected = {code for code, on in updates.items() if on}
            if not layer.select and not layer.extend_select and layer.ignore:
                carried = layer.ignore
        else:
            for code, on in updates.items():
                if on:
                    selected.add(code)
                else:
                    selected.discard(code)
    return frozenset(selected)


def by_specificity(table: Iterable[tuple[str, str]]) -> dict[str, str]:
    """A table keyed by selectors (`IL1 = "error"`, `IL101 = "info"`) as one value per rule
    code; the more specific selector wins."""
    resolved: dict[str, str] = {}
    for selector, value in sorted(table, key=lambda item: specificity(item[0])):
        resolved.update(dict.fromkeys(expand(selector), value))
    return resolved


# ---------------------------------------------------------------------------------------------
# One layer of options


@dataclass(frozen=True)
class PerFileIgnore:
    """`"tests/**" = ["IL101"]`: the rules ignored in the files a glob matches (`!glob`: in
    the files it does not match)."""

    pattern: FilePattern
    codes: tuple[str, ...]
    negated: bool = False

    def applies(self, path: Path) -> bool:
        matched = path_or_parent_matches(path, [self.pattern], self.pattern.root)
        return matched != self.negated

    def __str__(self) -> str:
        return f"{'!' if self.negated else ''}{self.pattern.text}"


@dataclass(frozen=True)
class Options:
    """The options of one settings file, or of the command line."""

    source: str  # what error messages name: "pyproject.toml", "the command line"
    root: Path  # what relative paths are relative to
    file: Optional[Path] = None  # the settings file
    select: Optional[tuple[str, ...]] = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: Optional[tuple[PerFileIgnore, ...]] = None
    extend_per_file_ignores: tuple[PerFileIgnore, ...] = ()
    exclude: Optional[tuple[FilePattern, ...]] = None
    extend_exclude: tuple[FilePattern, ...] = ()
    force_exclude: Optional[bool] = None
    output_format: Optional[str] = None
    exit_zero: Optional[bool] = None
    severity: tuple[tuple[str, str], ...] = ()
    # Fixing: whether to (`fix`), with unsafe fixes too, listing what was fixed; which rules'
    # fixes apply, and rules whose fixes count as safe or unsafe whatever the rule says.
    fix: Optional[bool] = None
    unsafe_fixes: Optional[bool] = None
    show_fixes: Optional[bool] = None
    fixable: Optional[tuple[str, ...]] = None
    unfixable: tuple[str, ...] = ()
    extend_safe_fixes: tuple[str, ...] = ()
    extend_unsafe_fixes: tuple[str, ...] = ()
    # Where classes that configs name live (more source folders), and where `pkg::` bases
    # and a package's classes are when it is not installed (package -> its folder).
    source_roots: tuple[Path, ...] = ()
    config_roots: tuple[tuple[str, Path], ...] = ()
    target: Optional[str] = None  # "auto", "mmengine" or "mmcv1" (target.py)

    @property
    def rules(self) -> RuleLayer:
        return RuleLayer(self.select, self.extend_select, self.ignore)


def _output_formats() -> list[str]:
    from .report import FORMATS

    return sorted(FORMATS)


class _Reader:
    """Turns raw values (TOML or command line) into typed options, or one-line errors."""

    def __init__(self, source: str, root: Path, where: str) -> None:
        self.source = source
        self.root = root
        self.where = where  # "[tool.initlint]"; "" for initlint.toml and the command line

    def error(self, key: str, problem: str) -> SettingsError:
        where = f" {self.where}" if self.where else ""
        return SettingsError(f"{self.source}:{where} {key}: {problem}")

    def strings(self, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, f"must be a list of strings, got {_show(value)}")
        return tuple(value)

    def selectors(self, key: str, value: Any) -> tuple[str, ...]:
        items = self.strings(key, value)
        for item in items:
            problem = check_selector(item)
            if problem:
                raise self.error(key, problem)
        return items

    def patterns(self, key: str, value: Any) -> tuple[FilePattern, ...]:
        return tuple(self.pattern(key, item) for item in self.strings(key, value))

    def pattern(self, key: str, text: str) -> FilePattern:
        if not text.strip():
            raise self.error(key, "an empty pattern")
        try:
            return FilePattern(text, self.root)
        except BadPattern as exc:
            raise self.error(key, str(exc)) from None

    def folders(self, key: str, value: Any) -> tuple[Path, ...]:
        """Folders, relative to the settings file (or the working directory); they must
        exist."""
        out = []
        for text in self.strings(key, value):
            if "\0" in text:
                raise self.error(key, f"{text!r} holds a NUL character")
            try:
                folder = (self.root / text).resolve()
                is_dir = os.path.isdir(folder)
            except (OSError, RuntimeError, ValueError) as exc:  # too long, a symlink loop
                raise self.error(
                    key, f"'{text}' cannot be used: {getattr(exc, 'strerror', None) or exc}"
                ) from None
            if not is_dir:
                raise self.error(key, f"'{text}' is not a folder")
            out.append(folder)
        return tuple(out)

    def package_folders(self, key: str, value: Any) -> tuple[tuple[str, Path], ...]:
        """A table `package = "folder"` (the folder holding the package's .mim/configs)."""
        if isinstance(value, (list, tuple)):  # from the command line: ["mmdet=path", ...]
            pairs = []
            for item in self.strings(key, list(value)):
                package, sep, folder = item.partition("=")
                if not sep or not package.isidentifier():
                    raise self.error(key, f"must be PACKAGE=FOLDER, got '{item}'")
                pairs.append((package, folder))
        elif isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            pairs = list(value.items())
        else:
            raise self.error(key, f'must be a table of package = "folder", got {_show(value)}')
        return tuple(
            (package, folder)
            for package, folder in zip(
                (p for p, _ in pairs), self.folders(key, [f for _, f in pairs])
            )
        )

    def boolean(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, got {_show(value)}")
        return value

    def output_format(self, key: str, value: Any) -> str:
        formats = _output_formats()
        if not isinstance(value, str) or value not in formats:
            suggestion = did_you_mean(value, formats) if isinstance(value, str) else None
            raise self.error(
                key,
                f"unknown output format {_show(value)} (one of "
                f"{', '.join(formats)}){hint(suggestion)}",
            )
        return value

    def target(self, key: str, value: Any) -> str:
        if not isinstance(value, str) or value not in TARGET_SETTINGS:
            suggestion = did_you_mean(value, TARGET_SETTINGS) if isinstance(value, str) else None
            raise self.error(
                key,
                f"unknown target {_show(value)} (one of "
                f"{', '.join(TARGET_SETTINGS)}){hint(suggestion)}",
            )
        return value

    def per_file_ignores(self, key: str, value: Any) -> tuple[PerFileIgnore, ...]:
        if not isinstance(value, dict):
            raise self.error(key, f'must be a table of glob = ["IL101", ...], got {_show(value)}')
        return tuple(
            self.per_file_ignore(f"{key}.{_quote(glob)}", glob, codes)
            for glob, codes in value.items()
        )

    def per_file_ignore(self, key: str, glob: str, codes: Any) -> PerFileIgnore:
        negated = glob.startswith("!")
        return PerFileIgnore(
            self.pattern(key, glob[1:] if negated else glob), self.selectors(key, codes), negated
        )

    def severity(self, key: str, value: Any) -> tuple[tuple[str, str], ...]:
        if not isinstance(value, dict):
            raise self.error(key, f'must be a table of IL101 = "error", got {_show(value)}')
        table = []
        for selector, severity in value.items():
            problem = check_selector(selector)
            if problem:
                raise self.error(f"{key}.{_quote(selector)}", problem)
            if severity not in SEVERITIES:
                suggestion = (
                    did_you_mean(severity, SEVERITIES) if isinstance(severity, str) else None
                )
                raise self.error(
                    f"{key}.{selector}",
                    f"unknown severity {_show(severity)} "
                    f"(one of {', '.join(SEVERITIES)}){hint(suggestion)}",
                )
            table.append((selector, severity))
        return tuple(table)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    return repr(value)


def _quote(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else f'"{key}"'


# The keys of a settings file, and the `Options` field each one fills.
KEYS = {
    "select": "select",
    "extend-select": "extend_select",
    "ignore": "ignore",
    "per-file-ignores": "per_file_ignores",
    "extend-per-file-ignores": "extend_per_file_ignores",
    "exclude": "exclude",
    "extend-exclude": "extend_exclude",
    "force-exclude": "force_exclude",
    "output-format": "output_format",
    "exit-zero": "exit_zero",
    "severity": "severity",
    "source-roots": "source_roots",
    "config-roots": "config_roots",
    "target": "target",
    "fix": "fix",
    "unsafe-fixes": "unsafe_fixes",
    "show-fixes": "show_fixes",
    "fixable": "fixable",
    "unfixable": "unfixable",
    "extend-safe-fixes": "extend_safe_fixes",
    "extend-unsafe-fixes": "extend_unsafe_fixes",
}
SELECTOR_KEYS = (
    "select",
    "extend_select",
    "ignore",
    "fixable",
    "unfixable",
    "extend_safe_fixes",
    "extend_unsafe_fixes",
)
BOOLEAN_KEYS = ("force_exclude", "exit_zero", "fix", "unsafe_fixes", "show_fixes")


def options_from_table(
    table: Mapping[str, Any], source: str, root: Path, where: str, file: Optional[Path] = None
) -> Options:
    """The options of one settings table; SettingsError on an unknown key or a bad value."""
    reader = _Reader(source, root, where)
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in KEYS:
            suggestion = did_you_mean(key, KEYS)
            inside = f" in {where}" if where else ""
            raise SettingsError(f"{source}: unknown key '{key}'{inside}{hint(suggestion)}")
        name = KEYS[key]
        if name in SELECTOR_KEYS:
            values[name] = reader.selectors(key, value)
        elif name in ("per_file_ignores", "extend_per_file_ignores"):
            values[name] = reader.per_file_ignores(key, value)
        elif name in ("exclude", "extend_exclude"):
            values[name] = reader.patterns(key, value)
        elif name in BOOLEAN_KEYS:
            values[name] = reader.boolean(key, value)
        elif name == "output_format":
            values[name] = reader.output_format(key, value)
        elif name == "source_roots":
            values[name] = reader.folders(key, value)
        elif name == "config_roots":
            values[name] = reader.package_folders(key, value)
        elif name == "target":
            values[name] = reader.target(key, value)
        else:
            values[name] = reader.severity(key, value)
    return Options(source=source, root=root, file=file, **values)


def parse_toml(text: str) -> dict[str, Any]:
    try:
        data: dict[str, Any] = _toml.loads(text)
    except RecursionError:  # arrays or tables nested thousands deep
        raise ValueError("nested too deeply") from None
    return data


def read_settings_file(path: Path) -> Optional[Options]:
    """The options in `path` (initlint.toml or pyproject.toml); None for a pyproject.toml
    without `[tool.initlint]`."""
    source = display_path(path)
    raw, why = read_regular(path)  # a FIFO would block, /dev/zero never end: not opened
    if raw is None:
        if why.startswith("too large: "):
            why = f"{int(why.split(': ')[1]):,} bytes, beyond the {MAX_FILE_BYTES:,} read"
        elif why.startswith("a ") or why == "not a regular file":
            why = f"{why}, not a regular file"
        raise SettingsError(f"cannot read {source}: {why}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SettingsError(
            f"{source}: not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"
        ) from None
    try:
        data = parse_toml(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError
        message = " ".join(str(exc).split())
        raise SettingsError(f"{source}: invalid TOML: {message}") from None
    root = absolute(path.parent)
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        table = tool.get("initlint") if isinstance(tool, dict) else None
        if table is None:
            return None
        if not isinstance(table, dict):
            raise SettingsError(f"{source}: tool.initlint must be a table")
        return options_from_table(table, source, root, "[tool.initlint]", absolute(path))
    return options_from_table(data, source, root, "", absolute(path))


def cli_options(
    root: Path,
    *,
    select: Optional[Sequence[str]] = None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    per_file_ignores: Optional[Sequence[str]] = None,
    extend_per_file_ignores: Sequence[str] = (),
    exclude: Optional[Sequence[str]] = None,
    extend_exclude: Sequence[str] = (),
    force_exclude: Optional[bool] = None,
    output_format: Optional[str] = None,
    exit_zero: Optional[bool] = None,
    source_roots: Sequence[str] = (),
    config_roots: Sequence[str] = (),
    fix: Optional[bool] = None,
    unsafe_fixes: Optional[bool] = None,
    show_fixes: Optional[bool] = None,
    fixable: Optional[Sequence[str]] = None,
    unfixable: Sequence[str] = (),
    target: Optional[str] = None,
) -> Options:
    """The options given on the command line (each list option repeatable and
    comma-separated, as ruff's); SettingsError names the option."""

    def reader(option: str) -> _Reader:
        return _CliReader(option, root)

    def split(values: Sequence[str]) -> list[str]:
        return [item.strip() for value in values for item in value.split(",") if item.strip()]

    values: dict[str, Any] = {}
    for name, option, raw in (
        ("select", "--select", select),
        ("extend_select", "--extend-select", extend_select),
        ("ignore", "--ignore", ignore),
        ("fixable", "--fixable", fixable),
        ("unfixable", "--unfixable", unfixable),
    ):
        if raw is not None:
            values[name] = reader(option).selectors(option, split(raw))
    for name, option, raw in (
        ("per_file_ignores", "--per-file-ignores", per_file_ignores),
        ("extend_per_file_ignores", "--extend-per-file-ignores", extend_per_file_ignores),
    ):
        if raw is not None:
            values[name] = _cli_per_file_ignores(reader(option), option, raw)
    for name, option, raw in (
        ("exclude", "--exclude", exclude),
        ("extend_exclude", "--extend-exclude", extend_exclude),
    ):
        if raw is not None:
            values[name] = tuple(reader(option).pattern(option, p) for p in split(raw))
    if source_roots:
        values["source_roots"] = reader("--source-root").folders(
            "--source-root", list(source_roots)
        )
    if config_roots:
        values["config_roots"] = reader("--config-root").package_folders(
            "--config-root", list(config_roots)
        )
    if target is not None:
        values["target"] = reader("--target").target("--target", target)
    return Options(
        source="the command line",
        root=root,
        force_exclude=force_exclude,
        output_format=output_format,
        exit_zero=exit_zero,
        fix=fix,
        unsafe_fixes=unsafe_fixes,
        show_fixes=show_fixes,
        **values,
    )


class _CliReader(_Reader):
    def __init__(self, option: str, root: Path) -> None:
        super().__init__("the command line", root, "")
        self.option = option

    def error(self, key: str, problem: str) -> SettingsError:
        return SettingsError(f"invalid value for '{self.option}': {problem}")


def _cli_per_file_ignores(
    reader: _Reader, option: str, values: Sequence[str]
) -> tuple[PerFileIgnore, ...]:
    """`GLOB:CODE` pairs, comma-separated or repeated (ruff's form); a comma-separated item
    without `:` adds a code to the glob before it (`tests/*:IL101,IL004`)."""
    pairs: list[tuple[str, list[str]]] = []
    for value in values:
        for item in (i.strip() for i in value.split(",")):
            if not item:
                continue
            if ":" in item:
                glob, code = (part.strip() for part in item.rsplit(":", 1))
                if not glob:
                    raise reader.error(option, f"'{item}' has no file pattern before ':'")
                pairs.append((glob, [code] if code else []))
            elif pairs:
                pairs[-1][1].append(item)
            else:
                raise reader.error(
                    option, f"expected GLOB:CODES such as 'tests/*:IL101', got '{item}'"
                )
    result = []
    for glob, codes in pairs:
        if not codes:
            raise reader.error(option, f"no rule code after '{glob}:'")
        result.append(reader.per_file_ignore(option, glob, codes))
    return tuple(result)


# ---------------------------------------------------------------------------------------------
# Resolved settings


@dataclass(frozen=True)
class Settings:
    """The settings that apply in one folder: its nearest settings file under the command
    line."""

    file: Optional[Path]
    root: Path
    rules: frozenset[str]
    per_file_ignores: tuple[PerFileIgnore, ...]
    exclude: tuple[FilePattern, ...]
    extend_exclude: tuple[FilePattern, ...]
    force_exclude: bool
    output_format: str
    exit_zero: bool
    severity: Mapping[str, str] = field(default_factory=dict)
    source_roots: tuple[Path, ...] = ()
    config_roots: Mapping[str, Path] = field(default_factory=dict)
    target: str = "auto"
    fix: bool = False
    unsafe_fixes: bool = False
    show_fixes: bool = False
    fixable: frozenset[str] = frozenset()
    # Rule code -> "safe" or "unsafe": extend-safe-fixes / extend-unsafe-fixes.
    fix_safety: Mapping[str, str] = field(default_factory=dict)

    def rules_for(self, path: Path) -> frozenset[str]:
        """The rules that run on the file `path` (absolute): `rules` less its per-file
        ignores."""
        ignored = [
            selector
            for entry in self.per_file_ignores
            if entry.applies(path)
            for selector in entry.codes
        ]
        if not ignored:
            return self.rules
        return self.rules - {code for selector in ignored for code in expand(selector)}

    @cached_property
    def _excluded(self) -> PatternSet:
        return PatternSet((*self.exclude, *self.extend_exclude))

    def excludes_name(self, folder: Path, name: str) -> bool:
        """Whether `folder / name` (`folder` absolute) itself is excluded."""
        return self._excluded.matches_name(folder, name)


def merge(options: Optional[Options], cli: Options, default_root: Path) -> Settings:
    """One settings file's options (None: no file) under the command line's."""
    base = options or Options(source="defaults", root=default_root)
    layers = [RuleLayer(select=("ALL",)), base.rules, cli.rules]
    per_file = (
        cli.per_file_ignores if cli.per_file_ignores is not None else base.per_file_ignores or ()
    )
    exclude = cli.exclude if cli.exclude is not None else base.exclude
    if exclude is None:
        exclude = tuple(FilePattern(name, base.root) for name in sorted(DEFAULT_EXCLUDES))

    def pick(name: str, default: Any) -> Any:
        for layer in (cli, base):
            value = getattr(layer, name)
            if value is not None:
                return value
        return default

    return Settings(
        file=base.file,
        root=base.root,
        rules=resolve_rules(layers),
        per_file_ignores=per_file + base.extend_per_file_ignores + cli.extend_per_file_ignores,
        exclude=exclude,
        extend_exclude=base.extend_exclude + cli.extend_exclude,
        force_exclude=pick("force_exclude", False),
        output_format=pick("output_format", DEFAULT_OUTPUT_FORMAT),
        exit_zero=pick("exit_zero", False),
        severity=by_specificity(base.severity),
        source_roots=tuple(dict.fromkeys(base.source_roots + cli.source_roots)),
        config_roots={**dict(base.config_roots), **dict(cli.config_roots)},
        target=pick("target", "auto"),
        fix=pick("fix", False),
        unsafe_fixes=pick("unsafe_fixes", False),
        show_fixes=pick("show_fixes", False),
        fixable=resolve_rules(
            [
                RuleLayer(select=_every(("ALL",))),
                RuleLayer(_every(base.fixable), ignore=base.unfixable),
                RuleLayer(_every(cli.fixable), ignore=cli.unfixable),
            ]
        ),
        fix_safety=by_specificity(
            [(selector, "safe") for selector in base.extend_safe_fixes + cli.extend_safe_fixes]
            + [
                (selector, "unsafe")
                for selector in base.extend_unsafe_fixes + cli.extend_unsafe_fixes
            ]
        ),
    )


def _every(selectors: Optional[tuple[str, ...]]) -> Optional[tuple[str, ...]]:
    """`ALL` and `IL` as every code, the opt-in rules' too: fixable is not selected."""
    if selectors is None:
        return None
    return tuple(
        code
        for selector in selectors
        for code in (rule_codes() if selector in ("ALL", "IL") else [selector])
    )


class Resolver:
    """Finds and caches the settings of each folder: the nearest settings file up the tree,
    under the command-line options. Implements discover.Excluder."""

    def __init__(self, cli: Options, cwd: Optional[Path] = None) -> None:
        self.cli = cli
        self.cwd = absolute(cwd or Path.cwd())
        self._files: dict[Path, Optional[Options]] = {}  # folder -> the options found there
        self._settings: dict[Optional[Path], Settings] = {}  # settings file -> settings
        self._folders: dict[Path, Settings] = {}  # folder -> its settings
        self._nearest: dict[Path, Optional[Options]] = {}  # folder -> nearest file's options

    # Finding settings files -------------------------------------------------------------

    def _own_options(self, folder: Path) -> Optional[Options]:
        if folder not in self._files:
            found = None
            for name in SETTINGS_FILES:
                candidate = folder / name
                if os.path.exists(candidate):  # a folder or an unreadable file: an error
                    found = read_settings_file(candidate)
                    if found is not None:
                        break
            self._files[folder] = found
        return self._files[folder]

    def options_for_folder(self, folder: Path) -> Optional[Options]:
        """The options of the nearest settings file at or above `folder` (absolute)."""
        if folder not in self._nearest:
            options = self._own_options(folder)
            if options is None and folder.parent != folder:
                options = self.options_for_folder(folder.parent)
            self._nearest[folder] = options
        return self._nearest[folder]

    def for_folder(self, folder: Path) -> Settings:
        """The settings of the files in `folder` (absolute)."""
        found = self._folders.get(folder)
        if found is None:
            options = self.options_for_folder(folder)
            key = options.file if options is not None else None
            if key not in self._settings:
                self._settings[key] = merge(options, self.cli, self.cwd)
            found = self._folders[folder] = self._settings[key]
        return found

    def for_file(self, path: Path) -> Settings:
        """The settings of the file `path` (relative to the working directory, or absolute)."""
        return self.for_folder(absolute(path).parent)

    @property
    def top(self) -> Settings:
        """The settings of the working directory: they decide what applies to the whole run
        (output format, exit-zero, force-exclude), as ruff's do."""
        return self.for_folder(self.cwd)

    @property
    def files_read(self) -> list[Path]:
        return sorted(o.file for o in self._files.values() if o is not None and o.file)

    # discover.Excluder ------------------------------------------------------------------

    def is_excluded_name(self, folder: Path, name: str) -> bool:
        return self.for_folder(folder).excludes_name(folder, name)

    def is_path_excluded(self, path: Path) -> bool:
        settings = self.for_folder(path if path.is_dir() else path.parent)
        return path_or_parent_matches(
            path, (*settings.exclude, *settings.extend_exclude), settings.root
        )

    # Rules ----------------------------------------------------------------------------

    def is_selected(self, filename: str, code: str) -> bool:
        """Whether rule `code` runs on the file named `filename` (as diagnostics name it)."""
        path = absolute(Path(filename))
        return code in self.for_folder(path.parent).rules_for(path)

    def apply(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """The diagnostics of the selected rules, with the severities the settings give, and
        their fixes as the settings have them: none for an unfixable rule, and the safety
        extend-safe-fixes / extend-unsafe-fixes give (a display-only fix stays one)."""
        kept = []
        for diagnostic in diagnostics:
            path = absolute(Path(diagnostic.filename or "-"))
            settings = self.for_folder(path.parent)
            code = diagnostic.code
            if code not in settings.rules_for(path) and code != "IL905":
                continue  # an internal error is always shown: it makes the run exit 2
            severity = settings.severity.get(code)
            if severity is not None and severity != diagnostic.severity:
                diagnostic = dataclasses.replace(diagnostic, severity=cast(Severity, severity))
            fix = diagnostic.fix
            if fix is not None and code not in settings.fixable:
                diagnostic = dataclasses.replace(diagnostic, fix=None)
            elif (
                fix is not None
                and fix.applicability != "display-only"
                and settings.fix_safety.get(code, fix.applicability) != fix.applicability
            ):
                diagnostic = dataclasses.replace(
                    diagnostic,
                    fix=dataclasses.replace(
                        fix, applicability=cast(Applicability, settings.fix_safety[code])
                    ),
                )
            kept.append(diagnostic)
        return kept


def describe(settings: Settings, path: Path) -> dict[str, Any]:
    """The settings that apply to `path`, as `--show-settings` prints them."""
    return {
        "settings-file": display_path(settings.file) if settings.file else None,
        "rules": sorted(settings.rules_for(absolute(path))),
        "per-file-ignores": {str(entry): list(entry.codes) for entry in settings.per_file_ignores},
        "exclude": [p.text for p in settings.exclude],
        "extend-exclude": [p.text for p in settings.extend_exclude],
        "force-exclude": settings.force_exclude,
        "output-format": settings.output_format,
        "exit-zero": settings.exit_zero,
        "severity": dict(sorted(settings.severity.items())),
        "fix": settings.fix,
        "unsafe-fixes": settings.unsafe_fixes,
        "show-fixes": settings.show_fixes,
        "fixable": sorted(settings.fixable),
        "fix-safety": dict(sorted(settings.fix_safety.items())),
        "target": settings.target,
    }
