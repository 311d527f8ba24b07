"""How well the resolve page ranks the right decision, measured on real analyses.

    DEBUG=1 python scripts/benchmark_resolving.py [FOLDER] [--window-extra N]

For every citation that has a title in the analysis files under FOLDER (the
corpus sample by default), the citation is treated as if its source had given
only the date: the context is the summary blocks that use `[n]` (no raw title),
the candidates are the decisions cited anywhere in the folder within the
resolve page's window around the date (commitments.resolving.WINDOWS), and the
rank of the true decision (same normalised title and date) is recorded.

The folder holds only the decisions its own files cite, far fewer per meeting
than the decision database (often 50-100): `--window-extra N` adds, for every
meeting day, N decisions cited elsewhere in the folder under other dates
(moved to that day), as a harder and more realistic candidate list.
No database is used; not part of the test suite.
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    import django

    django.setup()
    from django.conf import settings

    from commitments.importers import read_analysis
    from commitments.resolving import WINDOWS, citation_passages, rank
    from decisions.models import Decision

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", default=str(settings.CORPUS_SAMPLE_DIR))
    parser.add_argument("--window-extra", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--context",
        choices=["block", "sentence", "none"],
        default="block",
        help="what titles are compared with: the blocks using [n] (as the resolve page), "
        "only the sentences, or nothing (the baseline: nearest date, then title)",
    )
    options = parser.parse_args()

    files = sorted(Path(options.folder).rglob("*.md"))
    if not files:
        sys.exit(f"No analysis files under {options.folder}")
    analyses = [read_analysis(path, source=str(path)) for path in files]

    decisions: dict[tuple[str, object], Decision] = {}
    for analysis in analyses:
        for citation in analysis.citations:
            if citation.title and citation.decision_key not in decisions:
                decisions[citation.decision_key] = Decision(
                    pk=len(decisions) + 1, title=citation.title, date=citation.date
                )
    by_date = defaultdict(list)
    for decision in decisions.values():
        by_date[decision.date].append(decision)
    if options.window_extra:
        rng = random.Random(options.seed)
        pool = list(decisions.values())
        next_pk = len(decisions) + 1
        for day in list(by_date):
            for other in rng.sample(pool, min(options.window_extra, len(pool))):
                if other.date != day:
                    by_date[day].append(Decision(pk=next_pk, title=other.title, date=day))
                    next_pk += 1

    def candidates(day):
        for days in WINDOWS:
            found = [
                d
                for offset in range(-days, days + 1)
                for d in by_date.get(day + timedelta(days=offset), [])
            ]
            if found:
                return found
        return []

    ranks, sizes, timings, co_cited, no_sentence = [], [], [], [], 0
    for analysis in analyses:
        for citation in analysis.citations:
            if not citation.title:
                continue
            passages = citation_passages(analysis.body, citation.number) or citation_passages(
                analysis.conclusion, citation.number
            )
            if not passages:
                no_sentence += 1
            context = {
                "block": " ".join(dict.fromkeys(p.block for p in passages)),
                "sentence": " ".join(p.sentence for p in passages),
                "none": "",
            }[options.context]
            pool = candidates(citation.date)
            started = time.perf_counter()
            ranked = rank(pool, context=context, near=citation.date)
            timings.append((time.perf_counter() - started) * 1000)
            true = decisions[citation.decision_key]
            position = next(i for i, c in enumerate(ranked) if c.decision.pk == true.pk)
            ranks.append(position + 1)
            sizes.append(len(pool))
            # How many other decisions the same sentence cites: those the
            # ranking cannot tell apart by the sentence alone.
            markers = sum(
                f"[{other.number}]" in " ".join(p.sentence for p in passages)
                for other in analysis.citations
                if other.number != citation.number
            )
            co_cited.append(markers)

    total = len(ranks)

    def share(k: int) -> str:
        return f"{100 * sum(r <= k for r in ranks) / total:.1f}%"

    print(f"{len(files)} files, {total} citations with a title, {len(decisions)} decisions")
    print(f"citations whose number no summary sentence uses: {no_sentence}")
    print(
        f"candidates per citation: median {statistics.median(sizes):.0f}, "
        f"max {max(sizes)} (extra per day: {options.window_extra}, context: {options.context})"
    )
    print(
        f"true decision ranked 1st: {share(1)}, in top 3: {share(3)}, in top 5: {share(5)}, "
        f"in top 10: {share(10)}"
    )
    print(f"other decisions cited in the same sentence: median {statistics.median(co_cited):.0f}")
    print(
        f"ranking time per citation: median {statistics.median(timings):.2f} ms, "
        f"max {max(timings):.2f} ms"
    )


if __name__ == "__main__":
    main()
