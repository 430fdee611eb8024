"""The group pages: lists, an activity with its participants and attendance, one URL per
action; outsiders refused with nothing written; malformed input a form error in French,
never a 500; the person's page shows their groups; the coverage page the projects."""

import hashlib
import json

import pytest

from proxima.core.models import AuditEvent
from proxima.core.roles import Role
from proxima.groups import services
from proxima.groups.models import (
    Attendance,
    CollectiveProject,
    GroupActivity,
    GroupSession,
    ProjectActivity,
    Registration,
)
from proxima.groups.services import ProjectInput
from proxima.territories.services import save_territory
from tests.core.test_no_raw_codes import raw_in
from tests.factories import UserFactory
from tests.groups.conftest import client_of, person_of

pytestmark = pytest.mark.django_db

RUNNERS = {"other region", "other team"}

ACTIVITY = {
    "team": "",
    "title_fr": "Groupe de parents",
    "title_en": "Parenting group",
    "theme": "parenting",
    "capacity": "8",
}


def group_rows() -> str:
    rows = [
        list(model.objects.order_by("pk").values())
        for model in (
            GroupActivity,
            GroupSession,
            Registration,
            Attendance,
            CollectiveProject,
            ProjectActivity,
        )
    ]
    return hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()


@pytest.fixture
def neighbourhood(region):
    from shapely.geometry import box

    whole, _ = save_territory("region", region.code, region.name, box(-72, 46, -70, 48))
    return save_territory(
        "neighbourhood", "vanier", "Vanier", box(-71.3, 46.7, -71.1, 46.9), parent=whole
    )[0]


@pytest.fixture
def project(neighbourhood, worker):
    return services.create_project(
        ProjectInput(
            territory=neighbourhood,
            title_fr="Sécurité alimentaire du quartier",
            title_en="Neighbourhood food security",
            issue="Pas d’épicerie",
            need_domains=["food"],
            citizens_involved=40,
        ),
        by=worker,
    )


@pytest.fixture
def world(need_domains, activity, people, worker, past_session, project):
    registrations = [services.register(activity, p, by=worker) for p in people]
    return {
        "activity": activity,
        "registrations": registrations,
        "session": past_session,
        "project": project,
        "people": people,
    }


def write_routes(world) -> list[tuple[str, dict]]:
    a = world["activity"].pk
    person = world["people"][0].pk
    return [
        ("/groups/new/", {**ACTIVITY, "team": "1"}),
        (f"/groups/register/?person={person}", {"person": person, "activity": a}),
        (f"/groups/{a}/status/", {"status": "cancelled"}),
        (f"/groups/{a}/sessions/", {"starts_at": "2026-12-20T18:00", "duration_minutes": "90"}),
        (f"/groups/{a}/registrations/{world['registrations'][0].pk}/withdraw/", {}),
        (
            f"/groups/{a}/sessions/{world['session'].pk}/attendance/",
            {f"r{world['registrations'][0].pk}": "present"},
        ),
    ]


