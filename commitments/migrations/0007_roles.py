"""The editorial roles Redacteur and Eindredacteur, as groups with explicit
permission sets (commitments/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

from commitments.roles import sync_role_groups


def create_roles(apps, schema_editor):
    # On a fresh database permissions are only made after the last migration
    # (post_migrate): make those of both content apps now, from this state.
    for label in ("contenttypes", "auth", "decisions", "commitments"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    sync_role_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Redacteur", "Eindredacteur"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0006_import_baseline"),
        ("decisions", "0002_decision_alternative_title"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
