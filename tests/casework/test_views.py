"""The casework pages: the caseload, a case, one URL per action; outsiders refused with
nothing written; malformed input a form error in French, never a 500."""

import hashlib
import json

import pytest
from django.urls import reverse

from proxima.casework import services
from proxima.casework.models import (
    Case,
    CaseWorker,
    CoachingRequest,
    NextAction,
    NoteAddendum,
    ProgressNote,
)
from proxima.core.models import AuditEvent
from proxima.core.roles import Role
from tests.casework.conftest import client_of, note_input
from tests.core.test_no_raw_codes import raw_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOTE = {
    "intervention_type": "support",
    "duration_minutes": "45",
    "place": "home",
    "happened_on": "2026-11-20",
    "text": "Rencontre à domicile.",
}


def casework_rows() -> str:
    rows = [
        list(model.objects.order_by("pk").values())
        for model in (Case, CaseWorker, NextAction, ProgressNote, NoteAddendum, CoachingRequest)
    ]
    return hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()


@pytest.fixture
def world(case, worker, colleague, consultant, interprofessional):
    draft = services.write_note(case, note_input(text="Brouillon"), by=worker)
    signed = services.sign_note(services.write_note(case, note_input(), by=worker), by=worker)
    action = services.add_next_action(case, "Rappeler", note_input().happened_on, by=worker)
    coaching = services.request_coaching(case, interprofessional, "Comment faire?", by=worker)
    return {
        "case": case,
        "draft": draft,
        "signed": signed,
        "action": action,
        "coaching": coaching,
    }


def write_routes(world) -> list[tuple[str, dict]]:
    c = world["case"].pk
    return [
        (f"/casework/{c}/plan/", {"plan": "Nouveau plan"}),
        (f"/casework/{c}/actions/", {"text": "Appeler", "due_on": "2026-12-01"}),
        (f"/casework/{c}/actions/{world['action'].pk}/done/", {}),
        (f"/casework/{c}/workers/", {"worker": "1", "role": "co_intervener"}),
        (f"/casework/{c}/notes/", NOTE),
        (f"/casework/{c}/notes/{world['draft'].pk}/", NOTE),
        (f"/casework/{c}/notes/{world['draft'].pk}/discard/", {}),
        (f"/casework/{c}/notes/{world['draft'].pk}/sign/", {}),
        (f"/casework/{c}/notes/{world['signed'].pk}/addenda/", {"text": "Précision"}),
        (f"/casework/{c}/coaching/", {"team": "1", "question": "Question"}),
        (f"/casework/{c}/coaching/{world['coaching'].pk}/answer/", {"answer": "Réponse"}),
        (
            f"/casework/{c}/close/",
            {"closing_reason": "goals_met", "orientation": "none"},
        ),
    ]


