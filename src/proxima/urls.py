from django.contrib import admin
from django.urls import include, path

from proxima.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("proxima.core.urls")),
    path("", include("proxima.directory.urls")),
]
