"""PDF helpers: render HTML with WeasyPrint reading only local files, splice uploaded PDFs
into placeholder pages, and inspect and clean uploads. No Django models here.

WeasyPrint is given a URL fetcher that serves only `file:` URLs below the allowed roots (our
static files) and `data:` URLs; a remote address in content is never fetched.

An uploaded PDF is rebuilt from its pages before it is stored (`sanitize_pdf`), and again
before its pages are drawn into a kallelse: no JavaScript, no actions that run, open or send
anything, no embedded files, and links only to http(s) addresses. A page without a usable
MediaBox is refused, since it cannot be scaled onto a placeholder page.
"""

from __future__ import annotations

import functools
import io
import math
import re
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    RectangleObject,
)

from solna_sn.lib import gc_pause, html_tree

if TYPE_CHECKING:
    from weasyprint import document as weasyprint_document

PDF_VARIANT = "pdf/ua-1"
# Part of every content hash: a new WeasyPrint or a change of the post-processing (the last
# number; 2 = tagging repaired by solna_sn.lib.pdfua) renders stored documents again.
RENDERER_VERSION = f"weasyprint-{version('weasyprint')}/{PDF_VARIANT}/2"
A4_POINTS = (595.276, 841.89)
# Most pages an uploaded attachment may have (the setting ATTACHMENT_MAX_PAGES overrides it).
MAX_PAGES = 200


class PdfError(ValueError):
    """An uploaded file that cannot be used as a PDF attachment; str() is Swedish."""


@dataclass(frozen=True)
class PdfInfo:
    pages: int


@functools.cache
def _weasyprint():
    """WeasyPrint, imported on first use: it loads Pango and its fonts, which only the worker
    (and the demo loader) need, not every web process at start-up."""
    import cssselect2  # noqa: PLC0415
    import weasyprint  # noqa: PLC0415
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    class LocalFilesFetcher(URLFetcher):
        """Serve file: URLs under `roots` and data: URLs; refuse everything else."""

        def __init__(self, roots: list[Path]):
            super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=False)
            self._roots = [Path(root).resolve() for root in roots]

        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in self._roots):
                    raise ValueError(f"Lokal fil utanför tillåtna kataloger: {url}")
            return super().fetch(url, headers)

    class ParsedHTML(weasyprint.HTML):
        """A document WeasyPrint lays out from a tree parsed by `html_tree.parse` (what
        weasyprint.HTML.__init__ does after its own, pure-Python parse)."""

        def __init__(self, tree, *, base_url: str, url_fetcher):
            base = next(iter(tree.iter("base")), None)
            href = (base.get("href") or "").strip() if base is not None else ""
            self.base_url = urljoin(base_url, href) if href else base_url
            self.url_fetcher = url_fetcher
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(
                tree, content_language=None
            )
            self.etree_element = self.wrapper_element.etree_element

    return weasyprint, LocalFilesFetcher, ParsedHTML


def local_files_fetcher(roots: list[Path]):
    """A WeasyPrint URL fetcher that reads only files below `roots` and data: URLs."""
    return _weasyprint()[1](roots)


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    anchors: dict[str, int]  # anchor id → 1-based page number where it sits
    tree: ElementTree.Element  # the parsed HTML (pdfua.postprocess reads it instead of parsing)


def layout_html(
    html: str, *, base_dir: Path, allowed_roots: list[Path] = (), tree=None
) -> weasyprint_document.Document:
    """WeasyPrint's laid-out document (pages, anchors) before it is written as PDF; the
    layout is most of the cost of a render (bench/bench_report_parts.py). `tree` is `html`
    already parsed by `html_tree.parse`."""
    _module, fetcher, parsed_html = _weasyprint()
    return parsed_html(
        html_tree.parse(html) if tree is None else tree,
        base_url=base_dir.resolve().as_uri() + "/",
        url_fetcher=fetcher([base_dir, *allowed_roots]),
    ).render(pdf_variant=PDF_VARIANT)


def render_html(
    html: str, *, base_dir: Path, allowed_roots: list[Path] = (), compress: bool = True
) -> Rendered:
    """Render one HTML document to a tagged PDF (PDF/UA-1, fonts embedded).

    Relative URLs resolve against `base_dir`; only files below it and `allowed_roots` are read.
    `compress=False` leaves the streams uncompressed for a caller that writes the PDF again
    (pdfua.postprocess compresses them when it saves; WeasyPrint's zlib pass would be wasted).
    """
    with gc_pause.paused():
        tree = html_tree.parse(html)
        document = layout_html(html, base_dir=base_dir, allowed_roots=allowed_roots, tree=tree)
        anchors: dict[str, int] = {}
        for number, page in enumerate(document.pages, start=1):
            for anchor in page.anchors:
                anchors.setdefault(anchor, number)
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=not compress)
    return Rendered(pdf=pdf, pages=len(document.pages), anchors=anchors, tree=tree)


