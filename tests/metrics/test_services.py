import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from metrics import services
from metrics.cells import CellError
from metrics.models import Metric, MetricCategory, MetricValue, MonthState, MonthStatus
from solna_sn.lib.periods import Month
from solna_sn.models import AuditEntry, Role
from tests.factories import UserFactory

SEP = Month(2024, 9)


def save(metric, raw, by, *, month=SEP, version=None, **kwargs):
    if version is None:
        current = MetricValue.objects.filter(metric=metric, month=month.first_day).first()
        version = current.version if current else 0
    return services.value_save(
        metric=metric, month=month, raw=raw, expected_version=version, by=by, **kwargs
    )


def test_saving_a_number_records_version_and_audit(persons, controller):
    outcome = save(persons, "12", controller)
    assert outcome.saved
    value = MetricValue.objects.get()
    assert value.value == Decimal(12) and value.version == 1 and value.updated_by == controller
    entry = AuditEntry.objects.get(action="metric_value.changed")
    assert entry.changes == {"värde": ["", "12"]}
    assert entry.actor_username == "carl"


def test_three_states_are_stored_distinctly(make_metric, controller):
    a, b, c = make_metric(), make_metric(), make_metric()
    save(a, "0", controller)
    save(b, "-", controller)
    save(c, "5", controller)
    save(c, "", controller)
    values = {v.metric_id: v for v in MetricValue.objects.all()}
    assert values[a.pk].value == 0 and not values[a.pk].not_applicable
    assert values[b.pk].value is None and values[b.pk].not_applicable
    assert values[c.pk].value is None and not values[c.pk].not_applicable
    assert not values[c.pk].is_reported


@pytest.mark.parametrize(
    ("raw", "message"),
    [("tolv", "är inte ett tal"), ("2,5", "är inte ett heltal"), ("-1", "negativt")],
)
def test_hard_errors_write_nothing(persons, controller, raw, message):
    with pytest.raises(CellError, match=message):
        save(persons, raw, controller)
    assert not MetricValue.objects.exists()
    assert not AuditEntry.objects.exists()


def test_locked_month_rejects_changes(persons, controller):
    save(persons, "3", controller)
    MonthStatus.objects.create(
        unit=persons.owner,
        month=SEP.first_day,
        state=MonthState.LOCKED,
        locked_at=datetime.datetime.now(datetime.UTC),
        locked_by=controller,
    )
    with pytest.raises(services.LockedMonthError, match="är låst för Vuxenenheten"):
        save(persons, "4", controller)
    assert MetricValue.objects.get().value == 3


def test_month_outside_validity_is_refused(make_metric, controller):
    metric = make_metric(valid_from=datetime.date(2024, 4, 1))
    with pytest.raises(services.MetricsError, match="mäts inte mars 2024"):
        save(metric, "1", controller, month=Month(2024, 3))


def test_only_the_units_controller_may_enter(persons, vuxen):
    other_controller = UserFactory(role=Role.CONTROLLER)
    for user in (
        other_controller,
        UserFactory(role=Role.GRANSKARE),
        UserFactory(role=Role.HANDLAGGARE, units=[vuxen]),
    ):
        with pytest.raises(services.MetricsError, match="får inte rapportera"):
            save(persons, "1", user)


def test_stale_save_never_overwrites_a_newer_value(persons, controller):
    save(persons, "3", controller)  # version 1 (seen by both tabs)
    save(persons, "4", controller, version=1)  # first tab saves: version 2
    with pytest.raises(services.StaleValueError) as error:
        save(persons, "5", controller, version=1)  # second tab still thinks version 1
    assert "Det sparade värdet är nu ”4”" in str(error.value)
    assert error.value.current.version == 2
    assert MetricValue.objects.get().value == 4


