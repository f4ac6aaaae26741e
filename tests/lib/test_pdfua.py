"""Accessible PDFs: every document kind the product prints, rendered from its own templates with
WeasyPrint, fails the structural PDF/UA check as WeasyPrint writes it and passes it after
`pdfua.splice` (enclosures) and `pdfua.postprocess`.

The demo is loaded once for the module, inside a transaction that is rolled back; the PDFs are
rendered there and only bytes leave it."""

from __future__ import annotations

import datetime
import gc
import io
import re
import zlib
from dataclasses import dataclass, field

import pikepdf
import pytest
import tinyhtml5
import weasyprint
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from pypdf import PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from casework import documents, services
from casework.models import Meeting, Memo, MemoState
from printing import services as printing_services
from solna_sn.lib import html_tree, pdfua
from solna_sn.lib import pdf as pdflib
from solna_sn.models import Committee, User

# The module fixture needs the test database; a test that asks for it makes pytest-django set
# it up.
pytestmark = pytest.mark.django_db

SCAN_TITLE = "Inskannat yttrande från Polismyndigheten"
SCAN_LINK = "https://polisen.se/yttrande"


@dataclass
class Printed:
    html: str
    pdf: bytes  # as WeasyPrint writes it
    enclosures: list[pdfua.Enclosure] = field(default_factory=list)
    old_inserts: list[pdflib.Insert] = field(default_factory=list)
    link_texts: dict[str, str] = field(default_factory=dict)

    cache: dict[str, bytes] = field(default_factory=dict)

    def today(self) -> bytes:
        """The PDF as the pipeline stores it today: WeasyPrint, then pypdf's splice."""
        if "today" not in self.cache:
            self.cache["today"] = pdflib.splice(self.pdf, self.old_inserts)
        return self.cache["today"]

    def fixed(self) -> bytes:
        """The PDF as the pipeline is to store it: enclosures spliced in, then repaired."""
        if "fixed" not in self.cache:
            spliced = pdfua.splice(self.pdf, self.enclosures)
            self.cache["fixed"] = pdfua.postprocess(spliced, html=self.html)
        return self.cache["fixed"]


def scanned_pdf(pages: int = 2) -> bytes:
    """An untagged 'scan' made with pypdf: one grey image per page and a web link."""
    writer = PdfWriter()
    for number in range(pages):
        page = writer.add_blank_page(width=595, height=842)
        image = StreamObject()
        pixels = bytes((x * 7 + y * 3 + number) % 256 for y in range(40) for x in range(30))
        image._data = zlib.compress(pixels)
        image.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Image"),
                NameObject("/Width"): NumberObject(30),
                NameObject("/Height"): NumberObject(40),
                NameObject("/ColorSpace"): NameObject("/DeviceGray"),
                NameObject("/BitsPerComponent"): NumberObject(8),
                NameObject("/Filter"): NameObject("/FlateDecode"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {
                NameObject("/XObject"): DictionaryObject(
                    {NameObject("/Im0"): writer._add_object(image)}
                )
            }
        )
        content = DecodedStreamObject()
        content.set_data(b"q 500 0 0 700 47 71 cm /Im0 Do Q")
        page[NameObject("/Contents")] = writer._add_object(content)
        writer.add_annotation(number, Link(rect=(47, 20, 300, 40), url=SCAN_LINK))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render(html: str) -> bytes:
    return pdflib.render_html(html, base_dir=printing_services.static_dir()).pdf


def bundle(meeting: Meeting, *, internal: bool) -> Printed:
    html, inserts = documents.bundle_html(meeting, internal=internal)
    rendered = pdflib.render_html(html, base_dir=printing_services.static_dir())
    printed = Printed(html=html, pdf=rendered.pdf)
    for insert in inserts:
        with default_storage.open(insert["name"], "rb") as handle:
            data = handle.read()
        first_page = rendered.anchors[insert["anchor"]]
        printed.enclosures.append(
            pdfua.Enclosure(first_page=first_page, data=data, title=insert["title"])
        )
        printed.old_inserts.append(pdflib.Insert(first_page=first_page, data=data))
    view = documents.bundle_view(meeting, documents.bundle_items(meeting), internal=internal)
    printed.link_texts = {item.anchor: f"Ärende {item.label}, sida {{page}}" for item in view.items}
    return printed


