"""Step one of an import: which files a run reads, and each one's chapter and provenance."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from .parsing import AnalysisImportError

SUFFIXES = {".md", ".txt"}


@dataclass(frozen=True)
class SourceFile:
    path: Path
    chapter: str
    source: str  # provenance: relative to the imported root, chapter folder first


def collect_files(paths: Iterable[str | Path], *, chapter: str | None) -> list[SourceFile]:
    """The files of a run, in a stable order, each with its chapter."""
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
            found.append(SourceFile(root, chapter, f"{chapter}/{root.name}"))
        elif root.is_dir():
            if chapter:
                raise AnalysisImportError(
                    str(root),
                    None,
                    _(
                        "--chapter geldt alleen voor losse bestanden; "
                        "in een map is de eerste map het hoofdstuk"
                    ),
                )
            for path in sorted(root.rglob("*")):
                relative = path.relative_to(root)
                if (
                    not path.is_file()
                    or path.suffix.lower() not in SUFFIXES
                    or any(part.startswith(".") for part in relative.parts)
                ):
                    continue
                # A file directly under the root is a chapter of its own (Media.md).
                name = relative.parts[0] if len(relative.parts) > 1 else path.stem
                found.append(SourceFile(path, name, relative.as_posix()))
        else:
            raise AnalysisImportError(str(root), None, _("bestand of map bestaat niet"))
    return found


def batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
