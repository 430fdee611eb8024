"""Needs read from any directory's listings: categories of a foreign taxonomy mapped to
need domains (proposed, then confirmed, rejected or added by a coordinator, decisions
kept on re-import), needs read from a listing's own words, and the reasons shown."""

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from proxima.core.roles import Role
from proxima.directory import models as m
from proxima.directory.services import needs
from proxima.directory.services.hsds_import import import_hsds
from proxima.directory.services.search import SearchQuery, search_services
from proxima.directory.services.taxonomy import need_domain_term_id
from proxima.directory.services.vocabulary import need_vocabulary
from tests.factories import UserFactory, make_service

TAXONOMY = "3f1d0c52-8a47-4d0e-9b1e-6c2a7d5e8f01"


def uid(name: str) -> str:
    return str(uuid.uuid5(uuid.UUID(TAXONOMY), name))


def term(code: str, name: str, description: str = "") -> dict:
    return {
        "id": uid(code),
        "code": code,
        "name": name,
        "description": description or name,
        "taxonomy": "Répertoire régional",
        "taxonomy_detail": {
            "id": TAXONOMY,
            "name": "Répertoire régional",
            "description": "Catégories du répertoire régional",
        },
    }


def listing(code: str, name: str, description: str, *terms: dict) -> dict:
    return {
        "id": uid("service:" + code),
        "name": name,
        "description": description,
        "status": "active",
        "attributes": [
            {
                "id": uid(f"attribute:{code}:{t['code']}"),
                "taxonomy_term_id": t["id"],
                "taxonomy_term": t,
            }
            for t in terms
        ],
    }


FOOD = term("RR-01", "Sécurité alimentaire", "Paniers, frigos et cuisines pour se nourrir")
HOMEWORK = term("RR-07", "Soutien pédagogique", "Aide aux devoirs et tutorat")
ZONE = term("RR-12", "Zone 12-17", "Programme Zone")


def directory(tmp_path) -> "Path":  # noqa: F821
    services = [
        listing("a", "Le Grenier du quartier", "Distribution hebdomadaire.", FOOD),
        listing("b", "Étude après l'école", "Un local calme, des bénévoles.", HOMEWORK),
        listing("c", "Local Zone", "Ouvert les soirs de semaine.", ZONE),
        listing(
            "d",
            "Community Fridge Vanier",
            "Fresh groceries and hampers for families who are short of food.",
        ),
        listing(
            "e",
            "Comité logement du quartier",
            "Nous défendons les locataires menacés d'expulsion ou de reprise de logement.",
        ),
        listing(
            "f",
            "Formation sentinelles",
            "Formation en prévention du suicide pour les enseignants et le personnel scolaire.",
        ),
    ]
    path = tmp_path / "services.json"
    path.write_text(json.dumps(services), encoding="utf-8")
    return path


def names(text: str, **criteria) -> list[str]:
    return [hit.service.name for hit in search_services(SearchQuery(text=text, **criteria)).hits]


def mapping_of(code: str, domain: str) -> m.TermMapping:
    """The term's mapping to the domain or one of its sub-domains."""
    return m.TermMapping.objects.get(
        term_id=uid(code),
        need__in=m.TaxonomyTerm.objects.filter(id__in=[need_domain_term_id(domain)])
        | m.TaxonomyTerm.objects.filter(parent_id=need_domain_term_id(domain)),
    )


@pytest.fixture
def imported(need_domains, tmp_path):
    path = directory(tmp_path)
    import_hsds(path)
    return path


def test_a_foreign_category_is_mapped_by_its_name_and_found_by_everyday_words(imported):
    proposal = mapping_of("RR-01", "food")
    assert proposal.status == m.MappingStatus.PROPOSED
    assert proposal.evidence
    found = search_services(SearchQuery(text="plus rien dans le frigo")).hits
    assert {h.service.name for h in found} == {"Le Grenier du quartier", "Community Fridge Vanier"}
    grenier = next(h for h in found if h.service.name == "Le Grenier du quartier")
    assert any("Sécurité alimentaire" in reason for reason in grenier.reasons), grenier.reasons