def scan_meeting(committee: Committee) -> Meeting:
    granskare = User.objects.get(username="granskare")
    memo = Memo.objects.exclude(case__unit=None).select_related("case").first()
    case = services.case_register(
        committee=committee,
        title="Yttrande över polisens remiss",
        by=granskare,
        unit=memo.case.unit,
        today=datetime.date(2024, 9, 2),
    )
    new = services.memo_create(case=case, by=granskare, date=datetime.date(2024, 9, 23))
    new = services.memo_save(
        memo=new,
        version=new.version,
        data={
            "title": case.title,
            "date": new.date,
            "decision_proposal": "Socialnämnden lämnar yttrandet.",
            "summary": "Polismyndigheten har begärt ett yttrande.",
            "dispatch_to": "Polismyndigheten",
            "dispatch_bulleted": False,
        },
        by=granskare,
    )
    upload = SimpleUploadedFile("yttrande.pdf", scanned_pdf(), content_type="application/pdf")
    services.memo_attachment_upload(memo=new, title=SCAN_TITLE, upload=upload, by=granskare)
    new = services.memo_submit(memo=new, by=granskare)
    # Fyraögonprincipen: the granskare wrote it, so the förvaltningschef approves.
    services.memo_approve(memo=new, by=User.objects.get(username="forvaltningschef"))
    meeting = services.meeting_create(
        committee=committee,
        date=datetime.date(2024, 11, 4),
        time=datetime.time(18, 0),
        place="Solna stadshus",
        by=granskare,
    )
    services.agenda_item_add(meeting=meeting, by=granskare, case=case)
    return meeting


@pytest.fixture(scope="module")
def printed(django_db_setup, django_db_blocker) -> dict[str, Printed]:
    from contracts.documents import followup_html
    from contracts.models import ContractFollowUp
    from controls.documents import plan_print_html
    from controls.models import ControlPlan

    kinds: dict[str, Printed] = {}
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        committee = Committee.objects.get(code="SN")
        memo = max(
            Memo.objects.filter(state__in=[MemoState.APPROVED, MemoState.SENT]),
            key=lambda memo: len(memo.summary),
        )
        html = documents.memo_html(memo)
        kinds["memo"] = Printed(html=html, pdf=render(html))
        october = Meeting.objects.get(committee=committee, date=datetime.date(2024, 10, 7))
        kinds["bundle_internal"] = bundle(october, internal=True)
        kinds["bundle_public"] = bundle(october, internal=False)
        december = Meeting.objects.get(committee=committee, date=datetime.date(2023, 12, 4))
        kinds["bundle_without_enclosure"] = bundle(december, internal=True)
        kinds["bundle_scan"] = bundle(scan_meeting(committee), internal=False)
        plan = ControlPlan.objects.get(committee=committee, year=2025)
        html = plan_print_html(plan)
        kinds["internkontrollplan"] = Printed(html=html, pdf=render(html))
        followup = ContractFollowUp.objects.filter(status="godkand").first()
        html = followup_html(followup)
        kinds["avtalsuppfoljning"] = Printed(html=html, pdf=render(html))
        transaction.set_rollback(True)
    assert kinds["bundle_internal"].enclosures and kinds["bundle_scan"].enclosures
    assert not kinds["bundle_without_enclosure"].enclosures
    return kinds


KINDS = [
    "memo",
    "bundle_internal",
    "bundle_public",
    "bundle_without_enclosure",
    "bundle_scan",
    "internkontrollplan",
    "avtalsuppfoljning",
]


# --- Reading the result independently of the module ------------------------------------------


def elements(pdf: pikepdf.Pdf):
    """Structure elements in reading order (pre-order from the root)."""
    stack = list(reversed(list(pdf.Root.StructTreeRoot.K)))
    while stack:
        elem = stack.pop()
        if not isinstance(elem, pikepdf.Dictionary) or "/S" not in elem:
            continue
        yield elem
        kids = elem.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        stack.extend(reversed([k for k in kids if isinstance(k, pikepdf.Dictionary)]))


