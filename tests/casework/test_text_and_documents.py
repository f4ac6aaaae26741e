"""Pure logic: plain-text blocks, the Handlingar list, dates, and the memo context."""

import datetime

from casework.documents import handlingar, long_date, memo_view
from casework.text import blocks, is_blank


def test_paragraphs_are_split_on_blank_lines_and_keep_line_breaks():
    result = blocks("Första raden\nandra raden\n\nNytt stycke")
    assert [(b.kind, b.lines) for b in result] == [
        ("paragraph", ["Första raden", "andra raden"]),
        ("paragraph", ["Nytt stycke"]),
    ]
    assert result[0].text == "Första raden\nandra raden"


def test_bullets_follow_an_introducing_sentence():
    result = blocks("De personliga ombuden ska:\n- stödja\n– samordna\n• följa upp\nSlut.")
    assert [b.kind for b in result] == ["paragraph", "bullets", "paragraph"]
    assert result[1].lines == ["stödja", "samordna", "följa upp"]


def test_numbered_points_keep_the_typed_numbers():
    result = blocks("1. Socialnämnden godkänner.\n2) Uppdrar åt förvaltningschefen.\n4. Sista.")
    assert len(result) == 1 and result[0].kind == "numbered"
    assert result[0].numbered_lines == [
        (1, "Socialnämnden godkänner."),
        (2, "Uppdrar åt förvaltningschefen."),
        (4, "Sista."),
    ]


def test_a_negative_number_or_a_year_is_not_a_list():
    assert [b.kind for b in blocks("-43,3 mkr i avvikelse")] == ["paragraph"]
    assert [b.kind for b in blocks("2024. Året då")] == ["paragraph"]


def test_blank_text():
    assert is_blank("") and is_blank("  \n\n \r\n") and not is_blank(" x ")


def test_handlingar_start_with_the_memo_itself():
    assert handlingar(datetime.date(2024, 9, 23), ["Verksamhetsplan och budget 2025"]) == [
        "Tjänsteskrivelse daterad 2024-09-23",
        "Verksamhetsplan och budget 2025",
    ]
    assert handlingar(datetime.date(2024, 8, 24), []) == ["Tjänsteskrivelse daterad 2024-08-24"]


def test_long_date_in_swedish():
    assert long_date(datetime.date(2024, 10, 7)) == "7 oktober 2024"


def test_memo_view_holds_what_the_template_prints(memo, handlaggare):
    from casework import services

    services.memo_signatory_add(memo=memo, by=handlaggare, name="Emma Ling", title="Enhetschef")
    view = memo_view(memo)
    assert view.dnr == "SN/2024:70"
    assert view.administration == "Socialförvaltningen"
    assert view.signatories == [
        ("Mikael Olofsson", "Förvaltningschef"),
        ("Emma Ling", "Enhetschef"),
    ]
    assert view.handlingar == ["Tjänsteskrivelse daterad 2024-08-27"]
    assert view.dispatch == ["Ekonomicontroller"]
    assert [b.kind for b in view.summary] == ["paragraph", "bullets"]
