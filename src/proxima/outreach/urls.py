from django.urls import path

from proxima.outreach import views

app_name = "outreach"

urlpatterns = [
    path("outreach/", views.app, name="app"),
    path("outreach/new/", views.record, name="record"),
    path("outreach/sync/", views.sync, name="sync"),
    path("outreach/contacts/", views.contacts, name="contacts"),
    # Under /outreach/, so that the service worker's scope is the outreach pages only.
    path("outreach/sw.js", views.service_worker, name="service_worker"),
    path("outreach/manifest.webmanifest", views.manifest, name="manifest"),
]
