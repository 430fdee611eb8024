from django.urls import path

from proxima.intake import views

app_name = "intake"

urlpatterns = [
    path("intake/", views.home, name="home"),
    path("intake/calls/new/", views.new_call, name="new_call"),
    path("intake/calls/<uuid:episode_id>/", views.call, name="call"),
    path("intake/calls/<uuid:episode_id>/draft/", views.save_call_draft, name="draft"),
    path("intake/calls/<uuid:episode_id>/summary/", views.summary, name="summary"),
    path("intake/calls/<uuid:episode_id>/summary/send/", views.send_summary, name="send_summary"),
]
