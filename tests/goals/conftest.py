import csv
from decimal import Decimal
from pathlib import Path

import pytest

from goals import services
from goals.models import Agenda2030Goal, AggregationChoice, Level, MeasureSource
from solna_sn.models import Committee, Municipality, Role
from tests.factories import UserFactory

FIXTURE = (
    Path(__file__).resolve().parents[2] / "metrics" / "fixtures" / "verksamhetsmatt-2022-2024.tsv"
)


def fixture_series(title: str) -> dict[int, list[str]]:
    """year → the twelve raw cells of one series in the metrics fixture."""
    with FIXTURE.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[1:]
    return {int(year): cells[:12] for _, name, year, *cells in rows if name == title}


@pytest.fixture
def committee(unit):
    committee = Committee.objects.get(code="SN")
    services.setup_defaults(committee)
    return committee


@pytest.fixture
def kompetensnamnden(committee):
    return Committee.objects.create(
        municipality=Municipality.objects.get(code="SOLNA"),
        code="KN",
        name="Kompetensnämnden",
        dnr_prefix="KN",
    )


@pytest.fixture
def hanna(unit):
    return UserFactory(username="hanna", role=Role.HANDLAGGARE, units=[unit], first_name="Hanna")


@pytest.fixture
def otto(other_unit):
    """A handläggare of another enhet."""
    return UserFactory(username="otto", role=Role.HANDLAGGARE, units=[other_unit])


@pytest.fixture
def carl(unit):
    return UserFactory(username="carl", role=Role.CONTROLLER, units=[unit])


@pytest.fixture
def greta(unit):
    return UserFactory(username="greta", role=Role.GRANSKARE, first_name="Greta")


@pytest.fixture
def chief(unit):
    return UserFactory(username="mikael", role=Role.FORVALTNINGSCHEF)


@pytest.fixture
def admin_user(unit):
    return UserFactory(username="adam", role=Role.ADMINISTRATOR)


@pytest.fixture
def member(unit):
    return UserFactory(username="nora", role=Role.NAMNDLEDAMOT)


def level(committee, code) -> Level:
    return Level.objects.get(committee=committee, code=code)


def sdg(number) -> Agenda2030Goal:
    return Agenda2030Goal.objects.get(number=number)


def goal_data(committee, parent=None, **changes):
    return {
        "level": level(committee, "NAMNDMAL"),
        "parent": parent,
        "title": "Socialnämnden ska säkerställa att barn och ungdomar inte far illa.",
        "description": "",
        "agenda2030": [sdg(3)],
        "responsible_unit": None,
        "sort_order": 30,
        **changes,
    }


def measure_data(**changes):
    return {
        "title": "Antal orosanmälningar till socialtjänsten avseende barn och unga",
        "unit": "",
        "decimals": 0,
        "target": None,
        "direction": "",
        "source": MeasureSource.MANUAL,
        "series_code": "",
        "aggregation": "",
        "sort_order": 10,
        **changes,
    }


def computed_measure_data(**changes):
    return measure_data(
        **{
            "title": "Medelbistånd per månad",
            "unit": "kr",
            "source": MeasureSource.SERIES,
            "series_code": "EB-SNITTBIDRAG",
            "aggregation": AggregationChoice.MEAN,
            **changes,
        }
    )


@pytest.fixture
def plan(committee, chief, unit):
    """2024: vision → övergripande mål 2 → nämndmål 3 with a mått and an aktivitet."""
    plan = services.plan_create(committee=committee, year=2024, by=chief)
    vision = services.goal_save(
        plan=plan,
        data=goal_data(
            committee,
            level=level(committee, "VISION"),
            title="Solna ska vara en sammanhållen och levande stad.",
            agenda2030=[],
            sort_order=1,
        ),
        by=chief,
    )
    overarching = services.goal_save(
        plan=plan,
        data=goal_data(
            committee,
            parent=vision,
            level=level(committee, "OVERGRIPANDE"),
            title="Solna ska växa ihop och utvecklas på ett ekonomiskt, socialt och "
            "miljömässigt hållbart sätt.",
            agenda2030=[],
            sort_order=2,
        ),
        by=chief,
    )
    goal = services.goal_save(
        plan=plan, data=goal_data(committee, parent=overarching, responsible_unit=unit), by=chief
    )
    services.measure_save(goal=goal, data=measure_data(), by=chief)
    services.activity_save(
        plan=plan,
        data={
            "goal": goal,
            "title": "Med stöd av Signs of safety vidareutveckla arbetet kring barns säkerhet",
            "description": "Ett gemensamt arbetssätt på hela enheten.",
        },
        by=chief,
    )
    return plan


@pytest.fixture
def goal(plan):
    return plan.goals.get(level__code="NAMNDMAL")


@pytest.fixture
def snittbidrag(unit):
    """The metric EB-SNITTBIDRAG with its 2023 and 2024 values from the fixture."""
    from metrics.models import Metric, MetricCategory, MetricValue

    category = MetricCategory.objects.create(code="EB", title="Ekonomiskt bistånd")
    metric = Metric.objects.create(
        code="EB-SNITTBIDRAG",
        category=category,
        title="Snittbidrag per månad, kr",
        measure_unit="kr",
        owner=unit,
    )
    for year, cells in fixture_series("Snittbidrag per månad, kr").items():
        for month, raw in enumerate(cells, start=1):
            if raw.strip():
                MetricValue.objects.create(
                    metric=metric, month=f"{year}-{month:02d}-01", value=Decimal(raw)
                )
    return metric
