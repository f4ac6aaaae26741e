import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from casework import services
from casework.models import MemoState
from printing import services as printing_services
from solna_sn.lib import pdf as pdflib
from solna_sn.models import Committee, Role
from tests.factories import UserFactory


@pytest.fixture
def committee(unit):
    return Committee.objects.get(code="SN")


@pytest.fixture
def handlaggare(unit):
    return UserFactory(username="hanna", role=Role.HANDLAGGARE, units=[unit], first_name="Hanna")


@pytest.fixture
def granskare(unit):
    return UserFactory(
        username="greta",
        role=Role.GRANSKARE,
        title="Stabschef",
        first_name="Greta",
        last_name="Sundin",
    )


@pytest.fixture
def chief(unit):
    return UserFactory(
        username="mikael",
        role=Role.FORVALTNINGSCHEF,
        title="Förvaltningschef",
        first_name="Mikael",
        last_name="Olofsson",
    )


@pytest.fixture
def member(committee):
    return UserFactory(username="nora", role=Role.NAMNDLEDAMOT)


@pytest.fixture
def case(committee, handlaggare, unit):
    return services.case_register(
        committee=committee,
        title="Överenskommelse om finansiering av Barnahus Stockholm",
        unit=unit,
        by=handlaggare,
        dnr="SN/2024:70",
        today=datetime.date(2024, 8, 27),
    )


def fill(memo, by, **changes):
    data = {
        "title": memo.title,
        "date": datetime.date(2024, 8, 27),
        "decision_proposal": "Socialnämnden godkänner överenskommelse om finansiering av "
        "Barnahus Stockholm.",
        "summary": "Solna deltar sedan 2014.\n\n- Kostnad 438 000 kr/år\n- Ryms inom budget",
        "dispatch_to": "Ekonomicontroller",
        "dispatch_bulleted": True,
        **changes,
    }
    return services.memo_save(memo=memo, version=memo.version, data=data, by=by)


@pytest.fixture
def memo(case, handlaggare, chief):
    memo = services.memo_create(case=case, by=handlaggare)
    return fill(memo, handlaggare)


@pytest.fixture
def approved_memo(memo, handlaggare, granskare):
    services.memo_submit(memo=memo, by=handlaggare)
    memo = services.memo_approve(memo=memo, by=granskare)
    assert memo.state == MemoState.APPROVED
    return memo


def pdf_bytes(text: str = "Bilagans text", pages: int = 1) -> bytes:
    body = "".join(
        f'<p style="break-before: page">{text} sida {n}</p>' for n in range(1, pages + 1)
    )
    head = '<!DOCTYPE html><html lang="sv"><head><title>Bilaga</title></head>'
    html = f"{head}<body>{body}</body></html>"
    return pdflib.render_html(html, base_dir=printing_services.static_dir()).pdf


def blank_pdf(pages: int = 1, encrypt: bool = False) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if encrypt:
        writer.encrypt("hemligt")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(data: bytes, name: str = "bilaga.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")
