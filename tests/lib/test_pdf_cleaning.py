"""Cleaning uploaded PDFs: scripts, actions, embedded files and non-web links go; pages with
no usable MediaBox and files over the page limit are refused; the page content stays."""

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from solna_sn.lib import pdf as pdflib


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = value
    return action


def _javascript(code: str = "app.alert('hej')") -> DictionaryObject:
    return _action("/JavaScript", JS=TextStringObject(code))


def _link(writer: PdfWriter, page, action: DictionaryObject, rect=(0, 0, 595, 842)) -> None:
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject(FloatObject(v) for v in rect),
            NameObject("/A"): writer._add_object(action),
        }
    )
    annotations = page.get("/Annots")
    if annotations is None:
        annotations = ArrayObject()
        page[NameObject("/Annots")] = annotations
    annotations.append(writer._add_object(annotation))


def _bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def hostile_pdf(pages: int = 1) -> bytes:
    """Everything the probe found, and the other ways a PDF runs or opens something."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    page = writer.pages[0]
    names_tree = DictionaryObject(
        {
            NameObject("/Names"): ArrayObject(
                [
                    TextStringObject("start"),
                    writer._add_object(_javascript("app.launchURL('http://evil.example/');")),
                ]
            )
        }
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(names_tree)}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(_javascript())
    writer._root_object[NameObject("/AA")] = DictionaryObject(
        {NameObject("/WC"): writer._add_object(_javascript("close"))}
    )
    writer.add_attachment("virus.exe", b"MZ\x90\x00")
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): _javascript("page open")})
    _link(writer, page, _javascript("page sized link"))
    _link(
        writer, page, _action("/URI", URI=TextStringObject("javascript:alert(1)")), (0, 0, 50, 50)
    )
    _link(
        writer, page, _action("/URI", URI=TextStringObject("file:///etc/passwd")), (0, 60, 50, 90)
    )
    _link(writer, page, _action("/Launch", F=TextStringObject("cmd.exe")), (0, 100, 50, 150))
    _link(writer, page, _action("/SubmitForm", F=TextStringObject("http://evil.example/")))
    _link(writer, page, _action("/ImportData", F=TextStringObject("data.fdf")))
    _link(writer, page, _action("/GoToR", F=TextStringObject("other.pdf"), D=ArrayObject()))
    # A web link that also chains a script, and one honest web link.
    chained = _action("/URI", URI=TextStringObject("https://www.solna.se/"))
    chained[NameObject("/Next")] = _javascript("after the link")
    _link(writer, page, chained, (100, 100, 200, 120))
    _link(writer, page, _action("/URI", URI=TextStringObject("https://www.solna.se/avtal")))
    annots = page["/Annots"]
    annots[-1].get_object()[NameObject("/AA")] = DictionaryObject(
        {NameObject("/E"): _javascript("mouse enter")}
    )
    return _bytes(writer)


def active_content(data: bytes) -> list[str]:
    """Every script, action, embedded file or non-web link left anywhere in the file."""
    reader = PdfReader(io.BytesIO(data))
    found = []
    for idnum in range(1, int(reader.trailer["/Size"])):
        item = reader.get_object(idnum)
        if not isinstance(item, DictionaryObject):
            continue
        for key in ("/JS", "/JavaScript", "/OpenAction", "/AA", "/EmbeddedFiles", "/EF"):
            if key in item:
                found.append(key)
        if item.get("/S") in ("/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR"):
            found.append(str(item["/S"]))
        if item.get("/S") == "/URI" and not str(item["/URI"]).startswith("https://"):
            found.append(str(item["/URI"]))
    catalog = reader.trailer["/Root"]
    found.extend(key for key in ("/OpenAction", "/AA", "/AcroForm") if key in catalog)
    names = catalog.get("/Names")
    if names is not None:
        found.extend(key for key in ("/JavaScript", "/EmbeddedFiles") if key in names.get_object())
    return found


def web_links(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [
        str(annotation.get_object()["/A"]["/URI"])
        for page in reader.pages
        for annotation in page.get("/Annots", [])
    ]


def test_the_hostile_pdf_really_is_hostile():
    assert len(active_content(hostile_pdf())) > 10


def test_cleaning_removes_scripts_actions_embedded_files_and_non_web_links():
    clean = pdflib.sanitize_pdf(hostile_pdf(pages=2))
    assert active_content(clean.data) == []
    assert web_links(clean.data) == ["https://www.solna.se/", "https://www.solna.se/avtal"]
    assert clean.pages == 2 == len(PdfReader(io.BytesIO(clean.data)).pages)
    assert {"/OpenAction", "/Names", "/AA", "/Annots", "/Next"} <= clean.removed
    assert b"virus.exe" not in clean.data and b"evil.example" not in clean.data


def test_splicing_cleans_the_attachment_again():
    main = PdfWriter()
    for _ in range(3):
        main.add_blank_page(width=595.276, height=841.89)
    bundle = pdflib.splice(_bytes(main), [pdflib.Insert(first_page=2, data=hostile_pdf(2))])
    assert active_content(bundle) == []
    assert len(PdfReader(io.BytesIO(bundle)).pages) == 3


def test_page_text_survives_the_cleaning(tmp_path):
    html = '<!DOCTYPE html><html lang="sv"><head><title>B</title></head><body>'
    html += "<p>Avtalets text</p><p><a href='https://www.solna.se/'>Solna</a></p></body></html>"
    data = pdflib.render_html(html, base_dir=tmp_path).pdf
    clean = pdflib.sanitize_pdf(data)
    assert "Avtalets text" in pdflib.text_of(clean.data)
    assert web_links(clean.data) == ["https://www.solna.se/"]


def _blank_with_box(box) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    page = writer.pages[0]
    if box is None:
        del page["/MediaBox"]
    else:
        page[NameObject("/MediaBox")] = ArrayObject(NumberObject(v) for v in box)
    return _bytes(writer)


@pytest.mark.parametrize(
    ("box", "message"),
    [
        ((0, 0, 0, 0), "Sidan 1 i PDF-filen har ingen yta"),
        ((0, 0, 595, 0), "Sidan 1 i PDF-filen har ingen yta"),
        (None, "Sidan 1 i PDF-filen saknar giltig sidstorlek (MediaBox)"),
        ((0, 0, 595), "Sidan 1 i PDF-filen saknar giltig sidstorlek (MediaBox)"),
    ],
)
def test_a_page_without_a_usable_media_box_is_refused(box, message):
    data = _blank_with_box(box)
    for check in (pdflib.sanitize_pdf, pdflib.inspect_pdf):
        with pytest.raises(pdflib.PdfError) as caught:
            check(data)
        assert str(caught.value).startswith(message)


def test_a_reversed_media_box_is_normalised():
    clean = pdflib.sanitize_pdf(_blank_with_box((595, 842, 0, 0)))
    box = PdfReader(io.BytesIO(clean.data)).pages[0].mediabox
    assert [float(v) for v in box] == [0, 0, 595, 842]


def test_more_pages_than_the_limit_are_refused():
    writer = PdfWriter()
    for _ in range(6):
        writer.add_blank_page(width=595, height=842)
    with pytest.raises(pdflib.PdfError) as caught:
        pdflib.sanitize_pdf(_bytes(writer), max_pages=5)
    assert str(caught.value).startswith(
        "PDF-filen har 6 sidor. En bifogad handling får ha högst 5 sidor"
    )
    assert pdflib.sanitize_pdf(_bytes(writer), max_pages=6).pages == 6


def test_the_default_page_limit_is_two_hundred():
    assert pdflib.MAX_PAGES == 200
