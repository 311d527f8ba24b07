from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .models import Decision


def decision_list(request):
    decisions = Decision.objects.prefetch_related("ministers")
    page = Paginator(decisions, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "decisions/decision_list.html", {"page": page})


def decision_detail(request, pk: int):
    decision = get_object_or_404(Decision.objects.prefetch_related("ministers", "themes"), pk=pk)
    citations = decision.citations.select_related("section__chapter__agreement")
    return render(
        request,
        "decisions/decision_detail.html",
        {"decision": decision, "citations": citations, "documents": decision.documents.all()},
    )
