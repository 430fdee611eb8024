"""The crisis safety net: phrasings of suicide, self-harm, danger to someone and violence
happening now (French and English, everyday words, misspellings, no accents) trigger it;
searches about the subject, or merely near it, do not."""

import pytest

from proxima.directory.services.crisis import (
    DANGER_TO_OTHERS,
    SUICIDE,
    VIOLENCE,
    detect_crisis,
)

CRISES = [
    # Suicide and self-harm, oneself, French.
    ("je veux mourir", SUICIDE),
    ("jveux pu vivre", SUICIDE),
    ("j'ai envie de mourir", SUICIDE),
    ("je pense à me suicider", SUICIDE),
    ("je vais me tuer", SUICIDE),
    ("j'ai des idées noires", SUICIDE),
    ("idees noires depuis des semaines", SUICIDE),
    ("je veux en finir", SUICIDE),
    ("je veux plus vivre", SUICIDE),
    ("j'ai plus envie de vivre", SUICIDE),
    ("je veux mettre fin à mes jours", SUICIDE),
    ("je me coupe les bras", SUICIDE),
    ("je me fais du mal", SUICIDE),
    ("pensées suicidaires", SUICIDE),
    ("je suis suicidaire", SUICIDE),
    ("chu suicidaire", SUICIDE),
    ("ça sert à rien de vivre", SUICIDE),
    ("la vie vaut pas la peine", SUICIDE),
    ("j'aimerais disparaître pour toujours", SUICIDE),
    ("JE VEUX MOURIIIR", SUICIDE),
    ("jai envie de me pendre", SUICIDE),
    ("j'ai le goût de mourir", SUICIDE),
    ("suicide", SUICIDE),
    # About a close one, French.
    ("mon fils veut mourir", SUICIDE),
    ("ma fille parle de se suicider", SUICIDE),
    ("mon ado se scarifie", SUICIDE),
    ("mon père a fait une tentative de suicide", SUICIDE),
    ("mon chum veut se tuer", SUICIDE),
    # English.
    ("i want to die", SUICIDE),
    ("I wanna die", SUICIDE),
    ("im going to kill myself", SUICIDE),
    ("thinking about ending my life", SUICIDE),
    ("i dont want to live anymore", SUICIDE),
    ("suicidal thoughts", SUICIDE),
    ("I feel suicidal", SUICIDE),
    ("i've been cutting myself", SUICIDE),
    ("self harm", SUICIDE),
    ("no reason to live", SUICIDE),
    ("everyone would be better off without me", SUICIDE),
    ("i want to end it all", SUICIDE),
    ("i feel like ending it", SUICIDE),
    ("my son wants to kill himself", SUICIDE),
    ("my friend is talking about suicide", SUICIDE),
    ("my daughter is hurting herself", SUICIDE),
    ("sucidal", SUICIDE),
    ("kms", SUICIDE),
    # Danger to someone.
    ("je veux le tuer", DANGER_TO_OTHERS),
    ("il menace de tuer quelqu'un", DANGER_TO_OTHERS),
    ("mon voisin a une arme et il menace", DANGER_TO_OTHERS),
    ("j'ai envie de faire du mal à mon bébé", DANGER_TO_OTHERS),
    ("i want to hurt someone", DANGER_TO_OTHERS),
    ("he is threatening to kill people", DANGER_TO_OTHERS),
    ("my brother has a gun and wants to shoot his ex", DANGER_TO_OTHERS),
    # Violence now.
    ("il me frappe", VIOLENCE),
    ("il m'a frappé hier soir", VIOLENCE),
    ("je suis battue", VIOLENCE),
    ("mon chum me bat", VIOLENCE),
    ("je me fais battre", VIOLENCE),
    ("je me fais frapper par mon mari", VIOLENCE),
    ("violence conjugale", VIOLENCE),
    ("j'ai peur pour ma vie", VIOLENCE),
    ("il va me tuer", VIOLENCE),
    ("mon ex me menace", VIOLENCE),
    ("l'enfant du voisin est battu", VIOLENCE),
    ("j'ai été violée", VIOLENCE),
    ("my husband hits me", VIOLENCE),
    ("my boyfriend is beating me", VIOLENCE),
    ("I'm being abused at home", VIOLENCE),
    ("domestic violence", VIOLENCE),
    ("i am scared for my life", VIOLENCE),
    ("he is going to kill me", VIOLENCE),
    ("a child is being beaten next door", VIOLENCE),
    # Said in other ways: a farewell letter, pills taken, talk of dying, a psychotic
    # episode, violence happening now, unaccented and contracted.
    ("ma blonde a écrit une lettre d'adieu", SUICIDE),
    ("mon fils a laissé un mot d'adieu sur la table", SUICIDE),
    ("he left a goodbye note", SUICIDE),
    ("my sister wrote a suicide note", SUICIDE),
    ("personne m'aimerait si je disparaissais", SUICIDE),
    ("nobody would care if i died", SUICIDE),
    ("I took a bunch of pills and I'm scared", SUICIDE),
    ("she swallowed all her pills", SUICIDE),
    ("j'ai pris plein de pilules", SUICIDE),
    ("il a fait une surdose", SUICIDE),
    ("ma mère parle de mourir", SUICIDE),
    ("my dad keeps talking about dying", SUICIDE),
    ("I don't want to live anymore", SUICIDE),
    ("she doesn't want to be alive", SUICIDE),
    ("my brother is having a psychotic breakdown", DANGER_TO_OTHERS),
    ("mon fils fait une psychose", DANGER_TO_OTHERS),
    ("il est en train de me battre", VIOLENCE),
    ("il vient de me frapper", VIOLENCE),
    ("my boyfriend is choking me", VIOLENCE),
    ("he keeps hitting me", VIOLENCE),
    ("jai été violée", VIOLENCE),
    ("my daughter was raped", VIOLENCE),
    # Found missing by a review: firearms, overdose said alone, self-harm as a verb.
    ("mon père a un fusil et dit qu'il va tirer", DANGER_TO_OTHERS),
    ("il menace de tirer sur tout le monde", DANGER_TO_OTHERS),
    ("he has a gun", DANGER_TO_OTHERS),
    ("ma soeur a pris une overdose", SUICIDE),
    ("surdose", SUICIDE),
    ("mon ado s'automutile", SUICIDE),
    ("thinking about ending it all", SUICIDE),
    ("j'ai plus envie d'être là", SUICIDE),
    ("i wnat to die", SUICIDE),
    ("je veux disparaître", SUICIDE),
    ("I want to disappear", SUICIDE),
    # An outsider's probe (2026-12-07): the conditional, elided pronouns, joual, typos.
    ("je veux m'enlever la vie", SUICIDE),
    ("il veut s'enlever la vie", SUICIDE),
    ("je voudrais mourir", SUICIDE),
    ("j'aimerais être morte", SUICIDE),
    ("je vais me foutre en l'air", SUICIDE),
    ("il s'est pendu", SUICIDE),
    ("ma blonde s'est ouvert les veines", SUICIDE),
    ("jvais m'tuer", SUICIDE),
    ("y veut s'tuer", SUICIDE),
    ("je veux mourrir", SUICIDE),
    ("sucidaire", SUICIDE),
    ("suisidal", SUICIDE),
    ("idée noire", SUICIDE),
    ("chu tanné de vivre", SUICIDE),
    ("i wish i was dead", SUICIDE),
    ("tired of living", SUICIDE),
    ("thinking of ending it", SUICIDE),
    ("nothing to live for", SUICIDE),
    ("wanting to die", SUICIDE),
    ("my friend took pills", SUICIDE),
    ("j'ai des idées noires depuis que j'ai perdu ma job", SUICIDE),
    ("suicidal since I lost my job", SUICIDE),
    ("my son is suicidal is there a program", SUICIDE),
    ("il frappe ma sœur", VIOLENCE),
    ("mon chum est violent", VIOLENCE),
    ("my husband is violent", VIOLENCE),
    ("relation abusive", VIOLENCE),
    ("il m'a sacré une claque", VIOLENCE),
    ("mon chum m'a pogné à la gorge", VIOLENCE),
    ("je me fais menacer de mort", VIOLENCE),
    ("mon beau-père me touche", VIOLENCE),
    ("my stepdad touches me", VIOLENCE),
    ("j'entends le voisin frapper sa femme", VIOLENCE),
    ("he locked me in the room", VIOLENCE),
]

