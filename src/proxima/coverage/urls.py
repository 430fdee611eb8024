from django.urls import path

from proxima.coverage import views

app_name = "coverage"

urlpatterns = [
    path("coverage/", views.coverage_map, name="map"),
    path("coverage/territories/<str:code>/", views.territory, name="territory"),
    path("coverage/export.csv", views.export_csv, name="csv"),
]
