"""The editorial roles Redacteur and Eindredacteur, as groups with explicit
permission sets.

The sets are frozen here, as they were when this migration was written: a
later change to commitments/roles.py (which `grant_role` applies) comes with
its own data migration, and tests/commitments/test_workflow_roles.py fails
until the two agree."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

_EDITED = [
    ("decisions", "decision"),
    ("decisions", "decisiondocument"),
    ("decisions", "minister"),
    ("decisions", "theme"),
    ("commitments", "section"),
    ("commitments", "summary"),
    ("commitments", "citation"),
]
REDACTEUR = [
    *[(app, f"{action}_{model}") for app, model in _EDITED for action in ("add", "change", "view")],
    ("commitments", "view_agreement"),
    ("commitments", "view_chapter"),
    ("commitments", "add_evaluation"),
    ("commitments", "view_evaluation"),
    ("commitments", "import_analyses"),
]
ROLES = {
    "Redacteur": REDACTEUR,
    "Eindredacteur": [*REDACTEUR, ("commitments", "review_evaluation")],
}


def create_roles(apps, schema_editor):
    # On a fresh database permissions are only made after the last migration
    # (post_migrate): make those of both content apps now, from this state.
    for label in ("decisions", "commitments"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in codenames
        ]
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0006_import_baseline"),
        ("decisions", "0002_decision_alternative_title"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
