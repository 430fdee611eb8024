"""Documents attached to an agreement: checked by their content and size, read only by
those who read the agreement, attached and removed only by its region's coordinators,
served as downloads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from proxima.agreements.models import DOCUMENT_MAX_BYTES, Document
from proxima.core.models import AuditEvent
from proxima.core.roles import Role
from tests.agreements.test_registry import signed_in
from tests.core.test_uploads import archive
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\x00\x01\x02binary\n%%EOF\n"


def office(kind: str) -> bytes:
    if kind == "odt":
        return archive(
            {
                "mimetype": "application/vnd.oasis.opendocument.text",
                "content.xml": "<office:document-content/>",
            }
        )
    return archive({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})


def upload(name: str, content: bytes, kind: str = "signed", title: str = "") -> dict:
    return {"kind": kind, "title": title, "file": SimpleUploadedFile(name, content)}


def test_a_coordinator_attaches_documents_that_readers_download(agreement, region, food_bank):
    coordinator = UserFactory(role=Role.COORDINATOR, region=region)
    client = signed_in(coordinator)
    url = f"/agreements/{agreement.pk}/documents/"
    response = client.post(url, upload("entente signée.pdf", PDF, title="Texte signé"))
    assert response.status_code == 302
    response = client.post(url, upload("annexe.docx", office("docx"), kind="annex"))
    assert response.status_code == 302
    response = client.post(url, upload("compte rendu.odt", office("odt"), kind="minutes"))
    assert response.status_code == 302
    signed, docx, odt = (
        Document.objects.get(file_name=name)
        for name in ("entente signée.pdf", "annexe.docx", "compte rendu.odt")
    )
    assert (signed.media_type, signed.size, bytes(signed.content)) == (
        "application/pdf",
        len(PDF),
        PDF,
    )
    assert docx.media_type.endswith("wordprocessingml.document")
    assert odt.media_type == "application/vnd.oasis.opendocument.text"
    assert AuditEvent.objects.filter(action="attach_agreement_document").count() == 3
    page = client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert "Texte signé" in page and "annexe.docx" in page and "compte rendu.odt" in page
    party = UserFactory(role=Role.PARTNER_WORKER, organization=food_bank)
    download = signed_in(party).get(f"/agreements/{agreement.pk}/documents/{signed.pk}/")
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "entente" in download["Content-Disposition"]
    assert "sandbox" in download["Content-Security-Policy"]
    assert download["X-Content-Type-Options"] == "nosniff"
    # The party reads it but may not remove it; the coordinator removes it.
    remove = f"/agreements/{agreement.pk}/documents/{signed.pk}/remove/"
    assert signed_in(party).post(remove).status_code == 403
    assert client.post(remove).status_code == 302
    assert not Document.objects.filter(pk=signed.pk).exists()
    assert AuditEvent.objects.filter(action="remove_agreement_document").count() == 1


def test_what_is_not_a_document_of_the_right_kind_is_refused_with_the_reason(agreement, region):
    client = signed_in(UserFactory(role=Role.COORDINATOR, region=region))
    url = f"/agreements/{agreement.pk}/documents/"
    cases = [
        (upload("vide.pdf", b""), "Le fichier soumis est vide"),
        (upload("script.pdf", b"#!/bin/sh\nrm -rf /\n"), "n’est pas accepté"),
        (upload("page.pdf", b"<html><script>alert(1)</script></html>"), "n’est pas accepté"),
        (upload("faux.docx", b"PK\x03\x04not really a zip at all"), "n’est pas accepté"),
        (upload("archive.docx", archive({"a.txt": "x"})), "n’est pas accepté"),
        (upload("entente.docx", PDF), "doit se terminer par « .pdf »"),
        (upload("entente", PDF), "doit se terminer par « .pdf »"),
        (upload("entente.pdf", PDF, kind="poster"), "Sélectionnez un choix valide"),
        ({"kind": "signed"}, "Ce champ est obligatoire"),
    ]
    for body, reason in cases:
        response = client.post(url, body)
        assert response.status_code == 400, reason
        assert reason in response.content.decode(), reason
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_refused_and_the_route_takes_no_more(agreement, region, settings):
    client = signed_in(UserFactory(role=Role.COORDINATOR, region=region))
    url = f"/agreements/{agreement.pk}/documents/"
    too_big = PDF + b"0" * DOCUMENT_MAX_BYTES
    response = client.post(url, upload("gros.pdf", too_big))
    assert response.status_code == 400
    assert "trop volumineux" in response.content.decode()
    # Beyond the route's limit, the request guard refuses before anything is read.
    beyond = PDF + b"0" * (DOCUMENT_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    assert client.post(url, upload("énorme.pdf", beyond)).status_code == 413
    # Other routes still take no file-sized body.
    response = client.post(f"/agreements/{agreement.pk}/meetings/", upload("a.pdf", PDF * 70_000))
    assert response.status_code == 413
    assert not Document.objects.exists()


def test_text_fields_next_to_a_file_are_still_checked(agreement, region):
    client = signed_in(UserFactory(role=Role.COORDINATOR, region=region))
    url = f"/agreements/{agreement.pk}/documents/"
    response = client.post(url, upload("a.pdf", PDF, title="nul\x00"))
    assert response.status_code == 400
    assert not Document.objects.exists()
    # Binary content with NUL bytes is fine in the file itself (PDF above holds one).
    assert client.post(url, upload("a.pdf", PDF, title="Titre")).status_code == 302


def test_outsiders_neither_read_nor_attach_nor_remove(agreement, region, elsewhere, food_bank):
    coordinator = UserFactory(role=Role.COORDINATOR, region=region)
    signed_in(coordinator).post(
        f"/agreements/{agreement.pk}/documents/", upload("entente.pdf", PDF)
    )
    document = Document.objects.get()
    base = f"/agreements/{agreement.pk}/documents/"
    for user, expected in (
        (UserFactory(role=Role.COORDINATOR, region=elsewhere), 404),
        (UserFactory(role=Role.PARTNER_ADMIN, organization=OrganizationFactory()), 404),
        (UserFactory(role=Role.PRIVACY_OFFICER, region=region), 403),
    ):
        client = signed_in(user)
        assert client.get(f"{base}{document.pk}/").status_code == expected
        assert client.post(base, upload("autre.pdf", PDF)).status_code == expected
        assert client.post(f"{base}{document.pk}/remove/").status_code == expected
    assert Client().get(f"{base}{document.pk}/").status_code == 302
    # A document of one agreement is not reachable through another.
    other = type(agreement).objects.create(
        region=region, title_fr="Autre", kind="protocol", status="draft"
    )
    reader = signed_in(coordinator)
    assert reader.get(f"/agreements/{other.pk}/documents/{document.pk}/").status_code == 404
    assert reader.post(f"/agreements/{other.pk}/documents/{document.pk}/remove/").status_code == 404
    assert reader.get(f"{base}not-a-number/").status_code == 404
    assert Document.objects.count() == 1


def test_an_agreement_holds_at_most_its_share_of_documents(agreement, region, monkeypatch):
    monkeypatch.setattr("proxima.agreements.services.DOCUMENTS_PER_AGREEMENT", 2)
    client = signed_in(UserFactory(role=Role.COORDINATOR, region=region))
    url = f"/agreements/{agreement.pk}/documents/"
    for n in range(2):
        assert client.post(url, upload(f"{n}.pdf", PDF)).status_code == 302
    response = client.post(url, upload("2.pdf", PDF))
    assert response.status_code == 400 and "retirez-en" in response.content.decode()
    assert Document.objects.count() == 2


def test_only_someone_signed_in_may_send_a_file_sized_body_and_only_as_a_form(
    agreement, region, settings
):
    url = f"/agreements/{agreement.pk}/documents/"
    body = upload("a.pdf", PDF + b"0" * (3 * 1024 * 1024))
    # Signed out: the site reads no more than a form's worth before saying so.
    response = Client().post(url, body)
    assert response.status_code == 413
    assert "trop volumineuse" in response.content.decode()
    # Signed in, but not a multipart form: a body over 2 MiB is refused the same way.
    client = signed_in(UserFactory(role=Role.COORDINATOR, region=region))
    big = "title=" + "x" * (3 * 1024 * 1024)
    response = client.post(url, big, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    response = client.post(url, big, content_type="text/plain")
    assert response.status_code == 413
    assert not Document.objects.exists()
    # Signed in, a file beside a field of 3 MiB: the fields' limit, said as such.
    response = client.post(url, upload("a.pdf", PDF, title="x" * (3 * 1024 * 1024)))
    assert response.status_code == 413
    assert "requête est trop volumineuse" in response.content.decode()
    # A name longer than Django reads in a part's headers: said, not a crash.
    boundary = "limite"
    raw = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nsigned\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{"x" * 2000}.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + PDF * 50
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(url, raw, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400
    assert "nom du fichier" in response.content.decode()


def test_the_document_is_only_read_with_get_and_by_plain_ids(agreement, region):
    client = signed_in(UserFactory(role=Role.COORDINATOR, region=region))
    client.post(f"/agreements/{agreement.pk}/documents/", upload("a.pdf", PDF))
    document = Document.objects.get()
    url = f"/agreements/{agreement.pk}/documents/{document.pk}/"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in str(document.pk))
    for spelled in (full_width, f" {document.pk}", f"+{document.pk}", f"0{document.pk}"):
        assert client.get(f"/agreements/{agreement.pk}/documents/{spelled}/").status_code == 404
        remove = f"/agreements/{agreement.pk}/documents/{spelled}/remove/"
        assert client.post(remove).status_code == 404
    agreement_full_width = "".join(chr(ord(c) + 0xFEE0) for c in str(agreement.pk))
    assert client.get(f"/agreements/{agreement_full_width}/").status_code == 404
    assert Document.objects.count() == 1


def test_a_region_holds_at_most_its_share_of_documents(agreement, region, monkeypatch):
    monkeypatch.setattr("proxima.agreements.services.DOCUMENTS_PER_REGION_BYTES", len(PDF) * 2)
    client = signed_in(UserFactory(role=Role.COORDINATOR, region=region))
    url = f"/agreements/{agreement.pk}/documents/"
    for n in range(2):
        assert client.post(url, upload(f"{n}.pdf", PDF)).status_code == 302
    response = client.post(url, upload("2.pdf", PDF))
    assert (
        response.status_code == 400
        and "documents no longer needed" not in response.content.decode()
    )
    assert "plus nécessaires" in response.content.decode()
    assert Document.objects.count() == 2