NEAR_MISSES = [
    "suicide prevention training for teachers",
    "formation en prévention du suicide pour les enseignants",
    "statistiques sur le suicide au Québec",
    "suicide research",
    "semaine de prévention du suicide",
    "atelier de sensibilisation à la violence conjugale",
    "domestic violence awareness campaign",
    "emploi intervenant en prévention du suicide",
    "volunteer at a crisis line",
    "bénévolat ligne d'écoute",
    "film Suicide Squad",
    "livre sur la violence conjugale",
    "documentaire sur le suicide",
    "collecte de fonds pour la prévention du suicide",
    "conference on sexual violence policy",
    "comment reconnaître les signes de détresse",
    "banque alimentaire",
    "food bank",
    "aide aux devoirs",
    "tutoring for my son",
    "cours de musique",
    "music lessons",
    "mon proprio veut me mettre dehors",
    "my landlord wants to evict me",
    "frigo vide",
    "empty fridge",
    "je cherche un médecin de famille",
    "i need a family doctor",
    "deuil après le décès de ma mère",
    "bereavement support",
    "my dog died",
    "mon chat est mort",
    "je meurs de faim",
    "I'm dying to know the opening hours",
    "dead battery help",
    "killer deals on furniture",
    "la batterie de mon auto est morte",
    "this traffic is killing me",
    "ça me tue de chercher un logement",
    "je veux vivre en appartement",
    "comment ne pas vivre seul",
    "vivre avec un handicap",
    "il me faut un logement",
    "elle me frappe à la porte tous les jours pour du sucre",
    "hit the road transport aide",
    "cours d'autodéfense pour femmes",
    "self defence classes",
    "harm reduction",
    "réduction des méfaits",
    "needle exchange",
    "safe injection site",
    "debt help",
    "aide pour mes dettes",
    "taxes and income tax clinic",
    "arts martiaux pour enfants",
    "boxing club",
    "jeu vidéo violent",
    "violent video games research",
    "mental health first aid course",
    "premiers soins en santé mentale formation",
    "stress au travail",
    "anxiety support group",
    "groupe de soutien anxiété",
    "parenting classes",
    "je veux mourir de rire",
    "loi sur l'aide médicale à mourir",
    "je parle de mourir de rire",
    "overdose prevention site",
    "naloxone kit near me",
    "psychosis early intervention program",
    "I'm so tired of my job",
    "lettre d'adieu à mes collègues",
    "farewell letter to my coworkers",
    "she took a lot of pictures",
    "he keeps talking about his job",
    "hit me up later about the food bank",
    "tirer au sort les gagnants",
    "I want to disappear from social media",
    "permis de port d'arme",
    "gun control debate",
    "mon fils a un couteau suisse pour le camp",
    "overdose prevention site",
    "my parents kicked me out",
    # Material, people working on the subject, the bereaved (an outsider's probe).
    "naloxone kit overdose",
    "webinaire santé mentale et suicide",
    "trousse de prévention suicide pour employeurs",
    "ressources pour intervenants en prévention du suicide",
    "guide pour intervenants violence conjugale",
    "rapport annuel centre de prévention du suicide",
    "groupe de deuil après un suicide",
    "survivors of suicide loss support group",
    "I took pills for my headache",
    "we want to jump on the trampoline",
    "emploi en prévention du suicide",
]


