"""The indicators dashboard as each role meets it: the region's figures for coordinators
and evaluators, an organization's own for its partners, another region's territory, team
or organization refused with nothing shown, malformed choices said, exports and print."""

import csv
import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from shapely.geometry import box

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.indicators.forms import default_period
from proxima.referrals.models import Referral
from proxima.teams.services import standard_team
from proxima.territories.services import save_territory
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
ROUTES = ("indicators:dashboard", "indicators:print", "indicators:csv", "indicators:xlsx")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _referrals(region, organization, worker, count, *, accepted):
    """`count` referrals sent to the organization in March 2026, `accepted` of them
    accepted after 10 hours, the others declined after 20."""
    for index in range(count):
        sent = datetime(2026, 3, 2, 14, tzinfo=UTC) + timedelta(days=index)
        yes = index < accepted
        Referral.objects.create(
            region=region,
            anonymous=True,
            need_domain="food",
            request_text="Panier",
            priority="72h",
            requester=worker,
            target_organization=organization,
            status="accepted" if yes else "rejected",
            reject_reason="" if yes else "full",
            requested_at=sent,
            responded_at=sent + timedelta(hours=10 if yes else 20),
        )


@pytest.fixture
def world():
    region_03, _ = save_territory("region", "03", "Capitale", box(-72, 46, -70, 48))
    save_territory("clsc", "C1", "CLSC Un", box(-71.4, 46.7, -71.1, 46.9), parent=region_03)
    elsewhere, _ = save_territory("region", "06", "Montréal", box(-74, 45, -73, 46))
    far, _ = save_territory(
        "clsc", "M1", "CLSC Loin", box(-73.8, 45.4, -73.5, 45.6), parent=elsewhere
    )
    # Each region's territory is its row in core.
    here, there = Region.objects.get(code="03"), Region.objects.get(code="06")
    ours, theirs = OrganizationFactory(name="Banque alimentaire"), OrganizationFactory(name="Autre")
    worker = UserFactory(role=Role.WORKER_811, region=here, team="info_social")
    far_worker = UserFactory(role=Role.WORKER_811, region=there, team="info_social")
    _referrals(here, ours, worker, 12, accepted=6)
    _referrals(here, theirs, worker, 8, accepted=3)
    _referrals(there, theirs, far_worker, 9, accepted=9)
    return {
        "here": here,
        "there": there,
        "ours": ours,
        "theirs": theirs,
        "far_territory": far,
        "far_team": standard_team(there, "info_social"),
        "coordinator": UserFactory(role=Role.COORDINATOR, region=here),
        "evaluator": UserFactory(role=Role.EVALUATOR, region=here),
        "partner": UserFactory(role=Role.PARTNER_ADMIN, region=here, organization=ours),
    }


def _headline(response, code: str) -> dict:
    for section in response.context["sections"]:
        for item in section["items"]:
            if item["result"].definition.code == code:
                return {label: value.number for label, value in item["result"].headline}
    raise AssertionError(code)


MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


def test_a_coordinator_sees_the_region_and_an_organization_its_own(world):
    page = _client(world["coordinator"]).get(reverse("indicators:dashboard"), MARCH)
    assert page.status_code == 200
    # 20 sent in the region (the other region's 9 never), 9 accepted, median of 20
    # answers (9 at 10 h, 11 at 20 h: the 10th and 11th are both 20 h).
    assert list(_headline(page, "referrals_sent").values()) == [20, 9, 45.0, 20.0]
    partner = _client(world["partner"]).get(reverse("indicators:dashboard"), MARCH)
    assert partner.status_code == 200
    # The partner's organization alone: 12 sent, 6 accepted, 50 %, median (10 + 20) / 2.
    assert list(_headline(partner, "referrals_sent").values()) == [12, 6, 50.0, 15.0]
    # Contacts are the network's: not counted for an organization.
    contacts = next(
        item["result"]
        for section in partner.context["sections"]
        for item in section["items"]
        if item["result"].definition.code == "contacts_by_channel"
    )
    assert contacts.applicable is False


