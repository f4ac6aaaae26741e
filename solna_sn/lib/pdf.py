"""PDF helpers: render HTML with WeasyPrint reading only local files, splice uploaded PDFs
into placeholder pages, and inspect uploads. No Django models here.

WeasyPrint is given a URL fetcher that serves only `file:` URLs below the allowed roots (our
static files) and `data:` URLs; a remote address in content is never fetched.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError
from weasyprint.urls import URLFetcher

PDF_VARIANT = "pdf/ua-1"
RENDERER_VERSION = f"weasyprint-{weasyprint.__version__}/{PDF_VARIANT}/1"
A4_POINTS = (595.276, 841.89)


class PdfError(ValueError):
    """An uploaded file that cannot be used as a PDF attachment; str() is Swedish."""


@dataclass(frozen=True)
class PdfInfo:
    pages: int


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


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    anchors: dict[str, int]  # anchor id → 1-based page number where it sits


def render_html(html: str, *, base_dir: Path, allowed_roots: list[Path] = ()) -> Rendered:
    """Render one HTML document to a tagged PDF (PDF/UA-1, fonts embedded).

    Relative URLs resolve against `base_dir`; only files below it and `allowed_roots` are read.
    """
    document = weasyprint.HTML(
        string=html,
        base_url=base_dir.resolve().as_uri() + "/",
        url_fetcher=LocalFilesFetcher([base_dir, *allowed_roots]),
    ).render(pdf_variant=PDF_VARIANT)
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            anchors.setdefault(anchor, number)
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    return Rendered(pdf=pdf, pages=len(document.pages), anchors=anchors)


def inspect_pdf(data: bytes) -> PdfInfo:
    """Check that `data` is a readable, unencrypted PDF with at least one page."""
    if not data.startswith(b"%PDF-"):
        raise PdfError("Filen är ingen PDF. Spara dokumentet som PDF och försök igen.")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise PdfError(
                "PDF-filen är lösenordsskyddad eller krypterad. Ta bort skyddet och ladda upp "
                "den igen."
            )
        pages = len(reader.pages)
        for page in reader.pages:
            page.mediabox  # noqa: B018 - touches every page object, finds broken files
    except PdfError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        raise PdfError("PDF-filen är skadad och kan inte läsas.") from error
    if pages < 1:
        raise PdfError("PDF-filen har inga sidor.")
    return PdfInfo(pages=pages)


@dataclass(frozen=True)
class Insert:
    """Pages of an uploaded PDF to place on the main document's pages from `first_page`
    (1-based); the main document has exactly `pages` blank placeholder pages there."""

    first_page: int
    data: bytes


def splice(main: bytes, inserts: list[Insert]) -> bytes:
    """Draw each insert's pages onto the placeholder pages, scaled to fit A4.

    The main document's page objects, and with them its structure tree, outline and links,
    stay as they are; the attachment's content is drawn onto them.
    """
    if not inserts:
        return main
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(main)))
    for insert in inserts:
        reader = PdfReader(io.BytesIO(insert.data), strict=False)
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
