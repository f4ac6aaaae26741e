"""Report cost on the demo data: the full Delårsrapport per augusti 2024 and the Verksamhetsplan
och budget 2025, each assembled from the data, rendered as the worker does it (WeasyPrint +
PDF/UA repair, without storage) in a warm process, the same HTML printed by headless Chromium,
their ratio, and the report page's query count.

Both are given as wall time (what the issue's target compares) and as CPU time (this process,
or Chromium's process tree as the system counts it when the processes end): the machine is
shared, and CPU time moves less with the other jobs on it. The render is also split into its
stages (parse + layout, writing the PDF, the PDF/UA repair) so a change shows where it helped."""

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _demo_db

_demo_db.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from printing import services as printing_services
from reports import assembly, printed
from reports.models import Report
from solna_sn.lib import pdf as pdflib
from solna_sn.lib import pdfua
from solna_sn.models import User

CHROMIUM = Path("/usr/bin/chromium")


def median_ms(function, *, warmups: int, repeats: int) -> tuple[float, object]:
    result = None
    for _ in range(warmups):
        result = function()
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, result


def median_cpu_ms(function, *, repeats: int) -> float:
    """Median CPU time of `function` in this process (after one warm-up)."""
    function()
    timings = []
    for _ in range(repeats):
        start = time.process_time()
        function()
        timings.append(time.process_time() - start)
    return statistics.median(timings) * 1000


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def html_of(report: Report) -> str:
    sections = report.sections.select_related("writer", "unit", "last_writer").order_by("order")
    return printed.report_html(assembly.assemble(report, sections))


def chromium_print(html: str) -> tuple[float, float, int]:
    """Median wall ms, median CPU ms (all its processes) and page count of headless Chromium
    printing `html` with the same CSS and fonts. Raises RuntimeError, OSError or
    TimeoutExpired when Chromium fails."""
    with tempfile.TemporaryDirectory(prefix="solna-bench-chromium-") as work:
        work = Path(work)
        static = printing_services.static_dir()
        (work / "css").symlink_to(static / "css")
        (work / "fonts").symlink_to(static / "fonts")
        source, out = work / "report.html", work / "report.pdf"
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
            f"--user-data-dir={work / 'profile'}",
            f"--print-to-pdf={out}",
            source.as_uri(),
        ]

        cpu_timings = []

        def chromium() -> None:
            out.unlink(missing_ok=True)
            cpu_before = children_cpu()
            result = subprocess.run(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=180
            )
            cpu_timings.append(children_cpu() - cpu_before)
            if result.returncode != 0 or not out.exists():
                raise RuntimeError(result.stderr.decode(errors="replace")[-500:])

        chromium_ms, _ = median_ms(chromium, warmups=1, repeats=3)
        cpu_ms = statistics.median(cpu_timings[1:]) * 1000
        return chromium_ms, cpu_ms, pdflib.page_count(out.read_bytes())


def pdf_bench(report: Report, prefix: str, chromium_prefix: str) -> None:
    """Assemble, render as the worker does in a warm process, print the same HTML with
    Chromium, and the ratio: `<prefix>_assemble`, `<prefix>_pdf_render`, …"""
    assemble_ms, html = median_ms(lambda: html_of(report), warmups=1, repeats=5)
    print(f"{prefix}_assemble: {assemble_ms:.0f} ms")
    render_ms, (_pdf, pages) = median_ms(
        lambda: printing_services.render_pdf(html, [], []), warmups=1, repeats=3
    )
    render_cpu_ms = median_cpu_ms(lambda: printing_services.render_pdf(html, [], []), repeats=3)
    print(f"{prefix}_pdf_render: {render_ms:.0f} ms")
    print(f"{prefix}_pdf_render_cpu: {render_cpu_ms:.0f} ms")
    base = printing_services.static_dir()
    document = pdflib.layout_html(html, base_dir=base)
    raw = document.write_pdf(pdf_variant=pdflib.PDF_VARIANT, uncompressed_pdf=True)
    stages = {
        "layout": lambda: pdflib.layout_html(html, base_dir=base),
        "write": lambda: document.write_pdf(pdf_variant=pdflib.PDF_VARIANT, uncompressed_pdf=True),
        "pdfua": lambda: pdfua.postprocess(raw, html=html),
    }
    for stage, function in stages.items():
        print(f"{prefix}_pdf_{stage}_cpu: {median_cpu_ms(function, repeats=3):.0f} ms")
    print(f"{prefix}_pdf_pages: {pages} pages")
    print(f"{prefix}_pdf_tables: {html.count('<table')} count")
    if not CHROMIUM.exists():
        print(f"{chromium_prefix}_print: n/a (chromium saknas)")
        return
    try:
        chromium_ms, chromium_cpu_ms, chromium_pages = chromium_print(html)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
        print(f"{chromium_prefix}_print: n/a (chromium misslyckades)")
        print(f"  {str(error).strip()}", file=sys.stderr)
    else:
        print(f"{chromium_prefix}_print: {chromium_ms:.0f} ms")
        print(f"{chromium_prefix}_print_cpu: {chromium_cpu_ms:.0f} ms")
        print(f"{chromium_prefix}_pages: {chromium_pages} pages")
        print(f"{prefix}_pdf_vs_chromium: {render_ms / chromium_ms:.2f} x")
        print(f"{prefix}_pdf_vs_chromium_cpu: {render_cpu_ms / chromium_cpu_ms:.2f} x")


report = Report.objects.filter(kind__code="delarsrapport", year=2024).first()
if report is None:
    sys.exit("the demo load made no delårsrapport")
pdf_bench(report, "report", "chromium_report")

# The Verksamhetsplan och budget 2025 (the plan kind's generators: goal table, budget tables,
# taxor, konkurrensplan, internkontrollplan with its risk matrix).
plan = Report.objects.filter(kind__code="verksamhetsplan", year=2025).first()
if plan is None:
    print("vp_pdf_render: n/a (demo utan verksamhetsplan)")
else:
    pdf_bench(plan, "vp", "chromium_vp")

client = Client()
client.force_login(User.objects.get(username="granskare"))
url = reverse("reports:report_detail", args=[report.pk])
client.get(url)  # warm
with CaptureQueriesContext(connection) as queries:
    response = client.get(url)
assert response.status_code == 200, response.status_code
print(f"report_page_queries: {len(queries)} queries")
