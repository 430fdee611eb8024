"""What a person reads holds no raw code and no number outside their language's format:
each role's pages rendered in French, their visible text searched for snake_case codes
("worker_811", "record_measure"), decimals with a point ("1.8"), ISO dates and times
("2026-12-01", "T09:00")."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.factories import make_day_network

pytestmark = pytest.mark.django_db

RAW = [
    (re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"), "a code"),
    (re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])"), "a decimal point in French"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}(?!\d)"), "an ISO date"),
    (re.compile(r"T\d{2}:\d{2}"), "an ISO time"),
]
# What people type or read as such: emails, web addresses, the API's paths, the names of
# standards and licences with their versions ("HSDS 3.0", "CC BY 4.0").
ALLOWED = re.compile(
    r"\S+@\S+|https?://\S+|/api/\S*|\S+\.example\S*|(?:HSDS|CC BY(?:-[A-Z]+)*) \d+(?:\.\d+)+"
)


class VisibleText(HTMLParser):
    """The text a person sees: not scripts, styles, attributes or hidden inputs."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def raw_in(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = ALLOWED.sub(" ", " ".join(parser.parts))
    return [f"{what}: {m.group(0)!r}" for pattern, what in RAW for m in pattern.finditer(text)]


@pytest.fixture
def network(db):
    return make_day_network()


def test_no_page_shows_a_raw_code_or_an_unlocalized_number(network):
    n = network
    pages = {
        None: [
            "/",
            "/?q=banque+alimentaire&postal_code=G1K+3B2",
            f"/services/{n['service'].id}/",
        ],
        n["worker"]: [
            "/intake/",
            f"/intake/calls/{n['episode'].pk}/",
            f"/intake/calls/{n['episode'].pk}/summary/",
            f"/people/{n['person'].pk}/",
            "/referrals/",
            "/referrals/?box=sent",
            f"/referrals/{n['referral'].pk}/",
            f"/referrals/new/?service={n['service'].id}",
            "/account/",
        ],
        n["partner"]: ["/referrals/", f"/referrals/{n['referral'].pk}/", "/partner/"],
        n["prescriber"]: [
            f"/prescriptions/{n['prescription'].pk}/",
            f"/prescriptions/{n['prescription'].pk}/print/",
        ],
    }
    found = []
    for user, paths in pages.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            found += [f"{path} — {line}" for line in raw_in(response.content.decode())]
    assert not found, "\n".join(found)


def test_the_checker_finds_what_it_looks_for():
    page = "<p>worker_811 à 1.8 km, le 2026-12-01T09:00</p><script>var a_b = 1.5;</script>"
    assert raw_in(page) == [
        "a code: 'worker_811'",
        "a decimal point in French: '1.8'",
        "an ISO date: '2026-12-01'",
        "an ISO time: 'T09:00'",
    ]
    assert raw_in("<p>écrire à info_811@exemple.org, 1,8 km</p>") == []
