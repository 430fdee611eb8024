from django.urls import path

from proxima.casework import views

app_name = "casework"

urlpatterns = [
    path("casework/", views.caseload, name="caseload"),
    path("casework/coaching/", views.coaching_inbox, name="coaching_inbox"),
    path("casework/new/", views.open_case, name="open"),
    path("casework/<str:case_id>/", views.case_detail, name="case"),
    path("casework/<str:case_id>/plan/", views.set_plan, name="plan"),
    path("casework/<str:case_id>/actions/", views.add_next_action, name="action"),
    path(
        "casework/<str:case_id>/actions/<str:action_id>/done/",
        views.complete_next_action,
        name="action_done",
    ),
    path("casework/<str:case_id>/workers/", views.add_co_worker, name="co_worker"),
    path("casework/<str:case_id>/notes/", views.write_note, name="note"),
    path("casework/<str:case_id>/notes/<str:note_id>/", views.change_note, name="change_note"),
    path(
        "casework/<str:case_id>/notes/<str:note_id>/discard/",
        views.discard_note,
        name="discard_note",
    ),
    path("casework/<str:case_id>/notes/<str:note_id>/sign/", views.sign_note, name="sign_note"),
    path(
        "casework/<str:case_id>/notes/<str:note_id>/addenda/",
        views.add_addendum,
        name="addendum",
    ),
    path("casework/<str:case_id>/coaching/", views.request_coaching, name="coaching"),
    path(
        "casework/<str:case_id>/coaching/<str:request_id>/answer/",
        views.answer_coaching,
        name="answer",
    ),
    path("casework/<str:case_id>/close/", views.close_case, name="close"),
]
