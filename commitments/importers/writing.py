"""Step three of an import: chapters, sections, summaries and citations written
a batch at a time, with a fixed number of queries per batch.

A section that exists already is changed only as `merging.merge` allows, so an
import never destroys what editors did; each change lands in the section's
admin history.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.cache import bump_content_version
from core.searchindex import signals_suspended
from decisions.services import CitedDecision, DecisionKey, decisions_get_or_create

from ..models import (
    Agreement,
    Chapter,
    Citation,
    Evaluation,
    Section,
    Summary,
    relink_section_parents,
    section_sort_key,
)
from ..searchindex import refresh_sections
from ..services import citation_is_resolved_by_editor
from . import history
from .files import SourceFile, provenance
from .merging import CitationValues, Current, Merge, StoredCitation, Version, merge
from .parsing import AnalysisImportError, ParsedAnalysis, read_analysis
from .report import ImportConflict, ImportReport

PRODUCED_BY = "taalmodel (geïmporteerde analyse)"
MAX_CHAPTER = 300  # Chapter.title and Chapter.slug
_CITATION_FIELDS = [
    "id", "section_id", "number", "raw_date", "raw_title", "raw_url", "incomplete",
    "decision_id", "decision__normalized_title", "decision__date",
]  # fmt: skip


def file_version(analysis: ParsedAnalysis) -> Version:
    """The parts of a section that an analysis file gives."""
    return Version(
        number=analysis.number,
        title=analysis.title,
        text=analysis.text,
        body=analysis.body,
        conclusion=analysis.conclusion,
        citations={
            c.number: CitationValues(
                date=c.date, title=c.title, url=c.url, normalized_title=c.normalized_title
            )
            for c in analysis.citations
        },
    )


@dataclass
class _Plan:
    """One file of a batch and what will become of its section."""

    chapter: Chapter
    source_file: SourceFile
    analysis: ParsedAnalysis
    version: Version
    section: Section | None  # None until a new section is created
    summary: Summary | None
    merge: Merge
    # Current citations by number, with their ids (existing sections only).
    citation_ids: dict[int, int]

    def __post_init__(self):
        self.is_new = self.section is None


class SectionWriter:
    """Writes the batches of one run; remembers what the run has seen so far."""

    def __init__(
        self,
        agreement: Agreement,
        report: ImportReport,
        *,
        overwrite: bool = False,
        user_id: int | None = None,
    ):
        self.agreement = agreement
        self.report = report
        self.overwrite = overwrite
        self.user_id = user_id
        self.chapters: dict[str, Chapter] = {}
        self.decision_ids: dict[DecisionKey, int] = {}
        self.decisions_seen: set[int] = set()
        self.new_in_chapters: set[int] = set()
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
                if len(name) > MAX_CHAPTER or len(slug) > MAX_CHAPTER:
                    raise AnalysisImportError(
                        source,
                        None,
                        _("hoofdstuknaam is langer dan %(max)s tekens") % {"max": MAX_CHAPTER},
                    )
                last = self.agreement.chapters.order_by("-position").first()
                chapter = Chapter.objects.create(
                    agreement=self.agreement,
                    title=name,
                    slug=slug,
                    position=(last.position + 1) if last else 0,
                )
            self.chapters[slug] = chapter
        return self.chapters[slug]

    # ----------------------------------------------------------------- planning

    def run_batch(self, files: list[SourceFile]) -> None:
        # Messages name the file as the operator can open it; provenance keeps
        # the path relative to the imported root.
        rows = []
        for source_file in files:
            analysis = read_analysis(source_file.path, source=str(source_file.path))
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
        candidates, plans = [], []
        for chapter, source_file, analysis in rows:
            version = file_version(analysis)
            section = existing.get((chapter.pk, analysis.number))
            if section is None:
                plans.append(
                    _Plan(chapter, source_file, analysis, version, None, None, Merge(), {})
                )
                continue
            summary = _summary(section)
            if not self.overwrite and self._unchanged(summary, source_file, analysis, version):
                self._count_unchanged(section)
            else:
                candidates.append((chapter, source_file, analysis, version, section, summary))

        current = self._current_citations([row[4] for row in candidates])
        for chapter, source_file, analysis, version, section, summary in candidates:
            stored = current.get(section.pk, {})
            result = merge(
                baseline=Version.from_json(summary.import_baseline if summary else None),
                file=version,
                current=Current(
                    title=section.title,
                    text=section.text,
                    body=summary.body if summary else "",
                    conclusion=summary.conclusion if summary else "",
                    citations={number: value for number, (_pk, value) in stored.items()},
                ),
                overwrite=self.overwrite,
            )
            ids = {number: pk for number, (pk, _value) in stored.items()}
            plan = _Plan(chapter, source_file, analysis, version, section, summary, result, ids)
            if result or self._provenance_changed(plan):
                plans.append(plan)
            else:
                # Overwriting found nothing to overwrite: the file and the section agree.
                self._count_unchanged(section)
        if plans:
            self._resolve_decisions(plans)
            # A re-import deletes citations by queryset: one refresh per batch, not per row.
            with signals_suspended():
                self._write(plans)

    def _count_unchanged(self, section: Section) -> None:
        self.report.sections_unchanged += 1
        self.report.section_ids.append(section.pk)

    @staticmethod
    def _existing_sections(rows) -> dict[tuple[int, str], Section]:
        wanted: dict[int, list[str]] = {}
        for chapter, _f, analysis in rows:
            wanted.setdefault(chapter.pk, []).append(analysis.number)
        condition = Q()
        for chapter_id, numbers in wanted.items():
            condition |= Q(chapter_id=chapter_id, number__in=numbers)
        return {
            (section.chapter_id, section.number): section
            # order_by(): Meta.ordering would join agreement and chapter only to sort.
            for section in Section.objects.filter(condition).select_related("summary").order_by()
        }

    @staticmethod
    def _unchanged(
        summary: Summary | None, source_file: SourceFile, analysis: ParsedAnalysis, version
    ) -> bool:
        """The same file as last time, read the same way: nothing to do, and
        nothing an editor did since is looked at."""
        return (
            summary is not None
            and summary.source_sha256 == analysis.sha256
            and provenance(summary.source_file, source_file) == summary.source_file
            and summary.import_baseline == version.as_json()
        )

    @staticmethod
    def _provenance_changed(plan: _Plan) -> bool:
        summary = plan.summary
        return (
            summary is None
            or summary.source_sha256 != plan.analysis.sha256
            or provenance(summary.source_file, plan.source_file) != summary.source_file
            or summary.import_baseline != plan.version.as_json()
        )

    @staticmethod
    def _current_citations(
        sections: list[Section],
    ) -> dict[int, dict[int, tuple[int, StoredCitation]]]:
        """{section id: {number: (citation id, as stored)}} in one query."""
        result: dict[int, dict[int, tuple[int, StoredCitation]]] = {}
        if not sections:
            return result
        evidence = Evaluation.evidence.through.objects.filter(citation_id=OuterRef("pk"))
        citations = (
            Citation.objects.filter(section__in=sections)
            .order_by()  # Meta.ordering would join section, chapter and agreement only to sort
            .select_related("decision")
            .only(*_CITATION_FIELDS)
            .annotate(is_evidence=Exists(evidence))
        )
        for citation in citations:
            decision = citation.decision
            result.setdefault(citation.section_id, {})[citation.number] = (
                citation.pk,
                StoredCitation(
                    date=citation.raw_date,
                    title=citation.raw_title,
                    url=citation.raw_url,
                    decision=(decision.normalized_title, decision.date) if decision else None,
                    incomplete=citation.incomplete,
                    decision_id=citation.decision_id,
                    is_evidence=citation.is_evidence,
                    resolved_by_editor=citation_is_resolved_by_editor(citation),
                ),
            )
        return result

    def _resolve_decisions(self, plans: list[_Plan]) -> None:
        """A decision id for every citation the batch writes, and the counts."""
        cited = {}
        for plan in plans:
            for values in self._citations_to_write(plan).values():
                key = values.decision_key
                if key is not None and key not in cited:
                    cited[key] = CitedDecision(
                        title=values.title, date=values.date, url=values.url,
                        normalized_title=key[0],
                    )  # fmt: skip
        found = decisions_get_or_create(
            cited=[c for key, c in cited.items() if key not in self.decision_ids]
        )
        self.decision_ids.update(found.ids)
        self.decisions_seen.update(found.ids[key] for key in found.created)
        self.report.decisions_created += len(found.created)
        for key in cited:
            pk = self.decision_ids[key]
            if pk not in self.decisions_seen:
                self.decisions_seen.add(pk)
                self.report.decisions_reused += 1

    @staticmethod
    def _citations_to_write(plan: _Plan) -> dict[int, CitationValues]:
        return plan.version.citations if plan.is_new else plan.merge.write_citations

    # ------------------------------------------------------------------ writing

    def _write(self, plans: list[_Plan]) -> None:
        # The bulk writes below send no signals; published after the commit.
        bump_content_version()
        new_sections, changed_sections = [], []
        for plan in plans:
            if plan.is_new:
                plan.section = Section(
                    chapter=plan.chapter,
                    number=plan.analysis.number,
                    title=plan.version.title,
                    text=plan.version.text,
                    sort_key=section_sort_key(plan.analysis.number),
                )
                new_sections.append(plan.section)
                self.new_in_chapters.add(plan.chapter.pk)
            elif {"title", "text"} & set(plan.merge.fields):
                plan.section.title = plan.merge.fields.get("title", plan.section.title)
                plan.section.text = plan.merge.fields.get("text", plan.section.text)
                changed_sections.append(plan.section)
        # bulk_create skips Section.save(), which would relink parents once per
        # row; parents are relinked once per chapter at the end of the run.
        Section.objects.bulk_create(new_sections, batch_size=500)
        if changed_sections:
            Section.objects.bulk_update(changed_sections, ["title", "text"], batch_size=500)

        summaries_new, summaries_update = [], []
        citations_new, citations_update, citations_delete = [], [], []
        log = []
        for plan in plans:
            section, is_new = plan.section, plan.is_new
            summary = plan.summary
            if summary is None:
                summary = Summary(section=section, produced_by=PRODUCED_BY)
                summaries_new.append(summary)
            else:
                summaries_update.append(summary)
            if is_new:
                summary.body, summary.conclusion = plan.version.body, plan.version.conclusion
            else:
                summary.body = plan.merge.fields.get("body", summary.body)
                summary.conclusion = plan.merge.fields.get("conclusion", summary.conclusion)
            source = provenance(summary.source_file, plan.source_file)
            source_changed = not is_new and summary.source_file != source
            summary.source_file = source
            summary.source_sha256 = plan.analysis.sha256
            summary.imported_at = self.now
            summary.import_baseline = plan.version.as_json()

            created, updated = [], []
            for number, values in sorted(self._citations_to_write(plan).items()):
                pk = plan.citation_ids.get(number)
                citation = Citation(pk=pk, section=section, number=number)
                citation.raw_date, citation.raw_title = values.date, values.title
                citation.raw_url, citation.incomplete = values.url, not values.title
                key = values.decision_key
                citation.decision_id = self.decision_ids[key] if key is not None else None
                (citations_update if pk else citations_new).append(citation)
                (updated if pk else created).append(number)
            citations_delete.extend(plan.citation_ids[n] for n in plan.merge.delete_citations)

            self._report(plan, is_new)
            if is_new:
                message = history.added_message(
                    source=source,
                    citations=len(plan.analysis.citations),
                    incomplete=sum(c.incomplete for c in plan.analysis.citations),
                )
            else:
                message = history.changed_message(
                    source=source,
                    merge=plan.merge,
                    created=created,
                    updated=updated,
                    provenance=source_changed,
                )
            log.append((section, is_new, message))

        Summary.objects.bulk_create(summaries_new, batch_size=500)
        if summaries_update:
            Summary.objects.bulk_update(
                summaries_update,
                ["body", "conclusion", "source_file", "source_sha256", "imported_at",
                 "import_baseline"],
                batch_size=500,
            )  # fmt: skip
        if citations_delete:
            Citation.objects.filter(pk__in=citations_delete).delete()
        Citation.objects.bulk_create(citations_new, batch_size=1000)
        if citations_update:
            Citation.objects.bulk_update(
                citations_update,
                ["raw_date", "raw_title", "raw_url", "decision", "incomplete"],
                batch_size=1000,
            )
        if self.user_id is None:
            self.user_id = history.import_account_id()
        history.log_entries(user_id=self.user_id, entries=log)
        # Bulk writes send no signals: the batch's documents in a fixed number of queries.
        refresh_sections([plan.section.pk for plan in plans])

    def _report(self, plan: _Plan, is_new: bool) -> None:
        section = plan.section
        label = f"{plan.chapter.title} {section.number}"
        if is_new:
            self.report.sections_created += 1
        else:
            self.report.sections_updated += 1
        self.report.section_ids.append(section.pk)
        self.report.changed_sections.append(f"{label} {section.title}")
        self.report.conflicts.extend(
            ImportConflict(
                section=label,
                part=clash.part,
                file_value=clash.file_value,
                editor_value=clash.editor_value,
                overwritten=clash.overwritten,
            )
            for clash in plan.merge.clashes
        )

    def finish(self) -> None:
        for chapter_id in sorted(self.new_in_chapters):
            relink_section_parents(chapter_id)


def _summary(section: Section) -> Summary | None:
    try:
        return section.summary
    except Summary.DoesNotExist:
        return None
