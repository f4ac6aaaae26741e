from decimal import Decimal

import pytest
from django.template import Context, Template

from solna_sn.lib.numbers import (
    NumberFormatError,
    format_count,
    format_number,
    format_percent,
    parse_integer,
    parse_number,
    parse_percent,
    plural,
)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1023, 0, "1 023"),
        (10629, 0, "10 629"),
        (Decimal("138.2"), 1, "138,2"),
        (Decimal("-43.25"), 1, "-43,3"),
        (Decimal("-43.35"), 1, "-43,4"),
        (Decimal("0.05"), 1, "0,1"),
        (Decimal("0.04"), 1, "0,0"),
        (Decimal("-0.04"), 1, "0,0"),
        (Decimal("-0"), 0, "0"),
        (0, 0, "0"),
        (999, 0, "999"),
        (1000, 0, "1 000"),
        (-1234567, 0, "-1 234 567"),
        (Decimal("1234567.891"), 2, "1 234 567,89"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("-2.5"), 0, "-3"),
        (12, 2, "12,00"),
        (0.1 + 0.2, 2, "0,30"),
        (None, 0, ""),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_format_percent():
    assert format_percent(Decimal("7.1")) == "7,1 %"
    assert format_percent(Decimal("-3.25")) == "-3,3 %"
    assert format_percent(12, 0) == "12 %"
    assert format_percent(None) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 023", Decimal(1023)),
        ("1\u00a0023", Decimal(1023)),
        ("1\u202f023", Decimal(1023)),
        ("1\u2009023", Decimal(1023)),
        ("10 629", Decimal(10629)),
        ("1 234 567,5", Decimal("1234567.5")),
        ("138,2", Decimal("138.2")),
        ("-43,3", Decimal("-43.3")),
        ("\u221243,3", Decimal("-43.3")),
        ("\u201343,3", Decimal("-43.3")),
        ("+5", Decimal(5)),
        ("  12  ", Decimal(12)),
        ("0", Decimal(0)),
        ("007", Decimal(7)),
        ("0,000001", Decimal("0.000001")),
        ("999999999999999", Decimal(999999999999999)),
        (42, Decimal(42)),
        (Decimal("1.5"), Decimal("1.5")),
    ],
)
def test_parse_number_accepts_swedish_formats(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Värdet saknas."),
        ("   ", "Värdet saknas."),
        (None, "Värdet saknas."),
        ("abc", "”abc” är inte ett tal."),
        ("tolv", "”tolv” är inte ett tal."),
        ("12,3,0", "har mer än ett decimalkomma"),
        ("-43,3,0", "har mer än ett decimalkomma"),
        ("138.2", "Använd decimalkomma: 138,2"),
        ("1 0 2", "mellanslag får bara skilja tusental"),
        ("10 23", "mellanslag får bara skilja tusental"),
        ("1 023,", "decimalkomma måste följas av siffror"),
        ("9" * 16, "för stort"),
        ("1,1234567", "för många decimaler"),
        ("1e5", "inte ett tal"),
        ("nan", "inte ett tal"),
        ("inf", "inte ett tal"),
        ("-", "inte ett tal"),
        ("--5", "inte ett tal"),
        ("5-", "inte ett tal"),
        ("12 %", "inte ett tal"),
        (True, "sant/falskt"),
        (Decimal("NaN"), "inte ett tal"),
    ],
)
def test_parse_number_rejects_bad_input_in_swedish(text, message):
    with pytest.raises(NumberFormatError) as error:
        parse_number(text)
    assert message in str(error.value)


@pytest.mark.parametrize(
    "value",
    [
        Decimal("0"),
        Decimal("1"),
        Decimal("-1"),
        Decimal("1023"),
        Decimal("-43.3"),
        Decimal("1234567.89"),
        Decimal("0.5"),
        Decimal("999999999999999"),
    ],
)
def test_format_then_parse_round_trips(value):
    places = max(0, -value.as_tuple().exponent)
    assert parse_number(format_number(value, places)) == value


def test_parse_integer():
    assert parse_integer("1 023") == 1023
    assert parse_integer("12,0") == 12
    assert parse_integer("\u22125") == -5
    with pytest.raises(NumberFormatError, match=r"12,5 är inte ett heltal\."):
        parse_integer("12,5")
    with pytest.raises(NumberFormatError, match="inte ett tal"):
        parse_integer("tolv")


def test_parse_percent():
    assert parse_percent("7,1 %") == Decimal("7.1")
    assert parse_percent("7,1%") == Decimal("7.1")
    assert parse_percent("-3,3") == Decimal("-3.3")
    with pytest.raises(NumberFormatError):
        parse_percent("%")


def test_template_filters_print_swedish_formats():
    template = Template(
        "{% load sv %}{{ a|sv_number }}|{{ b|sv_number:1 }}|{{ c|sv_percent }}|{{ d|sv_number }}"
    )
    context = Context({"a": 1023, "b": Decimal("-43.25"), "c": Decimal("7.14"), "d": None})
    assert template.render(context) == "1 023|-43,3|7,1 %|"


@pytest.mark.parametrize(
    ("value", "limits", "message"),
    [
        ("999999999999999", {"max_digits": 12, "decimal_places": 2}, "för stort"),
        (999999999999999, {"max_digits": 12, "decimal_places": 2}, "för stort"),
        (1e308, {"max_digits": 12, "decimal_places": 2}, "för stort"),
        (float("inf"), {}, "inte ett tal"),
        (float("nan"), {}, "inte ett tal"),
        ("1,25", {"max_digits": 8, "decimal_places": 1}, "högst 1 decimal"),
        ("1,5", {"max_digits": 8, "decimal_places": 0}, "heltal"),
    ],
)
def test_parse_number_refuses_values_outside_the_column(value, limits, message):
    with pytest.raises(NumberFormatError) as error:
        parse_number(value, **limits)
    assert message in str(error.value)


def test_parse_number_accepts_the_largest_value_of_the_column():
    assert parse_number("9 999 999 999,99", max_digits=12, decimal_places=2) == Decimal(
        "9999999999.99"
    )
    assert parse_number(2.5, max_digits=4, decimal_places=1) == Decimal("2.5")


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 sidor"),
        (1, "1 sida"),
        (2, "2 sidor"),
        (1200, "1 200 sidor"),
        (Decimal("1"), "1 sida"),
        (-1, "-1 sidor"),
    ],
)
def test_a_count_takes_the_swedish_singular_only_for_one(count, expected):
    assert format_count(count, "sida", "sidor") == expected


def test_the_plural_helper_and_its_template_filter_agree():
    template = Template('{% load sv %}{{ n|sv_count:"sida,sidor" }}|{{ m|sv_count:"mått" }}')
    assert template.render(Context({"n": 1, "m": 3})) == "1 sida|3 mått"
    assert template.render(Context({"n": 5, "m": 1})) == "5 sidor|1 mått"
    assert plural(1, "ärende", "ärenden") == "ärende"
    assert plural(13, "ärende", "ärenden") == "ärenden"
