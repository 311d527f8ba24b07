"""The roles shipped with the app: groups from the data migration 0007_roles,
`grant_role` on the command line and in the user admin."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from commitments.roles import EINDREDACTEUR_PERMISSIONS, REDACTEUR_PERMISSIONS
from tests.builders import make_user

pytestmark = pytest.mark.django_db


def _codenames(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_migration_creates_both_groups_with_their_explicit_permissions():
    redacteur = _codenames("Redacteur")
    eindredacteur = _codenames("Eindredacteur")
    assert redacteur == {f"{app}.{code}" for app, code in REDACTEUR_PERMISSIONS}
    assert eindredacteur == {f"{app}.{code}" for app, code in EINDREDACTEUR_PERMISSIONS}
    assert eindredacteur - redacteur == {"commitments.review_evaluation"}
    assert {
        "decisions.change_decision",
        "decisions.add_decisiondocument",
        "commitments.change_citation",
        "commitments.change_section",
        "commitments.change_summary",
        "commitments.add_evaluation",
        "commitments.import_analyses",
    } <= redacteur
    # No deletes, and a judgement is never changed.
    assert not any(".delete_" in code for code in eindredacteur)
    assert "commitments.change_evaluation" not in eindredacteur


def test_grant_role_makes_a_user_an_editor_with_staff_access(capsys):
    user = make_user(username="an")
    call_command("grant_role", "an", "redacteur")
    user.refresh_from_db()
    assert user.is_staff
    assert user.has_perm("commitments.add_evaluation")
    assert not user.has_perm("commitments.review_evaluation")
    assert "an is nu Redacteur" in capsys.readouterr().out


def test_grant_role_replaces_the_earlier_role():
    user = make_user(username="bart")
    call_command("grant_role", "bart", "redacteur")
    call_command("grant_role", "bart", "Eindredacteur")
    assert list(user.groups.values_list("name", flat=True)) == ["Eindredacteur"]
    user = type(user).objects.get(pk=user.pk)
    assert user.has_perm("commitments.review_evaluation")


def test_grant_role_restores_a_group_emptied_by_hand():
    Group.objects.get(name="Redacteur").permissions.clear()
    make_user(username="an")
    call_command("grant_role", "an", "redacteur")
    assert _codenames("Redacteur") == {f"{app}.{code}" for app, code in REDACTEUR_PERMISSIONS}


def test_grant_role_dry_run_saves_nothing(capsys):
    user = make_user(username="an")
    call_command("grant_role", "an", "redacteur", "--dry-run")
    user.refresh_from_db()
    assert not user.is_staff and not user.groups.exists()
    assert "Proefdraai" in capsys.readouterr().out


def test_grant_role_names_an_unknown_user_or_role():
    make_user(username="an")
    with pytest.raises(CommandError, match="Er is geen gebruiker 'niemand'"):
        call_command("grant_role", "niemand", "redacteur")
    with pytest.raises(CommandError, match="Onbekende rol 'baas'"):
        call_command("grant_role", "an", "baas")


def test_user_admin_grants_a_role_with_an_action(admin_user_client):
    user = make_user(username="cas")
    response = admin_user_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "grant_eindredacteur", "_selected_action": [user.pk]},
        follow=True,
    )
    assert "Eindredacteur toegekend aan: cas." in response.text
    user.refresh_from_db()
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == ["Eindredacteur"]


def test_a_redacteur_uses_the_admin_but_deletes_nothing(client):
    user = make_user(username="an")
    call_command("grant_role", "an", "redacteur")
    client.force_login(user)
    assert client.get(reverse("admin:decisions_decision_add")).status_code == 200
    assert client.get(reverse("admin:commitments_section_changelist")).status_code == 200
    assert client.get(reverse("admin:commitments_section_import")).status_code == 200
    user = type(user).objects.get(pk=user.pk)
    assert not any(perm.split(".")[1].startswith("delete_") for perm in user.get_all_permissions())
