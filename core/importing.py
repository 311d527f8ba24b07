"""What every importer shares: reading a file safely, the error that names the
file and line, and the lock that serialises imports (both apps create decisions)."""

from pathlib import Path

from django.db import connection
from django.utils.translation import gettext as _

# The largest real analysis is about 40 kB and a decision document is of the
# same order; anything this big is not one, and refusing it keeps one bad file
# from filling memory and rows.
MAX_FILE_BYTES = 2 * 1024 * 1024
# Any constant shared by every importer; pg_advisory_xact_lock takes a bigint.
IMPORT_LOCK_KEY = 7_301_920_241


class ImportFileError(Exception):
    """Bad input: names the file, the line (1-based, when known) and what was expected."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


def lock_imports() -> None:
    """Serialise imports inside the current transaction: two runs at once would
    both create the same decisions. SQLite already allows one writer at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


def read_text(path: Path, *, source: str) -> str:
    """A file's text, refusing what is too big, binary or not UTF-8."""
    try:
        size = path.stat().st_size
    except OSError:
        raise ImportFileError(source, None, _("bestand bestaat niet")) from None
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            source,
            None,
            _("bestand te groot (%(size)s bytes); de grens is %(limit)s bytes")
            % {"size": size, "limit": MAX_FILE_BYTES},
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            source,
            data.count(b"\n", 0, exc.start) + 1,
            _("geen geldige UTF-8-tekst (byte %(offset)s); verwacht een UTF-8-tekstbestand")
            % {"offset": exc.start},
        ) from None
    if "\x00" in text:
        raise ImportFileError(source, None, _("binair bestand; verwacht UTF-8-tekst"))
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
