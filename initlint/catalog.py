"""The rule catalogue: one Markdown document per rule in rules/, loaded into `Rule` objects.

A document starts with YAML front matter (code, name, severity, fix, since), then the
sections What it does / Why it matters / Example / Use instead. Fenced blocks tagged
`python bad` / `python good` (or json/yaml) are the examples the test suite lints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Optional

from .diagnostics import SEVERITIES

DOCS_URL = "https://github.com/initlint/initlint/blob/main/rules/{file}"
# ```python bad            the config the example lints
# ```python bad file=_base_/model.py   another file of the same example (a base, say)
FENCE = re.compile(r"^```(\w+)[ \t]+(bad|good)(?:[ \t]+file=(\S+))?[^\n]*\n(.*?)^```",
                   re.M | re.S)


@dataclass(frozen=True)
class Example:
    kind: str  # "bad" or "good"
    language: str  # "python", "json" or "yaml"
    code: str
    file: Optional[str] = None  # None: the config linted; else another file it reads


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    fix: str
    since: str
    document: str
    file: str

    @property
    def body(self) -> str:
        return self.document.split("---", 2)[2].strip() if self.document.startswith("---") \
            else self.document

    @property
    def url(self) -> str:
        return DOCS_URL.format(file=self.file)

    @property
    def summary(self) -> str:
        match = re.search(r"## What it does\s*\n(.+?)(\n\n|\n##|$)", self.document, re.S)
        return " ".join(match.group(1).split()) if match else self.name

    @property
    def examples(self) -> list[Example]:
        return [Example(kind, lang, code, file or None)
                for lang, kind, file, code in FENCE.findall(self.document)]


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


def parse_rule(text: str, file: str) -> Rule:
    if not text.startswith("---"):
        raise ValueError(f"{file}: no front matter")
    meta = _front_matter(text.split("---", 2)[1], file)
    severity = meta["severity"]
    if severity not in SEVERITIES:
        raise ValueError(f"{file}: severity {severity!r} is not one of {SEVERITIES}")
    return Rule(code=str(meta["code"]), name=str(meta["name"]), severity=severity,
                fix=str(meta.get("fix", "none")), since=str(meta.get("since", "0.1.0")),
                document=text, file=file)


@lru_cache(maxsize=1)
def catalog() -> dict[str, Rule]:
    rules = {}
    for item in sorted(rules_dir().iterdir(), key=lambda t: t.name):
        if item.name.startswith("IL") and item.name.endswith(".md"):
            rule = parse_rule(item.read_text(encoding="utf-8"), item.name)
            rules[rule.code] = rule
    return rules


def get_rule(code: str) -> Optional[Rule]:
    return catalog().get(code)


def severity_of(code: str) -> str:
    rule = get_rule(code)
    if rule is None:
        raise KeyError(f"rule {code} has no document in rules/")
    return rule.severity
