"""solna_sn.figures: the registry through which goals reads monthly series without importing
metrics. The metrics provider is registered at start-up."""

from decimal import Decimal

import pytest

from solna_sn import figures

pytestmark = pytest.mark.django_db


def test_metrics_registers_its_series_at_start_up(snittbidrag):
    assert figures.source_description() == "ur verksamhetsmåtten"
    assert figures.series_titles() == {
        "EB-SNITTBIDRAG": "Ekonomiskt bistånd: Snittbidrag per månad, kr"
    }
    points = figures.fetch_series("EB-SNITTBIDRAG", 2024, [7, 8, 9])
    assert points == [(7, Decimal("9453")), (8, Decimal("9699")), (9, None)]


def test_months_outside_the_validity_and_ej_tillampligt_are_dashes(snittbidrag):
    from metrics.models import MetricValue

    snittbidrag.valid_from = "2024-04-01"
    snittbidrag.save()
    MetricValue.objects.filter(metric=snittbidrag, month="2024-05-01").update(
        value=None, not_applicable=True
    )
    points = dict(figures.fetch_series("EB-SNITTBIDRAG", 2024, [3, 4, 5]))
    assert points == {3: "-", 4: Decimal("10629"), 5: "-"}


def test_an_unknown_code_raises_with_a_swedish_message(snittbidrag):
    with pytest.raises(figures.UnknownSeries, match="Det finns inget verksamhetsmått med koden X"):
        figures.fetch_series("X", 2024, [1])


def test_without_a_provider_the_registry_says_so(monkeypatch):
    monkeypatch.setattr(figures, "_provider", None)
    with pytest.raises(figures.NoSeriesProvider, match="Det finns ingen källa för månadsserier"):
        figures.fetch_series("EB-SNITTBIDRAG", 2024, [1])
    with pytest.raises(figures.NoSeriesProvider):
        figures.series_titles()
    assert figures.source_description() == ""
