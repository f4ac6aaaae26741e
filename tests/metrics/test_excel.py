"""Excel export/import: layout, round trip, every bad-input case, atomicity, permissions."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from metrics import demo as metrics_demo
from metrics import importers
from metrics.excel import export_workbook
from metrics.models import MetricImport, MetricValue, MonthState, MonthStatus
from metrics.services import MetricsError
from solna_sn import demo as org_demo
from solna_sn.lib.periods import Month
from solna_sn.models import AuditEntry, Role, User
from tests.factories import UserFactory

HEADER = ["", "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
LVM = "Placering enligt LVM, antal personer"


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


def vuxna(*year_rows, title=LVM, extra=()):
    return workbook({"Vuxna": [[title], HEADER, *extra, *year_rows]})


def lvm_2024(**changes):
    """The stored LVM row for 2024 (jan–aug reported), with the given months changed."""
    stored = {
        v.month.month: int(v.value)
        for v in MetricValue.objects.filter(metric__code="VUX-LVM", month__year=2024)
    }
    row = [stored.get(m) for m in range(1, 13)]
    for name, value in changes.items():
        row[HEADER.index(name) - 1] = value
    return [2024, *row]


def preview(content, user):
    return importers.build_preview(content, user=user)


def messages_of(result):
    return [str(p) for p in result.errors + result.unknown_metrics]


def test_export_has_the_report_layout(demo):
    wb = load_workbook(io.BytesIO(export_workbook(2022, 2024)))
    assert wb.sheetnames[0] == "Ekonomiskt bistånd"
    rows = list(wb["Barn, 0-12 år"].iter_rows(values_only=True))
    assert rows[0][0] == "Familjehemsvård, antal personer"
    assert list(rows[1][1:]) == HEADER[1:]
    assert rows[2][0] == 2022 and rows[4][0] == 2024
    aktual = next(i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith("Aktualiseringar"))
    assert rows[aktual + 2][:6] == (2024, "-", "-", "-", 0, 2)  # only 2024, "-" before april
    assert rows[aktual + 2][9:] == (None, None, None, None)


def test_export_then_import_changes_nothing(demo, controller):
    result = preview(export_workbook(2022, 2024), controller)
    assert result.ok
    assert result.count(importers.UNCHANGED) == len(result.changes) > 1000
    assert result.to_write == []


def test_import_preview_and_apply_writes_and_audits(demo, controller):
    content = vuxna(lvm_2024(sep="4", okt="1 023"))
    result = preview(content, controller)
    assert result.ok
    assert [(c.month, c.old, c.new, c.kind) for c in result.to_write] == [
        (Month(2024, 9), "", "4", "ny"),
        (Month(2024, 10), "", "1 023", "ny"),
    ]
    metric_import = MetricImport.objects.create(
        uploaded_by=controller, filename="v.xlsx", content=content
    )
    written = importers.import_apply(
        metric_import=metric_import, fingerprint=result.fingerprint, user=controller
    )
    assert written == 2
    assert MetricValue.objects.get(metric__code="VUX-LVM", month="2024-10-01").value == 1023
    entry = AuditEntry.objects.get(action="metric_value.imported", changes__värde=["", "4"])
    assert entry.reason == "Excelimport v.xlsx"
    with pytest.raises(MetricsError, match="redan inläst"):
        importers.import_apply(
            metric_import=metric_import, fingerprint=result.fingerprint, user=controller
        )


def test_real_file_quirks_are_accepted(demo, controller):
    row = [str(v) if v is not None else None for v in lvm_2024(sep=3)][:11]  # text, short row
    content = vuxna(row, extra=[HEADER])  # a repeated header row
    result = preview(content, controller)
    assert result.ok, messages_of(result)
    assert [c.new for c in result.to_write] == ["3"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sep": "1 0 2"}, "Vuxna!J3: ”1 0 2” är inte ett tal"),
        ({"sep": "tolv"}, "Vuxna!J3: ”tolv” är inte ett tal."),
        ({"sep": 2.5}, "Vuxna!J3: 2,5 är inte ett heltal."),
        ({"sep": -3}, "Vuxna!J3: -3 är negativt"),
        ({"jan": 99}, "Vuxna!B3: Januari 2024 är låst för Vuxenenheten."),
    ],
)
def test_bad_cells_point_at_sheet_and_cell(demo, controller, changes, message):
    result = preview(vuxna(lvm_2024(**changes)), controller)
    assert not result.ok
    assert any(m.startswith(message) for m in messages_of(result)), messages_of(result)


def test_year_like_20x4_is_refused(demo, controller):
    result = preview(vuxna(["20x4", 1]), controller)
    assert messages_of(result) == ["Vuxna!A3: ”20x4” är inget årtal (till exempel 2024)."]


def test_value_before_valid_from_is_refused(demo, controller):
    content = workbook(
        {
            "Vuxna": [
                ["Avhopparverksamhet, antal personer aktuella för utredning och insats"],
                HEADER,
                [2024, 5],
            ]
        }
    )
    assert (
        "Vuxna!B3: Måttet ”Avhopparverksamhet, antal personer aktuella för utredning och "
        "insats” mäts inte januari 2024." in messages_of(preview(content, controller))
    )


def test_unknown_sheet_and_metric_are_listed_not_guessed(demo, controller):
    content = workbook({"Okänd": [["X"]], "Vuxna": [["Placering enligt LVM"], HEADER, [2024, 1]]})
    result = preview(content, controller)
    assert result.unknown_sheets == ["Okänd"]
    assert messages_of(result) == ["Vuxna!A1: Okänt mått i Vuxna: ”Placering enligt LVM”."]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "Filen är tom."), (b"inte en excelfil", "Filen är inte en Excelfil (.xlsx).")],
)
def test_files_that_are_not_workbooks(demo, controller, content, message):
    assert messages_of(preview(content, controller)) == [message]


def test_one_bad_cell_means_nothing_is_written(demo, controller):
    content = vuxna(lvm_2024(sep=7, okt="tolv"))
    metric_import = MetricImport.objects.create(
        uploaded_by=controller, filename="x.xlsx", content=content
    )
    before = MetricValue.objects.count()
    with pytest.raises(MetricsError, match="ingenting har lästs in"):
        importers.import_apply(metric_import=metric_import, fingerprint="x", user=controller)
    assert MetricValue.objects.count() == before
    assert not AuditEntry.objects.filter(action="metric_value.imported").exists()


def test_stale_apply_is_refused(demo, controller):
    content = vuxna(lvm_2024(sep=7))
    fingerprint = preview(content, controller).fingerprint
    MetricValue.objects.create(metric=demo["VUX-LVM"], month="2024-09-01", value=6)
    metric_import = MetricImport.objects.create(
        uploaded_by=controller, filename="x.xlsx", content=content
    )
    with pytest.raises(MetricsError, match="ändrats sedan förhandsgranskningen"):
        importers.import_apply(
            metric_import=metric_import, fingerprint=fingerprint, user=controller
        )
    assert MetricValue.objects.get(metric__code="VUX-LVM", month="2024-09-01").value == 6


def test_metric_of_another_unit_is_refused(demo):
    other = UserFactory(role=Role.CONTROLLER)  # no units
    result = preview(vuxna(lvm_2024(sep=7)), other)
    assert "Vuxna!J3: Du får inte rapportera verksamhetsmått för Vuxenenheten." in messages_of(
        result
    )


def test_upload_preview_apply_through_the_views(client, demo, controller):
    client.force_login(controller)
    upload = io.BytesIO(vuxna(lvm_2024(sep=7)))
    upload.name = "lvm.xlsx"
    response = client.post(reverse("metrics:excel_import"), {"fil": upload})
    metric_import = MetricImport.objects.get()
    assert response["Location"] == reverse("metrics:excel_import_preview", args=[metric_import.pk])
    html = client.get(response["Location"]).content.decode()
    assert "1 nya, 0 ändrade och 11 oförändrade värden." in html
    assert "Läs in ändringarna (1)" in html
    fingerprint = html.split('name="fingerprint" value="')[1].split('"')[0]
    response = client.post(response["Location"], {"fingerprint": fingerprint}, follow=True)
    assert "1 värden lästes in från lvm.xlsx." in response.content.decode()
    assert MetricValue.objects.get(metric__code="VUX-LVM", month="2024-09-01").value == 7


def test_upload_rejects_wrong_type_and_size(client, demo, controller, settings):
    client.force_login(controller)
    text = io.BytesIO(b"a;b")
    text.name = "data.csv"
    html = client.post(reverse("metrics:excel_import"), {"fil": text}).content.decode()
    assert "Filen måste vara en Excelfil med ändelsen .xlsx." in html
    big = io.BytesIO(b"0" * (5 * 1024 * 1024 + 1))
    big.name = "stor.xlsx"
    html = client.post(reverse("metrics:excel_import"), {"fil": big}).content.decode()
    assert "Filen är för stor (högst 5 MB)." in html
    assert not MetricImport.objects.exists()


def test_another_users_import_is_not_found(client, demo, controller):
    metric_import = MetricImport.objects.create(
        uploaded_by=controller, filename="x.xlsx", content=b""
    )
    other = UserFactory(role=Role.CONTROLLER)
    client.force_login(other)
    url = reverse("metrics:excel_import_preview", args=[metric_import.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"fingerprint": ""}).status_code == 404


def test_excel_permissions(client, demo):
    client.force_login(UserFactory(role=Role.HANDLAGGARE))
    assert client.get(reverse("metrics:excel_export")).status_code == 200
    assert client.get(reverse("metrics:excel_import")).status_code == 403
    client.force_login(UserFactory(role=Role.NAMNDLEDAMOT))
    assert client.get(reverse("metrics:excel_export")).status_code == 403


def test_export_view_downloads_and_validates_years(client, demo, controller):
    client.force_login(controller)
    response = client.get(reverse("metrics:excel_export"), {"fran": 2022, "till": 2024})
    assert response["Content-Disposition"] == (
        'attachment; filename="verksamhetsmatt-2022-2024.xlsx"'
    )
    assert load_workbook(io.BytesIO(response.content)).sheetnames[-1] == "Våld i nära relation"
    html = client.get(reverse("metrics:excel_export"), {"fran": 2024, "till": 2022}).content
    assert "Slutåret kan inte vara före startåret." in html.decode()
    html = client.get(reverse("metrics:excel_export"), {"fran": "x", "till": 2022}).content
    assert "heltal" in html.decode()


def test_export_query_count_does_not_grow_with_years(demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(6) as one_year:
        export_workbook(2024, 2024)
    with django_assert_max_num_queries(len(one_year.captured_queries)):
        export_workbook(2020, 2024)


def test_locked_months_in_demo(demo):
    assert MonthStatus.objects.filter(month="2024-08-01", state=MonthState.LOCKED).count() == 3
    assert not MonthStatus.objects.filter(month="2024-09-01").exists()