_READ_ERRORS = (
    PdfReadError,
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    OSError,
    RecursionError,
)
DAMAGED_MESSAGE = "PDF-filen är skadad och kan inte läsas."


def _open(data: bytes) -> PdfReader:
    if not data.startswith(b"%PDF-"):
        raise PdfError("Filen är ingen PDF. Spara dokumentet som PDF och försök igen.")
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise PdfError(
            "PDF-filen är lösenordsskyddad eller krypterad. Ta bort skyddet och ladda upp den igen."
        )
    return reader


def _page_box(page, number: int) -> RectangleObject:
    """The page's MediaBox, normalised (left < right, bottom < top); PdfError (Swedish) when it
    is missing, not four numbers, or has no area."""
    try:
        box = page.mediabox
        corners = [float(value) for value in box]
    except _READ_ERRORS:
        raise PdfError(
            f"Sidan {number} i PDF-filen saknar giltig sidstorlek (MediaBox). Spara filen som "
            "PDF på nytt och försök igen."
        ) from None
    if len(corners) != 4 or not all(math.isfinite(value) for value in corners):
        raise PdfError(
            f"Sidan {number} i PDF-filen saknar giltig sidstorlek (MediaBox). Spara filen som "
            "PDF på nytt och försök igen."
        )
    left, right = sorted(corners[0::2])
    bottom, top = sorted(corners[1::2])
    if right - left < 1 or top - bottom < 1:
        raise PdfError(
            f"Sidan {number} i PDF-filen har ingen yta (sidstorleken är noll). Spara filen som "
            "PDF på nytt och försök igen."
        )
    return RectangleObject([left, bottom, right, top])


def _check_pages(reader: PdfReader, max_pages: int | None) -> int:
    pages = len(reader.pages)
    if pages < 1:
        raise PdfError("PDF-filen har inga sidor.")
    if max_pages is not None and pages > max_pages:
        raise PdfError(
            f"PDF-filen har {pages} sidor. En bifogad handling får ha högst {max_pages} sidor; "
            "dela upp den eller bifoga ett utdrag."
        )
    for number, page in enumerate(reader.pages, start=1):
        _page_box(page, number)
    return pages


def inspect_pdf(data: bytes, *, max_pages: int | None = None) -> PdfInfo:
    """Check that `data` is a readable, unencrypted PDF with at least one page (and at most
    `max_pages`), every page with a usable MediaBox."""
    try:
        return PdfInfo(pages=_check_pages(_open(data), max_pages))
    except PdfError:
        raise
    except _READ_ERRORS as error:
        raise PdfError(DAMAGED_MESSAGE) from error


# --- Cleaning uploads -------------------------------------------------------------------------

# Keys that make a viewer run, open, send or embed something, wherever they occur.
_ACTIVE_KEYS = (
    "/AA",  # additional actions: on open, close, focus, page visibility …
    "/OpenAction",
    "/JavaScript",
    "/JS",
    "/EmbeddedFiles",
    "/EF",
    "/XFA",
    "/RichMediaContent",
)
# Annotations that exist to run, play, submit or carry files.
_DROPPED_ANNOTATIONS = {
    "/Widget",
    "/FileAttachment",
    "/Movie",
    "/Sound",
    "/Screen",
    "/RichMedia",
    "/3D",
}
_WEB_ADDRESS = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def is_web_link(action) -> bool:
    """True for a /URI action to an http(s) address, the only action an upload may keep."""
    action = _resolve(action)
    if not isinstance(action, DictionaryObject) or action.get("/S") != "/URI":
        return False
    uri = _resolve(action.get("/URI"))
    if isinstance(uri, bytes):
        uri = uri.decode("latin-1")
    return isinstance(uri, str) and bool(_WEB_ADDRESS.fullmatch(str(uri)))


def _annotation_allowed(annotation) -> bool:
    annotation = _resolve(annotation)
    if not isinstance(annotation, DictionaryObject):
        return False
    if annotation.get("/Subtype") in _DROPPED_ANNOTATIONS:
        return False
    rect = _resolve(annotation.get("/Rect"))
    if not isinstance(rect, ArrayObject) or len(rect) != 4:
        return False
    if annotation.get("/Subtype") == "/Link":
        # Internal destinations point at pages of the upload, which the kallelse does not have.
        return "/A" in annotation and is_web_link(annotation["/A"])
    return True


