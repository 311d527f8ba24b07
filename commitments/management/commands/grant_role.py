from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from commitments.roles import ROLES, grant_role


class Command(BaseCommand):
    help = _(
        "Geeft een gebruiker een redactierol: 'redacteur' (voorstellen, bewerken, importeren; "
        "niets verwijderen) of 'eindredacteur' (ook voorstellen van anderen goedkeuren of "
        "afwijzen). Maakt de gebruiker medewerker (toegang tot het beheer) en vervangt een "
        "eerdere rol."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help=_("gebruikersnaam van een bestaande gebruiker"))
        parser.add_argument("role", help=_("redacteur of eindredacteur"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("alles nagaan en melden, niets opslaan")
        )

    def handle(self, *args, **options):
        role_key = options["role"].strip().lower()
        if role_key not in ROLES:
            raise CommandError(
                _("Onbekende rol '%(role)s': kies redacteur of eindredacteur.")
                % {"role": options["role"]}
            )
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: options["username"]})
        except User.DoesNotExist:
            raise CommandError(
                _(
                    "Er is geen gebruiker '%(username)s'. Maak die eerst aan, "
                    "bv. met createsuperuser of in het beheer."
                )
                % {"username": options["username"]}
            ) from None
        with transaction.atomic():
            role = grant_role(user=user, role=role_key)
            if options["dry_run"]:
                transaction.set_rollback(True)
        summary = _("%(username)s is nu %(role)s (medewerker, groep %(group)s).") % {
            "username": options["username"],
            "role": role.label,
            "group": role.group,
        }
        if options["dry_run"]:
            summary = _("Proefdraai, niets opgeslagen: %(summary)s") % {"summary": summary}
        self.stdout.write(self.style.SUCCESS(summary))
