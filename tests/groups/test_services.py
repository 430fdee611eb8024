"""Group rules: capacity and waiting list (first come, first served), promotion on
withdrawal, no double registration, age limits, attendance (registered only, sessions
held, once, a facilitator corrects), closed activities refuse; collective projects."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from proxima.core.models import AuditEvent
from proxima.core.roles import Role
from proxima.groups import services
from proxima.groups.models import Attendance, Registration
from proxima.groups.services import GroupInputError, ProjectInput
from proxima.territories.services import save_territory
from tests.factories import OrganizationFactory, UserFactory
from tests.groups.conftest import activity_input, person_of

pytestmark = pytest.mark.django_db


def test_places_then_waiting_list_in_order_of_arrival(activity, people, worker):
    statuses = [services.register(activity, p, by=worker).status for p in people]
    assert statuses == ["registered"] * 3 + ["waitlisted"] * 2
    found = services.participants(activity, by=worker)
    assert [r.person for r in found.waitlisted] == people[3:]


def test_a_withdrawal_gives_the_place_to_the_first_waiting_and_is_audited(activity, people, worker):
    registrations = [services.register(activity, p, by=worker) for p in people]
    promoted = services.withdraw(registrations[1], by=worker)
    assert promoted.person == people[3]
    assert Registration.objects.get(pk=registrations[4].pk).status == "waitlisted"
    assert Registration.objects.filter(activity=activity, status="registered").count() == 3
    assert AuditEvent.objects.filter(
        action="promote_from_waitlist", object_id=str(people[3].pk)
    ).exists()


def test_leaving_the_waiting_list_promotes_nobody(activity, people, worker):
    registrations = [services.register(activity, p, by=worker) for p in people]
    assert services.withdraw(registrations[3], by=worker) is None
    assert Registration.objects.get(pk=registrations[4].pk).status == "waitlisted"


def test_nobody_is_registered_twice(activity, people, worker):
    services.register(activity, people[0], by=worker)
    with pytest.raises(GroupInputError):
        services.register(activity, people[0], by=worker)
    assert Registration.objects.filter(activity=activity).count() == 1


def test_registered_again_after_withdrawing_goes_to_the_end_of_the_line(activity, people, worker):
    registrations = [services.register(activity, p, by=worker) for p in people[:4]]
    services.withdraw(registrations[0], by=worker)  # people[3] gets the place
    again = services.register(activity, people[0], by=worker)
    assert again.pk == registrations[0].pk and again.status == "waitlisted"


def test_age_limits_apply_when_the_birth_date_is_known(region, worker):
    activity = services.create_activity(activity_input(region, min_age=16, max_age=25), by=worker)
    today = timezone.localdate()
    child = person_of(region, "Zoé", born=today.replace(year=today.year - 10))
    elder = person_of(region, "Yves", born=date(1950, 1, 1))
    unknown = person_of(region, "Xavier")
    young = person_of(region, "Wanda", born=today.replace(year=today.year - 18))
    for person in (child, elder):
        with pytest.raises(GroupInputError):
            services.register(activity, person, by=worker)
    assert services.register(activity, unknown, by=worker).status == "registered"
    assert services.register(activity, young, by=worker).status == "registered"


@pytest.mark.parametrize("status", ["cancelled", "finished"])
def test_a_closed_activity_takes_no_registration(activity, people, worker, status):
    services.set_activity_status(activity, status, by=worker)
    with pytest.raises(GroupInputError):
        services.register(activity, people[0], by=worker)
    assert not Registration.objects.exists()


def test_attendance_only_for_registered_participants(activity, people, worker, past_session):
    registrations = [services.register(activity, p, by=worker) for p in people]
    waiting = registrations[3]
    with pytest.raises(GroupInputError):
        services.record_attendance(past_session, {waiting.pk: "present"}, by=worker)
    services.withdraw(registrations[0], by=worker)
    with pytest.raises(GroupInputError):
        services.record_attendance(past_session, {registrations[0].pk: "present"}, by=worker)
    assert not Attendance.objects.exists()


def test_no_attendance_for_a_session_to_come(activity, people, worker, future_session):
    registration = services.register(activity, people[0], by=worker)
    with pytest.raises(GroupInputError):
        services.record_attendance(future_session, {registration.pk: "present"}, by=worker)
    assert not Attendance.objects.exists()


def test_attendance_once_a_facilitator_corrects_it(
    activity, people, worker, teammate, past_session
):
    registration = services.register(activity, people[0], by=worker)
    services.record_attendance(past_session, {registration.pk: "absent"}, by=teammate)
    # The same mark again changes nothing; a different one needs a facilitator.
    services.record_attendance(past_session, {registration.pk: "absent"}, by=teammate)
    with pytest.raises(GroupInputError):
        services.record_attendance(past_session, {registration.pk: "present"}, by=teammate)
    services.record_attendance(past_session, {registration.pk: "present"}, by=worker)
    mark = Attendance.objects.get()
    assert mark.presence == "present" and mark.recorded_by == worker
    assert AuditEvent.objects.filter(action="change_group_attendance").count() == 1


def test_a_session_of_another_activity_takes_no_attendance_of_this_one(
    region, activity, people, worker
):
    other = services.create_activity(activity_input(region), by=worker)
    session = services.add_session(other, timezone.now() - timedelta(days=1), 60, "", by=worker)
    registration = services.register(activity, people[0], by=worker)
    with pytest.raises(GroupInputError):
        services.record_attendance(session, {registration.pk: "present"}, by=worker)


def test_reading_the_participants_is_audited_for_each_person(activity, people, worker):
    for person in people[:4]:
        services.register(activity, person, by=worker)
    before = AuditEvent.objects.filter(action="list_group_participant").count()
    services.participants(activity, by=worker)
    listed = AuditEvent.objects.filter(action="list_group_participant")
    assert listed.count() - before == 4
    assert {e.object_id for e in listed} == {str(p.pk) for p in people[:4]}


def test_who_reads_and_writes_activities(activity, people, worker, teammate, outsiders):
    coordinator = outsiders["coordinator"]
    assert services.visible_to(teammate).filter(pk=activity.pk).exists()
    assert services.visible_to(coordinator).filter(pk=activity.pk).exists()
    for name in ("other region", "other team", "811", "partner", "evaluator"):
        assert not services.visible_to(outsiders[name]).exists(), name
    for name in ("other region", "other team", "811", "partner", "evaluator", "coordinator"):
        with pytest.raises(PermissionDenied):
            services.register(activity, people[0], by=outsiders[name])
    assert not Registration.objects.exists()


def test_a_facilitator_of_another_team_reads_and_runs_the_group(region, activity, people, worker):
    outreach = UserFactory(role=Role.CLSC_WORKER, region=region, team="mobile_outreach")
    activity.facilitators.add(outreach)
    assert services.visible_to(outreach).filter(pk=activity.pk).exists()
    assert services.register(activity, people[0], by=outreach).status == "registered"


def test_a_person_of_another_region_is_not_registered(activity, elsewhere, worker):
    with pytest.raises(PermissionDenied):
        services.register(activity, person_of(elsewhere), by=worker)


def test_an_activity_is_for_one_of_ones_teams(region, worker):
    with pytest.raises(GroupInputError) as refused:
        services.create_activity(
            activity_input(
                region,
                team=services.Team.objects.create(
                    region=region, code="autre", kind="mobile_outreach", name_fr="Autre"
                ),
            ),
            by=worker,
        )
    assert "team" in refused.value.errors


@pytest.fixture
def neighbourhood(region):
    from shapely.geometry import box

    whole, _ = save_territory("region", region.code, region.name, box(-72, 46, -70, 48))
    return save_territory(
        "neighbourhood", "vanier", "Vanier", box(-71.3, 46.7, -71.1, 46.9), parent=whole
    )[0]


def test_collective_projects_count_per_territory_and_need(region, neighbourhood, outsiders):
    coordinator = outsiders["coordinator"]
    project = services.create_project(
        ProjectInput(
            territory=neighbourhood,
            title_fr="Sécurité alimentaire",
            title_en="",
            issue="Pas d’épicerie",
            need_domains=["food", "isolation"],
            partners=[OrganizationFactory(), OrganizationFactory()],
            citizens_involved=40,
        ),
        by=coordinator,
    )
    assert project.partners.count() == 2
    whole = neighbourhood.parent_id
    counts = services.collective_projects_in(region.pk, [whole, neighbourhood.pk])
    assert counts[(neighbourhood.pk, "food")] == 1 and counts[(whole, "isolation")] == 1
    assert services.collective_projects_in(region.pk, [whole], "housing") == {}
    assert services.projects_in(region.pk, [whole]) == [project]
    services.add_project_activity(project, date(2026, 11, 1), "Cuisine", 12, by=coordinator)
    assert project.activities.count() == 1


def test_a_project_needs_a_territory_of_the_region_and_a_count(
    region, elsewhere, neighbourhood, outsiders
):
    from shapely.geometry import box

    theirs = save_territory("region", elsewhere.code, elsewhere.name, box(-76, 45, -74, 46))[0]
    with pytest.raises(GroupInputError) as refused:
        services.create_project(
            ProjectInput(
                territory=theirs, title_fr="X", title_en="", issue="Y", citizens_involved=-1
            ),
            by=outsiders["coordinator"],
        )
    assert set(refused.value.errors) == {"territory", "citizens_involved"}
    for name in ("partner", "evaluator", "811"):
        with pytest.raises(PermissionDenied):
            services.create_project(
                ProjectInput(territory=neighbourhood, title_fr="X", title_en="", issue="Y"),
                by=outsiders[name],
            )


def test_a_place_freed_while_closed_goes_to_the_waiting_not_to_a_newcomer(
    activity, people, worker, region
):
    registrations = [services.register(activity, p, by=worker) for p in people]
    # Cancelled, a withdrawal promotes nobody; reopened, the first waiting gets the place.
    services.set_activity_status(activity, "cancelled", by=worker)
    assert services.withdraw(registrations[0], by=worker) is None
    services.set_activity_status(activity, "running", by=worker)
    assert Registration.objects.get(pk=registrations[3].pk).status == "registered"
    assert Registration.objects.get(pk=registrations[4].pk).status == "waitlisted"
    # A newcomer queues behind those waiting, even if a place were free.
    services.withdraw(registrations[1], by=worker)  # the last waiting gets it
    assert Registration.objects.get(pk=registrations[4].pk).status == "registered"
    services.set_activity_status(activity, "cancelled", by=worker)
    services.withdraw(registrations[2], by=worker)  # a place freed, nobody promoted
    services.set_activity_status(activity, "running", by=worker)
    newcomer = services.register(activity, person_of(region, "Zoé", "Nouvelle"), by=worker)
    assert newcomer.status == "registered"  # nobody was waiting: the free place is theirs
    late = services.register(activity, person_of(region, "Yves", "Tard"), by=worker)
    assert late.status == "waitlisted"


def test_no_attendance_on_a_cancelled_group(activity, people, worker, past_session):
    registration = services.register(activity, people[0], by=worker)
    services.set_activity_status(activity, "cancelled", by=worker)
    with pytest.raises(GroupInputError):
        services.record_attendance(past_session, {registration.pk: "present"}, by=worker)
    assert not Attendance.objects.exists()