# A second outsider's probe (2026-12-07): emphasis, waking up, means at hand, past
# self-harm, rape and blows, threats to the caller.
SECOND_PROBE = [
    "je veux vraiment mourir",
    "je veux tellement mourir",
    "je veux trop mourir",
    "jveux vrm mourir",
    "je voudrais vraiment mourir",
    "je veux tellement crever",
    "i want to fucking die",
    "i'd rather die",
    "i'm ready to die",
    "i hope i die",
    "j'espère mourir",
    "je prie pour mourir",
    "j'ai hâte de mourir",
    "je veux pu me réveiller",
    "jveux pu me reveiller le matin",
    "j'en peux plus de vivre",
    "j'ai pu l'goût d'vivre",
    "jveux pu exister",
    "je veux juste que ça finisse",
    "c'est fini pour moi",
    "everyone would be better off",
    "my family would be better off",
    "i dont see the point of living",
    "i just want to not exist",
    "i wish i wasnt alive",
    "i cant go on like this",
    "i'm done with life",
    "i keep thinking about death",
    "jeveux mourir",
    "je vx mourir",
    "je veus mourir",
    "i want 2 die",
    "kill my self",
    "je veux me noyer",
    "i want to drown myself",
    "je veux me jeter dans le fleuve",
    "je vais me lancer en bas du pont",
    "je vais foncer dans un mur avec mon char",
    "il dit qu'il veut se flinguer",
    "ma mère a pris toute sa prescription",
    "ma mère a pris une batch de pilules",
    "i have pills saved up",
    "ma blonde s'est enfermée dans la salle de bain avec un couteau",
    "je me suis coupée hier soir",
    "jme suis scarifiée hier soir",
    "je me suis mutilé encore",
    "i burn myself with cigarettes",
    "j'ai écrit mon testament et une lettre pour mes enfants, c'est ce soir",
    "personne va s'ennuyer de moi quand je serai mort",
    "he raped me",
    "my boyfriend raped me",
    "my husband raped me",
    "someone raped my daughter",
    "he sexually assaulted me",
    "my boyfriend forced me to have sex",
    "il m'a forcée à coucher avec lui",
    "mon chum me force à avoir des relations sexuelles",
    "my husband pushed me and i fell",
    "my husband shoved me into the wall",
    "he threw a chair at me",
    "mon chum m'a lancé une chaise",
    "he put a knife to my throat",
    "mon ex me harcèle et me menace",
    "he's hurting me",
    "my uncle abuses me",
    "je suis abusée par mon oncle",
    "abused by my husband",
    "i'm afraid of my husband",
    "je subis de la violence à la maison",
    "mon frère dit qu'il va poignarder quelqu'un",
    "ma soeur vit de la violence conjugale, y a-t-il un atelier pour elle",
    "je vis de la violence conjugale et je cherche un guide",
    "he says he'll kill me if I leave",
    "i'm scared he'll kill me",
    "he's going to hurt me",
    "my husband threatened me with a knife",
]

SECOND_PROBE_NEAR_MISSES = [
    "je vais me tirer d'ici",
    "a program that does not exist anymore",
    "my son was hit by a car",
    "gonna beat my high score",
    "done with everything on my list",
    "colloque sur les surdoses",
    "semaine de sensibilisation aux surdoses",
    "journée internationale de sensibilisation aux surdoses",
    "statistiques surdoses opioïdes",
    "overdose deaths statistics",
    "the overdose crisis in BC",
    "carnet de notes od",
    "i cut myself shaving",
    "i burned myself cooking",
    "he hurt himself playing hockey",
    "i hurt myself at the gym",
    "i killed myself laughing",
]


