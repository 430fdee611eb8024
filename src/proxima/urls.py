from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from proxima.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # The API's own root answers 404; people who type /api/ want its documentation.
    path("api/", RedirectView.as_view(url="/api/docs", permanent=False), name="api_home"),
    path("api/", api.urls),
    path("", include("proxima.core.urls")),
    path("", include("proxima.directory.urls")),
    path("", include("proxima.people.urls")),
    path("", include("proxima.intake.urls")),
    path("", include("proxima.referrals.urls")),
    path("", include("proxima.prescriptions.urls")),
    path("", include("proxima.privacy.urls")),
]
