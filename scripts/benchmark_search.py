"""Search speed at a hundred times the real corpus: 1,000 sections and 100,000
decisions on PostgreSQL (issue 9 point 2; method and figures in docs/search.md).

    .venv/bin/python scripts/benchmark_search.py [--url postgres://…/akk_search_bench]
        [--rebuild] [--runs 15] [--explain]

Builds the database once (then reuses it; --rebuild starts over): real Dutch
words drawn by their frequency (wordfreq's list, Zipf-like, so there are
common and rare words as in real text), PDF-style hyphens in the agreement
texts, 50 citations per section (50,000), HTML decision texts, a document on
one decision in twenty. The search documents are written by the app's own
code (`rebuild_search_index`), which is timed too.

Then each query of QUERIES runs `--runs` times through the Django test client
(the whole page: parse, count, rank, page, snippets, template) with the web
limits of production (statement_timeout, JIT off), and p50 / p95 per query and
over all are printed, with the query count of one request. A benchmark, not a
test: the figures depend on the machine.
"""

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/akk_search_bench"

SECTIONS, DECISIONS, CITATIONS_PER_SECTION = 1_000, 100_000, 50
CHAPTERS = ["Samenleven", "Omgeving", "Onderwijs", "Welzijn", "Justitie", "Economie",
            "Financiën", "Mobiliteit", "Cultuur", "Werk"]  # fmt: skip
# (label, query): single words common and rare, phrases, prefixes, no hit,
# the issue's own examples and a hostile input.
QUERIES = [
    ("common word", "regering"),
    ("common word 2", "onderwijs"),
    ("medium word", "kinderopvang"),
    ("rare word", "participatieorganisatie"),
    ("two words", "lokale besturen"),
    ("three words", "betaalbaar wonen energie"),
    ("phrase", '"ouderlijke verantwoordelijkheid"'),
    ("common phrase", '"van de"'),
    ("prefix", "integr*"),
    ("common prefix", "be*"),
    ("no hit", "xylofoonorkest"),
    ("split word", "afgeleverd"),
    ("accents", "financiën"),
    ("33 dashes", "-" * 33 + " wonen"),
    ("long input", "wonen " * 60),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--rebuild", action="store_true", help="drop and build the database")
    parser.add_argument("--runs", type=int, default=15, help="timed requests per query")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE")
    args = parser.parse_args()

    name = args.url.rsplit("/", 1)[1]
    if not re.fullmatch(r"akk_[a-z0-9_]+", name):
        sys.exit("refusing: the benchmark database's name must be akk_ and [a-z0-9_]")
    os.environ.update(
        DATABASE_URL=args.url,
        DEBUG="0",
        SECRET_KEY="benchmark-only-" + "x" * 50,
        SECURE_SSL_REDIRECT="0",
        RATE_LIMIT="1000000000",
        ALLOWED_HOSTS="testserver",
        # One persistent connection, as production runs (and one server
        # process whose CPU time can be read).
        CONN_MAX_AGE="600",
    )
    server = args.url.rsplit("/", 1)[0] + "/postgres"
    # The name is checked above: no quoting can be broken.
    exists = _psql(server, f"SELECT 1 FROM pg_database WHERE datname = '{name}'")  # noqa: S608
    exists = exists.strip() == "1"
    if args.rebuild and exists:
        _psql(server, f'DROP DATABASE "{name}"')
        exists = False
    if not exists:
        _psql(server, f'CREATE DATABASE "{name}"')
        _migrate()
        _build()
    _measure(args.runs, args.explain)


def _psql(url: str, sql: str) -> str:
    return subprocess.run(
        ["psql", url, "-tAc", sql], check=True, capture_output=True, text=True
    ).stdout


def _migrate() -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--verbosity", "0"],
        check=True,
        env=os.environ,
        cwd=ROOT,
    )


def _setup(*, web: bool) -> None:
    import django

    if web:
        # The limits of web traffic (config/wsgi.py): statement_timeout and JIT off.
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        from django.conf import settings

        django.setup()
        from operations.database import limit_web_queries

        limit_web_queries()
        assert settings.DATABASES["default"]["OPTIONS"]["options"]
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        django.setup()


# --------------------------------------------------------------------------- building


def _vocabulary() -> tuple[list[str], list[float]]:
    from wordfreq import top_n_list

    words = [w for w in top_n_list("nl", 30_000) if w.isalpha() and len(w) > 1]
    weights = [1 / (rank + 10) for rank in range(len(words))]  # Zipf-like
    return words, weights


