"""Resolving a citation in the admin: the sentence, the candidates, the confirmation."""

from datetime import date

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse

from commitments.resolving import citation_passages, rank, split_sentences, words
from tests.builders import (
    make_citation,
    make_decision,
    make_section,
    make_seed_section,
    make_summary,
    make_user,
)

pytestmark = pytest.mark.django_db

RAW_DATE = date(2020, 6, 26)


def _resolve_url(citation, **params) -> str:
    url = reverse("admin:commitments_citation_resolve", args=[citation.pk])
    if params:
        from urllib.parse import urlencode

        url = f"{url}?{urlencode(params)}"
    return url


def _incomplete_citation(body: str, number: int = 0, raw_date: date = RAW_DATE):
    section = make_section(title="Samenleven bevorderen")
    make_summary(section, body=body)
    return make_citation(section, number=number, decision=None, raw_date=raw_date)


# --- sentences -----------------------------------------------------------------


def test_sentences_are_split_but_not_after_abbreviations_or_initials():
    text = "Er zijn o.a. decreten, bv. het decreet van A. Peeters. Dit is de tweede zin [0]."
    assert split_sentences(text) == [
        "Er zijn o.a. decreten, bv. het decreet van A. Peeters.",
        "Dit is de tweede zin [0].",
    ]


def test_markers_written_after_the_period_stay_with_their_sentence():
    text = "De regering steunt e-inclusie. [0][1] Verder komt er een decreet."
    assert split_sentences(text) == [
        "De regering steunt e-inclusie. [0][1]",
        "Verder komt er een decreet.",
    ]


def test_only_the_sentences_that_use_the_number_are_shown_as_a_reader_sees_them():
    body = (
        "# Samenvatting\n\n"
        "1. **Aanpak van discriminatie**: Er zijn decreten. Dit omvat het bijstellen "
        "van convenanten \\[5\\]\\[8\\].\n\n"
        "2. **Mensenrechteninstituut**: De regering richt een instituut op \\[18\\].\n"
    )
    passages = citation_passages(body, 8)
    assert [p.sentence for p in passages] == ["Dit omvat het bijstellen van convenanten [5][8]."]
    # The block keeps the item's lead, which names the subject.
    assert passages[0].block.startswith("Aanpak van discriminatie: Er zijn decreten.")
    assert citation_passages(body, 1) == []


def test_the_marker_is_highlighted_and_the_rest_escaped():
    passages = citation_passages("Een <b>zin</b> met \\[3\\] en \\[13\\].", 3)
    assert passages[0].marked(3) == ("Een &lt;b&gt;zin&lt;/b&gt; met <mark>[3]</mark> en [13].")


def test_a_line_break_hyphen_in_the_sentence_is_joined():
    passages = citation_passages("Initiatieven worden niet meer gesubsi-dieerd \\[0\\].", 0)
    assert passages[0].sentence == "Initiatieven worden niet meer gesubsidieerd [0]."


# --- ranking -------------------------------------------------------------------


def test_words_are_normalised_without_dutch_function_words_or_plural_endings():
    assert set(words("De erkenning van participatieorganisaties")) == set(
        words("erkenningen Participatieorganisatie")
    )
    assert "van" not in words("De erkenning van")


def test_the_title_that_fits_the_sentence_ranks_first_and_same_day_wins_ties():
    fitting = make_decision(title="Erkenning participatieorganisatie", date=RAW_DATE)
    other = make_decision(title="Begrotingsaanpassing 2020", date=RAW_DATE)
    next_day = make_decision(title="Erkenning participatieorganisatie", date=date(2020, 6, 27))
    ranked = rank(
        [other, next_day, fitting],
        context="De overheid start een procedure voor de erkenning van participatieorganisaties.",
        near=RAW_DATE,
    )
    assert [c.decision for c in ranked] == [fitting, next_day, other]
    assert ranked[0].matched == ["erkenning", "participatieorganisatie"]
    assert ranked[-1].score == 0


def test_a_shared_part_of_a_compound_counts_half():
    ranked = rank(
        [make_decision(title="Wijziging Gelijkekansendecreet")],
        context="Acties voor gelijke kansen.",
        near=None,
    )
    assert ranked[0].matched == ["gelijkekansendecreet"]
    assert 0 < ranked[0].score < 1


# --- the admin view ------------------------------------------------------------


