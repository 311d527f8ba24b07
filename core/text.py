"""The agreement text as the PDF left it, made readable: which hyphens are line breaks.

The agreement texts keep the PDF's end-of-line hyphens inline ("afgele-verd",
"samen-werking") beside the hyphens Dutch really writes ("etnisch-culturele",
"AAVR-netwerk", "wijk- en straatniveau"). `dehyphenate` tells them apart. The
section page shows its result and the search documents are built from it, so it
is a pure function of its arguments: the same text and vocabulary give the same
result, without the database.

For one hyphen between two runs of letters, the first rule that applies decides:

1. a soft hyphen (U+00AD) is a line break;
2. the hyphen stays before a capital or a digit ("e-Youth", "COVID-19"), after a
   digit or an acronym ("5G-spectrum", "ICT-diensten", "GHz-band") and beside a
   single letter ("e-inclusie", "power-to-x");
3. the vocabulary (words as written in clean text: the section's summary, the
   titles of the decisions it cites) decides when it writes the word one way
   only: joined ("crossmediaal") or with its hyphen ("nederlands-clausule");
4. two vowels that would read as one: a line break that took the diaeresis
   away gets it back ("subsidi-eren" is "subsidiëren", "idee-en" "ideeën");
   between words Dutch writes the hyphen ("macro-economisch", "privé-eigenaars");
5. Dutch writes a hyphen after "niet", "non", "anti", "ex", "co" unless the
   joined word is common ("niet-lineaire", "anti-discriminatie"; not "ex-port"),
   between coordinated adjectives ("etnisch-culturele", "sociaal-cultureel"),
   numerals ("vijf-zesjarigen") and titles ("secretaris-generaal",
   "minister-president"), in a doubled word ("win-win"), and a hyphen before
   "en", "of", "als" is a suspended compound missing its space ("binnen-als");
6. a piece that is not a word, or a joined form that is, makes a line break
   ("gesubsi-dieerd", "samen-werking", "Neder-lands");
7. otherwise Dutch writes compounds as one word ("media-sector",
   "dierenwelzijns-beleid"), except after a capitalised word inside a
   sentence, a name ("Vlaanderen-breed", "Nederlands-clausule"), and between
   two English words ("bottom-up", "no-deal").

A word with several hyphens has at most one line break (a word spans two lines,
not three): only the one with the best evidence is joined, and only on evidence
("media-eco-systeem" becomes "media-ecosysteem", "free-to-air" stays).

"X- en", "X-, " and "X- of" are suspended compounds and never touched ("wijk- en
straatniveau"). "X- y" with another word after the space is a hyphen the PDF
left at a line end: decided as above, shown without the space ("niet- lineaire"
becomes "niet-lineaire"), and left as found when only rule 7 would join it (the
space may stand for a dash).

Measured against a hand annotation of every hyphen in the corpus sample's
agreement texts (tests/data/hyphenation.tsv); see docs/text.md.
"""

import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from wordfreq import zipf_frequency

Vocabulary = frozenset[str]

SOFT_HYPHEN = "\u00ad"
# ASCII hyphen-minus, HYPHEN and NON-BREAKING HYPHEN: PDFs produce all three.
HYPHENS = "-\u2010\u2011"

# Words after "X- " that make X a suspended compound ("wijk- en straatniveau",
# "van ontwikkelings- naar ...").
_CONJUNCTIONS = (
    "en|of|als|tot|noch|naar|dan|maar|ofwel|evenals|alsook|alsmede|"
    "respectievelijk|resp|versus|vs|t/m|t\\.e\\.m"
)
_RUN = r"[^\W_]+"
_SEPARATOR = (
    rf"(?:{SOFT_HYPHEN}?[{HYPHENS}](?: (?!(?:{_CONJUNCTIONS})\b)(?=[^\W\d_]))?|{SOFT_HYPHEN})"
)
_TOKEN = re.compile(
    rf"(?<![\w{SOFT_HYPHEN}{HYPHENS}]){_RUN}(?:{_SEPARATOR}{_RUN})+(?![\w{SOFT_HYPHEN}])"
)
_SEPARATORS = re.compile(_SEPARATOR)
_HYPHEN_CHARACTER = re.compile(f"[{HYPHENS}{SOFT_HYPHEN}]")
_WORD = re.compile(rf"[^\W\d_]+(?:[{HYPHENS}][^\W\d_]+)*")

