"""A registry for monthly series that other apps read without importing their owner.

Dependency inversion: the app that owns monthly series (`metrics`) registers a provider at
start-up (`metrics/apps.py` → `metrics/series.py`); apps that compute key figures from them
(`goals`) ask this module, so they never import `metrics`.

A provider answers `fetch(code, year, months)` with one `(month, value)` pair per asked month,
where value is a Decimal, None (*ej rapporterat*) or "-" (*ej tillämpligt*, including months
outside the series' validity). An unknown code raises `UnknownSeries`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

NOT_APPLICABLE = "-"
SeriesValue = Decimal | None | str
Fetch = Callable[[str, int, Sequence[int]], list[tuple[int, SeriesValue]]]


class UnknownSeries(LookupError):
    """No series has this code; str(error) is a Swedish message."""


class NoSeriesProvider(LookupError):
    """No app has registered monthly series; str(error) is a Swedish message."""


@dataclass(frozen=True)
class SeriesProvider:
    fetch: Fetch
    description: str
    """Where the figures come from, as a phrase: "ur verksamhetsmåtten"."""
    titles: Callable[[], dict[str, str]] | None = None
    """code → display title of every series, for choosing one and for source texts."""


_provider: SeriesProvider | None = None


def register_series_provider(
    fetch: Fetch, *, description: str, titles: Callable[[], dict[str, str]] | None = None
) -> None:
    """Register the provider of monthly series (called from an AppConfig.ready()). A second
    registration replaces the first (ready() may run more than once in tests)."""
    global _provider
    _provider = SeriesProvider(fetch=fetch, description=description, titles=titles)


def series_provider() -> SeriesProvider:
    if _provider is None:
        raise NoSeriesProvider("Det finns ingen källa för månadsserier (verksamhetsmåtten).")
    return _provider


def fetch_series(code: str, year: int, months: Sequence[int]) -> list[tuple[int, SeriesValue]]:
    """The monthly values of series `code` for `months` of `year`."""
    return series_provider().fetch(code, year, list(months))


def series_titles() -> dict[str, str]:
    """code → title of every known series; empty when the provider does not list them.
    Raises NoSeriesProvider when nothing is registered."""
    provider = series_provider()
    return provider.titles() if provider.titles is not None else {}


def source_description() -> str:
    return _provider.description if _provider is not None else ""
