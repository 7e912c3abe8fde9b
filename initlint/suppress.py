"""Inline suppressions: `# initlint: ignore[IL101]`, `# noqa: IL101` and
`# initlint: file-ignore[IL101]`, and the diagnostics about them (IL401, IL402).

A line directive silences a diagnostic when it sits on one of the diagnostic's
`suppress_rows` (its own row, or the first row of a dict, call or list around it, out to the
init_cfg value); a file directive silences it anywhere in the file. Comments are read with
`tokenize` (Python) or line by line (YAML), only in the files that were linted.

`# noqa` is shared with flake8 and ruff: codes that are not initlint's (`E501`) are left to
those tools, and a bare `# noqa` that silences nothing of initlint's is not reported (it is
there for another tool). Suppressions follow the rule selection: a diagnostic whose rule does
not run on the file is not there to be silenced, and a code that names such a rule is never
reported unused (as ruff treats a `noqa` for a rule that is not selected). The caller passes
the selection (`Selected`).
"""

from __future__ import annotations

import dataclasses
import io
import re
import tokenize
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Optional

from .catalog import by_name, rules
from .checks.files import UnreadableFile
from .checks.suppressions import BlanketIgnore, UnusedIgnore
from .diagnostics import Diagnostic, Edit, Fix, Location, to_diagnostic
from .fix.plan import Applicability
from .read import read_regular
from .suggest import did_you_mean, hint
from .values import Span

BLANKET, UNUSED = BlanketIgnore.code, UnusedIgnore.code
OWN_CODES = (BLANKET, UNUSED)
# An internal error (IL905) is initlint's failure, not the file's: nothing silences it.
UNSUPPRESSIBLE = ("IL905",)

# Whether rule `code` runs on the file `filename` (as diagnostics name it).
Selected = Callable[[str, str], bool]

# A file without either word holds no directive: it is not tokenized.
# A cheap first look (most files hold no directive): the spellings people write.
MAYBE_WORDS = ("noqa", "NOQA", "NoQA", "Noqa", "initlint", "INITLINT", "InitLint")
INITLINT = re.compile(r"#\s*initlint\s*:\s*(?P<kind>[\w-]*)\s*(?:\[(?P<codes>[^\]]*)\])?", re.I)
NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+\w*(?:[,\s]+[A-Z]+[0-9]+\w*)*))?", re.I)
# A code in a noqa comment that is initlint's (or a typo of one).
OURS = re.compile(r"IL\d", re.I)
KINDS = ("ignore", "file-ignore")
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as the tokenizer counts rows


class SuppressionError(Exception):
    """A suppression naming an unknown rule, or an unknown `# initlint:` directive: one line,
    exit 2."""


def _everything(filename: str, code: str) -> bool:
    return True


