"""Audit lines read in words: every action the code writes has its words, in French and
in English; roles recorded without a user (Proxima itself, anonymous) too."""

import ast
from pathlib import Path

from django.utils import translation

from proxima.core import audit

SOURCE = Path(audit.__file__).resolve().parents[1]


def actions_written() -> dict[str, str]:
    """Every action given as a literal to record_audit_event anywhere in the code."""
    found = {}
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "record_audit_event"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
            ):
                found[node.args[1].value] = str(path.relative_to(SOURCE))
    return found


def test_every_action_written_has_its_words():
    written = actions_written()
    assert len(written) > 30
    missing = {
        action: where for action, where in written.items() if action not in audit.ACTION_LABELS
    }
    assert not missing, f"add these to core.audit.ACTION_LABELS: {missing}"


def test_the_words_exist_in_french():
    with translation.override("fr"):
        untranslated = [
            code
            for code, label in audit.ACTION_LABELS.items()
            if str(label) == label._args[0]  # gettext_lazy's English text
        ]
    assert not untranslated


def test_roles_without_a_user():
    with translation.override("fr"):
        assert audit.actor_role_label("system") == "Proxima (automatique)"
        assert audit.actor_role_label("anonymous") == "personne non connectée"
        assert audit.actor_role_label("worker_811") == "Intervenant ou intervenante 811 Info-Social"
    with translation.override("en"):
        assert audit.actor_role_label("system") == "Proxima (automatic)"
