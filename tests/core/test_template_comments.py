"""A Django {# … #} comment ends on its own line; one that spans lines is printed on the page
as text (the render status box showed its own comment). Multi-line comments use
{% comment %} … {% endcomment %}."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_no_template_has_a_comment_over_several_lines():
    spanning = [
        f"{path.relative_to(TEMPLATES)}:{path.read_text()[: m.start()].count(chr(10)) + 1}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for m in re.finditer(r"\{#(?:(?!#\}).)*\n", path.read_text(), flags=re.S)
    ]
    assert spanning == []