def _scrub(roots, removed: set[str]) -> None:
    """Remove active content from every object reachable from `roots`, in place."""
    stack = list(roots)
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            try:
                item = item.get_object()
            except _READ_ERRORS:
                continue
        if isinstance(item, DictionaryObject):  # streams too: their dictionary part
            for key in _ACTIVE_KEYS:
                if key in item:
                    del item[key]
                    removed.add(key)
            if "/A" in item:
                if is_web_link(item["/A"]):
                    action = _resolve(item["/A"])
                    if "/Next" in action:
                        del action["/Next"]
                        removed.add("/Next")
                else:
                    del item["/A"]
                    removed.add("/A")
            if "/Annots" in item:
                annotations = _resolve(item["/Annots"])
                if isinstance(annotations, ArrayObject):
                    kept = [a for a in annotations if _annotation_allowed(a)]
                    if len(kept) != len(annotations):
                        removed.add("/Annots")
                    item[NameObject("/Annots")] = ArrayObject(kept)
                else:
                    del item["/Annots"]
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def _find_active(data: bytes) -> list[str]:
    """Active content left anywhere in a written file, object by object (a final check)."""
    reader = PdfReader(io.BytesIO(data), strict=False)
    found = []
    size = int(reader.trailer.get("/Size", 0))
    for idnum in range(1, size):
        try:
            item = reader.get_object(idnum)
        except _READ_ERRORS:
            continue
        if isinstance(item, DictionaryObject):
            found.extend(key for key in _ACTIVE_KEYS if key in item)
            if "/A" in item and not is_web_link(item["/A"]):
                found.append("/A")
    return found


@dataclass(frozen=True)
class CleanPdf:
    data: bytes
    pages: int
    removed: frozenset[str]  # PDF keys of what was taken away, for the audit trail


def sanitize_pdf(data: bytes, *, max_pages: int | None = MAX_PAGES) -> CleanPdf:
    """Rebuild an uploaded PDF from its pages, without active content.

    Only the pages are copied (no document catalog: no OpenAction, names tree with JavaScript,
    embedded files or forms); from the pages and everything they refer to, additional actions,
    JavaScript, embedded files and every action but an http(s) link are removed; link
    annotations to anything else, form widgets and media annotations go. Every MediaBox is
    normalised. Raises PdfError (Swedish) for a file that is not a usable PDF, has a page
    without a MediaBox or with zero size, or has more than `max_pages` pages."""
    try:
        reader = _open(data)
        pages = _check_pages(reader, max_pages)
        removed: set[str] = set()
        root = reader.trailer.get("/Root")
        root = _resolve(root) if root is not None else None
        if isinstance(root, DictionaryObject):
            removed.update(
                key for key in ("/OpenAction", "/AA", "/Names", "/AcroForm") if key in root
            )
        # The reader's page objects are copies of the page dictionaries: clean both.
        pages_and_references = [*reader.pages, *(p.indirect_reference for p in reader.pages)]
        _scrub([item for item in pages_and_references if item is not None], removed)
        writer = PdfWriter()
        for number, page in enumerate(reader.pages, start=1):
            box = _page_box(page, number)
            for name in ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
                if name in page:
                    del page[name]
            page[NameObject("/MediaBox")] = ArrayObject(FloatObject(value) for value in box)
            writer.add_page(page)
        out = io.BytesIO()
        writer.write(out)
        cleaned = out.getvalue()
    except PdfError:
        raise
    except _READ_ERRORS as error:
        raise PdfError(DAMAGED_MESSAGE) from error
    if _find_active(cleaned):
        raise PdfError(
            "PDF-filen innehåller skript eller åtgärder som inte gick att ta bort. Skriv ut den "
            "till en ny PDF och försök igen."
        )
    return CleanPdf(data=cleaned, pages=pages, removed=frozenset(removed))


@dataclass(frozen=True)
class Insert:
    """Pages of an uploaded PDF to place on the main document's pages from `first_page`
    (1-based); the main document has exactly `pages` blank placeholder pages there."""

    first_page: int
    data: bytes


def splice(main: bytes, inserts: list[Insert]) -> bytes:
    """Draw each insert's pages onto the placeholder pages, scaled to fit A4.

    The main document's page objects, and with them its structure tree, outline and links,
    stay as they are; the attachment's content is drawn onto them. Each attachment is cleaned
    again first (`sanitize_pdf`), so a file stored before the cleaning existed, or changed in
    storage, brings no scripts or actions into the kallelse.
    """
    if not inserts:
        return main
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(main)))
    for insert in inserts:
        clean = sanitize_pdf(insert.data, max_pages=None)
        reader = PdfReader(io.BytesIO(clean.data), strict=False)
        for offset, source in enumerate(reader.pages):
            target = writer.pages[insert.first_page - 1 + offset]
            width, height = float(source.mediabox.width), float(source.mediabox.height)
            target_width = float(target.mediabox.width)
            target_height = float(target.mediabox.height)
            scale = min(target_width / width, target_height / height, 1.0)
            dx = (target_width - width * scale) / 2 - float(source.mediabox.left) * scale
            dy = (target_height - height * scale) / 2 - float(source.mediabox.bottom) * scale
            target.merge_transformed_page(
                source, Transformation().scale(scale, scale).translate(dx, dy)
            )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def text_of(data: bytes) -> str:
    """All text in a PDF, page by page (used by tests and checks)."""
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