def test_a_partner_cannot_ask_for_another_organization_or_a_team(world):
    client = _client(world["partner"])
    for asked in (
        {"organization": world["theirs"].pk},
        {"team": standard_team(world["here"], "info_social").pk},
    ):
        for route in ROUTES:
            response = client.get(reverse(route), {**MARCH, **asked})
            assert response.status_code in (400, 403), (route, asked)
            assert b"Autre" not in response.content


def test_another_regions_territory_team_or_organization_is_refused(world):
    client = _client(world["coordinator"])
    # An organization with referrals only in the other region is not one of ours.
    lonely = OrganizationFactory(name="Seulement à Montréal")
    far_worker = UserFactory(role=Role.WORKER_811, region=world["there"], team="info_social")
    _referrals(world["there"], lonely, far_worker, 6, accepted=6)
    for asked in (
        {"territory": world["far_territory"].pk},
        {"team": world["far_team"].pk},
        {"organization": lonely.pk},
    ):
        for route in ROUTES:
            response = client.get(reverse(route), {**MARCH, **asked})
            assert response.status_code == 400, (route, asked)
            assert b"Seulement" not in response.content and b"Loin" not in response.content


def test_roles_without_indicators_are_refused(world):
    for role in (Role.WORKER_811, Role.CLSC_WORKER, Role.PRIVACY_OFFICER, Role.ADMIN):
        user = UserFactory(role=role, region=world["here"])
        for route in ROUTES:
            assert _client(user).get(reverse(route)).status_code == 403, (role, route)
    # An evaluator not yet attached to a region: refused with the reason.
    response = _client(UserFactory(role=Role.EVALUATOR)).get(reverse("indicators:dashboard"))
    assert response.status_code == 403
    assert Client().get(reverse("indicators:dashboard")).status_code == 302  # to sign in


@pytest.mark.parametrize(
    "asked",
    [
        {"start": "2026-13-01"},
        {"start": "２０２６-01-01"},
        {"start": "2026-05-01", "end": "2026-04-01"},
        {"start": "1900-01-01", "end": "2026-01-01"},
        {"start": "2019-01-01", "end": "2026-01-01"},
        {"territory": "x"},
        {"territory": "1\x00"},
        {"team": "-1"},
        {"organization": "'; drop table"},
        {"end": "9" * 400},
    ],
)
def test_malformed_choices_are_said_in_french_never_a_500(world, asked):
    for route in ROUTES:
        response = _client(world["coordinator"]).get(reverse(route), asked)
        assert response.status_code == 400, (route, asked)
        assert (
            b"<html" in response.content[:200].lower()
            or b"<!doctype" in response.content[:50].lower()
        )


def test_the_exports_hold_the_pages_figures_suppressed_alike(world):
    # Two declined for another reason: a cell of 2 (and the other reasons' 11 with it).
    worker = UserFactory(role=Role.WORKER_811, region=world["here"], team="info_social")
    _referrals(world["here"], world["ours"], worker, 2, accepted=0)
    latest = Referral.objects.order_by("-created_at")[:2]
    Referral.objects.filter(pk__in=[r.pk for r in latest]).update(reject_reason="not_eligible")
    client = _client(world["coordinator"])
    response = client.get(reverse("indicators:csv"), MARCH)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-2026-03-01-2026-03-31.csv"')
    assert response["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode().removeprefix("\ufeff"))))
    header = rows[0]
    referral_rows = [r for r in rows[1:] if r[3] in ("Sent", "Envoyées", "Envoyée")]
    assert referral_rows and referral_rows[0][4] == "22"
    # A small cell has no value and says why.
    suppressed = [r for r in rows[1:] if r[4] == "" and r[6]]
    assert suppressed, "some cells of 1 to 4 must be suppressed"
    assert len(header) == 7
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("indicators:xlsx"), MARCH).content))
    assert len(book.sheetnames) == 3
    sheet = book[book.sheetnames[0]]
    numbers = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert 22 in numbers  # counts stored as numbers
    assert all(not isinstance(n, str) for n in numbers if n is not None)


