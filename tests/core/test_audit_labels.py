"""Every audit action the code records has a Swedish description (issue 14, item 10), and the
granskningslogg shows names and descriptions, not usernames and codes.

The actions are collected from the source: every `audit.record(...)` call's first argument. A
plain string or a conditional between strings is checked as it is; an f-string is expanded over
the values it can take (the states of a memo or report, the models of the administration and
of the economy registers). An f-string of a new shape fails the test until it is taught here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse

from casework.models import MemoState
from economy.services.registers import REGISTER_FIELDS
from reports.models import ReportState
from solna_sn import audit, audit_labels
from solna_sn.models import AuditEntry, Role
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ("casework", "contracts", "controls", "economy", "goals", "metrics", "printing", "reports")


def _record_calls():
    for folder in (*APPS, "solna_sn"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "record"
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "audit"
                ):
                    yield path.relative_to(ROOT), node


def _admin_model_names() -> list[str]:
    return sorted({model._meta.model_name for model in admin.site._registry})


def _expand(node: ast.expr, where: str) -> list[str]:
    """The action strings an `audit.record` first argument can be."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _expand(node.body, where) + _expand(node.orelse, where)
    if isinstance(node, ast.JoinedStr):
        source = ast.unparse(node)
        if source == "f'memo.{to}'":
            return [f"memo.{state}" for state in MemoState.values]
        if source == "f'report.{to}'":
            return [f"report.{state}" for state in ReportState.values]
        if "economy." in source and "_meta.model_name" in source:
            verbs = ("created", "changed") if "created" in source else ()
            verbs = verbs or (("deleted",) if "deleted" in source else ("year_copied",))
            return [
                f"economy.{model._meta.model_name}_{verb}"
                for model in REGISTER_FIELDS
                for verb in verbs
            ]
        if "_meta.model_name" in source:  # the administration's saves and deletes
            verbs = ("created", "changed") if "created" in source else ("deleted",)
            return [f"{name}.{verb}" for name in _admin_model_names() for verb in verbs]
    raise AssertionError(f"{where}: teach this test the actions of {ast.unparse(node)}")


def recorded_actions() -> dict[str, str]:
    actions: dict[str, str] = {}
    for path, call in _record_calls():
        assert call.args, f"{path}:{call.lineno}: audit.record without an action"
        for action in _expand(call.args[0], f"{path}:{call.lineno}"):
            actions.setdefault(action, f"{path}:{call.lineno}")
    return actions


def test_the_code_records_many_actions():
    actions = recorded_actions()
    assert len(actions) > 100
    assert {"meeting.sent", "memo.skickad", "metric_value.imported", "unit.renamed"} <= set(actions)


def test_every_recorded_action_has_a_swedish_description():
    missing = {
        action: where
        for action, where in recorded_actions().items()
        if not audit_labels.action_label(action)
    }
    assert missing == {}


def test_the_descriptions_read_as_swedish_words():
    assert audit_labels.action_label("meeting.sent") == "Kallelse skickad till nämnden"
    assert audit_labels.action_label("memo.skickad") == "Tjänsteskrivelse skickad till nämnden"
    assert audit_labels.action_label("metric_value.imported") == "Värde inläst från Excel"
    assert audit_labels.action_label("user.changed") == "Användare ändrad i administrationen"
    assert audit_labels.action_label("economy.tariff_created").endswith(" skapad")
    assert audit_labels.action_label("no.such_action") == ""
    assert audit_labels.describe_action("no.such_action") == "no.such_action"
    for label in audit_labels.ACTIONS.values():
        assert "_" not in label and label[0].isupper(), label


def test_object_types_and_roles_have_their_swedish_names():
    assert audit_labels.target_type_label("casework.meeting") == "Sammanträde"
    assert audit_labels.target_type_label("reports.report") == "Rapport"
    assert audit_labels.target_type_label("nosuch.model") == "nosuch.model"
    assert audit_labels.role_label("controller") == "Controller"
    assert audit_labels.role_label("handlaggare") == "Handläggare"
    assert audit_labels.role_label("okand") == "okand"


@pytest.mark.django_db
def test_the_audit_log_shows_names_descriptions_and_role_names(client, administrator):
    carl = UserFactory(
        username="controller", first_name="Carl", last_name="Ekström", role=Role.CONTROLLER
    )
    entry = audit.record(
        "meeting.sent",
        by=carl,
        target=carl,
        changes={"role": (Role.HANDLAGGARE.value, Role.CONTROLLER.value)},
    )
    audit.record("unit.renamed", by=None)
    client.force_login(administrator)
    page = client.get(reverse("admin:solna_sn_auditentry_changelist")).content.decode()
    assert "Carl Ekström" in page
    assert "Kallelse skickad till nämnden" in page
    assert "Enhet bytte namn" in page and "Systemet" in page
    assert "meeting.sent</td>" not in page and ">controller<" not in page
    detail = client.get(
        reverse("admin:solna_sn_auditentry_change", args=[entry.pk])
    ).content.decode()
    assert "role: Handläggare → Controller" in detail
    filtered = client.get(
        reverse("admin:solna_sn_auditentry_changelist"), {"action": "meeting.sent"}
    )
    assert filtered.status_code == 200
    assert AuditEntry.objects.count() == 2
