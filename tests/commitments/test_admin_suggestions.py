"""The suggestions in the admin: one-click "Koppelen als citaat", the decision's
change page (where it is cited, suggested sections) and the include for a
section's suggested decisions."""

import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments.admin_suggestions import attach_suggested_sections
from commitments.models import Citation, Section
from tests.builders import (
    make_chapter,
    make_citation,
    make_decision,
    make_section,
    make_summary,
    make_user,
)

pytestmark = pytest.mark.django_db


def _link_url(decision) -> str:
    return reverse("admin:decisions_decision_link_citation", args=[decision.pk])


def _water_section() -> Section:
    chapter = make_chapter(title="Omgeving", slug="omgeving")
    section = make_section(
        chapter,
        number="1.1",
        title="Waterbeleid en droogte",
        text="We pakken de droogte aan: grondwater aanvullen en regenwater opvangen.",
    )
    make_summary(section, body="De regering keurde een droogteplan goed \\[0\\].")
    return section


def test_link_button_cites_the_decision_under_the_next_free_number(admin_user_client):
    section = _water_section()
    make_citation(section, number=0)
    make_citation(section, number=4)
    decision = make_decision(
        title="Droogteplan voor het grondwater",
        source_url="https://beslissingenvlaamseregering.vlaanderen.be/document-view/1",
    )
    back = reverse("admin:commitments_section_change", args=[section.pk])
    response = admin_user_client.post(
        _link_url(decision), {"section": section.pk, "next": back}, follow=True
    )
    assert response.redirect_chain[0] == (back, 302)
    citation = Citation.objects.get(section=section, decision=decision)
    assert citation.number == 5
    assert citation.raw_title == decision.title
    assert citation.raw_date == decision.date
    assert citation.raw_url == decision.source_url
    assert not citation.incomplete
    message = [str(m) for m in response.context["messages"]]
    assert any("Droogteplan voor het grondwater" in m and "[5]" in m for m in message)


def test_linking_is_written_in_the_sections_admin_history(admin_user_client):
    section = _water_section()
    decision = make_decision(title="Droogteplan voor het grondwater")
    admin_user_client.post(_link_url(decision), {"section": section.pk})
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Section), object_id=str(section.pk)
    )
    assert entry.user == admin_user_client.user
    assert entry.action_flag == CHANGE
    added = json.loads(entry.change_message)[0]["added"]
    assert added["object"] == "[0] Droogteplan voor het grondwater"


def test_without_the_add_citation_permission_linking_is_refused(client):
    user = make_user(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename="change_decision"))
    client.force_login(user)
    section = _water_section()
    decision = make_decision()
    response = client.post(_link_url(decision), {"section": section.pk})
    assert response.status_code == 403
    assert not Citation.objects.filter(decision=decision).exists()


def test_an_editor_with_the_add_citation_permission_may_link(client):
    user = make_user(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename="add_citation"))
    client.force_login(user)
    section = _water_section()
    decision = make_decision()
    response = client.post(_link_url(decision), {"section": section.pk})
    assert response.status_code == 302
    assert Citation.objects.filter(section=section, decision=decision).exists()


def test_linking_without_a_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(is_staff=True, is_superuser=True))
    section = _water_section()
    decision = make_decision()
    response = client.post(_link_url(decision), {"section": section.pk})
    assert response.status_code == 403
    assert not Citation.objects.exists()


def test_linking_is_a_post_only(admin_user_client):
    decision = make_decision()
    response = admin_user_client.get(_link_url(decision), {"section": _water_section().pk})
    assert response.status_code == 405


def test_a_decision_the_section_cites_already_is_not_linked_twice(admin_user_client):
    section = _water_section()
    decision = make_decision(title="Droogteplan")
    make_citation(section, decision=decision, number=0)
    response = admin_user_client.post(_link_url(decision), {"section": section.pk}, follow=True)
    assert Citation.objects.filter(section=section).count() == 1
    message = [str(m) for m in response.context["messages"]]
    assert any("al als [0]" in m for m in message)


def test_a_foreign_next_address_goes_back_to_the_decision_instead(admin_user_client):
    section = _water_section()
    decision = make_decision()
    response = admin_user_client.post(
        _link_url(decision), {"section": section.pk, "next": "https://elders.example/"}
    )
    assert response.url == reverse("admin:decisions_decision_change", args=[decision.pk])


def test_decision_page_shows_where_it_is_cited_and_the_suggested_sections(admin_user_client):
    section = _water_section()
    other = make_section(
        make_chapter(title="Onderwijs", slug="onderwijs"),
        number="2.1",
        title="Basisonderwijs",
        text="Leerlingen leren lezen.",
    )
    decision = make_decision(title="Droogteplan: regenwater opvangen en grondwater aanvullen")
    make_citation(other, decision=decision, number=3)
    response = admin_user_client.get(reverse("admin:decisions_decision_change", args=[decision.pk]))
    assert response.status_code == 200
    page = response.text
    cited = page.split('id="decision-cited-in"', 1)[1].split('id="suggested-sections"', 1)[0]
    assert "2.1 Basisonderwijs" in cited and "[3]" in cited
    suggested = page.split('id="suggested-sections"', 1)[1]
    assert "Waterbeleid en droogte" in suggested
    assert "Koppelen als citaat" in suggested
    assert f'value="{section.pk}"' in suggested
    # The link forms come after the change form, never inside it.
    assert page.index('id="decision_form"') < page.index('id="suggested-sections"')
    assert page.rindex("</form>", 0, page.index('id="decision-cited-in"')) > page.index(
        'id="decision_form"'
    )