def test_an_untagged_english_listing_is_found_by_a_french_need_and_the_reverse(imported):
    """The link comes from the listing's own words, read in its language, and the need
    domain is the same in both languages."""
    assert "Community Fridge Vanier" in names("on a plus rien à manger")[:2]
    fridge = next(
        h
        for h in search_services(SearchQuery(text="on a plus rien à manger")).hits
        if h.service.name == "Community Fridge Vanier"
    )
    assert any("own words" in r or "ses propres mots" in r for r in fridge.reasons), fridge.reasons
    assert names("my landlord wants to evict me")[:1] == ["Comité logement du quartier"]


def test_each_need_is_stored_with_where_it_came_from(imported):
    grenier = m.ServiceNeed.objects.filter(service_id=uid("service:a"))
    food = {need_domain_term_id(c) for c in ("food", "food.emergency", "food.kitchens")}
    assert {n.need_id for n in grenier if n.source == m.NeedSource.TERM} & food
    assert {n.evidence for n in grenier if n.source == m.NeedSource.TERM} == {
        "Sécurité alimentaire"
    }
    fridge = m.ServiceNeed.objects.filter(
        service_id=uid("service:d"), source=m.NeedSource.TEXT
    ).first()
    assert fridge.need_id in food
    assert fridge.evidence


def test_a_workshop_about_sexual_violence_is_not_read_as_a_violence_service(need_domains):
    service = make_service(
        "Ateliers de sensibilisation", "Ateliers de sensibilisation aux agressions sexuelles."
    )
    violence = {need_domain_term_id(c) for c in ("violence", "violence.sexual")}
    assert not m.ServiceNeed.objects.filter(service=service, need_id__in=violence).exists()


def test_a_persons_situation_mentioned_in_a_listing_is_not_a_need_it_serves(need_domains):
    """Phrases people say of themselves ("no car", "can't afford", "garde des enfants",
    "meals at home") are searched for, not read in listings, where they say something
    else (an outsider's probe: a collective kitchen served legal aid and transport)."""
    kitchen = make_service(
        "Cuisine collective",
        "Garde d'enfants sur place. Cook meals at home together. For families who can't "
        "afford groceries. No car needed.",
    )
    wrong = {
        need_domain_term_id(c)
        for c in ("legal", "food.delivery", "income", "transport", "caregivers")
    }
    served = set(m.ServiceNeed.objects.filter(service=kitchen).values_list("need_id", flat=True))
    assert not served & wrong
    assert {m.term_id for m in need_vocabulary().match("avocat garde des enfants")} >= {
        need_domain_term_id("legal")
    }
    # A person's words keep both languages' stems; a listing is read in the phrase's own.
    assert need_domain_term_id("caregivers") in {
        m.term_id for m in need_vocabulary().match("taking care of my husband, I'm a carer")
    }
    care = make_service("Care Services", "Home care for seniors.", text_language="en")
    assert not m.ServiceNeed.objects.filter(
        service=care, need_id=need_domain_term_id("caregivers")
    ).exists()


def test_a_category_taken_away_on_reimport_no_longer_leads_to_the_listing(imported):
    """`"attributes": []` is the listing's whole list: its category and the need the
    category gave go, and the search no longer finds it by that need."""
    assert "Étude après l'école" in names("aide aux devoirs")
    services = json.loads(imported.read_text(encoding="utf-8"))
    services[1]["attributes"] = []
    imported.write_text(json.dumps(services), encoding="utf-8")
    import_hsds(imported)
    assert not m.Attribute.objects.filter(link_id=uid("service:b")).exists()
    assert not m.ServiceNeed.objects.filter(
        service_id=uid("service:b"), source=m.NeedSource.TERM
    ).exists()
    assert "Étude après l'école" not in names("aide aux devoirs")


