"""The HSDS 3.0 API: endpoints, pagination, filters, clear 4xx errors, confidentiality."""

import json

import pytest
from django.test import Client

from proxima.core.models import AuditEvent
from proxima.core.roles import Role
from proxima.directory import models as m
from proxima.directory.services.taxonomy import need_domain_term_id
from tests.factories import (
    SECRET_STREET,
    OrganizationFactory,
    UserFactory,
    make_confidential_shelter,
    make_service,
)
from tests.hsds_schemas import validator

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(need_domains):
    food_org = OrganizationFactory(name="Comptoir du quartier")
    services = {
        "food": make_service(
            "Dépannage alimentaire",
            "Paniers de nourriture chaque semaine.",
            domain="food",
            point=(46.8139, -71.2247),
            organization=food_org,
            hours=[("MO,TU,WE,TH,FR", "09:00", "17:00")],
            languages=("fr",),
        ),
        "housing": make_service(
            "Aide au logement",
            "Recherche de logements abordables.",
            domain="housing",
            point=(45.4393, -75.6610),
        ),
        "shelter": make_confidential_shelter(),
    }
    for number in range(5):
        make_service(f"Activité {number}", "Loisirs pour jeunes.", domain="sports")
    return services


def as_text(response) -> str:
    """The JSON body as readable text (the API escapes non-ASCII characters)."""
    return json.dumps(response.json(), ensure_ascii=False)


def get(path: str, client: Client | None = None, **params):
    return (client or Client()).get(f"/api/hsds{path}", params)


def test_root_gives_version_profile_and_openapi(directory):
    body = get("/").json()
    assert body["version"] == "3.0"
    assert body["profile"].startswith("https://docs.openreferral.org/")
    openapi = Client().get("/api/openapi.json")
    assert openapi.status_code == 200
    assert "/api/hsds/services" in openapi.json()["paths"]
    assert Client().get("/api/docs").status_code == 200


def test_services_are_paginated_the_hsds_way(directory):
    first = get("/services", per_page=3).json()
    assert (first["total_items"], first["total_pages"], first["size"]) == (8, 3, 3)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    last = get("/services", per_page=3, page=3).json()
    assert last["size"] == 2 and last["last_page"]
    ids = {
        s["id"]
        for page in (1, 2, 3)
        for s in get("/services", per_page=3, page=page).json()["contents"]
    }
    assert len(ids) == 8
    beyond = get("/services", per_page=3, page=9).json()
    assert beyond["empty"] and beyond["contents"] == []


def test_search_runs_the_directory_search(directory):
    body = get("/services", search="banque alimentaire").json()
    assert [s["name"] for s in body["contents"]] == ["Dépannage alimentaire"]
    english = get("/services", search="food bank").json()
    assert [s["id"] for s in english["contents"]] == [directory["food"].id]


def test_filters_by_taxonomy_term_organization_and_modified_after(directory):
    by_term = get("/services", taxonomy_term_id=need_domain_term_id("housing")).json()
    assert [s["id"] for s in by_term["contents"]] == [directory["housing"].id]
    by_org = get("/services", organization_id=directory["food"].organization_id).json()
    assert [s["id"] for s in by_org["contents"]] == [directory["food"].id]
    m.Service.objects.filter(id=directory["food"].id).update(last_modified="2030-01-01T00:00Z")
    recent = get("/services", modified_after="2029-12-31T00:00:00Z").json()
    assert [s["id"] for s in recent["contents"]] == [directory["food"].id]
    taxonomy_id = m.TaxonomyTerm.objects.get(id=need_domain_term_id("food")).taxonomy_id
    assert get("/services", taxonomy_id=taxonomy_id).json()["total_items"] == 8


def test_postcode_and_proximity_limit_by_distance(directory):
    near = get("/services", postcode="G1K 3B2", proximity=10000).json()
    ids = {s["id"] for s in near["contents"]}
    assert directory["food"].id in ids and directory["housing"].id not in ids


def test_minimal_and_full_representations(directory):
    minimal = get("/services", minimal="true", per_page=2).json()["contents"]
    assert set(minimal[0]) == {"id", "last_modified"}
    full = get("/services", full="true", search="alimentaire").json()["contents"][0]
    assert full["schedules"] and full["service_at_locations"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": 0}, "page"),
        ({"per_page": 0}, "page"),
        ({"per_page": 101}, "page"),
        ({"modified_after": "last tuesday"}, "modified_after"),
        ({"proximity": 1000}, "postcode"),
        ({"postcode": "ZZZ 999"}, "postal"),
        ({"search": "x" * 501}, "long"),
        ({"format": "xml"}, "json"),
        ({"page": "two"}, ""),
    ],
)
def test_bad_parameters_get_400_with_a_reason(directory, params, message):
    response = Client(headers={"accept-language": "en"}).get("/api/hsds/services", params)
    assert 400 <= response.status_code < 500, response.content
    assert message.lower() in response.content.decode().lower()


def test_errors_speak_french_by_default(directory):
    response = get("/services", page=0)
    assert response.status_code == 400
    assert "numéro de page" in response.json()["detail"]


