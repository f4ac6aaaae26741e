"""solna_sn.lib.html_tree builds the tree tinyhtml5 builds (what WeasyPrint and pdfua read)."""

from decimal import Decimal
from pathlib import Path

import pytest
import tinyhtml5

from metrics.charts import ChartSeries, line_chart_svg
from solna_sn.lib import html_tree
from solna_sn.lib import pdf as pdflib


def flat(element, depth=0, out=None):
    """Every node as (depth, tag, attributes, text, tail), in document order."""
    out = [] if out is None else out
    out.append(
        (depth, str(element.tag), sorted(element.attrib.items()), element.text, element.tail)
    )
    for child in element:
        flat(child, depth + 1, out)
    return out


def assert_same_tree(html: str) -> None:
    expected = flat(tinyhtml5.parse(html, namespace_html_elements=False))
    got = flat(html_tree.parse(html))
    assert got == expected


CHART = line_chart_svg(
    [
        ChartSeries("2023", tuple(Decimal(n) for n in range(12))),
        ChartSeries("2024", (Decimal("1.5"), None, *(Decimal(n) for n in range(10)))),
    ],
    title="Familjehemsvård, antal personer",
    unit="personer",
)

CASES = {
    "document with whitespace, doctype and a comment before <html>": (
        "\n  <!DOCTYPE html>\n<!-- x --><html lang='sv'><head><title>t</title></head>\n"
        "<body>\n<p>a</p>\n</body>\n</html>\n  "
    ),
    "entities, named and numeric, and a bare ampersand": (
        "<p>&nbsp;a &amp; b &lt; &rarr; &#8722; &#x27; &notanentity; &amp</p>"
    ),
    "CR LF and CR become LF": "<p>a\r\nb\rc</p>",
    "implied end tags": "<p>a<p>b<div>c</div><ul><li>x<li>y</ul>",
    "comments keep their spaces": "<p>a<!--  c \n-->b<!----></p>",
    "raw text elements": (
        "<head><style>a > b { color: red } /* <p> */</style></head><body>"
        "<script>if (a<b) x();</script><textarea>  a</textarea><pre>\nx</pre>"
    ),
    "tables get their tbody": (
        "<table><caption>c</caption><colgroup><col style='width:20%'></colgroup>"
        "<tr><th>a<td>b<tr><td colspan=2>c</table>"
        "<table><thead><tr><th>x</thead><tbody></tbody></table>"
    ),
    "attributes, upper case and empty": (
        "<p data-x='1' hidden class=\"a  b\" ARIA-LABEL='L'>q</p><input disabled>"
    ),
    "misnested formatting": "<p><b>a<i>b</b>c</i></p><a href=#x>1<a href=#y>2</a>",
    "a NUL character": "<p>a\x00b</p>",
    "SVG with foreign attributes and integration points": (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 10 10" xml:lang="sv"><title>T<b>x</b></title><desc>d</desc>'
        '<defs><linearGradient id="g"/></defs><use xlink:href="#g"/>'
        '<text x="1" text-anchor="end">1 023</text><foreignObject><p>h</p></foreignObject>'
        "</svg><p>after</p>"
    ),
    "upper-case SVG names are adjusted": "<DIV><SVG VIEWBOX='0 0 1 1'><CLIPPATH/></SVG></DIV>",
    "an HTML element breaks out of SVG": "<svg><g><p>out</p></g></svg>",
    "MathML": "<math><mi>x</mi><annotation-xml><p>x</p></annotation-xml></math>",
    "a template (parsed by tinyhtml5)": "<template><p>t</p></template><p>b</p>",
    "the verksamhetsmått chart": f"<figure>{CHART}<figcaption>f</figcaption></figure>",
}


@pytest.mark.parametrize("html", CASES.values(), ids=CASES.keys())
def test_the_tree_is_the_one_tinyhtml5_builds(html):
    assert_same_tree(html)


def test_every_print_template_in_the_repository_parses_the_same():
    """The printed documents' base templates, as written (tags, comments, entities)."""
    templates = sorted(Path(__file__).resolve().parents[2].glob("templates/**/*.html"))
    assert len(templates) > 50
    for template in templates:
        assert_same_tree(template.read_text(encoding="utf-8"))


def test_weasyprint_draws_the_same_pages_from_either_tree(tmp_path):
    html = (
        "<!DOCTYPE html><html lang='sv'><head><title>T</title></head><body>"
        "<h1>Rubrik</h1><p>Text med <b>fet</b> och <a href='#t'>länk</a>.</p>"
        f"<table id='t'><tr><th>a</th><td>1 023</td></tr></table>{CHART}</body></html>"
    )
    fast = pdflib.layout_html(html, base_dir=tmp_path)
    slow = pdflib.layout_html(
        html, base_dir=tmp_path, tree=tinyhtml5.parse(html, namespace_html_elements=False)
    )
    assert len(fast.pages) == len(slow.pages) == 1

    def boxes(document):
        return [
            (type(box).__name__, round(box.position_x, 2), round(box.position_y, 2))
            for box in document.pages[0]._page_box.descendants()
        ]

    assert boxes(fast) == boxes(slow)
    assert any(name == "SVGBox" or "Replaced" in name for name, _x, _y in boxes(fast))
