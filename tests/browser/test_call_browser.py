"""The 811 screen in a real browser: a routine call with the keyboard only (keystrokes
counted), a positive suicide screen that blocks closing, a draft restored after reload."""

import re

import pytest
from playwright.sync_api import expect

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.directory.services.search_backends import backend
from proxima.directory.services.taxonomy import load_need_domains
from proxima.intake.models import ContactEpisode
from proxima.intake.services.questionnaires import load_questionnaires
from tests.browser.conftest import sign_in as sign_in_with_code
from tests.factories import UserFactory, make_service

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "secret-pass-123"


@pytest.fixture
def worker():
    backend().clear()
    load_need_domains()
    load_questionnaires()
    make_service("Comptoir alimentaire", "Paniers.", domain="food", point=(46.8139, -71.2247))
    region = Region.objects.create(code="03", name="Capitale-Nationale")
    return UserFactory(username="info811", role=Role.WORKER_811, region=region)


def sign_in(page, user) -> None:
    sign_in_with_code(page, page.base_url, user, PASSWORD, "/intake/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accueil")


class Keyboard:
    """Presses keys and counts them (a typed character counts as one)."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)
            self.count += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.count += len(text)


def test_a_routine_811_call_with_the_keyboard_only(page, worker, record_property):
    sign_in(page, worker)
    keys = Keyboard(page)
    # "Nouvel appel 811" has the focus on arrival (waited for: pressing before the page
    # gave it the focus pressed nothing, once in CI).
    expect(page.get_by_role("button", name="Nouvel appel 811")).to_be_focused()
    keys.press("Enter")
    expect(page.locator("#call-timer")).to_have_text(re.compile(r"^0:0\d$"))
    reason = "Plus rien a manger, loyer en retard"
    # The reason field takes the focus when the call's page has drawn (waited for: typed
    # before, the first letters were lost, once in CI under load).
    expect(page.locator("#reason")).to_be_focused()
    keys.type(reason)
    keys.press("Alt+2", "Enter")  # the risk questions asked: "no" to every one shown
    expect(page.locator("#needs-screen\\.need_food")).to_be_focused()  # needs come next
    keys.press("Space", "Tab")  # first need: food
    keys.type("3")  # severity 3
    keys.press("Tab", "Tab", "Space", "Tab")  # keep "wants help", second need: housing
    keys.type("2")
    keys.press("Control+Enter")  # save the screening
    expect(page.get_by_role("heading", name="Ressources jumelées")).to_be_visible()
    expect(page.get_by_text("Enregistré : aucun risque trouvé.").first).to_be_visible()
    keys.press("Alt+4")  # priority: none chosen for the worker when no risk was found
    expect(page.locator("#priority")).to_have_value("")
    keys.press("ArrowDown", "ArrowDown", "ArrowDown", "ArrowDown")  # within 2 weeks
    keys.press("Control+Enter")  # orientation: information (the default)
    expect(page.get_by_role("listitem").filter(has_text="information seulement")).to_be_visible()
    keys.press("Alt+5", "Enter")  # close
    expect(page.get_by_text("Contact fermé.")).to_be_visible()

    contact = ContactEpisode.objects.get()
    assert contact.closed_at is not None and contact.priority == "2w"
    assert contact.reason == reason
    needs = contact.screenings.get(questionnaire__code="needs-screen").outcome["needs"]
    assert {domain: answer["severity"] for domain, answer in needs.items()} == {
        "food": 3,
        "housing": 2,
    }
    assert contact.orientations.get().kind == "information"
    # "No" recorded as no (the questions that follow a yes were not to be asked).
    suicide = contact.screenings.get(questionnaire__code="cssrs-screen")
    assert suicide.answers == {"q1": False, "q2": False, "q6": False}
    assert suicide.outcome["level"] == "none" and suicide.outcome["not_asked"] == []
    record_property("keystrokes", keys.count)
    print(f"\n811 routine call: {keys.count} keystrokes ({len(reason)} of them the reason)")
    # At the start a routine call took 24 clicks and 110 keystrokes: half or less.
    assert keys.count <= 55 and keys.count <= len(reason) + 20


class Mouse:
    """Clicks and counts them; choosing in a list counts two (open it, pick)."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, locator) -> None:
        locator.click()
        self.count += 1

    def choose(self, locator, value: str) -> None:
        locator.select_option(value)
        self.count += 2


