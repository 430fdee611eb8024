import os

from django.core.wsgi import get_wsgi_application

from proxima.core.logs import with_request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proxima.settings")
application = with_request_id(get_wsgi_application())
