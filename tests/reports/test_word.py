"""The report as a Word file: same assembly as the PDF, Word's heading styles, tables whose
header repeats and rows that do not split, Swedish, and the frozen figures once sent."""

import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from reports import assembly, services, word
from tests.reports.conftest import DATA, written

pytestmark = pytest.mark.django_db


def _docx(client, report):
    response = client.get(reverse("reports:report_word", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    return response, Document(io.BytesIO(response.content))


def _headings(document):
    return [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]


def test_the_word_file_has_the_outline_as_word_headings_and_the_texts(report, people, client):
    section = written(report, "Sammanfattning")
    services.section_save(
        section=section,
        version=1,
        body='<p>Det gick <strong>bra</strong> och <em>snabbt</em>, se <a href="https://solna.se">'
        'solna.se</a>. Andelen är <span data-figure="test.andel">x</span>.</p>'
        "<h3>Barn och unga</h3><ul><li>Hembesök</li><li>Skolsocialt team</li></ul>"
        "<ol><li>Först</li></ol>",
        by=people["writer"],
    )
    client.force_login(people["writer"])
    response, document = _docx(client, report)
    assert "Delårsrapport per augusti 2024.docx" in unquote(response["Content-Disposition"])
    assert _headings(document) == [
        ("Heading 1", "Förvaltningsberättelse"),
        ("Heading 2", "Sammanfattning"),
        ("Heading 3", "Barn och unga"),
        ("Heading 2", "Ekonomisk analys"),
    ]
    body = next(p for p in document.paragraphs if p.text.startswith("Det gick"))
    assert "Andelen är 7,1 %." in body.text  # the live figure, formatted
    assert [r.text for r in body.runs if r.bold] == ["bra"]
    assert [r.text for r in body.runs if r.italic] == ["snabbt"]
    assert body._p.findall(qn("w:hyperlink"))  # the link is a link
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["Hembesök"] == "List Bullet" and styles["Först"] == "List Number"
    # The cover reads as in the sources and the TOC is a Word field.
    texts = [p.text for p in document.paragraphs]
    assert "SN/2023:1, rapporten behandlas på" in next(t for t in texts if t.startswith("SN/"))
    xml = document.element.xml
    assert 'TOC \\o "1-3"' in xml
    assert document.settings.element.find(qn("w:updateFields")) is not None
    assert document.core_properties.language == "sv-SE"
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_tables_repeat_their_header_and_keep_rows_whole():
    html = (
        '<table><caption>Resultaträkning</caption><thead><tr><th scope="col">Post</th>'
        '<th scope="col" class="num">Utfall</th></tr></thead><tbody>'
        '<tr><th scope="row">Nettokostnader</th><td class="num">-138,2</td></tr>'
        '<tr><td colspan="2">Kommentar över två kolumner</td></tr></tbody></table>'
        '<figure class="metric-chart"><svg><text>1 023</text></svg>'
        "<figcaption>Antal hushåll</figcaption></figure>"
    )
    document = Document()
    word._Writer(document, 2).blocks(word._body_of(html))
    (table,) = document.tables
    rows = table.rows
    assert [c.text for c in rows[0].cells] == ["Post", "Utfall"]
    assert rows[1].cells[1].text == "-138,2"
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)
    assert rows[2].cells[0].text == "Kommentar över två kolumner"
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == ["Resultaträkning", word.CHART_NOTE, "Antal hushåll"]
    assert "1 023" not in " ".join(p.text for p in document.paragraphs)


def test_a_sent_report_exports_its_frozen_figures(report, people, client):
    for section in report.sections.filter(mode="written"):
        section = services.section_save(
            section=section,
            version=section.version,
            body='<p>Netto <span data-figure="test.nettokostnad">x</span>.</p>',
            by=people["writer"],
        )
        services.section_mark(section=section, done=True, by=people["writer"])
    services.report_submit(report=report, by=people["writer"])
    services.report_approve(report=report, by=people["granskare"])
    services.report_send(report=report, by=people["granskare"])
    DATA["nettokostnad"] = "-140,0"
    client.force_login(people["chief"])
    _response, document = _docx(client, report)
    texts = " ".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "Netto -138,2." in texts and "-138,2" in cells
    assert "-140,0" not in texts and "-140,0" not in cells


def test_generated_sections_become_word_tables(report, people):
    sections = report.sections.order_by("order")
    document = Document(
        io.BytesIO(word.report_docx(assembly.assemble(report, sections), cover_line="x"))
    )
    assert document.tables


def test_a_committee_member_cannot_download_the_word_file(report, people, client):
    client.force_login(people["member"])
    response = client.get(reverse("reports:report_word", args=[report.pk]))
    assert response.status_code == 403
