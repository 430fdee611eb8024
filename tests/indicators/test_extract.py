"""The de-identified research extract: k-anonymity recomputed from the CSV itself, small
territories generalized (and said so), nothing that names or dates anyone, keyed
pseudonyms, the key kept outside the database, the command and its refusals."""

import csv
import io
import os
import random
import re
import stat
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from shapely.geometry import box

from proxima.core.audit import SYSTEM
from proxima.core.models import AuditEvent, Region
from proxima.core.roles import Role
from proxima.indicators.extract import (
    HEADER,
    QUASI_IDENTIFIERS,
    ExtractError,
    build_extract,
    export_extract,
    extract_csv,
    extract_key,
)
from proxima.intake.models import ContactEpisode, Escalation, Questionnaire, Screening
from proxima.people.models import Person
from proxima.referrals.models import Referral
from proxima.territories.services import save_territory
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

KEY = b"a research key of more than thirty-two characters"
OTHER_KEY = b"another research key, also long enough to be used"
START, END = date(2026, 1, 1), date(2026, 12, 31)
# Postal areas whose centres lie in the territories below (pypostalcode's points).
BIG_AREAS = ["G1K 1A1", "G1M 2B2", "G1N 3C3"]  # CLSC 03111
SMALL_AREA = "G2B 4D4"  # CLSC 03112, alone


@pytest.fixture
def region():
    region_territory, _ = save_territory(
        "region", "03", "Capitale-Nationale", box(-72, 46, -70, 48)
    )
    network, _ = save_territory(
        "local_network", "0311", "RLS de Québec", box(-71.40, 46.70, -71.10, 46.95),
        parent=region_territory,
    )  # fmt: skip
    save_territory(
        "clsc", "03111", "Basse-Ville", box(-71.26, 46.80, -71.22, 46.83), parent=network
    )
    save_territory(
        "clsc", "03112", "Loretteville", box(-71.36, 46.85, -71.34, 46.87), parent=network
    )
    return Region.objects.get(code="03")


@pytest.fixture
def worker(region):
    return UserFactory(role=Role.WORKER_811, region=region)


def add_people(region, count, *, postal_code, born=date(1990, 6, 1), given="Personne"):
    return Person.objects.bulk_create(
        Person(
            region=region,
            given_name=f"{given}{n}",
            family_name="Tremblay",
            name_key=f"tremblay {given.lower()}{n}",
            birth_date=born,
            postal_code=postal_code,
        )
        for n in range(count)
    )


def add_contacts(worker, people, *, at=datetime(2026, 3, 10, 15, tzinfo=UTC), **fields):
    fields.setdefault("language", "fr")
    fields.setdefault("reason", "Besoin d'aide")
    return ContactEpisode.objects.bulk_create(
        ContactEpisode(
            region=worker.region,
            channel="phone_811",
            started_at=at,
            taken_by=worker,
            person=person,
            **fields,
        )
        for person in people
    )


