from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("Regeerakkoord")

    def ready(self):
        # Single saves keep the search documents current (commitments/signals.py).
        from . import signals

        signals.connect()