def test_the_resolve_page_shows_sentence_raw_data_and_ranked_candidates(admin_user_client):
    citation = _incomplete_citation(
        "De overheid start een nieuwe procedure voor de erkenning van een "
        "participatieorganisatie \\[0\\]. Een andere zin \\[1\\]."
    )
    unrelated = make_decision(title="Begrotingsaanpassing", date=RAW_DATE)
    fitting = make_decision(title="Erkenning participatieorganisatie", date=date(2020, 6, 24))
    make_decision(title="Erkenning participatieorganisatie", date=date(2020, 7, 10))  # too far
    response = admin_user_client.get(_resolve_url(citation))
    assert response.status_code == 200
    text = response.text
    assert "erkenning van een participatieorganisatie <mark>[0]</mark>." in text
    assert "Een andere zin" not in text
    assert 'datetime="2020-06-26"' in text
    candidates = [c.decision for c in response.context["candidates"]]
    assert candidates == [fitting, unrelated]
    assert response.context["window"] == 3


def test_without_decisions_near_the_date_the_window_widens(admin_user_client):
    citation = _incomplete_citation("Een zin \\[0\\].")
    later = make_decision(title="Later", date=date(2020, 7, 8))
    response = admin_user_client.get(_resolve_url(citation))
    assert [c.decision for c in response.context["candidates"]] == [later]
    assert response.context["window"] == 14


def test_the_resolve_page_query_count_does_not_grow_with_candidates(
    admin_user_client, django_assert_num_queries
):
    citation = _incomplete_citation("Een zin over erkenning \\[0\\].")
    for index in range(30):
        make_decision(title=f"Erkenning {index}", date=RAW_DATE)
    # 1 session, 2 user, 3 citation with section, chapter, agreement and decision,
    # 4 the section's summary, 5 the section's citations with their decisions,
    # 6 the candidates of the ±3-day window.
    with django_assert_num_queries(6):
        response = admin_user_client.get(_resolve_url(citation))
    assert len(response.context["candidates"]) == 30


def test_choosing_a_decision_of_the_raw_date_resolves_logs_and_names_it(admin_user_client):
    citation = _incomplete_citation("Een zin \\[0\\].")
    decision = make_decision(title="Erkenning participatieorganisatie", date=RAW_DATE)
    response = admin_user_client.post(
        _resolve_url(citation), {"decision": decision.pk}, follow=True
    )
    citation.refresh_from_db()
    assert citation.decision == decision
    assert citation.incomplete is False
    (message,) = [str(m) for m in response.context["messages"]]
    assert "Erkenning participatieorganisatie" in message
    assert f"[{citation.number}]" in message
    entry = LogEntry.objects.get(object_id=str(citation.pk))
    assert entry.action_flag == CHANGE
    assert entry.user == admin_user_client.user
    assert "Erkenning participatieorganisatie" in entry.get_change_message()


def test_a_decision_of_another_date_asks_for_confirmation_first(admin_user_client):
    citation = _incomplete_citation("Een zin \\[0\\].")
    decision = make_decision(title="Andere dag", date=date(2020, 7, 3))
    response = admin_user_client.post(_resolve_url(citation), {"decision": decision.pk})
    assert response.status_code == 200
    assert 'name="confirm_other_date"' in response.text
    assert "Andere dag" in response.text
    citation.refresh_from_db()
    assert citation.decision is None and citation.incomplete
    assert not LogEntry.objects.exists()

    # The second step without the box ticked still saves nothing.
    response = admin_user_client.post(
        _resolve_url(citation), {"decision": decision.pk, "confirm_step": "1"}
    )
    assert response.context["confirm_error"] is True
    citation.refresh_from_db()
    assert citation.decision is None

    response = admin_user_client.post(
        _resolve_url(citation),
        {"decision": decision.pk, "confirm_step": "1", "confirm_other_date": "1"},
    )
    assert response.status_code == 302
    citation.refresh_from_db()
    assert citation.decision == decision and not citation.incomplete
    assert "2020-06-26" in LogEntry.objects.get().get_change_message()


def test_after_resolving_the_editor_returns_to_where_they_came_from(admin_user_client):
    citation = _incomplete_citation("Een zin \\[0\\].")
    decision = make_decision(date=RAW_DATE)
    back = reverse("admin:commitments_section_change", args=[citation.section_id])
    response = admin_user_client.post(
        _resolve_url(citation), {"decision": decision.pk, "next": back}
    )
    assert response["Location"] == back


def test_a_foreign_next_address_is_ignored(admin_user_client):
    citation = _incomplete_citation("Een zin \\[0\\].")
    decision = make_decision(date=RAW_DATE)
    response = admin_user_client.post(
        _resolve_url(citation), {"decision": decision.pk, "next": "https://example.org/"}
    )
    assert response["Location"].startswith(reverse("admin:commitments_citation_changelist"))