def test_a_training_about_suicide_is_not_read_as_a_crisis_service(imported):
    crisis_needs = {need_domain_term_id("crisis")}
    assert not m.ServiceNeed.objects.filter(
        service_id=uid("service:f"), need_id__in=crisis_needs
    ).exists()


def test_a_rejected_mapping_stays_rejected_on_reimport_and_leads_nowhere(imported, db):
    coordinator = UserFactory(role=Role.COORDINATOR)
    needs.reject_mapping(mapping_of("RR-07", "school"), by=coordinator)
    assert "Étude après l'école" not in names("aide aux devoirs pour mon gars")
    import_hsds(imported)
    needs.propose_mappings()
    assert mapping_of("RR-07", "school").status == m.MappingStatus.REJECTED
    assert "Étude après l'école" not in names("aide aux devoirs pour mon gars")


def test_a_coordinator_adds_the_need_a_code_name_hides_and_it_sticks(imported):
    coordinator = UserFactory(role=Role.COORDINATOR)
    assert not m.TermMapping.objects.filter(term_id=uid("RR-12")).exists()
    assert "Local Zone" not in names("ado")
    needs.add_mapping(
        m.TaxonomyTerm.objects.get(id=uid("RR-12")),
        m.TaxonomyTerm.objects.get(id=need_domain_term_id("youth")),
        by=coordinator,
    )
    assert names("ado")[:1] == ["Local Zone"]
    hit = search_services(SearchQuery(text="ado")).hits[0]
    assert any("Zone 12-17" in r for r in hit.reasons), hit.reasons
    import_hsds(imported)
    needs.propose_mappings()
    assert mapping_of("RR-12", "youth").status == m.MappingStatus.CONFIRMED
    assert names("ado")[:1] == ["Local Zone"]
    sources = set(
        m.ServiceNeed.objects.filter(service_id=uid("service:c")).values_list("source", flat=True)
    )
    assert m.NeedSource.CONFIRMED in sources


def test_a_proposal_no_longer_read_is_withdrawn_but_decisions_are_kept(imported):
    coordinator = UserFactory(role=Role.COORDINATOR)
    needs.confirm_mapping(mapping_of("RR-01", "food"), by=coordinator)
    m.TaxonomyTerm.objects.filter(id=uid("RR-07")).update(
        name="Catégorie 7", description="Catégorie 7", translations={}
    )
    needs.propose_mappings()
    assert not m.TermMapping.objects.filter(term_id=uid("RR-07")).exists()
    assert mapping_of("RR-01", "food").status == m.MappingStatus.CONFIRMED


def test_an_edited_description_is_read_again(need_domains):
    service = make_service("Halte du coin", "Café et jeux de société.")
    assert "Halte du coin" not in names("dormir dehors")
    from proxima.directory.services.editing import ServiceTexts, update_service_details

    editor = UserFactory(role=Role.ADMIN)
    update_service_details(
        service,
        by=editor,
        texts=ServiceTexts(
            "Halte du coin", "", "Un lit pour la nuit pour les personnes sans abri.", "", ""
        ),
        delivery_modes=[],
        is_free=None,
    )
    assert names("dormir dehors")[:1] == ["Halte du coin"]


# The coordinator's page: who may see it and act, and what malformed requests get.

ROUTES = ("taxonomies", "taxonomy_terms", "confirm", "reject", "add")


def _url(route: str) -> tuple[str, str]:
    mapping = mapping_of("RR-01", "food")
    return {
        "taxonomies": ("get", reverse("directory:taxonomies")),
        "taxonomy_terms": ("get", reverse("directory:taxonomy_terms", args=[TAXONOMY])),
        "confirm": ("post", reverse("directory:confirm_mapping", args=[mapping.pk])),
        "reject": ("post", reverse("directory:reject_mapping", args=[mapping.pk])),
        "add": ("post", reverse("directory:add_mapping", args=[uid("RR-12")])),
    }[route]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    "role",
    [
        Role.WORKER_811,
        Role.CLSC_WORKER,
        Role.PARTNER_ADMIN,
        Role.PARTNER_WORKER,
        Role.EVALUATOR,
        Role.PRIVACY_OFFICER,
        Role.TEAM_LEAD,
    ],
)
def test_only_coordinators_and_administrators_review_mappings(imported, route, role):
    client = Client()
    client.force_login(UserFactory(role=role))
    method, url = _url(route)
    before = list(m.TermMapping.objects.values_list("pk", "status", "decided_by"))
    response = getattr(client, method)(url, {"need": need_domain_term_id("youth")})
    assert response.status_code == 403
    assert list(m.TermMapping.objects.values_list("pk", "status", "decided_by")) == before


