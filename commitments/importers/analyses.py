"""The run: find the files, then parse and write them in batches, all in one
transaction under the import lock."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.importing import lock_imports

from ..models import Agreement
from .files import batches, collect_files, refuse_chapter_folders
from .parsing import AnalysisImportError
from .report import ImportReport
from .writing import SectionWriter

DEFAULT_AGREEMENT = "Regeerakkoord 2019-2024"
# Files parsed and written per round trip: big enough for bulk queries to pay
# off, small enough that memory does not grow with the corpus.
BATCH_SIZE = 200


MAX_AGREEMENT = 200  # Agreement.title and Agreement.slug


def find_agreement(name: str) -> Agreement:
    """The agreement with this slug or title, created when there is none."""
    agreement = Agreement.objects.filter(Q(slug=name) | Q(title=name)).order_by("pk").first()
    if agreement is None:
        title = DEFAULT_AGREEMENT if name == slugify(DEFAULT_AGREEMENT) else name
        if not slugify(title) or len(title) > MAX_AGREEMENT or len(slugify(title)) > MAX_AGREEMENT:
            raise AnalysisImportError(
                "--agreement",
                None,
                _(
                    "verwacht de slug of titel van een regeerakkoord, met letters of cijfers "
                    "en hoogstens %(max)s tekens"
                )
                % {"max": MAX_AGREEMENT},
            )
        agreement = Agreement.objects.create(title=title, slug=slugify(title))
    return agreement


def import_analyses(
    paths: Iterable[str | Path],
    *,
    agreement_title: str = DEFAULT_AGREEMENT,
    chapter: str | None = None,
    dry_run: bool = False,
    overwrite_editor_changes: bool = False,
    subfolders_as_chapters: bool = False,
    user: AbstractBaseUser | None = None,
    wait_for_lock: bool = True,
    on_lock_wait: Callable[[], None] | None = None,
) -> ImportReport:
    """Import analysis files and trees in one transaction; on any error raise
    AnalysisImportError and leave the database as it was.

    What editors changed since the last import of a file is kept, and where
    the file changed the same part a conflict is reported, unless
    `overwrite_editor_changes`: then the file wins everywhere. Every change is
    logged in the section's admin history under `user` (default: the import
    account).

    A folder whose name is that of an existing chapter is refused unless
    `chapter` names its chapter or `subfolders_as_chapters` confirms that its
    sub-folders are chapters.

    While another import runs, this one waits (calling `on_lock_wait` first),
    or with `wait_for_lock=False` raises ImportBusyError at once.
    """
    paths = [Path(path) for path in paths]
    files = collect_files(paths, chapter=chapter)
    report = ImportReport(dry_run=dry_run, overwrite=overwrite_editor_changes)
    user_id = user.pk if user is not None and user.is_authenticated else None
    with transaction.atomic():
        lock_imports(wait=wait_for_lock, on_wait=on_lock_wait)
        agreement = find_agreement(agreement_title)
        if chapter is None and not subfolders_as_chapters and any(p.is_dir() for p in paths):
            refuse_chapter_folders(
                paths,
                chapters=dict(agreement.chapters.values_list("slug", "title")),
                agreement=agreement.title,
            )
        writer = SectionWriter(
            agreement,
            report,
            overwrite=overwrite_editor_changes,
            user_id=user_id,
        )
        for batch in batches(files, BATCH_SIZE):
            writer.run_batch(batch)
        writer.finish()
        if dry_run:
            transaction.set_rollback(True)
    return report