def test_outlier_needs_confirmation_with_comment(persons, controller):
    for month in range(1, 9):
        save(persons, str(10 + month % 3), controller, month=Month(2024, month))
    outcome = save(persons, "90", controller)
    assert not outcome.saved
    assert "ligger långt utanför" in outcome.warnings[0]
    assert not MetricValue.objects.reported().filter(month=SEP.first_day).exists()
    with pytest.raises(services.MetricsError, match="Skriv en kommentar"):
        save(persons, "90", controller, confirm=True)
    outcome = save(persons, "90", controller, confirm=True, comment="Ny placering av grupp")
    assert outcome.saved
    value = MetricValue.objects.get(month=SEP.first_day)
    assert value.comment == "Ny placering av grupp"
    assert AuditEntry.objects.filter(reason="Ny placering av grupp").exists()


def test_care_days_rule_warns_in_both_directions(persons, care_days, controller):
    feb = Month(2022, 2)
    save(persons, "8", controller, month=feb)
    outcome = save(care_days, "240", controller, month=feb)
    assert not outcome.saved
    assert outcome.warnings == [
        "Missbruk, antal vård dygn (240) är fler än dygnetruntplaceringar, antal personer × "
        "dagar i månaden (8 × 28 = 224)."
    ]
    save(care_days, "224", controller, month=feb)
    outcome = save(persons, "7", controller, month=feb)
    assert not outcome.saved and "224" in outcome.warnings[0]


def test_unchanged_value_is_not_saved_again(persons, controller):
    save(persons, "3", controller)
    outcome = save(persons, "3", controller)
    assert not outcome.saved
    assert MetricValue.objects.get().version == 1
    assert AuditEntry.objects.count() == 1


def test_month_workflow_report_lock_reopen(persons, controller, granskare):
    with pytest.raises(services.MetricsError, match="1 mått saknar värde"):
        services.month_mark_reported(unit=persons.owner, month=SEP, by=controller)
    save(persons, "-", controller)
    status = services.month_mark_reported(unit=persons.owner, month=SEP, by=controller)
    assert status.state == MonthState.REPORTED
    status = services.month_lock(unit=persons.owner, month=SEP, by=granskare)
    assert status.state == MonthState.LOCKED and status.locked_by == granskare
    with pytest.raises(services.MetricsError, match="granskare eller förvaltningschefen"):
        services.month_reopen(unit=persons.owner, month=SEP, reason="Fel", by=controller)
    with pytest.raises(services.MetricsError, match="Ange varför"):
        services.month_reopen(unit=persons.owner, month=SEP, reason="  ", by=granskare)
    status = services.month_reopen(unit=persons.owner, month=SEP, reason="Rättelse", by=granskare)
    assert status.state == MonthState.OPEN and status.locked_at is None
    reopened = AuditEntry.objects.get(action="metric_month.reopened")
    assert reopened.reason == "Rättelse" and reopened.changes == {"läge": ["Låst", "Öppen"]}


