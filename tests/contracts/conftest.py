import datetime

import pytest

from contracts import services
from contracts.models import AcquisitionForm, FollowUpTemplate, TemplateArea, TemplateItem
from solna_sn.models import Committee, Role
from tests.factories import UserFactory


@pytest.fixture
def committee(unit):
    return Committee.objects.get(code="SN")


@pytest.fixture
def handlaggare(unit):
    return UserFactory(username="hanna", role=Role.HANDLAGGARE, units=[unit])


@pytest.fixture
def other_handlaggare(other_unit):
    return UserFactory(username="olle", role=Role.HANDLAGGARE, units=[other_unit])


@pytest.fixture
def controller(unit):
    return UserFactory(username="carl", role=Role.CONTROLLER, units=[unit])


@pytest.fixture
def granskare(unit):
    return UserFactory(username="greta", role=Role.GRANSKARE, title="Stabschef")


@pytest.fixture
def member(committee):
    return UserFactory(username="nora", role=Role.NAMNDLEDAMOT)


@pytest.fixture
def template(db):
    template = FollowUpTemplate.objects.create(name="Boende enligt SoL")
    for number, title, items in [
        (1, "Verksamhetens innehåll", ["Insatsen ges enligt uppdraget", "Genomförandeplan"]),
        (4, "Delaktighet", ["Den enskilde ges insyn i sin dokumentation"]),
    ]:
        area = TemplateArea.objects.create(template=template, number=number, title=title)
        for n, text in enumerate(items, start=1):
            TemplateItem.objects.create(area=area, number=n, text=text)
    return template


def contract_data(unit, **overrides):
    data = {
        "name": "Familjerådgivning",
        "area": "Familjerådgivning",
        "acquisition": AcquisitionForm.LOV,
        "start_date": datetime.date(2022, 1, 1),
        "end_date": datetime.date(2025, 12, 31),
        "unit": unit,
        "dnr": "SN/2021:12",
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_contract(unit, handlaggare):
    def make(by=None, **overrides):
        return services.contract_create(by=by or handlaggare, **contract_data(unit, **overrides))

    return make