@pytest.mark.parametrize("text", SECOND_PROBE)
def test_the_second_probes_phrasings_are_crises(text):
    assert detect_crisis(text) is not None


@pytest.mark.parametrize("text", SECOND_PROBE_NEAR_MISSES)
def test_the_second_probes_near_misses_are_not(text):
    assert detect_crisis(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "he says he'll kill me if I leave",
        "i'm scared he'll kill me",
        "he's going to hurt me",
        "my husband threatened me with a knife",
        "mon chum va me tuer",
    ],
)
def test_a_threat_to_the_caller_is_violence(text):
    """Violence services first, not only suicide lines (a second probe)."""
    assert VIOLENCE in detect_crisis(text).kinds


@pytest.mark.parametrize(("text", "kind"), CRISES, ids=[t for t, _ in CRISES])
def test_a_crisis_is_recognized(text, kind):
    signal = detect_crisis(text)
    assert signal is not None and kind in signal.kinds


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_a_near_miss_is_not_a_crisis(text):
    assert detect_crisis(text) is None


def test_the_lists_are_long_enough():
    assert len(CRISES) >= 60 and len(NEAR_MISSES) >= 60
    assert {kind for _, kind in CRISES} == {SUICIDE, DANGER_TO_OTHERS, VIOLENCE}


# --- In the search: the crisis services first, the numbers above everything ------------

ENGLISH_ONLY_CRISIS_LINE = "Distress and Crisis Line"


@pytest.fixture
def directory(need_domains):
    from tests.factories import make_service

    return {
        "crisis": make_service(
            "Centre de prévention du suicide",
            "Intervention téléphonique 24/7 pour les personnes en détresse",
            domain="crisis",
        ),
        # A directory of its own: no taxonomy of ours, the listing's words only.
        "foreign": make_service(
            ENGLISH_ONLY_CRISIS_LINE,
            "Talk to someone now if you are thinking of suicide.",
            text_language="en",
        ),
        "shelter": make_service(
            "Maison d'hébergement pour femmes victimes de violence conjugale",
            "Hébergement et accompagnement",
            domain="violence",
        ),
        "respite": make_service(
            "Répit pour proches aidants", "Vivre une pause", domain="caregivers"
        ),
        "alcohol": make_service(
            "Counselling en alcoolisme", "Aide et soutien", domain="substance_use"
        ),
    }


@pytest.mark.parametrize(
    "query", ["jveux pu vivre", "je veux mourir", "i want to die", "idées noires", "kms"]
)
def test_a_crisis_search_ranks_the_crisis_services_first_with_the_numbers(directory, query):
    from django.test import Client

    api = Client().get("/api/hsds/services", {"search": query, "per_page": 5}).json()
    names = [item["name"] for item in api["contents"]]
    assert set(names[:2]) == {"Centre de prévention du suicide", ENGLISH_ONLY_CRISIS_LINE}, names
    crisis = api["proxima_crisis"]
    assert "suicide" in crisis["kinds"]
    assert [n["dial"] for n in crisis["emergency_numbers"]] == ["911", "988", "811"]
    page = Client().get("/", {"q": query}).content.decode()
    assert "9-8-8" in page and 'href="tel:988"' in page and "811, option 2" in page
    assert page.index("9-8-8") < page.index("Centre de prévention du suicide")


def test_violence_happening_now_ranks_the_violence_services_first(directory):
    from django.test import Client

    api = Client().get("/api/hsds/services", {"search": "il me frappe", "per_page": 5}).json()
    assert api["contents"][0]["name"].startswith("Maison d'hébergement")
    assert api["proxima_crisis"]["kinds"] == ["violence"]


def test_a_search_about_the_subject_is_an_ordinary_search(directory):
    from django.test import Client

    query = "suicide prevention training for teachers"
    api = Client().get("/api/hsds/services", {"search": query, "per_page": 5}).json()
    assert api["proxima_crisis"] is None
    assert "9-8-8" not in Client().get("/", {"q": query}).content.decode()


@pytest.mark.parametrize("text", ["I want to kill myself", "she threatened to kill herself"])
def test_harm_to_oneself_is_not_danger_to_others(text):
    assert detect_crisis(text).kinds == {SUICIDE}


def test_violence_now_does_not_bring_substance_abuse_or_emergency_food_first(need_domains):
    from django.test import Client

    from tests.factories import make_service

    make_service(
        "Substance abuse counselling", "Help with alcohol and drug abuse", text_language="en"
    )
    make_service("Dépannage alimentaire d'urgence", "Paniers", domain="food")
    make_service("Refuge pour hommes", "Hébergement d'urgence", domain="housing")
    shelter = make_service("SOS violence conjugale", "Ligne 24/7", domain="violence")
    api = Client().get("/api/hsds/services", {"search": "il me frappe", "per_page": 5}).json()
    assert [item["name"] for item in api["contents"]][:1] == [shelter.name]
    assert "Substance abuse counselling" not in [item["name"] for item in api["contents"]]


def _phrasings() -> dict:
    """120 crises and 60 near-misses written apart from the patterns (by someone who had
    not read them), in Quebec French, joual, texting English, typos and euphemisms."""
    import json
    from pathlib import Path

    return json.loads((Path(__file__).parent / "data" / "crisis_phrasings.json").read_text())