@dataclass
class Directive:
    """One suppression comment."""

    filename: str
    row: int
    column: int  # 1-based, where `#` is
    end_column: int
    text: str  # as written, e.g. "# initlint: ignore[IL101]"
    style: Literal["initlint", "noqa"]
    file_level: bool
    codes: Optional[tuple[str, ...]]  # None: blanket
    used: set[str] = field(default_factory=set)  # the codes it silenced

    def silences(self, code: str) -> bool:
        return self.codes is None or code in self.codes

    def rewritten(self, codes: Iterable[str]) -> str:
        """This directive naming `codes`."""
        listed = ", ".join(sorted(codes))
        if self.style == "noqa":
            return f"# noqa: {listed}"
        return f"# initlint: {'file-ignore' if self.file_level else 'ignore'}[{listed}]"

    def diagnostic(self, code: str, message: str, fix: Optional[Fix] = None) -> Diagnostic:
        rule = BlanketIgnore if code == BLANKET else UnusedIgnore
        diagnostic = to_diagnostic(
            rule.finding(
                message, Span(self.filename, self.row, self.column, self.row, self.end_column)
            )
        )
        return dataclasses.replace(diagnostic, fix=fix) if fix is not None else diagnostic

    def without(self, unused: Iterable[str]) -> str:
        """This directive without the `unused` codes ("" when nothing is left); a `# noqa`
        keeps the codes of other tools it names (`E501`)."""
        drop = set(unused)
        if self.style == "initlint":
            rest = [c for c in self.codes or () if c not in drop]
            return self.rewritten(rest) if rest else ""
        match = NOQA.match(self.text)
        raw = match.group("codes") if match else None
        kept = [
            item
            for item in re.split(r"[,\s]+", raw or "")
            if item and not (OURS.match(item) and item.upper() in drop)
        ]
        return f"# noqa: {', '.join(kept)}" if kept else ""

    def fix(
        self, replacement: str, text: Optional[str], applicability: Applicability = "safe"
    ) -> Optional[Fix]:
        """The edit that writes `replacement` in place of this directive, or (when it is "")
        removes it with the space before it, its comment, or its row when that holds nothing
        else; None when the text is not at hand or not as it was read."""
        if text is None:
            return None
        lines = LINE_BREAK.split(text)
        if not 1 <= self.row <= len(lines):
            return None
        line = lines[self.row - 1]
        start, end = self.column - 1, self.column - 1 + len(self.text)
        if line[start:end] != self.text:
            return None
        at = Location(self.row, self.column)
        if replacement:
            return Fix(
                f"Replace `{self.text}` with `{replacement}`",
                applicability,
                (Edit(replacement, at, Location(self.row, end + 1), self.filename),),
            )
        rest = line[end:]
        if rest.strip() and not rest.lstrip().startswith("#"):
            end = len(line)  # words after it (a reason) are about it: they go too
        elif rest.strip():
            end += len(rest) - len(rest.lstrip())  # the next comment moves up to its place
        opens_comment = any(
            row == self.row and column == start for row, column, _ in comments(text, self.filename)
        )
        before = line[:start].rstrip()
        if end == len(line) and not before:  # a row of its own
            span = (
                (Location(self.row, 1), Location(self.row + 1, 1))
                if self.row < len(lines)
                else (Location(self.row, 1), Location(self.row, len(line) + 1))
            )
        elif end == len(line) or not opens_comment:
            span = (Location(self.row, len(before) + 1), Location(self.row, end + 1))
        else:
            span = (at, Location(self.row, end + 1))
        return Fix(
            f"Remove `{self.text}`", applicability, (Edit("", span[0], span[1], self.filename),)
        )


def read_source(filename: str) -> Optional[str]:
    """The text of a linted file, for its comments; None when it cannot be read as UTF-8."""
    data, _ = read_regular(filename)  # only regular files, never more than the size bound
    try:
        return data.decode("utf-8-sig") if data is not None else None
    except UnicodeDecodeError:
        return None


