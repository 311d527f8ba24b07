from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _register_sqlite_functions(sender, connection, **kwargs):
    """SQLite has no accent folding: give it ours for the search fallback."""
    if connection.vendor == "sqlite":
        from .search import fold

        connection.connection.create_function("akk_fold", 1, fold, deterministic=True)


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("Regeerakkoord")

    def ready(self):
        connection_created.connect(_register_sqlite_functions)
        from . import signals

        signals.connect()
