"""The two editorial roles shipped with the app, as plain data.

The data migration 0007_roles created the groups with a frozen copy of these
sets; the `grant_role` command applies them again, so a group an operator
emptied by hand (or a test database flushed between tests) is whole again
the next time a role is granted. Changing a set here needs a data migration
too (tests/commitments/test_workflow_roles.py compares the two). Explicit
codenames, never "all permissions of the app": no role may delete anything,
and evaluations are added (proposed) but never changed.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_lazy as _

# What an editor writes: decisions and their documents, sections, summaries
# and citations. Ministers and themes are picked on a decision.
_EDITED = [
    ("decisions", "decision"),
    ("decisions", "decisiondocument"),
    ("decisions", "minister"),
    ("decisions", "theme"),
    ("commitments", "section"),
    ("commitments", "summary"),
    ("commitments", "citation"),
]
# Only read: the agreement and its chapters are set up by an operator.
_READ = [("commitments", "agreement"), ("commitments", "chapter")]

REDACTEUR_PERMISSIONS: tuple[tuple[str, str], ...] = (
    *[(app, f"{action}_{model}") for app, model in _EDITED for action in ("add", "change", "view")],
    *[(app, f"view_{model}") for app, model in _READ],
    # Propose a judgement (a new row); history is never changed.
    ("commitments", "add_evaluation"),
    ("commitments", "view_evaluation"),
    ("commitments", "import_analyses"),
)
EINDREDACTEUR_PERMISSIONS: tuple[tuple[str, str], ...] = (
    *REDACTEUR_PERMISSIONS,
    ("commitments", "review_evaluation"),
)


@dataclass(frozen=True)
class Role:
    key: str
    group: str
    label: str
    permissions: tuple[tuple[str, str], ...]


ROLES = {
    "redacteur": Role("redacteur", "Redacteur", _("Redacteur"), REDACTEUR_PERMISSIONS),
    "eindredacteur": Role(
        "eindredacteur", "Eindredacteur", _("Eindredacteur"), EINDREDACTEUR_PERMISSIONS
    ),
}


def sync_role_groups() -> dict[str, Group]:
    """Create or complete the role groups so each holds exactly its permission set.

    Returns {role key: group}. Raises LookupError if a permission is missing
    (its app's migrations and permissions have not been created)."""
    groups = {}
    for role in ROLES.values():
        wanted = []
        for app_label, codename in role.permissions:
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                raise LookupError(f"permission {app_label}.{codename} does not exist")
            wanted.append(permission)
        group, _created = Group.objects.get_or_create(name=role.group)
        group.permissions.set(wanted)
        groups[role.key] = group
    return groups


def grant_role(*, user, role: str) -> Role:
    """Give `user` exactly one editorial role: its group (made whole first),
    not the other role's, and staff status so the admin lets them in.

    Raises KeyError for an unknown role key."""
    chosen = ROLES[role]
    with transaction.atomic():
        groups = sync_role_groups()
        others = [group for key, group in groups.items() if key != chosen.key]
        user.groups.remove(*others)
        user.groups.add(groups[chosen.key])
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    return chosen
