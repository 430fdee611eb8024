from django.urls import path

from proxima.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("services/<str:service_id>/", views.service_detail, name="service"),
    path("partner/", views.partner_home, name="partner_home"),
    path("partner/services/<str:service_id>/", views.partner_edit, name="partner_edit"),
    path("taxonomies/", views.taxonomies, name="taxonomies"),
    path("taxonomies/<str:taxonomy_id>/", views.taxonomy_terms, name="taxonomy_terms"),
    path("mappings/<int:mapping_id>/confirm/", views.confirm_mapping, name="confirm_mapping"),
    path("mappings/<int:mapping_id>/reject/", views.reject_mapping, name="reject_mapping"),
    path("terms/<str:term_id>/mappings/", views.add_mapping, name="add_mapping"),
]
