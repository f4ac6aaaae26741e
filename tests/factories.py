import datetime

import factory

from solna_sn.models import Administration, Committee, Municipality, Role, Unit, User


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
    password = factory.PostGenerationMethodCall("set_password", "rätt-lösenord-123")

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        if create and extracted:
            self.units.set(extracted)
        if create:
            self.save()
