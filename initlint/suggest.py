"""Did-you-mean suggestions for misspelled names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Optional


def did_you_mean(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> Optional[str]:
    """The candidate the user most likely meant, or None.

    Tries, in order: a case or whitespace slip (`kaiming`, `'Pretrained '`), a class name where
    a registry name is expected (`NormalInit`), then the closest spelling (`Xaiver`, `stddev`).
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
    close = difflib.get_close_matches(word.strip(), pool, n=1, cutoff=cutoff)
    if close:
        return close[0]
    close = difflib.get_close_matches(key, list(folded), n=1, cutoff=cutoff)
    return folded[close[0]] if close else None


def hint(suggestion: Optional[str]) -> str:
    return f"; did you mean '{suggestion}'?" if suggestion else ""