def tags(pdf: pikepdf.Pdf, tag: str) -> list:
    return [elem for elem in elements(pdf) if pikepdf.Name(tag) == elem.S]


def artifacts(page) -> list[pikepdf.Dictionary]:
    return [
        instruction.operands[1]
        for instruction in pikepdf.parse_content_stream(page)
        if str(instruction.operator) == "BDC" and instruction.operands[0] == pikepdf.Name.Artifact
    ]


def scope(th):
    return th.A.get("/Scope")


# --- The check against today's output and after the repairs ---------------------------------


def test_todays_output_has_the_faults_the_issue_lists(printed):
    def faults(kind: str) -> str:
        return "\n".join(pdfua.check(printed[kind].today()))

    memo = faults("memo")
    assert "have no TH (layout tables" not in memo  # the letterhead is no table any more
    assert "page furniture" in memo  # "sida 1 (1)"
    bundle = faults("bundle_internal")
    assert "TH element(s) have no /Scope" in bundle
    assert "without readable /Contents (such as 'arende-" in bundle
    assert "PDF version is 1.3" in bundle
    assert "the ParentTree does not map" in bundle or "ParentTree entry" in bundle
    assert "The ParentTree entry" in bundle and "is empty" in bundle
    plan = faults("internkontrollplan")
    assert plan.count("is a separate Table element") >= 2  # the risk table over 3+ pages
    assert "Structure elements have IDs but the structure tree has no /IDTree" in plan
    assert "TH element(s) have no /Scope" in faults("avtalsuppfoljning")


@pytest.mark.parametrize("kind", KINDS)
def test_every_document_kind_passes_the_check_after_the_repairs(printed, kind):
    document = printed[kind]
    assert pdfua.check(document.today()), "today's output must fail the check"
    fixed = document.fixed()
    assert pdfua.check(fixed) == []
    with pikepdf.open(io.BytesIO(fixed)) as pdf:
        assert pdf.pdf_version == "1.7"


@pytest.mark.parametrize("kind", KINDS)
def test_the_repairs_keep_every_word(printed, kind):
    document = printed[kind]
    assert pdflib.text_of(document.fixed()) == pdflib.text_of(document.today())


def test_postprocess_again_changes_nothing_the_check_sees(printed):
    document = printed["internkontrollplan"]
    once = document.fixed()
    twice = pdfua.postprocess(once, html=document.html)
    assert pdfua.check(twice) == []
    with pikepdf.open(io.BytesIO(once)) as a, pikepdf.open(io.BytesIO(twice)) as b:
        assert [e.S for e in elements(a)] == [e.S for e in elements(b)]


def test_an_html_tree_already_parsed_gives_the_same_repairs(printed, monkeypatch):
    """The worker has the HTML parsed already (WeasyPrint's `etree_element`): with `tree`,
    postprocess and check do not parse it again and decide exactly as with the text."""
    document = printed["internkontrollplan"]
    tree = weasyprint.HTML(string=document.html).etree_element
    from_text = pdfua.postprocess(document.pdf, html=document.html)
    problems = pdfua.check(document.pdf, html=document.html)
    parses = []
    parse, lexbor = tinyhtml5.parse, html_tree.LexborHTMLParser
    monkeypatch.setattr(tinyhtml5, "parse", lambda *a, **k: parses.append(a) or parse(*a, **k))
    monkeypatch.setattr(html_tree, "LexborHTMLParser", lambda *a: parses.append(a) or lexbor(*a))
    pdfua.postprocess(document.pdf, html=document.html)
    assert len(parses) == 1  # the text alone is parsed once
    parses.clear()
    from_tree = pdfua.postprocess(document.pdf, html=document.html, tree=tree)
    assert pdfua.check(document.pdf, tree=tree) == problems
    assert parses == []
    assert without_id(from_tree) == without_id(from_text)
    assert pdfua.check(from_tree, tree=tree) == []


def without_id(pdf: bytes) -> bytes:
    """The PDF without its trailer /ID (qpdf makes a new one on every save)."""
    return re.sub(rb"/ID \[<[0-9a-f]+><[0-9a-f]+>\]", b"", pdf)


