import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from metrics.models import MetricValue, MonthState, MonthStatus
from solna_sn.lib.periods import Month
from solna_sn.models import Role
from tests.factories import UserFactory

SEP = Month(2024, 9)


def grid_url(unit, month=SEP):
    return reverse("metrics:month_grid", kwargs={"month": month, "unit_code": unit.code})


def cell_url(metric, month=SEP):
    return reverse("metrics:cell_save", kwargs={"metric_code": metric.code, "month": month})


def test_grid_shows_previous_month_and_last_year_beside_the_input(client, persons, controller):
    MetricValue.objects.create(metric=persons, month=datetime.date(2024, 8, 1), value=1023)
    MetricValue.objects.create(metric=persons, month=datetime.date(2023, 9, 1), not_applicable=True)
    MetricValue.objects.create(metric=persons, month=SEP.first_day, value=7, version=3)
    client.force_login(controller)
    html = client.get(grid_url(persons.owner)).content.decode()
    assert "<h1>Månadsrapportering: september 2024</h1>" in html
    row = html[html.index('id="rad-PERS"') :]
    row = row[: row.index("</tr>")]
    assert '<td class="num">1 023</td>' in row
    assert '<td class="num">-</td>' in row
    assert 'name="value" value="7"' in row
    assert 'name="version" value="3"' in row
    assert 'aria-labelledby="title-PERS col-value"' in row


def test_metric_outside_validity_shows_dash_and_no_input(client, make_metric, controller):
    metric = make_metric(code="NY", valid_from=datetime.date(2024, 10, 1))
    client.force_login(controller)
    html = client.get(grid_url(metric.owner)).content.decode()
    row = html[html.index('id="rad-NY"') :]
    row = row[: row.index("</tr>")]
    assert "cell-input" not in row
    assert "Mäts inte" in row


