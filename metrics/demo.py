"""Demo catalogue and values: all 36 series of the Delårsrapport 2024 (2022–2024), read from
`shared/fixtures/verksamhetsmatt-delarsrapport-2024.tsv` (or the copy in metrics/fixtures/).
Months up to August 2024 are locked, September 2024 is open. Idempotent."""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from metrics.cells import CellKind
from metrics.models import (
    Aggregation,
    Metric,
    MetricCategory,
    MetricRule,
    MetricValue,
    MonthState,
    MonthStatus,
    RuleKind,
)
from solna_sn.demo import story_datetime
from solna_sn.lib.periods import Month, months_between
from solna_sn.models import Unit

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "verksamhetsmatt-2022-2024.tsv"
APRIL_2024 = datetime.date(2024, 4, 1)
DEFAULT_START = datetime.date(2015, 1, 1)

CATEGORIES = [
    ("EB", "Ekonomiskt bistånd", "EA"),
    ("BARN", "Barn, 0-12 år", "BOU"),
    ("UNGDOM", "Ungdom, 13-20 år", "BOU"),
    ("EKB", "Ensamkommande flyktingbarn", "BOU"),
    ("VUXNA", "Vuxna", "VUX"),
    ("VINR", "Våld i nära relation", "VUX"),
]


@dataclass(frozen=True)
class Series:
    code: str
    category: str
    title: str
    measure_unit: str
    aggregation: str = Aggregation.MEAN
    valid_from: datetime.date = DEFAULT_START
    valid_to: datetime.date | None = None
    predecessor: str | None = None
    days_limit_of: str | None = (
        None  # code of the persons metric this care-days metric is checked against
    )


