import datetime

import pytest

from controls import services
from controls.models import ControlMethod, DeviationLevel
from solna_sn.models import Committee, Role
from tests.factories import UserFactory


@pytest.fixture
def committee(unit):
    return Committee.objects.get(code="SN")


@pytest.fixture
def controller(unit):
    return UserFactory(username="carl", role=Role.CONTROLLER, units=[unit], first_name="Carl")


@pytest.fixture
def handlaggare(unit):
    return UserFactory(username="hanna", role=Role.HANDLAGGARE, units=[unit], first_name="Hanna")


@pytest.fixture
def outsider(other_unit):
    """A handläggare of another enhet."""
    return UserFactory(username="otto", role=Role.HANDLAGGARE, units=[other_unit])


@pytest.fixture
def granskare(unit):
    return UserFactory(username="greta", role=Role.GRANSKARE, first_name="Greta")


@pytest.fixture
def chief(unit):
    return UserFactory(username="mikael", role=Role.FORVALTNINGSCHEF, first_name="Mikael")


@pytest.fixture
def member(unit):
    return UserFactory(username="nora", role=Role.NAMNDLEDAMOT)


def risk_data(unit=None, **changes):
    return {
        "process_name": "Myndighetsbeslut",
        "title": "Förhandsbedömningar görs inte inom lagstadgad tidsfrist.",
        "category": "verksamhetsprocesser",
        "likelihood": None,
        "consequence": None,
        "risk_index": 12,
        "control_activity": "Kontroll av samtliga förhandsbedömningar.",
        "method": ControlMethod.TOTAL,
        "sample_size": None,
        "how_when": "Kontrollen ska genomföras två gånger per år, i april och oktober.",
        "control_months": [4, 10],
        "responsible_unit": unit,
        "responsible_role": "Enhetschef",
        **changes,
    }


@pytest.fixture
def plan(committee, controller, unit):
    plan = services.plan_create(committee=committee, year=2025, by=controller)
    services.risk_save(plan=plan, data=risk_data(unit), by=controller)
    return plan


@pytest.fixture
def adopted(plan, chief):
    return services.plan_adopt(plan=plan, by=chief, adopted_on=datetime.date(2024, 10, 7))


def level(committee, rank) -> DeviationLevel:
    services.settings_for(committee)
    return DeviationLevel.objects.get(committee=committee, rank=rank)


@pytest.fixture
def occasion(adopted):
    return adopted.risks.get().occasions.get(month=4)
