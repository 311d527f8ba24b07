"""cProfile of the overview or the 104-citation section page (issue 11 point 2),
through Django's test client with the production settings on the page
benchmark's database, every request with a cache-busting parameter so that the
page cache never answers. Prints the mean wall and CPU time per request, then
the profile sorted by cumulative and by own time.

    python scripts/profile_pages.py {overview,section} [--requests 20]
        [--database-url postgres://postgres@127.0.0.1:5432/akk_scale_bench]
        [--save page.html]

--save writes one response's HTML instead (to check that a change keeps the
page identical). Needs the database scripts/benchmark_pages.py builds and
collected static files (that script collects them). Not part of the test suite.
"""

import argparse
import cProfile
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", choices=["overview", "section"])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/akk_scale_bench"
    )
    parser.add_argument("--save", help="write one response's HTML to this file and stop")
    parser.add_argument("--lines", type=int, default=40, help="profile lines per sort order")
    args = parser.parse_args()
    os.environ.pop("DEBUG", None)
    os.environ.update(
        DATABASE_URL=args.database_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SETTINGS_MODULE="config.settings",
        RATE_LIMIT="0",
        STATIC_MANIFEST="1",
        ALLOWED_HOSTS="127.0.0.1,testserver",
    )
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from commitments.models import Chapter, Section

    if args.page == "overview":
        path = reverse("commitments:home")
    else:
        # The benchmark's big section: 1.1 of the first chapter.
        chapter = Chapter.objects.order_by("position").first()
        path = Section.objects.get(chapter=chapter, number="1.1").get_absolute_url()
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    counter = iter(range(10**9))

    def get():
        response = client.get(f"{path}?_profile={next(counter)}", secure=True)
        assert response.status_code == 200, response.status_code
        return response

    for _ in range(3):  # warm-up: template loading, connection, caches
        get()
    if args.save:
        Path(args.save).write_bytes(get().content)
        return
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.requests):
        get()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"{args.page}: {wall / args.requests * 1000:.1f} ms wall,"
        f" {cpu / args.requests * 1000:.1f} ms CPU per request (without the profiler)"
    )
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.requests):
        get()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(args.lines)
    stats.sort_stats("tottime").print_stats(args.lines)


if __name__ == "__main__":
    main()
