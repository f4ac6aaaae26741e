"""What changed between two versions of a report: the pure redline and, on PostgreSQL, the
versions kept at each workflow step and the comparison page."""

import pytest
from django.urls import reverse

from reports import redline, services
from reports.redline import Snapshot
from tests.reports.conftest import DATA, written


def _snap(label, sections, figures=None):
    return Snapshot(label, sections, figures or {})


def _section(order, title, html, mode="written", level=2):
    return {"order": order, "title": title, "level": level, "mode": mode, "html": html}


# --- Pure --------------------------------------------------------------------------------------


def test_a_changed_word_and_a_changed_figure_are_marked():
    old = _snap(
        "a",
        [_section(10, "Sammanfattning", "<p>Kostnaden ökade med 7,0 %.</p>")],
        {"andel": ["Andel", "7,0 %"], "netto": ["Netto", "-138,2"]},
    )
    new = _snap(
        "b",
        [_section(10, "Sammanfattning", "<p>Kostnaden ökade med 7,1 %.</p>")],
        {"andel": ["Andel", "7,1 %"], "netto": ["Netto", "-138,2"]},
    )
    result = redline.compare(old, new)
    (change,) = result.sections
    assert change.status == "ändrat"
    assert '<del><span class="visually-hidden">borttaget: </span>7,0</del>' in change.diff
    assert '<ins><span class="visually-hidden">tillagt: </span>7,1</ins>' in change.diff
    assert [(f.label, f.before, f.after) for f in result.figures] == [("Andel", "7,0 %", "7,1 %")]


def test_table_cells_are_compared_as_separate_words():
    table = "<table><tr><td>Verksamhet</td><td>{}</td></tr></table>"
    old = _snap("a", [_section(20, "", table.format("-138,2"), mode="generated")])
    new = _snap("b", [_section(20, "", table.format("-140,0"), mode="generated")])
    (change,) = redline.compare(old, new).changed_sections
    assert "Verksamhet" in change.diff and "-138,2</del>" in change.diff
    assert change.title == "(fortsättning av avsnittet ovan)"


def test_unchanged_new_and_removed_sections():
    old = _snap("a", [_section(10, "A", "<p>Ett</p>"), _section(20, "B", "<p>Två</p>")])
    new = _snap("b", [_section(10, "A", "<p>Ett</p>"), _section(30, "C", "<p>Tre</p>")])
    result = redline.compare(old, new)
    assert [(s.title, s.status) for s in result.sections] == [
        ("A", "oförändrat"),
        ("B", "borttaget"),
        ("C", "nytt"),
    ]
    assert [s.title for s in result.unchanged_sections] == ["A"]


def test_a_renamed_heading_is_a_change_even_with_the_same_text():
    old = _snap("a", [_section(10, "Ekonomisk analys", "<p>Text</p>")])
    new = _snap("b", [_section(10, "Ekonomi", "<p>Text</p>")])
    (change,) = redline.compare(old, new).changed_sections
    assert change.diff.startswith("<p>Rubriken:")


def test_a_new_and_a_removed_figure_are_listed():
    result = redline.compare(
        _snap("a", [], {"x": ["Gammal", "1"]}), _snap("b", [], {"y": ["Ny", "2"]})
    )
    assert [(f.label, f.before, f.after) for f in result.figures] == [
        ("Gammal", "1", ""),
        ("Ny", "", "2"),
    ]


# --- PostgreSQL --------------------------------------------------------------------------------


def _finish(report, people, text="<p>Klart.</p>"):
    for section in report.sections.filter(mode="written"):
        section = services.section_save(
            section=section, version=section.version, body=text, by=people["writer"]
        )
        services.section_mark(section=section, done=True, by=people["writer"])


@pytest.mark.django_db
def test_each_workflow_step_keeps_a_version_and_the_redline_shows_the_review_changes(
    report, people, client
):
    _finish(report, people)
    services.report_submit(report=report, by=people["writer"])
    services.report_return(report=report, by=people["granskare"], comment="Nämn ökningen.")
    section = written(report, "Sammanfattning")
    services.section_save(
        section=section,
        version=section.version,
        body='<p>Klart. Ökningen är <span data-figure="test.andel">x</span>.</p>',
        by=people["writer"],
    )
    services.report_submit(report=report, by=people["writer"])
    DATA["nettokostnad"] = "-140,0"  # the data change while the report is reviewed
    services.report_approve(report=report, by=people["granskare"])
    services.report_send(report=report, by=people["granskare"])
    states = list(report.versions.order_by("number").values_list("number", "state"))
    assert states == [(1, "granskning"), (2, "granskning"), (3, "godkand"), (4, "skickad")]
    sent = report.versions.get(number=4)
    assert sent.figures["test.nettokostnad"] == ["Testtabell: nettokostnad", "-140,0"]

    client.force_login(people["chief"])
    page = client.get(reverse("reports:report_compare", args=[report.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    # By default the sent version against the first one sent for review.
    assert 'value="1" selected' in html and 'value="4" selected' in html
    assert "tillagt: </span>Ökningen är 7,1 %.</ins>" in html
    assert '<td class="num">-138,2</td><td class="num">-140,0</td>' in html
    assert "Avsnitt: 2 av 3 har ändrats" in html  # Sammanfattning and the table
    # A sent report has no "now" to compare with: it prints as sent.
    assert 'value="nu"' not in html


@pytest.mark.django_db
def test_a_draft_compares_its_latest_version_with_now(report, people, client):
    _finish(report, people)
    services.report_submit(report=report, by=people["writer"])
    services.report_return(report=report, by=people["granskare"], comment="Mer.")
    section = written(report, "Ekonomisk analys")
    services.section_save(
        section=section, version=section.version, body="<p>Klart och mer.</p>", by=people["writer"]
    )
    client.force_login(people["writer"])
    html = client.get(reverse("reports:report_compare", args=[report.pk])).content.decode()
    assert 'value="nu" selected' in html
    assert "tillagt: </span>Klart och mer.</ins>" in html
    assert "Avsnitt: 1 av 3 har ändrats" in html


@pytest.mark.django_db
def test_a_report_without_versions_says_when_they_are_kept(report, people, client):
    client.force_login(people["writer"])
    html = client.get(reverse("reports:report_compare", args=[report.pk])).content.decode()
    assert "En version sparas när rapporten skickas till granskning" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, message",
    [
        ({"fran": "1", "till": "99"}, "Välj en av rapportens versioner i listan."),
        ({"fran": "x", "till": "nu"}, "Välj en av rapportens versioner i listan."),
        ({"fran": "1", "till": "1"}, "Välj två olika versioner att jämföra."),
        ({"fran": "1"}, "Välj en version att jämföra."),
    ],
)
def test_bad_version_choices_get_a_message(report, people, client, query, message):
    _finish(report, people)
    services.report_submit(report=report, by=people["writer"])
    client.force_login(people["writer"])
    response = client.get(reverse("reports:report_compare", args=[report.pk]), query)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.django_db
def test_a_committee_member_cannot_open_the_redline(report, people, client):
    client.force_login(people["member"])
    response = client.get(reverse("reports:report_compare", args=[report.pk]))
    assert response.status_code == 403
