"""PDF cost on the demo data: WeasyPrint render time for one memo and for a 10-item meeting
bundle (render + splice of the uploaded enclosures, as the worker does it, without storage),
the same HTML printed by headless Chromium for comparison, page counts, and what asking again
for an unchanged, already rendered memo PDF costs (it must not render anything new)."""

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _demo_db

_demo_db.setup()

import _bundle

from casework import documents, services
from casework.models import Memo, RenderKind
from printing import services as printing_services
from printing.models import RenderedDocument, RenderStatus
from solna_sn.lib import pdf as pdflib

CHROMIUM = Path("/usr/bin/chromium")
BUNDLE_ITEMS = 10


def median_ms(timings: list[float]) -> float:
    return statistics.median(timings) * 1000


def timed(function, *, warmups: int, repeats: int) -> tuple[list[float], object]:
    """Run `function` warmups + repeats times; the timings of the last `repeats` runs and the
    last result."""
    result = None
    for _ in range(warmups):
        result = function()
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - start)
    return timings, result


# --- The memo: the longest demo memo whose PDF the demo load has rendered ---------------------

rendered_memos = RenderedDocument.objects.filter(
    subject_type="casework.memo", kind=RenderKind.MEMO, status=RenderStatus.DONE
)
if not rendered_memos:
    sys.exit("the demo load rendered no memo PDF")
memo = Memo.objects.get(pk=max(rendered_memos, key=lambda document: len(document.html)).subject_id)
memo_html = documents.memo_source(memo).html
static = printing_services.static_dir()

timings, rendered = timed(
    lambda: pdflib.render_html(memo_html, base_dir=static), warmups=2, repeats=7
)
pdf_memo_ms = median_ms(timings)
print(f"pdf_memo_render: {pdf_memo_ms:.0f} ms")
print(f"pdf_memo_pages: {rendered.pages} pages")

# --- A meeting with 10 items, enclosures first (bench/_bundle.py) ---------------------------

meeting, bundle_html, inserts, insert_data = _bundle.bundle(BUNDLE_ITEMS)


def render_bundle() -> tuple[None, bytes]:
    """The worker's whole job (printing.services.render_pdf: render, splice, PDF/UA repair)
    without the storage writes."""
    pdf, _pages = printing_services.render_pdf(bundle_html, inserts, insert_data)
    return None, pdf


timings, (rendered, bundle_pdf) = timed(render_bundle, warmups=2, repeats=7)
pdf_bundle_ms = median_ms(timings)
print(f"pdf_bundle_render: {pdf_bundle_ms:.0f} ms")
print(f"pdf_bundle_inserts: {len(inserts)} count")
print(f"pdf_bundle_pages: {pdflib.page_count(bundle_pdf)} pages")

# --- The same HTML printed by headless Chromium -----------------------------------------------

if not CHROMIUM.exists():
    for name in ("chromium_memo_print", "chromium_bundle_print"):
        print(f"{name}: n/a (chromium saknas)")
else:
    with tempfile.TemporaryDirectory(prefix="solna-bench-chromium-") as work:
        work = Path(work)
        (work / "css").symlink_to(static / "css")
        (work / "fonts").symlink_to(static / "fonts")
        profile = work / "profile"  # never the user's own profile (a lock held elsewhere)

        def chromium_print(html: str, label: str) -> tuple[float | None, int]:
            source, out = work / f"{label}.html", work / f"{label}.pdf"
            source.write_text(html, encoding="utf-8")
            command = [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-pdf-header-footer",
                f"--user-data-dir={profile}",
                f"--print-to-pdf={out}",
                source.as_uri(),
            ]

            def run() -> None:
                out.unlink(missing_ok=True)
                result = subprocess.run(
                    command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=180
                )
                if result.returncode != 0 or not out.exists():
                    raise RuntimeError(result.stderr.decode(errors="replace")[-500:])

            try:
                timings, _ = timed(run, warmups=1, repeats=5)
            except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
                print(f"chromium_{label}_print: n/a (chromium misslyckades)")
                print(f"  {str(error).strip()}", file=sys.stderr)
                return None, 0
            return median_ms(timings), pdflib.page_count(out.read_bytes())

        chromium_memo_ms, _ = chromium_print(memo_html, "memo")
        chromium_bundle_ms, chromium_bundle_pages = chromium_print(bundle_html, "bundle")
        if chromium_memo_ms is not None:
            print(f"chromium_memo_print: {chromium_memo_ms:.0f} ms")
            print(f"pdf_memo_vs_chromium: {pdf_memo_ms / chromium_memo_ms:.2f} x")
        if chromium_bundle_ms is not None:
            print(f"chromium_bundle_print: {chromium_bundle_ms:.0f} ms")
            print(f"pdf_bundle_vs_chromium: {pdf_bundle_ms / chromium_bundle_ms:.2f} x")
            print(f"chromium_bundle_pages: {chromium_bundle_pages} pages")

# --- Asking again for an unchanged memo PDF that is already done ------------------------------

done = RenderedDocument.objects.get(
    content_hash=documents.memo_source(memo).content_hash, status=RenderStatus.DONE
)
before = RenderedDocument.objects.count()
timings = []
for _ in range(20):
    start = time.perf_counter()
    document = services.render_request(kind=RenderKind.MEMO, memo=memo)
    timings.append(time.perf_counter() - start)
    assert document.pk == done.pk
print(f"pdf_rerequest_unchanged: {median_ms(timings):.1f} ms")
print(f"pdf_rerequest_new_renders: {RenderedDocument.objects.count() - before} count")
