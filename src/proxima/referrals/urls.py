from django.urls import path

from proxima.referrals import views

app_name = "referrals"

urlpatterns = [
    path("referrals/", views.inbox, name="inbox"),
    path("referrals/new/", views.new, name="new"),
    path("referrals/notifications/", views.notifications, name="notifications"),
    path("referrals/notifications/read/", views.mark_all_read, name="mark_all_read"),
    path(
        "referrals/notifications/settings/",
        views.notification_settings,
        name="notification_settings",
    ),
    path("referrals/<uuid:referral_id>/", views.detail, name="detail"),
    path("referrals/<uuid:referral_id>/fhir/", views.fhir_export, name="fhir"),
]
