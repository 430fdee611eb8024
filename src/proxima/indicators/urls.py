from django.urls import path

from proxima.indicators import views

app_name = "indicators"

urlpatterns = [
    path("indicators/", views.dashboard, name="dashboard"),
    path("indicators/print/", views.print_view, name="print"),
    path("indicators/export.csv", views.export_csv, name="csv"),
    path("indicators/export.xlsx", views.export_xlsx, name="xlsx"),
    path("indicators/extract/", views.research_extract, name="extract"),
    path("indicators/extract/download/", views.download_extract, name="download_extract"),
]
