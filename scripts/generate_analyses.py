"""Write N synthetic section analyses in the corpus format, for benchmarks and
the kill test: python scripts/generate_analyses.py N OUTDIR [--seed S]

Each file has 10-100 citations drawn from a pool of decisions shared across
files (some titles recur with another date, as in the corpus), a few
citations without link or title, PDF hyphenation, a "Conclusie" heading, and
sits in Chapter/Grouping/Section.md or directly under OUTDIR.
"""

import argparse
import random
from pathlib import Path
from urllib.parse import quote

CHAPTERS = [
    "Samenleven", "Omgeving", "Onderwijs", "Welzijn", "Justitie", "Economie en innovatie",
    "Financien en begroting", "Mobiliteit en openbare werken", "Cultuur, jeugd en sport",
]  # fmt: skip
GROUPINGS = ["", "Concrete voorstellen", "Uitdagingen en visie", "Werf 1_ Welzijn en gezin"]
WORDS = [
    "regering",
    "beleid",
    "decreet",
    "subsidie",
    "uitvoering",
    "evaluatie",
    "lokale",
    "besturen",
    "samenwerking",
    "middelen",
    "kader",
    "plan",
    "actie",
    "burgers",
    "onderwijs",
    "zorg",
    "mobiliteit",
    "klimaat",
    "energie",
    "inburgering",
    "gelijke",
    "kansen",
    "digitalisering",
    "veerkracht",
    "investering",
    "opvolging",
]
SEARCH = "https://beslissingenvlaamseregering.vlaanderen.be/?search={q}&dateOption=select&startDate={d}T08%3A00%3A00Z&endDate={d}T08%3A00%3A00Z"


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def decision_pool(rng: random.Random, size: int) -> list[tuple[str, str]]:
    pool = []
    for index in range(size):
        title = f"{sentence(rng, rng.randint(4, 12))[:-1]} {index}"
        day = f"20{rng.randint(19, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        pool.append((title, day))
        if rng.random() < 0.1:  # the same title taken again at another meeting
            pool.append((title, f"20{rng.randint(19, 24)}-{rng.randint(1, 12):02d}-15"))
    return pool


def analysis(rng: random.Random, number: str, title: str, pool) -> str:
    count = rng.randint(10, 100)
    cited = [rng.choice(pool) for _ in range(count)]
    paragraphs = []
    for start in range(0, count, 4):
        refs = "".join(f"\\[{n}\\]" for n in range(start, min(start + 4, count)))
        paragraphs.append(
            f"{start // 4 + 1}. **{sentence(rng, 3)[:-1]}**: {sentence(rng, 40)} {refs}"
        )
    text = " ".join(sentence(rng, 15) for _ in range(12)).replace("subsidie", "subsi-die")
    references = []
    for n, (decision_title, day) in enumerate(cited):
        if rng.random() < 0.02:
            references.append(f"**[\\[{n}\\]]** : **({day})**  ")
        else:
            url = SEARCH.format(q=quote(decision_title), d=day)
            references.append(f"**[\\[{n}\\]]({url})** : **({day})** {decision_title} ")
    return (
        f"# {title}\n\n<details>\n        <summary>Regeerakkoord Sectie </summary>\n"
        f"        <p>{number} {title} {text} </p>\n        </details> \n\n"
        "Samenvatting van regeringsbesluiten en hun relatie tot het regeerakkoord\n\n"
        + "\n\n".join(paragraphs)
        + f"\n\n### Conclusie\n\n{sentence(rng, 60)}\n\n"
        "<details>\n        <summary> Referenties</summary>\n        \n"
        + "\n\n".join(references)
        + "\n        </details> \n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    # About the real corpus's 2,600 distinct decisions, whatever N is.
    pool = decision_pool(rng, 2400)
    for index in range(args.count):
        title = f"Sectie {index} {rng.choice(WORDS)}"
        if index % 50 == 7:  # a chapter of its own, like Media.md
            path = args.outdir / f"Losse sectie {index}.md"
            number = str(10 + index)
        else:
            chapter = CHAPTERS[index % len(CHAPTERS)]
            grouping = rng.choice(GROUPINGS)
            path = args.outdir / chapter / grouping / f"{title}.md"
            number = f"{index // len(CHAPTERS) + 1}.{rng.randint(1, 9)}.{index}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(analysis(rng, number, title, pool), encoding="utf-8")


if __name__ == "__main__":
    main()
