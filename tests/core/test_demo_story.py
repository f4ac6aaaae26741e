"""The demo happens on the dates of its story, not on the day it is loaded: months of 2024
locked in 2024, the kallelse of 7 October 2024 sent before that meeting, audit entries and
created/updated times of demo objects in their story's time. Only the coming meeting (the
next Monday at least two weeks from today, with its draft memo) is of today."""

import datetime

from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, Meeting, Memo
from controls import services as control_services
from controls.models import ControlPlan
from metrics.models import MonthState, MonthStatus
from solna_sn.demo import Story, story_datetime
from solna_sn.lib.periods import Month, year_to_open
from solna_sn.models import AuditEntry, Committee, User

# The story ends with the årsredovisning 2024 in progress, in January 2025.
STORY_END = story_datetime(datetime.date(2025, 2, 1), 0)


def test_demo_events_carry_the_dates_of_their_story(db, client):
    call_command("load_demo")
    today = timezone.localdate()
    coming = Meeting.objects.get(sent_at__isnull=True)
    assert coming.date > today
    coming_case = Case.objects.get(agenda_items__meeting=coming)
    coming_memo = Memo.objects.get(case=coming_case)

    # Every timestamp of the product's tables lies in the story, except the coming meeting's.
    today_rows = {
        "casework.case": {coming_case.pk},
        "casework.memo": {coming_memo.pk},
    }
    late = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateTimeField) or model is AuditEntry:
                continue
            rows = model._base_manager.filter(**{f"{field.attname}__gte": STORY_END}).exclude(
                pk__in=today_rows.get(model._meta.label_lower, set())
            )
            late += [f"{model._meta.label}.{field.attname}: {row}" for row in rows[:3]]
    assert late == []
    late_entries = AuditEntry.objects.filter(at__gte=STORY_END).exclude(
        target_type="casework.meeting", target_id=str(coming.pk)
    )
    late_entries = late_entries.exclude(
        target_type="casework.case", target_id=str(coming_case.pk)
    ).exclude(target_type="casework.memo", target_id=str(coming_memo.pk))
    assert list(late_entries.values_list("action", "target_repr")) == []
    # The coming meeting's are of today.
    assert (
        AuditEntry.objects.get(action="case.registered", target_id=str(coming_case.pk)).at.date()
        == today
    )

    # Months are reported and locked shortly after they end, in the story.
    for status in MonthStatus.objects.filter(month__year=2024):
        month = Month.from_date(status.month)
        assert status.state == MonthState.LOCKED
        assert month.last_day < status.reported_at.date() < status.locked_at.date()
        assert status.locked_at.date() <= month.last_day + datetime.timedelta(days=31)
    assert MonthStatus.objects.get(month="2024-08-01", unit__code="EA").locked_at.year == 2024

    # The kallelse of 7 October 2024 went out before the meeting, after its memos were approved.
    october = Meeting.objects.get(date=datetime.date(2024, 10, 7))
    assert october.sent_at.date() < october.date
    sent_entry = AuditEntry.objects.get(action="meeting.sent", target_id=str(october.pk))
    assert sent_entry.at == october.sent_at
    memos = Memo.objects.filter(agenda_items__meeting=october).distinct()
    assert memos.count() >= 5
    for memo in memos:
        assert memo.sent_at == october.sent_at
        assert memo.created_at.date() == memo.date
        approved = AuditEntry.objects.get(action="memo.godkand", target_id=str(memo.pk))
        assert memo.created_at < approved.at < october.sent_at
    # The earlier meeting, of 4 December 2023, in 2023.
    earlier = Meeting.objects.get(date=datetime.date(2023, 12, 4))
    assert datetime.date(2023, 11, 1) < earlier.sent_at.date() < earlier.date

    # The audit trail reads in the order of the story: what the nämnd decided in October 2024
    # comes after what was prepared for it.
    assert AuditEntry.objects.filter(at__year=2023).exists()
    assert AuditEntry.objects.filter(at__year=2024).count() > 100
    assert User.objects.get(username="controller").date_joined.year == 2023

    # Pages that open on this year open on the latest year with data while this one is empty.
    client.force_login(User.objects.get(username="granskare"))
    year = year_to_open(today.year, [2024])
    response = client.get(reverse("contracts:plan_index"))
    assert response["Location"] == reverse("contracts:plan_detail", args=[year])
    page = client.get(reverse("controls:index")).content.decode()
    years = sorted(set(ControlPlan.objects.values_list("year", flat=True)))
    current = control_services.current_plan(
        Committee.objects.get(code="SN"), year_to_open(today.year, years)
    )
    assert reverse("controls:plan_detail", args=[current.pk]) in page


def test_the_2024_risk_matrix_has_the_factors(db):
    call_command("load_demo")
    plan = ControlPlan.objects.get(year=2024)
    risks = list(plan.risks.all())
    assert len(risks) == 9
    for risk in risks:
        assert risk.likelihood and risk.consequence
        assert risk.likelihood * risk.consequence == risk.risk_index


def test_a_story_step_moves_what_was_written_since_the_previous_one(db):
    story = Story()
    user = User.objects.create(username="ny", role="handlaggare")
    story.happened(datetime.date(2024, 3, 4), 9)
    later = User.objects.create(username="senare", role="handlaggare")
    story.skip()
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    story.happened(datetime.date(2024, 3, 5), 9)
    user.refresh_from_db()
    later.refresh_from_db()
    assert user.date_joined == story_datetime(datetime.date(2024, 3, 4), 9)
    assert user.last_login == story_datetime(datetime.date(2024, 3, 5), 9)
    assert later.date_joined.date() == timezone.localdate()  # skipped: real time
