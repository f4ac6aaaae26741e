"""The pure rules: riskindex on a configurable scale, bands, control months, figures and
percentages. No database."""

from decimal import Decimal

import pytest

from controls import rules


@pytest.mark.parametrize(
    ("likelihood", "consequence", "index", "scale", "expected"),
    [
        (3, 4, None, 5, 12),
        (3, 4, 12, 5, 12),  # a given index that agrees is fine
        (None, None, 12, 5, 12),  # the plan prints only the index
        (None, None, 16, 4, 16),
        (5, 5, None, 5, 25),
        (1, 1, None, 4, 1),
    ],
)
def test_risk_index(likelihood, consequence, index, scale, expected):
    assert (
        rules.risk_index(
            likelihood=likelihood, consequence=consequence, index=index, scale_max=scale
        )
        == expected
    )


@pytest.mark.parametrize(
    ("likelihood", "consequence", "index", "scale", "field", "message"),
    [
        (None, None, 26, 5, "risk_index", "Riskindex ska ligga mellan 1 och 25"),
        (None, None, 20, 4, "risk_index", "mellan 1 och 16 på nämndens skala 1–4"),
        (None, None, 0, 5, "risk_index", "mellan 1 och 25"),
        (None, None, 7, 5, "risk_index", "kan inte bildas som sannolikhet × konsekvens"),
        (None, None, 11, 5, "risk_index", "kan inte bildas"),
        (3, 4, 10, 5, "risk_index", "stämmer inte med sannolikhet × konsekvens (3 × 4 = 12)"),
        (6, 2, None, 5, "likelihood", "Sannolikhet ska vara ett heltal från 1 till 5"),
        (2, 5, None, 4, "consequence", "Konsekvens ska vara ett heltal från 1 till 4"),
        (0, 2, None, 5, "likelihood", "Sannolikhet ska vara"),
        (3, None, None, 5, "consequence", "Ange även konsekvens"),
        (None, 3, None, 5, "likelihood", "Ange även sannolikhet"),
        (None, None, None, 5, "risk_index", "Ange riskindex"),
    ],
)
def test_risk_index_refuses_values_off_the_scale(
    likelihood, consequence, index, scale, field, message
):
    with pytest.raises(rules.RuleError) as caught:
        rules.risk_index(
            likelihood=likelihood, consequence=consequence, index=index, scale_max=scale
        )
    assert message in str(caught.value)
    assert caught.value.field == field


def test_bands_scale_with_the_configured_scale():
    assert [rules.band(i, 5) for i in (1, 4, 5, 9, 10, 25)] == [
        "low",
        "low",
        "medium",
        "medium",
        "high",
        "high",
    ]
    assert [rules.band(i, 4) for i in (3, 4, 6, 7, 16)] == [
        "low",
        "medium",
        "medium",
        "high",
        "high",
    ]
    assert rules.band_label(12, 5) == "Hög"


def test_control_months():
    assert rules.check_months([10, "4", 4]) == [4, 10]
    with pytest.raises(rules.RuleError, match="Kontrollmånaden 13 finns inte"):
        rules.check_months([4, 13])
    with pytest.raises(rules.RuleError, match="Kontrollmånaden 0 finns inte"):
        rules.check_months([0])
    with pytest.raises(rules.RuleError, match="”april” är inte ett tal"):
        rules.check_months(["april"])


def test_months_and_sample_size_read_from_the_plan_text():
    text = (
        "Kontroll av samtliga avslutade utredningar under perioden. Kontrollen ska genomföras "
        "fyra gånger per år, i april, juli, oktober och januari."
    )
    assert rules.months_in_text(text) == [1, 4, 7, 10]
    assert rules.months_in_text("Två gånger per år, i April och Oktober.") == [4, 10]
    assert rules.months_in_text("Löpande.") == []
    assert rules.sample_size_in_text("Stickprov om 5 förhandsbedömningar kontrolleras") == 5
    assert rules.sample_size_in_text("Kontroll av samtliga ärenden") is None
    assert rules.month_list([4, 10]) == "april och oktober"
    assert rules.month_list([1, 4, 7, 10]) == "januari, april, juli och oktober"


def test_percentages_from_the_sources_figures():
    # Delårsrapport 2024: 5 of 330 förhandsbedömningar over time → 1,5 %.
    assert rules.rounded_percent(rules.deviation_percent(rules.check_figures(330, None, 5))) == (
        Decimal("1.5")
    )
    # Barn: 3 of 189 lack a valid extension decision → 1,6 % (not the 79 over 122 days).
    barn = rules.deviation_percent(rules.check_figures(189, None, 3))
    assert rules.rounded_percent(barn) == Decimal("1.6")
    assert rules.rounded_percent(rules.deviation_percent(rules.check_figures(127, None, 2))) == (
        Decimal("1.6")
    )
    # A sample: the share is of the checked cases.
    assert rules.deviation_percent(rules.check_figures(40, 5, 1)) == Decimal(20)
    # No cases in the period: no percentage at all, not 0 %.
    assert rules.deviation_percent(rules.check_figures(0, None, 0)) is None
    # Decimal arithmetic rounded half up when printed, no float drift (0,125 → 0,13 not 0,12).
    assert rules.rounded_percent(rules.deviation_percent(rules.check_figures(3, None, 2))) == (
        Decimal("66.7")
    )
    eighth = rules.deviation_percent(rules.check_figures(800, None, 1))
    assert eighth == Decimal("0.125")
    assert rules.rounded_percent(eighth, 2) == Decimal("0.13")


@pytest.mark.parametrize(
    ("population", "checked", "deviations", "message"),
    [
        (10, None, 11, "Antal avvikelser (11) kan inte vara fler än totalt antal (10)"),
        (10, 5, 6, "Antal avvikelser (6) kan inte vara fler än de kontrollerade (5)"),
        (10, 12, 1, "Varav kontrollerade (12) kan inte vara fler än totalt antal (10)"),
        (-1, None, 0, "Totalt antal kan inte vara negativt"),
        (None, None, 0, "Ange totalt antal"),
        (5, None, None, "Ange antal avvikelser"),
    ],
)
def test_figures_that_do_not_add_up_are_refused(population, checked, deviations, message):
    with pytest.raises(rules.RuleError) as caught:
        rules.check_figures(population, checked, deviations)
    assert message in str(caught.value)
