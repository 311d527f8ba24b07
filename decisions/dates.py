"""Dates as editors type them in a search box: ISO (2020-06-26) or Belgian
(26/06/2020, 26-06-2020, 26.06.2020)."""

import re
from datetime import date

_ISO = re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)")
_BELGIAN = re.compile(r"(?<!\d)(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})(?!\d)")


def split_search_date(term: str) -> tuple[date | None, str]:
    """The first valid date in `term` and the rest of the term without it.

    "2020-06-26 participatie" gives (2020-06-26, "participatie"); a term without
    a valid date (or with an impossible one, 31/02/2020) is returned whole.
    """
    for pattern in (_ISO, _BELGIAN):
        for match in pattern.finditer(term):
            try:
                day = date(int(match["year"]), int(match["month"]), int(match["day"]))
            except ValueError:
                continue
            rest = f"{term[: match.start()]} {term[match.end() :]}"
            return day, " ".join(rest.split())
    return None, term
