from django.shortcuts import get_object_or_404, render

from .models import Agreement, Chapter, Section


def home(request):
    agreement = Agreement.objects.first()
    return _agreement_page(request, agreement)


def agreement(request, agreement: str):
    return _agreement_page(request, get_object_or_404(Agreement, slug=agreement))


def _agreement_page(request, agreement: Agreement | None):
    chapters = agreement.chapters.all() if agreement else Chapter.objects.none()
    return render(
        request,
        "commitments/agreement.html",
        {"agreement": agreement, "chapters": chapters},
    )


def chapter(request, agreement: str, chapter: str):
    chapter_obj = get_object_or_404(
        Chapter.objects.select_related("agreement"), agreement__slug=agreement, slug=chapter
    )
    sections = chapter_obj.sections.with_status().annotate_citation_count()
    return render(
        request, "commitments/chapter.html", {"chapter": chapter_obj, "sections": sections}
    )


def section(request, agreement: str, chapter: str, number: str):
    section_obj = get_object_or_404(
        Section.objects.select_related("chapter__agreement", "summary").with_status(),
        chapter__agreement__slug=agreement,
        chapter__slug=chapter,
        number=number,
    )
    citations = section_obj.citations.select_related("decision")
    evaluations = section_obj.evaluations.select_related("author").newest_first()
    return render(
        request,
        "commitments/section.html",
        {
            "section": section_obj,
            "citations": citations,
            "evaluations": evaluations,
        },
    )
