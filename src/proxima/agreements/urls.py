from django.urls import path

from proxima.agreements import views

app_name = "agreements"

urlpatterns = [
    path("agreements/", views.inventory, name="inventory"),
    path("agreements/export.csv", views.export_csv, name="csv"),
    path("agreements/export.xlsx", views.export_xlsx, name="xlsx"),
    path("agreements/new/", views.new, name="new"),
    path("agreements/<str:agreement_id>/", views.detail, name="detail"),
    path("agreements/<str:agreement_id>/edit/", views.edit, name="edit"),
    path("agreements/<str:agreement_id>/status/", views.change_status, name="status"),
    path("agreements/<str:agreement_id>/meetings/", views.add_meeting, name="meeting"),
    path("agreements/<str:agreement_id>/indicators/", views.add_indicator, name="indicator"),
    path("agreements/<str:agreement_id>/training/", views.add_training, name="training"),
    path(
        "agreements/<str:agreement_id>/parties/<str:party_id>/",
        views.set_party_terms,
        name="party",
    ),
    path("agreements/<str:agreement_id>/documents/", views.attach_document, name="attach"),
    path(
        "agreements/<str:agreement_id>/documents/<str:document_id>/",
        views.document,
        name="document",
    ),
    path(
        "agreements/<str:agreement_id>/documents/<str:document_id>/remove/",
        views.remove_document,
        name="remove_document",
    ),
]