def test_a_routine_811_call_with_the_mouse(page, worker, record_property):
    """The same call with the mouse: the issue measured 24 clicks and 110 keystrokes."""
    sign_in(page, worker)
    mouse, keys = Mouse(page), Keyboard(page)
    mouse.click(page.get_by_role("button", name="Nouvel appel 811"))
    expect(page.locator("#reason")).to_be_focused()
    keys.type("Plus rien a manger, loyer en retard")
    mouse.click(page.get_by_role("button", name="Non aux questions restantes"))
    mouse.click(page.get_by_label("Alimentation", exact=True))
    mouse.choose(page.get_by_label("Gravité : Alimentation"), "3")
    mouse.click(page.get_by_label("Logement", exact=True))
    mouse.choose(page.get_by_label("Gravité : Logement"), "2")
    mouse.click(page.get_by_role("button", name="Enregistrer le dépistage"))
    # Each matched resource: its number, today's hours, and one click to record it given.
    mouse.click(page.get_by_role("button", name="Information donnée — Comptoir alimentaire"))
    expect(page.get_by_role("listitem").filter(has_text="information seulement")).to_be_visible()
    mouse.click(page.get_by_role("button", name="Fermer le contact"))
    expect(page.get_by_text("Contact fermé.")).to_be_visible()
    expect(page.get_by_role("heading", name="Résumé du contact")).to_be_visible()
    expect(page.get_by_text("Comptoir alimentaire").first).to_be_visible()

    contact = ContactEpisode.objects.get()
    orientation = contact.orientations.get()
    assert orientation.kind == "information" and orientation.service.name == "Comptoir alimentaire"
    record_property("clicks", mouse.count)
    print(f"\n811 routine call with the mouse: {mouse.count} clicks, {keys.count} keystrokes")
    assert mouse.count <= 12 and keys.count <= 55  # half of the 24 and 110


def test_a_positive_suicide_screen_blocks_closing_until_an_action(page, worker):
    sign_in(page, worker)
    page.get_by_role("button", name="Nouvel appel 811").click()
    question = page.get_by_role("radiogroup", name=re.compile("façon dont vous pourriez"))
    expect(question).to_be_hidden()  # asked only after a yes to the second question
    answer(page, "souhaité être mort", "Oui")
    answer(page, "réellement pensé à vous suicider", "Oui")
    expect(question).to_be_visible()
    answer(page, "façon dont vous pourriez", "Oui")
    answer(page, "Un enfant est-il maltraité", "Non")
    page.get_by_role("button", name="Enregistrer le dépistage").click()
    # The questions left alone are "not asked", not "no".
    expect(
        page.get_by_text(re.compile("Enregistré : modéré ; 3 questions non posées"))
    ).to_be_visible()
    expect(
        page.get_by_text(
            re.compile("Enregistré : aucun risque trouvé aux questions posées ; 3 questions non")
        )
    ).to_be_visible()
    violence = ContactEpisode.objects.get().screenings.get(questionnaire__code="safety-screen")
    assert violence.answers["child_in_danger"] is False and violence.answers["violence"] is None
    expect(
        page.get_by_role("heading", name=re.compile("risque suicidaire — modéré"))
    ).to_be_visible()
    # A risk found: the priority suggested is immediate, and the screen says why.
    expect(page.locator("#priority")).to_have_value("immediate")
    expect(page.get_by_text("Suggérée par le dépistage")).to_be_visible()
    # On a 1366×768 screen the risk card and the orientation sit beside the screens.
    page.set_viewport_size({"width": 1366, "height": 768})
    card = page.get_by_role("heading", name=re.compile("risque suicidaire")).bounding_box()
    reason = page.locator("#reason").bounding_box()
    assert card["x"] > reason["x"] + reason["width"] and card["y"] < 768
    page.get_by_role("button", name="Fermer le contact").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Enregistrez ces actions avant de fermer"
    )
    page.get_by_label("Action faite").select_option("crisis_intervention")
    page.get_by_role("button", name="Enregistrer l’action (maintenant)").click()
    expect(page.get_by_text(re.compile("✔ intervention de crise"))).to_be_visible()
    page.get_by_role("button", name="Fermer le contact").click()
    expect(page.get_by_text("Contact fermé.")).to_be_visible()


def answer(page, question: str, choice: str) -> None:
    group = page.get_by_role("radiogroup", name=re.compile(question))
    group.get_by_label(choice, exact=True).check()


