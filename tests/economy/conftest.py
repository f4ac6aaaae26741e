import pytest

from economy import demo
from solna_sn import demo as solna_demo
from solna_sn.models import Role, User
from tests.factories import UserFactory


@pytest.fixture
def solna(db):
    """Solna's organisation and demo users (the economy's committee is Socialnämnden)."""
    committee = solna_demo.load_organisation()
    solna_demo.load_users(committee)
    return committee


@pytest.fixture
def controller(solna):
    return User.objects.get(username="controller")


@pytest.fixture
def economy_demo(solna, controller):
    """The demo economy: definitions, mapping, the 2024 and 2025 tables, personnel, registers."""
    demo.load(by=controller)
    return solna


@pytest.fixture
def definitions(solna):
    demo.load_definitions()
    demo.load_mapping()
    return solna


@pytest.fixture
def handlaggare(solna):
    return User.objects.get(username="handlaggare")


@pytest.fixture
def granskare(solna):
    return User.objects.get(username="granskare")


@pytest.fixture
def other_controller(db):
    """A controller with no enhet under the nämnd."""
    return UserFactory(username="annan-controller", role=Role.CONTROLLER)
