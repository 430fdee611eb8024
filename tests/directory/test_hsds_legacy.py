"""Older directories (HSDS 1.x, 2.0, Ohana's CSV layout) imported into HSDS 3.0: whole,
idempotent, searchable; malformed older files refused with file, row, field and reason,
and nothing written."""

import csv
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from proxima.directory import models as m
from proxima.directory.services.hsds_export import export_json
from proxima.directory.services.hsds_import import HsdsImportError, import_hsds
from proxima.directory.services.hsds_legacy import detect_version
from proxima.directory.services.search import SearchQuery, search_services
from proxima.directory.services.taxonomy import open_eligibility_term_id
from tests.conftest import shared_path
from tests.hsds_schemas import validator

pytestmark = pytest.mark.django_db


def ohana() -> Path:
    return shared_path("ext", "community-resources", "ohana-sample-hsds-csv")


def load_open_eligibility() -> None:
    from proxima.directory.services.taxonomy import import_open_eligibility

    import_open_eligibility(shared_path("ext", "taxonomies", "open-eligibility", "taxonomy.csv"))


def csv_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def counts() -> dict[str, int]:
    models = (m.Organization, m.Service, m.Location, m.ServiceAtLocation, m.Address)
    models += (m.Phone, m.Contact, m.Schedule, m.Language, m.Attribute, m.Metadata)
    return {model.__name__: model.objects.count() for model in models}