def test_the_draft_survives_a_reload(page, worker):
    sign_in(page, worker)
    page.get_by_role("button", name="Nouvel appel 811").click()
    page.locator("#reason").fill("Mon fils n'a rien à faire")
    page.get_by_label("Alimentation", exact=True).check()
    answer(page, "souhaité être mort", "Non")
    expect(page.locator("#draft-status")).to_contain_text("Brouillon enregistré", timeout=8000)
    page.reload()
    expect(page.locator("#reason")).to_have_value("Mon fils n'a rien à faire")
    expect(page.get_by_label("Alimentation", exact=True)).to_be_checked()
    first = page.get_by_role("radiogroup", name=re.compile("souhaité être mort"))
    expect(first.get_by_label("Non", exact=True)).to_be_checked()
    second = page.get_by_role("radiogroup", name=re.compile("réellement pensé"))
    expect(second.get_by_label("Non posée")).to_be_checked()


def test_no_to_the_remaining_questions_never_changes_a_yes(page, worker):
    sign_in(page, worker)
    page.get_by_role("button", name="Nouvel appel 811").click()
    answer(page, "souhaité être mort", "Oui")
    answer(page, "réellement pensé à vous suicider", "Oui")
    page.get_by_role("button", name="Non aux questions restantes").click()
    expect(page.locator("#needs-screen\\.need_food")).to_be_focused()

    def checked(question: str, choice: str):
        group = page.get_by_role("radiogroup", name=re.compile(question))
        return expect(group.get_by_label(choice, exact=True)).to_be_checked()

    checked("souhaité être mort", "Oui")
    checked("réellement pensé à vous suicider", "Oui")
    checked("façon dont vous pourriez", "Non")  # shown after the yes, answered no
    checked("Un enfant est-il maltraité", "Non")


def test_giving_a_resource_keeps_what_was_typed_in_the_screens(page, worker):
    sign_in(page, worker)
    page.get_by_role("button", name="Nouvel appel 811").click()
    page.get_by_label("Alimentation", exact=True).check()
    page.get_by_role("button", name="Enregistrer le dépistage").click()
    given = page.get_by_role("button", name="Information donnée — Comptoir alimentaire")
    expect(given).to_be_visible()
    page.locator("#reason").fill("Le frigo est vide")
    answer(page, "souhaité être mort", "Non")
    given.click()  # at once: before the autosave's next turn
    expect(page.get_by_role("listitem").filter(has_text="information seulement")).to_be_visible()
    expect(page.locator("#reason")).to_have_value("Le frigo est vide")
    group = page.get_by_role("radiogroup", name=re.compile("souhaité être mort"))
    expect(group.get_by_label("Non", exact=True)).to_be_checked()


def test_a_yes_not_yet_saved_keeps_the_contact_open(page, worker):
    sign_in(page, worker)
    page.get_by_role("button", name="Nouvel appel 811").click()
    page.get_by_role("button", name="Non aux questions restantes").click()
    page.get_by_label("Alimentation", exact=True).check()
    page.get_by_role("button", name="Enregistrer le dépistage").click()
    answer(page, "souhaité être mort", "Oui")  # then "close" at once, without saving
    page.get_by_role("button", name="Fermer le contact").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Des réponses aux dépistages ne sont pas enregistrées"
    )
    assert ContactEpisode.objects.get().is_open
    group = page.get_by_role("radiogroup", name=re.compile("souhaité être mort"))
    expect(group.get_by_label("Oui", exact=True)).to_be_checked()  # kept in the draft
    # Leaving by "Référer" keeps the edit too.
    page.locator("#reason").fill("Motif tapé juste avant")
    page.get_by_role("link", name=re.compile("^Référer — Comptoir alimentaire")).click()
    expect(page).to_have_url(re.compile(r"/referrals/new/"))
    page.go_back()
    page.reload()  # from the server's draft, not the browser's memory of the form
    expect(page.locator("#reason")).to_have_value("Motif tapé juste avant")


def test_a_reason_that_speaks_of_a_crisis_shows_the_numbers_as_it_is_typed(page, worker):
    """Once the draft is saved (every 3 seconds), not on the next load (a second probe)."""
    sign_in(page, worker)
    page.get_by_role("button", name="Nouvel appel 811").click()
    expect(page.locator("#crisis-title")).to_have_count(0)
    page.locator("#reason").fill("Sa fille dit qu'elle veut se tuer ce soir")
    expect(page.locator("#draft-status")).to_contain_text("Brouillon enregistré", timeout=8000)
    expect(page.locator("#crisis-title")).to_be_visible()
    expect(page.locator('#crisis-numbers a[href="tel:988"]')).to_be_visible()
