"""What every importer shares: reading a file safely, the error that names the
file and line, and the lock that serialises imports (both apps create decisions)."""

from collections.abc import Callable
from pathlib import Path

from django.db import OperationalError, connection
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


class ImportBusyError(Exception):
    """Another import holds the import lock (and this one was not to wait for it)."""


def lock_imports(*, wait: bool = True, on_wait: Callable[[], None] | None = None) -> None:
    """Serialise imports inside the current transaction: two runs at once would
    both create the same decisions. Call it first in the transaction.

    Without `wait`, raise ImportBusyError at once when another import holds the
    lock: a web request must not hang until its worker is killed. With `wait`,
    `on_wait` (if given) is called once before waiting, so a command can say why
    it is quiet. PostgreSQL: a transaction-level advisory lock. SQLite allows
    one writer at a time, so the write lock is the import lock: it is taken
    now, trying briefly first.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if not wait or on_wait is not None:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
                if cursor.fetchone()[0]:
                    return
                if not wait:
                    raise ImportBusyError
                on_wait()
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
    elif connection.vendor == "sqlite":
        _sqlite_write_lock(wait=wait, on_wait=on_wait)


# How long a web request waits for SQLite's write lock: long enough for an
# editor's save to finish, far shorter than an import.
_SQLITE_TRY_MS = 1000


def _sqlite_write_lock(*, wait: bool, on_wait: Callable[[], None] | None) -> None:
    configured_ms = int(float(connection.settings_dict["OPTIONS"].get("timeout", 5)) * 1000)
    with connection.cursor() as cursor:
        attempts = [_SQLITE_TRY_MS]
        if wait:
            attempts.append(configured_ms)
        try:
            for number, timeout_ms in enumerate(attempts):
                cursor.execute(f"PRAGMA busy_timeout = {timeout_ms:d}")
                try:
                    # A write that changes nothing takes the database's write lock.
                    cursor.execute("UPDATE django_migrations SET id = id WHERE 0")
                    return
                except OperationalError as exc:
                    if "locked" not in str(exc):
                        raise
                    if number == 0 and wait and on_wait is not None:
                        on_wait()
            raise ImportBusyError
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {configured_ms:d}")


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
