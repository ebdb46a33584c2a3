"""WSGI entry point: ``gunicorn knotenpunkt.config.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knotenpunkt.config.settings")
application = get_wsgi_application()
