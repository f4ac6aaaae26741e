"""Context building and HTML for the printed papers. One template per document type serves
both the browser preview and the PDF: `asset_base` is the only difference (relative to the
static directory for WeasyPrint, STATIC_URL in the browser).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import render_to_string

from casework.meeting_papers import enclosures_for, handlingar_for
from casework.models import (
    CONFIDENTIAL_CONTACT_TEXT,
    CONFIDENTIAL_ENCLOSURE_TITLE,
    CONFIDENTIAL_TEXT,
    AgendaItem,
    Meeting,
    Memo,
    MemoAttachment,
    MemoState,
    RenderKind,
    Secrecy,
)
from casework.text import blocks
from printing.services import DocumentSource
from solna_sn.lib.periods import MONTH_NAMES

SWEDISH_WEEKDAYS = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]


def long_date(day: datetime.date) -> str:
    """ "7 oktober 2024"."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def handlingar(memo_date: datetime.date, attachment_titles: list[str]) -> list[str]:
    """The memo's Handlingar: always "Tjänsteskrivelse daterad <date>" first, then the
    enclosures in order."""
    return [f"Tjänsteskrivelse daterad {memo_date:%Y-%m-%d}", *attachment_titles]


@dataclass
class AttachmentPart:
    """An enclosure as printed in a bundle: an uploaded PDF spliced in, a memo, or (public
    output, secret enclosure) the secrecy placeholder under a neutral title."""

    title: str
    anchor: str
    pages: int = 0
    sha256: str = ""
    storage_name: str = ""
    memo: MemoView | None = None
    withheld: bool = False

    @property
    def page_range(self) -> range:
        return range(self.pages)


@dataclass
class MemoView:
    """Everything the memo template prints, built from one memo revision."""

    id: int
    anchor: str
    administration: str
    date: datetime.date
    dnr: str
    title: str
    revision: int
    final: bool  # approved or sent, not a draft
    decision_proposal: list
    summary: list
    handlingar: list[str]
    signatories: list[tuple[str, str]]
    dispatch: list[str]
    dispatch_bulleted: bool
    sections: list[tuple[str, list]]
    attachments: list[AttachmentPart] = field(default_factory=list)


def memo_view(
    memo: Memo,
    *,
    anchor_prefix: str = "memo",
    secrecy: Secrecy | None = None,
    listed: dict[int, list[str]] | None = None,
) -> MemoView:
    """Uses memo.case.committee, signatories, attachments and sections: prefetch them when
    building many. With `secrecy` (public output) every enclosure that is secret anywhere is
    withheld: neither its title, its text nor its file is printed. `listed`: what other apps
    add to the Handlingar (`handlingar_for`), fetched once when building many."""
    if listed is None:
        listed = handlingar_for([memo.pk])
    attachments = list(memo.attachments.all())
    parts = []
    for index, attachment in enumerate(attachments, start=1):
        anchor = f"{anchor_prefix}-{memo.pk}-bilaga-{index}"
        if secrecy is not None and secrecy.enclosure_is_secret(attachment):
            parts.append(
                AttachmentPart(title=CONFIDENTIAL_ENCLOSURE_TITLE, anchor=anchor, withheld=True)
            )
            continue
        part = AttachmentPart(
            title=attachment.title,
            anchor=anchor,
            pages=attachment.page_count,
            sha256=attachment.sha256,
            storage_name=attachment.file.name if attachment.file else "",
        )
        if attachment.source_memo_id:
            part.memo = memo_view(
                attachment.source_memo, anchor_prefix=anchor, secrecy=secrecy, listed=listed
            )
        parts.append(part)
    return MemoView(
        id=memo.pk,
        anchor=f"{anchor_prefix}-{memo.pk}",
        administration=memo.administration.name,
        date=memo.date,
        dnr=memo.case.dnr,
        title=memo.title,
        revision=memo.revision,
        final=memo.state in (MemoState.APPROVED, MemoState.SENT),
        decision_proposal=blocks(memo.decision_proposal),
        summary=blocks(memo.summary),
        handlingar=handlingar(memo.date, [part.title for part in parts] + listed.get(memo.pk, [])),
        signatories=[(s.name, s.title) for s in memo.signatories.all()],
        dispatch=memo.dispatch_lines,
        dispatch_bulleted=memo.dispatch_bulleted,
        sections=[(s.heading, blocks(s.body)) for s in memo.sections.all()],
        attachments=parts,
    )