def read_csv(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def recomputed_k(rows: list[dict]) -> int:
    """Distinct people per combination of the quasi-identifiers, recomputed from the rows
    as a reader of the file would (no person pseudonym: the contact is one person)."""
    people = defaultdict(set)
    for row in rows:
        combination = tuple(row[name] for name in QUASI_IDENTIFIERS)
        people[combination].add(row["person"] or "contact " + row["contact"])
    return min(len(who) for who in people.values())


def test_every_combination_holds_at_least_k_people(region, worker):
    rng = random.Random(12)
    areas = [*BIG_AREAS, SMALL_AREA, "H2X 1Y4", ""]  # one in Montréal, one unknown
    people = []
    for n in range(90):
        people += add_people(
            region,
            1,
            postal_code=rng.choice(areas),
            born=date(rng.randint(1935, 2015), rng.randint(1, 12), rng.randint(1, 28)),
            given=f"P{n}-",
        )
    contacts = []
    for n in range(160):
        person = rng.choice(people + [None] * 20)
        moment = datetime(2026, 1, 1, 12, tzinfo=UTC) + timedelta(days=rng.randint(0, 364))
        language = rng.choice(["fr"] * 8 + ["en"] * 3 + ["ar", "es"])
        contacts += add_contacts(worker, [person], at=moment, language=language)

    for k in (5, 8):
        extract = build_extract(region.pk, START, END, key=KEY, k=k)
        rows = read_csv(extract_csv(extract))
        assert rows, "the extract is not empty"
        assert recomputed_k(rows) >= k
        report = extract.report
        assert report["k"] == k
        assert report["rows_in"] == 160
        assert report["rows_out"] == len(rows)
        assert report["rows_suppressed"] == 160 - len(rows)
        assert report["smallest_class"] == recomputed_k(rows)
        # Generalizing stopped at 2% left out, or went to the top of every ladder.
        at_top = report["levels"] == {
            "territory": "all",
            "month": "year",
            "age_band": "all",
            "language": "all",
        }
        assert report["rows_suppressed"] <= 0.02 * 160 or at_top


def test_a_small_territory_is_generalized_and_the_report_says_so(region, worker):
    add_contacts(worker, add_people(region, 12, postal_code=BIG_AREAS[0]))
    add_contacts(worker, add_people(region, 2, postal_code=SMALL_AREA))
    add_contacts(worker, [None] * 5)  # anonymous: five different people

    extract = build_extract(region.pk, START, END, key=KEY)

    rows = read_csv(extract_csv(extract))
    assert len(rows) == 19
    territories = {row["territory"] for row in rows}
    assert "03112" not in territories and "03111" not in territories
    assert territories == {"0311", "unknown"}
    assert {row["month"] for row in rows} == {"2026-03"}  # nothing else needed generalizing
    assert {row["age_band"] for row in rows} == {"35-44", "unknown"}
    assert recomputed_k(rows) >= 5
    assert extract.report["levels"] == {
        "territory": "local_network",
        "month": "month",
        "age_band": "band",
        "language": "language",
    }
    assert extract.report["steps"] == ["territory:local_network"]
    assert extract.report["rows_suppressed"] == 0
    english = "\n".join(extract.report_lines("en"))
    assert "territory: CLSC territory → local network (RLS)" in english
    assert "date of the contact: month (not generalized)" in english
    assert "Contacts: 19; in the extract: 19; left out: 0." in english


def test_a_rare_row_is_left_out_when_few_enough(region, worker):
    add_contacts(worker, add_people(region, 55, postal_code=BIG_AREAS[1]))
    add_contacts(worker, add_people(region, 1, postal_code=BIG_AREAS[1], born=date(1940, 1, 1)))

    extract = build_extract(region.pk, START, END, key=KEY)

    assert extract.report["rows_suppressed"] == 1  # 1 of 56 rows: under 2%
    assert extract.report["steps"] == []
    assert {row[HEADER.index("age_band")] for row in extract.rows} == {"35-44"}
    assert {row[HEADER.index("territory")] for row in extract.rows} == {"03111"}


def test_nothing_names_or_dates_anyone(region, worker):
    from proxima.intake.services.questionnaires import load_questionnaires, questionnaire

    load_questionnaires()
    person = Person.objects.create(
        region=region,
        given_name="Zéphirine",
        family_name="Ouellet-Bergeron",
        name_key="ouellet-bergeron zephirine",
        birth_date=date(1990, 5, 17),
        postal_code="G1K 3B2",
        phone="418 555-0199",
    )
    others = add_people(region, 6, postal_code="G1K 3B2")
    [contact] = add_contacts(
        worker, [person], reason="Huguette, ma voisine, me menace", barriers=["cost", "Un texte"]
    )
    add_contacts(worker, others)
    needs = Questionnaire.objects.filter(kind="needs").first()
    Screening.objects.create(
        episode=contact,
        questionnaire=needs,
        answers={},
        outcome={
            "needs": {"food": {"severity": 2, "wants_help": True, "note": "Note très secrète"}},
            "strengths": ["belonging"],
        },
        recorded_by=worker,
    )
    risk = Screening.objects.create(
        episode=contact, questionnaire=questionnaire("cssrs-screen"), answers={}, recorded_by=worker
    )
    Escalation.objects.create(
        episode=contact, screening=risk, kind="suicide", level="high", required_actions=[]
    )
    organization = OrganizationFactory()
    Referral.objects.create(
        region=region,
        person=person,
        episode=contact,
        need_domain="food",
        request_text="Demande confidentielle",
        priority="72h",
        requester=worker,
        target_organization=organization,
        status="completed",
        requested_at=contact.started_at,
        responded_at=contact.started_at + timedelta(hours=5),
        first_appointment_at=contact.started_at + timedelta(days=3, hours=2),
        closed_at=contact.started_at + timedelta(days=20),
        outcome_note="Sortie bien passée",
    )

    extract = build_extract(region.pk, START, END, key=KEY)
    text = extract_csv(extract)
    rows = read_csv(text)
    # The pseudonyms are random-looking hexadecimal: "555" may appear in one by chance.
    cells = "\n".join(
        ",".join(value for name, value in row.items() if name not in ("person", "contact"))
        for row in rows
    )

    for secret in (
        "Zéphirine",
        "Ouellet",
        "Huguette",
        "Un texte",
        "Note très secrète",
        "Demande confidentielle",
        "Sortie",
        str(person.pk),
        str(contact.pk),
        worker.username,
    ):
        assert secret not in text, secret
    for secret in ("G1K", "555", "1990", "05-17", "17"):
        assert secret not in cells, secret
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), "no day anywhere"
    assert not re.search(r"\d{1,2}:\d{2}", text), "no time anywhere"
    assert [row["month"] for row in rows] == ["2026-03"] * 7
    [row] = [r for r in rows if r["escalated"] == "yes"]
    assert row == {
        **row,
        "age_band": "35-44",
        "territory": "03111",
        "language": "fr",
        "channel": "phone_811",
        "risks": "suicide",
        "needs": "food",
        "barriers": "cost",
        "strengths": "belonging",
        "referrals": "1",
        "referral_accepted": "yes",
        "loop_closed": "yes",
        "first_appointment_days": "3",
    }
    assert {r["referrals"] for r in rows if r is not row} == {"0"}
    assert {r["referral_accepted"] for r in rows if r is not row} == {""}