def test_the_activity_page_lists_participants_waiting_list_and_attendance(world, worker):
    response = client_of(worker).get(f"/groups/{world['activity'].pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Groupe de parents" in html and "Liste d’attente" in html
    assert html.index("Dina") > html.index("Liste d’attente")  # the 4th waits
    assert "Enregistrer les présences" in html
    assert raw_in(html) == []
    assert AuditEvent.objects.filter(action="list_group_participant", actor=worker).count() == 5


def test_the_lists_show_the_activities_and_projects(world, worker):
    assert "Groupe de parents" in client_of(worker).get("/groups/").content.decode()
    html = client_of(worker).get("/groups/projects/").content.decode()
    assert "Sécurité alimentaire du quartier" in html and "Aide alimentaire" in html


def test_in_english_labels_are_english(world, worker):
    client = client_of(worker)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/groups/{world['activity'].pk}/").content.decode()
    assert "Parenting group" in html and "Waiting list" in html


@pytest.mark.parametrize("who", ["other region", "other team", "811", "partner", "evaluator"])
def test_outsiders_reach_no_group_page_nor_action_and_nothing_is_written(world, outsiders, who):
    client = client_of(outsiders[who])
    assert client.get(f"/groups/{world['activity'].pk}/").status_code in (403, 404)
    before = group_rows()
    for url, body in write_routes(world):
        response = client.post(url, body)
        # Workers who run other groups may use these forms for their own: the team or
        # activity named is not offered (a form error).
        own_forms = url == "/groups/new/" or url.startswith("/groups/register/")
        refused = (400, 403, 404) if own_forms and who in RUNNERS else (403, 404)
        assert response.status_code in refused, (url, response.status_code)
    assert group_rows() == before


def test_the_coordinator_reads_but_writes_nothing(world, outsiders):
    client = client_of(outsiders["coordinator"])
    assert client.get(f"/groups/{world['activity'].pk}/").status_code == 200
    before = group_rows()
    for url, body in write_routes(world):
        assert client.post(url, body).status_code in (403, 404), url
    assert group_rows() == before


def test_the_worker_acts_through_one_url_per_action(region, world, worker):
    client = client_of(worker)
    a = world["activity"]
    team = services.runnable_teams(worker).get()
    response = client.post(
        "/groups/new/", {**ACTIVITY, "team": team.pk, "need_domains": ["family"]}
    )
    assert response.status_code == 302
    created = GroupActivity.objects.exclude(pk=a.pk).get()
    assert list(created.facilitators.all()) == [worker]
    assert (
        client.post(
            f"/groups/{a.pk}/sessions/", {"starts_at": "2026-12-20T18:00", "duration_minutes": "90"}
        ).status_code
        == 302
    )
    first = world["registrations"][0]
    assert client.post(f"/groups/{a.pk}/registrations/{first.pk}/withdraw/").status_code == 302
    assert Registration.objects.get(pk=world["registrations"][3].pk).status == "registered"
    second = world["registrations"][1]
    response = client.post(
        f"/groups/{a.pk}/sessions/{world['session'].pk}/attendance/", {f"r{second.pk}": "present"}
    )
    assert response.status_code == 302
    assert Attendance.objects.get().presence == "present"
    newcomer = person_of(region, "Fanny")
    response = client.post("/groups/register/", {"person": newcomer.pk, "activity": a.pk})
    assert response.status_code == 302
    assert Registration.objects.get(person=newcomer).status == "waitlisted"
    assert client.post(f"/groups/{a.pk}/status/", {"status": "cancelled"}).status_code == 302
    response = client.post("/groups/register/", {"person": world["people"][0].pk, "activity": a.pk})
    assert response.status_code == 400  # no longer offered


def test_registering_from_the_persons_page(world, worker):
    person = world["people"][0]
    html = client_of(worker).get(f"/people/{person.pk}/").content.decode()
    assert "Groupes" in html and "Groupe de parents" in html
    assert f"/groups/register/?person={person.pk}" in html
    page = client_of(worker).get(f"/groups/register/?person={person.pk}")
    assert page.status_code == 200 and "Groupe de parents" in page.content.decode()


def test_the_persons_page_shows_no_group_to_an_811_worker(world, outsiders):
    person = world["people"][0]
    html = client_of(outsiders["811"]).get(f"/people/{person.pk}/").content.decode()
    assert "Groupe de parents" not in html


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"capacity": "abc"}, "Places"),
        ({"capacity": "-1"}, "Places"),
        ({"capacity": "100000"}, "Places"),
        ({"title_fr": "x\x00y"}, "NUL"),
        ({"title_fr": "x" * 100_000}, "Titre (français)"),
        ({"theme": "rien"}, "Thème"),
        ({"team": "9" * 40}, "Équipe"),
        ({"team": "１"}, "Équipe"),
        ({"min_age": "30", "max_age": "20"}, "Âge maximum"),
        ({"territory": "abc"}, "Territoire"),
        ({"facilitators": ["x\x00"]}, "NUL"),
        ({"facilitators": ["abc"]}, "Autres animateurs"),
        ({"need_domains": ["nope"]}, "Besoins"),
    ],
)
def test_a_malformed_activity_is_a_form_error_in_french(worker, changes, said):
    team = services.runnable_teams(worker).get()
    response = client_of(worker).post("/groups/new/", {**ACTIVITY, "team": team.pk, **changes})
    assert response.status_code == 400
    assert said in response.content.decode()
    assert not GroupActivity.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"starts_at": "2026-02-30T18:00", "duration_minutes": "90"},
        {"starts_at": "9999-12-31T23:00", "duration_minutes": "90"},
        {"starts_at": "demain", "duration_minutes": "90"},
        {"starts_at": "2026-12-20T18:00", "duration_minutes": "abc"},
        {"starts_at": "2026-12-20T18:00", "duration_minutes": "100000"},
        {"starts_at": "2026-12-20T18:00", "duration_minutes": "90", "place": "a\x00"},
    ],
)
def test_a_malformed_session_is_a_form_error(world, worker, body):
    before = group_rows()
    response = client_of(worker).post(f"/groups/{world['activity'].pk}/sessions/", body)
    assert response.status_code == 400
    assert group_rows() == before


