"""Full-page screenshots of the key pages, desktop (1280 px) and phone (390 px).

Usage: .venv/bin/python scripts/screenshots.py BASE_URL OUTDIR [DECISION_PATH]
e.g.   .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 /tmp/shots /nl/beslissingen/4/

Takes the overview, section 1.2 of Samenleven and a decision page (DECISION_PATH,
e.g. the one seed 003 attached to; by default the first decision cited by 1.2),
with Debian's Chromium.
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SECTION = "/nl/akkoorden/regeerakkoord-2019-2024/samenleven/1.2/"
WIDTHS = {"desktop": 1280, "phone": 390}


def main(base_url: str, outdir: Path, decision_path: str | None = None) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for label, width in WIDTHS.items():
            page = browser.new_page(
                base_url=base_url, viewport={"width": width, "height": 900}, locale="nl-BE"
            )
            decision_url = decision_path or _first_cited_decision(page)
            pages = [("overzicht", "/nl/"), ("sectie-1.2", SECTION), ("beslissing", decision_url)]
            for name, url in pages:
                response = page.goto(url)
                path = outdir / f"{name}-{label}.png"
                page.screenshot(path=str(path), full_page=True)
                print(f"{path}  ({response.status} {url})")
            page.close()
        browser.close()


def _first_cited_decision(page) -> str:
    page.goto(SECTION)
    decision = page.locator(".references a[href^='/nl/beslissingen/']").first
    if decision.count():
        return decision.get_attribute("href")
    page.goto("/nl/beslissingen/")
    return page.locator(".decision-list a").first.get_attribute("href")


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(sys.argv[1].rstrip("/"), Path(sys.argv[2]), sys.argv[3] if len(sys.argv) == 4 else None)
