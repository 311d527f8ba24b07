"""The whole content as one JSON file, and back into an empty database.

Portable between SQLite and PostgreSQL (moving a database from one to the
other is a restore); for a full copy of a PostgreSQL database use pg_dump
(docs/operations.md). Django's serialisers and loaddata do the work; this
module adds the snapshot, full time precision, the checks and the row counts.
"""

import datetime
import json
import os
import tempfile
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, models, transaction
from django.utils.translation import gettext as _

from commitments.searchindex import rebuild_search_index
from core.cache import bump_content_version

CONTENT_APPS = ["commitments", "decisions"]
# Accounts come along: evaluations name their author and the admin history its
# editor. Their password hashes make the file a secret (mode 0600).
ACCOUNT_MODELS = ["auth.Group", "auth.User", "admin.LogEntry"]


class BackupError(Exception):
    """A backup that cannot be written or restored; the message says why."""


# Derived from the content and rebuilt after a restore: never in a backup.
DERIVED_MODELS = {"commitments.SectionSearchDocument", "decisions.DecisionSearchDocument"}


def backup_models() -> list[type[models.Model]]:
    content = [
        model
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label not in DERIVED_MODELS
    ]
    # In dependency order: groups before users, users before whoever names them.
    return [apps.get_model(label) for label in ACCOUNT_MODELS] + content


def row_counts() -> dict[str, int]:
    """Rows per model, and per many-to-many relation ("decisions.Decision.ministers")."""
    counts = {}
    for model in backup_models():
        counts[model._meta.label] = model._default_manager.count()
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            counts[f"{model._meta.label}.{field.name}"] = through._default_manager.count()
    return counts


def export_content(*, path: Path) -> dict[str, int]:
    """Write every backed-up row to `path` (which must not exist yet)."""
    if path.suffix != ".json":
        raise BackupError(_("%(path)s: een back-up is een .json-bestand.") % {"path": path})
    if path.exists():
        raise BackupError(
            _("%(path)s bestaat al; een back-up overschrijft nooit een andere.") % {"path": path}
        )
    if not path.parent.is_dir():
        raise BackupError(
            _("%(path)s: de map %(folder)s bestaat niet; maak ze eerst aan.")
            % {"path": path, "folder": path.parent}
        )
    # Written beside the target and renamed at the end: a failed export never
    # leaves a half file under the real name. mkstemp creates it with mode 0600.
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise _unwritable(path, error) from error
    os.close(handle)
    outermost = not connection.in_atomic_block
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                # One snapshot for all tables, even while editors keep working.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            counts = row_counts()
            records = [
                record
                for model in backup_models()
                for record in serializers.serialize(
                    "python",
                    model._default_manager.order_by("pk").iterator(),
                    use_natural_foreign_keys=True,
                )
            ]
        try:
            with open(temporary, "w", encoding="utf-8") as output:
                json.dump(records, output, cls=_FullPrecisionEncoder, ensure_ascii=False, indent=1)
            os.replace(temporary, path)
        except OSError as error:
            raise _unwritable(path, error) from error
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return counts


def _unwritable(path: Path, error: OSError) -> BackupError:
    return BackupError(
        _("%(path)s kan niet worden geschreven: %(error)s")
        % {"path": path, "error": error.strerror or error}
    )


