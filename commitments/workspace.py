"""The evaluation workspace ("Beoordelen"): one admin page per section where an
editor proposes a status and a reviewer approves or rejects proposals.

Served by SectionAdmin (URL name `admin:commitments_section_assess`). Every
write goes through commitments.services, so the rules (rationale, evidence
from the section's own citations, four eyes) are those of the services. The
page posts a handful of fields whatever the number of citations, and a
refused form comes back with everything the editor typed.
"""

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.rendering import render_markdown

from .models import Citation, Evaluation, Section, Status
from .queues import QUEUES, SECTION_ORDER, Queue
from .services import evaluation_approve, evaluation_create, evaluation_reject
from .suggestions import suggest_decisions
from .text import readable_text

# Citations shown per page of the compact list: a 10,000-citation section stays small.
CITATIONS_PER_PAGE = 200

_NUMBER = re.compile(r"\d+")


class ProposalForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    rationale = forms.CharField(
        label=_("Motivering"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Verplicht voor elke status behalve 'Nog niet beoordeeld'. "
            "[3] verwijst naar referentie 3."
        ),
    )
    evidence = forms.CharField(
        label=_("Bewijs (referentienummers)"),
        required=False,
        max_length=2000,
        help_text=_("De referenties van deze sectie die het oordeel staven, bv. 0, 3, 8."),
    )

    def __init__(self, *args, section: Section, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section

    def clean_evidence(self) -> list[Citation]:
        numbers = sorted({int(n) for n in _NUMBER.findall(self.cleaned_data["evidence"])})
        if re.search(r"[^\d\s,;\[\]]", self.cleaned_data["evidence"]):
            raise ValidationError(_("Geef alleen referentienummers, gescheiden door komma's."))
        citations = list(self.section.citations.filter(number__in=numbers))
        missing = sorted(set(numbers) - {c.number for c in citations})
        if missing:
            raise ValidationError(
                _("Deze sectie heeft geen referentie %(numbers)s.")
                % {"numbers": ", ".join(f"[{n}]" for n in missing)}
            )
        return citations

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status and status != Status.NOT_ASSESSED and not cleaned.get("rationale", "").strip():
            self.add_error(
                "rationale",
                _("Een motivering is verplicht voor elke status behalve 'Nog niet beoordeeld'."),
            )
        return cleaned


class ReviewForm(forms.Form):
    evaluation = forms.IntegerField(widget=forms.HiddenInput)
    review_comment = forms.CharField(
        label=_("Opmerking voor de redacteur"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht bij een afwijzing."),
    )
    decision = forms.ChoiceField(
        choices=[("approve", _("Goedkeuren")), ("reject", _("Afwijzen"))],
        widget=forms.HiddenInput,
    )


def _queue(request) -> Queue | None:
    queue = QUEUES.get(request.GET.get("queue", ""))
    return queue if queue is not None and queue.walks_sections else None


def workspace_url(section_pk: int, queue: Queue | None = None) -> str:
    url = reverse("admin:commitments_section_assess", args=[section_pk])
    return f"{url}?{urlencode({'queue': queue.key})}" if queue else url


def next_in_queue(queue: Queue, user, current: Section) -> int | None:
    """The queue's first section after `current` in agreement order, wrapping
    around; None when the queue holds nothing else. Two queries of ids."""
    queued = list(queue.sections(user).exclude(pk=current.pk).values_list("pk", flat=True))
    if not queued:
        return None
    order = Section.objects.order_by(*SECTION_ORDER).values_list("pk", flat=True)
    position = {pk: index for index, pk in enumerate(order)}
    here = position[current.pk]
    return next((pk for pk in queued if position[pk] > here), queued[0])


def assess_view(model_admin, request, object_id):
    section = get_object_or_404(
        Section.objects.select_related("chapter__agreement", "summary").with_status(),
        pk=object_id,
    )
    if not model_admin.has_view_permission(request, section):
        raise PermissionDenied
    user = request.user
    can_propose = user.has_perm("commitments.add_evaluation")
    can_review = user.has_perm("commitments.review_evaluation")
    queue = _queue(request)
    here = workspace_url(section.pk, queue)
    proposal_form = ProposalForm(section=section, initial={"status": section.current_status})
    review_forms: dict[int, ReviewForm] = {}

    if request.method == "POST" and "decision" in request.POST:
        if not can_review:
            raise PermissionDenied
        review = ReviewForm(request.POST)
        if review.is_valid():
            evaluation = get_object_or_404(
                Evaluation, pk=review.cleaned_data["evaluation"], section=section
            )
            try:
                if review.cleaned_data["decision"] == "approve":
                    evaluation_approve(
                        evaluation=evaluation,
                        reviewer=user,
                        comment=review.cleaned_data["review_comment"],
                    )
                    messages.success(request, gettext("Voorstel goedgekeurd en gepubliceerd."))
                else:
                    evaluation_reject(
                        evaluation=evaluation,
                        reviewer=user,
                        comment=review.cleaned_data["review_comment"],
                    )
                    messages.success(request, gettext("Voorstel afgewezen."))
                return HttpResponseRedirect(here)
            except ValidationError as exc:
                evaluation.refresh_from_db(fields=["state"])
                if evaluation.state != Evaluation.State.PROPOSED:
                    # Another reviewer was first: nothing left to decide here.
                    for message in exc.messages:
                        messages.error(request, message)
                    return HttpResponseRedirect(here)
                for message in exc.messages:
                    review.add_error(None, message)
            review_forms[evaluation.pk] = review
    elif request.method == "POST":
        if not can_propose:
            raise PermissionDenied
        proposal_form = ProposalForm(request.POST, section=section)
        if proposal_form.is_valid():
            data = proposal_form.cleaned_data
            try:
                evaluation = evaluation_create(
                    section=section,
                    status=data["status"],
                    rationale=data["rationale"],
                    evidence=data["evidence"],
                    author=user,
                )
            except ValidationError as exc:
                _form_errors(proposal_form, exc)
            else:
                if evaluation.is_published:
                    messages.success(request, gettext("Beoordeling gepubliceerd."))
                else:
                    messages.success(
                        request,
                        gettext("Voorstel opgeslagen; een eindredacteur moet het nog goedkeuren."),
                    )
                if "_next" in request.POST and queue is not None:
                    next_pk = next_in_queue(queue, user, section)
                    if next_pk is None:
                        messages.info(request, gettext("De wachtrij is leeg."))
                        return HttpResponseRedirect(reverse("admin:commitments_section_changelist"))
                    return HttpResponseRedirect(workspace_url(next_pk, queue))
                return HttpResponseRedirect(here)

    page = _page_context(request, section)
    for proposal in page["proposals"]:
        # A refused review comes back with the comment the reviewer typed.
        proposal.review_form = review_forms.get(proposal.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        **page,
        "opts": model_admin.opts,
        "title": gettext("Beoordelen: %(section)s") % {"section": section},
        "section": section,
        "proposal_form": proposal_form,
        "can_propose": can_propose,
        "can_review": can_review,
        "queue": queue,
        "here": here,
        # Decisions the section may be missing, each with "Koppelen als citaat"
        # for editors (docs/suggestions.md): a constant number of queries.
        "suggested_decisions": suggest_decisions(section),
    }
    return TemplateResponse(request, "admin/commitments/section/assess.html", context)


def _form_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _page_context(request, section: Section) -> dict:
    """What the page shows, in a fixed number of queries whatever the section's size."""
    summary = getattr(section, "summary", None)
    incomplete = set(
        section.citations.filter(Q(incomplete=True) | Q(decision__isnull=True)).values_list(
            "number", flat=True
        )
    )
    page = Paginator(section.citations.select_related("decision"), CITATIONS_PER_PAGE).get_page(
        request.GET.get("referenties")
    )
    citations = list(page.object_list)
    history = list(
        section.evaluations.select_related("author", "reviewer")
        .prefetch_related(Prefetch("evidence", queryset=Citation.objects.only("id", "number")))
        .newest_first()
    )
    for evaluation in history:
        evaluation.rationale_html = render_markdown(
            evaluation.rationale,
            link_citations=True,
            incomplete_citations=incomplete,
            top_heading_level=4,
        )
    current = max(
        (e for e in history if e.is_published),
        key=lambda e: (e.published_at, e.pk),
        default=None,
    )
    return {
        "summary": summary,
        "summary_html": summary
        and render_markdown(
            summary.body, link_citations=True, incomplete_citations=incomplete, top_heading_level=3
        ),
        "conclusion_html": summary
        and render_markdown(
            summary.conclusion,
            link_citations=True,
            incomplete_citations=incomplete,
            top_heading_level=4,
        ),
        "agreement_text": readable_text(section, summary=summary, citations=citations),
        "citations": citations,
        "citation_page": page,
        "history": history,
        "current_evaluation": current,
        "proposals": [e for e in history if e.state == Evaluation.State.PROPOSED],
    }
