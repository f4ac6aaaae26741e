"""The report as a Word file (.docx) for those who continue in Word: the same assembly as the
preview and the PDF (frozen once sent), the same canonical headings, Word's own heading
styles (so Word's navigation pane and table of contents work), tables with the header row
repeated on every page and rows that do not split, Swedish as the document language.

Only what the writers and generators produce is converted: paragraphs, headings, lists, bold,
italic, links, line breaks and tables. A chart (SVG) is replaced by a line saying it is in the
PDF. The table of contents is a Word field that Word fills in when the file is opened.
"""

from __future__ import annotations

import io
import re
from xml.etree.ElementTree import Element

import tinyhtml5
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from reports.assembly import Assembly

SPACE_RE = re.compile(r"\s+")
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "div", "section"}
BLOCK_TAGS |= {"figure", "figcaption", "dl", "blockquote", "caption"}
LANGUAGE = "sv-SE"
CHART_NOTE = "Diagrammet finns i PDF-versionen av rapporten."


def _tag(element: Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rpartition("}")[2]  # html and svg elements alike


def _classes(element: Element) -> set[str]:
    return set((element.get("class") or "").split())


def _text(value: str | None) -> str:
    return SPACE_RE.sub(" ", value or "")


# --- Word building blocks ----------------------------------------------------------------------


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC …) in `paragraph`; Word computes it."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _hyperlink(paragraph, url: str, text: str) -> None:
    part = paragraph.part
    rel = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "0563C1")
    properties.append(colour)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.append(underline)
    run.append(properties)
    text_element = OxmlElement("w:t")
    text_element.set(qn("xml:space"), "preserve")
    text_element.text = text
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _no_split(row) -> None:
    properties = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    properties.append(cant)


def _set_language(document) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), LANGUAGE)


def _update_fields_on_open(document) -> None:
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


# --- HTML to Word ------------------------------------------------------------------------------


class _Writer:
    def __init__(self, document, base_level: int):
        self.document = document
        self.base_level = base_level

    def heading(self, text: str, level: int):
        return self.document.add_heading(text.strip(), level=max(1, min(level, 9)))

    def inline(self, paragraph, element: Element, *, bold=False, italic=False) -> None:
        """Text and inline children of `element` as runs of `paragraph`."""
        if element.text:
            self._run(paragraph, element.text, bold, italic)
        for child in element:
            tag = _tag(child)
            if tag in ("strong", "b"):
                self.inline(paragraph, child, bold=True, italic=italic)
            elif tag in ("em", "i"):
                self.inline(paragraph, child, bold=bold, italic=True)
            elif tag == "br":
                paragraph.add_run().add_break()
            elif tag == "a" and (child.get("href") or "").startswith(("http", "mailto:")):
                _hyperlink(paragraph, child.get("href"), _text("".join(child.itertext())))
            elif tag == "svg":
                pass
            else:
                self.inline(paragraph, child, bold=bold, italic=italic)
            if child.tail:
                self._run(paragraph, child.tail, bold, italic)

    @staticmethod
    def _run(paragraph, text, bold, italic):
        text = _text(text)
        if not text:
            return
        if not paragraph.runs and not paragraph.text:
            text = text.lstrip()
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.italic = italic or None

    def blocks(self, element: Element, heading_offset: int = 0) -> None:
        """Block children of `element`; loose text between them becomes a paragraph."""
        loose = []

        def flush():
            text = _text(" ".join(loose)).strip()
            loose.clear()
            if text:
                self.document.add_paragraph(text)

        if element.text and element.text.strip():
            loose.append(element.text)
        for child in element:
            tag = _tag(child)
            if tag in BLOCK_TAGS or tag == "svg":
                flush()
                self.block(child)
            else:
                paragraph = self.document.add_paragraph()
                wrapper = Element("span")
                wrapper.append(child)
                tail, child.tail = child.tail, None
                self.inline(paragraph, wrapper)
                child.tail = tail
            if child.tail and child.tail.strip():
                loose.append(child.tail)
        flush()

    def block(self, element: Element) -> None:
        tag = _tag(element)
        if tag == "p":
            paragraph = self.document.add_paragraph()
            self.inline(paragraph, element)
            if "num" in _classes(element):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            # Inside a section body h3 is the first subheading under the section's own level.
            level = self.base_level + max(1, int(tag[1]) - 2)
            self.heading(_text("".join(element.itertext())), level)
        elif tag in ("ul", "ol"):
            self.list(element, numbered=tag == "ol", depth=1)
        elif tag == "table":
            self.table(element)
        elif tag == "svg":
            self.document.add_paragraph(CHART_NOTE, style="Caption")
        elif tag in ("figcaption", "caption"):
            paragraph = self.document.add_paragraph(style="Caption")
            self.inline(paragraph, element)
        else:  # div, section, figure, dl, blockquote: their content
            self.blocks(element)

    def list(self, element: Element, *, numbered: bool, depth: int) -> None:
        base = "List Number" if numbered else "List Bullet"
        style = base if depth == 1 else f"{base} {min(depth, 3)}"
        for item in element:
            if _tag(item) != "li":
                continue
            paragraph = self.document.add_paragraph(style=style)
            nested = [c for c in item if _tag(c) in ("ul", "ol")]
            for child in nested:
                item.remove(child)
            self.inline(paragraph, item)
            for child in nested:
                self.list(child, numbered=_tag(child) == "ol", depth=depth + 1)

    def table(self, element: Element) -> None:
        caption = next((c for c in element if _tag(c) == "caption"), None)
        if caption is not None and _text("".join(caption.itertext())).strip():
            paragraph = self.document.add_paragraph(style="Caption")
            self.inline(paragraph, caption)
        rows = []  # (is_header, [cell elements])
        for part in element:
            part_tag = _tag(part)
            if part_tag in ("thead", "tbody", "tfoot"):
                for row in part:
                    if _tag(row) == "tr":
                        rows.append((part_tag == "thead", row))
            elif part_tag == "tr":
                rows.append((False, part))
        if not rows:
            return
        width = max(
            sum(int(c.get("colspan") or 1) for c in row if _tag(c) in ("td", "th"))
            for _, row in rows
        )
        table = self.document.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        for is_header, row in rows:
            word_row = table.add_row()
            _no_split(word_row)
            if is_header:
                _repeat_header(word_row)
            column = 0
            for cell in row:
                if _tag(cell) not in ("td", "th"):
                    continue
                span = int(cell.get("colspan") or 1)
                target = word_row.cells[column]
                if span > 1 and column + span <= width:
                    target = target.merge(word_row.cells[column + span - 1])
                paragraph = target.paragraphs[0]
                bold = is_header or (_tag(cell) == "th" and cell.get("scope") == "col")
                self.inline(paragraph, cell, bold=bold)
                if "num" in _classes(cell):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                column += span
                if column >= width:
                    break


