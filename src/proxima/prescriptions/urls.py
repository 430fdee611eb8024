from django.urls import path

from proxima.prescriptions import views

app_name = "prescriptions"

urlpatterns = [
    path("prescriptions/new/", views.new, name="new"),
    path("prescriptions/activities/", views.activities, name="activities"),
    path("prescriptions/<uuid:prescription_id>/", views.detail, name="detail"),
    path("prescriptions/<uuid:prescription_id>/print/", views.printable, name="print"),
    path(
        "prescriptions/<uuid:prescription_id>/measure/<slug:code>/",
        views.measure,
        name="measure",
    ),
]