def test_cell_save_htmx_fragment_on_success(client, persons, controller):
    client.force_login(controller)
    response = client.post(
        cell_url(persons), {"value": "12", "version": "0"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="status-PERS"' in html and "✓ Sparat" in html
    assert 'id="version-PERS" name="version" value="1"' in html and 'hx-swap-oob="true"' in html
    assert MetricValue.objects.get().value == 12


def test_cell_save_error_fragment_says_what_is_wrong(client, persons, controller):
    client.force_login(controller)
    html = client.post(
        cell_url(persons), {"value": "tolv", "version": "0"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-state="error"' in html
    assert "<strong>Fel:</strong> ”tolv” är inte ett tal." in html
    assert not MetricValue.objects.reported().exists()


def test_cell_save_warning_offers_confirmation(client, persons, care_days, controller):
    MetricValue.objects.create(metric=persons, month=SEP.first_day, value=2)
    client.force_login(controller)
    html = client.post(
        cell_url(care_days), {"value": "100", "version": "0"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<strong>Varning:</strong>" in html
    assert "(2 × 30 = 60)" in html
    assert "Bekräfta värdet" in html and 'hx-vals=\'{"confirm": "1"}\'' in html
    html = client.post(
        cell_url(care_days),
        {"value": "100", "version": "0", "confirm": "1", "comment": "Två korta placeringar"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "✓ Sparat med kommentar" in html


def test_cell_save_without_htmx_redirects_with_message(client, persons, controller):
    client.force_login(controller)
    response = client.post(cell_url(persons), {"value": "-1", "version": "0"}, follow=True)
    assert "är negativt" in response.content.decode()


def test_cell_save_without_version_is_a_bad_request(client, persons, controller):
    client.force_login(controller)
    assert client.post(cell_url(persons), {"value": "1"}).status_code == 400


def test_locked_month_is_read_only_in_the_grid_and_on_post(client, persons, controller):
    MonthStatus.objects.create(
        unit=persons.owner,
        month=SEP.first_day,
        state=MonthState.LOCKED,
        locked_at=datetime.datetime.now(datetime.UTC),
        locked_by=controller,
    )
    client.force_login(controller)
    html = client.get(grid_url(persons.owner)).content.decode()
    assert "cell-input" not in html
    assert "Månaden är låst och kan inte ändras." in html
    html = client.post(
        cell_url(persons), {"value": "1", "version": "0"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "är låst för Vuxenenheten" in html
    assert not MetricValue.objects.exists()


@pytest.mark.parametrize("role", [Role.HANDLAGGARE, Role.GRANSKARE, Role.ADMINISTRATOR])
def test_only_controllers_of_the_unit_may_post_cells(client, persons, role):
    client.force_login(UserFactory(role=role, units=[persons.owner]))
    assert client.post(cell_url(persons), {"value": "1", "version": "0"}).status_code == 403
    html = client.get(grid_url(persons.owner)).content.decode()
    assert "cell-input" not in html and "Du kan läsa värdena" in html


def test_namndledamot_cannot_see_metrics(client, persons):
    client.force_login(UserFactory(role=Role.NAMNDLEDAMOT))
    assert client.get(grid_url(persons.owner)).status_code == 403
    assert client.get(reverse("metrics:status_overview", args=[2024])).status_code == 403


def test_unknown_unit_or_bad_month_is_404(client, persons, controller):
    client.force_login(controller)
    assert client.get("/verksamhetsmatt/manad/2024-09/FINNSINTE/").status_code == 404
    assert client.get("/verksamhetsmatt/manad/2024-13/VUX/").status_code == 404


def test_month_buttons_follow_the_workflow(client, persons, controller, granskare):
    client.force_login(controller)
    response = client.post(reverse("metrics:month_report", args=[SEP, "VUX"]), follow=True)
    assert "1 mått saknar värde för september 2024" in response.content.decode()
    client.post(cell_url(persons), {"value": "3", "version": "0"})
    response = client.post(reverse("metrics:month_report", args=[SEP, "VUX"]), follow=True)
    html = response.content.decode()
    assert "September 2024 är inrapporterad för Vuxenenheten." in html
    assert "Lås månaden" in html
    client.force_login(granskare)
    client.post(reverse("metrics:month_lock", args=[SEP, "VUX"]))
    assert MonthStatus.objects.get().state == MonthState.LOCKED
    response = client.post(
        reverse("metrics:month_reopen", args=[SEP, "VUX"]), {"reason": ""}, follow=True
    )
    assert "Ange varför månaden behöver öppnas igen." in response.content.decode()
    client.post(reverse("metrics:month_reopen", args=[SEP, "VUX"]), {"reason": "Rättelse"})
    assert MonthStatus.objects.get().state == MonthState.OPEN


def test_cell_history_lists_changes_with_comment(client, persons, controller):
    client.force_login(controller)
    client.post(cell_url(persons), {"value": "3", "version": "0"})
    client.post(cell_url(persons), {"value": "4", "version": "1", "comment": "Rättad"})
    html = client.get(reverse("metrics:cell_history", args=["PERS", SEP])).content.decode()
    assert html.count("Värde ändrat i månadsrapporteringen") == 2
    # The person's name, never the username (the demo's "controller" reads as a role code).
    assert html.count(f"<td>{controller.get_full_name()}</td>") == 2
    assert "metric_value.changed" not in html
    assert '<td class="num">3</td>' in html and '<td class="num">4</td>' in html
    assert "Rättad" in html


def test_status_overview_counts_missing_per_unit_and_month(
    client, persons, make_metric, controller
):
    make_metric(code="B")
    MetricValue.objects.create(metric=persons, month=SEP.first_day, value=1)
    client.force_login(controller)
    html = client.get(reverse("metrics:status_overview", args=[2024])).content.decode()
    assert "Vuxenenheten, september 2024: Öppen, 1 saknas" in html
    assert "Vuxenenheten, augusti 2024: Öppen, 2 saknas" in html


def test_grid_query_count_is_constant(
    client, make_metric, controller, django_assert_max_num_queries
):
    make_metric()
    client.force_login(controller)
    with django_assert_max_num_queries(20) as one:
        client.get(grid_url(controller.units.get()))
    for _ in range(10):
        metric = make_metric()
        MetricValue.objects.create(metric=metric, month=SEP.first_day, value=1)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(grid_url(controller.units.get()))


def test_index_sends_controller_to_the_first_open_month(client, persons, controller):
    MonthStatus.objects.create(
        unit=persons.owner,
        month=datetime.date(2024, 8, 1),
        state=MonthState.LOCKED,
        locked_at=datetime.datetime.now(datetime.UTC),
        locked_by=controller,
    )
    client.force_login(controller)
    response = client.get(reverse("metrics:index"))
    assert response["Location"] == grid_url(persons.owner)


def htmx_save(client, metric, data):
    return client.post(cell_url(metric), data, HTTP_HX_REQUEST="true").content.decode()


def test_cell_save_refuses_a_number_too_large_for_the_column(client, persons, controller):
    """15 digits parse but do not fit the column (16 digits, 4 of them decimals): a message."""
    client.force_login(controller)
    html = htmx_save(client, persons, {"value": "999 999 999 999 999", "version": "0"})
    assert 'data-state="error"' in html
    assert "Talet är för stort: högst 999 999 999 999 (12 siffror före decimalkommat)." in html
    assert not MetricValue.objects.exists()
    html = client.get(grid_url(persons.owner)).content.decode()
    assert "1 mått saknar värde." in html


@pytest.mark.parametrize(
    ("comment", "message"),
    [("Två\x00korta", "otillåtna styrtecken"), ("x" * 100_000, "Texten är för lång")],
)
def test_confirming_comment_with_nul_or_100000_characters_gets_a_message(
    client, persons, care_days, controller, comment, message
):
    MetricValue.objects.create(metric=persons, month=SEP.first_day, value=2)
    client.force_login(controller)
    html = htmx_save(
        client, care_days, {"value": "100", "version": "0", "confirm": "1", "comment": comment}
    )
    assert message in html
    assert 'id="comment-DYGN"' in html  # the comment field stays, with the message
    assert not MetricValue.objects.reported().filter(metric=care_days).exists()


@pytest.mark.parametrize("reason", ["Rättelse\x00", "x" * 100_000])
def test_reopen_reason_with_nul_or_100000_characters_gets_a_message(
    client, persons, controller, granskare, reason
):
    MonthStatus.objects.create(
        unit=persons.owner,
        month=SEP.first_day,
        state=MonthState.LOCKED,
        locked_at=datetime.datetime.now(datetime.UTC),
        locked_by=granskare,
    )
    client.force_login(granskare)
    response = client.post(
        reverse("metrics:month_reopen", args=[SEP, "VUX"]), {"reason": reason}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "otillåtna styrtecken" in html or "Texten är för lång" in html
    assert MonthStatus.objects.get().state == MonthState.LOCKED


def test_value_needing_a_comment_is_marked_not_saved_and_keeps_its_comment_field(
    client, persons, care_days, controller
):
    MetricValue.objects.create(metric=persons, month=SEP.first_day, value=2)
    client.force_login(controller)
    html = htmx_save(client, care_days, {"value": "100", "version": "0"})
    assert 'data-state="warning"' in html
    assert "Inte sparat" in html
    assert 'id="comment-DYGN"' in html and 'data-confirm-for="DYGN"' in html
    # Enter in the comment field without a comment: the warning and the field stay.
    html = htmx_save(client, care_days, {"value": "100", "version": "0", "confirm": "1"})
    assert 'data-state="warning"' in html and "Inte sparat" in html
    assert 'id="comment-DYGN"' in html
    assert "Skriv en kommentar som förklarar varför värdet stämmer." in html
    assert not MetricValue.objects.reported().filter(metric=care_days).exists()


def test_missing_count_is_live_and_updated_after_each_save(
    client, persons, make_metric, controller
):
    make_metric(code="B")
    client.force_login(controller)
    html = client.get(grid_url(persons.owner)).content.decode()
    assert '<span id="missing-line" aria-live="polite">2 mått saknar värde.</span>' in html
    html = htmx_save(client, persons, {"value": "3", "version": "0"})
    assert '<span id="missing-line" hx-swap-oob="innerHTML">1 mått saknar värde.</span>' in html
    html = htmx_save(client, persons, {"value": "", "version": "1"})
    assert '<span id="missing-line" hx-swap-oob="innerHTML">2 mått saknar värde.</span>' in html


def test_future_month_has_no_inputs_and_refuses_posts(client, persons, controller):
    future = Month.from_date(timezone.localdate()).next()
    client.force_login(controller)
    html = client.get(grid_url(persons.owner, future)).content.decode()
    assert "cell-input" not in html
    assert "har inte börjat" in html
    response = client.post(
        cell_url(persons, future), {"value": "3", "version": "0"}, HTTP_HX_REQUEST="true"
    )
    assert "har inte börjat" in response.content.decode()
    assert not MetricValue.objects.exists()


def test_a_locked_month_shows_a_drawn_lock_not_an_emoji(client, persons, controller, granskare):
    MetricValue.objects.create(metric=persons, month=SEP.first_day, value=1)
    client.force_login(controller)
    client.post(reverse("metrics:month_report", args=[SEP, "VUX"]))
    client.force_login(granskare)
    client.post(reverse("metrics:month_lock", args=[SEP, "VUX"]))
    html = client.get(reverse("metrics:status_overview", args=[2024])).content.decode()
    assert '<svg aria-hidden="true"' in html and "</svg> Låst" in html
    assert "🔒" not in html


def _grid_with_values(client, make_metric, count):
    """`count` metrics, each with this month, the month before and last year's value."""
    for _ in range(count):
        metric = make_metric()
        for month in (SEP, SEP.previous(), SEP.same_month_last_year()):
            MetricValue.objects.create(metric=metric, month=month.first_day, value=3)


def test_grid_queries_are_the_same_for_1_and_40_metrics(
    client, make_metric, controller, django_assert_num_queries
):
    client.force_login(controller)
    unit = controller.units.get()
    _grid_with_values(client, make_metric, 1)
    with CaptureQueriesContext(connection) as one:
        html = client.get(grid_url(unit)).content.decode()
    assert html.count('class="cell-input"') == 1
    _grid_with_values(client, make_metric, 39)
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get(grid_url(unit)).content.decode()
    assert html.count('class="cell-input"') == 40
    assert html.count('<td class="num">3</td>') == 80  # the month before and last year


def test_grid_rows_escape_titles_and_keep_their_markup(client, make_metric, controller):
    metric = make_metric(code="X1", title="<b>Placering</b> & annat")
    client.force_login(controller)
    html = client.get(grid_url(controller.units.get())).content.decode()
    assert "&lt;b&gt;Placering&lt;/b&gt; &amp; annat" in html and "<b>Placering" not in html
    assert f'hx-post="{cell_url(metric)}"' in html
    assert 'aria-labelledby="title-X1 col-value"' in html
    assert '<td id="status-X1" class="cell-status" data-state="idle"></td>' in html
    assert 'name="csrfmiddlewaretoken"' in html
