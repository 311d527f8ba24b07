"""Display helpers for the agreement text as the PDF left it."""

import re
from functools import lru_cache

from wordfreq import zipf_frequency

# A hyphen between two runs of letters with no space, the second starting in
# lower case: where the PDF broke a word at the end of a line, and also where
# Dutch writes a real compound ("etnisch-culturele", "e-inclusie").
_HYPHENATED = re.compile(r"(?<![\w-])([^\W\d_]+)-([^\W\d_]*[a-zà-ÿ][^\W\d_]*)(?![\w-])")


@lru_cache(maxsize=4096)
def _is_dutch_word(word: str) -> bool:
    return zipf_frequency(word, "nl") > 0


def _join_if_broken(match: re.Match) -> str:
    left, right = match.group(1), match.group(2)
    if not right[0].islower():
        return match.group(0)
    # A line break cuts a word into pieces that are not words themselves
    # ("gesubsi-dieerd", "participatieorgani-satie"); a compound's parts are
    # words ("etnisch-culturele", "sociaal-cultureel", "e-inclusie").
    if _is_dutch_word(left.lower()) and _is_dutch_word(right.lower()):
        return match.group(0)
    return left + right


def dehyphenate(text: str) -> str:
    """Undo the PDF's end-of-line hyphenation for display; the stored text stays as found.

    "wijk- en straatniveau" has a space after the hyphen and is never touched.
    """
    return _HYPHENATED.sub(_join_if_broken, text or "")