@dataclass
class ItemView:
    label: str
    title: str
    dnr: str
    anchor: str
    confidential: bool
    withheld: bool  # public variant, and the item is confidential or its memo is secret
    osl_reference: str
    show_contact_text: bool
    memo: MemoView | None
    # Printed after the memo: PDFs other apps give for it (casework.meeting_papers).
    enclosures: list[AttachmentPart] = field(default_factory=list)


@dataclass
class BundleView:
    meeting_id: int
    committee: str
    administration: str
    date: datetime.date
    long_date: str
    weekday: str
    time: str
    place: str
    internal: bool
    items: list[ItemView]


def bundle_view(meeting: Meeting, agenda_items, *, internal: bool) -> BundleView:
    """`agenda_items`: the meeting's items, ideally from `bundle_items(meeting)`.

    The public variant withholds confidential items, items whose memo is confidential on
    any other meeting, and every enclosure that is secret anywhere (`Secrecy`), as the data
    stands when the HTML is built."""
    items = []
    administration = meeting.committee.administrations.first()
    secrecy = None if internal else Secrecy.now()
    agenda_items = list(agenda_items)
    memo_ids = {item.memo_id for item in agenda_items if item.memo_id}
    extra = enclosures_for(memo_ids, internal=internal)
    listed = handlingar_for(memo_ids)
    for item in agenda_items:
        withheld = not internal and (
            item.confidential or item.memo_id in secrecy.confidential_memo_ids
        )
        memo = None
        if item.memo_id and not withheld:
            memo = memo_view(
                item.memo, anchor_prefix=f"arende-{item.pk}", secrecy=secrecy, listed=listed
            )
        items.append(
            ItemView(
                label=item.label,
                title=item.title,
                dnr=item.case.dnr if item.case_id else "",
                anchor=f"arende-{item.pk}",
                confidential=item.confidential,
                withheld=withheld,
                osl_reference=item.osl_reference,
                show_contact_text=item.show_contact_text,
                memo=memo,
                enclosures=_enclosure_parts(item, extra) if memo else [],
            )
        )
    return BundleView(
        meeting_id=meeting.pk,
        committee=meeting.committee.name,
        administration=administration.name if administration else "",
        date=meeting.date,
        long_date=long_date(meeting.date),
        weekday=SWEDISH_WEEKDAYS[meeting.date.weekday()],
        time=f"{meeting.time:%H.%M}",
        place=meeting.place,
        internal=internal,
        items=items,
    )


def _enclosure_parts(item: AgendaItem, extra: dict[int, list[dict]]) -> list[AttachmentPart]:
    return [
        AttachmentPart(
            title=enclosure["title"],
            anchor=f"arende-{item.pk}-handling-{index}",
            pages=enclosure["pages"],
            sha256=enclosure["sha256"],
            storage_name=enclosure["name"],
        )
        for index, enclosure in enumerate(extra.get(item.memo_id, []), start=1)
    ]


def bundle_items(meeting: Meeting):
    """Prefetch everything `bundle_view` reads, so building a bundle costs a fixed number of
    queries whatever the number of items."""

    memo_related = [
        "memo__case__committee",
        "memo__administration",
        "memo__signatories",
        "memo__sections",
        Prefetch(
            "memo__attachments",
            queryset=MemoAttachment.objects.select_related(
                "source_memo__case", "source_memo__administration"
            ).prefetch_related(
                "source_memo__signatories", "source_memo__sections", "source_memo__attachments"
            ),
        ),
    ]
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("case")
        .prefetch_related(*memo_related)
    )


CONTEXT_COMMON = {"confidential_text": CONFIDENTIAL_TEXT, "contact_text": CONFIDENTIAL_CONTACT_TEXT}