@pytest.mark.parametrize("route", ROUTES)
def test_anonymous_visitors_are_sent_to_log_in(imported, route):
    method, url = _url(route)
    before = m.TermMapping.objects.count()
    response = getattr(Client(), method)(url, {"need": need_domain_term_id("youth")})
    assert response.status_code == 302 and "login" in response["Location"]
    assert m.TermMapping.objects.count() == before


def test_a_coordinator_reviews_a_taxonomy_in_french(imported):
    client = Client()
    client.force_login(UserFactory(role=Role.COORDINATOR))
    listing_page = client.get(reverse("directory:taxonomies"))
    assert listing_page.status_code == 200
    assert "Répertoire régional" in listing_page.content.decode()
    page = client.get(reverse("directory:taxonomy_terms", args=[TAXONOMY]))
    text = page.content.decode()
    assert "Sécurité alimentaire" in text and "Aide alimentaire" in text
    assert "Confirmer" in text and "Rejeter" in text
    mapping = mapping_of("RR-01", "food")
    done = client.post(
        reverse("directory:confirm_mapping", args=[mapping.pk]),
        {"next": reverse("directory:taxonomy_terms", args=[TAXONOMY]) + "?show=all"},
    )
    assert done.status_code == 302 and "show=all" in done["Location"]
    mapping.refresh_from_db()
    assert mapping.status == m.MappingStatus.CONFIRMED and mapping.decided_by is not None
    # Reviewed terms leave the "to review" list.
    again = client.get(reverse("directory:taxonomy_terms", args=[TAXONOMY])).content.decode()
    assert 'id="term-' + uid("RR-01") not in again


@pytest.mark.parametrize(
    "posted",
    [{}, {"need": "nonsense"}, {"need": uid("RR-01")}, {"need": "x" * 10_000}],
)
def test_a_malformed_addition_is_refused_with_a_message_and_nothing_written(imported, posted):
    client = Client()
    client.force_login(UserFactory(role=Role.COORDINATOR))
    before = m.TermMapping.objects.count()
    response = client.post(
        reverse("directory:add_mapping", args=[uid("RR-12")]), posted, follow=True
    )
    assert response.status_code == 200
    assert "Choisissez un domaine de besoin" in response.content.decode()
    assert m.TermMapping.objects.count() == before


def test_unknown_or_unmappable_ids_are_not_found(imported):
    client = Client()
    client.force_login(UserFactory(role=Role.COORDINATOR))
    need_taxonomy = m.TaxonomyTerm.objects.get(id=need_domain_term_id("food")).taxonomy_id
    assert client.get(reverse("directory:taxonomy_terms", args=[need_taxonomy])).status_code == 404
    assert client.get(reverse("directory:taxonomy_terms", args=["nope"])).status_code == 404
    assert client.post(reverse("directory:confirm_mapping", args=[999999])).status_code == 404
    youth = need_domain_term_id("youth")
    response = client.post(reverse("directory:add_mapping", args=[youth]), {"need": youth})
    assert response.status_code == 404
    assert client.get(reverse("directory:confirm_mapping", args=[1])).status_code == 405