S, M = Aggregation.SUM, Aggregation.MEAN
P, D = "antal personer", "vårddygn"
SERIES = [
    Series("EB-HUSHALL", "EB", "Antal hushåll med utbetalningar", "antal hushåll"),
    Series("EB-SNITTBIDRAG", "EB", "Snittbidrag per månad, kr", "kr"),
    Series("BARN-FH-PERS", "BARN", "Familjehemsvård, antal personer", P),
    Series(
        "BARN-FH-DYGN",
        "BARN",
        "Familjehemsvård, antal vårddygn",
        D,
        S,
        days_limit_of="BARN-FH-PERS",
    ),
    Series("BARN-DR-PERS", "BARN", "Dygnetrutplaceringar, antal personer", P),
    Series(
        "BARN-DR-DYGN",
        "BARN",
        "Dygnetruntplaceringar, antal vård dygn",
        D,
        S,
        days_limit_of="BARN-DR-PERS",
    ),
    Series(
        "BARN-SKYDD",
        "BARN",
        "Placering Skyddat boende (från 2024-04-01)",
        P,
        valid_from=APRIL_2024,
        predecessor="VINR-MEDFOLJ",
    ),
    Series(
        "BARN-AKTUAL",
        "BARN",
        "Aktualiseringar utifrån misstanke om eller risk för gängkriminalitet",
        "antal",
        S,
        valid_from=APRIL_2024,
    ),
    Series("UNG-FH-PERS", "UNGDOM", "Familjehemsvård, antal personer", P),
    Series(
        "UNG-FH-DYGN",
        "UNGDOM",
        "Familjehemsvård, antal vård dygn",
        D,
        S,
        days_limit_of="UNG-FH-PERS",
    ),
    Series("UNG-DR-PERS", "UNGDOM", "Dygnetruntplaceringar, antal personer", P),
    Series(
        "UNG-DR-DYGN",
        "UNGDOM",
        "Dygnetruntplaceringar, antal vård dygn",
        D,
        S,
        days_limit_of="UNG-DR-PERS",
    ),
    Series(
        "UNG-SKYDD",
        "UNGDOM",
        "Placering Skyddat boende (från 2024-04-01)",
        P,
        valid_from=APRIL_2024,
        predecessor="VINR-MEDFOLJ",
    ),
    Series(
        "UNG-AKTUAL",
        "UNGDOM",
        "Aktualiseringar utifrån misstanke om eller risk för gängkriminalitet",
        "antal",
        S,
        valid_from=APRIL_2024,
    ),
    Series("EKB-ASYL", "EKB", "Asylbarn (anvisade), antal personer", P),
    Series("EKB-PUT", "EKB", "Barn med permanent uppehållstillstånd, antal personer", P),
    Series("EKB-TUT", "EKB", "Barn med tillfälligt uppehållstillstånd, antal personer", P),
    Series("VUX-MISSBRUK-PERS", "VUXNA", "Dygnetruntplaceringar missbruk, antal personer", P),
    Series("VUX-LVM", "VUXNA", "Placering enligt LVM, antal personer", P),
    Series("VUX-MISSBRUK-DYGN", "VUXNA", "Missbruk, antal vård dygn", D, S),
    Series(
        "VUX-SOCPSYK-PERS",
        "VUXNA",
        "Dygnetruntplaceringar socialpsykiatri, exkl. egna gruppboenden",
        P,
    ),
    Series(
        "VUX-SOCPSYK-DYGN",
        "VUXNA",
        "Socialpsykiatri, antal vård dygn exkl. egna gruppboenden",
        D,
        S,
        days_limit_of="VUX-SOCPSYK-PERS",
    ),
    Series("VUX-SAMSJUK-PERS", "VUXNA", "Dygnetruntplaceringar samsjuklighet, antal personer", P),
    Series(
        "VUX-SAMSJUK-DYGN",
        "VUXNA",
        "Samsjuklighet, antal vård dygn",
        D,
        S,
        days_limit_of="VUX-SAMSJUK-PERS",
    ),
    Series(
        "VUX-AVHOPP",
        "VUXNA",
        "Avhopparverksamhet, antal personer aktuella för utredning och insats",
        P,
        valid_from=APRIL_2024,
    ),
    Series(
        "VUX-AVHOPP-DR",
        "VUXNA",
        "Dygnetruntplaceringar avhopparverksamhet, antal personer",
        P,
        valid_from=APRIL_2024,
    ),
    Series("VINR-PAGAENDE", "VINR", "Pågående ärenden, antal personer", P),
    Series(
        "VINR-BARN", "VINR", "Pågående ärenden där det finns barn under 18 år, antal personer", P
    ),
    Series("VINR-SKYDD", "VINR", "Placeringar på skyddat boende, antal personer", P),
    Series(
        "VINR-MEDFOLJ",
        "VINR",
        "Medföljande barn på skyddat boende, antal personer "
        "(redovisas under barn och ungdom from 2024-04-01)",
        P,
        valid_to=datetime.date(2024, 3, 1),
    ),
    Series("VINR-NORDVAST", "VINR", "Placeringar i nordväst boendekedja, antal personer", P),
    Series("VINR-JOUR", "VINR", "Placeringar i egen jourlägenhet, antal personer", P),
    Series("VINR-INTERNA", "VINR", "Interna råd- och stödsamtal, antal personer", P),
    Series("VINR-EXTERNA", "VINR", "Externa råd- och stödsamtal, antal personer", P),
    Series("VINR-KONTAKT", "VINR", "Kontaktmannaskap, antal personer", P),
    Series(
        "VINR-VALDSUTOVARE",
        "VINR",
        "Pågående stöd och behandling till våldsutövare, antal personer",
        P,
    ),
]


