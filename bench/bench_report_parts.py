"""Could a re-render after editing one section reuse the unchanged parts (issue 15's target:
≤ 30 % of a full render)? Measured on the demo Delårsrapport per augusti 2024.

What it shows:
- how the render time splits into layout and writing the PDF (layout is what parts would save);
- how many sections start mid-page: the body is one flow from Förvaltningsberättelse to the
  end (the sources' layout has no page break between chapters), so any edit moves everything
  after it and the whole body must be laid out again. The best case with today's layout is
  the body's layout plus the write;
- what independent parts would cost: with every chapter (level 2) on a new page, the number of
  pages, and the re-render of one chapter (its own layout, the cover and TOC with the new page
  numbers, and the write of the whole PDF) as a share of a full render.
"""

import itertools
import logging
import re
import statistics
import sys
import time

import _demo_db

_demo_db.setup()

from printing import services as printing_services
from reports import assembly, printed
from reports.models import Report
from solna_sn.lib import pdf as pdflib

# The cover-and-TOC part alone links to sections it does not contain; WeasyPrint says so.
logging.getLogger("weasyprint").setLevel(logging.ERROR)

report = Report.objects.filter(kind__code="delarsrapport", year=2024).first()
if report is None:
    sys.exit("the demo load made no delårsrapport")
sections = list(report.sections.select_related("writer", "unit").order_by("order"))
BASE = printing_services.static_dir()
COVER_AND_TOC = re.compile(r'<section class="report-cover".*?</nav>', re.S)
BODY = re.compile(r'<div class="report-body">.*</div>\s*</main>', re.S)
CHAPTERS_ON_NEW_PAGES = "<style>.report-section--level-2 { break-before: page; }</style></head>"


def html_of(subset) -> str:
    return printed.report_html(assembly.assemble(report, subset))


def timed(function, repeats=3):
    timings, result = [], None
    function()  # warm
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, result


def layout(html):
    return pdflib.layout_html(html, base_dir=BASE)


def write(document):
    return document.write_pdf(pdf_variant=pdflib.PDF_VARIANT)


full_html = html_of(sections)
layout_ms, document = timed(lambda: layout(full_html))
write_ms, _ = timed(lambda: write(document))
full_ms = layout_ms + write_ms
print(f"report_parts_layout: {layout_ms:.0f} ms")
print(f"report_parts_write: {write_ms:.0f} ms")
print(f"report_parts_layout_share: {100 * layout_ms / full_ms:.0f} %")

# Where each section starts: on a fresh page or below the one before it.
first_page = {}
for number, page in enumerate(document.pages, start=1):
    for anchor in page.anchors:
        first_page.setdefault(anchor, number)
starts = [first_page.get(f"avsnitt-{s.order}") for s in sections]
mid_page = sum(1 for before, now in itertools.pairwise(starts) if before == now)
print(f"report_parts_pages: {len(document.pages)} pages")
print(f"report_parts_sections_starting_mid_page: {mid_page} of {len(sections) - 1} count")

body_html = COVER_AND_TOC.sub("", full_html)
body_ms, _ = timed(lambda: layout(body_html))
cover_html = BODY.sub("</main>", full_html)
cover_ms, _ = timed(lambda: layout(cover_html))
best = body_ms + cover_ms + write_ms
print(f"report_parts_rerender_best_case_today: {100 * best / full_ms:.0f} %")

# Independent parts: every chapter on a new page.
split_html = full_html.replace("</head>", CHAPTERS_ON_NEW_PAGES, 1)
_, split_document = timed(lambda: layout(split_html), repeats=1)
print(f"report_parts_pages_with_chapters_on_new_pages: {len(split_document.pages)} pages")
chapters: list[list] = []
for section in sections:
    if section.level <= 2 or not chapters:
        chapters.append([section])
    else:
        chapters[-1].append(section)
costs = []
for chapter in chapters:
    part_html = COVER_AND_TOC.sub("", html_of(chapter)).replace("</head>", CHAPTERS_ON_NEW_PAGES, 1)
    part_ms, _ = timed(lambda html=part_html: layout(html), repeats=1)
    costs.append((part_ms, chapter[0].title or chapter[0].generator))
summary = next(ms for ms, title in costs if title == "Sammanfattning")
largest, largest_title = max(costs)
share = 100 * (summary + cover_ms + write_ms) / full_ms
print(f"report_parts_rerender_sammanfattning_if_split: {share:.0f} %")
share = 100 * (largest + cover_ms + write_ms) / full_ms
print(f"report_parts_rerender_largest_chapter_if_split: {share:.0f} %")
print(f"  (största kapitlet: {largest_title})", file=sys.stderr)
