"""The structural PDF/UA check (`solna_sn.lib.pdfua.check`) as a test assertion, for every test
that renders a real PDF through the pipeline (issue 17: "a check that keeps it true")."""

from __future__ import annotations

from django.core.files.storage import default_storage

from solna_sn.lib import pdfua


def assert_accessible(pdf: bytes, html: str | None = None) -> None:
    """Fail with every structural problem at once (tagging, title, /Lang, fonts, PDF/UA
    identifier, TH scope, artifacts, ParentTree, headings, annotations, tables across pages)."""
    problems = pdfua.check(pdf, html=html)
    assert not problems, "PDF/UA-kontrollen hittade fel:\n" + "\n".join(
        f"- {problem}" for problem in problems
    )


def stored_bytes(document) -> bytes:
    with default_storage.open(document.file.name, "rb") as handle:
        return handle.read()


def assert_document_accessible(document) -> bytes:
    """The stored file of a done RenderedDocument passes the check (read with its own HTML).
    Returns the bytes, for tests that go on reading the text."""
    document.refresh_from_db()
    assert document.file, f"no file for {document} ({document.status}: {document.error})"
    pdf = stored_bytes(document)
    assert_accessible(pdf, document.html)
    return pdf
