"""Did-you-mean suggestions for misspelled names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Optional

LOOKALIKES = str.maketrans("Ool", "001")


def did_you_mean(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> Optional[str]:
    """The candidate the user most likely meant, or None.

    Tries, in order: a case or whitespace slip (`kaiming`, `'Pretrained '`), a class name where
    a registry name is expected (`NormalInit`), a letter for a look-alike digit (`IL1O1`), then
    the closest spelling (`Xaiver`, `stddev`).
    """
    pool = [c for c in candidates if c != word]
    if not pool:
        return None
    folded = {c.casefold(): c for c in pool}
    key = word.strip().casefold()
    # A letter O typed for a zero in a code (`IL1O1`) is a slip too, however many codes are near.
    zero = key.replace("o", "0") if any(c.isdigit() for c in key) else None
    for variant in (key, key.removesuffix("init") if key.endswith("init") else None, zero):
        if variant and variant in folded:
            return folded[variant]
    # A letter for a look-alike digit ('IL1O1'): spelling distance may tie it with another.
    lookalike = word.strip().translate(LOOKALIKES)
    if lookalike != word.strip() and lookalike in pool:
        return lookalike
    close = _closest(word.strip(), pool, cutoff)
    if close:
        return close
    close = _closest(key, list(folded), cutoff)
    return folded[close] if close else None


def _closest(word: str, pool: list[str], cutoff: float) -> Optional[str]:
    """difflib's closest match; among equally close ones, the fewest edits away (`IL1O1` is
    `IL101`, not `IL311`, which difflib ranks the same)."""
    close = difflib.get_close_matches(word, pool, n=5, cutoff=cutoff)
    if not close:
        return None
    # (candidate, word), as get_close_matches scores them: the ratio is not symmetric.
    top = difflib.SequenceMatcher(None, close[0], word).ratio()
    tied = [c for c in close if difflib.SequenceMatcher(None, c, word).ratio() == top]
    return min(tied, key=lambda c: _edits(word, c))


def _edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def hint(suggestion: Optional[str]) -> str:
    return f"; did you mean '{suggestion}'?" if suggestion else ""
