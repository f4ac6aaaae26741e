import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from solna_sn import audit, services
from solna_sn.models import AuditEntry, Role, Unit, UnitName
from tests.factories import CommitteeFactory, UnitFactory, UserFactory


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role=Role.ADMINISTRATOR)


def test_unit_rename_keeps_the_old_name_for_earlier_dates(admin_user):
    unit = UnitFactory(name="Stab och central ledning", valid_from=datetime.date(2015, 1, 1))
    services.unit_rename(
        unit=unit,
        new_name="Stabsenheten",
        effective=datetime.date(2023, 1, 1),
        by=admin_user,
        reason="Ny organisation",
    )
    unit.refresh_from_db()
    assert unit.name == "Stabsenheten"
    assert unit.name_on(datetime.date(2022, 12, 31)) == "Stab och central ledning"
    assert unit.name_on(datetime.date(2023, 1, 1)) == "Stabsenheten"
    entry = AuditEntry.objects.get(action="unit.renamed")
    assert entry.actor_username == "admin"
    assert entry.changes["name"] == ["Stab och central ledning", "Stabsenheten"]
    assert entry.reason == "Ny organisation"


def test_second_rename_continues_the_history(admin_user):
    unit = UnitFactory(name="A", valid_from=datetime.date(2015, 1, 1))
    services.unit_rename(
        unit=unit, new_name="B", effective=datetime.date(2020, 1, 1), by=admin_user
    )
    services.unit_rename(
        unit=unit, new_name="C", effective=datetime.date(2023, 1, 1), by=admin_user
    )
    names = list(
        UnitName.objects.filter(unit=unit)
        .order_by("valid_from")
        .values_list("name", "valid_from", "valid_to")
    )
    assert names == [
        ("A", datetime.date(2015, 1, 1), datetime.date(2019, 12, 31)),
        ("B", datetime.date(2020, 1, 1), datetime.date(2022, 12, 31)),
    ]
    assert unit.name_on(datetime.date(2021, 5, 5)) == "B"


