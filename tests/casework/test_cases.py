"""Diarienummer: allocation, hand-entered numbers, and two registrations at the same moment."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from casework import services
from casework.models import Case, DnrCounter
from solna_sn.models import AuditEntry, Role
from tests.factories import UserFactory

DAY = datetime.date(2024, 10, 1)


def register(committee, by, title="Ärende", **kwargs):
    kwargs.setdefault("today", DAY)
    return services.case_register(committee=committee, title=title, by=by, **kwargs)


def test_numbers_run_per_year(committee, handlaggare):
    assert register(committee, handlaggare).dnr == "SN/2024:1"
    assert register(committee, handlaggare).dnr == "SN/2024:2"
    next_year = register(committee, handlaggare, today=datetime.date(2025, 1, 2))
    assert next_year.dnr == "SN/2025:1"
    entry = AuditEntry.objects.filter(action="case.registered").first()
    assert entry.changes["dnr"] == [None, "SN/2025:1"] and entry.actor_username == "hanna"


def test_a_hand_entered_number_moves_the_series_past_it(committee, handlaggare):
    assert register(committee, handlaggare, dnr=" sn/2024:5 ").dnr == "SN/2024:5"
    assert register(committee, handlaggare).dnr == "SN/2024:6"
    # A free lower number from the old diarium can still be entered by hand.
    assert register(committee, handlaggare, dnr="SN/2024:2").dnr == "SN/2024:2"
    assert register(committee, handlaggare).dnr == "SN/2024:7"
    # An ärende opened in an earlier year keeps that year (SN/2023:1 in a 2024 report).
    assert register(committee, handlaggare, dnr="SN/2023:1").year == 2023


def test_numbers_are_never_reused(committee, handlaggare):
    first = register(committee, handlaggare)
    Case.objects.filter(pk=first.pk).delete()  # even if a row disappeared
    assert register(committee, handlaggare).dnr == "SN/2024:2"


@pytest.mark.parametrize(
    ("dnr", "message"),
    [
        ("SN/24:1", "fyra siffror"),
        ("SN/2024:", "löpnumret saknas"),
        ("SN2024:5", "inget diarienummer"),
        ("SN/2024:07", "får inte börja med 0"),
        ("SN/2024:abc", "bara innehålla siffror"),
        ("ON/2024:5", "har prefixet SN"),
        ("SN/2031:5", "har inte börjat"),
    ],
)
def test_malformed_or_foreign_numbers_are_refused(committee, handlaggare, dnr, message):
    with pytest.raises(ValidationError) as caught:
        register(committee, handlaggare, dnr=dnr)
    assert message in caught.value.message_dict["dnr"][0]
    assert not Case.objects.exists()


def test_a_duplicate_number_is_refused(committee, handlaggare):
    register(committee, handlaggare, dnr="SN/2024:82")
    with pytest.raises(ValidationError) as caught:
        register(committee, handlaggare, dnr="SN/2024:82", title="Annat")
    assert caught.value.message_dict["dnr"] == ["Diarienumret SN/2024:82 finns redan."]
    assert Case.objects.count() == 1


def test_title_is_required(committee, handlaggare):
    with pytest.raises(ValidationError) as caught:
        register(committee, handlaggare, title="  ")
    assert caught.value.message_dict == {"title": ["Ange ärendets rubrik."]}


def test_nämndledamot_cannot_register(committee, member):
    with pytest.raises(PermissionDenied):
        register(committee, member)


@pytest.mark.django_db(transaction=True)
def test_two_registrations_at_the_same_moment_get_different_numbers(unit):
    from solna_sn.models import Committee

    committee = Committee.objects.get(code="SN")
    users = [UserFactory(role=Role.HANDLAGGARE, units=[unit]) for _ in range(2)]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def work(user):
        try:
            barrier.wait(timeout=10)
            for _ in range(5):
                results.append(register(committee, user).number)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(results) == list(range(1, 11))
    assert DnrCounter.objects.get(committee=committee, year=2024).last_number == 10


@pytest.mark.django_db(transaction=True)
def test_allocation_waits_for_an_open_transaction(unit):
    """A second registration blocks on the counter row until the first commits."""
    import psycopg
    from django.conf import settings

    from solna_sn.models import Committee

    committee = Committee.objects.get(code="SN")
    user = UserFactory(role=Role.HANDLAGGARE, units=[unit])
    register(committee, user)  # creates the counter row: last_number = 1
    db = settings.DATABASES["default"]
    other = psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"], autocommit=False
    )
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT last_number FROM casework_dnrcounter WHERE year = 2024 FOR UPDATE"
            )
            assert cursor.fetchone() == (1,)
            done = threading.Event()
            numbers = []

            def allocate():
                numbers.append(register(committee, user).number)
                connection.close()
                done.set()

            thread = threading.Thread(target=allocate)
            thread.start()
            assert not done.wait(timeout=1.0)  # still waiting for the lock
            cursor.execute("UPDATE casework_dnrcounter SET last_number = 7 WHERE year = 2024")
        other.commit()
        thread.join(timeout=30)
        assert numbers == [8]
    finally:
        other.close()