def test_pseudonyms_are_keyed_and_stable(region, worker):
    people = add_people(region, 5, postal_code=BIG_AREAS[0])
    add_contacts(worker, people)
    add_contacts(worker, people[:1], at=datetime(2026, 3, 20, 15, tzinfo=UTC))

    first = build_extract(region.pk, START, END, key=KEY, salt=b"one")
    again = build_extract(region.pk, START, END, key=KEY, salt=b"one")
    other = build_extract(region.pk, START, END, key=OTHER_KEY, salt=b"one")
    # Each extract draws its own salt: two extracts' pseudonyms cannot be joined.
    fresh = build_extract(region.pk, START, END, key=KEY)

    column = HEADER.index("person")
    persons = sorted(row[column] for row in first.rows)
    assert persons == sorted(row[column] for row in again.rows)
    assert len(set(persons)) == 5, "one person's two contacts, one pseudonym"
    assert not set(persons) & {row[column] for row in other.rows}
    contacts = {row[HEADER.index("contact")] for row in first.rows}
    assert len(contacts) == 6
    raw = {str(p.pk) for p in people} | {str(p.pk).replace("-", "") for p in people}
    for value in persons + sorted(contacts):
        assert re.fullmatch(r"[0-9a-f]{16}", value)
        assert not any(value in identifier for identifier in raw)
    assert first.report["key_id"] == again.report["key_id"] != other.report["key_id"]
    assert not set(persons) & {row[column] for row in fresh.rows}
    assert fresh.report["key_id"] != first.report["key_id"]


def test_a_merged_record_counts_as_its_person(region, worker):
    from proxima.people.services.records import merge_people

    coordinator = UserFactory(role=Role.COORDINATOR, region=region)
    keep, duplicate, *others = add_people(region, 6, postal_code=BIG_AREAS[0])
    merge_people(keep, duplicate, by=coordinator, reason="même personne")
    add_contacts(worker, [keep, duplicate, *others])

    extract = build_extract(region.pk, START, END, key=KEY)

    persons = [row[HEADER.index("person")] for row in extract.rows]
    assert len(persons) == 6 and len(set(persons)) == 5