@pytest.mark.parametrize(
    ("new_name", "effective", "message"),
    [
        ("", datetime.date(2023, 1, 1), "Ange enhetens nya namn."),
        ("Enheten", datetime.date(2023, 1, 1), "samma som det nuvarande"),
        ("Nytt", datetime.date(2015, 1, 1), "efter att enheten började gälla"),
    ],
)
def test_bad_renames_are_refused_and_change_nothing(admin_user, new_name, effective, message):
    unit = UnitFactory(name="Enheten", valid_from=datetime.date(2015, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.unit_rename(unit=unit, new_name=new_name, effective=effective, by=admin_user)
    assert message in str(error.value)
    unit.refresh_from_db()
    assert unit.name == "Enheten"
    assert not UnitName.objects.exists()
    assert not AuditEntry.objects.exists()


def test_rename_before_the_previous_rename_is_refused(admin_user):
    unit = UnitFactory(name="A", valid_from=datetime.date(2015, 1, 1))
    services.unit_rename(
        unit=unit, new_name="B", effective=datetime.date(2020, 1, 1), by=admin_user
    )
    with pytest.raises(ValidationError, match="senaste namnbytet"):
        services.unit_rename(
            unit=unit, new_name="C", effective=datetime.date(2019, 1, 1), by=admin_user
        )


def test_database_refuses_end_before_start(db):
    unit = UnitFactory()
    unit.valid_to = datetime.date(2014, 12, 31)
    with pytest.raises(IntegrityError), transaction.atomic():
        unit.save()


def test_dnr_prefix_must_be_unique_and_well_formed(db):
    committee = CommitteeFactory()
    committee.dnr_prefix = "s1"
    with pytest.raises(ValidationError) as error:
        committee.full_clean()
    assert "Diarieprefixet ska vara 2–5 versaler" in str(error.value)


def test_valid_on_filters_by_validity(db):
    old = UnitFactory(valid_from=datetime.date(2015, 1, 1), valid_to=datetime.date(2020, 12, 31))
    current = UnitFactory(valid_from=datetime.date(2021, 1, 1))
    assert list(Unit.objects.valid_on(datetime.date(2020, 6, 1))) == [old]
    assert list(Unit.objects.valid_on(datetime.date(2024, 6, 1))) == [current]


def test_organisation_page_lists_units_and_earlier_names(client, admin_user):
    unit = UnitFactory(name="Stab och central ledning", code="STAB")
    services.unit_rename(
        unit=unit, new_name="Stabsenheten", effective=datetime.date(2023, 1, 1), by=admin_user
    )
    client.force_login(UserFactory(role=Role.HANDLAGGARE))
    html = client.get(reverse("organisation")).content.decode()
    assert "Socialnämnden" in html and "(diarieprefix SN)" in html
    assert "<caption>Socialförvaltningen: enheter</caption>" in html
    assert "Stabsenheten" in html
    assert 'Stab och central ledning (till <span class="date">2022-12-31</span>)' in html


def test_organisation_page_query_count_is_constant(client, db, django_assert_num_queries):
    client.force_login(UserFactory(role=Role.HANDLAGGARE))
    UnitFactory()
    with django_assert_num_queries(7) as one:
        client.get(reverse("organisation"))
    UnitFactory(), UnitFactory()
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("organisation"))


def test_admin_rename_goes_through_the_service_and_is_audited(client, admin_user):
    unit = UnitFactory(name="Stab och central ledning", code="STAB")
    client.force_login(admin_user)
    url = reverse("admin:solna_sn_unit_change", args=[unit.pk])
    response = client.post(
        url,
        {
            "administration": unit.administration_id,
            "code": "STAB",
            "name": "Stabsenheten",
            "renamed_from": "2023-01-01",
            "rename_reason": "Omorganisation",
            "sort_order": "10",
            "valid_from": "2015-01-01",
            "valid_to": "",
            "earlier_names-TOTAL_FORMS": "0",
            "earlier_names-INITIAL_FORMS": "0",
            "earlier_names-MIN_NUM_FORMS": "0",
            "earlier_names-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit.refresh_from_db()
    assert unit.name == "Stabsenheten"
    assert unit.name_on(datetime.date(2022, 1, 1)) == "Stab och central ledning"
    renamed = AuditEntry.objects.get(action="unit.renamed")
    assert renamed.reason == "Omorganisation"


def test_admin_change_records_old_and_new_values(client, admin_user):
    unit = UnitFactory(sort_order=10)
    client.force_login(admin_user)
    client.post(
        reverse("admin:solna_sn_unit_change", args=[unit.pk]),
        {
            "administration": unit.administration_id,
            "code": unit.code,
            "name": unit.name,
            "sort_order": "20",
            "valid_from": "2015-01-01",
            "valid_to": "",
            "earlier_names-TOTAL_FORMS": "0",
            "earlier_names-INITIAL_FORMS": "0",
            "earlier_names-MIN_NUM_FORMS": "0",
            "earlier_names-MAX_NUM_FORMS": "1000",
        },
    )
    entry = AuditEntry.objects.get(action="unit.changed")
    assert entry.changes == {"sort_order": [10, 20]}
    assert entry.target_id == str(unit.pk)


def test_audit_trail_is_read_only_in_the_admin(client, admin_user):
    entry = audit.record("test.done", by=admin_user, reason="Prov")
    client.force_login(admin_user)
    listing = client.get(reverse("admin:solna_sn_auditentry_changelist")).content.decode()
    assert "test.done" in listing
    assert client.get(reverse("admin:solna_sn_auditentry_add")).status_code == 403
    response = client.post(
        reverse("admin:solna_sn_auditentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_audit_record_and_diff(admin_user):
    unit = UnitFactory(name="X")
    changes = audit.diff({"a": 1, "b": "x"}, {"a": 2, "b": "x", "c": None})
    assert changes == {"a": (1, 2)}
    entry = audit.record(
        "unit.checked", target=unit, by=admin_user, changes=changes, reason="  kontroll  "
    )
    assert entry.target_type == "solna_sn.unit"
    assert entry.target_repr == "X"
    assert entry.reason == "kontroll"
    assert list(audit.entries_for(unit)) == [entry]
    system = audit.record("system.cleanup", by=None)
    assert system.actor_id is None and system.actor_username == ""
