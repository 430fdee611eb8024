from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from proxima.api import api
from proxima.core import views as core_views

urlpatterns = [
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("home/", core_views.home, name="home"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    # The admin signs in through Proxima's own sign-in (password, then one-time code).
    path("admin/login/", core_views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    # The API's own root answers 404; people who type /api/ want its documentation.
    path("api/", RedirectView.as_view(url="/api/docs", permanent=False), name="api_home"),
    path("api/", api.urls),
    path("", include("proxima.accounts.urls")),
    path("", include("proxima.directory.urls")),
    path("", include("proxima.people.urls")),
    path("", include("proxima.intake.urls")),
    path("", include("proxima.referrals.urls")),
    path("", include("proxima.prescriptions.urls")),
    path("", include("proxima.privacy.urls")),
    path("", include("proxima.coverage.urls")),
    path("", include("proxima.casework.urls")),
    path("", include("proxima.groups.urls")),
    path("", include("proxima.emergency.urls")),
    path("", include("proxima.outreach.urls")),
    path("", include("proxima.agreements.urls")),
    path("", include("proxima.indicators.urls")),
]

# Django's own error answers: a page in the person's language, JSON under /api/.
handler400 = "proxima.core.views.bad_request"
handler403 = "proxima.core.views.permission_denied"
handler404 = "proxima.core.views.page_not_found"
handler500 = "proxima.core.views.server_error"
