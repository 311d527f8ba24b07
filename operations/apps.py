from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """What operators need and visitors never see: health endpoints, the
    database-unavailable page, backup and restore."""

    name = "operations"
    verbose_name = _("Beheer")