@pytest.mark.parametrize("item", _phrasings()["crises"], ids=lambda item: item["text"][:60])
def test_a_crisis_written_apart_is_recognized(item):
    signal = detect_crisis(item["text"])
    assert signal is not None and item["kind"] in signal.kinds, signal


@pytest.mark.parametrize("item", _phrasings()["near_misses"], ids=lambda item: item["text"][:60])
def test_a_near_miss_written_apart_does_not_trigger(item):
    assert detect_crisis(item["text"]) is None


def test_a_crisis_search_near_a_place_keeps_the_nearest_crisis_services(need_domains, monkeypatch):
    """Of more crisis services than the crisis pool takes, those near the place asked
    come first (a remote one counting as 5 km away), not those the index gives first:
    a shelter 2 km away was left out for remote ones across the province."""
    from proxima.directory.services import search
    from proxima.directory.services.search import SearchQuery, search_services
    from tests.factories import make_service

    monkeypatch.setattr(search, "CRISIS_POOL_SIZE", 2)
    for city, point in (("Trois-Rivières", (46.34, -72.54)), ("Hochelaga", (45.55, -73.54))):
        for number in range(2):
            make_service(
                f"Hébergement sécuritaire {city} {number}",
                "Hébergement pour victimes de violence conjugale, écoute par téléphone.",
                domain="violence",
                point=point,
                delivers_by_phone=True,
            )
    for name, point in (
        ("Maison Saint-Roch", (46.8139, -71.2247)),
        ("Refuge Limoilou", (46.8283, -71.2164)),
    ):
        make_service(name, "Hébergement pour victimes de violence.", domain="violence", point=point)
    results = search_services(
        SearchQuery(text="il me frappe", postal_code="G1K 3A3", max_km=10, per_page=2)
    )
    assert {hit.service.name for hit in results.hits} == {"Maison Saint-Roch", "Refuge Limoilou"}
    assert all(hit.distance_km < 3 for hit in results.hits)


@pytest.mark.parametrize("page", [99_999_999_999_999_999_999, 2**62])
def test_a_crisis_search_far_past_its_pages_is_empty_not_an_error(directory, page):
    from django.test import Client

    assert Client().get("/", {"q": "je veux mourir", "page": page}).status_code == 200
    api = Client().get(
        "/api/hsds/services", {"search": "je veux mourir", "page": page, "per_page": 100}
    )
    assert api.status_code in (200, 400)
    if api.status_code == 200:
        assert api.json()["contents"] == []


def make_crisis_lines(count: int, description: str) -> None:
    """`count` crisis lines reached by phone, named "Ligne d'écoute 0", "… 1"..."""
    from tests.factories import make_service

    for number in range(count):
        make_service(
            f"Ligne d'écoute {number}", description, domain="crisis", delivers_by_phone=True
        )


def test_the_pages_of_a_crisis_search_neither_repeat_nor_skip_a_service(need_domains, monkeypatch):
    """The crisis services are pooled the same for every page: a pool grown with the
    page ranked its ties anew, and page 3 repeated page 2."""
    from proxima.directory.services import search
    from proxima.directory.services.search import SearchQuery, search_services

    monkeypatch.setattr(search, "CRISIS_POOL_SIZE", 3)
    make_crisis_lines(7, "Ligne téléphonique 24/7 pour les personnes en détresse.")
    seen = []
    for page in range(1, 6):
        query = SearchQuery(text="je veux mourir", page=page, per_page=2)
        seen += [hit.service.name for hit in search_services(query).hits]
    assert len(seen) == len(set(seen)) == 7


def test_the_other_listings_are_ranked_only_when_the_page_reaches_them(need_domains, monkeypatch):
    """A page of crisis services alone does not rank the other listings found (their
    order shows on no page of it); a page past the crisis services ranks them as a
    whole pool, crisis services among them, as before."""
    from proxima.directory.services import search
    from proxima.directory.services.search import SearchQuery, search_services
    from tests.factories import make_service

    monkeypatch.setattr(search, "CRISIS_POOL_SIZE", 2)
    make_crisis_lines(2, "Ligne téléphonique pour la prévention du suicide.")
    for number in range(3):
        make_service(f"Formation {number}", "Formation sur la prévention.", domain="arts")
    ranked = []
    real = search._rank_pool
    monkeypatch.setattr(
        search,
        "_rank_pool",
        lambda pool, *args, **kwargs: ranked.append(len(pool)) or real(pool, *args, **kwargs),
    )
    first = search_services(SearchQuery(text="prévention du suicide", per_page=2))
    assert [hit.service.name[:6] for hit in first.hits] == ["Ligne ", "Ligne "]
    assert ranked == [2] and first.total == 5  # the crisis pool only; all counted
    ranked.clear()
    second = search_services(SearchQuery(text="prévention du suicide", page=2, per_page=2))
    assert ranked == [2, 5]  # the others, the crisis services among them
    assert [hit.service.name[:9] for hit in second.hits] == ["Formation", "Formation"]