def test_an_evaluator_reads_calendar_periods_that_have_ended_perturbed(world):
    from django.utils import timezone

    client = _client(world["evaluator"])
    # Only a calendar month, quarter or year that has ended: overlapping periods (January
    # to May, then to June) would let their differences be averaged into a month's exact
    # figures, and a month under way would change each day.
    under_way = f"{timezone.localdate():%Y-%m}"
    for asked in (
        {"period": under_way},
        {"period": "2026-03-02"},
        {"period": "2026-Q5"},
        {"period": "2026-13"},
        {"period": "2026-03\x00"},
        {"period": "9" * 400},
    ):
        refused = client.get(reverse("indicators:dashboard"), asked)
        assert refused.status_code == 400, asked
        assert "un mois, un trimestre ou une année civils terminés" in (
            refused.content.decode()
        ) or ("pas du texte" in refused.content.decode()), asked
        assert "sections" not in (refused.context or {})  # nothing computed
    # Days are not a choice here: the asked days are left, the period chosen is shown.
    page = client.get(reverse("indicators:dashboard"), {**MARCH, "period": "2026-03"})
    assert page.status_code == 200
    html = page.content.decode()
    assert '<select name="period"' in html and '<option value="2026-03" selected>' in html
    assert "mars 2026" in html and "T1 2026 (janvier à mars)" in html
    assert "légèrement modifiés" in html  # the page says the figures are perturbed
    # 20 sent, 9 accepted in March (exact for the coordinator): each moved by 2 at most,
    # the share computed from the two shown (never from the true ones), the median as is.
    sent, accepted, share, median = _headline(page, "referrals_sent").values()
    assert abs(sent - 20) <= 2 and abs(accepted - 9) <= 2
    assert share == round(100 * accepted / sent, 1)
    assert median == 20.0
    # The first quarter holds March's referrals alone: the same referrals, the same figure.
    quarter = client.get(reverse("indicators:dashboard"), {"period": "2026-Q1"})
    assert list(_headline(quarter, "referrals_sent").values()) == [sent, accepted, share, median]
    # The exports say so too.
    exported = client.get(reverse("indicators:csv"), {"period": "2026-03"}).content.decode()
    assert exported.splitlines()[-1].endswith(
        'Les périodes sont des mois, trimestres ou années civils terminés."'
    )
    # The coordinator's page says nothing of it and keeps days.
    coordinator = _client(world["coordinator"]).get(reverse("indicators:dashboard"), MARCH)
    assert "légèrement modifiés" not in coordinator.content.decode()
    assert 'type="date"' in coordinator.content.decode()
    assert list(_headline(coordinator, "referrals_sent").values()) == [20, 9, 45.0, 20.0]


def test_an_evaluators_default_period_is_the_last_quarter_ended(world):
    from proxima.indicators.forms import calendar_periods, default_calendar_period

    code = default_calendar_period()
    start, end = calendar_periods()[code]
    assert "-Q" in code and start.day == 1 and (end + timedelta(days=1)).day == 1
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == 2
    page = _client(world["evaluator"]).get(reverse("indicators:dashboard"))
    assert page.status_code == 200
    assert f'<option value="{code}" selected>' in page.content.decode()
    assert page.context["scope"].start == start and page.context["scope"].end == end


