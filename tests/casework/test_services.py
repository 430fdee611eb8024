"""The casework actions: who reads which case, co-intervention, next actions and their due
dates, notes and their signature, coaching, closing; each action audited."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from proxima.casework import services
from proxima.casework.models import Case, CaseWorker, CoachingRequest, NextAction, ProgressNote
from proxima.core.models import AuditEvent
from proxima.core.roles import Role
from proxima.teams.services import standard_team
from tests.casework.conftest import note_input, person_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def actions_audited(person) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(person.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )


# --- who reads ----------------------------------------------------------------------------


def test_the_cases_workers_their_team_and_the_regions_coordinators_read_the_case(
    case, worker, colleague, region, outsiders
):
    coordinator = UserFactory(role=Role.COORDINATOR, region=region)
    team_lead = UserFactory(role=Role.TEAM_LEAD, region=region, team="social_consultation")
    for reader in (worker, colleague, coordinator, team_lead):
        assert list(services.visible_to(reader)) == [case], reader.role
    for who, outsider in outsiders.items():
        assert not services.visible_to(outsider).exists(), who


def test_only_the_cases_workers_write(case, worker, colleague, region):
    coordinator = UserFactory(role=Role.COORDINATOR, region=region)
    for reader in (colleague, coordinator):
        with pytest.raises(PermissionDenied):
            services.write_note(case, note_input(), by=reader)
        with pytest.raises(PermissionDenied):
            services.add_next_action(case, "Rappeler", date(2026, 12, 1), by=reader)
        with pytest.raises(PermissionDenied):
            services.close_case(case, by=reader, reason="goals_met", orientation="none")
    assert not ProgressNote.objects.exists()
    assert not NextAction.objects.exists()


def test_only_workers_who_keep_a_caseload_open_cases_in_their_region(person, elsewhere, region):
    for role in (Role.WORKER_811, Role.COORDINATOR, Role.PARTNER_ADMIN, Role.EVALUATOR):
        with pytest.raises(PermissionDenied):
            services.open_case(person, by=UserFactory(role=role, region=region))
    stranger = UserFactory(role=Role.CLSC_WORKER, region=elsewhere)
    with pytest.raises(PermissionDenied):
        services.open_case(person, by=stranger)
    assert not Case.objects.exists()


def test_a_case_is_opened_for_one_of_the_workers_teams_only(person, worker, region):
    with pytest.raises(services.CaseInputError) as refused:
        services.open_case(person, by=worker, team=standard_team(region, "mobile_outreach"))
    assert "team" in refused.value.errors
    assert not Case.objects.exists()


def test_opening_makes_the_worker_the_lead_and_is_audited(case, worker, person):
    [lead] = CaseWorker.objects.filter(case=case)
    assert (lead.user, lead.role) == (worker, "lead")
    assert actions_audited(person) == ["open_case"]


def test_reading_the_case_is_audited_against_the_person(case, worker, person):
    services.read_case(case.pk, by=worker)
    event = AuditEvent.objects.filter(action="read_case").get()
    assert event.object_id == str(person.pk)
    assert event.detail["case"] == str(case.pk)
    assert event.region_id == person.region_id


# --- co-intervention ----------------------------------------------------------------------


def test_a_co_intervener_reads_and_writes_the_case(case, worker, region):
    other_team = UserFactory(role=Role.CLSC_WORKER, region=region, team="mobile_outreach")
    assert not services.visible_to(other_team).exists()
    services.add_co_worker(case, other_team, by=worker)
    assert list(services.visible_to(other_team)) == [case]
    note = services.write_note(case, note_input(text="Visite conjointe"), by=other_team)
    assert note.written_by == other_team
    assert "add_case_worker" in actions_audited(case.person)


def test_a_co_worker_is_of_the_region_keeps_a_caseload_and_is_added_once(
    case, worker, colleague, elsewhere, region
):
    services.add_co_worker(case, colleague, by=worker)
    with pytest.raises(services.CaseInputError):
        services.add_co_worker(case, colleague, by=worker)
    for unfit in (
        UserFactory(role=Role.CLSC_WORKER, region=elsewhere),
        UserFactory(role=Role.WORKER_811, region=region),
        UserFactory(role=Role.EVALUATOR, region=region),
    ):
        with pytest.raises(services.CaseInputError):
            services.add_co_worker(case, unfit, by=worker)
    assert case.case_workers.count() == 2


def test_the_team_lead_of_the_cases_team_assigns_workers(case, colleague, region):
    lead = UserFactory(role=Role.TEAM_LEAD, region=region, team="social_consultation")
    services.add_co_worker(case, colleague, by=lead)
    other_lead = UserFactory(role=Role.TEAM_LEAD, region=region, team="mobile_outreach")
    with pytest.raises(PermissionDenied):
        services.add_co_worker(
            case, UserFactory(role=Role.CLSC_WORKER, region=region), by=other_lead
        )
    assert case.case_workers.count() == 2


# --- next actions -------------------------------------------------------------------------


def test_the_caseload_lists_open_cases_by_the_nearest_due_date_overdue_flagged(
    worker, region, case
):
    today = date(2026, 12, 10)
    later = services.open_case(person_of(region, "Marc"), by=worker)
    none_planned = services.open_case(person_of(region, "Zoé"), by=worker)
    services.add_next_action(later, "Rappeler", today + timedelta(days=5), by=worker)
    services.add_next_action(case, "Visite", today + timedelta(days=9), by=worker)
    overdue = services.add_next_action(case, "Appel", today - timedelta(days=2), by=worker)
    mine, others = services.caseload(worker, today)
    assert [line.case for line in mine] == [case, later, none_planned]
    assert [line.overdue for line in mine] == [True, False, False]
    assert mine[0].next_due == overdue.due_on
    services.complete_next_action(overdue, by=worker)
    mine, _others = services.caseload(worker, today)
    assert [line.case for line in mine] == [later, case, none_planned]
    assert [a.text for a in mine[1].pending] == ["Visite"]
    assert others == []
    assert AuditEvent.objects.filter(action="list_case").count() == 6


def test_the_team_sees_its_other_cases_apart(case, colleague):
    mine, others = services.caseload(colleague)
    assert mine == [] and [line.case for line in others] == [case]


def test_a_next_action_is_done_once(case, worker):
    action = services.add_next_action(case, "Appel", date(2026, 12, 1), by=worker)
    services.complete_next_action(action, by=worker)
    with pytest.raises(services.CaseInputError):
        services.complete_next_action(action, by=worker)


@pytest.mark.parametrize("text", ["", "   ", "x" * 501, "nul\x00"])
def test_a_next_action_needs_a_reasonable_text(case, worker, text):
    with pytest.raises(services.CaseInputError):
        services.add_next_action(case, text, date(2026, 12, 1), by=worker)
    assert not NextAction.objects.exists()


# --- notes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": -5}, "duration_minutes"),
        ({"duration_minutes": 721}, "duration_minutes"),
        ({"duration_minutes": None}, "duration_minutes"),
        ({"duration_minutes": True}, "duration_minutes"),
        ({"place": "moon"}, "place"),
        ({"intervention_type": "magic"}, "intervention_type"),
        ({"text": ""}, "text"),
        ({"text": "x" * 10_001}, "text"),
        ({"text": "a\x00b"}, "text"),
        ({"happened_on": None}, "happened_on"),
        ({"happened_on": date(1850, 1, 1)}, "happened_on"),
    ],
)
def test_a_note_out_of_bounds_is_refused(case, worker, changes, field):
    with pytest.raises(services.CaseInputError) as refused:
        services.write_note(case, note_input(**changes), by=worker)
    assert field in refused.value.errors
    assert not ProgressNote.objects.exists()


def test_a_note_cannot_be_in_the_future(case, worker):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(services.CaseInputError):
        services.write_note(case, note_input(happened_on=tomorrow), by=worker)


def test_a_draft_is_changed_and_signed_by_its_author_only(case, worker, colleague):
    services.add_co_worker(case, colleague, by=worker)
    note = services.write_note(case, note_input(), by=worker)
    services.change_note(note, note_input(text="Rencontre au CLSC", place="clsc"), by=worker)
    note.refresh_from_db()
    assert (note.text, note.place) == ("Rencontre au CLSC", "clsc")
    for action in (
        lambda: services.change_note(note, note_input(text="Autre"), by=colleague),
        lambda: services.sign_note(note, by=colleague),
        lambda: services.discard_note(note, by=colleague),
    ):
        with pytest.raises(services.CaseInputError):
            action()
    services.sign_note(note, by=worker)
    note.refresh_from_db()
    assert note.signed_by == worker and note.text == "Rencontre au CLSC"


def test_a_draft_is_discarded_by_its_author(case, worker):
    note = services.write_note(case, note_input(), by=worker)
    services.discard_note(note, by=worker)
    assert not ProgressNote.objects.exists()
    assert "discard_case_note" in actions_audited(case.person)


def test_every_note_action_is_audited(signed_note, worker, case):
    services.add_addendum(signed_note, "Précision", by=worker)
    assert actions_audited(case.person) == [
        "open_case",
        "write_case_note",
        "sign_case_note",
        "add_note_addendum",
    ]


# --- coaching -----------------------------------------------------------------------------


def test_coaching_is_asked_of_the_interprofessional_team_and_answered_by_a_member(
    case, worker, consultant, interprofessional, colleague
):
    asked = services.request_coaching(
        case, interprofessional, "Comment aborder le répit?", by=worker
    )
    # The interprofessional team reads the case it is asked about.
    assert list(services.visible_to(consultant)) == [case]
    assert services.coaching_inbox(consultant) == [asked]
    # Neither the asker nor a colleague of the case's team answers.
    for not_a_member in (worker, colleague):
        with pytest.raises(PermissionDenied):
            services.answer_coaching(asked, "Oui", by=not_a_member)
    services.answer_coaching(asked, "Proposer un répit court.", by=consultant)
    asked.refresh_from_db()
    assert (asked.status, asked.answered_by) == ("answered", consultant)
    with pytest.raises(services.CaseInputError):
        services.answer_coaching(asked, "Encore", by=consultant)
    audited = actions_audited(case.person)
    assert audited.index("request_coaching") < audited.index("answer_coaching")


def test_coaching_is_asked_of_an_interprofessional_team_of_the_region_only(
    case, worker, region, elsewhere
):
    for team in (
        standard_team(region, "mobile_outreach"),
        standard_team(elsewhere, "interprofessional"),
    ):
        with pytest.raises(services.CaseInputError):
            services.request_coaching(case, team, "Question", by=worker)
    assert not CoachingRequest.objects.exists()


def test_a_member_of_another_regions_interprofessional_team_cannot_answer(
    case, worker, interprofessional, elsewhere
):
    asked = services.request_coaching(case, interprofessional, "Question", by=worker)
    stranger = UserFactory(role=Role.CLSC_WORKER, region=elsewhere, team="interprofessional")
    with pytest.raises(PermissionDenied):
        services.answer_coaching(asked, "Réponse", by=stranger)
    assert not services.visible_to(stranger).exists()


# --- closing ------------------------------------------------------------------------------


def test_closing_needs_a_reason_and_an_orientation(case, worker):
    for reason, orientation in (("", "none"), ("goals_met", ""), ("why", "none")):
        with pytest.raises(services.CaseInputError):
            services.close_case(case, by=worker, reason=reason, orientation=orientation)
    case.refresh_from_db()
    assert case.is_open


def test_closing_waits_for_the_drafts(case, worker):
    draft = services.write_note(case, note_input(), by=worker)
    with pytest.raises(services.CaseInputError) as refused:
        services.close_case(case, by=worker, reason="goals_met", orientation="community")
    assert "notes" in refused.value.errors
    services.sign_note(draft, by=worker)
    services.close_case(case, by=worker, reason="goals_met", orientation="community")
    case.refresh_from_db()
    assert (case.status, case.closing_reason, case.orientation, case.closed_by) == (
        "closed",
        "goals_met",
        "community",
        worker,
    )


def test_nothing_is_written_on_a_closed_case_but_addenda(
    case, worker, signed_note, interprofessional, colleague
):
    services.close_case(case, by=worker, reason="person_ended", orientation="none")
    for action in (
        lambda: services.write_note(case, note_input(), by=worker),
        lambda: services.add_next_action(case, "Appel", date(2026, 12, 1), by=worker),
        lambda: services.set_plan(case, "Nouveau plan", by=worker),
        lambda: services.request_coaching(case, interprofessional, "Question", by=worker),
        lambda: services.add_co_worker(case, colleague, by=worker),
        lambda: services.close_case(case, by=worker, reason="goals_met", orientation="none"),
    ):
        with pytest.raises(services.CaseInputError):
            action()
    assert ProgressNote.objects.count() == 1
    services.add_addendum(signed_note, "Correction de la date", by=worker)
    assert signed_note.addenda.count() == 1
    mine, _others = services.caseload(worker)
    assert mine == []


def test_every_casework_action_audited_has_its_words():
    import ast
    from pathlib import Path

    from proxima.core.audit import ACTION_LABELS

    source = Path(services.__file__).read_text(encoding="utf-8")
    written = {
        node.args[1].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") in ("_audit", "record_audit_event")
        and len(node.args) >= 2
        and isinstance(node.args[1], ast.Constant)
    }
    assert len(written) >= 14
    assert written <= set(ACTION_LABELS)


def test_a_member_of_the_team_asked_does_not_answer_their_own_question(
    person, consultant, interprofessional, region
):
    # The consultant keeps a case of her own and asks her own team: a colleague answers.
    own = services.open_case(person, by=consultant, team=interprofessional)
    asked = services.request_coaching(own, interprofessional, "Votre avis?", by=consultant)
    with pytest.raises(PermissionDenied):
        services.answer_coaching(asked, "Moi-même", by=consultant)
    asked.refresh_from_db()
    assert asked.status == "asked" and asked.answered_by is None
    other = UserFactory(role=Role.CLSC_WORKER, region=region, team="interprofessional")
    services.answer_coaching(asked, "Un regard extérieur", by=other)


def test_the_coaching_inbox_lists_the_waiting_first_and_forgets_closed_cases(
    case, worker, consultant, interprofessional, person, region
):
    first = services.request_coaching(case, interprofessional, "Première", by=worker)
    services.answer_coaching(first, "Réponse", by=consultant)
    second = services.request_coaching(case, interprofessional, "Deuxième", by=worker)
    other_case = services.open_case(
        person_of(region, "Marc", "Roy"),
        by=worker,
        team=standard_team(region, "social_consultation"),
    )
    third = services.request_coaching(other_case, interprofessional, "Troisième", by=worker)
    # Waiting ones first, the oldest first; then the answered.
    assert services.coaching_inbox(consultant) == [second, third, first]
    # A question on a case closed since is no longer waited for, nor answered.
    services.close_case(other_case, by=worker, reason="person_ended", orientation="none")
    assert services.coaching_inbox(consultant) == [second, first]
    with pytest.raises(services.CaseInputError):
        services.answer_coaching(third, "Trop tard", by=consultant)
    third.refresh_from_db()
    assert third.status == "asked"


def test_a_case_has_one_lead_worker(case, worker, colleague):
    with pytest.raises(services.CaseInputError) as refused:
        services.add_co_worker(case, colleague, by=worker, role="lead")
    assert "role" in refused.value.errors
    assert not CaseWorker.objects.filter(case=case, user=colleague).exists()
    services.add_co_worker(case, colleague, by=worker, role="co_intervener")


def test_a_workers_recently_closed_cases_stay_within_reach(case, worker, colleague):
    assert services.recently_closed(worker) == []
    services.close_case(case, by=worker, reason="goals_met", orientation="none")
    assert services.recently_closed(worker) == [case]
    # Listed: an audited read; a colleague not on the case does not get it in this list.
    assert services.recently_closed(colleague) == []
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=91))
    assert services.recently_closed(worker) == []
