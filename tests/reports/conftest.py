"""Reports under test: a small kind whose generated section shows figures from a dict the
test can change (a generator registered through the public interface, like the real ones)."""

import datetime

import pytest

from casework.models import Case, Meeting
from goals import services as goal_services
from goals.models import PlanYear
from reports import services
from reports.generators.base import Figure, Generated, register
from reports.models import OutlineSection, ReportKind
from solna_sn.models import Role
from tests.factories import CommitteeFactory, UnitFactory, UserFactory

# What the test generator prints; tests change it to play "the data were corrected".
DATA = {"nettokostnad": "-138,2", "andel": "7,1 %"}


@register("test.ekonomi", "Testtabell")
def _test_generator(period):
    figures = [
        Figure(f"test.{key}", f"Testtabell: {key}", text) for key, text in sorted(DATA.items())
    ]
    rows = "".join(f"<tr><td>{f.label}</td><td>{f.text}</td></tr>" for f in figures)
    return Generated(html=f"<table><tbody>{rows}</tbody></table>", figures=figures)


@pytest.fixture(autouse=True)
def _reset_data():
    DATA.clear()
    DATA.update({"nettokostnad": "-138,2", "andel": "7,1 %"})


@pytest.fixture
def committee(db):
    return CommitteeFactory()


@pytest.fixture
def stab(committee):
    return UnitFactory(name="Stabsenheten", code="STAB")


@pytest.fixture
def people(stab):
    def make(username, role, first, last):
        return UserFactory(
            username=username, role=role, first_name=first, last_name=last, units=[stab]
        )

    return {
        "writer": make("skribent", Role.HANDLAGGARE, "Hanna", "Berg"),
        "other": make("annan", Role.HANDLAGGARE, "Olle", "Ek"),
        "granskare": make("granskare", Role.GRANSKARE, "Greta", "Sundin"),
        "chief": make("chef", Role.FORVALTNINGSCHEF, "Fredrik", "Holm"),
        "member": UserFactory(username="ledamot", role=Role.NAMNDLEDAMOT),
    }


@pytest.fixture
def case(committee, stab):
    return Case.objects.create(
        committee=committee,
        year=2023,
        number=1,
        title="Delårsrapport",
        registered_on=datetime.date(2023, 1, 2),
        unit=stab,
    )


@pytest.fixture
def meeting(committee):
    return Meeting.objects.create(
        committee=committee, date=datetime.date(2024, 10, 7), time=datetime.time(18), place="Solna"
    )


@pytest.fixture
def plan_years(committee):
    goal_services.setup_defaults(committee)
    return [PlanYear.objects.create(committee=committee, year=y) for y in (2023, 2024)]


@pytest.fixture
def kind(committee):
    kind = ReportKind.objects.create(
        committee=committee,
        code="delarsrapport",
        name="Delårsrapport per augusti",
        period="augusti",
    )
    rows = [
        ("Förvaltningsberättelse", 1, "heading", "", True),
        ("Sammanfattning", 2, "written", "", True),
        ("Ekonomisk analys", 2, "written", "", True),
        ("", 2, "generated", "test.ekonomi", False),
    ]
    for order, (title, level, mode, generator, in_toc) in enumerate(rows, start=1):
        OutlineSection.objects.create(
            kind=kind,
            order=order * 10,
            title=title,
            level=level,
            mode=mode,
            generator=generator,
            in_toc=in_toc,
            anvisning="Skriv kort." if mode == "written" else "",
        )
    return kind


@pytest.fixture
def report(kind, case, meeting, plan_years, people):
    report = services.report_create(
        kind=kind, year=2024, case=case, meeting=meeting, by=people["granskare"]
    )
    for section in report.sections.filter(mode="written"):
        services.section_assign(section=section, writer=people["writer"], by=people["granskare"])
    return report


def written(report, title):
    return report.sections.get(title=title)