def test_the_key_comes_from_outside_the_database(settings, tmp_path, monkeypatch):
    settings.PROXIMA_EXTRACT_KEY = "too short"
    with pytest.raises(ExtractError) as refused:
        extract_key()
    assert "32" in refused.value.errors["key"]
    with pytest.raises(ExtractError):
        build_extract(1, START, END, key=b"short")
    settings.PROXIMA_EXTRACT_KEY = settings.SECRET_KEY
    with pytest.raises(ExtractError):
        extract_key()
    settings.PROXIMA_EXTRACT_KEY = "x" * 40
    with pytest.raises(ExtractError):
        extract_key()  # one character repeated

    settings.PROXIMA_EXTRACT_KEY = ""
    key_file = tmp_path / "extract.key"
    key_file.write_text(KEY.decode() + "\n")
    settings.PROXIMA_EXTRACT_KEY_FILE = str(key_file)
    assert extract_key() == KEY
    settings.PROXIMA_EXTRACT_KEY_FILE = str(tmp_path / "missing.key")
    with pytest.raises(ExtractError):
        extract_key()
    key_file.write_text("")
    settings.PROXIMA_EXTRACT_KEY_FILE = str(key_file)
    with pytest.raises(ExtractError):
        extract_key()  # an empty file is no key, not a reason to make one

    settings.PROXIMA_EXTRACT_KEY_FILE = ""
    monkeypatch.chdir(tmp_path)
    settings.PRODUCTION = True
    with pytest.raises(ExtractError):
        extract_key()
    assert not (tmp_path / ".proxima-extract-key").exists()
    settings.PRODUCTION = False
    generated = extract_key()
    assert len(generated) >= 32 and generated == extract_key()
    kept = tmp_path / ".proxima-extract-key"
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600
    assert generated != settings.SECRET_KEY.encode()


def test_who_may_export(region, worker):
    add_contacts(worker, add_people(region, 5, postal_code=BIG_AREAS[0]))
    evaluator = UserFactory(role=Role.EVALUATOR, region=region)
    elsewhere = Region.objects.create(code="06", name="Montréal")

    extract = export_extract(region.pk, START, END, by=evaluator, key=KEY)

    assert extract.report["rows_out"] == 5
    event = AuditEvent.objects.get(action="research_extract")
    assert event.actor == evaluator and event.region_id == region.pk
    assert event.detail["rows_out"] == 5 and event.detail["k"] == 5
    for refused in (
        worker,
        UserFactory(role=Role.EVALUATOR, region=elsewhere),
        UserFactory(role=Role.PRIVACY_OFFICER, region=region),
    ):
        with pytest.raises(PermissionDenied):
            export_extract(region.pk, START, END, by=refused, key=KEY)
    assert AuditEvent.objects.filter(action="research_extract").count() == 1
    export_extract(region.pk, START, END, by=SYSTEM, key=KEY)
    assert AuditEvent.objects.filter(action="research_extract", actor_role="system").count() == 1


def test_the_command_writes_the_csv_and_the_report(region, worker, settings, tmp_path):
    settings.PROXIMA_EXTRACT_KEY = KEY.decode()
    add_contacts(worker, add_people(region, 6, postal_code=BIG_AREAS[0]))
    out, report = tmp_path / "extract.csv", io.StringIO()

    call_command(
        "research-extract",
        "--region", "03", "--from", "2026-01-01", "--to", "2026-12-31", "--out", str(out),
        stdout=report,
    )  # fmt: skip

    rows = read_csv(out.read_text(encoding="utf-8"))
    assert len(rows) == 6 and list(rows[0]) == HEADER
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert "k-anonym" in report.getvalue()
    event = AuditEvent.objects.get(action="research_extract")
    assert event.actor_role == "system" and event.region_id == region.pk

    on_screen, beside = io.StringIO(), io.StringIO()
    call_command(
        "research-extract", "--region", "03", "--from", "2026-01-01", "--to", "2026-12-31",
        stdout=on_screen, stderr=beside,
    )  # fmt: skip
    assert len(read_csv(on_screen.getvalue())) == 6
    assert "k-anonym" in beside.getvalue()


@pytest.mark.parametrize(
    "arguments, said",
    [
        (["--region", "99", "--from", "2026-01-01", "--to", "2026-12-31"], "99"),
        (["--region", "03", "--from", "2026-02-30", "--to", "2026-12-31"], "--from"),
        (["--region", "03", "--from", "2026-12-31", "--to", "2026-01-01"], ""),
        (["--region", "03", "--from", "2026-01-01", "--to", "2026-12-31", "--k", "1"], "k"),
        (["--region", "03", "--from", "0999-01-01", "--to", "2026-12-31"], "1900"),
    ],
)
def test_the_command_refuses_bad_input(region, settings, arguments, said):
    settings.PROXIMA_EXTRACT_KEY = KEY.decode()
    with pytest.raises(CommandError) as refused:
        call_command("research-extract", *arguments)
    assert said in str(refused.value)
    assert not AuditEvent.objects.filter(action="research_extract").exists()


def test_the_command_refuses_a_short_key(region, settings):
    settings.PROXIMA_EXTRACT_KEY = "short"
    with pytest.raises(CommandError):
        call_command(
            "research-extract", "--region", "03", "--from", "2026-01-01", "--to", "2026-01-31"
        )