def _body_of(fragment: str) -> Element:
    root = tinyhtml5.parse(f"<!DOCTYPE html><html><body>{fragment}</body></html>")
    return next(c for c in root if _tag(c) == "body")


def report_docx(assembly: Assembly, *, cover_line: str) -> bytes:
    report = assembly.report
    document = Document()
    _set_language(document)
    _update_fields_on_open(document)
    document.core_properties.title = report.title
    document.core_properties.language = LANGUAGE
    document.core_properties.author = report.committee.name
    document.styles["Normal"].font.size = Pt(11)

    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = report.title
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("sida ")
    _field(footer, "PAGE", "1")
    footer.add_run(" (")
    _field(footer, "NUMPAGES", "1")
    footer.add_run(")")

    document.add_paragraph("Solna stad")
    document.add_paragraph(report.title, style="Title")
    document.add_paragraph(report.committee.name)
    document.add_paragraph(cover_line)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    document.add_paragraph("Innehållsförteckning", style="TOC Heading")
    _field(
        document.add_paragraph(),
        'TOC \\o "1-3" \\h \\z \\u',
        "Innehållsförteckningen fylls i när dokumentet öppnas i Word "
        "(annars: högerklicka och välj Uppdatera fält).",
    )
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    for printed in assembly.sections:
        level = printed.section.level
        if printed.section.title:
            document.add_heading(printed.section.title, level=min(level, 9))
        if printed.html:
            _Writer(document, level).blocks(_body_of(printed.html))

    if assembly.corrections:
        document.add_heading(assembly.corrections_title, level=1)
        for earlier, items in assembly.corrections:
            document.add_heading(earlier.title, level=2)
            for correction in items:
                where = f"{correction.section.title}: " if correction.section else ""
                document.add_paragraph(
                    f"{where}{correction.text} ({correction.created_at:%Y-%m-%d})",
                    style="List Bullet",
                )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
