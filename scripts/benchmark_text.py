"""Benchmark the text pipeline on real analysis files: de-hyphenation of each
section's agreement text (core.text, with the section's own vocabulary, as the
section page and the search documents use it) and rendering of its summary.

    DEBUG=1 python scripts/benchmark_text.py [FOLDER] [--repeat 20]

FOLDER defaults to the corpus sample (settings.CORPUS_SAMPLE_DIR). "cold" is the
first text of a fresh process (the word lists load and every word is looked up
once), "warm" the same texts again with the lookups cached, as in a running
worker. Not part of the test suite.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def main() -> None:
    import django

    django.setup()
    from django.conf import settings

    from commitments.importers import read_analysis
    from core.rendering import render_markdown
    from core.text import dehyphenate, hyphens, vocabulary_of

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", default=str(settings.CORPUS_SAMPLE_DIR))
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()

    files = sorted(Path(options.folder).rglob("*.md"))
    if not files:
        sys.exit(f"No analysis files under {options.folder}")
    sections = []
    for path in files:
        analysis = read_analysis(path, source=str(path))
        clean = [analysis.body, analysis.conclusion, *(c.title for c in analysis.citations)]
        sections.append((path, analysis, clean))

    started = time.perf_counter()
    vocabularies = [vocabulary_of(clean) for _, _, clean in sections]
    vocabulary_ms = (time.perf_counter() - started) * 1000 / len(sections)

    started = time.perf_counter()
    dehyphenate(sections[0][1].text, vocabularies[0])
    first_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    for (_, analysis, _), vocabulary in zip(sections, vocabularies, strict=True):
        dehyphenate(analysis.text, vocabulary)
    cold_ms = (time.perf_counter() - started) * 1000

    render_markdown(sections[0][1].body, link_citations=True)  # the parser is built once
    warm, render = [], []
    for (_, analysis, _), vocabulary in zip(sections, vocabularies, strict=True):
        started = time.perf_counter()
        for _ in range(options.repeat):
            dehyphenate(analysis.text, vocabulary)
        warm.append((time.perf_counter() - started) * 1000 / options.repeat)
        started = time.perf_counter()
        render_markdown(analysis.body, link_citations=True, top_heading_level=3)
        render.append((time.perf_counter() - started) * 1000)

    chars = [len(analysis.text) for _, analysis, _ in sections]
    found = sum(len(hyphens(analysis.text)) for _, analysis, _ in sections)
    longest = max(range(len(sections)), key=lambda i: chars[i])
    print(f"{len(sections)} sections, {sum(chars):,} characters of agreement text, {found} hyphens")
    print(f"vocabulary of a section (summary + cited titles): {vocabulary_ms:.2f} ms")
    print(f"first text of a fresh process (word lists load): {first_ms:.0f} ms")
    print(f"all texts once, cold lookups: {cold_ms:.0f} ms")
    print(
        f"per section text, warm: median {statistics.median(warm):.2f} ms, "
        f"max {max(warm):.2f} ms ({chars[longest]:,} characters, {files[longest].name})"
    )
    print(f"per summary, render with citations: median {statistics.median(render):.1f} ms, "
          f"max {max(render):.1f} ms")  # fmt: skip
    mean = statistics.mean(warm) + vocabulary_ms
    print(f"1,000 sections (search documents rebuilt): about {mean:.2f} s warm")


if __name__ == "__main__":
    main()
