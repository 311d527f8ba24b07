from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Helpers both content apps use (file reading, import errors and locking,
    exports, the sanitising renderer, de-hyphenation), so that `decisions`
    never has to import `commitments`."""

    name = "core"
    verbose_name = _("Gedeelde hulpmiddelen")

    def ready(self):
        from .cache import connect_signals

        connect_signals()
