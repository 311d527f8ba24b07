"""No one, superusers included, changes or deletes a judgement through the
admin: a correction is a new evaluation, proposed in the workspace."""

import pytest
from django.urls import reverse

from commitments.models import Evaluation, Section, Status
from tests.builders import make_chapter, make_evaluation, make_section

pytestmark = pytest.mark.django_db


def test_superuser_cannot_change_an_evaluation(admin_user_client):
    evaluation = make_evaluation(rationale="Oorspronkelijk")
    url = reverse("admin:commitments_evaluation_change", args=[evaluation.pk])
    page = admin_user_client.get(url)
    assert page.status_code == 200  # to read it
    assert 'name="rationale"' not in page.text
    response = admin_user_client.post(
        url, {"section": evaluation.section_id, "status": Status.ABANDONED, "rationale": "X"}
    )
    assert response.status_code == 403
    evaluation.refresh_from_db()
    assert evaluation.rationale == "Oorspronkelijk"


def test_superuser_cannot_delete_an_evaluation(admin_user_client):
    evaluation = make_evaluation()
    url = reverse("admin:commitments_evaluation_delete", args=[evaluation.pk])
    assert admin_user_client.get(url).status_code == 403
    assert admin_user_client.post(url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:commitments_evaluation_changelist")
    assert "delete_selected" not in admin_user_client.get(changelist).text
    # Posted anyway, the action is unknown and nothing is deleted.
    admin_user_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [evaluation.pk], "post": "yes"},
    )
    assert Evaluation.objects.filter(pk=evaluation.pk).exists()


def test_evaluations_are_added_in_the_workspace_not_in_the_evaluation_admin(admin_user_client):
    assert admin_user_client.get(reverse("admin:commitments_evaluation_add")).status_code == 403


def test_a_judged_section_cannot_be_deleted_in_the_admin(admin_user_client):
    section = make_section()
    make_evaluation(section)
    url = reverse("admin:commitments_section_delete", args=[section.pk])
    assert admin_user_client.post(url, {"post": "yes"}).status_code == 403
    assert Section.objects.filter(pk=section.pk).exists()
    assert Evaluation.objects.count() == 1


def test_bulk_delete_of_sections_is_refused_when_one_is_judged(admin_user_client):
    chapter = make_chapter()
    judged = make_section(chapter, number="1.1")
    make_evaluation(judged)
    unjudged = make_section(chapter, number="1.2")
    response = admin_user_client.post(
        reverse("admin:commitments_section_changelist"),
        {"action": "delete_selected", "_selected_action": [judged.pk, unjudged.pk], "post": "yes"},
    )
    # The evaluations would go with the section, and no one may delete those.
    assert response.status_code == 403
    assert Section.objects.count() == 2
    assert Evaluation.objects.count() == 1


def test_deleting_a_chapter_does_not_take_judgements_with_it(admin_user_client):
    section = make_section()
    make_evaluation(section)
    url = reverse("admin:commitments_chapter_delete", args=[section.chapter_id])
    assert admin_user_client.post(url, {"post": "yes"}).status_code == 403
    assert Evaluation.objects.count() == 1


def test_an_unjudged_section_can_still_be_deleted(admin_user_client):
    section = make_section()
    url = reverse("admin:commitments_section_delete", args=[section.pk])
    assert admin_user_client.post(url, {"post": "yes"}).status_code == 302
    assert not Section.objects.exists()
