"""Accessible PDF (PDF/UA-1) structure: repair what WeasyPrint 70 writes, splice uploaded
enclosures in as tagged content, and check the result. Pure pikepdf, no Django models.

WeasyPrint tags every document, but (as of 70.0):

- no TH gets /Scope, and its /Headers on TD treat scope="rowgroup" as a column header;
- `role="presentation"` is ignored, so layout tables are data tables without TH;
- the @page margin boxes (running header, "sida X (Y)") are marked content that points, through
  the ParentTree, at structure elements that are not in the tree; a reader finds the content
  but no place for it;
- every box is cut per page, so a table across three pages is three Table elements, each with
  its own THead (the repeated head);
- a link with a ::after pseudo element becomes a Link inside a Link, and every link annotation
  gets its anchor id ("arende-2") as /Contents;
- element IDs are written without an /IDTree.

`postprocess` fixes all of that on the written PDF; `splice` draws uploaded PDFs onto their
placeholder pages as one Figure per enclosure with an alternative text; `check` is a structural
checker (no PDF/UA validator is installable here) that every PDF test can run.

The parts: `tree` (the structure tree read once into Python, and the pages' content),
`content` (a page's marked content), `html` (what the HTML says), `tables`, `links`,
`finalize` (MCIDs, ParentTree, IDTree), `enclosures` and `checks`.

Table fragments are one table when the next page starts, with nothing read in between, with a
table as wide that repeats the head (same cells, same text) or has none. The HTML, when given,
decides the rest: WeasyPrint writes tables in the HTML's order, so HTML tables are matched to
the PDF's by their row and cell shape; such a chain is cut where one HTML table ends and the
next begins (two tables with a page break between them), each TH gets the Scope of its HTML
`scope`, `role="presentation"` marks a layout table, and a row cut by a page break is joined
again when the row count leaves no doubt. Without the HTML, or when the shapes differ, the HTML
table algorithm's defaults apply (a TH in THead, or in a row without TD, is a column header; any
other TH a row header) and a table without TH is taken for a layout table.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from xml.etree import ElementTree

import pikepdf

from solna_sn.lib import pdf as pdflib

from .checks import _check_document
from .common import _gc_paused, _save
from .enclosures import Enclosure, _place
from .finalize import _finalize
from .html import _parse_html
from .links import _fix_links, _flatten_nested_links
from .tables import _group_tables, _has_th, _retag_layout, _set_headers
from .tree import _Doc

__all__ = ["Enclosure", "check", "postprocess", "splice"]


def postprocess(
    pdf: bytes,
    *,
    html: str | None = None,
    link_texts: Mapping[str, str] | None = None,
    tree: ElementTree.Element | None = None,
) -> bytes:
    """Repair WeasyPrint's tagging (see the module docstring) and write PDF 1.7.

    `html` is the HTML the PDF was rendered from: TH scopes, layout tables (role="presentation")
    and tables across pages are read from it. `tree` is that HTML already parsed (WeasyPrint's
    `HTML.etree_element`, the `<html>` element), used instead of parsing `html` again.
    `link_texts` maps an anchor id to the /Contents of links to it, used as given but for
    "{page}", which becomes the target's page number ("Ärende 2, sida {page}"); other internal
    links get the HTML link's name (aria-label, title or text) and ", sida N", or "Gå till sida
    N"; web links "Länk till <address>". Safe to run twice and after `splice`.
    """
    with _gc_paused(), pikepdf.open(io.BytesIO(pdf)) as document:
        doc = _Doc(document)
        parsed = _parse_html(html, tree) if html or tree is not None else None
        if doc.root is not None:
            _flatten_nested_links(doc)
            groups = _group_tables(doc, parsed)
            number = 0
            for group in groups:
                table = group.fragments[0].table
                layout = (
                    group.html.role in ("presentation", "none")
                    if group.html is not None
                    else not _has_th(table)
                )
                if layout:
                    _retag_layout(doc, table)
                else:
                    number += 1
                    _set_headers(number, table, group.html)
            _fix_links(doc, link_texts, parsed)
            _finalize(doc)
        return _save(document)


def splice(main: bytes, enclosures: Sequence[Enclosure]) -> bytes:
    """Draw each enclosure's pages onto its placeholder pages, scaled to fit and centred (as
    `solna_sn.lib.pdf.splice` does), as tagged content: one Figure per enclosure, with
    /Alt "Bifogad handling: <titel>, inskannad, N sidor" (or, for a file with text, that it has
    no tags), its marked content (MCIDs from its own, discarded structure tree) removed, its web
    links tagged with readable /Contents, and the placeholder elements removed. Each enclosure
    is cleaned again first (`sanitize_pdf`). Writes PDF 1.7; run `postprocess` after it.

    Raises `PdfError` (Swedish) for an enclosure that is not a usable PDF, one with more pages
    than there are pages from its `first_page`, or a main document without structure tree."""
    if not enclosures:
        return main
    with _gc_paused(), pikepdf.open(io.BytesIO(main)) as document:
        doc = _Doc(document)
        for number, enclosure in enumerate(enclosures, start=1):
            clean = pdflib.sanitize_pdf(enclosure.data, max_pages=None)
            with pikepdf.open(io.BytesIO(clean.data)) as source:
                _place(doc, source, enclosure, number)
        _finalize(doc)
        return _save(document)


def check(
    pdf: bytes, *, html: str | None = None, tree: ElementTree.Element | None = None
) -> list[str]:
    """Structural PDF/UA-1 problems in `pdf`, one English sentence each; empty when none.

    With the `html` it was rendered from (or `tree`, that HTML parsed), two tables the HTML has
    as two (say, with a page break between them and the same head) are not taken for one table
    across pages."""
    problems: list[str] = []
    with _gc_paused():
        parsed = _parse_html(html, tree) if html or tree is not None else None
        with pikepdf.open(io.BytesIO(pdf)) as document:
            _check_document(document, problems, parsed)
    return problems
