"""What the accessibility repairs cost on the demo data: for a 10-item meeting bundle (as in
bench_pdf.py) the WeasyPrint render, the tagged splice of the uploaded enclosures against the
untagged pypdf one, `pdfua.postprocess`, the share the repairs add to the whole render, and
`pdfua.check`; the same for the internkontrollplan (a risk table across pages). Also how many
structural problems the check finds before and after. Last the delårsrapport (15 pages, 46
tables): `postprocess` given the HTML text, and given the HTML already parsed (`tree`, as the
worker has it from WeasyPrint), as the report renders take it."""

import statistics
import time

import _demo_db

_demo_db.setup()

import _bundle
import tinyhtml5

from controls.documents import plan_print_html
from controls.models import ControlPlan
from printing import services as printing_services
from reports import assembly, printed
from reports.models import Report
from solna_sn.lib import pdf as pdflib
from solna_sn.lib import pdfua

BUNDLE_ITEMS = 10
REPEATS = 5


def median_ms(function, *, repeats: int = REPEATS, warmups: int = 1):
    result = None
    for _ in range(warmups):
        result = function()
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, result


# --- A meeting with 10 items, enclosures first (bench/_bundle.py) ---------------------------

meeting, bundle_html, inserts, insert_data = _bundle.bundle(BUNDLE_ITEMS)
committee = meeting.committee
static = printing_services.static_dir()

render_ms, rendered = median_ms(lambda: pdflib.render_html(bundle_html, base_dir=static))
enclosures = [
    pdfua.Enclosure(first_page=rendered.anchors[i["anchor"]], data=data, title=i["title"])
    for i, data in zip(inserts, insert_data, strict=True)
]
old_inserts = [pdflib.Insert(first_page=e.first_page, data=e.data) for e in enclosures]
old_splice_ms, old_pdf = median_ms(lambda: pdflib.splice(rendered.pdf, old_inserts))
splice_ms, spliced = median_ms(lambda: pdfua.splice(rendered.pdf, enclosures))
post_ms, fixed = median_ms(lambda: pdfua.postprocess(spliced, html=bundle_html))
check_ms, problems = median_ms(lambda: pdfua.check(fixed))
assert problems == [], problems

whole_ms = render_ms + splice_ms + post_ms
today_ms = render_ms + old_splice_ms
print(f"pdfua_bundle_pages: {rendered.pages} pages")
print(f"pdfua_bundle_enclosures: {len(enclosures)} count")
print(f"pdfua_render_bundle: {render_ms:.0f} ms")
print(f"pdfua_splice_bundle_untagged_pypdf: {old_splice_ms:.0f} ms")
print(f"pdfua_splice_bundle: {splice_ms:.0f} ms")
print(f"pdfua_postprocess_bundle: {post_ms:.0f} ms")
print(f"pdfua_postprocess_share_of_bundle_render: {100 * post_ms / whole_ms:.1f} %")
print(f"pdfua_bundle_render_total: {whole_ms:.0f} ms")
print(f"pdfua_bundle_render_total_today: {today_ms:.0f} ms")
print(f"pdfua_check_bundle: {check_ms:.0f} ms")
print(f"pdfua_problems_bundle_before: {len(pdfua.check(old_pdf))} count")
print(f"pdfua_problems_bundle_after: {len(problems)} count")

# --- The internkontrollplan: the risk table across pages --------------------------------------

plan = ControlPlan.objects.get(committee=committee, year=2025)
plan_html = plan_print_html(plan)
plan_render_ms, plan_rendered = median_ms(lambda: pdflib.render_html(plan_html, base_dir=static))
plan_post_ms, plan_fixed = median_ms(lambda: pdfua.postprocess(plan_rendered.pdf, html=plan_html))
assert pdfua.check(plan_fixed) == []
print(f"pdfua_plan_pages: {plan_rendered.pages} pages")
print(f"pdfua_render_plan: {plan_render_ms:.0f} ms")
print(f"pdfua_postprocess_plan: {plan_post_ms:.0f} ms")
print(f"pdfua_postprocess_share_of_plan_render: {100 * plan_post_ms / plan_render_ms:.1f} %")

# --- The delårsrapport: 15 pages, 46 tables, the HTML parsed once or twice --------------------

report = Report.objects.filter(kind__code="delarsrapport", year=2024).first()
sections = report.sections.select_related("writer", "unit", "last_writer").order_by("order")
report_html = printed.report_html(assembly.assemble(report, sections))
report_pdf = pdflib.render_html(report_html, base_dir=static).pdf
# What WeasyPrint's HTML(...).etree_element is.
report_tree = tinyhtml5.parse(report_html, namespace_html_elements=False)
report_post_ms, report_fixed = median_ms(
    lambda: pdfua.postprocess(report_pdf, html=report_html), repeats=3
)
report_tree_ms, report_fixed_tree = median_ms(
    lambda: pdfua.postprocess(report_pdf, html=report_html, tree=report_tree), repeats=3
)
assert pdfua.check(report_fixed) == [] and pdfua.check(report_fixed_tree) == []
print(f"pdfua_postprocess_report: {report_post_ms:.0f} ms")
print(f"pdfua_postprocess_report_parsed_html: {report_tree_ms:.0f} ms")