def test_the_caseload_lists_the_workers_cases_with_their_next_actions(world, worker):
    response = client_of(worker).get("/casework/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Léa Roy" in html and "Rappeler" in html
    assert "en retard" in html  # the action due on November 20 is overdue
    assert "Mon dossier de suivi" in html or "Ma charge de cas" in html


def test_the_caseload_is_in_the_navigation_of_those_who_keep_one(worker, outsiders):
    assert 'href="/casework/"' in client_of(worker).get("/account/").content.decode()
    for who in ("811", "partner", "evaluator"):
        assert (
            'href="/casework/"' not in client_of(outsiders[who]).get("/account/").content.decode()
        )


def test_the_case_page_shows_everything_and_is_an_audited_read(world, worker):
    response = client_of(worker).get(f"/casework/{world['case'].pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Soutenir Léa", "Rappeler", "Brouillon", "Comment faire?", "Dominique Roy"):
        assert text in html
    assert "Soutien psychosocial" in html
    assert raw_in(html) == []
    assert AuditEvent.objects.filter(action="read_case", actor=worker).count() == 1


@pytest.mark.parametrize(
    "who",
    [
        "other region",
        "other team",
        "811",
        "partner",
        "partner worker",
        "evaluator",
        "privacy officer",
        "admin",
    ],
)
def test_outsiders_reach_no_case_page_nor_action_and_nothing_is_written(world, outsiders, who):
    client = client_of(outsiders[who])
    before = casework_rows()
    reads = AuditEvent.objects.filter(action__in=["read_case", "list_case"]).count()
    for url in (f"/casework/{world['case'].pk}/", f"/casework/{world['case'].pk}/close/"):
        assert client.get(url).status_code in (403, 404), url
    for url, body in write_routes(world):
        response = client.post(url, body)
        assert response.status_code in (403, 404), (url, response.status_code)
    assert casework_rows() == before
    assert AuditEvent.objects.filter(action__in=["read_case", "list_case"]).count() == reads


def test_a_colleague_of_the_team_reads_but_writes_nothing(world, colleague):
    client = client_of(colleague)
    assert client.get(f"/casework/{world['case'].pk}/").status_code == 200
    before = casework_rows()
    for url, body in write_routes(world):
        response = client.post(url, body)
        assert response.status_code in (400, 403), (url, response.status_code)
    assert casework_rows() == before


def test_the_worker_acts_through_one_url_per_action(world, worker, colleague, interprofessional):
    client = client_of(worker)
    c = world["case"].pk
    assert client.post(f"/casework/{c}/plan/", {"plan": "Plan revu"}).status_code == 302
    assert client.post(f"/casework/{c}/notes/", NOTE).status_code == 302
    assert client.post(f"/casework/{c}/notes/{world['draft'].pk}/sign/").status_code == 302
    response = client.post(
        f"/casework/{c}/workers/", {"worker": colleague.pk, "role": "co_intervener"}
    )
    assert response.status_code == 302
    response = client.post(
        f"/casework/{c}/coaching/", {"team": interprofessional.pk, "question": "Et maintenant?"}
    )
    assert response.status_code == 302
    assert client.post(f"/casework/{c}/actions/{world['action'].pk}/done/").status_code == 302
    case = Case.objects.get(pk=c)
    assert case.plan == "Plan revu"
    assert case.case_workers.count() == 2
    assert case.coaching_requests.count() == 2
    assert ProgressNote.objects.filter(case=case, signed_at__isnull=True).count() == 1


def test_the_consultant_answers_from_the_case_page(world, consultant):
    client = client_of(consultant)
    assert "Comment faire?" in client.get("/casework/coaching/").content.decode()
    url = f"/casework/{world['case'].pk}/coaching/{world['coaching'].pk}/answer/"
    assert client.post(url, {"answer": "Proposer un répit court."}).status_code == 302
    world["coaching"].refresh_from_db()
    assert world["coaching"].answer == "Proposer un répit court."
    # The consultant does not write notes on the case.
    assert client.post(f"/casework/{world['case'].pk}/notes/", NOTE).status_code == 403


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"duration_minutes": "abc"}, "nombre entier"),
        ({"duration_minutes": "-5"}, "supérieure ou égale à 1"),
        ({"duration_minutes": "99999"}, "inférieure ou égale à 720"),
        ({"place": "moon"}, "choix valide"),
        ({"intervention_type": ""}, "obligatoire"),
        ({"text": "a\x00b"}, "nul"),
        ({"text": "x" * 10_001}, "10000"),
        ({"happened_on": "2026-02-30"}, "date valide"),
        ({"happened_on": "٢٠٢٦-١١-٢٠"}, "date valide"),
    ],
)
def test_a_malformed_note_is_a_form_error_in_french(world, worker, changes, said):
    before = casework_rows()
    response = client_of(worker).post(f"/casework/{world['case'].pk}/notes/", {**NOTE, **changes})
    assert response.status_code == 400
    assert said.lower() in response.content.decode().lower()
    assert casework_rows() == before


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("actions/", {"text": "Appeler", "due_on": "demain"}),
        ("actions/", {"text": "", "due_on": "2026-12-01"}),
        ("workers/", {"worker": "abc", "role": "co_intervener"}),
        ("workers/", {"worker": "99999999999999999999999", "role": "co_intervener"}),
        ("workers/", {"worker": "1", "role": "boss"}),
        ("coaching/", {"team": "x", "question": "?"}),
        ("close/", {"closing_reason": "", "orientation": "none"}),
        ("close/", {"closing_reason": "goals_met", "orientation": "mars"}),
        ("plan/", {"plan": ""}),
    ],
)
def test_malformed_actions_are_form_errors_never_a_500(world, worker, route, body):
    before = casework_rows()
    response = client_of(worker).post(f"/casework/{world['case'].pk}/{route}", body)
    assert response.status_code == 400, response.status_code
    assert casework_rows() == before


