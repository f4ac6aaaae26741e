"""Excel export/import: layout, round trip, every bad-input case, atomicity, permissions."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from metrics import demo as metrics_demo
from metrics import importers, services
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
        v.month.month: "-" if v.not_applicable else None if v.value is None else int(v.value)
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
        metric_import=metric_import,
        fingerprint=result.fingerprint,
        user=controller,
        comment="Nya placeringar",  # 4 and 1 023 after a series of 0 warn, as in the grid
    )
    assert written == 2
    assert MetricValue.objects.get(metric__code="VUX-LVM", month="2024-10-01").value == 1023
    entry = AuditEntry.objects.get(action="metric_value.imported", changes__värde=["", "4"])
    assert entry.reason == "Excelimport v.xlsx: Nya placeringar"
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
    upload = io.BytesIO(vuxna(lvm_2024(sep=2)))
    upload.name = "lvm.xlsx"
    response = client.post(reverse("metrics:excel_import"), {"fil": upload})
    metric_import = MetricImport.objects.get()
    assert response["Location"] == reverse("metrics:excel_import_preview", args=[metric_import.pk])
    html = client.get(response["Location"]).content.decode()
    assert "1 nya, 0 ändrade och 11 oförändrade värden." in html
    assert "Läs in ändringarna (1)" in html
    assert "warnings-heading" not in html and 'name="comment"' not in html
    fingerprint = html.split('name="fingerprint" value="')[1].split('"')[0]
    response = client.post(response["Location"], {"fingerprint": fingerprint}, follow=True)
    assert "1 värden lästes in från lvm.xlsx." in response.content.decode()
    assert MetricValue.objects.get(metric__code="VUX-LVM", month="2024-09-01").value == 2


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


def upload(client, content, name="lvm.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("metrics:excel_import"), {"fil": file})


def apply(metric_import, result, user, **kwargs):
    return importers.import_apply(
        metric_import=metric_import, fingerprint=result.fingerprint, user=user, **kwargs
    )


def stored_import(content, user, filename="x.xlsx"):
    return importers.import_upload(filename=filename, content=content, by=user)


# Item 5: numbers the column cannot hold.


def test_import_refuses_numbers_the_column_cannot_hold(demo, controller):
    result = preview(
        vuxna(lvm_2024(sep=999999999999999, okt=1e308, nov="999 999 999 999 999")), controller
    )
    messages = messages_of(result)
    assert (
        "Vuxna!J3: Talet är för stort: högst 999 999 999 999 (12 siffror före decimalkommat)."
        in messages
    )
    assert any(m.startswith("Vuxna!K3: Talet är för stort") for m in messages), messages
    assert any(m.startswith("Vuxna!L3: Talet är för stort") for m in messages), messages


def test_preview_of_a_file_with_1e308_is_a_message_not_a_500(client, demo, controller):
    client.force_login(controller)
    response = upload(client, vuxna(lvm_2024(sep=1e308)))
    html = client.get(response["Location"]).content.decode()
    assert "Vuxna!J3: Talet är för stort" in html
    assert "Läs in ändringarna" not in html


# Item 8: formulas without a cached value.


def test_formula_without_cached_value_is_refused_at_the_cell(demo, controller):
    MetricValue.objects.create(metric=demo["VUX-LVM"], month="2024-09-01", value=5)
    content = vuxna(lvm_2024(sep="=2+3"))  # openpyxl stores the formula, no cached value
    result = preview(content, controller)
    assert not result.ok
    assert messages_of(result) == [
        "Vuxna!J3: Cellen innehåller en formel utan sparat värde. Öppna filen i Excel, spara "
        "den och läs in den igen, eller skriv in värdet."
    ]
    assert result.to_write == []


# Item 9: oversized files, one parse per upload, stored files removed.


def zip_bomb() -> bytes:
    """A real workbook with one member that unpacks to 60 MB (a few kB packed)."""
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(vuxna(lvm_2024(sep=1)))) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/media/padding.bin", b"\0" * (60 * 1024 * 1024))
    return out.getvalue()


def test_zip_bomb_is_refused_at_upload_before_parsing(client, demo, controller):
    client.force_login(controller)
    content = zip_bomb()
    assert len(content) < 200_000
    html = upload(client, content).content.decode()
    assert (
        "Excelfilen är för stor uppackad (60 MB, högst 50 MB). Dela upp den i mindre filer." in html
    )
    assert not MetricImport.objects.exists()


def test_sheet_with_too_many_rows_is_refused_at_upload(client, demo, controller):
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("Vuxna")
    sheet.append([LVM])
    sheet.append(HEADER)
    for _ in range(5_001):
        sheet.append([2024, 1])
    out = io.BytesIO()
    wb.save(out)
    client.force_login(controller)
    html = upload(client, out.getvalue()).content.decode()
    assert "Bladet ”Vuxna” har fler än 5000 rader. Dela upp filen." in html
    assert not MetricImport.objects.exists()


def test_preview_is_parsed_once_per_upload_and_kept(client, demo, controller):
    client.force_login(controller)
    response = upload(client, vuxna(lvm_2024(sep=1)))
    metric_import = MetricImport.objects.get()
    assert metric_import.parsed["cells"]
    # The preview is computed from what was parsed at upload, not by reading the file again.
    MetricImport.objects.filter(pk=metric_import.pk).update(content=b"not a workbook")
    html = client.get(response["Location"]).content.decode()
    assert "1 nya, 0 ändrade och 11 oförändrade värden." in html


def test_applied_import_removes_the_stored_file(demo, controller):
    metric_import = stored_import(vuxna(lvm_2024(sep=1)), controller)
    assert bytes(metric_import.content)
    result = importers.import_preview(metric_import, user=controller)
    assert apply(metric_import, result, controller) == 1
    metric_import.refresh_from_db()
    assert metric_import.applied_at and bytes(metric_import.content) == b""


def test_a_new_upload_removes_abandoned_imports(demo, controller):
    other, third = UserFactory(role=Role.CONTROLLER), UserFactory(role=Role.CONTROLLER)
    mine = stored_import(vuxna(lvm_2024(sep=1)), controller)
    recent_other = stored_import(vuxna(lvm_2024(sep=1)), other)
    old_other = stored_import(vuxna(lvm_2024(sep=1)), third)
    MetricImport.objects.filter(pk=old_other.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )
    newest = stored_import(vuxna(lvm_2024(sep=2)), controller)
    assert set(MetricImport.objects.values_list("pk", flat=True)) == {recent_other.pk, newest.pk}
    assert not MetricImport.objects.filter(pk__in=[mine.pk, old_other.pk]).exists()


# Item 11: the grid's soft checks, one confirming comment, blanks over stored values.


def test_import_runs_the_grids_soft_checks_and_needs_one_comment(demo, controller):
    """4 000 where the history is 0: the grid warns, so the import warns too."""
    metric_import = stored_import(vuxna(lvm_2024(sep=4000, okt=4)), controller)
    result = importers.import_preview(metric_import, user=controller)
    assert result.ok
    assert [str(w) for w in result.warnings] == [
        "Vuxna!J3: Placering enligt LVM, antal personer, september 2024: 4 000 är ett stort "
        "hopp: de 24 tidigare rapporterade månaderna (senaste 24) är alla 0 eller ”-”."
    ]
    grid = services.value_save(
        metric=demo["VUX-LVM"], month=Month(2024, 9), raw="4000", expected_version=0, by=controller
    )
    assert grid.warnings == [result.warnings[0].message]
    with pytest.raises(MetricsError, match="Skriv en kommentar"):
        apply(metric_import, result, controller)
    with pytest.raises(MetricsError, match="otillåtna styrtecken"):
        apply(metric_import, result, controller, comment="Ny rutin\x00")
    lvm = MetricValue.objects.filter(metric__code="VUX-LVM")
    assert not lvm.reported().filter(month="2024-09-01").exists()
    assert apply(metric_import, result, controller, comment="Ny rutin för LVM") == 2
    value = MetricValue.objects.get(metric__code="VUX-LVM", month="2024-09-01")
    assert value.value == 4000 and value.comment == "Ny rutin för LVM"
    entry = AuditEntry.objects.get(action="metric_value.imported", changes__värde=["", "4 000"])
    assert entry.reason == "Excelimport x.xlsx: Ny rutin för LVM"


def test_import_checks_care_days_against_persons_in_the_same_file(demo, controller):
    """vårddygn ≤ personer × dagar with both values from the file, warned once at the dygn."""
    sheet = [
        ["Dygnetrutplaceringar, antal personer"],
        HEADER,
        [2024, 1, 1, 1, 1, 2, 2, 1, 1, 1],
        [],
        ["Dygnetruntplaceringar, antal vård dygn"],
        HEADER,
        [2024, 31, 29, 31, 30, 39, 44, 31, 31, 31],
    ]
    metric_import = stored_import(workbook({"Barn, 0-12 år": sheet}), controller)
    result = importers.import_preview(metric_import, user=controller)
    assert [str(w) for w in result.warnings] == [
        "Barn, 0-12 år!J7: Dygnetruntplaceringar, antal vård dygn, september 2024: "
        "Dygnetruntplaceringar, antal vård dygn (31) är fler än dygnetrutplaceringar, antal "
        "personer × dagar i månaden (1 × 30 = 30)."
    ]


def test_blank_over_a_stored_value_is_shown_as_raderas_and_kept_unless_chosen(demo, controller):
    MetricValue.objects.create(metric=demo["VUX-LVM"], month="2024-09-01", value=1)
    MetricValue.objects.create(metric=demo["VUX-LVM"], month="2024-10-01", not_applicable=True)
    metric_import = stored_import(vuxna(lvm_2024(sep=None, okt=None, nov=2)), controller)
    result = importers.import_preview(metric_import, user=controller)
    assert [(c.month, c.old, c.new, c.kind) for c in result.changes if c.kind != "oförändrad"] == [
        (Month(2024, 9), "1", "", "raderas"),
        (Month(2024, 10), "-", "", "raderas"),
        (Month(2024, 11), "", "2", "ny"),
    ]
    assert result.count(importers.DELETED) == 2
    assert apply(metric_import, result, controller) == 1
    assert MetricValue.objects.get(metric__code="VUX-LVM", month="2024-09-01").value == 1
    assert MetricValue.objects.get(metric__code="VUX-LVM", month="2024-10-01").not_applicable
    assert MetricValue.objects.get(metric__code="VUX-LVM", month="2024-11-01").value == 2


def test_blanks_are_deleted_when_the_user_chooses_it(demo, controller):
    MetricValue.objects.create(metric=demo["VUX-LVM"], month="2024-09-01", value=1)
    metric_import = stored_import(vuxna(lvm_2024(sep=None)), controller)
    result = importers.import_preview(metric_import, user=controller)
    assert apply(metric_import, result, controller, delete_blanks=True) == 1
    value = MetricValue.objects.get(metric__code="VUX-LVM", month="2024-09-01")
    assert value.value is None and not value.is_reported
    assert AuditEntry.objects.filter(
        action="metric_value.imported", changes__värde=["1", ""]
    ).exists()


def test_preview_page_lists_warnings_and_deletions_and_takes_one_comment(client, demo, controller):
    MetricValue.objects.create(metric=demo["VUX-LVM"], month="2024-10-01", value=1)
    client.force_login(controller)
    url = upload(client, vuxna(lvm_2024(sep=4000, okt=None)))["Location"]
    html = client.get(url).content.decode()
    assert "1 nya, 0 ändrade, 1 raderas och 10 oförändrade värden." in html
    assert "Vuxna!J3: Placering enligt LVM, antal personer, september 2024: 4 000 är ett" in html
    assert '<textarea name="comment"' in html and "required" in html
    assert 'name="delete_blanks"' in html
    fingerprint = html.split('name="fingerprint" value="')[1].split('"')[0]
    html = client.post(url, {"fingerprint": fingerprint}, follow=True).content.decode()
    assert "Skriv en kommentar som förklarar varför värdena stämmer." in html
    assert not MetricValue.objects.filter(month="2024-09-01", metric__code="VUX-LVM").exists()
    response = client.post(
        url, {"fingerprint": fingerprint, "comment": "Ny rutin", "delete_blanks": "1"}, follow=True
    )
    assert "2 värden lästes in från lvm.xlsx." in response.content.decode()
    assert MetricValue.objects.get(month="2024-09-01", metric__code="VUX-LVM").value == 4000
    assert not MetricValue.objects.get(month="2024-10-01", metric__code="VUX-LVM").is_reported


def test_value_outside_the_catalogues_range_is_refused_in_the_import(demo, controller):
    demo["VUX-LVM"].max_value = 50
    demo["VUX-LVM"].save()
    result = preview(vuxna(lvm_2024(sep=51)), controller)
    assert messages_of(result) == [
        "Vuxna!J3: 51 är högre än det högsta tillåtna värdet för måttet, 50."
    ]


def test_months_not_yet_begun_are_refused_in_the_import(demo, controller):
    year = timezone.localdate().year + 1
    assert messages_of(preview(vuxna([year, 5]), controller)) == [
        f"Vuxna!B3: Januari {year} har inte börjat: värden kan rapporteras från och med "
        "månadens första dag."
    ]
