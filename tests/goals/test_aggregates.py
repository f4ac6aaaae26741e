"""Key figures from monthly series: pure, no database. The fixture is the Delårsrapport's
own table of verksamhetsmått."""

from decimal import Decimal

import pytest

from goals import aggregates
from goals.aggregates import NOT_APPLICABLE, Aggregation, aggregate
from tests.goals.conftest import fixture_series

JAN_AUG = tuple(range(1, 9))


def points(cells):
    return [
        (
            month,
            Decimal(raw) if raw.strip() not in ("", "-") else (None if not raw.strip() else "-"),
        )
        for month, raw in enumerate(cells, start=1)
    ]


@pytest.mark.parametrize(
    ("year", "unrounded", "printed"),
    [
        (2024, Decimal("10210.375"), "10 210 kr"),
        (2023, Decimal("9414.75"), "9 415 kr"),
    ],
)
def test_medelbistand_jan_aug_is_the_mean_of_the_monthly_snittbidrag(year, unrounded, printed):
    cells = fixture_series("Snittbidrag per månad, kr")[year]
    figure = aggregate(
        points(cells), months=JAN_AUG, how=Aggregation.MEAN, title="Snittbidrag", year=year
    )
    assert figure.value == unrounded
    assert aggregates.rounded(figure.value, 0) == Decimal(printed.split(" kr")[0].replace(" ", ""))
    assert aggregates.figure_text(figure.value, 0, "kr") == printed
    assert figure.used == JAN_AUG and figure.missing == () and figure.problem == ""


def test_rounding_is_half_up_not_to_even():
    # 9 414,5 would be 9 414 with banker's rounding.
    assert aggregates.figure_text(Decimal("9414.5"), 0) == "9 415"
    assert aggregates.figure_text(Decimal("10210.5"), 0) == "10 211"
    assert aggregates.rounded(Decimal("9414.75"), 0) == Decimal("9415")


def test_sum_and_last_value():
    data = [(1, Decimal(3)), (2, Decimal("4.5")), (3, Decimal(0))]
    assert aggregate(data, months=(1, 2, 3), how="sum", title="x", year=2024).value == Decimal(
        "7.5"
    )
    last = aggregate(data, months=(1, 2, 3), how="last", title="x", year=2024)
    assert last.value == Decimal(0)  # zero is a real value, not "missing"


def test_a_month_not_reported_gives_no_figure_and_names_the_months():
    cells = fixture_series("Snittbidrag per månad, kr")[2024]  # sep–dec blank
    figure = aggregate(
        points(cells),
        months=tuple(range(1, 13)),
        how=Aggregation.MEAN,
        title="Snittbidrag per månad, kr",
        year=2024,
    )
    assert figure.value is None
    assert figure.missing == (9, 10, 11, 12)
    assert figure.problem == (
        "Ingen siffra för jan–dec 2024: ”Snittbidrag per månad, kr” är inte rapporterat för "
        "månaderna september–december 2024."
    )


def test_a_month_without_any_point_counts_as_not_reported():
    figure = aggregate([(1, Decimal(1))], months=(1, 2), how="mean", title="X", year=2024)
    assert figure.value is None
    assert "för månaden februari 2024" in figure.problem


def test_not_applicable_months_are_left_out_and_named_in_the_source():
    data = [(1, NOT_APPLICABLE), (2, NOT_APPLICABLE), (3, NOT_APPLICABLE)] + [
        (m, Decimal(10 * m)) for m in range(4, 9)
    ]
    figure = aggregate(data, months=JAN_AUG, how="mean", title="Avhopp", year=2024)
    assert figure.value == Decimal(60)  # (40 + 50 + 60 + 70 + 80) / 5
    assert figure.not_applicable == (1, 2, 3)
    source = aggregates.source_text(
        figure, how="mean", title="Avhopp", year=2024, origin="ur verksamhetsmåtten"
    )
    assert source == (
        "Medelvärde av ”Avhopp” jan–aug 2024 ur verksamhetsmåtten (jan–mar ej tillämpligt)"
    )


def test_a_period_that_is_not_applicable_throughout_gives_no_figure():
    figure = aggregate(
        [(m, NOT_APPLICABLE) for m in (1, 2, 3, 4)],
        months=(1, 2, 3, 4),
        how="sum",
        title="X",
        year=2024,
    )
    assert figure.value is None
    assert (
        figure.problem
        == "Ingen siffra för jan–apr 2024: ”X” är ej tillämpligt under hela perioden."
    )


def test_source_text_of_a_complete_mean():
    figure = aggregate(
        [(m, Decimal(1)) for m in JAN_AUG],
        months=JAN_AUG,
        how="mean",
        title="Snittbidrag",
        year=2024,
    )
    assert (
        aggregates.source_text(
            figure, how="mean", title="Snittbidrag", year=2024, origin="ur verksamhetsmåtten"
        )
        == "Medelvärde av ”Snittbidrag” jan–aug 2024 ur verksamhetsmåtten"
    )


def test_month_spans():
    assert aggregates.month_span([1, 2, 3, 4, 5, 6, 7, 8]) == "jan–aug"
    assert aggregates.month_span([2, 5]) == "feb och maj"
    assert aggregates.month_span([1, 2, 5, 7, 8]) == "jan–feb, maj och jul–aug"
    assert aggregates.month_span([6], abbreviated=False) == "juni"


def test_values_of_the_wrong_kind_are_a_programming_error():
    with pytest.raises(TypeError):
        aggregate([(1, 1.5)], months=(1,), how="mean", title="X", year=2024)