@pytest.mark.parametrize("bad_id", ["abc", "12abc", "99999999999999999999999", "-1"])
def test_malformed_ids_are_404(world, worker, bad_id):
    client = client_of(worker)
    c = world["case"].pk
    assert client.get(f"/casework/{bad_id}/").status_code == 404
    for url in (
        f"/casework/{c}/notes/{bad_id}/sign/",
        f"/casework/{c}/actions/{bad_id}/done/",
        f"/casework/{c}/coaching/{bad_id}/answer/",
    ):
        assert client.post(url).status_code == 404, url


def test_a_note_of_another_case_is_not_found_through_this_one(world, worker, region):
    from tests.casework.conftest import person_of

    other = services.open_case(person_of(region, "Marc"), by=worker)
    before = casework_rows()
    url = f"/casework/{other.pk}/notes/{world['draft'].pk}/sign/"
    assert client_of(worker).post(url).status_code == 404
    assert casework_rows() == before


def test_closing_from_its_page(world, worker):
    client = client_of(worker)
    url = f"/casework/{world['case'].pk}/close/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"closing_reason": "goals_met", "orientation": "community"})
    assert response.status_code == 400  # a draft waits
    assert "brouillon" in response.content.decode()
    client.post(f"/casework/{world['case'].pk}/notes/{world['draft'].pk}/sign/")
    response = client.post(url, {"closing_reason": "goals_met", "orientation": "community"})
    assert response.status_code == 302
    page = client.get(f"/casework/{world['case'].pk}/").content.decode()
    assert "Objectifs atteints" in page and "Un organisme communautaire" in page
    response = client.post(f"/casework/{world['case'].pk}/notes/", NOTE)
    assert response.status_code in (400, 403)


def test_a_case_is_opened_from_the_persons_record(person, worker, region):
    client = client_of(worker)
    assert client.get(f"/casework/new/?person={person.pk}").status_code == 200
    from proxima.teams.services import standard_team

    team = standard_team(region, "social_consultation")
    response = client.post(
        "/casework/new/", {"person": person.pk, "team": team.pk, "plan": "Premier plan"}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.person, case.team, case.plan) == (person, team, "Premier plan")
    assert client.get("/casework/new/").status_code == 302  # to the person search


def test_a_persons_record_lists_the_cases_the_reader_may_read(case, person, worker, region):
    from proxima.casework import services as casework

    page = client_of(worker).get(reverse("people:person", args=[person.pk])).content.decode()
    assert reverse("casework:case", args=[case.pk]) in page
    assert "ouvert" in page  # the case's status in words, never its code
    # A CLSC worker of another team reads the person's record, not the case.
    other_team = UserFactory(role=Role.CLSC_WORKER, region=region, team="mobile_outreach")
    other = client_of(other_team).get(reverse("people:person", args=[person.pk]))
    assert other.status_code == 200
    assert reverse("casework:case", args=[case.pk]) not in other.content.decode()
    assert "Aucun suivi que vous pouvez lire." in other.content.decode()
    # Closed, it is still listed, after the open ones.
    casework.close_case(case, by=worker, reason="goals_met", orientation="none")
    later = casework.open_case(person, by=worker, plan="Nouveau suivi")
    assert casework.cases_of(person, by=worker) == [later, case]
