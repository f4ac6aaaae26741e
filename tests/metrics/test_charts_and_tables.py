import re
from decimal import Decimal

import pytest
from django.urls import reverse

from metrics import demo as metrics_demo
from metrics.charts import ChartSeries, line_chart_svg, nice_max
from solna_sn import demo as org_demo
from solna_sn.models import Role
from tests.factories import UserFactory


def series(label, values):
    return ChartSeries(label, tuple(None if v is None else Decimal(v) for v in values))


def test_chart_has_accessible_name_description_and_legend():
    svg = line_chart_svg(
        [series("2023", [1] * 12), series("2024", [2] * 8 + [None] * 4)],
        title="Familjehemsvård, antal vårddygn",
        unit="vårddygn",
    )
    assert 'role="img"' in svg
    assert '<title id="chart-title">Familjehemsvård, antal vårddygn</title>' in svg
    assert "en linje per år: 2023, 2024" in svg
    assert svg.count("<polyline") == 2
    assert ">2023</text>" in svg and ">2024</text>" in svg
    assert 'stroke-dasharray="8 4"' in svg  # second year differs by dashes, not only colour
    assert ' aria-label="' not in svg  # axe: aria-prohibited-attr on a <g> without a role
    assert '<g class="series">\n<title>2023</title>' in svg


def test_gaps_break_the_line_instead_of_dropping_to_zero():
    svg = line_chart_svg(
        [series("2024", [5, 5, None, 5, 5, None, None, None, None, None, None, None])],
        title="T",
        unit="st",
    )
    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 4 + 1  # four points and the legend marker


def test_text_is_escaped():
    svg = line_chart_svg([series("<b>", [1] * 12)], title="A & B <script>", unit="kr")
    assert "<script>" not in svg and "A &amp; B &lt;script&gt;" in svg
    assert "&lt;b&gt;" in svg


def test_chart_without_values_says_so():
    svg = line_chart_svg([series("2024", [None] * 12)], title="T", unit="st")
    assert "Inga värden" in svg and "<polyline" not in svg


def test_chart_is_deterministic_and_uses_swedish_numbers():
    data = [
        series("2022", [9775, 8458, 11830, 8096, 10689, 10664, 9870, 9325, 9982, 8416, 9075, 10751])
    ]
    first = line_chart_svg(data, title="Snittbidrag per månad, kr", unit="kr")
    assert first == line_chart_svg(data, title="Snittbidrag per månad, kr", unit="kr")
    assert ">12 000</text>" in first or ">15 000</text>" in first


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 1), (1, 1), (7, 10), (1023, 2000), (1100, 2000), (240, 250), (11830, 20000), (45, 50)],
)
def test_nice_max(value, expected):
    assert nice_max(Decimal(value)) == expected


@pytest.fixture
def demo_metrics(db):
    committee = org_demo.load_organisation()
    org_demo.load_users(committee)
    metrics = metrics_demo.load_catalogue()
    metrics_demo.load_values(metrics)
    return metrics


def rows_of(html, caption):
    start = html.index(caption)
    table = html[start : html.index("</table>", start)]
    return {
        year: re.findall(r'<td class="num">([^<]*)</td>', row)
        for year, row in re.findall(r'<th scope="row">(\d{4})</th>(.*?)</tr>', table)
    }


def test_category_table_prints_as_the_report(client, demo_metrics):
    client.force_login(UserFactory(role=Role.HANDLAGGARE))
    html = client.get(reverse("metrics:category_table", args=["BARN", 2024])).content.decode()
    assert "<h1>Barn, 0-12 år</h1>" in html
    vard = rows_of(html, "Familjehemsvård, antal vårddygn</a>")
    assert vard["2022"][4] == "1 023"
    assert vard["2024"][:8] == [
        "1 085",
        "1 015",
        "1 085",
        "1 050",
        "1 085",
        "1 039",
        "1 073",
        "1 003",
    ]
    assert vard["2024"][8:] == ["", "", "", ""]
    aktual = rows_of(html, "Aktualiseringar utifrån misstanke")
    assert list(aktual) == ["2024"]
    assert aktual["2024"][:5] == ["-", "-", "-", "0", "2"]


def test_moved_metric_shows_dash_after_it_moved(client, demo_metrics):
    client.force_login(UserFactory(role=Role.HANDLAGGARE))
    html = client.get(reverse("metrics:category_table", args=["VINR", 2024])).content.decode()
    medfolj = rows_of(html, "Medföljande barn på skyddat boende")
    assert medfolj["2024"] == ["0", "0", "0"] + ["-"] * 9


def test_metric_history_has_chart_table_and_links(client, demo_metrics):
    client.force_login(UserFactory(role=Role.CONTROLLER))
    html = client.get(reverse("metrics:metric_history", args=["BARN-SKYDD"])).content.decode()
    assert 'role="img"' in html and "<table" in html
    assert "mäts från april 2024" in html
    assert "Ersätter:" in html and "Medföljande barn på skyddat boende" in html
    html = client.get(reverse("metrics:metric_history", args=["VINR-MEDFOLJ"])).content.decode()
    assert html.count("Fortsätter som:") == 2
    assert "till och med mars 2024" in html


def test_report_views_check_access_and_unknowns(client, demo_metrics):
    client.force_login(UserFactory(role=Role.NAMNDLEDAMOT))
    assert client.get(reverse("metrics:category_table", args=["BARN", 2024])).status_code == 403
    assert client.get(reverse("metrics:metric_history", args=["EB-HUSHALL"])).status_code == 403
    client.force_login(UserFactory(role=Role.HANDLAGGARE))
    assert client.get(reverse("metrics:category_table", args=["NEJ", 2024])).status_code == 404
    assert client.get(reverse("metrics:category_table", args=["BARN", 1066])).status_code == 404
    assert client.get(reverse("metrics:metric_history", args=["NEJ"])).status_code == 404


def test_category_table_query_count_is_constant(
    client, demo_metrics, django_assert_max_num_queries
):
    client.force_login(UserFactory(role=Role.HANDLAGGARE))
    with django_assert_max_num_queries(10) as few:  # Ekonomiskt bistånd: 2 metrics
        client.get(reverse("metrics:category_table", args=["EB", 2024]))
    with django_assert_max_num_queries(len(few.captured_queries)):  # Vuxna: 9 metrics
        client.get(reverse("metrics:category_table", args=["VUXNA", 2024]))