def test_the_print_view_has_every_indicator_without_navigation(world):
    response = _client(world["coordinator"]).get(reverse("indicators:print"), MARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="site-header"' not in html and "data-print" in html
    from proxima.indicators.definitions import DEFINITIONS

    for definition in DEFINITIONS:
        assert f'id="{definition.code}"' in html


def test_the_evaluator_lands_on_the_indicators():
    from proxima.core.roles import home_of

    region = Region.objects.create(code="03", name="Capitale-Nationale")
    assert home_of(UserFactory(role=Role.EVALUATOR, region=region)) == "indicators:dashboard"


def test_the_research_extract_downloads_as_a_zip_audited(world):
    import zipfile

    from proxima.core.models import AuditEvent

    client = _client(world["evaluator"])
    page = client.get(reverse("indicators:extract"))
    assert page.status_code == 200 and b"age_band" in page.content
    response = client.post(reverse("indicators:download_extract"), MARCH)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["README.txt", "extract.csv"]
    header = archive.read("extract.csv").decode().removeprefix("\ufeff").splitlines()[0]
    assert header.startswith("person,contact,age_band,territory,month")
    assert "age_band" in archive.read("README.txt").decode()
    assert AuditEvent.objects.filter(action="research_extract").count() == 1
    # A GET does not take it (taking it is audited): back to the extract's page.
    again = client.get(reverse("indicators:download_extract"))
    assert again.status_code == 302 and again["Location"] == reverse("indicators:extract")


def test_the_research_extract_is_refused_to_others_with_nothing_written(world):
    from proxima.core.models import AuditEvent

    for user in (
        world["partner"],
        UserFactory(role=Role.TEAM_LEAD, region=world["here"]),
        UserFactory(role=Role.EVALUATOR),  # no region yet
    ):
        client = _client(user)
        assert client.get(reverse("indicators:extract")).status_code == 403
        assert client.post(reverse("indicators:download_extract"), MARCH).status_code == 403
    assert not AuditEvent.objects.filter(action="research_extract").exists()


def test_an_evaluator_takes_the_extract_in_whole_months(world):
    from proxima.core.models import AuditEvent

    client = _client(world["evaluator"])
    page = client.get(reverse("indicators:extract")).content.decode()
    assert 'type="month"' in page and 'placeholder="AAAA-MM"' in page
    # Two extracts a day apart would show the one contact between them: refused.
    refused = client.post(
        reverse("indicators:download_extract"), {"start": "2026-03-01", "end": "2026-03-14"}
    )
    assert refused.status_code == 400
    assert "se termine le dernier jour" in refused.content.decode()
    assert not AuditEvent.objects.filter(action="research_extract").exists()
    taken = client.post(
        reverse("indicators:download_extract"), {"start": "2026-03", "end": "2026-03"}
    )
    assert taken.status_code == 200 and taken["Content-Type"] == "application/zip"
    # A month under way would change each day: refused.
    from django.utils import timezone

    month = f"{timezone.localdate():%Y-%m}"
    under_way = client.post(reverse("indicators:download_extract"), {"start": month, "end": month})
    assert under_way.status_code == 400
    assert "mois terminés" in under_way.content.decode()
    # The coordinator keeps days, shown as ISO days in the date inputs whatever the language.
    coordinator = _client(world["coordinator"]).get(reverse("indicators:extract")).content.decode()
    start, end = default_period()
    assert f'type="date" value="{start.isoformat()}"' in coordinator.replace('name="start" ', "")


@pytest.mark.parametrize(
    "asked",
    [
        {"start": "2026-13-01", "end": "2026-12-01"},
        {"start": "2026-05-01", "end": "2026-04-01"},
        {"start": "", "end": ""},
        {"start": "2026-01-01\x00", "end": "2026-02-01"},
    ],
)
def test_a_malformed_extract_period_is_said_with_nothing_taken(world, asked):
    from proxima.core.models import AuditEvent

    response = _client(world["evaluator"]).post(reverse("indicators:download_extract"), asked)
    assert response.status_code == 400
    # Said on the form, or by the request guard before anything reads a NUL.
    assert b'role="alert"' in response.content or b"pas du texte" in response.content
    assert not AuditEvent.objects.filter(action="research_extract").exists()
