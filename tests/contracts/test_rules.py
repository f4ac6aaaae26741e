"""Pure contract rules: no database."""

import datetime

import pytest

from contracts import rules

D = datetime.date


@pytest.mark.parametrize("number", ["556036-0793", "5560360793", "212000-0142", "802459-0120"])
def test_valid_org_numbers_are_accepted_and_normalised(number):
    assert rules.normalise_org_number(number) == f"{number[:6]}-{number[-4:]}"


def test_org_number_with_a_wrong_check_digit_is_refused():
    with pytest.raises(rules.RuleError, match="fel kontrollsiffra"):
        rules.normalise_org_number("556036-0794")


@pytest.mark.parametrize("text", ["55603-60793", "556036-079", "abcdef-ghij", "556036 0793x"])
def test_org_number_in_the_wrong_shape_is_refused(text):
    with pytest.raises(rules.RuleError, match="inget organisationsnummer"):
        rules.normalise_org_number(text)


def test_blank_org_number_is_allowed():
    assert rules.normalise_org_number("  ") == ""


def test_luhn_doubles_every_second_digit_from_the_right():
    assert rules.luhn_valid("79927398713")  # the textbook example, odd length
    assert not rules.luhn_valid("79927398710")
    assert not rules.luhn_valid("12a4")


def test_term_pattern_is_parsed():
    pattern = rules.parse_term_pattern(" 2 + 1 + 1 ")
    assert pattern == rules.TermPattern(2, (1, 1))
    assert str(pattern) == "2+1+1" and pattern.max_years == 4
    assert rules.parse_term_pattern("") is None


@pytest.mark.parametrize("text", ["2", "2+", "2,1,1", "2+0+1", "två+ett", "2+1.5", "+1+1"])
def test_term_pattern_not_like_2_plus_1_plus_1_is_refused(text):
    with pytest.raises(rules.RuleError, match="ingen förlängningsmodell"):
        rules.parse_term_pattern(text)


def test_term_pattern_longer_than_twenty_years_is_refused():
    with pytest.raises(rules.RuleError, match="mer än 20 år"):
        rules.parse_term_pattern("15+5+5")


def test_term_end_is_the_day_before_the_anniversary():
    assert rules.term_end(D(2021, 5, 2), 2) == D(2023, 5, 1)
    assert rules.term_end(D(2021, 3, 1), 4) == D(2025, 2, 28)
    assert rules.add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)


def test_base_term_must_match_the_pattern():
    rules.check_base_term(D(2021, 5, 2), D(2023, 5, 1), rules.TermPattern(2, (1, 1)))
    with pytest.raises(rules.RuleError, match="ska avtalet sluta 2023-05-01"):
        rules.check_base_term(D(2021, 5, 2), D(2025, 5, 1), rules.TermPattern(2, (1, 1)))


PATTERN = rules.TermPattern(2, (1, 1))
END = D(2023, 5, 1)


def test_next_option_and_current_and_latest_end():
    first = rules.next_option_period(END, PATTERN, [])
    assert first == rules.Period(D(2023, 5, 2), D(2024, 5, 1))
    second = rules.next_option_period(END, PATTERN, [first])
    assert second == rules.Period(D(2024, 5, 2), D(2025, 5, 1))
    assert rules.next_option_period(END, PATTERN, [first, second]) is None
    assert rules.current_end(END, [first]) == D(2024, 5, 1)
    assert rules.latest_possible_end(END, PATTERN, []) == D(2025, 5, 1)
    assert rules.latest_possible_end(END, PATTERN, [first]) == D(2025, 5, 1)
    assert rules.current_end(None, []) is None


def test_extension_is_accepted_when_it_follows_on_directly():
    rules.check_extension(END, PATTERN, [], rules.Period(D(2023, 5, 2), D(2024, 5, 1)))
    rules.check_extension(END, PATTERN, [], rules.Period(D(2023, 5, 2), D(2023, 12, 31)))


def test_overlapping_extension_is_refused():
    first = rules.Period(D(2023, 5, 2), D(2024, 5, 1))
    with pytest.raises(rules.RuleError, match="överlappar förlängningen 2023-05-02–2024-05-01"):
        rules.check_extension(END, PATTERN, [first], rules.Period(D(2024, 1, 1), D(2024, 12, 31)))
    with pytest.raises(rules.RuleError, match="överlappar avtalets grundperiod"):
        rules.check_extension(END, PATTERN, [], rules.Period(D(2023, 4, 1), D(2024, 3, 31)))


def test_extension_with_a_gap_too_long_or_beyond_the_options_is_refused():
    with pytest.raises(rules.RuleError, match="dagen efter"):
        rules.check_extension(END, PATTERN, [], rules.Period(D(2023, 6, 1), D(2024, 5, 1)))
    with pytest.raises(rules.RuleError, match="som längst till 2024-05-01"):
        rules.check_extension(END, PATTERN, [], rules.Period(D(2023, 5, 2), D(2024, 6, 1)))
    used = [rules.Period(D(2023, 5, 2), D(2024, 5, 1)), rules.Period(D(2024, 5, 2), D(2025, 5, 1))]
    with pytest.raises(rules.RuleError, match="redan utnyttjade"):
        rules.check_extension(END, PATTERN, used, rules.Period(D(2025, 5, 2), D(2026, 5, 1)))
    with pytest.raises(rules.RuleError, match="ingen förlängningsmodell"):
        rules.check_extension(END, None, [], rules.Period(D(2023, 5, 2), D(2024, 5, 1)))


def test_expiry_warning_within_twelve_months_without_a_planned_procurement():
    today = D(2024, 3, 1)
    assert rules.needs_procurement_warning(D(2025, 2, 28), today, procurement_planned=False)
    assert rules.needs_procurement_warning(D(2025, 3, 1), today, procurement_planned=False)
    assert not rules.needs_procurement_warning(D(2025, 3, 2), today, procurement_planned=False)
    assert not rules.needs_procurement_warning(D(2025, 2, 28), today, procurement_planned=True)
    assert not rules.needs_procurement_warning(D(2024, 2, 1), today, procurement_planned=False)
    assert not rules.needs_procurement_warning(None, today, procurement_planned=False)
    assert rules.expires_soon(D(2024, 2, 1), today)


def test_add_months_keeps_the_end_of_month():
    assert rules.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert rules.add_months(D(2024, 3, 1), 12) == D(2025, 3, 1)
    assert rules.add_months(D(2024, 11, 30), 3) == D(2025, 2, 28)


def test_in_force_during_a_year():
    assert rules.in_force_during(D(2021, 5, 2), D(2024, 1, 1), 2024)
    assert rules.in_force_during(D(2024, 12, 31), None, 2024)
    assert not rules.in_force_during(D(2025, 1, 1), D(2029, 12, 31), 2024)
    assert not rules.in_force_during(D(2020, 1, 1), D(2023, 12, 31), 2024)


def test_kind_alternates_from_last_year_and_starts_with_ordinarie():
    assert rules.propose_kind(None) == rules.ORDINARY
    assert rules.propose_kind(rules.ORDINARY) == rules.SIMPLIFIED
    assert rules.propose_kind(rules.SIMPLIFIED) == rules.ORDINARY


def test_rating_counts_are_computed_in_scale_order():
    counts = rules.count_ratings(["b", "a", "", "a", "x"], ["a", "b", "c"])
    assert counts == {"a": 2, "b": 1, "c": 0, "": 2}