@pytest.mark.parametrize("value", ["late", "", "\x00"])
def test_malformed_attendance_is_refused(world, worker, value):
    first = world["registrations"][0]
    before = group_rows()
    response = client_of(worker).post(
        f"/groups/{world['activity'].pk}/sessions/{world['session'].pk}/attendance/",
        {f"r{first.pk}": value},
    )
    assert response.status_code == 400
    assert group_rows() == before


@pytest.mark.parametrize("bad", ["abc", "-1", "99999999999999999999999", "１", "0x1"])
def test_bad_ids_are_not_found(world, worker, bad):
    client = client_of(worker)
    a = world["activity"].pk
    assert client.get(f"/groups/{bad}/").status_code == 404
    assert client.get(f"/groups/projects/{bad}/").status_code == 404
    assert client.post(f"/groups/{a}/registrations/{bad}/withdraw/").status_code == 404
    assert client.post(f"/groups/{a}/sessions/{bad}/attendance/").status_code == 404
    assert client.get(f"/groups/register/?person={bad}").status_code == 404
    response = client.post("/groups/register/", {"person": world["people"][0].pk, "activity": bad})
    assert response.status_code == 400


def test_the_session_of_another_activity_is_not_found(region, world, worker):
    other = services.create_activity(
        services.ActivityInput(
            team=world["activity"].team,
            title_fr="Autre",
            title_en="",
            theme="other",
            description="",
            capacity=5,
        ),
        by=worker,
    )
    response = client_of(worker).post(
        f"/groups/{other.pk}/sessions/{world['session'].pk}/attendance/", {}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"citizens_involved": "-1"}, "Citoyens"),
        ({"citizens_involved": "abc"}, "Citoyens"),
        ({"started_on": "2026-02-30"}, "Débuté le"),
        ({"started_on": "2026-12-01", "ended_on": "2026-01-01"}, "Terminé le"),
        ({"issue": ""}, "Enjeu"),
        ({"partners": ["x\x00"]}, "NUL"),
        ({"partners": ["pas-un-organisme"]}, "Organismes partenaires"),
        ({"territory": "999999"}, "Territoire"),
    ],
)
def test_a_malformed_project_is_a_form_error_in_french(neighbourhood, outsiders, changes, said):
    body = {
        "territory": neighbourhood.pk,
        "title_fr": "Projet",
        "issue": "Enjeu",
        "citizens_involved": "10",
        "status": "planned",
        **changes,
    }
    response = client_of(outsiders["coordinator"]).post("/groups/projects/new/", body)
    assert response.status_code == 400
    assert said in response.content.decode()
    assert not CollectiveProject.objects.exists()


def test_a_project_and_its_activities(project, worker, outsiders):
    client = client_of(outsiders["coordinator"])
    response = client.post(
        f"/groups/projects/{project.pk}/activities/",
        {"held_on": "2026-11-01", "description": "Cuisine collective", "participants": "14"},
    )
    assert response.status_code == 302
    html = client.get(f"/groups/projects/{project.pk}/").content.decode()
    assert "Cuisine collective" in html and "40" in html
    bad = client.post(
        f"/groups/projects/{project.pk}/activities/",
        {"held_on": "2026-11-01", "description": "X", "participants": "-3"},
    )
    assert bad.status_code == 400


@pytest.mark.parametrize("who", ["other region", "811", "partner", "evaluator"])
def test_outsiders_write_no_project(project, outsiders, who):
    client = client_of(outsiders[who])
    before = group_rows()
    response = client.post(
        f"/groups/projects/{project.pk}/activities/",
        {"held_on": "2026-11-01", "description": "X", "participants": "1"},
    )
    assert response.status_code in (403, 404)
    expected = 400 if who == "other region" else 403  # editors of their own region's
    assert client.post("/groups/projects/new/", {"title_fr": "X"}).status_code == expected
    assert group_rows() == before


def test_the_coverage_page_shows_the_territorys_projects(region, project, neighbourhood):
    lead = UserFactory(role=Role.TEAM_LEAD, region=region, team="social_consultation")
    html = client_of(lead).get("/coverage/territories/vanier/").content.decode()
    assert "Projets collectifs" in html and "Sécurité alimentaire du quartier" in html
    assert "40 citoyens" in html
