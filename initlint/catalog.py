"""The one registry of rules: every rule class, every code that is reserved or removed (so that a
code is never given to another rule), and each rule's document in rules/.

A document starts with front matter (code, name, severity, fix, since), then What it does / Why
it matters / Example / Use instead (and Fix safety for rules that fix). Its examples are fenced
blocks: ```` ```python bad ```` / ```` ```python good ```` (or json, yaml) is a config that is
linted; ```` ```python bad file=_base_/model.py ```` is another file of the next example of that
kind (a base it inherits, a model package it names); ```` ```text output ```` after a bad
example is what initlint prints for it (`path:row:col: CODE message` lines); ```` ```python
fixed ```` after that is the example once `initlint --fix` has run on it (```` ```python fixed
unsafe ````: once `--fix --unsafe-fixes` has), and ```` ```python fixed file=_base_/model.py
```` one of its other files then. The test suite lints every example, fixes the ones with a
fixed block, and compares, except in a document with `examples: shown` in its front matter: a
rule no short file can provoke (an internal error, a file of megabytes), whose examples show
what it prints.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Literal, Optional, Union

from . import checks
from .checks.base import Reserved, Rule
from .findings import Severity

DOCS_URL = "https://github.com/initlint/initlint/blob/main/rules/{file}"
# Modules of `initlint.checks` that hold no rules.
NOT_FAMILIES = ("base", "context", "configfacts")


def rule_classes() -> list[type[Rule]]:
    """Every rule class of the families in `initlint/checks/` (a new module there is one more
    family), in code order."""
    found = []
    for info in pkgutil.iter_modules(checks.__path__):
        if info.name in NOT_FAMILIES:
            continue
        module = importlib.import_module(f"{checks.__name__}.{info.name}")
        found += [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, Rule)
            and value.__module__ == module.__name__
            and "code" in vars(value)
        ]
    return sorted(found, key=lambda cls: cls.code)


# Codes taken by rules that are planned (design.md's catalogue) or gone: never reused.
# None now: every planned code has its rule.
RESERVED: tuple[Reserved, ...] = ()


@lru_cache(maxsize=1)
def rules() -> dict[str, Rule]:
    """Every active rule, one instance each, by code (sorted)."""
    classes = rule_classes()
    found = {cls.code: cls() for cls in classes}
    if len(found) != len(classes):
        raise RuntimeError("two rule classes share a code")
    return found


def registry() -> dict[str, Union[Rule, Reserved]]:
    """Every code initlint has ever given out: active rules, reserved and removed codes."""
    entries: dict[str, Union[Rule, Reserved]] = {**rules()}
    for reserved in RESERVED:
        if reserved.code in entries:
            raise RuntimeError(f"{reserved.code} is both a rule and reserved")
        entries[reserved.code] = reserved
    return dict(sorted(entries.items()))


def get_rule(code: str) -> Optional[Rule]:
    return rules().get(code)


def severity_of(code: str) -> Severity:
    rule = get_rule(code)
    if rule is None:
        raise KeyError(f"{code} is not a rule")
    return rule.severity


def by_name(name: str) -> Optional[Rule]:
    return next((r for r in rules().values() if r.name == name), None)


# -- documents -----------------------------------------------------------------------------------

# ```python bad [file=_base_/model.py],  ```text output  and  ```python fixed [unsafe] [file=...]
FENCE = re.compile(
    r"^```(\w+)[ \t]+(bad|good|output|fixed)(?:[ \t]+(unsafe))?"
    r"(?:[ \t]+file=(\S+))?[^\n]*\n(.*?)^```",
    re.M | re.S,
)


@dataclass(frozen=True)
class Example:
    kind: Literal["bad", "good"]
    language: Literal["python", "json", "yaml"]
    code: str
    files: tuple[tuple[str, str], ...] = ()  # other files of the example: (path, text)
    output: Optional[str] = None  # what initlint prints for a bad example
    fixed: Optional[str] = None  # the bad example after `initlint --fix`
    unsafe: bool = False  # ... after `--fix --unsafe-fixes` (its fixes are unsafe)
    fixed_files: tuple[tuple[str, str], ...] = ()  # its other files after the fix


@dataclass(frozen=True)
class Document:
    code: str
    name: str
    severity: str
    fix: str
    since: str
    text: str
    file: str
    linted: bool = True  # False: `examples: shown`, the examples are not linted

    @property
    def body(self) -> str:
        return self.text.split("---", 2)[2].strip() if self.text.startswith("---") else self.text

    @property
    def url(self) -> str:
        return DOCS_URL.format(file=self.file)

    @property
    def summary(self) -> str:
        match = re.search(r"## What it does\s*\n(.+?)(\n\n|\n##|$)", self.text, re.S)
        return " ".join(match.group(1).split()) if match else self.name

    @property
    def examples(self) -> list[Example]:
        found: list[Example] = []
        pending: dict[str, list[tuple[str, str]]] = {"bad": [], "good": []}
        for language, kind, unsafe, file, code in FENCE.findall(self.text):
            if kind == "output":
                if not found or found[-1].kind != "bad" or found[-1].output is not None:
                    raise ValueError(f"{self.file}: an output block must follow a bad example")
                found[-1] = replace(found[-1], output=code)
            elif kind == "fixed":
                if not found or found[-1].kind != "bad" or found[-1].output is None:
                    raise ValueError(
                        f"{self.file}: a fixed block must follow a bad example's output block"
                    )
                last = found[-1]
                if file:
                    found[-1] = replace(last, fixed_files=(*last.fixed_files, (file, code)))
                elif last.fixed is not None:
                    raise ValueError(f"{self.file}: two fixed blocks for one example")
                else:
                    found[-1] = replace(last, fixed=code, unsafe=bool(unsafe))
            elif file:
                pending[kind].append((file, code))
            else:
                found.append(Example(kind, language, code, tuple(pending[kind])))
                pending[kind] = []
        return found


def rules_dir() -> Traversable:
    """rules/ inside the installed wheel, or at the top of a source checkout."""
    packaged = resources.files("initlint").joinpath("rules")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "rules"


def _front_matter(text: str, file: str) -> dict[str, str]:
    """The `key: value` lines of a rule's front matter (flat by design: no YAML needed)."""
    meta = {}
    for line in text.strip().splitlines():
        key, sep, value = line.partition(":")
        if not sep or not key.strip().isidentifier():
            raise ValueError(f"{file}: front matter line {line!r} is not `key: value`")
        meta[key.strip()] = value.strip().strip("'\"")
    return meta


def parse_document(text: str, file: str) -> Document:
    if not text.startswith("---"):
        raise ValueError(f"{file}: no front matter")
    meta = _front_matter(text.split("---", 2)[1], file)
    examples = meta.get("examples", "linted")
    if examples not in ("linted", "shown"):
        raise ValueError(f"{file}: examples must be linted or shown, not {examples!r}")
    return Document(
        code=meta["code"],
        name=meta["name"],
        severity=meta["severity"],
        fix=meta.get("fix", "none"),
        since=meta.get("since", "0.1.0"),
        text=text,
        file=file,
        linted=examples == "linted",
    )


@lru_cache(maxsize=1)
def documents() -> dict[str, Document]:
    found = {}
    for item in sorted(rules_dir().iterdir(), key=lambda t: t.name):
        if item.name.startswith("IL") and item.name.endswith(".md"):
            document = parse_document(item.read_text(encoding="utf-8"), item.name)
            found[document.code] = document
    return found


def document(code: str) -> Document:
    return documents()[code]