def write_csv(folder: Path, name: str, header: str, *rows: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")


def test_the_ohana_sample_imports_whole_and_a_second_time_changes_nothing():
    folder = ohana()
    report = import_hsds(folder)
    assert report.from_version == "1.1" and report.legacy_source == folder.name
    assert m.Organization.objects.count() == csv_rows(folder / "organizations.csv") == 8
    assert m.Service.objects.count() == csv_rows(folder / "services.csv") == 23
    assert m.Location.objects.count() == csv_rows(folder / "locations.csv") == 22
    # Every service reaches its location and, through it, its organization.
    assert m.ServiceAtLocation.objects.count() == 23
    assert not m.Service.objects.filter(organization__isnull=True).exists()
    addresses = m.Address.objects
    assert addresses.filter(address_type="physical").count() == csv_rows(folder / "addresses.csv")
    assert addresses.filter(address_type="postal").count() == csv_rows(
        folder / "mail_addresses.csv"
    )
    placeholders = [w for w in report.warnings if "placeholder" in w.message]
    assert [w.source for w in placeholders] == ["holiday_schedules.csv"] * 3
    # The one real holiday: special hours on 24 December 2015, a Thursday.
    special = m.Schedule.objects.get(valid_from="2015-12-24")
    assert (special.byday, special.opens_at, special.closes_at) == ("TH", "10:00", "16:00")
    first = counts()

    again = import_hsds(folder)
    assert sum(again.created.values()) == 0
    assert counts() == first


def test_ohana_services_are_searchable_by_a_word_of_their_description(need_domains):
    import_hsds(ohana())
    hits = search_services(SearchQuery(text="automobile")).hits
    assert [h.service.name for h in hits] == ["Economic Self-Sufficiency Program"]


def test_ohana_hours_languages_and_accessibility_are_hsds_3_records():
    import_hsds(ohana())
    monday = m.Schedule.objects.filter(service__name="Passport Photos", byday="MO")
    # "4:00 PM" and "3pm" are read as times.
    assert sorted(monday.values_list("opens_at", "closes_at")) == [
        ("08:00", "12:00"),
        ("14:00", "16:00"),
    ]
    fair_oaks = m.Location.objects.get(name="Fair Oaks Adult Activity Center")
    assert sorted(fair_oaks.languages.values_list("name", "code")) == [
        ("Spanish", "es"),
        ("Tagalog", "tl"),
    ]
    assert "Wheelchair accessible" in fair_oaks.accessibility.values_list("description", flat=True)
    assert fair_oaks.text_language == "en"
    passport = m.Service.objects.get(name="Passport Photos")
    assert list(passport.languages.values_list("code", flat=True)) == ["es"]
    assert passport.phones.filter(type="text").exists()  # Ohana's "sms"


def test_ohana_taxonomy_ids_link_open_eligibility_terms_and_keywords_are_kept():
    report = import_hsds(ohana())
    assert any(w.field == "taxonomy_ids" for w in report.warnings)  # not loaded yet
    load_open_eligibility()
    report = import_hsds(ohana())
    assert not any(w.field == "taxonomy_ids" for w in report.warnings)
    passport = m.Service.objects.get(name="Passport Photos")
    codes = m.Attribute.objects.filter(link_id=passport.id, taxonomy_term__isnull=False)
    assert sorted(codes.values_list("taxonomy_term__code", flat=True)) == [
        "105",
        "108",
        "108-05",
        "108-05-01",
        "111",
        "111-05",
    ]
    translation = SearchQuery(taxonomy_term_ids=[open_eligibility_term_id("111-05")])
    assert [h.service.name for h in search_services(translation).hits] == ["Passport Photos"]
    rosener = m.Service.objects.get(name="Rosener House Adult Day Services")
    keywords = m.Attribute.objects.filter(link_id=rosener.id, link_type="keyword")
    assert "Dementia Management" in keywords.values_list("value", flat=True)


def test_ohana_keywords_are_searchable(need_domains):
    import_hsds(ohana())
    hits = search_services(SearchQuery(text="dementia")).hits
    # First by its keyword; other seniors' services follow by the need (seniors).
    assert [h.service.name for h in hits][:1] == ["Rosener House Adult Day Services"]
    assert any("dementia" in reason.lower() for reason in hits[0].reasons), hits[0].reasons


def test_an_unknown_open_eligibility_code_is_refused(tmp_path):
    load_open_eligibility()
    folder = tmp_path / "ohana"
    shutil.copytree(ohana(), folder)
    services = folder / "services.csv"
    services.write_text(
        services.read_text(encoding="utf-8").replace('"105, 108,', '"105, 999,'), encoding="utf-8"
    )
    with pytest.raises(HsdsImportError) as refused:
        import_hsds(folder)
    assert "services.csv: row 23 (id '22'), field 'taxonomy_ids': '999' is not an Open " in str(
        refused.value
    )
    assert not m.Service.objects.exists()


def test_the_version_is_detected_from_the_files(tmp_path):
    assert detect_version(ohana()) == "1.1"
    assert detect_version(shared_path("ext", "community-resources", "hsds3-examples-csv")) == "3.0"
    write_csv(tmp_path / "v20", "schedules.csv", "id,service_id,freq,byday,opens_at,closes_at")
    write_csv(tmp_path / "v20", "service_attributes.csv", "id,service_id,taxonomy_term_id")
    assert detect_version(tmp_path / "v20") == "2.0"
    write_csv(tmp_path / "v10", "service.csv", "id,name")
    assert detect_version(tmp_path / "v10") == "1.0"
    assert detect_version(tmp_path / "v20" / "schedules.csv") == "3.0"  # a file: JSON


def test_from_3_0_keeps_todays_behaviour_and_refuses_older_ids():
    with pytest.raises(HsdsImportError) as refused:
        import_hsds(ohana(), from_version="3.0")
    assert "is not a UUID" in str(refused.value)
    assert not m.Organization.objects.exists()


def small_1_1_folder(tmp_path: Path) -> Path:
    """A hand-made HSDS 1.1 folder: every link goes through its own table."""
    folder = tmp_path / "annuaire-2016"
    write_csv(
        folder,
        "organizations.csv",
        "id,name,description,url,year_incorporated",
        "org-1,Entraide Vanier,Aide alimentaire et vestimentaire.,https://example.org,1987",
    )
    write_csv(
        folder,
        "services.csv",
        "id,organization_id,name,description,status,fees",
        "svc-1,org-1,Comptoir vestimentaire,Vêtements à petit prix.,active,2 $",
    )
    write_csv(
        folder,
        "locations.csv",
        "id,organization_id,name,latitude,longitude",
        "loc-1,org-1,Centre Durocher,46.8268,-71.2351",
    )
    write_csv(folder, "service_at_location.csv", "id,service_id,location_id", "sal-1,svc-1,loc-1")
    address = "id,location_id,attention,address_1,city,state_province,postal_code,country"
    write_csv(
        folder,
        "physical_addresses.csv",
        address,
        "a-1,loc-1,,680 rue Raoul-Jobin,Québec,QC,G1N 1S8,CA",
    )
    write_csv(
        folder,
        "postal_addresses.csv",
        address,
        "a-1,loc-1,Entraide Vanier,C.P. 123,Québec,QC,G1N 4A1,CA",
    )
    write_csv(
        folder,
        "taxonomy.csv",
        "id,name,parent_id,parent_name,vocabulary",
        "t-1,Biens matériels,,,Annuaire local",
        "t-2,Vêtements,t-1,Biens matériels,Annuaire local",
    )
    write_csv(
        folder,
        "service_taxonomy.csv",
        "id,service_id,taxonomy_id,taxonomy_detail",
        "st-1,svc-1,t-2,friperie",
    )
    write_csv(
        folder,
        "regular_schedules.csv",
        "id,service_id,location_id,service_at_location_id,weekday,opens_at,closes_at",
        "rs-1,svc-1,,,3,13:00,16:30",
    )
    return folder


def test_a_small_1_1_folder_becomes_hsds_3_0(tmp_path):
    folder = small_1_1_folder(tmp_path)
    report = import_hsds(folder, from_version="1.1", text_language="fr")
    assert report.warnings == []
    service = m.Service.objects.get()
    assert service.name == "Comptoir vestimentaire" and service.text_language == "fr"
    assert service.organization.website == "https://example.org"
    assert service.fees_description == "2 $"
    assert service.service_at_locations.get().location.name == "Centre Durocher"
    location = m.Location.objects.get()
    assert sorted(location.addresses.values_list("address_type", "address_1")) == [
        ("physical", "680 rue Raoul-Jobin"),
        ("postal", "C.P. 123"),
    ]
    wednesday = service.schedules.get()
    assert (wednesday.freq, wednesday.byday, wednesday.opens_at) == ("WEEKLY", "WE", "13:00")
    attribute = m.Attribute.objects.get(link_id=service.id)
    assert (attribute.taxonomy_term.name, attribute.value) == ("Vêtements", "friperie")
    parent = m.TaxonomyTerm.objects.get(id=attribute.taxonomy_term.parent_id)
    assert parent.name == "Biens matériels"
    kept = m.Metadata.objects.get(resource_id=service.id)
    assert (kept.field_name, kept.previous_value) == ("id", "svc-1")
    # The same folder again: the same records, updated.
    before = counts()
    again = import_hsds(folder)
    assert sum(again.created.values()) == 0 and counts() == before


def breaks(file_name: str, old: str, new: str):
    def make(tmp_path: Path) -> Path:
        folder = small_1_1_folder(tmp_path)
        path = folder / file_name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
        return folder

    return make


@pytest.mark.parametrize(
    "make_folder,expected",
    [
        (
            breaks("regular_schedules.csv", ",3,13:00", ",Funday,13:00"),
            "regular_schedules.csv: row 2 (id 'rs-1'), field 'weekday': 'Funday' is not a weekday",
        ),
        (
            breaks("regular_schedules.csv", ",3,13:00", ",8,13:00"),
            "regular_schedules.csv: row 2 (id 'rs-1'), field 'weekday': '8' is not a weekday",
        ),
        (
            breaks("regular_schedules.csv", "13:00,16:30", "13:00,25:00"),
            "regular_schedules.csv: row 2 (id 'rs-1'), field 'closes_at': '25:00' is not a "
            "time of day",
        ),
        (
            breaks("physical_addresses.csv", "a-1,loc-1,", "a-1,loc-9,"),
            "physical_addresses.csv: row 2 (id 'a-1'), field 'location_id': 'loc-9' does not "
            "match any location in the data or the directory",
        ),
        (
            breaks("service_taxonomy.csv", "svc-1,t-2", "svc-1,t-7"),
            "service_taxonomy.csv: row 2 (id 'st-1'), field 'taxonomy_term_id': 't-7' does not "
            "match any taxonomy_term",
        ),
        (
            breaks("locations.csv", "46.8268", "46,8268"),
            "locations.csv: row 2: more values than columns",
        ),
    ],
    ids=["weekday-name", "weekday-number", "hour-25", "missing-location", "unknown-term", "comma"],
)
def test_malformed_older_files_are_refused_and_nothing_is_written(tmp_path, make_folder, expected):
    folder = make_folder(tmp_path)
    with pytest.raises(HsdsImportError) as refused:
        import_hsds(folder)
    assert expected in str(refused.value)
    assert set(counts().values()) == {0}


def test_a_malformed_holiday_date_is_refused_but_a_placeholder_is_only_a_warning(tmp_path):
    folder = small_1_1_folder(tmp_path)
    header = "id,location_id,service_id,start_date,end_date,closed,opens_at,closes_at"
    write_csv(
        folder,
        "holiday_schedules.csv",
        header,
        'h-1,loc-1,,"January 01, 0001","January 01, 0001",true,,',
        'h-2,loc-1,,"December 24, 2016",12/24/16,false,10:00,2 PM',
    )
    report = import_hsds(folder)
    assert [(w.source, w.record, w.field) for w in report.warnings] == [
        ("holiday_schedules.csv", "row 2 (id 'h-1')", "start_date")
    ]
    special = m.Schedule.objects.get(valid_from="2016-12-24")
    assert (special.valid_to, special.byday, special.closes_at) == ("2016-12-24", "SA", "14:00")

    write_csv(folder, "holiday_schedules.csv", header, "h-3,loc-1,,Christmas,,true,,")
    with pytest.raises(HsdsImportError) as refused:
        import_hsds(folder)
    assert (
        "holiday_schedules.csv: row 2 (id 'h-3'), field 'start_date': 'Christmas' is not a date"
        in str(refused.value)
    )


def test_an_unknown_version_is_refused_and_nothing_is_written(tmp_path):
    with pytest.raises(HsdsImportError) as refused:
        import_hsds(small_1_1_folder(tmp_path), from_version="4.0")
    assert (
        "annuaire-2016: option --from, field 'from_version': '4.0' is not an HSDS version"
        in str(refused.value)
    )
    assert set(counts().values()) == {0}


def test_a_text_language_that_is_no_code_is_refused(tmp_path):
    with pytest.raises(HsdsImportError, match="'English' is not a language code"):
        import_hsds(small_1_1_folder(tmp_path), text_language="English")
    assert set(counts().values()) == {0}


def test_older_versions_are_read_from_a_folder_only(tmp_path):
    path = tmp_path / "services.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(HsdsImportError) as refused:
        import_hsds(path, from_version="2.0")
    assert "older HSDS versions are read from a folder of CSV tables" in str(refused.value)


def test_the_command_reports_the_layout_the_counts_and_the_warnings():
    out = StringIO()
    call_command("import-hsds", str(ohana()), stdout=out, verbosity=0)
    text = out.getvalue()
    assert "(HSDS 1.1 layout, ids converted with source 'ohana-sample-hsds-csv')" in text
    assert "created, 0 updated, 21 services indexed." in text  # 2 are inactive or defunct
    assert "holiday_schedules.csv: row 2 (id '1'), field 'start_date': 'January 01, 0001'" in text
    out = StringIO()
    call_command("import-hsds", str(ohana()), "--from", "1.1", "--legacy-ids", "smc", stdout=out)
    assert "source 'smc'" in out.getvalue()
    assert m.Service.objects.count() == 46  # another source, other ids


def test_the_command_refuses_with_file_row_field_and_reason(tmp_path):
    folder = breaks("regular_schedules.csv", ",3,13:00", ",Funday,13:00")(tmp_path)
    with pytest.raises(CommandError) as refused:
        call_command("import-hsds", str(folder), "--from", "1.1", verbosity=0)
    assert "Import refused, nothing was changed (1 problem(s))" in str(refused.value)
    assert "regular_schedules.csv: row 2 (id 'rs-1'), field 'weekday'" in str(refused.value)
    with pytest.raises(CommandError, match="'9.9' is not an HSDS version"):
        call_command("import-hsds", str(folder), "--from", "9.9", verbosity=0)


def test_the_imported_ohana_sample_exports_as_valid_hsds_3_0(tmp_path):
    load_open_eligibility()
    import_hsds(ohana())
    path = tmp_path / "services.json"
    export_json(path)
    services = json.loads(path.read_text(encoding="utf-8"))
    assert len(services) == 23
    check = validator("service.json")
    for service in services:
        errors = list(check.iter_errors(service))
        assert not errors, (service["name"], [e.message for e in errors[:3]])