class _Text:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.words, weights = _vocabulary()
        self.cumulative = list(_accumulate(weights))

    def words_(self, count: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=count)

    def sentence(self, count: int) -> str:
        text = " ".join(self.words_(count))
        return text[0].upper() + text[1:] + "."

    def paragraph(self, sentences: int, hyphenate: bool = False) -> str:
        parts = []
        for _ in range(sentences):
            sentence = self.sentence(self.rng.randint(8, 22))
            if hyphenate:
                sentence = self._hyphenate(sentence)
            parts.append(sentence)
        return " ".join(parts)

    def _hyphenate(self, sentence: str) -> str:
        """A PDF line-break hyphen inside one long word in three sentences."""
        words = sentence.split(" ")
        long = [i for i, w in enumerate(words) if len(w) > 9 and w.isalpha()]
        if long and self.rng.random() < 0.33:
            i = self.rng.choice(long)
            cut = self.rng.randint(4, len(words[i]) - 4)
            words[i] = f"{words[i][:cut]}-{words[i][cut:]}"
        return " ".join(words)


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def _build() -> None:
    _setup(web=False)
    from django.db import connection, transaction

    from commitments.models import Agreement, Chapter, Citation, Section, Summary
    from commitments.searchindex import rebuild_search_index
    from core.searchindex import signals_suspended
    from decisions.models import Decision, DecisionDocument

    rng = random.Random(20191002)
    text = _Text(rng)
    started = time.perf_counter()
    print(f"building: {SECTIONS} sections, {DECISIONS} decisions …", flush=True)
    with transaction.atomic(), signals_suspended():
        agreement = Agreement.objects.create(title="Regeerakkoord 2019-2024", slug="ra-2019")
        chapters = [
            Chapter.objects.create(agreement=agreement, title=title, slug=f"h{i}", position=i)
            for i, title in enumerate(CHAPTERS)
        ]
        first_day = date(2019, 10, 1)
        decisions = []
        for n in range(DECISIONS):
            title = f"{text.sentence(rng.randint(5, 14))[:-1]} ({n})"
            decisions.append(
                Decision(
                    title=title,
                    normalized_title=title.casefold(),
                    alternative_title=(
                        f"Besluit van de Vlaamse Regering tot {text.sentence(10)[:-1].lower()}"
                        if rng.random() < 0.5
                        else ""
                    ),
                    date=first_day + timedelta(days=rng.randint(0, 5 * 365)),
                    kind=rng.choice(["nota", "mededeling", ""]),
                    text="".join(
                        f"<p>{text.paragraph(rng.randint(1, 3))}</p>"
                        for _ in range(rng.randint(1, 3))
                    ),
                )
            )
            if len(decisions) == 5_000:
                Decision.objects.bulk_create(decisions)
                decisions = []
        Decision.objects.bulk_create(decisions)
        ids = list(Decision.objects.values_list("pk", flat=True))
        DecisionDocument.objects.bulk_create(
            [
                DecisionDocument(
                    decision_id=pk,
                    kind="MEDEDELING AAN DE VLAAMSE REGERING",
                    subject=text.sentence(8)[:-1],
                    body="\n\n".join(
                        f"## {text.sentence(2)[:-1]}\n\n{text.paragraph(6)}" for _ in range(4)
                    ),
                )
                for pk in rng.sample(ids, DECISIONS // 20)
            ],
            batch_size=2_000,
        )
        # The example phrase of the issue, exact in a few sections and by stem in others.
        sections = []
        for n in range(SECTIONS):
            body = text.paragraph(rng.randint(6, 20), hyphenate=True)
            if n % 97 == 0:
                body += " De ouderlijke verantwoorde-lijkheid wordt sterker in beeld gebracht."
            elif n % 89 == 0:
                body += " Ouders en ouderen dragen de verantwoordelijkheid samen."
            if n % 53 == 0:
                body += " Het rapport werd afgele-verd."
            sections.append(
                Section(
                    chapter=chapters[n % len(chapters)],
                    number=f"{n // 100 + 1}.{n % 100 + 1}",
                    title=text.sentence(rng.randint(3, 8))[:-1],
                    text=body,
                    sort_key=f"{n // 100 + 1:04d}.{n % 100 + 1:04d}",
                )
            )
        Section.objects.bulk_create(sections)
        Summary.objects.bulk_create(
            [
                Summary(
                    section=section,
                    body="\n\n".join(
                        f"## {text.sentence(2)[:-1]}\n\n{text.paragraph(5)} \\[{i}\\]"
                        for i in range(4)
                    ),
                    conclusion=text.paragraph(2),
                )
                for section in sections
            ]
        )
        citations = [
            Citation(section=section, number=i, decision_id=pk, raw_title="")
            for section in sections
            for i, pk in enumerate(rng.sample(ids, CITATIONS_PER_SECTION))
        ]
        Citation.objects.bulk_create(citations, batch_size=5_000)
        print(f"  rows written in {time.perf_counter() - started:.0f} s", flush=True)
        indexed = time.perf_counter()
        section_count, decision_count = rebuild_search_index()
        print(
            f"  rebuild_search_index: {section_count} sections, {decision_count} decisions "
            f"in {time.perf_counter() - indexed:.0f} s",
            flush=True,
        )
    connection.close()
    subprocess.run(["psql", os.environ["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], check=True)


# --------------------------------------------------------------------------- measuring


def _measure(runs: int, explain: bool) -> None:
    _setup(web=True)
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from commitments.models import SectionSearchDocument
    from decisions.models import DecisionSearchDocument

    # The test client's host, and the response's context (hit counts).
    setup_test_environment()
    client = Client()
    url = reverse("commitments:search")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        timeout = cursor.fetchone()[0]
        cursor.execute("SHOW jit")
        print(f"web limits: statement_timeout {timeout}, jit {cursor.fetchone()[0]}")
    print(
        f"database: {SectionSearchDocument.objects.count()} section documents, "
        f"{DecisionSearchDocument.objects.count()} decision documents"
    )
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 CPUs: above 2, requests queue)")
    print(
        f"{'query':<16} {'hits':>7} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'cpu ms':>7}  input"
    )
    every, every_cpu = [], []
    for label, query in QUERIES:
        response = client.get(url, {"q": query}, secure=True)  # warm-up, and the check
        assert response.status_code == 200, (label, response.status_code)
        results = response.context["results"]
        # Counted by a wrapper: the test client's request_started resets the query log.
        sent = []

        def counting(execute, *args, sent=sent):
            sent.append(1)
            return execute(*args)

        with connection.execute_wrapper(counting):
            client.get(url, {"q": query}, secure=True)
        times = []
        backend = _backend_cpu()
        process = time.process_time()
        for _ in range(runs):
            start = time.perf_counter()
            client.get(url, {"q": query}, secure=True)
            times.append((time.perf_counter() - start) * 1000)
        # CPU time of this process and of its PostgreSQL backend per request:
        # what a request costs, whatever else the machine is running.
        cpu = ((time.process_time() - process) * 1000 + _backend_cpu() - backend) / runs
        every += times
        every_cpu.append(cpu)
        hits = "timeout" if results.timed_out else results.count
        print(
            f"{label:<16} {hits:>7} {len(sent):>7} "
            f"{statistics.median(times):8.1f} {_p95(times):8.1f} {cpu:7.1f}  {query[:40]!r}",
            flush=True,
        )
    print(
        f"{'all':<16} {'':>7} {'':>7} {statistics.median(every):8.1f} {_p95(every):8.1f} "
        f"{statistics.mean(every_cpu):7.1f}"
    )
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    if explain:
        _explain()


def _backend_cpu() -> float:
    """CPU milliseconds used so far by this connection's PostgreSQL backend
    (/proc: the server runs on this machine; 10 ms resolution, so only sums
    over many requests mean something)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def _explain() -> None:
    """EXPLAIN ANALYZE of the page query as commitments.search sends it."""
    from django.db import connection

    from commitments import search as search_module
    from commitments.models import SectionSearchDocument
    from decisions.models import DecisionSearchDocument

    for query in ["kinderopvang", "ouderlijke verantwoordelijkheid", "regering"]:
        engine = search_module._PostgresSearch(search_module.parse_query(query))
        parts = [
            (0, engine.matching(SectionSearchDocument.objects.all(), 0, "section_id")),
            (1, engine.matching(DecisionSearchDocument.objects.all(), 1, "decision_id")),
        ]
        ranked = [
            engine.ranked(engine.candidates(kind, part)).values_list("kind", "obj", "rank")
            for kind, part in parts
        ]
        sql, params = ranked[0].union(ranked[1], all=True).query.sql_with_params()
        # Django's own compiled SQL inside: nothing from the outside.
        page = (
            "SELECT kind, obj, rank, SUM(CASE WHEN kind = 0 THEN 1 ELSE 0 END) OVER (), "  # noqa: S608
            "SUM(CASE WHEN kind = 1 THEN 1 ELSE 0 END) OVER () "
            f"FROM ({sql}) hits ORDER BY rank DESC, kind, obj LIMIT 50 OFFSET 0"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {page}", params)
            print(f"\nEXPLAIN ANALYZE, q={query!r}\n" + "\n".join(r[0] for r in cursor))


if __name__ == "__main__":
    main()