def test_each_page_is_parsed_once(printed, monkeypatch):
    document = printed["internkontrollplan"]
    parsed = []
    parse = pikepdf.parse_content_stream
    monkeypatch.setattr(
        pikepdf, "parse_content_stream", lambda page, *a: parsed.append(page) or parse(page, *a)
    )
    pdfua.postprocess(document.pdf, html=document.html)
    with pikepdf.open(io.BytesIO(document.pdf)) as pdf:
        assert len(parsed) == len(pdf.pages)


def test_garbage_collection_is_left_as_it_was(printed):
    """The repairs pause the cyclic collector (it would walk every object of the worker many
    times over) and leave it as they found it, also when the PDF is refused."""
    document = printed["memo"]
    assert gc.isenabled()
    pdfua.postprocess(document.pdf, html=document.html)
    assert gc.isenabled()
    with pytest.raises(pikepdf.PdfError):
        pdfua.check(b"no pdf")
    assert gc.isenabled()
    gc.disable()
    try:
        pdfua.postprocess(document.pdf, html=document.html)
        assert not gc.isenabled()
    finally:
        gc.enable()


# --- One fault at a time ----------------------------------------------------------------------


def test_header_cells_get_the_scope_the_html_gives(printed):
    with pikepdf.open(io.BytesIO(printed["internkontrollplan"].fixed())) as pdf:
        risk_table, matrix = tags(pdf, "/Table")
        rows = [
            [cell for cell in tr.K if cell.S in (pikepdf.Name.TH, pikepdf.Name.TD)]
            for tr in elements_in(risk_table, "/TR")
        ]
        assert [scope(th) for th in rows[0]] == [pikepdf.Name.Column] * 5
        process = rows[1][0]  # <th scope="rowgroup" rowspan=…>
        assert process.S == pikepdf.Name.TH and scope(process) == pikepdf.Name.Row
        first_td = rows[1][1]
        assert list(first_td.A.Headers) == [process.ID, rows[0][1].ID]
        matrix_ths = elements_in(matrix, "/TH")
        assert {scope(th) for th in matrix_ths} == {pikepdf.Name.Column, pikepdf.Name.Row}
        assert "/IDTree" in pdf.Root.StructTreeRoot
    with pikepdf.open(io.BytesIO(printed["avtalsuppfoljning"].fixed())) as pdf:
        facts = tags(pdf, "/Table")[0]  # <th scope="row">Avtal</th>…
        assert {scope(th) for th in elements_in(facts, "/TH")} == {pikepdf.Name.Row}


def elements_in(elem, tag: str) -> list:
    found = []
    stack = [elem]
    while stack:
        item = stack.pop()
        kids = item.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                if pikepdf.Name(tag) == kid.S:
                    found.append(kid)
                stack.append(kid)
    return sorted(found, key=lambda e: order_of(elem, e))


def order_of(root, target) -> int:
    for index, elem in enumerate(_preorder(root)):
        if elem.objgen == target.objgen:
            return index
    return -1


def _preorder(root):
    stack = [root]
    while stack:
        elem = stack.pop()
        yield elem
        kids = elem.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        elems = [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]
        stack.extend(reversed(elems))


def test_the_risk_table_across_pages_is_one_table_with_one_head(printed):
    document = printed["internkontrollplan"]
    with pikepdf.open(io.BytesIO(document.pdf)) as pdf:
        assert len(tags(pdf, "/Table")) >= 4  # WeasyPrint: one per page, plus the matrix
    with pikepdf.open(io.BytesIO(document.fixed())) as pdf:
        risk_table = tags(pdf, "/Table")[0]
        assert len(elements_in(risk_table, "/THead")) == 1
        body_rows = [
            tr for body in elements_in(risk_table, "/TBody") for tr in elements_in(body, "/TR")
        ]
        risk_html = document.html.split('<table class="control-plan">')[1].split("</table>")[0]
        assert len(body_rows) == risk_html.count("<tr>") - 1  # every risk, once
        pages = {tr.Pg.objgen for tr in body_rows}
        assert len(pages) >= 3
        repeated = [a for a in artifacts(pdf.pages[1]) if a.get("/Type") == pikepdf.Name.Pagination]
        assert any("/Subtype" not in a for a in repeated)  # the repeated head


