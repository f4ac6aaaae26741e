import datetime
import uuid

import factory

from solna_sn.models import Administration, Committee, Municipality, Role, Unit, User

# Every UserFactory user's password (the browser and login tests type it).
PASSWORD = "rätt-lösenord-123"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = "SOLNA"
    name = "Solna stad"


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("code",)

    municipality = factory.SubFactory(MunicipalityFactory)
    code = "SN"
    name = "Socialnämnden"
    dnr_prefix = "SN"


class AdministrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Administration
        django_get_or_create = ("code",)

    committee = factory.SubFactory(CommitteeFactory)
    code = "SOF"
    name = "Socialförvaltningen"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    administration = factory.SubFactory(AdministrationFactory)
    code = factory.Sequence(lambda n: f"ENHET{n}")
    name = factory.Sequence(lambda n: f"Enhet {n}")
    valid_from = datetime.date(2015, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"anvandare{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.HANDLAGGARE
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        if create and extracted:
            self.units.set(extracted)
        if create:
            self.save()


# --- The main models of the modules ----------------------------------------------------------
# Rows made directly, for tests that need a case, memo, meeting, plan or contract to exist and
# do not test how it came about. Tests of the services themselves go through the services.


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "casework.Case"

    committee = factory.SubFactory(CommitteeFactory)
    year = 2026
    number = factory.Sequence(lambda n: 900 + n)
    dnr = factory.LazyAttribute(lambda case: f"SN/{case.year}:{case.number}")
    title = factory.Sequence(lambda n: f"Ärende {n}")
    registered_on = datetime.date(2026, 2, 2)
    registered_by = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)


class MemoFactory(factory.django.DjangoModelFactory):
    """A draft tjänsteskrivelse of a new ärende, without signatories or sections."""

    class Meta:
        model = "casework.Memo"

    case = factory.SubFactory(CaseFactory)
    administration = factory.SubFactory(AdministrationFactory)
    unit = factory.LazyAttribute(lambda memo: memo.case.unit)
    date = datetime.date(2026, 2, 2)
    title = factory.LazyAttribute(lambda memo: memo.case.title)
    created_by = factory.LazyAttribute(lambda memo: memo.case.registered_by)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A sammanträde not yet sent."""

    class Meta:
        model = "casework.Meeting"

    committee = factory.SubFactory(CommitteeFactory)
    date = factory.Sequence(lambda n: datetime.date(2026, 3, 1) + datetime.timedelta(days=7 * n))
    time = datetime.time(18, 0)
    place = "Sammanträdesrummet"


class ControlPlanFactory(factory.django.DjangoModelFactory):
    """A draft internkontrollplan."""

    class Meta:
        model = "controls.ControlPlan"

    committee = factory.SubFactory(CommitteeFactory)
    year = factory.Sequence(lambda n: 2030 + n)


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "controls.Process"

    plan = factory.SubFactory(ControlPlanFactory)
    name = factory.Sequence(lambda n: f"Process {n}")
    sort_order = factory.Sequence(lambda n: n + 1)


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "controls.Risk"

    process = factory.SubFactory(ProcessFactory)
    plan = factory.LazyAttribute(lambda risk: risk.process.plan)
    key = factory.LazyFunction(uuid.uuid4)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Risk {n}")
    category = "styrning"
    likelihood = 3
    consequence = 2
    risk_index = 6
    control_activity = "Stickprov"
    how_when = "Kvartalsvis"
    responsible_unit = factory.SubFactory(UnitFactory)


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "contracts.Contract"

    name = factory.Sequence(lambda n: f"Avtal {n}")
    area = "Boende"
    acquisition = "egen"
    start_date = datetime.date(2025, 1, 1)
    end_date = datetime.date(2027, 12, 31)
    unit = factory.SubFactory(UnitFactory)