def test_a_long_text_is_read_whole():
    """An intake's reason holds up to 5,000 characters: the crisis said last counts."""
    text = "Appel au sujet du logement et des factures. " * 12 + "Sa fille veut mourir ce soir."
    assert len(text) > 500
    assert SUICIDE in detect_crisis(text).kinds


def test_a_refused_search_still_shows_the_numbers(directory):
    """A search refused (a text too long, a postal code not found) whose words speak of
    a crisis still shows the numbers, on the page and in the API's 400."""
    from django.test import Client

    client = Client()
    too_long = "x" * 520 + " je veux mourir"
    for params in ({"q": too_long}, {"q": "je veux mourir", "postal_code": "zzz"}):
        page = client.get("/", params)
        assert page.status_code == 200
        html = page.content.decode()
        assert "Veuillez corriger" in html or "corriger" in html
        assert 'href="tel:988"' in html, params
    calm = client.get("/", {"q": "banque alimentaire", "postal_code": "zzz"}).content.decode()
    assert 'href="tel:988"' not in calm
    api = client.get("/api/hsds/services", {"search": too_long})
    assert api.status_code == 400
    assert [n["dial"] for n in api.json()["proxima_crisis"]["emergency_numbers"]] == [
        "911",
        "988",
        "811",
    ]
    calm_api = client.get("/api/hsds/services", {"search": "x" * 600})
    assert calm_api.status_code == 400 and "proxima_crisis" not in calm_api.json()
    for bad in ({"per_page": "abc"}, {"page": "abc"}, {"proximity": "abc"}):
        refused = client.get("/api/hsds/services", {"search": "je veux mourir", **bad})
        assert refused.status_code == 422, bad
        assert refused.json()["proxima_crisis"]["kinds"] == ["suicide"], bad
    calm_422 = client.get("/api/hsds/services", {"search": "banque", "page": "abc"})
    assert calm_422.status_code == 422 and "proxima_crisis" not in calm_422.json()


def test_a_listing_that_only_says_crisis_is_not_a_crisis_service(directory):
    """ "Les crises" of a toddler, "help in times of crisis": neither makes a listing a
    crisis service (an outsider's probe: parents' workshops came up for "je veux mourir",
    and a partner could bring a listing up by writing "familles en crise")."""
    from django.test import Client

    from tests.factories import make_service

    make_service("Ateliers pour parents", "Comment réagir aux crises de votre tout-petit.")
    make_service("Citadel Corps", "Food and clothing in times of crisis.", text_language="en")
    make_service("Cuisine collective", "Pour les familles en crise et tout le monde.")
    # A crisis phrase's words gathered from a sentence (a second probe).
    make_service("Housing team", "Our team helps families through a housing crisis.")
    make_service(
        "Corps communautaire",
        "Food and clothing in times of crisis, at our community centers.",
        text_language="en",
    )
    for query in ("je veux mourir", "jveux pu vivre", "ma fille veut se tuer", "i want to die"):
        api = Client().get("/api/hsds/services", {"search": query, "per_page": 10}).json()
        names = [item["name"] for item in api["contents"]]
        assert set(names[:2]) == {"Centre de prévention du suicide", ENGLISH_ONLY_CRISIS_LINE}
        ordinary = {"Ateliers pour parents", "Citadel Corps", "Cuisine collective"}
        assert not (ordinary | {"Housing team", "Corps communautaire"}) & set(names)


# --- A third outside probe: 596 crises, 249 near misses, written apart from the patterns


def _third_probe() -> dict:
    import json
    from pathlib import Path

    return json.loads((Path(__file__).parent / "data" / "crisis_third_probe.json").read_text())


def test_the_third_probes_crises_are_all_recognized():
    """Each of the tester's crises (typos of the suicide words, a plan or a means without
    them, goodbyes, slang, self-harm, an overdose's signs, a weapon, violence described
    rather than named, a child's or an elder's abuse): one message lists every miss."""
    missed = [c["text"] for c in _third_probe()["crises"] if detect_crisis(c["text"]) is None]
    assert len(_third_probe()["crises"]) >= 590
    assert missed == []


def test_the_third_probes_near_misses_raise_no_alarm():
    """Hyperbole ("ma mère va me tuer si je rate mon examen"), idioms ("surdose d'écran",
    "sugar overdose"), grief and legal help after a past event, commuting over a bridge."""
    raised = [t for t in _third_probe()["near_misses"] if detect_crisis(t) is not None]
    assert len(_third_probe()["near_misses"]) >= 240
    assert raised == []


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("suisider", "suicider"),
        ("suicied", "suicide"),
        ("suisside", "suicide"),
        ("suicdal", "suicidal"),
        ("mysef", "myself"),
        ("suivie", "suivie"),  # a word of its own, two letters off
        ("subside", "subside"),
        ("courir", "courir"),  # one letter from "mourir": never corrected
    ],
)
def test_a_misspelt_crisis_word_is_read_as_meant_and_no_other_word_is(text, meant):
    from proxima.directory.services.crisis import normalize

    assert normalize(text).strip() == meant