def comments(text: str, filename: str) -> Iterator[tuple[int, int, str]]:
    """(row, 0-based column, text) of each comment. Python files are tokenized (a `#` inside a
    string is no comment); YAML files are read line by line; JSON has no comments."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".json":
        return
    if suffix in (".yaml", ".yml"):
        for row, line in enumerate(text.splitlines(), 1):
            match = re.search(r"(?:^|\s)(#.*)$", line)
            if match:
                yield row, match.start(1), match.group(1)
        return
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                yield token.start[0], token.start[1], token.string
    except (tokenize.TokenError, SyntaxError):
        return  # a file that does not parse: the comments before the error still count


def directive_comments(text: str, filename: str) -> list[tuple[int, int, str]]:
    """The comments of `text` that may be directives (none when no directive word occurs)."""
    if not any(word in text for word in MAYBE_WORDS):
        return []
    return [c for c in comments(text, filename) if any(w in c[2] for w in MAYBE_WORDS)]


def directives(
    text: Optional[str], filename: str, known: Optional[list[tuple[int, int, str]]] = None
) -> list[Directive]:
    """The suppression comments of a file, from its text or from its comments found earlier
    (`known`); SuppressionError for an unknown rule code or `# initlint:` directive."""
    found: list[Directive] = []
    if known is None:
        known = directive_comments(text, filename) if text is not None else []
    for row, column, comment in known:
        for match in INITLINT.finditer(comment):
            found.append(_initlint_directive(match, comment, filename, row, column))
        for match in NOQA.finditer(comment):
            directive = _noqa_directive(match, filename, row, column)
            if directive is not None:
                found.append(directive)
    return found


def _where(filename: str, row: int, column: int) -> str:
    return f"{filename}:{row}:{column + 1}"


def _initlint_directive(
    match: re.Match[str], comment: str, filename: str, row: int, column: int
) -> Directive:
    where = _where(filename, row, column + match.start())
    kind = match.group("kind").lower()
    text = match.group(0).strip()
    if kind not in KINDS:
        raise SuppressionError(
            f"{where}: unknown directive `{text}` (use `# initlint: ignore[IL101]` or "
            f"`# initlint: file-ignore[IL101]`){hint(did_you_mean(kind, KINDS))}"
        )
    raw = match.group("codes")
    rest = comment[match.end() :].lstrip()
    if raw is None and rest.startswith("["):
        raise SuppressionError(f"{where}: `{text}{rest}`: the `[` is not closed")
    if raw is None and OURS.match(rest):
        raise SuppressionError(
            f"{where}: write the codes in brackets: "
            f"`# initlint: {kind}[{rest.split()[0].rstrip(',')}]`"
        )
    codes = None
    if raw is not None:
        items = [item for item in re.split(r"[,\s]+", raw) if item]
        if not items:
            raise SuppressionError(
                f"{where}: `{text}` names no rule; name the codes it is "
                "for, e.g. [IL101], or leave out the brackets"
            )
        codes = tuple(dict.fromkeys(_rule_code(item, where, text, names=True) for item in items))
    return Directive(
        filename,
        row,
        column + match.start() + 1,
        column + match.end() + 1,
        text,
        "initlint",
        kind == "file-ignore",
        codes,
    )


def _noqa_directive(
    match: re.Match[str], filename: str, row: int, column: int
) -> Optional[Directive]:
    text = match.group(0).strip()
    raw = match.group("codes")
    codes = None
    if raw is not None:
        where = _where(filename, row, column + match.start())
        ours = [item for item in re.split(r"[,\s]+", raw) if OURS.match(item)]
        if not ours:
            return None  # only other tools' codes, such as E501
        codes = tuple(dict.fromkeys(_rule_code(item, where, text, names=False) for item in ours))
    return Directive(
        filename,
        row,
        column + match.start() + 1,
        column + match.end() + 1,
        text,
        "noqa",
        False,
        codes,
    )


def _rule_code(item: str, where: str, text: str, names: bool) -> str:
    """A code (or, if `names`, a rule name such as `no-op-initializer`) as the rule's code."""
    known = rules()
    if item.upper() in known:
        return item.upper()
    named = by_name(item.lower()) if names else None
    if named is not None:
        return named.code
    suggestion = did_you_mean(item, list(known))
    raise SuppressionError(f"{where}: unknown rule code '{item}' in `{text}`{hint(suggestion)}")


def sources_with(
    filename: str,
    text: str,
    others: Callable[[str], Optional[str]] = read_source,
) -> Callable[[str], Optional[str]]:
    """`texts` for `apply_suppressions`: `text` for `filename`, other files from `others`
    (default: from disk)."""
    return lambda name: text if name == filename else others(name)


def apply_suppressions(
    diagnostics: Iterable[Diagnostic],
    texts: Callable[[str], Optional[str]],
    linted: Iterable[str],
    selected: Optional[Selected] = None,
    known: Optional[Mapping[str, list[tuple[int, int, str]]]] = None,
) -> list[Diagnostic]:
    """The diagnostics left after the suppression comments, plus IL401 and IL402 about those
    comments in the `linted` files. `texts` gives a file's text by name (None: unreadable).
    A diagnostic in a file that was only read on the way (a `_base_` file) is silenced by the
    comments there too, but unused comments are reported only in the `linted` files.
    `selected` (default: every rule everywhere) says which rules run on which file.

    Apply it once to the diagnostics of a file: applied again, the comments that silenced
    something would seem unused."""
    is_selected = selected or _everything
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in diagnostics:
        by_file[diagnostic.filename or ""].append(diagnostic)
    kept: list[Diagnostic] = []
    linted_files = dict.fromkeys(linted)
    for filename in [*linted_files, *(f for f in by_file if f not in linted_files)]:
        own = by_file.get(filename, [])
        if known is not None and filename in known:  # found when the file was linted
            found = directives(None, filename, known[filename])
        else:
            text = texts(filename) if filename else None
            found = directives(text, filename) if text is not None else []
        if found:
            kept += _apply_file(own, found, filename, is_selected, filename in linted_files, texts)
        else:
            kept += own
    kept.sort(key=lambda d: d.sort_key)
    return kept