def test_lock_requires_a_reported_month(persons, controller):
    with pytest.raises(services.MetricsError, match="måste vara inrapporterad"):
        services.month_lock(unit=persons.owner, month=SEP, by=controller)


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_the_same_cell_never_both_win(persons, controller):
    """Two transactions read version 0 at once; the row lock lets only one of them save."""
    results = []
    barrier = threading.Barrier(2)

    def worker(raw):
        try:
            barrier.wait()
            results.append(
                (
                    "ok",
                    services.value_save(
                        metric=persons, month=SEP, raw=raw, expected_version=0, by=controller
                    ),
                )
            )
        except Exception as error:
            results.append(("error", error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(raw,)) for raw in ("1", "2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kinds = sorted(kind for kind, _ in results)
    assert MetricValue.objects.count() == 1
    assert MetricValue.objects.get().version == 1
    assert kinds == ["error", "ok"]


def test_jump_from_zero_or_dash_needs_confirmation(persons, controller):
    """1 023 where the series is 0 and "-": too little history for the outlier check."""
    for month, raw in ((5, "0"), (6, "-"), (7, "0"), (8, "0")):
        assert save(persons, raw, controller, month=Month(2024, month)).saved
    outcome = save(persons, "1 023", controller)
    assert not outcome.saved
    assert outcome.warnings == [
        "1 023 är ett stort hopp: de 4 tidigare rapporterade månaderna (senaste 24) är alla "
        "0 eller ”-”."
    ]


def test_value_outside_the_catalogues_range_is_a_hard_error(make_metric, controller):
    metric = make_metric(min_value=Decimal(0), max_value=Decimal(100))
    with pytest.raises(CellError, match="högre än det högsta tillåtna värdet för måttet, 100"):
        save(metric, "101", controller, confirm=True, comment="Stämmer")
    assert not MetricValue.objects.exists()
    assert save(metric, "100", controller).saved


def test_number_too_large_for_the_column_is_refused(persons, controller):
    with pytest.raises(CellError, match="Talet är för stort"):
        save(persons, "999999999999999", controller)
    assert not MetricValue.objects.exists()


@pytest.mark.parametrize(
    ("comment", "message"),
    [("Ny\x00placering", "otillåtna styrtecken"), ("x" * 100_000, "Texten är för lång")],
)
def test_comment_with_control_characters_or_too_long_is_refused(
    persons, controller, comment, message
):
    with pytest.raises(services.MetricsError, match=message):
        save(persons, "5", controller, comment=comment)
    assert not MetricValue.objects.reported().exists()


@pytest.mark.parametrize("reason", ["Rättelse\x00", "x" * 100_000])
def test_reopen_reason_with_control_characters_or_too_long_is_refused(
    persons, controller, granskare, reason
):
    save(persons, "-", controller)
    services.month_mark_reported(unit=persons.owner, month=SEP, by=controller)
    with pytest.raises(services.MetricsError, match=r"styrtecken|för lång"):
        services.month_reopen(unit=persons.owner, month=SEP, reason=reason, by=granskare)
    assert MonthStatus.objects.get().state == MonthState.REPORTED


def test_months_after_the_current_one_cannot_be_reported(persons, controller, settings):
    today = Month.from_date(timezone.localdate())
    with pytest.raises(services.MetricsError, match="har inte börjat"):
        save(persons, "3", controller, month=today.next())
    assert save(persons, "3", controller, month=today).saved
    settings.METRICS_ALLOW_NEXT_MONTH = True
    assert save(persons, "3", controller, month=today.next()).saved
    with pytest.raises(services.MetricsError, match="har inte börjat"):
        save(persons, "3", controller, month=today.next().next())


def test_range_is_kept_in_the_catalogue_and_edited_in_the_admin(client, persons):
    from django.core.exceptions import ValidationError
    from django.urls import reverse

    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    html = client.get(reverse("admin:metrics_metric_change", args=[persons.pk])).content.decode()
    assert 'name="min_value"' in html and 'name="max_value"' in html
    assert "lägsta tillåtna värde" in html.lower()
    persons.min_value, persons.max_value = Decimal(10), Decimal(5)
    with pytest.raises(ValidationError, match="kan inte vara lägre än det lägsta"):
        persons.full_clean()


def test_the_missing_metrics_are_named_with_their_category(make_metric, controller):
    children = MetricCategory.objects.create(code="BARN", title="Barn, 0-12 år", sort_order=1)
    youth = MetricCategory.objects.create(code="UNG", title="Ungdom, 13-20 år", sort_order=2)
    make_metric(code="BF", title="Familjehemsvård, antal personer", category=children)
    make_metric(code="UF", title="Familjehemsvård, antal personer", category=youth)
    unit = Metric.objects.get(code="BF").owner
    with pytest.raises(services.MetricsError) as raised:
        services.month_mark_reported(unit=unit, month=SEP, by=controller)
    assert str(raised.value).startswith(
        "2 mått saknar värde för september 2024: Barn: Familjehemsvård, antal personer; "
        "Ungdom: Familjehemsvård, antal personer."
    )
    assert not MonthStatus.objects.filter(unit=unit, state=MonthState.REPORTED).exists()
