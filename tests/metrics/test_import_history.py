"""Bringing in history: earlier titles and "Menade du …?", the annual report's layout, the
preview per metric and year, and inrapportera-och-lås of the imported months."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from metrics import demo as metrics_demo
from metrics import history_import, importers
from metrics.excel import export_workbook
from metrics.models import (
    Metric,
    MetricImport,
    MetricTitle,
    MetricValue,
    MonthState,
    MonthStatus,
)
from metrics.services import MetricsError
from metrics.titles import Match, TitleIndex, normalise
from solna_sn import demo as org_demo
from solna_sn.lib.periods import MONTH_ABBREVIATIONS, Month
from solna_sn.models import AuditEntry, Role, User
from tests.factories import UserFactory

HEADER = ["", *MONTH_ABBREVIATIONS]
ANNUAL_HEADER = ["Mått", "År", *MONTH_ABBREVIATIONS]
LVM = "Placering enligt LVM, antal personer"
FIXTURE = Path("/work/shared/fixtures/verksamhetsmatt-delarsrapport-2024.tsv")
LOCAL_FIXTURE = Path(metrics_demo.__file__).parent / "fixtures" / "verksamhetsmatt-2022-2024.tsv"


@pytest.fixture
def demo(db):
    committee = org_demo.load_organisation()
    org_demo.load_users(committee)
    metrics = metrics_demo.load_catalogue()
    metrics_demo.load_values(metrics)
    metrics_demo.lock_months(until=Month(2024, 8), by=User.objects.get(username="controller"))
    return metrics


@pytest.fixture
def controller(demo):
    return User.objects.get(username="controller")


def workbook(rows_by_sheet: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in rows_by_sheet.items():
        sheet = wb.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def stored_row(code: str, year: int, **changes) -> list:
    """The twelve stored cells of a metric and year, with the given months changed."""
    stored = {
        v.month.month: "-" if v.not_applicable else None if v.value is None else int(v.value)
        for v in MetricValue.objects.filter(metric__code=code, month__year=year)
    }
    row = [stored.get(m) for m in range(1, 13)]
    for name, value in changes.items():
        row[MONTH_ABBREVIATIONS.index(name)] = value
    return row


def upload(controller, content: bytes, filename="historik.xlsx") -> MetricImport:
    return importers.import_upload(filename=filename, content=content, by=controller)


def preview_of(metric_import, user):
    metric_import.refresh_from_db()
    return importers.import_preview(metric_import, user=user)


# --- Matching titles (pure) ---------------------------------------------------------------


INDEX = TitleIndex(
    {
        "LVM": LVM,
        "DYGN": "Missbruk, antal vård dygn",
        "SNITT": "Snittbidrag per månad, kr",
        "SKYDD": "Placering Skyddat boende (från 2024-04-01)",
    },
    [("DYGN", "Missbruk, antal vårddygn")],
)


@pytest.mark.parametrize(
    ("title", "code", "how"),
    [
        (LVM, "LVM", "exakt"),
        ("Missbruk, antal vårddygn", "DYGN", "tidigare rubrik"),
        ("  placering enligt LVM ,  antal personer. ", "LVM", "stavning"),
        ("Snittbidrag per månad (kr)", "SNITT", "stavning"),
        ("Placering Skyddat boende", "SKYDD", "stavning"),
        ("Placering enligt LVM, antal personer (antal)", "LVM", "stavning"),
        ("Missbruk, antal vård-dygn", "DYGN", "stavning"),
        ("Missbruk,antalvårddygn", "DYGN", "stavning"),
    ],
)
def test_titles_match_exactly_earlier_and_near_identical_spellings(title, code, how):
    assert INDEX.match(title) == Match(code, how)


def test_a_small_typo_is_offered_never_matched():
    match = INDEX.match("Placering enligt LMV, antal personer")
    assert match.code is None and match.candidates == ("LVM",)
    assert INDEX.match("Något helt annat").candidates == ()


def test_normalise_ignores_case_space_and_punctuation():
    assert normalise(" Missbruk,  antal VÅRD dygn. ") == "missbruk antal vård dygn"


# --- Earlier titles and "Menade du …?" ---------------------------------------------------


def test_an_earlier_title_is_matched_and_kept_with_its_validity(demo, controller):
    metric = demo["VUX-LVM"]
    MetricTitle.objects.create(
        metric=metric,
        title="LVM-placeringar",
        valid_from=datetime.date(2022, 1, 1),
        valid_to=datetime.date(2023, 12, 31),
    )
    assert metric.title_on(datetime.date(2023, 5, 1)) == "LVM-placeringar"
    assert metric.title_on(datetime.date(2024, 5, 1)) == LVM
    content = workbook(
        {"Vuxna": [["LVM-placeringar"], HEADER, [2024, *stored_row("VUX-LVM", 2024, sep=4)]]}
    )
    result = importers.build_preview(content, user=controller)
    assert result.ok and result.unknown_metrics == []
    assert [(c.metric.code, c.new) for c in result.to_write] == [("VUX-LVM", "4")]
    assert [(r.title, r.how) for r in result.read_as] == [("LVM-placeringar", "tidigare rubrik")]


def typo_file():
    """LVM 2024 with September new, and 2023 under a misspelt title (the stored values)."""
    return workbook(
        {
            "Vuxna": [
                [LVM],
                HEADER,
                [2024, *stored_row("VUX-LVM", 2024, sep=4)],
                [],
                ["Placering enligt LMV, antal personer"],
                HEADER,
                [2023, *stored_row("VUX-LVM", 2023)],
            ]
        }
    )


def test_an_unknown_title_blocks_only_its_own_cells(demo, controller):
    metric_import = upload(controller, typo_file())
    result = preview_of(metric_import, controller)
    assert result.ok
    [unknown] = result.unknown_metrics
    assert (unknown.ref, unknown.candidates, unknown.years, unknown.cells) == (
        "A5",
        ("VUX-LVM",),
        [2023],
        12,
    )
    assert [c.new for c in result.to_write] == ["4"]
    written = importers.import_apply(
        metric_import=metric_import,
        fingerprint=result.fingerprint,
        user=controller,
        comment="Ny placering",
    )
    assert written == 1


def test_menade_du_choice_is_remembered_audited_and_the_preview_reevaluated(
    client, demo, controller
):
    metric_import = upload(controller, typo_file())
    client.force_login(controller)
    url = reverse("metrics:excel_import_preview", args=[metric_import.pk])
    html = client.get(url).content.decode()
    assert '<label for="title-choice-1">Menade du …?</label>' in html
    assert f'<option value="{demo["VUX-LVM"].pk}">Vuxna: {LVM}</option>' in html
    assert "Okända rubriker (12 värden läses inte in)" in html
    response = client.post(
        reverse("metrics:excel_import_title", args=[metric_import.pk]),
        {
            "sheet": "Vuxna",
            "ref": "A5",
            "title": "Placering enligt LMV, antal personer",
            "metric": demo["VUX-LVM"].pk,
        },
        follow=True,
    )
    html = response.content.decode()
    assert "sparades som tidigare rubrik för Placering enligt LVM, antal personer" in html
    assert "Okända rubriker" not in html
    earlier = MetricTitle.objects.get(metric=demo["VUX-LVM"])
    assert (earlier.title, earlier.valid_from, earlier.valid_to) == (
        "Placering enligt LMV, antal personer",
        datetime.date(2023, 1, 1),
        datetime.date(2023, 12, 31),
    )
    entry = AuditEntry.objects.get(action="metric.earlier_title_added")
    assert entry.changes == {"tidigare rubrik": [None, "Placering enligt LMV, antal personer"]}
    assert "historik.xlsx" in entry.reason
    result = preview_of(metric_import, controller)
    assert result.unknown_metrics == []
    assert result.count(importers.UNCHANGED) == 23  # 2023 (locked, unchanged) and 2024


def _choose(client, metric_import, **overrides):
    data = {
        "sheet": "Vuxna",
        "ref": "A5",
        "title": "Placering enligt LMV, antal personer",
        **overrides,
    }
    return client.post(reverse("metrics:excel_import_title", args=[metric_import.pk]), data)


def test_a_tampered_choice_outside_the_candidates_is_refused(client, demo, controller):
    metric_import = upload(controller, typo_file())
    client.force_login(controller)
    for metric in (demo["VUX-MISSBRUK-PERS"].pk, "x", "", demo["EB-HUSHALL"].pk):
        response = _choose(client, metric_import, metric=metric)
        assert response.status_code == 422
        assert "Välj ett av de föreslagna måtten" in response.content.decode()
    assert not MetricTitle.objects.exists()
    assert not AuditEntry.objects.filter(action="metric.earlier_title_added").exists()


def test_a_stale_choice_is_refused(client, demo, controller):
    metric_import = upload(controller, typo_file())
    client.force_login(controller)
    response = _choose(client, metric_import, ref="A9", metric=demo["VUX-LVM"].pk)
    assert response.status_code == 422
    assert "förhandsgranskningen är inaktuell" in response.content.decode()
    assert _choose(client, metric_import, metric=demo["VUX-LVM"].pk).status_code == 302
    # The same choice again: the title is no longer unknown.
    response = _choose(client, metric_import, metric=demo["VUX-LVM"].pk)
    assert response.status_code == 422
    assert MetricTitle.objects.count() == 1


def test_a_choice_on_an_applied_import_is_refused(demo, controller):
    metric_import = upload(controller, typo_file())
    result = preview_of(metric_import, controller)
    importers.import_apply(
        metric_import=metric_import,
        fingerprint=result.fingerprint,
        user=controller,
        comment="Ny placering",
    )
    with pytest.raises(MetricsError, match="redan inläst"):
        history_import.import_title_choose(
            metric_import=metric_import,
            sheet="Vuxna",
            ref="A5",
            title="Placering enligt LMV, antal personer",
            metric_id=demo["VUX-LVM"].pk,
            by=controller,
        )
    assert not MetricTitle.objects.exists()


def test_another_users_import_is_not_found_for_choice_and_close(client, demo, controller):
    metric_import = upload(controller, typo_file())
    client.force_login(UserFactory(role=Role.CONTROLLER))
    assert _choose(client, metric_import, metric=demo["VUX-LVM"].pk).status_code == 404
    close = reverse("metrics:excel_import_close", args=[metric_import.pk])
    assert (
        client.post(close, {"month": "VUX:2024-09", "reason": "x", "confirm": "1"}).status_code
        == 404
    )
    assert not MetricTitle.objects.exists()


# --- The annual report's layout ------------------------------------------------------------


def annual_rows(path: Path) -> list[list]:
    """The fixture's series as the annual report prints them: a category heading, then one
    row per metric and year."""
    rows: list[list] = []
    category = None
    with path.open(encoding="utf-8") as handle:
        for record in csv.DictReader(handle, delimiter="\t"):
            if record["category"] != category:
                category = record["category"]
                rows += [[category], ANNUAL_HEADER]
            cells = [record[m] or None for m in MONTH_ABBREVIATIONS]
            rows.append([record["metric"], int(record["year"]), *cells])
    return rows


def test_the_annual_reports_layout_of_three_years_reads_as_stored(demo, controller):
    path = FIXTURE if FIXTURE.exists() else LOCAL_FIXTURE
    result = importers.build_preview(
        workbook({"Verksamhetsmått": annual_rows(path)}), user=controller
    )
    assert result.ok, [str(p) for p in result.errors]
    assert result.unknown_metrics == [] and result.unknown_sheets == []
    assert result.to_write == [] and result.count(importers.UNCHANGED) > 1000
    assert len(result.summary()) == 96  # per metric and year, not a thousand rows


def test_the_annual_layout_writes_new_months_at_their_cells(demo, controller):
    content = workbook(
        {
            "Verksamhetsmått": [
                ["Vuxna"],
                ANNUAL_HEADER,
                [LVM, 2024, *stored_row("VUX-LVM", 2024, sep=5)],
                ["Ekonomiskt bistånd"],
                ["Antal hushåll med utbetalningar", 2024, *stored_row("EB-HUSHALL", 2024, sep=99)],
            ]
        }
    )
    result = importers.build_preview(content, user=controller)
    assert result.ok
    assert [(c.ref, c.metric.code, c.new) for c in result.to_write] == [
        ("K3", "VUX-LVM", "5"),
        ("K5", "EB-HUSHALL", "99"),
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [[LVM, 2024, 1]],
            "Verksamhetsmått!A2: Raden saknar en kategorirubrik ovanför",
        ),
        (
            [["Vuxna"], [LVM, "tjugo", 1]],
            "Verksamhetsmått!B3: ”tjugo” är inget årtal (till exempel 2024).",
        ),
        (
            [["Vuxna"], ANNUAL_HEADER, ["Okänd kategori"], [LVM, 2024, 1]],
            "Verksamhetsmått!A4: ”Okänd kategori” är ingen kategori.",
        ),
    ],
)
def test_wrong_annual_layout_is_refused_at_the_cell(demo, controller, rows, message):
    result = importers.build_preview(
        workbook({"Verksamhetsmått": [ANNUAL_HEADER, *rows]}), user=controller
    )
    assert not result.ok
    shown = [str(group) for group in result.error_groups()]
    assert any(message.split("!")[1] in line for line in shown), shown


def test_the_annual_layout_on_a_category_sheet_is_a_wrong_layout(demo, controller):
    content = workbook({"Vuxna": [[LVM, 2024, *stored_row("VUX-LVM", 2024, sep=4)]]})
    result = importers.build_preview(content, user=controller)
    assert not result.ok and result.to_write == []
    [group] = result.error_groups()
    assert str(group).startswith(
        "Vuxna!A1: Raden har årsredovisningens uppställning (mått, år, jan … dec), men bladet "
        "”Vuxna” har exportens"
    )
    assert group.cells == 9  # jan–sep


def test_an_unknown_sheet_lists_the_valid_sheet_names(client, demo, controller):
    metric_import = upload(controller, workbook({"Blad1": [["x", "y", 3]]}))
    result = preview_of(metric_import, controller)
    assert not result.ok and result.unknown_sheets == ["Blad1"]
    client.force_login(controller)
    html = client.get(reverse("metrics:excel_import_preview", args=[metric_import.pk]))
    html = html.content.decode()
    assert "Okänt blad ”Blad1”. Bladnamnet ska vara en kategori (”Ekonomiskt bistånd”, " in html
    assert "”Våld i nära relation”" in html
    assert "årsredovisningens uppställning" in html


# --- The preview summary -------------------------------------------------------------------


def test_preview_summarises_per_metric_and_year(client, demo, controller):
    metric_import = upload(controller, export_workbook(2022, 2024))
    client.force_login(controller)
    html = client.get(reverse("metrics:excel_import_preview", args=[metric_import.pk]))
    html = html.content.decode()
    assert '<caption id="summary-caption">Per mått och år</caption>' in html
    assert html.count('<th scope="row">') == 96
    assert f'<th scope="row">{LVM}</th>' in html


def test_metric_history_lists_the_earlier_titles(client, demo, controller):
    MetricTitle.objects.create(
        metric=demo["VUX-LVM"],
        title="LVM-placeringar",
        valid_from=datetime.date(2022, 1, 1),
        valid_to=datetime.date(2023, 12, 31),
    )
    client.force_login(controller)
    html = client.get(reverse("metrics:metric_history", args=["VUX-LVM"])).content.decode()
    assert "Tidigare rubriker: ”LVM-placeringar” (2022–2023)." in html


def test_each_error_shows_how_many_cells_it_blocks(demo):
    other = UserFactory(role=Role.CONTROLLER)  # no units
    content = workbook(
        {"Vuxna": [[LVM], HEADER, [2024, *stored_row("VUX-LVM", 2024, sep=1, okt=2, nov=3)]]}
    )
    result = importers.build_preview(content, user=other)
    assert [str(group) for group in result.error_groups()] == [
        "Vuxna!J3, K3, L3: Du får inte rapportera verksamhetsmått för Vuxenenheten. (3 celler)"
    ]


# --- Inrapportera och lås after the import ------------------------------------------------


def september_file() -> bytes:
    """Every series with a September 2024 value: the three units' September is complete."""
    wb = load_workbook(io.BytesIO(export_workbook(2024, 2024)))
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            if row[0].value == 2024 and row[9].value != "-":
                row[9].value = 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def applied(demo, controller):
    metric_import = upload(controller, september_file())
    result = preview_of(metric_import, controller)
    assert result.ok
    importers.import_apply(
        metric_import=metric_import,
        fingerprint=result.fingerprint,
        user=controller,
        comment="Historik från årsredovisningen",
    )
    metric_import.refresh_from_db()
    return metric_import


