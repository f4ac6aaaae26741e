import pytest

from controls import demo as controls_demo
from economy import demo as economy_demo
from goals import demo as goals_demo
from solna_sn import demo as solna_demo
from solna_sn.models import Committee, User


@pytest.fixture
def vp_demo(db):
    """The demo's goals, economy and internkontroll: 2024, 2025 (fastställd 2024-10-07) and
    the 2026 planning started as a copy of 2025 with nämndmål 1 reworded."""
    committee = solna_demo.load_organisation()
    solna_demo.load_users(committee)
    controller = User.objects.get(username="controller")
    for module in (economy_demo, controls_demo, goals_demo):
        module.load(by=controller)
    return Committee.objects.get(code="SN")


@pytest.fixture
def chief(vp_demo):
    return User.objects.get(username="forvaltningschef")


@pytest.fixture
def controller(vp_demo):
    return User.objects.get(username="controller")


@pytest.fixture
def handlaggare(vp_demo):
    return User.objects.get(username="handlaggare")
