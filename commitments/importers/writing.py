"""Step three of an import: chapters, sections, summaries and citations written
a batch at a time, with a fixed number of queries per batch."""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from decisions.services import CitedDecision, DecisionKey, decisions_get_or_create

from ..models import (
    Agreement,
    Chapter,
    Citation,
    Section,
    Summary,
    relink_section_parents,
    section_sort_key,
)
from ..services import citation_is_resolved_by_editor
from .files import SourceFile
from .parsing import AnalysisImportError, ParsedAnalysis, read_analysis
from .report import ImportReport

PRODUCED_BY = "taalmodel (geïmporteerde analyse)"


class SectionWriter:
    """Writes the batches of one run; remembers what the run has seen so far."""

    def __init__(self, agreement: Agreement, report: ImportReport):
        self.agreement = agreement
        self.report = report
        self.chapters: dict[str, Chapter] = {}
        self.decision_ids: dict[DecisionKey, int] = {}
        self.decisions_seen: set[int] = set()
        self.touched_chapters: set[int] = set()
        self.seen_sections: dict[tuple[int, str], str] = {}
        self.now = timezone.now()

    def chapter(self, name: str, source: str) -> Chapter:
        slug = slugify(name)
        if not slug:
            raise AnalysisImportError(
                source,
                None,
                _("hoofdstuknaam '%(name)s' heeft geen letters of cijfers") % {"name": name},
            )
        if slug not in self.chapters:
            chapter = Chapter.objects.filter(agreement=self.agreement, slug=slug).first()
            if chapter is None:
                last = self.agreement.chapters.order_by("-position").first()
                chapter = Chapter.objects.create(
                    agreement=self.agreement,
                    title=name[:300],
                    slug=slug[:300],
                    position=(last.position + 1) if last else 0,
                )
            self.chapters[slug] = chapter
        return self.chapters[slug]

    def run_batch(self, files: list[SourceFile]) -> None:
        # Messages name the file as the operator can open it; provenance keeps
        # the path relative to the imported root.
        parsed = [(f, read_analysis(f.path, source=str(f.path))) for f in files]
        rows = []
        for source_file, analysis in parsed:
            chapter = self.chapter(source_file.chapter, str(source_file.path))
            key = (chapter.pk, analysis.number)
            if key in self.seen_sections:
                raise AnalysisImportError(
                    str(source_file.path),
                    None,
                    _("sectie %(number)s van hoofdstuk %(chapter)s staat ook in %(other)s")
                    % {
                        "number": analysis.number,
                        "chapter": chapter.title,
                        "other": self.seen_sections[key],
                    },
                )
            self.seen_sections[key] = str(source_file.path)
            rows.append((chapter, source_file, analysis))
            self.report.files += 1
            self.report.citations += len(analysis.citations)
            self.report.incomplete_citations += sum(c.incomplete for c in analysis.citations)
            self.report.warnings.extend(analysis.warnings)

        existing = self._existing_sections(rows)
        changed = []
        for chapter, source_file, analysis in rows:
            section = existing.get((chapter.pk, analysis.number))
            if section is not None and self._unchanged(section, source_file, analysis):
                self.report.sections_unchanged += 1
                self.report.section_ids.append(section.pk)
            else:
                changed.append((chapter, source_file, analysis, section))
        if not changed:
            return
        self._resolve_decisions([a for _c, _f, a, _s in changed])
        self._write_sections(changed)

    def _existing_sections(self, rows) -> dict[tuple[int, str], Section]:
        wanted: dict[int, list[str]] = {}
        for chapter, _f, analysis in rows:
            wanted.setdefault(chapter.pk, []).append(analysis.number)
        found: dict[tuple[int, str], Section] = {}
        for chapter_id, numbers in wanted.items():
            for section in Section.objects.filter(
                chapter_id=chapter_id, number__in=numbers
            ).select_related("summary"):
                found[(chapter_id, section.number)] = section
        return found

    @staticmethod
    def _summary(section: Section) -> Summary | None:
        try:
            return section.summary
        except Summary.DoesNotExist:
            return None

    def _unchanged(self, section: Section, source_file: SourceFile, analysis) -> bool:
        summary = self._summary(section)
        return (
            summary is not None
            and summary.source_sha256 == analysis.sha256
            and summary.source_file == source_file.source
            and section.title == analysis.title
            and section.text == analysis.text
        )

    def _resolve_decisions(self, analyses: list[ParsedAnalysis]) -> None:
        """Map every (normalised title, date) cited to a decision id."""
        cited = [
            CitedDecision(title=c.title, date=c.date, url=c.url)
            for analysis in analyses
            for c in analysis.citations
            if not c.incomplete
        ]
        found = decisions_get_or_create(cited=[c for c in cited if c.key not in self.decision_ids])
        self.decision_ids.update(found.ids)
        self.decisions_seen.update(found.ids[key] for key in found.created)
        self.report.decisions_created += len(found.created)
        for key in {c.key for c in cited}:
            pk = self.decision_ids[key]
            if pk not in self.decisions_seen:
                self.decisions_seen.add(pk)
                self.report.decisions_reused += 1

    def _write_sections(self, changed) -> None:
        new_sections, updated_sections, targets = [], [], []
        for chapter, source_file, analysis, section in changed:
            self.touched_chapters.add(chapter.pk)
            is_new = section is None
            if is_new:
                section = Section(chapter=chapter, number=analysis.number)
                new_sections.append(section)
            else:
                updated_sections.append(section)
            section.title = analysis.title
            section.text = analysis.text
            section.sort_key = section_sort_key(analysis.number)
            targets.append((section, is_new, source_file, analysis))
            self.report.changed_sections.append(
                f"{chapter.title} {analysis.number} {analysis.title}"
            )
        # bulk_create skips Section.save(), which would relink parents once per
        # row; parents are relinked once per chapter at the end of the run.
        Section.objects.bulk_create(new_sections, batch_size=500)
        self.report.section_ids.extend(section.pk for section, *_rest in targets)
        if updated_sections:
            Section.objects.bulk_update(updated_sections, ["title", "text"], batch_size=500)
        self.report.sections_created += len(new_sections)
        self.report.sections_updated += len(updated_sections)

        old_citations = self._old_citations(updated_sections)
        summaries_new, summaries_update = [], []
        citations_new, citations_update, citations_delete = [], [], []
        for section, is_new, source_file, analysis in targets:
            summary = None if is_new else self._summary(section)
            if summary is None:
                summary = Summary(section=section)
                summaries_new.append(summary)
            else:
                summaries_update.append(summary)
            summary.body = analysis.body
            summary.conclusion = analysis.conclusion
            summary.source_file = source_file.source
            summary.source_sha256 = analysis.sha256
            summary.imported_at = self.now
            summary.produced_by = PRODUCED_BY

            old = old_citations.get(section.pk, {})
            for parsed in analysis.citations:
                citation = old.pop(parsed.number, None)
                if citation is None:
                    citation = Citation(section=section, number=parsed.number)
                    citations_new.append(citation)
                else:
                    citations_update.append(citation)
                # A source that still gives no title must not undo an editor's choice.
                editor_resolved = parsed.incomplete and citation_is_resolved_by_editor(citation)
                citation.raw_date = parsed.date
                citation.raw_title = parsed.title
                citation.raw_url = parsed.url
                if not editor_resolved:
                    citation.decision_id = (
                        None if parsed.incomplete else self.decision_ids[parsed.decision_key]
                    )
                    citation.incomplete = parsed.incomplete
            citations_delete.extend(c.pk for c in old.values())

        Summary.objects.bulk_create(summaries_new, batch_size=500)
        summary_fields = [
            "body", "conclusion", "source_file", "source_sha256", "imported_at", "produced_by",
        ]  # fmt: skip
        if summaries_update:
            Summary.objects.bulk_update(summaries_update, summary_fields, batch_size=500)
        if citations_delete:
            Citation.objects.filter(pk__in=citations_delete).delete()
        Citation.objects.bulk_create(citations_new, batch_size=1000)
        if citations_update:
            Citation.objects.bulk_update(
                citations_update,
                ["raw_date", "raw_title", "raw_url", "decision", "incomplete"],
                batch_size=1000,
            )

    @staticmethod
    def _old_citations(sections: list[Section]) -> dict[int, dict[int, Citation]]:
        result: dict[int, dict[int, Citation]] = {}
        if sections:
            for citation in Citation.objects.filter(section__in=sections):
                result.setdefault(citation.section_id, {})[citation.number] = citation
        return result

    def finish(self) -> None:
        for chapter_id in sorted(self.touched_chapters):
            relink_section_parents(chapter_id)
