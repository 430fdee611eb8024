from django.urls import path

from proxima.people import views

app_name = "people"

urlpatterns = [
    path("people/", views.search, name="search"),
    path("people/<uuid:person_id>/", views.person_detail, name="person"),
]