@pytest.mark.parametrize(
    "text",
    [
        "il dit qu'il va me tuer si je pars",
        "he said he will kill me if i leave",
        "il va me tuer si j'appelle la police",
    ],
)
def test_a_threat_on_leaving_is_not_taken_for_hyperbole(text):
    signal = detect_crisis(text)
    assert signal is not None and "violence" in signal.kinds


def test_an_elders_abuse_brings_the_elder_abuse_services_first(need_domains):
    from django.test import Client

    from tests.factories import make_service

    make_service(
        "Maison d'hébergement pour femmes victimes de violence conjugale",
        "Hébergement et accompagnement",
        domain="violence",
    )
    make_service("Ligne Aide Abus Aînés", "Écoute et conseil", domain="elder_abuse")
    for query in (
        "mon petit-fils me menace pour avoir mon chèque de pension",
        "my son threatens me to get my pension money, I'm 78",
        "maltraitance envers les aînés",
    ):
        api = Client().get("/api/hsds/services", {"search": query, "per_page": 5}).json()
        assert api["proxima_crisis"]["kinds"] == ["violence"], query
        assert api["contents"][0]["name"] == "Ligne Aide Abus Aînés", query
    api = Client().get("/api/hsds/services", {"search": "il me frappe", "per_page": 5}).json()
    assert api["contents"][0]["name"].startswith("Maison d'hébergement")


def test_a_search_that_finds_nothing_says_where_to_talk_now(directory):
    """Words the net does not know and no listing holds ("zxqv"), or only generic ones:
    the page ends with the lines to call (a quieter line than the crisis banner)."""
    from django.test import Client

    client = Client()
    for query in ("zxqv plorf", "aide"):
        html = client.get("/", {"q": query}).content.decode()
        assert "Besoin de parler à quelqu'un maintenant ?" in html, query
        assert 'href="tel:811"' in html and 'href="tel:988"' in html and 'href="tel:911"' in html
        assert 'role="alert"' not in html
    client.cookies["django_language"] = "en"
    html = client.get("/", {"q": "zxqv plorf"}).content.decode()
    assert "Need to talk to someone now?" in html and "in danger:" in html
    found = client.get("/", {"q": "répit proches aidants"}).content.decode()
    assert "Répit pour proches aidants" in found
    assert "Need to talk to someone now?" not in found


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("mon ex menace de me tuer", {"violence", "danger_to_others"}),
        ("il va me tuer", {"violence", "danger_to_others"}),
        ("je vais me tuer", {"suicide"}),
        ("il va se tuer", {"suicide"}),
        ("j'ai essayé de me tuer la semaine passée", {"suicide"}),
    ],
)
def test_a_threat_to_kill_the_speaker_is_violence_not_a_wish_to_die(text, kinds):
    assert set(detect_crisis(text).kinds) == kinds


def test_a_grief_group_or_a_training_is_not_taken_for_the_crisis_line(need_domains):
    """A grief group saying "lost a loved one to suicide" and a training naming suicide
    come after the crisis lines and are not called crisis services; a crisis line that
    also helps the bereaved stays one."""
    from django.test import Client

    from tests.factories import make_service

    make_service(
        "Groupe pour personnes endeuillées par suicide",
        "Rencontres aux deux semaines pour les adultes qui ont perdu un proche par suicide.",
    )
    make_service(
        "Grief Support Groups",
        "Eight-week groups. A separate group meets for loss to suicide or overdose.",
        text_language="en",
    )
    make_service(
        "Ligne d'intervention 24/7",
        "Intervention téléphonique pour les personnes qui ont des idées suicidaires, leurs "
        "proches et les personnes endeuillées par suicide.",
    )
    make_service("Formation Sentinelles", "Formation en prévention du suicide pour employeurs.")
    from proxima.directory import models as m

    served = {
        s.service.name
        for s in m.ServiceNeed.objects.filter(need__code="crisis").select_related("service")
    }
    assert served == {"Ligne d'intervention 24/7"}
    for query in ("je pense à en finir", "I want to end my life"):
        api = Client().get("/api/hsds/services", {"search": query, "per_page": 5}).json()
        assert api["contents"][0]["name"] == "Ligne d'intervention 24/7", query
    from django.utils import translation

    from proxima.directory.services.search import SearchQuery, search_services

    with translation.override("en"):
        page = search_services(SearchQuery(text="je pense à en finir", per_page=5))
        called = [
            h.service.name
            for h in page.hits
            if any("a crisis service" in str(reason) for reason in h.reasons)
        ]
    assert called == ["Ligne d'intervention 24/7"], [(h.service.name, h.reasons) for h in page.hits]