def test_a_word_finds_its_equivalent_in_the_other_language(need_domains):
    """No need domain links these: the words do (services/bilingual.py)."""
    make_service(
        "After-School Violin Lessons", "Free violin lessons for children.", text_language="en"
    )
    make_service("Cours de guitare", "Pour les adultes.")
    assert names("cours de violon pour enfants")[:1] == ["After-School Violin Lessons"]
    hit = search_services(SearchQuery(text="cours de violon pour enfants")).hits[0]
    assert any("violon" in reason for reason in hit.reasons), hit.reasons
    assert names("guitar class")[:1] == ["Cours de guitare"]


def test_equivalents_are_added_to_a_word_not_put_in_its_place():
    from proxima.directory.services.bilingual import expand
    from proxima.directory.services.text import stems

    debt = expand(stems("debt"))
    assert debt[: len(stems("debt"))] == stems("debt")
    assert set(stems("endettement")) <= set(debt)
    assert expand(("zzzz",)) == ("zzzz",)


def test_a_term_stays_to_review_while_a_mapping_is_only_proposed(imported):
    """Rejecting one proposal of a term does not take it out of the queue while another
    proposal waits."""
    coordinator = UserFactory(role=Role.COORDINATOR)
    food = m.TaxonomyTerm.objects.get(id=uid("RR-01"))
    extra = m.TermMapping.objects.create(term=food, need_id=need_domain_term_id("income"))
    client = Client()
    client.force_login(coordinator)
    url = reverse("directory:taxonomy_terms", args=[TAXONOMY])
    needs.reject_mapping(extra, by=coordinator)
    assert 'id="term-' + uid("RR-01") in client.get(url).content.decode()
    needs.confirm_mapping(mapping_of("RR-01", "food"), by=coordinator)
    assert 'id="term-' + uid("RR-01") not in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("query", "listing"),
    [
        ("bibliothèque", "Public Library"),
        ("alphabétisation", "Project Read: adult literacy"),
        ("apprendre à lire", "Project Read: adult literacy"),
        ("réadaptation", "Adult Rehabilitation Center"),
    ],
)
def test_everyday_words_of_other_services_reach_the_other_language(need_domains, query, listing):
    """An outsider's probe: French words found none of these English-only listings."""
    make_service("Public Library", "Books, computers and free Wi-Fi.", text_language="en")
    make_service(
        "Project Read: adult literacy", "Learn to read and write, one on one.", text_language="en"
    )
    make_service("Adult Rehabilitation Center", "Residential program.", text_language="en")
    assert names(query)[:1] == [listing]


def test_a_term_named_with_its_code_and_a_need_domains_own_words_is_mapped(need_domains, tmp_path):
    """The term's own name ("BESOINS-ALIM-03 Dépannage alimentaire", a longer phrase
    leading nowhere until mapped) no longer hides the need domain's "dépannage
    alimentaire"; "Intervention suicidaire" is the crisis domain; a crisis phrase whose
    words are apart ("women ... abuse") no longer hides "abuse"."""
    food = term("BESOINS-ALIM-03", "BESOINS-ALIM-03 Dépannage alimentaire", "Denrées")
    crisis = term(
        "BESOINS-URG-01",
        "BESOINS-URG-01 Intervention suicidaire",
        "Lignes et suivis pour personnes suicidaires et leurs proches",
    )
    services = [
        listing("g", "Comptoir Saint-Roch", "Distribution ponctuelle.", food),
        listing("h", "Ligne 24/7", "Écoute téléphonique jour et nuit.", crisis),
        listing("i", "Maison Marie", "Shelters and outreach for women experiencing abuse."),
    ]
    path = tmp_path / "services.json"
    path.write_text(json.dumps(services), encoding="utf-8")
    import_hsds(path)
    assert mapping_of("BESOINS-ALIM-03", "food").evidence == "Dépannage alimentaire"
    assert mapping_of("BESOINS-URG-01", "crisis").status == m.MappingStatus.PROPOSED
    served = set(
        m.ServiceNeed.objects.filter(service_id=uid("service:i")).values_list(
            "need__code", flat=True
        )
    )
    assert "violence" in served, served
    assert names("je pense à en finir")[:1] == ["Ligne 24/7"]
