"""The allow-list, live figure references and diffs: pure, no database."""

from reports import richtext


def test_pasted_word_html_keeps_only_the_allowed_formats():
    pasted = (
        '<p class="MsoNormal" style="color:red" onclick="alert(1)">Text <b>fet</b> '
        "<strong>stark</strong> <em>kursiv</em><script>alert(1)</script></p>"
        "<h1>Stor</h1><h3>Under</h3><table><tr><td>cell</td></tr></table>"
        '<a href="javascript:alert(1)">farlig</a> <a href="https://solna.se">bra</a>'
        "<!-- kommentar --><style>p{}</style><img src=x onerror=alert(1)>"
    )
    clean = richtext.sanitize(pasted)
    assert "<script" not in clean and "alert" not in clean
    assert "style" not in clean and "class" not in clean and "onclick" not in clean
    assert "<strong>stark</strong>" in clean and "<em>kursiv</em>" in clean
    assert "<h3>Under</h3>" in clean and "<h1>" not in clean and "<table" not in clean
    assert '<a href="https://solna.se">bra</a>' in clean
    assert "javascript" not in clean and "<img" not in clean and "kommentar" not in clean


def test_plain_text_becomes_paragraphs():
    assert richtext.sanitize("Första <stycket>.\n\nAndra.") != ""
    assert richtext.sanitize("Första.\n\nAndra.") == "<p>Första.</p><p>Andra.</p>"


def test_figure_reference_survives_and_token_becomes_one():
    clean = richtext.sanitize(
        '<p>Kostnad <span data-figure="rr.netto" class="x">-1<b>38</b>,2</span> och '
        "[[siffra:rr.andel]].</p>"
    )
    assert '<span data-figure="rr.netto">-138,2</span>' in clean
    assert '<span data-figure="rr.andel">rr.andel</span>' in clean
    assert richtext.figure_keys(clean) == ["rr.netto", "rr.andel"]


def test_resolve_prints_current_values_and_marks_missing_sources():
    body = '<p><span data-figure="a">1</span> och <span data-figure="borta">9,9</span></p>'
    resolved = richtext.resolve(body, {"a": "7,1 %"})
    assert ">7,1 %</span>" in resolved.html
    assert "[saknad siffra: 9,9]" in resolved.html
    assert resolved.missing == ["borta"] and resolved.used == {"a": "7,1 %"}


def test_typed_figures_finds_numbers_that_have_a_live_figure():
    figures = {"a": ("Nettokostnad", "-138,2"), "b": ("Andel", "7,1 %"), "c": ("Antal", "2")}
    body = '<p>Kostnaden var -138,2 mkr, 2 gånger, <span data-figure="b">7,1 %</span>.</p>'
    assert richtext.typed_figures(body, figures) == [("-138,2", "Nettokostnad")]


def test_diff_marks_removed_and_added_words_with_text():
    diff = richtext.diff_html("<p>Prognosen är 16,2 mkr.</p>", "<p>Prognosen är 16,3 mkr.</p>")
    assert '<del><span class="visually-hidden">borttaget: </span>16,2</del>' in diff
    assert "tillagt: </span>16,3</ins>" in diff


def test_the_diff_keeps_paragraphs_and_list_items_as_line_breaks():
    diff = richtext.diff_html(
        "<p>Ett två.</p><p>Tre fyra.</p>", "<p>Ett två.</p><p>Tre fem.</p><ul><li>Punkt</li></ul>"
    )
    assert diff.startswith("Ett två.<br>Tre <del>")
    assert diff.endswith('<ins><span class="visually-hidden">tillagt: </span>fem.<br>Punkt</ins>')
