"""What the README says about the demo is true of the loaded demo (issue 14, item 17).

The figures are read out of README.md itself (the demo paragraph and the table of demo
logins), so a README edit that no longer matches the demo, or a demo change the README does
not follow, fails here.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from casework.models import Decision, Meeting, MemoState
from metrics import services as metric_services
from metrics.models import Metric, MetricValue, MonthState, MonthStatus
from reports.models import Report, ReportState
from solna_sn.lib.periods import MONTH_NAMES, Month
from solna_sn.models import Committee, Role, Unit, User

README = Path(__file__).resolve().parents[2] / "README.md"
NUMBER_WORDS = {"två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8}


def readme_text() -> str:
    """The README with line breaks as spaces (the paragraphs are wrapped)."""
    return re.sub(r"\s+", " ", README.read_text())


def stated(pattern: str) -> re.Match:
    found = re.search(pattern, readme_text())
    assert found, f"README.md no longer says: {pattern}"
    return found


def month_of(name: str, year: str) -> Month:
    return Month(int(year), MONTH_NAMES.index(name) + 1)


def day_of(day: str, name: str, year: str) -> str:
    return f"{year}-{MONTH_NAMES.index(name) + 1:02d}-{int(day):02d}"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def loaded(demo, db):
    return None


def test_the_committee_and_its_units(loaded):
    found = stated(
        r"Solna stad, Socialnämnden \(diarieprefix (\w+)\), Socialförvaltningen med (\w+) enheter"
    )
    committee = Committee.objects.get(name="Socialnämnden")
    assert committee.municipality.name == "Solna stad"
    assert committee.dnr_prefix == found[1]
    assert (
        Unit.objects.filter(administration__name="Socialförvaltningen").count()
        == (NUMBER_WORDS[found[2]])
    )


def test_the_metrics_and_which_months_are_locked_and_open(loaded):
    found = stated(
        r"alla (\d+) verksamhetsmått (\d{4})–(\d{4}) .*?månaderna till och med (\w+) (\d{4}) är "
        r"inrapporterade och låsta, (\w+) (\d{4}) och månaderna därefter till och med "
        r"innevarande månad är öppna för rapportering"
    )
    assert Metric.objects.count() == int(found[1])
    years = sorted({day.year for day in MetricValue.objects.values_list("month", flat=True)})
    assert (years[0], years[-1]) == (int(found[2]), int(found[3]))
    last_locked = month_of(found[4], found[5])
    first_open = month_of(found[6], found[7])
    assert first_open == last_locked.next()
    owners = list(Unit.objects.filter(metrics__isnull=False).distinct())
    assert owners
    statuses = {(s.unit_id, s.month): s.state for s in MonthStatus.objects.all()}
    for unit in owners:
        month = Month(int(found[2]), 1)
        while month <= last_locked:
            assert statuses.get((unit.pk, month.first_day)) == MonthState.LOCKED, (unit, month)
            month = month.next()
        # The first open month and every later one up to this month can be reported.
        assert statuses.get((unit.pk, first_open.first_day), MonthState.OPEN) == MonthState.OPEN
        assert not any(
            state != MonthState.OPEN
            for (unit_id, day), state in statuses.items()
            if unit_id == unit.pk and day >= first_open.first_day
        )
    assert metric_services.last_reportable_month() >= first_open


def test_the_meeting_of_7_october_2024_has_13_arenden_in_12_rows(loaded):
    found = stated(
        r"Sammanträdet den (\d+) (\w+) (\d{4}) finns med sina (\d+) ärenden på (\d+) rader i "
        r"ärendelistan \(sekretessärendena ([\d-]+) på en rad och (\d+)\)"
    )
    meeting = Meeting.objects.get(date=day_of(found[1], found[2], found[3]))
    labels = list(meeting.items.order_by("position").values_list("label", flat=True))
    assert len(labels) == int(found[5])
    numbers = []
    for label in labels:
        first, _, last = label.partition("-")
        numbers += list(range(int(first), int(last or first) + 1))
    assert numbers == list(range(1, int(found[4]) + 1))
    secret = set(meeting.items.filter(confidential=True).values_list("label", flat=True))
    assert secret == {found[6], found[7]}
    assert meeting.sent_at is not None


def test_the_meeting_of_4_december_2023_and_the_coming_one(loaded):
    found = stated(r"sammanträdet den (\d+) (\w+) (\d{4}) med § (\d+) och dess återrapportering")
    decision = Decision.objects.get(
        meeting__date=day_of(found[1], found[2], found[3]), paragraph=int(found[4])
    )
    assert decision.report_back_required
    stated(r"ett kommande sammanträde med en tjänsteskrivelse som utkast")
    coming = Meeting.objects.get(sent_at__isnull=True)
    assert [item.memo.state for item in coming.items.exclude(memo=None)] == [MemoState.DRAFT]


def test_the_reports(loaded):
    stated(
        r"Demo: delårsrapporten\s+per augusti 2024 \(återförd en gång från granskningen, "
        r"skickad, i läsrummet\) och en\s+årsredovisning 2024 under arbete"
    )
    interim = Report.objects.get(year=2024, kind__name__icontains="delårsrapport")
    assert interim.state == ReportState.SENT
    steps = list(interim.versions.order_by("number").values_list("state", flat=True))
    assert steps == ["granskning", "granskning", "godkand", "skickad"]  # returned once
    annual = Report.objects.get(year=2024, kind__name__icontains="årsredovisning")
    assert annual.state in (ReportState.DRAFT, ReportState.REVIEW)


def test_the_demo_logins(loaded):
    text = README.read_text()
    logins = text[text.index("Demoinloggningar") : text.index("Demodata:")]
    rows = re.findall(r"^\| `(\w+)` \| (\w+)", logins, flags=re.MULTILINE)
    assert len(rows) == 6
    for username, role in rows:
        assert User.objects.get(username=username).get_role_display() == role
    assert {u for u, _ in rows} == set(User.objects.values_list("username", flat=True))
    assert {r for _, r in rows} == set(Role.labels)
