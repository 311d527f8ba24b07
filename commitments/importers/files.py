"""Step one of an import: which files a run reads, and each one's chapter and provenance.

Provenance (`Summary.source_file`) is the file's path below the imported
root, chapter folder first. Every entry point (a folder, a single file with
--chapter, the admin upload, load_seed) names the same file the same way, so
that importing it through another entry point finds it unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.utils.text import slugify
from django.utils.translation import gettext as _

from .parsing import AnalysisImportError

SUFFIXES = {".md", ".txt"}
MAX_SOURCE = 1000  # Summary.source_file


@dataclass(frozen=True)
class SourceFile:
    path: Path
    chapter: str
    source: str  # provenance: relative to the imported root, chapter folder first
    # False when the entry point knows the chapter and the file's name but not
    # the folders between them (a single file): see `provenance`.
    exact: bool = True


def provenance(stored: str, source_file: SourceFile) -> str:
    """The provenance to store for a section whose file is imported again.

    A single file knows only its chapter and its name; when the section's
    stored provenance names a file of that name (from a folder import, with
    the groupings in between), it is the same file and that path is kept.
    """
    if (
        not source_file.exact
        and stored
        and PurePosixPath(stored).name == PurePosixPath(source_file.source).name
    ):
        return stored
    return source_file.source


def collect_files(paths: Iterable[str | Path], *, chapter: str | None) -> list[SourceFile]:
    """The files of a run, in a stable order, each with its chapter.

    A folder's first level are chapters, unless `chapter` names the one
    chapter that everything in it belongs to.
    """
    found: list[SourceFile] = []
    for raw in paths:
        root = Path(raw)
        if root.is_file():
            if not chapter:
                raise AnalysisImportError(
                    str(root),
                    None,
                    _("een los bestand heeft --chapter nodig (de naam van het hoofdstuk)"),
                )
            found.append(SourceFile(root, chapter, f"{chapter}/{root.name}", exact=False))
        elif root.is_dir():
            found.extend(_folder(root, chapter))
        else:
            raise AnalysisImportError(str(root), None, _("bestand of map bestaat niet"))
    for source_file in found:
        if len(source_file.source) > MAX_SOURCE:
            raise AnalysisImportError(
                str(source_file.path),
                None,
                _("het pad van dit bestand is langer dan %(max)s tekens") % {"max": MAX_SOURCE},
            )
    return found


def _folder(root: Path, chapter: str | None) -> Iterator[SourceFile]:
    # A folder imported as one chapter is that chapter's folder when the names
    # agree; otherwise the folders above it are unknown, as for a single file.
    own_folder = chapter is not None and slugify(root.name) == slugify(chapter)
    for path in _analysis_files(root):
        relative = path.relative_to(root).as_posix()
        if chapter is None:
            # A file directly under the root is a chapter of its own (Media.md).
            parts = PurePosixPath(relative).parts
            name = parts[0] if len(parts) > 1 else path.stem
            yield SourceFile(path, name, relative)
        elif own_folder:
            yield SourceFile(path, chapter, f"{root.name}/{relative}")
        else:
            yield SourceFile(path, chapter, f"{chapter}/{relative}", exact=False)


def _analysis_files(root: Path) -> list[Path]:
    files = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if (
            path.is_file()
            and path.suffix.lower() in SUFFIXES
            and not any(part.startswith(".") for part in relative.parts)
        ):
            files.append(path)
    return files


def refuse_chapter_folders(
    paths: Iterable[str | Path], *, chapters: dict[str, str], agreement: str
) -> None:
    """A folder named like an existing chapter is most likely that chapter's
    own folder (`import_analyses corpus/Omgeving`); importing it as a corpus
    would turn its sub-folders into chapters. Ask instead of guessing.

    `chapters` maps the agreement's chapter slugs to their titles.
    """
    for raw in paths:
        root = Path(raw)
        title = chapters.get(slugify(root.name)) if root.is_dir() else None
        if title is None:
            continue
        would_be = sorted(
            {
                relative.parts[0] if len(relative.parts) > 1 else path.stem
                for path in _analysis_files(root)
                for relative in [path.relative_to(root)]
            }
        )
        shown = ", ".join(f"'{name}'" for name in would_be[:3]) + (
            ", …" if len(would_be) > 3 else ""
        )
        raise AnalysisImportError(
            str(root),
            None,
            _(
                "deze map heet zoals hoofdstuk '%(chapter)s' van %(agreement)s, maar bij een map "
                "wordt elke submap een hoofdstuk (%(would_be)s). Importeer de map als dat "
                'hoofdstuk met --chapter "%(chapter)s", of bevestig met '
                "--subfolders-as-chapters dat de submappen hoofdstukken zijn"
            )
            % {"chapter": title, "agreement": agreement, "would_be": shown or "-"},
        )


def batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