def test_searching_by_date_offers_decisions_outside_the_window(admin_user_client):
    citation = _incomplete_citation("Een zin \\[0\\].")
    make_decision(title="In het venster", date=RAW_DATE)
    far = make_decision(title="Veel later", date=date(2021, 3, 5))
    response = admin_user_client.get(_resolve_url(citation, q="05/03/2021"))
    assert [c.decision for c in response.context["search_results"]] == [far]


def test_resolving_needs_the_change_citation_permission(client):
    citation = _incomplete_citation("Een zin \\[0\\].")
    decision = make_decision(date=RAW_DATE)
    viewer = make_user(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_citation"))
    client.force_login(viewer)
    assert client.get(_resolve_url(citation)).status_code == 403
    assert client.post(_resolve_url(citation), {"decision": decision.pk}).status_code == 403
    citation.refresh_from_db()
    assert citation.decision is None

    viewer.user_permissions.add(Permission.objects.get(codename="change_citation"))
    assert client.get(_resolve_url(citation)).status_code == 200


def test_the_resolve_form_is_protected_against_csrf(client):
    from django.test import Client

    citation = _incomplete_citation("Een zin \\[0\\].")
    decision = make_decision(date=RAW_DATE)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user(is_staff=True, is_superuser=True))
    response = strict.post(_resolve_url(citation), {"decision": decision.pk})
    assert response.status_code == 403
    citation.refresh_from_db()
    assert citation.decision is None


def test_the_citation_lists_link_to_the_resolve_page_and_it_returns_to_them(admin_user_client):
    citation = _incomplete_citation("Een zin \\[0\\].")
    decision = make_decision(date=RAW_DATE)
    url = _resolve_url(citation)
    change = admin_user_client.get(reverse("admin:commitments_citation_change", args=[citation.pk]))
    assert f'href="{url}"' in change.text
    # A section's citation list is the citation list filtered on that section.
    changelist = reverse("admin:commitments_citation_changelist")
    section_list = f"{changelist}?section__id__exact={citation.section_id}"
    listed = admin_user_client.get(section_list)
    assert f'href="{_resolve_url(citation, next=section_list)}"' in listed.text
    response = admin_user_client.post(url, {"decision": decision.pk, "next": section_list})
    assert response["Location"] == section_list


def test_the_seed_citation_8_shows_its_sentence_and_its_dates_decisions(admin_user_client):
    section = make_seed_section()
    citation = section.citations.get(number=8)
    response = admin_user_client.get(_resolve_url(citation))
    assert "zelfregulatie [5][6][7]<mark>[8]</mark>." in response.text
    # The seed cites two decisions of 26/06/2020 ([2] and [8]'s own date).
    dates = {c.decision.date for c in response.context["candidates"]}
    assert RAW_DATE in dates


def test_the_change_form_warns_when_the_decision_has_another_date(admin_user_client):
    citation = _incomplete_citation("Een zin \\[0\\].")
    decision = make_decision(title="Andere dag", date=date(2020, 7, 3))
    response = admin_user_client.post(
        reverse("admin:commitments_citation_change", args=[citation.pk]),
        {
            "section": citation.section_id,
            "number": citation.number,
            "raw_date": "2020-06-26",
            "raw_title": "",
            "raw_url": "",
            "decision": decision.pk,
            "incomplete": "on",
        },
        follow=True,
    )
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1 and "[0]" in warnings[0]


def test_without_a_raw_date_there_are_no_candidates_and_no_confirmation(admin_user_client):
    section = make_section()
    make_summary(section, body="Een zin \\[0\\].")
    citation = make_citation(section, number=0, decision=None, raw_date=None)
    decision = make_decision(title="Gevonden via zoeken", date=date(2021, 3, 5))
    page = admin_user_client.get(_resolve_url(citation, q="gevonden"))
    assert page.context["candidates"] == []
    assert "geen datum" in page.text
    assert [c.decision for c in page.context["search_results"]] == [decision]
    response = admin_user_client.post(_resolve_url(citation), {"decision": decision.pk})
    assert response.status_code == 302
    citation.refresh_from_db()
    assert citation.decision == decision


def test_no_decision_within_a_month_leaves_only_the_search(admin_user_client):
    citation = _incomplete_citation("Een zin \\[0\\].")
    make_decision(date=date(2021, 6, 26))
    response = admin_user_client.get(_resolve_url(citation))
    assert response.context["candidates"] == []
    assert "Geen beslissingen gevonden." in response.text
    assert 'name="q"' in response.text