def test_unknown_ids_get_404(directory):
    for path in ("/services/nope", "/organizations/nope", "/service_at_locations/nope"):
        assert get(path).status_code == 404, path
    assert get("/taxonomies/nope").status_code == 404
    assert get("/taxonomy_terms/nope").status_code == 404


def test_detail_endpoints_validate_against_the_official_schemas(directory):
    service = get(f"/services/{directory['food'].id}").json()
    assert not list(validator("service.json").iter_errors(service))
    organization = get(f"/organizations/{directory['food'].organization_id}").json()
    assert not list(validator("organization.json").iter_errors(organization))
    sal = get("/service_at_locations", per_page=1).json()["contents"][0]
    detail = get(f"/service_at_locations/{sal['id']}").json()
    assert not list(validator("service_at_location.json").iter_errors(detail))
    term = get(f"/taxonomy_terms/{need_domain_term_id('food')}").json()
    assert not list(validator("taxonomy_term.json").iter_errors(term))
    taxonomy = get(f"/taxonomies/{term['taxonomy_id']}").json()
    assert not list(validator("taxonomy.json").iter_errors(taxonomy))


def test_taxonomy_lists_and_term_filters(directory):
    taxonomies = get("/taxonomies").json()
    assert taxonomies["total_items"] >= 1
    top = get("/taxonomy_terms", top_only="true", per_page=100).json()["contents"]
    assert all(not term.get("parent_id") for term in top)
    assert any(term["code"] == "food" for term in top)


def test_anonymous_never_sees_a_confidential_address(directory):
    shelter = directory["shelter"]
    responses = [
        get(f"/services/{shelter.id}"),
        get("/services", full="true", per_page=100),
        get("/service_at_locations", per_page=100),
        get(f"/organizations/{shelter.organization_id}", full_service="true"),
    ]
    for response in responses:
        assert response.status_code == 200
        text = as_text(response)
        assert SECRET_STREET not in text and "46.8161" not in text
    assert not AuditEvent.objects.exists()


def test_staff_see_the_address_and_the_read_is_audited(directory):
    worker = UserFactory(role=Role.WORKER_811)
    client = Client()
    client.force_login(worker)
    response = get(f"/services/{directory['shelter'].id}", client)
    assert SECRET_STREET in as_text(response)
    event = AuditEvent.objects.exclude(action__startswith="login").get()
    assert (event.actor, event.action) == (worker, "read_confidential_location")


def test_partner_editor_is_treated_as_public_for_confidential_places(directory):
    partner = UserFactory(role=Role.PARTNER_ADMIN, organization=directory["food"].organization)
    client = Client()
    client.force_login(partner)
    response = get(f"/services/{directory['shelter'].id}", client)
    assert SECRET_STREET not in as_text(response)


def test_the_api_is_read_only(directory):
    response = Client().post("/api/hsds/services", {"name": "x"})
    assert response.status_code == 405


def test_a_full_page_reads_each_kind_once_whatever_the_number_of_services(need_domains):
    """100 full services took 9,000 queries (one per nested list of each record)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_service

    def one(n):
        make_service(
            f"Service {n}",
            "Aide",
            domain="food",
            point=(46.8, -71.2),
            address={
                "address_1": "1 rue",
                "city": "Québec",
                "state_province": "QC",
                "postal_code": "G1K 1A1",
                "country": "CA",
            },
            hours=[("MO", "09:00", "17:00")],
            languages=("fr",),
        )

    for n in range(3):
        one(n)
    with CaptureQueriesContext(connection) as few:
        small = Client().get("/api/hsds/services", {"full": "true", "per_page": 100}).json()
    for n in range(3, 15):
        one(n)
    with CaptureQueriesContext(connection) as many:
        big = Client().get("/api/hsds/services", {"full": "true", "per_page": 100}).json()
    assert len(small["contents"]) == 3 and len(big["contents"]) == 15
    first = big["contents"][0]
    assert first["schedules"] and first["languages"] and first["attributes"]
    assert first["service_at_locations"][0]["location"]["addresses"]
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(
    "path, params",
    [
        ("/organizations", {"full": "true", "per_page": 100}),
        ("/organizations", {"full_service": "true", "per_page": 100}),
        ("/organizations/{org}", {}),
        ("/organizations/{org}", {"full_service": "true"}),
    ],
)
def test_staff_reading_a_shelters_address_through_its_organization_is_audited(
    directory, path, params
):
    """The organization routes showed a shelter's address to staff with no audit line."""
    shelter = directory["shelter"]
    location = m.Location.objects.filter(
        id__in=m.ServiceAtLocation.objects.filter(service=shelter).values("location_id")
    ).get()
    location.organization_id = shelter.organization_id
    location.save()
    worker = UserFactory(role=Role.WORKER_811)
    client = Client()
    client.force_login(worker)
    response = get(path.format(org=shelter.organization_id), client, **params)
    assert SECRET_STREET in as_text(response)
    reads = AuditEvent.objects.filter(action="read_confidential_location", actor=worker)
    assert list(reads.values_list("object_id", flat=True)) == [location.id]


def test_an_organizations_search_too_long_is_refused_with_a_reason(directory):
    response = get("/organizations", search="x" * 501)
    assert response.status_code == 400 and "500" in response.json()["detail"]
    assert get("/organizations", search="x" * 500).status_code == 200