def test_letterhead_and_meta_tables_are_read_as_text(printed):
    with pikepdf.open(io.BytesIO(printed["bundle_internal"].fixed())) as pdf:
        tables = tags(pdf, "/Table")
        assert len(tables) == 1  # the ärendelista; docinfo and Tid/Plats are not tables
        assert all(elements_in(table, "/TH") for table in tables)
        letterhead, _sender, docinfo = tags(pdf, "/Div")[:3]
        assert [kid.S for kid in letterhead.K] == [pikepdf.Name.Div, pikepdf.Name.Div]
        assert [kid.S for kid in docinfo.K] == [pikepdf.Name.P, pikepdf.Name.P]  # type, date


def test_running_header_and_footer_are_artifacts(printed):
    with pikepdf.open(io.BytesIO(printed["internkontrollplan"].fixed())) as pdf:
        first = {str(a.get("/Subtype")) for a in artifacts(pdf.pages[0])}
        assert "/Footer" in first and "/Header" not in first  # @page :first has no header
        second = {str(a.get("/Subtype")) for a in artifacts(pdf.pages[1])}
        assert {"/Header", "/Footer"} <= second
        reachable = {elem.objgen for elem in elements(pdf)}
        for number, entry in parent_tree(pdf).items():
            entries = list(entry) if isinstance(entry, pikepdf.Array) else [entry]
            assert entries, f"empty ParentTree entry {number}"
            assert all(e.objgen in reachable for e in entries)


def parent_tree(pdf) -> dict:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def test_agenda_links_have_readable_contents(printed):
    document = printed["bundle_internal"]
    fixed = pdfua.postprocess(
        pdfua.splice(document.pdf, document.enclosures),
        html=document.html,
        link_texts=document.link_texts,
    )
    assert pdfua.check(fixed) == []
    with pikepdf.open(io.BytesIO(fixed)) as pdf:
        contents = [str(a.Contents) for a in pdf.pages[0].Annots]
        assert contents[0].startswith("Ärende 1, sida ")
        assert all(text.startswith("Ärende ") for text in contents)
    with pikepdf.open(io.BytesIO(document.fixed())) as pdf:  # from the HTML's aria-label
        assert str(pdf.pages[0].Annots[0].Contents).startswith("Ärende 1, sida ")
    with pikepdf.open(io.BytesIO(pdfua.postprocess(document.pdf))) as pdf:  # no HTML
        assert str(pdf.pages[0].Annots[0].Contents).startswith("Gå till sida ")


def test_a_scanned_enclosure_is_one_figure_with_alt_text(printed):
    document = printed["bundle_scan"]
    (enclosure,) = document.enclosures
    before = pdfua.check(document.today())
    assert any("ParentTree entry" in p or "neither tagged" in p for p in before)
    with pikepdf.open(io.BytesIO(document.fixed())) as pdf:
        (figure,) = tags(pdf, "/Figure")
        assert str(figure.Alt) == f"Bifogad handling: {SCAN_TITLE}, inskannad, 2 sidor."
        first = enclosure.first_page - 1
        assert [(mcr.Pg.objgen, int(mcr.MCID)) for mcr in figure.K] == [
            (pdf.pages[first].obj.objgen, 0),
            (pdf.pages[first + 1].obj.objgen, 0),
        ]
        for offset in range(2):
            page = pdf.pages[first + offset]
            (link,) = page.Annots
            assert str(link.Contents) == f"Länk till {SCAN_LINK} i bilagan"
            assert pikepdf.Name.Link == parent_tree(pdf)[int(link.StructParent)].S
            assert page.Tabs == pikepdf.Name.S
        assert all(
            len(entry) for entry in parent_tree(pdf).values() if isinstance(entry, pikepdf.Array)
        )


