from django.urls import path

from proxima.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("services/<str:service_id>/", views.service_detail, name="service"),
    path("partner/", views.partner_home, name="partner_home"),
    path("partner/services/<str:service_id>/", views.partner_edit, name="partner_edit"),
]
