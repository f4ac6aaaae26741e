"""The shared role fixtures of tests/conftest.py: one user per role, in the test unit."""

from solna_sn.models import Role
from tests.factories import PASSWORD


def test_shared_role_fixtures_are_one_user_per_role_in_the_unit(
    unit, forvaltningschef, namndledamot, administrator
):
    for role, user in [
        (Role.FORVALTNINGSCHEF, forvaltningschef),
        (Role.NAMNDLEDAMOT, namndledamot),
        (Role.ADMINISTRATOR, administrator),
    ]:
        assert user.role == role
        assert list(user.units.all()) == [unit]
        assert user.check_password(PASSWORD)
    assert namndledamot.committee == unit.administration.committee