def _apply_file(
    diagnostics: list[Diagnostic],
    found: list[Directive],
    filename: str,
    is_selected: Selected,
    report: bool,
    texts: Callable[[str], Optional[str]],
) -> list[Diagnostic]:
    file_level = [d for d in found if d.file_level]
    by_row: dict[int, list[Directive]] = defaultdict(list)
    for directive in found:
        if not directive.file_level:
            by_row[directive.row].append(directive)
    kept = []
    for diagnostic in diagnostics:
        code = diagnostic.code
        if code in OWN_CODES or code in UNSUPPRESSIBLE or not is_selected(filename, code):
            kept.append(diagnostic)  # a rule that does not run here is filtered later
            continue
        silencer: Optional[Directive] = next((d for d in file_level if d.silences(code)), None)
        if silencer is None:
            rows = diagnostic.suppress_rows or (
                (diagnostic.location.row,) if diagnostic.location else ()
            )
            silencer = next(
                (d for row in rows for d in by_row.get(row, ()) if d.silences(code)), None
            )
        if silencer is None:
            kept.append(diagnostic)
        else:
            silencer.used.add(code)
    if not report:
        return kept
    # IL401/IL402 about a directive are silenced by a file directive naming them, or by a
    # directive on the same row naming them (`# noqa  # initlint: ignore[IL401]`).
    named = {code for d in file_level if d.codes for code in d.codes}
    # A file that cannot be parsed was not checked: its suppressions are not unused.
    unchecked = {UNUSED} if any(d.code == UnreadableFile.code for d in diagnostics) else set()
    for directive in found:
        on_row = {code for d in by_row.get(directive.row, ()) if d.codes for code in d.codes}
        kept += _about(directive, filename, is_selected, named | on_row | unchecked, texts)
    return kept


def _about(
    directive: Directive,
    filename: str,
    is_selected: Selected,
    exempt: set[str],
    texts: Callable[[str], Optional[str]],
) -> list[Diagnostic]:
    """IL401 or IL402 about one directive, unless `exempt` names it, each with its fix (the
    file's text is read for it only then)."""
    scope = "in this file" if directive.file_level else "on this row"
    if directive.codes is None:
        if directive.used:
            if BLANKET in exempt or not is_selected(filename, BLANKET):
                return []
            named_codes = directive.rewritten(directive.used)
            # A bare noqa comment may hide other tools' codes too (flake8's E501): naming
            # ours would un-hide those, so that is only shown, never applied.
            return [
                directive.diagnostic(
                    BLANKET,
                    (
                        f"`{directive.text}` names no rule, so it hides every diagnostic {scope}; "
                        f"name the ones it is for: `{named_codes}`"
                    ),
                    directive.fix(
                        named_codes,
                        texts(filename),
                        "safe" if directive.style == "initlint" else "display-only",
                    ),
                )
            ]
        if directive.style == "noqa" or UNUSED in exempt or not is_selected(filename, UNUSED):
            return []  # a bare noqa that hides nothing of ours is another tool's
        return [
            directive.diagnostic(
                UNUSED,
                (f"`{directive.text}` suppresses nothing {scope}; remove it"),
                directive.fix("", texts(filename)),
            )
        ]
    if UNUSED in exempt or not is_selected(filename, UNUSED):
        return []
    unused = [
        code
        for code in directive.codes
        if code not in directive.used and code not in OWN_CODES and is_selected(filename, code)
    ]
    if not unused:
        return []
    names = ", ".join(unused)
    what = "suppresses" if len(unused) == 1 else "suppress"
    replacement = directive.without(unused)
    advice = f"use `{replacement}`" if replacement else "remove it"
    return [
        directive.diagnostic(
            UNUSED,
            (f"unused suppression: {names} {what} nothing {scope} (`{directive.text}`); {advice}"),
            directive.fix(replacement, texts(filename)),
        )
    ]
