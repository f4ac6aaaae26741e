import datetime

import pytest

from metrics.models import Aggregation, Metric, MetricCategory, MetricRule, RuleKind
from solna_sn.models import Role
from tests.factories import UnitFactory, UserFactory


@pytest.fixture
def vuxen(db):
    return UnitFactory(name="Vuxenenheten", code="VUX")


@pytest.fixture
def category(db):
    return MetricCategory.objects.create(code="VUXNA", title="Vuxna", sort_order=10)


@pytest.fixture
def make_metric(category, vuxen):
    counter = iter(range(1, 1000))

    def make(**kwargs):
        n = next(counter)
        kwargs.setdefault("code", f"M{n}")
        kwargs.setdefault("title", f"Mått {n}, antal personer")
        kwargs.setdefault("measure_unit", "antal personer")
        kwargs.setdefault("category", category)
        kwargs.setdefault("owner", vuxen)
        kwargs.setdefault("sort_order", n)
        kwargs.setdefault("valid_from", datetime.date(2020, 1, 1))
        kwargs.setdefault("aggregation", Aggregation.MEAN)
        return Metric.objects.create(**kwargs)

    return make


@pytest.fixture
def persons(make_metric):
    return make_metric(code="PERS", title="Dygnetruntplaceringar, antal personer")


@pytest.fixture
def care_days(make_metric, persons):
    metric = make_metric(
        code="DYGN",
        title="Missbruk, antal vård dygn",
        measure_unit="vårddygn",
        aggregation=Aggregation.SUM,
    )
    MetricRule.objects.create(metric=metric, kind=RuleKind.DAYS_LIMIT, reference=persons)
    return metric


@pytest.fixture
def controller(vuxen):
    return UserFactory(username="carl", role=Role.CONTROLLER, units=[vuxen])


@pytest.fixture
def granskare(db):
    return UserFactory(username="greta", role=Role.GRANSKARE)
