"""The work queues in the admin: a "queue" list filter for the section,
citation and decision changelists, and the counts on the admin start page
(templates/admin/index.html), added by a small hook on admin.site.index so
that no other admin page pays for them."""

from collections.abc import Callable

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .queues import AWAITING_REVIEW, QUEUES, queues_for
from .workspace import workspace_url


def queue_list_filter(model: str) -> type[admin.SimpleListFilter]:
    """A list filter offering the queues of `model` ("section", "citation", "decision")."""

    class QueueListFilter(admin.SimpleListFilter):
        title = _("wachtrij")
        parameter_name = "queue"

        def lookups(self, request, model_admin):
            return [(queue.key, queue.label) for queue in queues_for(model)]

        def queryset(self, request, queryset):
            queue = QUEUES.get(self.value() or "")
            if queue is None or queue.model != model:
                return queryset
            return queue.filter(queryset, request.user)

    QueueListFilter.__name__ = f"{model.capitalize()}QueueListFilter"
    return QueueListFilter


def workspace_column(request, section_of: Callable = lambda section: section) -> Callable:
    """A changelist column linking each row's section workspace. The queue the
    list is filtered on travels along, so that "Opslaan en volgende" walks it."""
    queue = QUEUES.get(request.GET.get("queue", ""))
    queue = queue if queue is not None and queue.walks_sections else None

    @admin.display(description=_("beoordelen"))
    def assess_link(obj) -> str:
        section = section_of(obj)
        return format_html(
            '<a href="{}">{}<span class="visually-hidden"> {}</span></a>',
            workspace_url(section.pk, queue),
            gettext("Beoordelen"),
            section,
        )

    return assess_link


def visible_queues(user) -> list:
    """The queues this user can act on: only reviewers see the review queue."""
    can_review = user.has_perm("commitments.review_evaluation")
    return [q for q in QUEUES.values() if q.key != AWAITING_REVIEW or can_review]


def queue_rows(user) -> list[dict]:
    """Each visible queue with its count and links: one query per queue,
    whatever the data size."""
    rows = []
    for queue in visible_queues(user):
        app = "decisions" if queue.model == "decision" else "commitments"
        if not user.has_perm(f"{app}.view_{queue.model}"):
            continue
        changelist = reverse(f"admin:{app}_{queue.model}_changelist")
        rows.append(
            {
                "queue": queue,
                "count": queue.queryset(user).count(),
                "url": f"{changelist}?{urlencode({'queue': queue.key})}",
                "start_url": (
                    reverse("admin:commitments_section_assess_queue", args=[queue.key])
                    if queue.walks_sections
                    else ""
                ),
            }
        )
    return rows


def install_index_hook(site: admin.AdminSite) -> None:
    """Give the start page its queues; other admin pages stay as they were."""
    index = site.index

    def index_with_queues(request, extra_context=None):
        context = {"queues": queue_rows(request.user), **(extra_context or {})}
        return index(request, extra_context=context)

    site.index = index_with_queues
