"""Autosaved drafts of a contact's screen: nothing typed is lost if the browser closes."""

import json

from django.utils.translation import gettext as _

from proxima.intake.models import CallDraft, ContactEpisode
from proxima.intake.services.episodes import require_worker
from proxima.intake.services.questionnaires import ScreeningInputError

MAX_DRAFT_BYTES = 100_000


def save_draft(episode: ContactEpisode, data: dict, *, by) -> CallDraft:
    """Keep the worker's unsaved fields (plain strings only, 100 kB at most)."""
    require_worker(by, episode)
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str | list) for k, v in data.items()
    ):
        raise ScreeningInputError({"draft": _("A draft is a set of form fields.")})
    if len(json.dumps(data)) > MAX_DRAFT_BYTES:
        raise ScreeningInputError({"draft": _("The draft is too large.")})
    draft, _created = CallDraft.objects.update_or_create(
        episode=episode, user=by, defaults={"data": data}
    )
    return draft


def load_draft(episode: ContactEpisode, *, by) -> dict:
    require_worker(by, episode)
    draft = CallDraft.objects.filter(episode=episode, user=by).first()
    return draft.data if draft else {}


def discard_draft(episode: ContactEpisode, *, by) -> None:
    CallDraft.objects.filter(episode=episode, user=by).delete()
