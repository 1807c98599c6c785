"""WSGI entry point (production runs WSGI: django-tenants keeps the tenant on the connection)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipentol.settings.production")
application = get_wsgi_application()
