from django.urls import path

from proxima.groups import views

app_name = "groups"

urlpatterns = [
    path("groups/", views.activities, name="activities"),
    path("groups/new/", views.new_activity, name="new_activity"),
    path("groups/register/", views.register, name="register"),
    path("groups/projects/", views.projects, name="projects"),
    path("groups/projects/new/", views.new_project, name="new_project"),
    path("groups/projects/<str:project_id>/", views.project_detail, name="project"),
    path(
        "groups/projects/<str:project_id>/activities/",
        views.add_project_activity,
        name="project_activity",
    ),
    path("groups/<str:activity_id>/", views.activity_detail, name="activity"),
    path("groups/<str:activity_id>/status/", views.set_status, name="status"),
    path("groups/<str:activity_id>/sessions/", views.add_session, name="session"),
    path(
        "groups/<str:activity_id>/registrations/<str:registration_id>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    path(
        "groups/<str:activity_id>/sessions/<str:session_id>/attendance/",
        views.record_attendance,
        name="attendance",
    ),
]
