"""Uploaded enclosures drawn onto their placeholder pages as tagged content."""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from solna_sn.lib import pdf as pdflib

from .common import _KEEP_EMPTY, _is_dict, _mul, _numbers
from .content import _shows_text, _strip_marked_content
from .tree import _Doc, _Node


@dataclass(frozen=True)
class Enclosure:
    """An uploaded PDF to draw onto the main document's placeholder pages from `first_page`
    (1-based), tagged as one Figure whose alternative text names it."""

    first_page: int
    data: bytes
    title: str


def _place(doc: _Doc, source: pikepdf.Pdf, enclosure: Enclosure, number: int) -> None:
    count = len(source.pages)
    first = enclosure.first_page - 1
    if first < 0 or first + count > len(doc.pages):
        raise pdflib.PdfError(
            f"Bilagan ”{enclosure.title}” har {count} sidor men dokumentet har inte platser för "
            f"dem från sidan {enclosure.first_page}."
        )
    scanned = not any(_shows_text(page.obj) for page in source.pages)
    pages_text = f"{count} sid{'a' if count == 1 else 'or'}"
    if scanned:
        alt = f"Bifogad handling: {enclosure.title}, inskannad, {pages_text}."
    else:
        alt = (
            f"Bifogad handling: {enclosure.title}, {pages_text}. Den bifogade filen saknar "
            "taggar för skärmläsare."
        )
    container, parent = _placeholder(doc, first)
    figure = None
    links = []
    for offset, source_page in enumerate(source.pages):
        index = first + offset
        target = document_page = doc.pdf.pages[index]
        formx = doc.pdf.copy_foreign(source_page.as_form_xobject())
        _strip_marked_content(formx, doc.pdf)
        name = target.add_resource(formx, Name.XObject, prefix=f"Bilaga{number}x")
        bbox = _numbers(formx.BBox)
        matrix = _numbers(formx.get("/Matrix", Array([1, 0, 0, 1, 0, 0])))
        corners = [_mul((1, 0, 0, 1, x, y), matrix)[4:] for x in bbox[0::2] for y in bbox[1::2]]
        left, bottom = min(x for x, _ in corners), min(y for _, y in corners)
        width = max(x for x, _ in corners) - left
        height = max(y for _, y in corners) - bottom
        box = _numbers(document_page.mediabox)
        target_width, target_height = box[2] - box[0], box[3] - box[1]
        scale = min(target_width / width, target_height / height, 1.0)
        dx = box[0] + (target_width - width * scale) / 2 - left * scale
        dy = box[1] + (target_height - height * scale) / 2 - bottom * scale
        place = (scale, 0.0, 0.0, scale, dx, dy)
        mcid = 1 + max((s.mcid for s in doc.scan(index).seqs if s.mcid is not None), default=-1)
        if figure is None:
            figure = doc.new_elem("/Figure", container, index, Alt=String(alt))
            figure.obj.A = Dictionary(
                O=Name.Layout,
                BBox=Array([dx + left * scale, dy + bottom * scale,
                            dx + (left + width) * scale, dy + (bottom + height) * scale]),
            )  # fmt: skip
        doc.append_kid(figure, Dictionary(Type=Name.MCR, Pg=target.obj, MCID=mcid))
        matrix_text = " ".join(f"{value:.6f}" for value in place)
        target.contents_add(b"q\n", prepend=True)
        target.contents_add(
            f"\nQ\n/Figure <</MCID {mcid}>> BDC\nq\n{matrix_text} cm\n{name} Do\nQ\nEMC\n".encode()
        )
        doc._ops.pop(index, None)
        doc._scans.pop(index, None)
        doc.mapped.add((index, mcid))
        for annotation in source_page.obj.get("/Annots", Array()):
            if not _is_dict(annotation) or annotation.get("/Subtype") != Name.Link:
                continue  # comments and other markup on an upload are not carried over
            for key in ("/P", "/Popup", "/Parent", "/StructParent", "/QuadPoints"):
                if key in annotation:
                    del annotation[key]  # our own opened copy: no page comes along
            copy = doc.pdf.copy_foreign(annotation)
            rect = _numbers(copy.Rect)
            points = [
                _mul(_mul((1, 0, 0, 1, x, y), matrix), place)[4:]
                for x in rect[0::2]
                for y in rect[1::2]
            ]
            copy.Rect = Array([min(p[0] for p in points), min(p[1] for p in points),
                               max(p[0] for p in points), max(p[1] for p in points)])  # fmt: skip
            copy.P = target.obj
            action = copy.get("/A")
            uri = str(action.get("/URI", "")) if _is_dict(action) else ""
            copy.Contents = String(f"Länk till {uri} i bilagan" if uri else "Länk i bilagan")
            annotations = target.obj.get("/Annots")
            if not isinstance(annotations, Array):
                target.obj.Annots = annotations = Array()
            annotations.append(copy)
            target.obj.Tabs = Name.S
            link = doc.new_elem("/Link", container, index)
            doc.append_kid(link, Dictionary(Type=Name.OBJR, Obj=copy, Pg=target.obj))
            links.append(link)
    del parent
    doc.set_kids(container, [*container.kids, figure, *links])


def _placeholder(doc: _Doc, page: int) -> tuple[_Node, _Node | None]:
    """The element the enclosure goes into: the placeholder's empty element on its first page
    (WeasyPrint writes one for the `.insert-page` div), else the document element."""
    if doc.root is None:
        raise pdflib.PdfError("Dokumentet saknar strukturträd.")
    for elem, parent in doc.walk():
        if elem.page == page and not elem.kids and elem.tag not in _KEEP_EMPTY:
            return elem, parent
    documents = doc.document_elements()
    if not documents:
        element = doc.new_elem("/Document", None)
        doc.set_kids(None, [element])
        return element, None
    return documents[0], None
