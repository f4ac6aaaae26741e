from decimal import Decimal

import pytest

from metrics.cells import CellError, CellKind, format_cell, parse_cell
from metrics.checks import days_limit_warning, outlier_warning


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ("1 023", CellKind.NUMBER, Decimal(1023)),
        ("0", CellKind.NUMBER, Decimal(0)),
        (" 12 ", CellKind.NUMBER, Decimal(12)),
        ("-", CellKind.NOT_APPLICABLE, None),
        ("–", CellKind.NOT_APPLICABLE, None),
        ("", CellKind.NOT_REPORTED, None),
        ("   ", CellKind.NOT_REPORTED, None),
        (None, CellKind.NOT_REPORTED, None),
        (1023, CellKind.NUMBER, Decimal(1023)),
        (1023.0, CellKind.NUMBER, Decimal(1023)),
        ("12,0", CellKind.NUMBER, Decimal(12)),
    ],
)
def test_parse_cell_accepts_the_three_states(raw, kind, value):
    cell = parse_cell(raw)
    assert cell.kind is kind
    assert cell.value == value


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("tolv", "”tolv” är inte ett tal."),
        ("12,5", "12,5 är inte ett heltal."),
        (12.5, "12,5 är inte ett heltal."),
        ("-3", "-3 är negativt"),
        ("1 0 2", "är inte ett tal"),
        ("12,3,0", "mer än ett decimalkomma"),
        (True, "inte ett tal"),
        (float("nan"), "inte ett tal"),
        ("9" * 20, "för stort"),
    ],
)
def test_parse_cell_rejects_bad_input_with_swedish_messages(raw, message):
    with pytest.raises(CellError) as error:
        parse_cell(raw)
    assert message in str(error.value)


def test_parse_cell_respects_metric_decimals_and_sign():
    assert parse_cell("12,5", decimals=1).value == Decimal("12.5")
    with pytest.raises(CellError, match="Högst 1 decimaler"):
        parse_cell("12,55", decimals=1)
    assert parse_cell("−43", allow_negative=True).value == Decimal(-43)


def test_zero_is_a_number_not_blank():
    cell = parse_cell("0")
    assert cell.kind is CellKind.NUMBER and cell.display == "0"


def test_format_cell():
    assert format_cell(Decimal("10629")) == "10 629"
    assert format_cell(None) == ""
    assert format_cell(None, not_applicable=True) == "-"


def test_outlier_needs_history_and_allows_normal_variation():
    history = [Decimal(v) for v in (80, 95, 103, 84, 92, 128)]
    assert outlier_warning(Decimal(130), history) is None
    assert outlier_warning(Decimal(60), history) is None
    message = outlier_warning(Decimal(400), history)
    assert message == "400 ligger långt utanför de senaste 24 månadernas värden (80–128)."
    assert outlier_warning(Decimal(400), history[:5]) is None  # too little history


def test_small_steady_series_do_not_warn_on_small_changes():
    history = [Decimal(v) for v in (0, 1, 0, 1, 2, 1)]
    assert outlier_warning(Decimal(3), history) is None
    assert outlier_warning(Decimal(10), history) is not None


def test_days_limit_uses_days_in_month():
    # Ungdom dygnetrunt 2022 feb: 8 persons, 240 days > 8 × 28 = 224 (a real source breach).
    message = days_limit_warning(
        value=Decimal(240),
        reference=Decimal(8),
        days=28,
        title="Vårddygn",
        reference_title="Antal personer",
    )
    assert message == ("Vårddygn (240) är fler än antal personer × dagar i månaden (8 × 28 = 224).")
    assert (
        days_limit_warning(
            value=Decimal(1023), reference=Decimal(33), days=31, title="V", reference_title="P"
        )
        is None
    )


COLUMN = {"max_digits": 16, "decimal_places": 4}  # MetricValue.value


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("999999999999999", "Talet är för stort: högst 999 999 999 999"),
        (999999999999999, "Talet är för stort: högst 999 999 999 999"),
        (1e308, "Talet är för stort"),
        (-1e308, "Talet är för stort"),
        (float("inf"), "inte ett tal"),
        (Decimal("NaN"), "inte ett tal"),
        ("1" * 100_000, "för stort"),
    ],
)
def test_parse_cell_refuses_values_the_column_cannot_hold(raw, message):
    with pytest.raises(CellError) as error:
        parse_cell(raw, allow_negative=True, **COLUMN)
    assert message in str(error.value)
    assert len(str(error.value)) < 200


def test_parse_cell_accepts_the_largest_value_the_column_holds():
    assert parse_cell("999 999 999 999", **COLUMN).value == Decimal(999_999_999_999)


def test_parse_cell_refuses_values_outside_the_metrics_range():
    limits = {"min_value": Decimal(0), "max_value": Decimal(100)}
    assert parse_cell("100", **limits).value == 100
    with pytest.raises(CellError, match="högre än det högsta tillåtna värdet för måttet, 100"):
        parse_cell("101", **limits)
    with pytest.raises(CellError, match="lägre än det lägsta tillåtna värdet för måttet, 5"):
        parse_cell("4", min_value=Decimal(5))
    assert parse_cell("-", **limits).kind is CellKind.NOT_APPLICABLE


def test_jump_from_a_history_of_zero_or_dash_warns():
    from metrics.checks import zero_jump_warning

    assert zero_jump_warning(Decimal(1023), [Decimal(0), None, Decimal(0)]) == (
        "1 023 är ett stort hopp: de 3 tidigare rapporterade månaderna (senaste 24) är alla "
        "0 eller ”-”."
    )
    assert zero_jump_warning(Decimal(1023), [None, None]) is not None
    assert zero_jump_warning(Decimal(2), [Decimal(0), Decimal(0)]) is None  # small start
    assert zero_jump_warning(Decimal(1023), [Decimal(0)]) is None  # too little history
    assert zero_jump_warning(Decimal(1023), [Decimal(0), Decimal(5)]) is None
