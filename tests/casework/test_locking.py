"""A signed note is locked: not through the service, the model, a queryset, raw SQL, nor
the pages; an addendum is the only way to correct it, and an addendum is locked too."""

import pytest
from django.db import DatabaseError, connection, transaction

from proxima.casework import services
from proxima.casework.models import NoteAddendum, ProgressNote, SignedNoteLocked
from tests.casework.conftest import client_of, note_input

pytestmark = pytest.mark.django_db


def stored(note) -> dict:
    return ProgressNote.objects.filter(pk=note.pk).values().get()


def test_the_service_refuses_to_change_sign_again_or_discard_a_signed_note(signed_note, worker):
    before = stored(signed_note)
    for action in (
        lambda: services.change_note(signed_note, note_input(text="Réécrit"), by=worker),
        lambda: services.sign_note(signed_note, by=worker),
        lambda: services.discard_note(signed_note, by=worker),
    ):
        with pytest.raises(services.CaseInputError) as refused:
            action()
        assert "addendum" in str(refused.value.errors) or "note" in refused.value.errors
    assert stored(signed_note) == before


def test_the_model_refuses_to_save_or_delete_a_signed_note(signed_note):
    before = stored(signed_note)
    signed_note.text = "Réécrit en douce"
    with pytest.raises(SignedNoteLocked):
        signed_note.save()
    # Even from an instance read before the signature.
    with pytest.raises(SignedNoteLocked):
        ProgressNote(pk=signed_note.pk, **{k: v for k, v in before.items() if k != "id"}).save()
    with pytest.raises(SignedNoteLocked):
        signed_note.delete()
    assert stored(signed_note) == before


def test_querysets_refuse_to_update_or_delete_signed_notes(signed_note):
    before = stored(signed_note)
    with pytest.raises(SignedNoteLocked):
        ProgressNote.objects.filter(pk=signed_note.pk).update(text="Réécrit")
    with pytest.raises(SignedNoteLocked):
        ProgressNote.objects.all().delete()
    assert stored(signed_note) == before


def test_the_database_refuses_to_update_a_signed_note(signed_note):
    """Raw SQL, below the models: the trigger refuses (both databases)."""
    before = stored(signed_note)
    table = ProgressNote._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET text = %s WHERE id = %s", ["Réécrit", signed_note.pk])  # noqa: S608
    assert stored(signed_note) == before


def test_the_database_lets_a_draft_be_changed_and_signed(case, worker):
    draft = services.write_note(case, note_input(), by=worker)
    ProgressNote.objects.filter(pk=draft.pk).update(text="Brouillon revu")
    services.sign_note(draft, by=worker)
    draft.refresh_from_db()
    assert draft.text == "Brouillon revu" and draft.signed_at is not None


def test_an_addendum_is_the_only_correction_and_it_is_locked(signed_note, worker):
    addendum = services.add_addendum(
        signed_note, "Correction : à domicile, pas au CLSC.", by=worker
    )
    assert list(signed_note.addenda.all()) == [addendum]
    addendum.text = "Autre chose"
    with pytest.raises(SignedNoteLocked):
        addendum.save()
    with pytest.raises(SignedNoteLocked):
        addendum.delete()
    with pytest.raises(SignedNoteLocked):
        NoteAddendum.objects.filter(pk=addendum.pk).update(text="Autre chose")
    with pytest.raises(SignedNoteLocked):
        NoteAddendum.objects.all().delete()
    table = NoteAddendum._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET text = %s WHERE id = %s", ["x", addendum.pk])  # noqa: S608
    addendum.refresh_from_db()
    assert addendum.text == "Correction : à domicile, pas au CLSC."


def test_a_draft_takes_no_addendum(case, worker):
    draft = services.write_note(case, note_input(), by=worker)
    with pytest.raises(services.CaseInputError):
        services.add_addendum(draft, "Précision", by=worker)
    assert not NoteAddendum.objects.exists()


def test_the_pages_refuse_to_change_or_discard_a_signed_note(signed_note, worker, case):
    before = stored(signed_note)
    client = client_of(worker)
    body = {
        "intervention_type": "support",
        "duration_minutes": "30",
        "place": "clsc",
        "happened_on": "2026-11-20",
        "text": "Réécrit par la page",
    }
    for url, data in (
        (f"/casework/{case.pk}/notes/{signed_note.pk}/", body),
        (f"/casework/{case.pk}/notes/{signed_note.pk}/discard/", {}),
        (f"/casework/{case.pk}/notes/{signed_note.pk}/sign/", {}),
    ):
        response = client.post(url, data)
        assert response.status_code == 400, url
        assert "addenda" in response.content.decode() or "signée" in response.content.decode()
    assert stored(signed_note) == before
    response = client.post(
        f"/casework/{case.pk}/notes/{signed_note.pk}/addenda/", {"text": "Précision"}
    )
    assert response.status_code == 302
    assert signed_note.addenda.get().text == "Précision"


def test_the_triggers_are_installed():
    """A later migration rebuilding these tables on SQLite drops them: it must put them back."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        names = {row[0] for row in cursor.fetchall()}
    assert {"signed_note_locked", "addendum_locked"} <= names