def _states(month=None):
    month = month or Month(2024, 9)
    return dict(
        MonthStatus.objects.filter(month=month.first_day).values_list("unit__code", "state")
    )


def test_applied_import_offers_its_past_open_months(client, applied, controller):
    offered = history_import.closable_months(applied, user=controller)
    assert [(m.unit.code, m.month) for m in offered] == [
        ("EA", Month(2024, 9)),
        ("BOU", Month(2024, 9)),
        ("VUX", Month(2024, 9)),
    ]
    client.force_login(controller)
    html = client.get(reverse("metrics:excel_import_preview", args=[applied.pk])).content.decode()
    assert "Rapportera in och lås de inlästa månaderna" in html
    assert '<label for="close-reason">Motivering (krävs)</label>' in html


def test_imported_months_are_reported_and_locked_in_one_step(client, applied, controller):
    client.force_login(controller)
    response = client.post(
        reverse("metrics:excel_import_close", args=[applied.pk]),
        {
            "month": ["EA:2024-09", "BOU:2024-09", "VUX:2024-09"],
            "reason": "Historik inläst från årsredovisningen 2024",
            "confirm": "1",
        },
        follow=True,
    )
    assert "3 månader är inrapporterade och låsta." in response.content.decode()
    assert _states() == dict.fromkeys(("EA", "BOU", "VUX"), MonthState.LOCKED)
    for action in ("metric_month.reported", "metric_month.locked"):
        reasons = set(AuditEntry.objects.filter(action=action).values_list("reason", flat=True))
        assert "Historik inläst från årsredovisningen 2024" in reasons
    assert history_import.closable_months(applied, user=controller) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"month": ["VUX:2024-09"], "reason": "  ", "confirm": "1"}, "Ange varför"),
        ({"month": ["VUX:2024-09"], "reason": "Historik"}, "Bekräfta att månaderna"),
        ({"reason": "Historik", "confirm": "1"}, "Välj minst en månad."),
        # Not in the import; locked already (the demo locks until August); another unit.
        (
            {"month": ["VUX:2024-09", "VUX:2024-10"], "reason": "Historik", "confirm": "1"},
            "VUX:2024-10: månaden finns inte bland de inlästa",
        ),
        (
            {"month": ["VUX:2024-09", "VUX:2024-03"], "reason": "Historik", "confirm": "1"},
            "VUX:2024-03: månaden finns inte bland de inlästa",
        ),
        (
            {"month": ["STAB:2024-09"], "reason": "Historik", "confirm": "1"},
            "STAB:2024-09: månaden finns inte",
        ),
    ],
)
def test_bad_close_requests_change_nothing(client, applied, controller, data, message):
    client.force_login(controller)
    before = AuditEntry.objects.count()
    response = client.post(reverse("metrics:excel_import_close", args=[applied.pk]), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert _states() == {}
    assert AuditEntry.objects.count() == before


def test_a_month_with_missing_values_refuses_every_month(demo, controller):
    content = workbook({"Vuxna": [[LVM], HEADER, [2024, *stored_row("VUX-LVM", 2024, sep=4)]]})
    metric_import = upload(controller, content)
    importers.import_apply(
        metric_import=metric_import,
        fingerprint=preview_of(metric_import, controller).fingerprint,
        user=controller,
        comment="Ny placering",
    )
    metric_import.refresh_from_db()
    with pytest.raises(MetricsError, match="Vuxenenheten, september 2024: 17 mått saknar värde"):
        history_import.import_months_close(
            metric_import=metric_import, keys=["VUX:2024-09"], reason="Historik", by=controller
        )
    assert _states() == {}


def test_a_locked_period_in_the_file_is_refused_and_not_offered(demo, controller):
    content = workbook({"Vuxna": [[LVM], HEADER, [2024, *stored_row("VUX-LVM", 2024, mar=9)]]})
    result = importers.build_preview(content, user=controller)
    assert not result.ok
    assert [str(g) for g in result.error_groups()] == [
        "Vuxna!D3: Mars 2024 är låst för Vuxenenheten. (1 cell)"
    ]
    metric_import = upload(controller, content)
    with pytest.raises(MetricsError, match="innehåller fel"):
        importers.import_apply(
            metric_import=metric_import, fingerprint=result.fingerprint, user=controller
        )
    with pytest.raises(MetricsError, match="Läs in filen"):
        history_import.import_months_close(
            metric_import=metric_import, keys=["VUX:2024-03"], reason="x", by=controller
        )


def test_only_the_controller_who_imported_may_close(client, applied):
    granskare = User.objects.filter(role=Role.GRANSKARE).first()
    client.force_login(granskare)
    close = reverse("metrics:excel_import_close", args=[applied.pk])
    assert (
        client.post(close, {"month": "VUX:2024-09", "reason": "x", "confirm": "1"}).status_code
        == 403
    )
    assert _states() == {}
    assert Metric.objects.exists()


def test_preview_queries_do_not_grow_with_the_series(demo, controller, django_assert_num_queries):
    one = workbook({"Vuxna": [[LVM], HEADER, [2023, *stored_row("VUX-LVM", 2023)]]})
    with CaptureQueriesContext(connection) as small:
        importers.build_preview(one, user=controller)
    everything = export_workbook(2022, 2024)
    with django_assert_num_queries(len(small.captured_queries)):
        result = importers.build_preview(everything, user=controller)
    assert result.count(importers.UNCHANGED) > 1000
