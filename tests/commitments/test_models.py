from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from commitments.models import Section, Status, section_sort_key
from commitments.services import evaluation_approve, evaluation_create
from tests.builders import (
    make_chapter,
    make_citation,
    make_evaluation,
    make_section,
    make_summary,
    make_user,
)

pytestmark = pytest.mark.django_db


def test_section_sort_key_orders_numbers_naturally():
    numbers = ["2", "1.10", "1.2", "1.2.1", "10.1", "1"]
    assert sorted(numbers, key=section_sort_key) == ["1", "1.2", "1.2.1", "1.10", "2", "10.1"]


def test_sections_of_a_chapter_list_in_natural_number_order():
    chapter = make_chapter()
    for number in ["1.10", "1.2", "2", "1.2.1"]:
        make_section(chapter, number=number)
    assert [s.number for s in chapter.sections.all()] == ["1.2", "1.2.1", "1.10", "2"]


def test_same_section_number_is_allowed_in_two_chapters():
    make_section(make_chapter(title="Samenleven"), number="1.1")
    make_section(make_chapter(title="Omgeving"), number="1.1")
    assert Section.objects.filter(number="1.1").count() == 2


def test_section_number_is_unique_within_its_chapter():
    chapter = make_chapter()
    make_section(chapter, number="1.1")
    with pytest.raises(IntegrityError):
        make_section(chapter, number="1.1")


def test_parent_is_the_nearest_existing_ancestor():
    chapter = make_chapter()
    top = make_section(chapter, number="1")
    deep = make_section(chapter, number="1.2.6")
    assert deep.parent == top


def test_parent_is_relinked_when_a_nearer_ancestor_arrives_later():
    chapter = make_chapter()
    top = make_section(chapter, number="1")
    deep = make_section(chapter, number="1.2.6")
    middle = make_section(chapter, number="1.2")
    deep.refresh_from_db()
    assert deep.parent == middle
    assert middle.parent == top


def test_section_without_evaluation_is_not_assessed():
    section = make_section()
    assert Section.objects.with_status().get(pk=section.pk).current_status == Status.NOT_ASSESSED


def test_newest_evaluation_is_the_current_status_and_history_is_kept():
    section = make_section()
    earlier = timezone.now() - timedelta(days=3)
    make_evaluation(section, status=Status.NOT_STARTED, created=earlier)
    proposal = evaluation_create(
        section=section, status=Status.IN_PROGRESS, rationale="Besluit genomen.", author=make_user()
    )
    evaluation_approve(evaluation=proposal, reviewer=make_user())
    annotated = Section.objects.with_status().get(pk=section.pk)
    assert annotated.current_status == Status.IN_PROGRESS
    assert [e.status for e in section.evaluations.newest_first()] == [
        Status.IN_PROGRESS,
        Status.NOT_STARTED,
    ]


def test_evaluation_create_records_the_author():
    user = make_user()
    evaluation = evaluation_create(
        section=make_section(), status=Status.ACHIEVED, rationale="  Gedaan. ", author=user
    )
    assert evaluation.author == user
    assert evaluation.rationale == "Gedaan."


def test_evaluation_create_refuses_an_unknown_status():
    with pytest.raises(ValidationError, match="bijna"):
        evaluation_create(section=make_section(), status="bijna")


def test_citation_number_is_unique_within_a_summary():
    section = make_section()
    make_citation(section, number=3)
    with pytest.raises(IntegrityError):
        make_citation(section, number=3)


def test_filter_by_status_uses_the_newest_evaluation():
    old = timezone.now() - timedelta(days=1)
    changed = make_section()
    make_evaluation(changed, status=Status.ACHIEVED, created=old)
    make_evaluation(changed, status=Status.ABANDONED)
    unchanged = make_section()
    make_evaluation(unchanged, status=Status.ACHIEVED)
    assert list(Section.objects.with_status_in([Status.ACHIEVED])) == [unchanged]


def test_with_counts_counts_citations_and_finds_the_latest_decision_date():
    section = make_section()
    first = make_citation(section)
    make_citation(section, number=1, decision=None)
    second = make_citation(section, number=2)
    second.decision.date = first.decision.date + timedelta(days=30)
    second.decision.save()
    annotated = Section.objects.with_counts().get(pk=section.pk)
    assert annotated.citation_count == 3
    assert annotated.decision_count == 2
    assert annotated.latest_decision_date == second.decision.date


def test_every_model_has_an_absolute_url_that_resolves(client):
    section = make_section(number="1.2")
    summary = make_summary(section)
    citation = make_citation(section)
    evaluation = make_evaluation(section)
    chapter = section.chapter
    for obj in [chapter.agreement, chapter, section, citation.decision]:
        assert client.get(obj.get_absolute_url()).status_code == 200, obj
    assert summary.get_absolute_url() == f"{section.get_absolute_url()}#samenvatting"
    assert citation.get_absolute_url() == f"{section.get_absolute_url()}#ref-0"
    assert evaluation.get_absolute_url().startswith(section.get_absolute_url())
    assert str(section) == f"1.2 {section.title}"
