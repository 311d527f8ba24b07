"""The suggestions in the admin: one-click "Koppelen als citaat" and what the
decision's change page shows (where it is cited, the sections it may serve).

The view is registered by DecisionAdmin.get_urls (decisions/admin.py) as
`admin:decisions_decision_link_citation`; the templates are
admin/commitments/_suggested_decisions.html (a section's suggested decisions,
for the workspace) and admin/commitments/_suggested_sections.html (a decision's
suggested sections, for its change page and the triage list).
"""

from collections.abc import Iterable

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from decisions.models import Decision

from .models import Citation, Section
from .queues import UNCITED
from .services import citation_link_decision
from .suggestions import suggest_sections, suggest_sections_for_decisions

LINK_PERMISSION = "commitments.add_citation"
# Suggested sections per row of the triage queue.
TRIAGE_SUGGESTIONS = 3


@require_POST
def link_citation_view(request: HttpRequest, decision_id: int) -> HttpResponse:
    """Cite the decision in the section posted as `section`, then go back to `next`."""
    if not request.user.has_perm(LINK_PERMISSION):
        raise PermissionDenied
    decision = get_object_or_404(Decision, pk=decision_id)
    section_id = request.POST.get("section", "")
    if not section_id.isdigit():
        raise Http404
    section = get_object_or_404(Section.objects.select_related("chapter"), pk=int(section_id))
    try:
        citation = citation_link_decision(section=section, decision=decision, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(decision)s is gekoppeld als referentie [%(number)s] van %(chapter)s %(section)s.")
            % {
                "decision": decision,
                "number": citation.number,
                "chapter": section.chapter.title,
                "section": section,
            },
        )
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("admin:decisions_decision_change", args=[decision.pk])
    return redirect(target)


def decision_page_context(decision: Decision) -> dict:
    """For the decision's change page: its citations (where it is cited) and
    the sections it may serve: one query plus the suggestion's own."""
    citations = (
        Citation.objects.filter(decision=decision)
        .select_related("section__chapter__agreement")
        .order_by("section__chapter__position", "section__sort_key", "number")
    )
    return {"cited_in": list(citations), "suggested_sections": suggest_sections(decision)}


def attach_suggested_sections(decisions: Iterable[Decision], limit: int = 3) -> list[Decision]:
    """Give each decision of a list (a page of the triage queue) its top `limit`
    sections as `.suggested_sections`, in a constant number of queries."""
    decisions = list(decisions)
    suggestions = suggest_sections_for_decisions(decisions, limit=limit)
    for decision in decisions:
        decision.suggested_sections = suggestions.get(decision.pk, [])
    return decisions


# --- the triage queue: decisions cited by no section -----------------------------------


def in_triage_queue(request: HttpRequest) -> bool:
    """Is the decision changelist filtered on "decisions cited by no section"?"""
    return request.GET.get("queue") == UNCITED


class SuggestingChangeList(ChangeList):
    """The decision changelist of the triage queue: each row of the page gets
    its top 3 sections (`.suggested_sections`) in four queries for the whole
    page, whatever its length (commitments.suggestions.suggest_sections_for_decisions)."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = attach_suggested_sections(self.result_list, limit=TRIAGE_SUGGESTIONS)


def suggested_sections_column(request: HttpRequest):
    """A changelist column with a row's suggested sections and, for editors,
    "Koppelen als citaat": buttons of the changelist's own form (it carries
    the CSRF token; forms do not nest), back to this page after linking."""

    @admin.display(description=gettext_lazy("voorgestelde secties"))
    def suggested_sections(decision: Decision) -> str:
        return render_to_string(
            "admin/commitments/_suggested_sections.html",
            {
                "decision": decision,
                "suggestions": getattr(decision, "suggested_sections", []),
                "compact": True,
                "inside_form": True,
            },
            request=request,
        )

    return suggested_sections