# Two vowels that would read as one sound when written together ("zeeegel").
_VOWEL_CLASHES = frozenset(
    ("aa", "ae", "ai", "au", "ee", "ei", "eu", "ie", "ii", "oe", "oi", "oo", "ou", "ui", "uu")
)
# First parts that Dutch (and Flemish official writing) joins with a hyphen.
_HYPHEN_PREFIXES = frozenset({"niet", "non", "anti", "ex", "co"})
# A prefix only keeps its hyphen when the joined form is not a common word:
# "ex-port" and "co-mité" are line breaks in "export" and "comité" (Zipf scale,
# 3 = once per million words).
_COMMON_WORD = 3.0
_ADJECTIVE_ENDINGS_LEFT = (
    "isch",
    "ische",
    "aal",
    "eel",
    "ief",
    "ieve",
    "iek",
    "ieke",
    "air",
    "aire",
)
_ADJECTIVE_ENDINGS = (*_ADJECTIVE_ENDINGS_LEFT, "ele", "ale", "aat", "ate")
_NUMERALS = (
    "een",
    "twee",
    "drie",
    "vier",
    "vijf",
    "zes",
    "zeven",
    "acht",
    "negen",
    "tien",
    "elf",
    "twaalf",
)
# Zipf 3 = once per million words; 1 = ten times as frequent.
_ENGLISH_WORD, _MORE_ENGLISH = 3.0, 1.0
_SENTENCE_END = ".!?…"
_OPENING = " \t\n([{‘“\"'«*_"


@dataclass(frozen=True, slots=True)
class Hyphen:
    """One hyphen inside a word: its span in the text and what the reader sees there.

    The span holds the space of "niet- lineaire" and, where a line break took a
    diaeresis away ("subsidi-eren"), the vowel that gets it back ("ë")."""

    start: int
    end: int
    shown: str

    @property
    def joined(self) -> bool:
        return not any(ch in HYPHENS for ch in self.shown)


def dehyphenate(text: str, vocabulary: Vocabulary | None = None) -> str:
    """The text with the PDF's line-break hyphens joined and real hyphens kept.

    `vocabulary`: words as written in clean text (see `vocabulary_of`), the
    strongest evidence for a compound that the word list does not know.
    """
    text = text or ""
    parts = []
    position = 0
    for hyphen in hyphens(text, vocabulary):
        parts += [text[position : hyphen.start], hyphen.shown]
        position = hyphen.end
    parts.append(text[position:])
    return "".join(parts)


def hyphens(text: str, vocabulary: Vocabulary | None = None) -> list[Hyphen]:
    """Every hyphen inside a word of `text`, in order, with the decision for it."""
    vocabulary = vocabulary or frozenset()
    found = []
    for token in _tokens(text or ""):
        separators = list(_SEPARATORS.finditer(token.group(0)))
        runs = _SEPARATORS.split(token.group(0))
        spaced = [" " in separator.group(0) for separator in separators]
        verdicts = _decide(runs, spaced, vocabulary, not _starts_sentence(text, token.start()))
        for separator, verdict in zip(separators, verdicts, strict=True):
            start, end = token.start() + separator.start(), token.start() + separator.end()
            if SOFT_HYPHEN in separator.group(0):
                found.append(Hyphen(start, end, ""))
            elif verdict.strength == 0:
                shown = separator.group(0)
                found.append(Hyphen(start, end, shown if verdict.as_is else shown.strip()))
            elif verdict.trema:
                found.append(Hyphen(start, end + 1, _TREMA[text[end]]))
            else:
                found.append(Hyphen(start, end, ""))
    return found


