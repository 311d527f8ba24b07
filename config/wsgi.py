import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Only web processes import this module (gunicorn, runserver): their queries get
# the statement timeout and JIT off; management commands keep the defaults.
from operations.database import limit_web_queries  # noqa: E402 (needs the settings loaded)

limit_web_queries()