def test_the_link_button_is_not_shown_without_the_permission(client):
    user = make_user(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename="change_decision"))
    client.force_login(user)
    _water_section()
    decision = make_decision(title="Droogteplan voor het grondwater")
    page = client.get(reverse("admin:decisions_decision_change", args=[decision.pk])).text
    assert "Waterbeleid en droogte" in page
    assert "Koppelen als citaat" not in page


def test_suggested_decisions_include_offers_a_link_button_per_decision():
    section = _water_section()
    decisions = [make_decision(title="Droogteplan"), make_decision(title="Regenwaterplan")]
    request = RequestFactory().get("/admin/commitments/section/1/assess/")
    request.user = make_user(is_staff=True, is_superuser=True)
    html = render_to_string(
        "admin/commitments/_suggested_decisions.html",
        {"section": section, "suggestions": decisions},
        request=request,
    )
    assert html.count("Koppelen als citaat") == 2
    assert html.count('name="csrfmiddlewaretoken"') == 2
    for decision in decisions:
        assert _link_url(decision) in html
    assert 'name="next" value="/admin/commitments/section/1/assess/"' in html


def _page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_decision_page_queries_do_not_grow_with_its_citations_or_the_sections(
    admin_user_client,
):
    decision = make_decision(title="Droogteplan voor het grondwater")
    url = reverse("admin:decisions_decision_change", args=[decision.pk])
    make_citation(_water_section(), decision=decision)
    chapter = make_chapter(title="Meer", slug="meer")
    # One section to suggest: with none the suggested sections' query is skipped.
    make_section(chapter, number="5.1", title="Grondwater aanvullen")
    few = _page_queries(admin_user_client, url)
    for index in range(20):
        section = make_section(chapter, number=f"3.{index + 1}", title=f"Grondwater {index}")
        make_citation(section, decision=decision)
        make_section(chapter, number=f"4.{index + 1}", title=f"Droogte en grondwater {index}")
    assert _page_queries(admin_user_client, url) == few


def test_triage_rows_get_their_top_3_sections_and_buttons_that_submit_the_list_form():
    section = _water_section()
    decisions = attach_suggested_sections(
        [make_decision(title="Droogteplan voor het grondwater"), make_decision(title="Xylofoon")]
    )
    assert decisions[0].suggested_sections == [section]
    assert decisions[1].suggested_sections == []
    request = RequestFactory().get("/admin/decisions/decision/?triage=1")
    request.user = make_user(is_staff=True, is_superuser=True)
    html = render_to_string(
        "admin/commitments/_suggested_sections.html",
        {
            "decision": decisions[0],
            "suggestions": decisions[0].suggested_sections,
            "compact": True,
            "inside_form": True,
        },
        request=request,
    )
    # Inside the changelist's form: no nested form, the button posts that form.
    assert "<form" not in html
    assert f'formaction="{_link_url(decisions[0])}?next=' in html
    assert f'name="section" value="{section.pk}"' in html
    assert "Voorgestelde secties" not in html


def test_a_section_that_is_not_a_number_is_not_found(admin_user_client):
    decision = make_decision()
    response = admin_user_client.post(_link_url(decision), {"section": "1 OR 1=1"})
    assert response.status_code == 404
    assert not Citation.objects.exists()


def _triage_url() -> str:
    return reverse("admin:decisions_decision_changelist") + "?queue=uncited"


def test_triage_queue_shows_each_decisions_suggested_sections_with_a_link_button(
    admin_user_client,
):
    section = _water_section()
    decision = make_decision(title="Droogteplan voor het grondwater")
    response = admin_user_client.get(_triage_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "voorgestelde secties" in html.lower()
    assert reverse("admin:commitments_section_change", args=[section.pk]) in html
    # A button of the changelist's form (which carries the CSRF token).
    assert f'formaction="{_link_url(decision)}?next=' in html
    assert "admin_suggestions.css" in html


def test_the_other_decision_lists_have_no_suggestions_column(admin_user_client):
    _water_section()
    make_decision(title="Droogteplan voor het grondwater")
    response = admin_user_client.get(reverse("admin:decisions_decision_changelist"))
    assert "voorgestelde secties" not in response.content.decode().lower()


def test_linking_from_the_triage_queue_returns_to_it_and_the_decision_leaves_it(
    admin_user_client,
):
    section = _water_section()
    decision = make_decision(title="Droogteplan voor het grondwater")
    response = admin_user_client.post(
        f"{_link_url(decision)}?next={_triage_url().replace('?', '%3F').replace('=', '%3D')}",
        {"section": section.pk, "action": "", "index": "0"},
    )
    assert response.status_code == 302
    assert response["Location"] == _triage_url()
    assert Citation.objects.filter(section=section, decision=decision).exists()
    page = admin_user_client.get(_triage_url()).content.decode()
    assert reverse("admin:decisions_decision_change", args=[decision.pk]) not in page


@pytest.mark.parametrize("decisions", [2, 30])
def test_triage_queue_query_count_does_not_grow_with_its_rows(
    admin_user_client, django_assert_num_queries, decisions
):
    _water_section()
    for index in range(decisions):
        make_decision(title=f"Droogteplan {index} voor het grondwater")
    # 1 session, 2 user, 3-4 the list filters' ministers and themes, 5-6 the
    # queue's count and the total, 7 the page of decisions with their
    # citation counts, 8 their ministers; the suggested sections for the
    # whole page (commitments/admin_suggestions.py): 9 the decisions' search
    # documents, 10 their citations, 11 every section's search document, 12
    # the suggested sections; 13-14 the date hierarchy (range, days).
    with django_assert_num_queries(14):
        response = admin_user_client.get(_triage_url())
    assert response.status_code == 200
