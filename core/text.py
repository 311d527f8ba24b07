"""Display helpers for the agreement text as the PDF left it."""

import re
from functools import lru_cache

from wordfreq import zipf_frequency

# A hyphen between two runs of letters with no space, the second starting in
# lower case: where the PDF broke a word at the end of a line, and also where
# Dutch writes a real compound ("etnisch-culturele", "e-inclusie").
_HYPHENATED = re.compile(r"(?<![\w-])([^\W\d_]+)-([^\W\d_]*[a-zà-ÿ][^\W\d_]*)(?![\w-])")


@lru_cache(maxsize=4096)
def _frequency(word: str) -> float:
    """Zipf frequency in Dutch (0 = unknown); a hyphenated form counts as its parts."""
    return zipf_frequency(word, "nl")


def _join_if_broken(match: re.Match) -> str:
    left, right = match.group(1), match.group(2)
    if not right[0].islower():
        return match.group(0)
    # A line break cuts a word into pieces that are not words themselves
    # ("gesubsi-dieerd", "participatieorgani-satie"); a compound's parts are
    # words ("etnisch-culturele", "sociaal-cultureel", "e-inclusie"). When both
    # pieces are words ("samen-werking", "aan-dacht"), join only if Dutch writes
    # the whole more often than the two words: doubt keeps the source's hyphen.
    joined = left + right
    if not _frequency(left.lower()) or not _frequency(right.lower()):
        return joined
    if _frequency(joined.lower()) > _frequency(match.group(0).lower()):
        return joined
    return match.group(0)


def dehyphenate(text: str) -> str:
    """Undo the PDF's end-of-line hyphenation for display; the stored text stays as found.

    "wijk- en straatniveau" has a space after the hyphen and is never touched.
    """
    return _HYPHENATED.sub(_join_if_broken, text or "")