def _tokens(text: str) -> Iterator[re.Match]:
    """The hyphenated words of the text. Scanning from each hyphen, not from each
    word: a page of text has thousands of words and a few dozen hyphens."""
    end = 0
    for hyphen in _HYPHEN_CHARACTER.finditer(text):
        if hyphen.start() < end:
            continue  # inside the word found before
        start = hyphen.start()
        while start and text[start - 1].isalnum():
            start -= 1
        token = _TOKEN.match(text, start)
        if token and token.end() > hyphen.start():
            end = token.end()
            yield token


def vocabulary_of(texts: Iterable[str]) -> Vocabulary:
    """The lower-case words of texts written without PDF hyphens (summaries,
    decision titles), hyphenated words included: evidence for `dehyphenate`."""
    words: set[str] = set()
    for text in texts:
        words.update(_WORD.findall((text or "").lower()))
    return frozenset(words)


# The rules ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Verdict:
    # How sure a join is; 0 keeps the hyphen.
    strength: int
    trema: bool = False
    # Left as found, space and all: "criteria- schaffen" may be a dash.
    as_is: bool = False


_KEEP = _Verdict(0)
_VOCABULARY = _Verdict(4)
_KNOWN_WORD = _Verdict(3)
_FRAGMENT = _Verdict(2)
_COMPOUND = _Verdict(1)
_AS_FOUND = _Verdict(0, as_is=True)
_TREMA = {"a": "ä", "e": "ë", "i": "ï", "o": "ö", "u": "ü"}


def _decide(
    runs: list[str], spaced: list[bool], vocabulary: Vocabulary, capital_may_be_a_name: bool
) -> list[_Verdict]:
    last = len(runs) - 2
    verdicts = [
        _verdict(left, right, vocabulary, capital_may_be_a_name and i == 0, last=i == last)
        for i, (left, right) in enumerate(itertools.pairwise(runs))
    ]
    # After "X- " only evidence joins: a space may also mean a dash ("criteria- schaffen").
    verdicts = [
        _AS_FOUND if space and verdict is _COMPOUND else verdict
        for verdict, space in zip(verdicts, spaced, strict=True)
    ]
    if len(verdicts) == 1:
        return verdicts
    # A word broken at the end of a line has one line-break hyphen: join the best
    # supported one, and only on evidence (a joined word that exists).
    best = max(range(len(verdicts)), key=lambda i: (verdicts[i].strength, -i))
    if verdicts[best].strength < _KNOWN_WORD.strength:
        return [_keep(verdict) for verdict in verdicts]
    return [verdict if i == best else _keep(verdict) for i, verdict in enumerate(verdicts)]


def _keep(verdict: _Verdict) -> _Verdict:
    return verdict if verdict.as_is else _KEEP


def _verdict(
    left: str, right: str, vocabulary: Vocabulary, capital_may_be_a_name: bool, *, last: bool
) -> _Verdict:
    if _hyphen_is_structural(left, right):
        return _KEEP
    lower_left, lower_right = left.lower(), right.lower()
    joined = lower_left + lower_right
    # Clean text that writes the word only one way settles it.
    seen_joined = joined in vocabulary
    if seen_joined != (f"{lower_left}-{lower_right}" in vocabulary):
        return _VOCABULARY if seen_joined else _KEEP
    if _unaccented(lower_left[-1]) + lower_right[0] in _VOWEL_CLASHES:
        verdict = _vowel_clash(lower_left, lower_right, vocabulary)
        if verdict is not None:
            return verdict
    if last and lower_right in ("en", "of", "als"):
        return _KEEP  # "kleinhandel-en andere": a suspended compound missing its space
    if lower_left == lower_right:
        return _KEEP  # "win-win"
    if _dutch_writes_a_hyphen(lower_left, lower_right, joined, vocabulary):
        return _KEEP
    if not _known(lower_left, vocabulary) or not _known(lower_right, vocabulary):
        return _KNOWN_WORD if _frequency(joined) else _FRAGMENT
    if _frequency(joined):
        return _KNOWN_WORD
    if left[0].isupper() and capital_may_be_a_name:
        return _KEEP
    if _english_compound(lower_left, lower_right):
        return _KEEP  # English keeps its hyphen
    return _COMPOUND


