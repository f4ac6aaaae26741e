import pytest

from solna_sn.lib.dnr import DNR_REGEX, Dnr, DnrError, format_dnr, parse_dnr


def test_parse_and_format_round_trip():
    dnr = parse_dnr("SN/2024:81")
    assert dnr == Dnr("SN", 2024, 81)
    assert str(dnr) == "SN/2024:81"
    assert format_dnr("SN", 2023, 1) == "SN/2023:1"


def test_parse_is_lenient_on_case_and_spaces():
    assert parse_dnr("  sn/2024:81 ") == Dnr("SN", 2024, 81)
    assert parse_dnr("KFÖ/2020:123456").prefix == "KFÖ"


def test_dnrs_sort_by_prefix_year_number():
    assert sorted([parse_dnr("SN/2024:10"), parse_dnr("SN/2023:99"), parse_dnr("SN/2024:9")]) == [
        Dnr("SN", 2023, 99),
        Dnr("SN", 2024, 9),
        Dnr("SN", 2024, 10),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SN/24:1", "året i diarienumret måste ha fyra siffror"),
        ("SN/2024:", "löpnumret saknas"),
        ("SN2024:81", "är inget diarienummer"),
        ("/2024:81", "prefixet ska vara 2–5 bokstäver"),
        ("S/2024:81", "prefixet ska vara 2–5 bokstäver"),
        ("SOCIAL/2024:81", "prefixet ska vara 2–5 bokstäver"),
        ("SN/2024:0", "får inte börja med 0"),
        ("SN/2024:081", "får inte börja med 0"),
        ("SN/2024:8a", "får bara innehålla siffror"),
        ("SN/2024:1234567", "för långt"),
        ("SN/1800:1", "mellan 1900 och 2999"),
        ("", "Diarienummer saknas"),
        (None, "Diarienummer saknas"),
    ],
)
def test_malformed_dnr_is_rejected_with_the_expected_form(text, message):
    with pytest.raises(DnrError) as error:
        parse_dnr(text)
    assert message in str(error.value)
    if text:
        assert "SN/2024:81" in str(error.value)


def test_dnr_validates_its_parts():
    with pytest.raises(DnrError):
        Dnr("sn", 2024, 1)
    with pytest.raises(DnrError):
        Dnr("SN", 2024, 0)


def test_regex_matches_only_well_formed_numbers():
    import re

    assert re.fullmatch(DNR_REGEX, "SN/2024:81")
    assert not re.fullmatch(DNR_REGEX, "SN/2024:081")
    assert not re.fullmatch(DNR_REGEX, "SN/24:1")