def _insert(part: AttachmentPart) -> dict:
    return {
        "anchor": part.anchor,
        "sha256": part.sha256,
        "name": part.storage_name,
        "pages": part.pages,
        "title": part.title,
    }


def _inserts(memos: list[MemoView]) -> list[dict]:
    result = []
    for memo in memos:
        for part in memo.attachments:
            if part.withheld:
                continue
            if part.memo is None:
                result.append(_insert(part))
            else:
                result.extend(_inserts([part.memo]))
    return result


def _bundle_inserts(items: list[ItemView]) -> list[dict]:
    """In print order: each memo's uploaded enclosures, then what other apps add after it."""
    result = []
    for item in items:
        if item.memo:
            result.extend(_inserts([item.memo]))
            result.extend(_insert(part) for part in item.enclosures)
    return result


def _memos_in(memos: list[MemoView]):
    """The memos and, at any depth, the memos they enclose."""
    for memo in memos:
        yield memo
        yield from _memos_in([part.memo for part in memo.attachments if part.memo])


def memo_html(memo: Memo, *, asset_base: str = "", preview_back_url: str = "") -> str:
    """The memo alone (its enclosures are printed in the meeting bundle). Its Handlingar
    name no secret enclosure: the memo PDF goes to the nämnd."""
    view = memo_view(memo, secrecy=Secrecy.now())
    view.attachments = []
    return render_to_string(
        "casework/print/memo.html",
        {
            **CONTEXT_COMMON,
            "memo": view,
            "asset_base": asset_base,
            "document_title": _memo_title(memo),
            "preview_back_url": preview_back_url,
        },
    )


def _memo_title(memo: Memo) -> str:
    return f"Tjänsteskrivelse {memo.case.dnr} {memo.title}"


def memo_source(memo: Memo) -> DocumentSource:
    """`sent_version` from the memo's state now: only the sent revision is for the nämnd."""
    html = memo_html(memo)
    sent_version = memo.state == MemoState.SENT
    return DocumentSource(
        kind=RenderKind.MEMO, title=_memo_title(memo), html=html, sent_version=sent_version
    )


def bundle_title(meeting: Meeting, *, internal: bool) -> str:
    suffix = " (intern version med sekretessärenden)" if internal else ""
    return f"{meeting.committee.name} {long_date(meeting.date)}, kallelse och handlingar{suffix}"


def bundle_html(
    meeting: Meeting, *, internal: bool, asset_base: str = "", preview_back_url: str = ""
) -> tuple[str, list]:
    html, inserts, _ = _bundle(
        meeting, internal=internal, asset_base=asset_base, preview_back_url=preview_back_url
    )
    return html, inserts


def _bundle(
    meeting: Meeting, *, internal: bool, asset_base: str = "", preview_back_url: str = ""
) -> tuple[str, list, BundleView]:
    view = bundle_view(meeting, bundle_items(meeting), internal=internal)
    inserts = _bundle_inserts(view.items)
    html = render_to_string(
        "casework/print/bundle.html",
        {
            **CONTEXT_COMMON,
            "bundle": view,
            "asset_base": asset_base,
            "document_title": bundle_title(meeting, internal=internal),
            "preview_back_url": preview_back_url,
        },
    )
    return html, inserts, view


def bundle_source(meeting: Meeting, *, internal: bool) -> DocumentSource:
    """`sent_version` when the meeting is sent and no memo printed in the bundle (enclosures
    included) is a draft: a bundle rendered before sending stays staff-only."""
    kind = RenderKind.BUNDLE_INTERNAL if internal else RenderKind.BUNDLE_PUBLIC
    html, inserts, view = _bundle(meeting, internal=internal)
    sent_version = meeting.is_sent and all(
        memo.final for memo in _memos_in([item.memo for item in view.items if item.memo])
    )
    return DocumentSource(
        kind=kind,
        title=bundle_title(meeting, internal=internal),
        html=html,
        inserts=inserts,
        sent_version=sent_version,
    )