def test_an_enclosure_with_text_but_no_tags_says_so(printed):
    with pikepdf.open(io.BytesIO(printed["bundle_public"].fixed())) as pdf:
        # The bundle also prints the sent delårsrapport after its memo: a figure of its own.
        (figure,) = [
            figure
            for figure in tags(pdf, "/Figure")
            if str(figure.Alt).startswith("Bifogad handling: Överenskommelse om finansiering")
        ]
        assert str(figure.Alt).endswith(
            "2 sidor. Den bifogade filen saknar taggar för skärmläsare."
        )


def test_an_enclosure_that_does_not_fit_its_placeholder_is_refused(printed):
    document = printed["bundle_scan"]
    (enclosure,) = document.enclosures
    with pikepdf.open(io.BytesIO(document.pdf)) as pdf:
        last = len(pdf.pages)
    with pytest.raises(pdflib.PdfError, match="har 2 sidor"):
        pdfua.splice(document.pdf, [pdfua.Enclosure(last, enclosure.data, enclosure.title)])


# --- The check on small documents -------------------------------------------------------------


def small(body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Prov</title>'
        '<link rel="stylesheet" href="css/print.css"></head>'
        f"<body><main>{body}</main></body></html>"
    )


def test_two_tables_with_a_page_break_between_stay_two_tables():
    table = (
        '<table{}><thead><tr><th scope="col">A</th></tr></thead>'
        "<tbody><tr><td>{}</td></tr></tbody></table>"
    )
    first, second = table.format(' style="break-after: page"', 1), table.format("", 2)
    html = small(f"<h1>Två tabeller</h1>{first}{second}")
    pdf = render(html)
    fixed = pdfua.postprocess(pdf, html=html)
    assert pdfua.check(fixed, html=html) == []
    with pikepdf.open(io.BytesIO(fixed)) as document:
        assert len(tags(document, "/Table")) == 2


def test_a_row_taller_than_a_page_is_one_row_again():
    words = " ".join(["En lång beskrivning av bristen och vad som krävs."] * 260)
    html = small(
        '<h1>Brister</h1><table><thead><tr><th scope="col">Brist</th><th scope="col">Senast'
        f"</th></tr></thead><tbody><tr><td>{words}</td><td>2025-01-31</td></tr></tbody></table>"
    )
    pdf = render(html)
    assert any("separate Table" in p for p in pdfua.check(pdf))
    fixed = pdfua.postprocess(pdf, html=html)
    assert pdfua.check(fixed) == []
    with pikepdf.open(io.BytesIO(fixed)) as document:
        (table,) = tags(document, "/Table")
        assert len(elements_in(table, "/TR")) == 2  # the head and the one row


def test_scope_col_in_a_body_row_is_kept():
    html = small(
        '<h1>Hörn</h1><table><tbody><tr><td>Hörn</td><th scope="col">Värde</th></tr>'
        "<tr><td>a</td><td>1</td></tr></tbody></table>"
    )
    with pikepdf.open(io.BytesIO(pdfua.postprocess(render(html), html=html))) as document:
        (th,) = tags(document, "/TH")
        assert scope(th) == pikepdf.Name.Column  # the HTML default would make it a row header


def test_the_check_finds_skipped_headings_and_missing_tags():
    problems = pdfua.check(pdfua.postprocess(render(small("<h1>Rubrik</h1><h3>För djup</h3>"))))
    assert problems == ["Heading H3 follows H1: a level is skipped."]
    problems = pdfua.check(render(small("<h2>Först</h2>")))
    assert "The first heading is H2, not H1." in problems
    untagged = pdfua.check(scanned_pdf(1))
    for expected in (
        "PDF version is 1.3, not 1.7 or later.",
        "The document is not marked as tagged (/MarkInfo /Marked true).",
        "The document has no /Lang.",
        "The document has no XMP metadata.",
        "The document has no structure tree (/StructTreeRoot).",
    ):
        assert expected in untagged


def test_the_check_finds_fonts_that_are_not_embedded():
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 72 720 Td (Hej) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)
    page[NameObject("/Annots")] = ArrayObject()
    out = io.BytesIO()
    writer.write(out)
    problems = pdfua.check(out.getvalue())
    assert "Font /Helvetica is not embedded." in problems