def test_the_places_search_ranks_like_the_services_search_with_the_numbers(directory):
    """/service_at_locations?search= gives the places of the search's services in the
    search's order (it was by id: a training first) and the numbers; /organizations too."""
    from django.test import Client

    from proxima.directory import models as m

    for service in directory.values():
        location = m.Location.objects.create(
            id=f"loc-{service.id}", name=f"Local {service.name}", location_type="physical"
        )
        m.ServiceAtLocation.objects.create(
            id=f"sal-{service.id}", service=service, location=location
        )
    client = Client()
    services = client.get("/api/hsds/services", {"search": "je veux mourir", "per_page": 5})
    places = client.get(
        "/api/hsds/service_at_locations", {"search": "je veux mourir", "per_page": 5}
    ).json()
    expected = [item["id"] for item in services.json()["contents"]]
    assert [item["service_id"] for item in places["contents"]] == expected
    assert places["proxima_crisis"]["kinds"] == ["suicide"]
    second = client.get(
        "/api/hsds/service_at_locations", {"search": "je veux mourir", "per_page": 1, "page": 2}
    ).json()
    assert [item["service_id"] for item in second["contents"]] == expected[1:2]
    assert second["total_items"] == places["total_items"] == len(expected)
    calm = client.get("/api/hsds/service_at_locations", {"search": "répit"}).json()
    assert calm["proxima_crisis"] is None
    orgs = client.get("/api/hsds/organizations", {"search": "je veux mourir"}).json()
    assert orgs["proxima_crisis"]["kinds"] == ["suicide"]


# --- A reviewer's searches: everyday words the fourth probe's patterns first caught, and
# real threats the figures of speech first took out.
REVIEW_NEAR_MISSES = [
    "mon père ne peut plus vivre seul",
    "ma mère ne peut plus vivre seule, CHSLD",
    "au cas où je ne serais pas là pour le colis",
    "my son hurt himself at school, physio",
    "my daughter keeps following me everywhere, separation anxiety",
    "gas for my car to get to work",
    "carte de gaz pour l'auto",
    "ready to go back to work after burnout",
    "mon dernier jour de travail",
    "employment insurance after my last day at work",
    "le propriétaire ne répond pas à mes appels",
    "my landlord is not responding",
    "mon médecin ne répond plus",
    "intoxication alimentaire",
    "food poisoning",
    "lead poisoning old apartment",
    "putting my affairs in order notary",
    "régler mes affaires de succession",
    "mettre de l'ordre dans mes affaires",
    "parrainage pour rejoindre mon mari au Canada",
    "retrouver ma mère biologique",
    "aide pour retrouver mon père",
    "comment rejoindre le CLSC de l'autre côté du pont",
    "j'ai planifié ma sortie de prison, besoin d'un logement",
    "j'ai choisi la date de mon déménagement",
    "choose the date of my move",
    "je ne serai pas là demain pour mon rendez-vous",
    "my hours got cut again, need food",
    "starting to cut back on alcohol",
    "besoin de couper dans mon budget",
    "Blue Cross drug coverage for seniors",
    "used blue jeans",
    "looking for jump rope classes for kids",
    "corde à linge au sous-sol",
    "cooking class how to hold a knife",
    "I counted my money, not enough for rent",
    "I lined up for hours at the food bank",
    "wrote a farewell speech for my retirement",
    "my child had a seizure after a fever",
    "i ate before taking my pills",
    "got everything ready to leave the shelter",
    "le fait lui-même",
    "jumper cables and a bridge",
    "il me tape sur les nerfs",
    "ça me tape sur les nerfs",
    "cours de natation la brasse",
    "mon anxiété m'empêche de sortir de chez moi",
    "suivi chez un psychologue",
    "le psychologue qui me suit",
    "suivi jusqu'à l'accouchement",
    "parenting workshop being held this week",
    "my cheque is being held by the bank",
    "physio pour retrouver ma force",
    "mes droits ont été violés par mon employeur",
    "face à la menace d'expulsion",
    "le propriétaire me menace d'expulsion",
    "our family was touched by cancer",
    "j'ai été touchée par le cancer du sein",
    "my building is neglected",
    "l'immeuble est négligé",
    "le jeu prend tout mon argent",
    "gambling took all my savings",
    "mon père prend sa pension l'an prochain",
    "je me fais voler mes colis",
    "someone broke into my car",
    "service that keeps my papers safe",
    "je m'enferme chez moi depuis des semaines",
    "je me cache dans ma chambre toute la journée",
    "hide from the cold at night",
    "ma mère atteinte d'Alzheimer fait des choses bizarres la nuit",
    "banque alimentaire qui donne plus de nourriture",
    "my teen hangs around outside with friends",
    "drug abuse kids",
    "abus de drogue ado",
    "abus de médicaments aînés",
    "alcohol abuse seniors",
    "residence for people with substance abuse",
    "aller à la chasse avec mon fusil",
    "the cold could kill him, he sleeps outside",
]
REVIEW_CRISES = [
    "my boyfriend will kill me when I get home",
    "il va me tuer à force de me frapper",
    "my pimp will kill me if I leave",
    "he said he would kill me if I don't give him money",
    "il va me tuer si j'arrive en retard",
    "the garage door is closed and the car is running",
    "he is going to kill me with a knife",
    "il va me tuer quand j'arrive ce soir",
    "my husband said he will kill me for leaving",
    "I'd rather die than go home to him",
    "I'm on the bridge to go jump",
    "il va me tuer avec un couteau",
    "he will kill me if i leave",
]


def test_a_reviewers_everyday_searches_raise_no_alarm():
    assert [t for t in REVIEW_NEAR_MISSES if detect_crisis(t) is not None] == []


def test_a_threat_is_never_taken_for_a_figure_of_speech():
    assert [t for t in REVIEW_CRISES if detect_crisis(t) is None] == []