class _FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's fixtures cut times to milliseconds; a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def import_content(*, path: Path, dry_run: bool = False) -> dict[str, int]:
    """Load a backup into an empty database, in one transaction; all or nothing."""
    expected, record_numbers = counts_in_file(path)
    with transaction.atomic():
        filled = {label: count for label, count in row_counts().items() if count}
        if filled:
            raise BackupError(
                _(
                    "De database is niet leeg (%(filled)s). Een back-up terugzetten kan "
                    "alleen in een lege, gemigreerde database."
                )
                % {"filled": ", ".join(f"{label}: {count}" for label, count in filled.items())}
            )
        # loaddata saves raw rows; the whole restore is one new version.
        bump_content_version()
        try:
            call_command("loaddata", str(path), verbosity=0)
        except (DeserializationError, DatabaseError, ObjectDoesNotExist) as error:
            raise BackupError(
                _("%(path)s kon niet worden ingelezen: %(error)s") % {"path": path, "error": error}
            ) from error
        validate_rows(path, record_numbers)
        # loaddata saves raw (no signals): the search documents from the restored rows.
        rebuild_search_index()
        counts = row_counts()
        if counts != expected:
            differences = ", ".join(
                f"{label}: {expected[label]} in het bestand, {counts[label]} in de database"
                for label in counts
                if counts[label] != expected[label]
            )
            raise BackupError(
                _("%(path)s: de aantallen kloppen niet (%(differences)s); niets bewaard.")
                % {"path": path, "differences": differences}
            )
        if dry_run:
            transaction.set_rollback(True)
    return counts


def validate_rows(path: Path, record_numbers: dict[tuple[str, str], int]) -> None:
    """Every restored row must pass the checks the admin applies (choices, lengths,
    required fields, the models' own clean()), or a restored page could fail.

    Run on the loaded rows, inside the restore's transaction. Foreign keys,
    uniqueness and check constraints are left to the database, which has
    already enforced them on the load; checking them here again would cost a
    query per row.
    """
    for model in backup_models():
        relations = [field.name for field in model._meta.concrete_fields if field.is_relation]
        label = model._meta.label_lower
        for row in model._default_manager.order_by("pk").iterator(chunk_size=2000):
            try:
                row.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                problems = "; ".join(
                    f"{field}: {' '.join(messages)}"
                    for field, messages in error.message_dict.items()
                )
                raise BackupError(
                    _(
                        "%(path)s, record %(number)s (%(model)s, pk %(pk)s): ongeldige waarde "
                        "(%(problems)s); niets bewaard."
                    )
                    % {
                        "path": path,
                        "number": record_numbers.get((label, str(row.pk)), "?"),
                        "model": label,
                        "pk": row.pk,
                        "problems": problems,
                    }
                ) from error


def counts_in_file(path: Path) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """The row counts a backup file promises, after checking its shape, and the
    record number (1-based) of every (model, pk) for messages."""
    if path.suffix != ".json":
        raise BackupError(_("%(path)s: een back-up is een .json-bestand.") % {"path": path})
    try:
        objects = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BackupError(
            _("%(path)s kan niet worden gelezen: %(error)s")
            % {"path": path, "error": error.strerror}
        ) from error
    except UnicodeDecodeError as error:
        raise BackupError(_("%(path)s is geen UTF-8-tekst.") % {"path": path}) from error
    except json.JSONDecodeError as error:
        raise BackupError(
            _("%(path)s, regel %(line)s: geen geldige JSON (%(error)s).")
            % {"path": path, "line": error.lineno, "error": error.msg}
        ) from error
    if not isinstance(objects, list):
        raise BackupError(
            _("%(path)s: een back-up is een JSON-lijst van records.") % {"path": path}
        )
    by_label = {model._meta.label_lower: model for model in backup_models()}
    counts = dict.fromkeys(row_counts(), 0)
    numbers: dict[tuple[str, str], int] = {}
    for number, record in enumerate(objects, start=1):
        model = (
            by_label.get(str(record.get("model", "")).lower()) if isinstance(record, dict) else None
        )
        if model is None or not isinstance(record.get("fields"), dict):
            raise BackupError(
                _("%(path)s, record %(number)s: geen record van een model uit de back-up.")
                % {"path": path, "number": number}
            )
        counts[model._meta.label] += 1
        numbers[(model._meta.label_lower, str(record.get("pk")))] = number
        for field in model._meta.local_many_to_many:
            counts[f"{model._meta.label}.{field.name}"] += len(record["fields"].get(field.name, []))
    return counts, numbers
