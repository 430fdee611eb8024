from django.urls import path

from proxima.privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.log, name="log"),
    path("privacy/people/", views.search, name="search"),
    path("privacy/people/<uuid:person_id>/access/", views.access_report, name="access_report"),
    path(
        "privacy/people/<uuid:person_id>/access.csv",
        views.access_report_csv,
        name="access_report_csv",
    ),
    path("privacy/people/<uuid:person_id>/export/", views.export, name="export"),
    path("privacy/people/<uuid:person_id>/export.json", views.export_json, name="export_json"),
]