def _vowel_clash(left: str, right: str, vocabulary: Vocabulary) -> _Verdict | None:
    """Two vowels that would read as one.

    A line break there drops the diaeresis of the word ("subsidiëren" breaks as
    "subsidi-eren", "ideeën" as "idee-en"): joined with the diaeresis back when
    that is the likelier word. Between two words Dutch writes a hyphen
    ("macro-economisch", "privé-eigenaars"); inside a word, where neither side
    is a word ("ambiti-euze"), the other rules decide (None).
    """
    with_trema = left + _TREMA[right[0]] + right[1:]
    trema = math.inf if with_trema in vocabulary else _frequency(with_trema)
    likelier = (
        right == "en" or not _known(left, vocabulary) or trema > _frequency(f"{left}-{right}")
    )
    if trema and trema > _frequency(left + right) and likelier:
        return _Verdict(_KNOWN_WORD.strength, trema=True)
    if _known(left, vocabulary) or _known(right, vocabulary):
        return _KEEP  # a compound of words ("taalpromotie-instrumenten")
    return None


def _unaccented(letter: str) -> str:
    return unicodedata.normalize("NFD", letter)[0]


def _hyphen_is_structural(left: str, right: str) -> bool:
    return (
        not right[0].islower()
        or len(left) == 1
        or len(right) == 1
        or any(ch.isdigit() for ch in left)
        or sum(ch.isupper() for ch in left) >= 2
    )


def _dutch_writes_a_hyphen(left: str, right: str, joined: str, vocabulary: Vocabulary) -> bool:
    if (
        left in _HYPHEN_PREFIXES
        # "niet" + a word of its own is always a compound ("niet-verweefbare");
        # the others need a known word ("co-mité" is "comité").
        and (_known(right, vocabulary) or (left == "niet" and len(right) >= 4))
        and _frequency(joined) < _COMMON_WORD
    ):
        return True
    # Coordinated adjectives ("etnisch-culturele", "sociaal-economisch", "publiek-private"),
    # not a line break inside one ("strate-gische", "bilate-rale").
    if (
        left.endswith(_ADJECTIVE_ENDINGS_LEFT)
        and right.endswith(_ADJECTIVE_ENDINGS)
        and _known(left, vocabulary)
        and _known(right, vocabulary)
        and _frequency(joined) < _COMMON_WORD
    ):
        return True
    if left in _NUMERALS and right.startswith(_NUMERALS):
        return True
    # Coordinated titles: "secretaris-generaal", "minister-president".
    return right in ("generaal", "generaals", "president", "presidenten")


def _known(word: str, vocabulary: Vocabulary) -> bool:
    return word in vocabulary or _frequency(word) > 0


@lru_cache(maxsize=65536)
def _frequency(word: str) -> float:
    """Zipf frequency in Dutch (0 = not a word the list knows)."""
    return zipf_frequency(word, "nl")


def _english_compound(left: str, right: str) -> bool:
    """Two English words, at least one of them clearly more English than Dutch
    ("bottom-up", "no-deal", "social-profit"; not "media-data")."""
    left_english, right_english = _english(left), _english(right)
    return (
        min(left_english, right_english) >= _ENGLISH_WORD
        and max(left_english - _frequency(left), right_english - _frequency(right)) >= _MORE_ENGLISH
    )


@lru_cache(maxsize=16384)
def _english(word: str) -> float:
    return zipf_frequency(word, "en")


def _starts_sentence(text: str, start: int) -> bool:
    # A bounded look back: the text before a word can be long, the words are many.
    window = max(0, start - 40)
    before = text[window:start].rstrip(_OPENING)
    if not before:
        return window == 0
    if before[-1] in _SENTENCE_END:
        return True
    # Paragraph numbers and section numbers start a sentence: "7 Het medialandschap".
    last_word = before.rsplit(None, 1)[-1]
    return last_word.replace(".", "").isdigit()