@transaction.atomic
def load_catalogue() -> dict[str, Metric]:
    units = {u.code: u for u in Unit.objects.all()}
    categories = {}
    owners = {}
    for order, (code, title, owner) in enumerate(CATEGORIES, start=1):
        categories[code], _ = MetricCategory.objects.get_or_create(
            code=code, defaults={"title": title, "sort_order": order * 10}
        )
        owners[code] = units[owner]
    metrics: dict[str, Metric] = {}
    for order, series in enumerate(SERIES, start=1):
        metrics[series.code], _ = Metric.objects.get_or_create(
            code=series.code,
            defaults={
                "category": categories[series.category],
                "title": series.title,
                "measure_unit": series.measure_unit,
                "owner": owners[series.category],
                "sort_order": order * 10,
                "valid_from": series.valid_from,
                "valid_to": series.valid_to,
                "aggregation": series.aggregation,
            },
        )
    for series in SERIES:
        metric = metrics[series.code]
        if series.predecessor and metric.predecessor_id is None:
            metric.predecessor = metrics[series.predecessor]
            metric.save(update_fields=["predecessor"])
        if series.days_limit_of:
            MetricRule.objects.get_or_create(
                metric=metric, kind=RuleKind.DAYS_LIMIT, reference=metrics[series.days_limit_of]
            )
    return metrics


@transaction.atomic
def load_values(metrics: dict[str, Metric], fixture: Path = FIXTURE) -> int:
    """Load the fixture's values where none exist yet. Returns the number of values created."""
    by_title = {(m.category.title, m.title): m for m in metrics.values()}
    existing = set(MetricValue.objects.values_list("metric_id", "month"))
    new = []
    with fixture.open(encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter="\t")
        next(reader)  # header
        for row in reader:
            category, title, year, *cells = row
            metric = by_title[(category, title)]
            for month_number, raw in enumerate(cells[:12], start=1):
                month = Month(int(year), month_number)
                cell = metric.cell_spec.parse(raw)
                if cell.kind is CellKind.NOT_REPORTED or not metric.is_valid_in(month):
                    continue  # "-" outside the validity is derived, never stored
                if (metric.pk, month.first_day) in existing:
                    continue
                new.append(
                    MetricValue(
                        metric=metric,
                        month=month.first_day,
                        value=cell.value if cell.kind is CellKind.NUMBER else None,
                        not_applicable=cell.kind is CellKind.NOT_APPLICABLE,
                    )
                )
    MetricValue.objects.bulk_create(new)
    return len(new)


def reported_on(month: Month) -> datetime.datetime:
    """When the demo's controller reported `month`: the fifth of the month after (its story
    date, see solna_sn.demo.Story)."""
    return story_datetime(month.last_day + datetime.timedelta(days=5), 9)


def locked_on(month: Month) -> datetime.datetime:
    """When it was checked and locked: the twelfth of the month after."""
    return story_datetime(month.last_day + datetime.timedelta(days=12), 14)


@transaction.atomic
def lock_months(*, until: Month, by) -> None:
    """Mark every month from 2022 up to `until` reported and locked for the owning units, on
    the dates of the story: each month shortly after it ended, not on the day of loading."""
    unit_ids = set(Metric.objects.values_list("owner_id", flat=True))
    for month in months_between(Month(2022, 1), until):
        for unit_id in unit_ids:
            MonthStatus.objects.get_or_create(
                unit_id=unit_id,
                month=month.first_day,
                defaults={
                    "state": MonthState.LOCKED,
                    "reported_at": reported_on(month),
                    "reported_by": by,
                    "locked_at": locked_on(month),
                    "locked_by": by,
                },
            )


def date_values(*, until: Month) -> None:
    """Each month's values were entered when the month was reported (the open month's too)."""
    for month in months_between(Month(2022, 1), until):
        MetricValue.objects.filter(month=month.first_day).update(updated_at=reported_on(month))


def load(*, by) -> str:
    metrics = load_catalogue()
    created = load_values(metrics)
    date_values(until=Month(2024, 9))
    lock_months(until=Month(2024, 8), by=by)
    return (
        f"{len(metrics)} mått, {created} nya månadsvärden; till och med augusti 2024 låst, "
        "september 2024 öppen."
    )
