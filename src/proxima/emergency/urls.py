from django.urls import path

from proxima.emergency import views

app_name = "emergency"

urlpatterns = [
    path("emergency/", views.events, name="events"),
    path("emergency/declare/", views.declare, name="declare"),
    path("emergency/tasks/", views.tasks, name="tasks"),
    path("emergency/<str:event_id>/", views.event_detail, name="event"),
    path("emergency/<str:event_id>/activate/", views.activate, name="activate"),
    path("emergency/<str:event_id>/schedule/", views.change_schedule, name="schedule"),
    path("emergency/<str:event_id>/close/", views.close, name="close"),
    path("emergency/<str:event_id>/register/", views.register, name="register"),
    path(
        "emergency/<str:event_id>/people/<str:affected_id>/",
        views.affected_detail,
        name="person",
    ),
    path(
        "emergency/<str:event_id>/follow-ups/<str:follow_up_id>/",
        views.record_follow_up,
        name="follow_up",
    ),
    path(
        "emergency/<str:event_id>/contacts/<str:contact_id>/link/",
        views.link_contact,
        name="link_contact",
    ),
]
