"""The economy pages through the test client: roles, htmx fragments, bad input, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from economy import importers, services
from economy.models import (
    AccountMapping,
    BudgetVersion,
    EconomyImport,
    PersonnelSheet,
    QualityDeclaration,
    Sheet,
    SheetValue,
    TableDefinition,
    TableRow,
    Tariff,
)
from solna_sn.models import Role, User
from tests.economy import exports
from tests.factories import UserFactory


def sheet_of(code):
    return Sheet.objects.get(definition__code=code)


def sheet_url(code):
    return reverse("economy:sheet", kwargs={"pk": sheet_of(code).pk})


def cell_url(code, row, column):
    return reverse(
        "economy:cell_save",
        kwargs={"pk": sheet_of(code).pk, "row_code": row, "column_code": column},
    )


@pytest.fixture
def nora(economy_demo):
    return User.objects.get(username="namndledamot")


def test_index_lists_periods_registers_and_definitions(client, economy_demo, controller):
    client.force_login(controller)
    html = client.get(reverse("economy:index")).content.decode()
    assert "<h1>Ekonomi</h1>" in html
    assert "Per augusti 2024" in html and "Budget 2025" in html
    assert "Personaltabell per augusti 2024" in html
    assert 'href="/ekonomi/taxor/2025/"' in html
    assert "Läs in från ekonomisystemet" in html


def test_nämndledamöter_and_anonymous_users_get_no_economy_pages(client, nora):
    assert client.get(reverse("economy:index")).status_code == 302  # to login
    client.force_login(nora)
    for url in (
        reverse("economy:index"),
        sheet_url("DELAR_RESULTATRAKNING"),
        reverse("economy:import"),
        reverse("economy:register", kwargs={"slug": "taxor", "year": 2025}),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(cell_url("DELAR_RESULTATRAKNING", "TAXOR", "UTFALL"), {"value": "1"})
    assert response.status_code == 403


def test_a_handlaggare_reads_the_table_without_inputs(client, economy_demo, handlaggare):
    client.force_login(handlaggare)
    html = client.get(sheet_url("DELAR_RESULTATRAKNING")).content.decode()
    assert "Så skrivs tabellen ut" in html and "cell-input" not in html
    assert "Du kan läsa siffrorna men inte mata in dem." in html
    response = client.post(
        cell_url("DELAR_RESULTATRAKNING", "TAXOR", "UTFALL"),
        {"value": "1", "revision": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403


def test_the_grid_shows_inputs_formulas_and_the_printed_table(client, economy_demo, controller):
    client.force_login(controller)
    html = client.get(sheet_url("DELAR_RESULTATRAKNING")).content.decode()
    assert "<h1>Resultaträkning, per augusti 2024</h1>" in html
    assert 'id="in-LOKAL-BUDGETAVVIKELSE"' in html
    start = html.rindex("<input", 0, html.index('id="in-LOKAL-BUDGETAVVIKELSE"'))
    row = html[start : html.index(">", start)]
    assert 'value="0,4"' in row and 'placeholder="0,5"' in row
    assert 'aria-labelledby="rowhead-LOKAL colhead-BUDGETAVVIKELSE"' in row
    assert "cell-input--warning" in html
    assert "= Utfall 2024 − Årsbudget × 8/12" in html
    assert "Periodbudget" in html and "skrivs inte ut" in html
    # % 24/23 has no input on line rows, only on sums.
    assert 'id="in-TAXOR-PROCENT"' not in html and 'id="in-NETTO-PROCENT"' in html
    assert "Lokalkostnader, Budgetavvikelse: angivet 0,4 men" in html
    assert 'data-printed="NETTO-UTFALL"' in html


def test_htmx_cell_save_returns_its_status_and_the_new_printed_table(
    client, economy_demo, controller
):
    client.force_login(controller)
    value = SheetValue.objects.get(
        sheet=sheet_of("DELAR_RESULTATRAKNING"), row__code="LOKAL", column__code="BUDGETAVVIKELSE"
    )
    response = client.post(
        cell_url("DELAR_RESULTATRAKNING", "LOKAL", "BUDGETAVVIKELSE"),
        {"value": "", "revision": str(value.revision)},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<span id="st-LOKAL-BUDGETAVVIKELSE"')
    assert "✓ Sparat" in html
    assert f'id="rev-LOKAL-BUDGETAVVIKELSE" value="{value.revision + 1}" hx-swap-oob="true"' in html
    assert 'id="printed-DELAR_RESULTATRAKNING" class="printed" hx-swap-oob="true"' in html
    assert 'id="warnings-DELAR_RESULTATRAKNING" class="checks" hx-swap-oob="true"' in html
    assert "Alla angivna summor och beräknade kolumner stämmer" in html  # warning gone
    assert "<html" not in html


def test_htmx_cell_save_with_bad_input_shows_a_swedish_error_and_saves_nothing(
    client, economy_demo, controller
):
    client.force_login(controller)
    before = SheetValue.objects.get(
        sheet=sheet_of("DELAR_VERKSAMHETER"), row__code="EA", column__code="PROGNOS"
    )
    response = client.post(
        cell_url("DELAR_VERKSAMHETER", "EA", "PROGNOS"),
        {"value": "-43,3,0", "revision": str(before.revision)},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'data-state="error"' in html and "”-43,3,0” har mer än ett decimalkomma." in html
    before.refresh_from_db()
    assert str(before.value.normalize()) == "-43.3"


def test_a_stale_cell_save_is_refused_through_the_page(client, economy_demo, controller):
    client.force_login(controller)
    response = client.post(
        cell_url("DELAR_RESULTATRAKNING", "TAXOR", "UTFALL"),
        {"value": "9", "revision": "0"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Någon annan har ändrat siffran" in html and "”3,1”" in html
    assert 'id="rev-TAXOR-UTFALL" value="1" hx-swap-oob="true"' in html


def test_without_javascript_a_cell_save_redirects_with_a_message(client, economy_demo, controller):
    client.force_login(controller)
    response = client.post(
        cell_url("DELAR_RESULTATRAKNING", "TAXOR", "UTFALL"),
        {"value": "tolv", "revision": "1"},
        follow=True,
    )
    assert "Taxor och avgifter, 2024: ”tolv” är inte ett tal." in response.content.decode()
    response = client.post(
        cell_url("DELAR_RESULTATRAKNING", "TAXOR", "UTFALL"), {"revision": "x"}, HTTP_HX_REQUEST="1"
    )
    assert response.status_code == 400


def test_a_cell_of_another_table_is_a_404(client, economy_demo, controller):
    client.force_login(controller)
    url = reverse(
        "economy:cell_save",
        kwargs={
            "pk": sheet_of("DELAR_RESULTATRAKNING").pk,
            "row_code": "INTAKTER",  # a VP row
            "column_code": "UTFALL",
        },
    )
    assert client.post(url, {"value": "1", "revision": "0"}).status_code == 404


def test_commentary_save_through_htmx(client, economy_demo, controller):
    client.force_login(controller)
    url = reverse(
        "economy:commentary_save",
        kwargs={"pk": sheet_of("DELAR_VERKSAMHETER").pk, "row_code": "VUX"},
    )
    response = client.post(url, {"text": "Ny text.", "revision": "1"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "✓ Kommentaren sparades." in html and 'id="krev-VUX"' in html
    response = client.post(url, {"text": "Annan.", "revision": "1"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Någon annan har ändrat kommentaren" in html and "Ny text." in html


def test_lock_and_reopen_through_the_page(client, economy_demo, controller, granskare):
    client.force_login(controller)
    sheet = sheet_of("DELAR_INVESTERINGAR")
    client.post(reverse("economy:sheet_lock", kwargs={"pk": sheet.pk}))
    html = client.get(sheet_url("DELAR_INVESTERINGAR")).content.decode()
    assert "Tabellen är låst och kan inte ändras." in html and "cell-input" not in html
    client.force_login(granskare)
    response = client.post(
        reverse("economy:sheet_reopen", kwargs={"pk": sheet.pk}),
        {"reason": "Rättelse"},
        follow=True,
    )
    assert "är öppen igen" in response.content.decode()


def test_creating_a_sheet_with_a_version_of_another_year_names_the_field(
    client, economy_demo, controller
):
    client.force_login(controller)
    response = client.post(
        reverse("economy:sheet_create"),
        {
            "definition": TableDefinition.objects.get(code="DELAR_RESULTATRAKNING").pk,
            "year": "2025",
            "period": "april",
            "budget_version": BudgetVersion.objects.get(name="Justerad budget 2024").pk,
        },
    )
    html = response.content.decode()
    assert "Justerad budget 2024 är en budget för 2024, tabellen gäller 2025." in html
    assert 'aria-invalid="true"' in html
    response = client.post(
        reverse("economy:sheet_create"),
        {
            "definition": TableDefinition.objects.get(code="DELAR_RESULTATRAKNING").pk,
            "year": "2025",
            "period": "april",
            "budget_version": BudgetVersion.objects.get(name="Budget 2025").pk,
        },
    )
    assert response.status_code == 302
    assert Sheet.objects.filter(year=2025, period="april").count() == 1


def test_import_through_the_pages(client, economy_demo, controller):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(controller)
    assert client.get(reverse("economy:import")).status_code == 200
    response = client.post(
        reverse("economy:import"),
        {
            "mapping": AccountMapping.objects.get().pk,
            "year": "2024",
            "period": "augusti",
            "file": SimpleUploadedFile("export.xlsx", exports.workbook()),
        },
    )
    preview_url = response["Location"]
    html = client.get(preview_url).content.decode()
    assert "Tabellen efter inläsning" in html and "Läs in" in html
    economy_import = EconomyImport.objects.get()
    preview = importers.build_preview(economy_import, user=controller)
    response = client.post(preview_url, {"fingerprint": preview.fingerprint}, follow=True)
    assert "siffror lästes in från export.xlsx" in response.content.decode()
    assert EconomyImport.objects.get().applied_at is not None
    # The demo's printed 0,4 is replaced by nothing: the import gives utfall, budget, prognos;
    # the printed derived figures stay as given, so the warning on Lokalkostnader remains.
    response = client.post(
        reverse("economy:import"),
        {
            "mapping": AccountMapping.objects.get().pk,
            "year": "2024",
            "period": "augusti",
            "file": SimpleUploadedFile("export.csv", b"a;b"),
        },
    )
    assert "Filen måste vara en Excelfil" in response.content.decode()


def test_import_preview_of_a_broken_file_lists_cell_errors(client, economy_demo, controller):
    from django.core.files.uploadedfile import SimpleUploadedFile

    lines = exports.account_lines()
    lines[0][3] = "12,3,0"
    client.force_login(controller)
    response = client.post(
        reverse("economy:import"),
        {
            "mapping": AccountMapping.objects.get().pk,
            "year": "2024",
            "period": "augusti",
            "file": SimpleUploadedFile("export.xlsx", exports.workbook(lines)),
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Filen kan inte läsas in" in html and "Export!D3: ”12,3,0” har mer än ett" in html
    assert "fingerprint" not in html


def test_someone_elses_import_is_a_404(client, economy_demo, controller, granskare):
    economy_import = EconomyImport.objects.create(
        committee=economy_demo,
        mapping=AccountMapping.objects.get(),
        year=2024,
        period="augusti",
        filename="x.xlsx",
        content=b"",
        uploaded_by=controller,
    )
    client.force_login(granskare)
    url = reverse("economy:import_preview", kwargs={"pk": economy_import.pk})
    assert client.get(url).status_code == 404


def test_personnel_page_saves_the_table_and_refuses_bad_figures(client, economy_demo, controller):
    client.force_login(controller)
    sheet = PersonnelSheet.objects.get()
    url = reverse("economy:personnel", kwargs={"pk": sheet.pk})
    html = client.get(url).content.decode()
    assert "Väsentliga personalförhållanden, per augusti 2024" in html
    assert "Sjukfrånvaron avser perioden 1 december 2023 till 31 juli 2024." in html
    data = {"revision": str(sheet.revision), "footnotes": "En fotnot."}
    for code in ("anstallda", "kvinnor", "man", "arsarbetare", "sjukfranvaro", "hme"):
        data[f"{code}-value"] = "1"
    data["arsarbetare-value"] = "219,45"  # one decimal only
    data["anstallda-measured_from"] = "2024-01-01"  # without an end
    response = client.post(url, data)
    html = response.content.decode()
    assert "Antal årsarbetare i snitt har 1 decimal." in html
    assert "Ange både första och sista dagen." in html
    assert "Ingenting har sparats." in html
    sheet.refresh_from_db()
    assert sheet.revision == 1
    data["arsarbetare-value"] = "219,5"
    del data["anstallda-measured_from"]
    response = client.post(url, data, follow=True)
    html = response.content.decode()
    assert "Personaltabellen sparades." in html
    sheet.refresh_from_db()
    assert sheet.revision == 2 and [f.text for f in sheet.footnotes.all()] == ["En fotnot."]
    # A second save with the old revision is refused.
    response = client.post(url, data)
    assert "Någon annan har sparat personaltabellen" in response.content.decode()


def test_registers_create_edit_delete(client, economy_demo, controller):
    client.force_login(controller)
    url = reverse("economy:register", kwargs={"slug": "kvalitetsdeklarationer", "year": 2025})
    html = client.get(url).content.decode()
    assert html.index("Östervägens aktivitetshus") < html.index("Serveringstillstånd</th>")
    response = client.post(
        reverse("economy:register_create", kwargs={"slug": "kvalitetsdeklarationer", "year": 2025}),
        {"name": "Ekonomiskt bistånd", "decided_on": "2017-11-14", "status": "ny", "sort_order": 5},
    )
    assert "”Ekonomiskt bistånd” finns redan för 2025." in response.content.decode()
    entry = QualityDeclaration.objects.get(name="Dödsboanmälan")
    response = client.post(
        reverse(
            "economy:register_edit",
            kwargs={"slug": "kvalitetsdeklarationer", "year": 2025, "pk": entry.pk},
        ),
        {
            "name": "Dödsboanmälan",
            "decided_on": "2024-10-07",
            "status": "reviderad",
            "sort_order": entry.sort_order,
            "revision": entry.revision,
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (
        entry.decided_on == datetime.date(2024, 10, 7) and entry.get_status_display() == "Reviderad"
    )
    tariff = Tariff.objects.get(name="Familjerådgivning")
    client.post(
        reverse(
            "economy:register_delete",
            kwargs={"slug": "taxor", "year": 2025, "pk": tariff.pk},
        )
    )
    assert not Tariff.objects.filter(pk=tariff.pk).exists()
    html = client.get(reverse("economy:register", kwargs={"slug": "taxor", "year": 2025})).content
    assert "gäller från 2019-01-01, före beslutet 2019-05-27" in html.decode()
    assert client.get("/ekonomi/okant/2025/").status_code == 404


def test_budget_versions_page_and_creating_a_copy(client, economy_demo, controller):
    client.force_login(controller)
    html = client.get(reverse("economy:versions")).content.decode()
    assert "Justerad budget 2024" in html and "Resultaträkning, per augusti 2024" in html
    response = client.post(
        reverse("economy:version_create"),
        {
            "year": "2025",
            "kind": "justerad",
            "name": "Justerad budget 2025",
            "copy_from": BudgetVersion.objects.get(name="Budget 2025").pk,
        },
    )
    assert response.status_code == 302
    assert (
        BudgetVersion.objects.get(name="Justerad budget 2025").values.count() == 10
    )  # 3 + 5 + 2 rows of the VP tables


def test_definition_page_shows_formulas_and_sign_convention(client, economy_demo, handlaggare):
    client.force_login(handlaggare)
    html = client.get(
        reverse("economy:definition", kwargs={"code": "VP_DRIFTBUDGET_NAMND"})
    ).content.decode()
    assert "Budget {fg_år} − Budget {år}" in html
    assert "Förändring = föregående års budget − årets budget" in html


# --- Query counts -------------------------------------------------------------------------


def _grid_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_grid_keeps_a_constant_number_of_queries_as_rows_grow(client, economy_demo, controller):
    client.force_login(controller)
    sheet = sheet_of("VP_DRIFTBUDGET_VERKSAMHET")
    url = sheet_url("VP_DRIFTBUDGET_VERKSAMHET")
    rowset = sheet.definition.rowset
    total = TableRow.objects.get(rowset=rowset, code="SUMMA")
    # The demo's Budget 2025 is fastställd (locked) with the VP: open it for the new rows.
    services.budget_version_set_locked(
        version=sheet.budget_version,
        locked=False,
        by=User.objects.get(username="forvaltningschef"),
    )

    def add_rows(n):
        for i in range(n):
            row = TableRow.objects.create(
                rowset=rowset,
                code=f"NY{TableRow.objects.count()}_{i}",
                label=f"Ny {i}",
                sort_order=45,
            )
            total.covers.add(row)
            services.cell_save(
                sheet=sheet,
                row=row,
                column=sheet.definition.columns.get(code="BUDGET"),
                raw="-1",
                expected_revision=0,
                by=controller,
            )
            services.commentary_save(
                sheet=sheet, row=row, text="Text", expected_revision=0, by=controller
            )

    add_rows(1)
    one = _grid_queries(client, url)
    add_rows(2)
    three = _grid_queries(client, url)
    add_rows(10)
    thirteen = _grid_queries(client, url)
    assert one == three == thirteen


def test_the_index_keeps_a_constant_number_of_queries(client, economy_demo, controller):
    client.force_login(controller)
    one = _grid_queries(client, reverse("economy:index"))
    services.budget_version_create(
        committee=economy_demo, year=2026, kind="ursprunglig", name="Budget 2026", by=controller
    )
    for code in ("VP_DRIFTBUDGET_NAMND", "VP_DRIFTBUDGET_VERKSAMHET"):
        services.sheet_create(
            committee=economy_demo,
            definition=TableDefinition.objects.get(code=code),
            year=2026,
            period="plan",
            budget_version=BudgetVersion.objects.get(name="Budget 2026"),
            previous_budget_version=BudgetVersion.objects.get(name="Budget 2025"),
            by=controller,
        )
    assert _grid_queries(client, reverse("economy:index")) == one


def test_role_matrix_for_entering(economy_demo):
    from solna_sn import permissions

    allowed = {
        role
        for role in Role.values
        if permissions.can_enter_economy(UserFactory(role=role, username=f"r-{role}"), economy_demo)
    }
    # A controller counts only with an enhet under the nämnd's förvaltning (see the demo's).
    assert allowed == {Role.GRANSKARE, Role.FORVALTNINGSCHEF}
    assert permissions.can_enter_economy(User.objects.get(username="controller"), economy_demo)


def test_footnotes_of_a_table_are_saved_and_a_stale_list_refused(client, economy_demo, controller):
    client.force_login(controller)
    sheet = sheet_of("VP_DRIFTBUDGET_VERKSAMHET")
    html = client.get(sheet_url("VP_DRIFTBUDGET_VERKSAMHET")).content.decode()
    fingerprint = services.footnotes_fingerprint([f.text for f in sheet.footnotes.all()])
    assert f'value="{fingerprint}"' in html
    url = reverse("economy:footnotes_save", kwargs={"pk": sheet.pk})
    response = client.post(
        url, {"footnotes": "Första.\nAndra.", "expected": fingerprint}, follow=True
    )
    assert "Fotnoterna sparades." in response.content.decode()
    assert [f.text for f in sheet.footnotes.all()] == ["Första.", "Andra."]
    response = client.post(url, {"footnotes": "Tredje.", "expected": fingerprint}, follow=True)
    assert "Någon annan har ändrat fotnoterna" in response.content.decode()


def test_the_administrator_keeps_definitions_and_the_mapping_in_the_admin(client, economy_demo):
    from economy.models import AccountMapping, RowSet

    admin = User.objects.get(username="admin")
    client.force_login(admin)
    definition = TableDefinition.objects.get(code="DELAR_RESULTATRAKNING")
    html = client.get(
        reverse("admin:economy_tabledefinition_change", args=[definition.pk])
    ).content.decode()
    assert "Definitionen går att räkna." in html and "Prognosavvikelse" in html
    rowset = RowSet.objects.get(code="RESULTATRAKNING")
    html = client.get(reverse("admin:economy_rowset_change", args=[rowset.pk])).content.decode()
    assert "Verksamhetens nettokostnader" in html
    mapping = AccountMapping.objects.get()
    response = client.get(reverse("admin:economy_accountmapping_change", args=[mapping.pk]))
    assert response.status_code == 200
    sheet = sheet_of("DELAR_RESULTATRAKNING")
    response = client.get(reverse("admin:economy_sheet_change", args=[sheet.pk]))
    assert response.status_code == 200 and 'name="_save"' not in response.content.decode()
    client.force_login(User.objects.get(username="controller"))
    assert client.get(reverse("admin:economy_tabledefinition_changelist")).status_code == 302
