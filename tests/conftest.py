import pytest

from solna_sn.models import Role
from tests.factories import UnitFactory, UserFactory


@pytest.fixture
def unit(db):
    return UnitFactory(name="Barn- och ungdomsenheten", code="BOU")


@pytest.fixture
def other_unit(db):
    return UnitFactory(name="Vuxenenheten", code="VUX")


@pytest.fixture
def user_with_role(db, unit):
    """Make a user with the given role, belonging to `unit`."""

    def make(role: str, **kwargs):
        kwargs.setdefault("username", role)
        return UserFactory(role=role, units=[unit], **kwargs)

    return make


@pytest.fixture(params=Role.values)
def any_role(request):
    return request.param
