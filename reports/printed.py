"""The one HTML of a report for the browser preview and the PDF (DESIGN.md §7): cover,
innehållsförteckning with page numbers, the sections in outline order with headings from
their canonical titles. `asset_base` is the only difference between preview and PDF."""

from __future__ import annotations

from django.template.loader import render_to_string

from reports.assembly import Assembly

MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def swedish_date(value) -> str:
    """7 oktober 2024"""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def cover_line(report) -> str:
    """ "SN/2023:1, rapporten behandlas på socialnämndens sammanträde den 7 oktober 2024."
    (a verksamhetsplan: "SN/2024:1, behandlas på …")"""
    line = report.case.dnr
    if report.meeting is not None:
        committee = report.committee.name
        committee = committee[:1].lower() + committee[1:]
        # The verksamhetsplan's cover has no "rapporten" (domain/handlingar-2024-10-07.md §1.4).
        subject = "behandlas" if report.kind.plan else "rapporten behandlas"
        line += f", {subject} på {committee}s sammanträde den {swedish_date(report.meeting.date)}"
    return line + "."


def report_html(assembly: Assembly, *, asset_base: str = "", preview_back_url: str = "") -> str:
    report = assembly.report
    return render_to_string(
        "reports/print/report.html",
        {
            "report": report,
            "assembly": assembly,
            "cover_line": cover_line(report),
            "document_title": report.title,
            "asset_base": asset_base,
            "preview_back_url": preview_back_url,
        },
    )
