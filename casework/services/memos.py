"""Every write to ärenden, tjänsteskrivelser, sammanträden and rendered PDFs goes through
here: atomic, checked, audited. Views and tasks stay thin.

Errors: `ValidationError` with Swedish messages keyed by field for bad input;
`StaleEditError` when someone else saved first; `PermissionDenied` for the wrong role;
`StateError` for a step the document's state does not allow.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from casework import documents
from casework.models import (
    AgendaItem,
    Case,
    Decision,
    DnrCounter,
    Meeting,
    Memo,
    MemoAttachment,
    MemoSection,
    MemoSignatory,
    MemoState,
    RenderKind,
    Secrecy,
    attachment_upload_to,
)
from casework.text import is_blank
from printing import services as printing
from solna_sn import audit, permissions
from solna_sn.errors import StaleEditError, StateError, require
from solna_sn.lib import pdf as pdflib
from solna_sn.lib.dnr import DnrError, parse_dnr
from solna_sn.lib.numbers import format_number
from solna_sn.lib.text import text_problem
from solna_sn.models import Committee, Role, User

logger = logging.getLogger(__name__)


# --- Ärenden and diarienummer ----------------------------------------------------------------


def _lock_counter(committee: Committee, year: int) -> DnrCounter:
    # Create the row if missing without racing (ON CONFLICT DO NOTHING), then lock it: every
    # registration for the nämnd and year waits here for the one before it to commit.
    DnrCounter.objects.bulk_create(
        [DnrCounter(committee=committee, year=year)], ignore_conflicts=True
    )
    return DnrCounter.objects.select_for_update().get(committee=committee, year=year)


@transaction.atomic
def case_register(
    *,
    committee: Committee,
    title: str,
    by,
    unit=None,
    dnr: str = "",
    today: datetime.date | None = None,
) -> Case:
    """Register an ärende. Without `dnr` the next number of the nämnd and year is allocated;
    with `dnr` (an existing number, e.g. from the old diarium) it is validated and must be
    free. Numbers are never reused."""
    require(permissions.can_register_case(by))
    today = today or timezone.localdate()
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = "Ange ärendets rubrik."
    year = today.year
    number = None
    if dnr.strip():
        try:
            parsed = parse_dnr(dnr)
        except DnrError as error:
            errors["dnr"] = str(error)
        else:
            if parsed.prefix != committee.dnr_prefix:
                errors["dnr"] = (
                    f"{committee.name} har prefixet {committee.dnr_prefix}, inte {parsed.prefix}."
                )
            elif parsed.year > today.year:
                errors["dnr"] = f"Året {parsed.year} har inte börjat än."
            year, number = parsed.year, parsed.number
    if errors:
        raise ValidationError(errors)

    counter = _lock_counter(committee, year)
    year_cases = Case.objects.filter(committee=committee, year=year)
    if number is None:
        taken = set(
            year_cases.filter(number__gt=counter.last_number).values_list("number", flat=True)
        )
        number = counter.last_number + 1
        while number in taken:
            number += 1
    elif year_cases.filter(number=number).exists():
        raise ValidationError(
            {"dnr": f"Diarienumret {committee.dnr_prefix}/{year}:{number} finns redan."}
        )
    if number > counter.last_number:
        counter.last_number = number
        counter.save(update_fields=["last_number"])
    case = Case.objects.create(
        committee=committee,
        year=year,
        number=number,
        title=title,
        unit=unit,
        registered_on=today,
        registered_by=by,
    )
    audit.record(
        "case.registered",
        by=by,
        target=case,
        changes={"dnr": (None, case.dnr), "title": (None, title)},
        reason="angivet diarienummer" if dnr.strip() else "",
    )
    return case


# --- Tjänsteskrivelser -----------------------------------------------------------------------

MEMO_TEXT_FIELDS = ("title", "date", "decision_proposal", "summary", "dispatch_to")


def default_signatories() -> list[tuple[User | None, str, str]]:
    """Förvaltningschef first, as on every memo in the sources."""
    chief = User.objects.filter(role=Role.FORVALTNINGSCHEF, is_active=True).order_by("pk").first()
    if chief is None:
        return []
    return [(chief, chief.get_full_name() or chief.username, chief.title or "Förvaltningschef")]


@transaction.atomic
def memo_create(*, case: Case, by, unit=None, date: datetime.date | None = None) -> Memo:
    unit = unit or case.unit or by.units.first()
    if unit is None:
        raise ValidationError({"unit": "Välj vilken enhet som ansvarar för tjänsteskrivelsen."})
    require(permissions.can_write_memo(by, unit))
    if case.memos.exists():
        raise StateError(
            "Ärendet har redan en tjänsteskrivelse. Skapa en ny revision av den i stället."
        )
    memo = Memo.objects.create(
        case=case,
        administration=unit.administration,
        unit=unit,
        date=date or timezone.localdate(),
        title=case.title,
        created_by=by,
    )
    for position, (user, name, title) in enumerate(default_signatories(), start=1):
        MemoSignatory.objects.create(
            memo=memo, position=position, user=user, name=name, title=title
        )
    audit.record("memo.created", by=by, target=memo, changes={"case": (None, case.dnr)})
    return memo


def _memo_snapshot(memo: Memo) -> dict:
    data = {name: getattr(memo, name) for name in MEMO_TEXT_FIELDS}
    data["date"] = memo.date.isoformat() if memo.date else ""
    data["dispatch_bulleted"] = memo.dispatch_bulleted
    for section in memo.sections.all():
        data[f"section-{section.pk}-heading"] = section.heading
        data[f"section-{section.pk}-body"] = section.body
    return data


def _require_draft(memo: Memo) -> None:
    if memo.state == MemoState.SENT:
        raise StateError(
            "Tjänsteskrivelsen är skickad till nämnden och kan inte ändras. "
            "Skapa en ny revision för att göra ändringar."
        )
    if memo.state != MemoState.DRAFT:
        raise StateError(
            f"Tjänsteskrivelsen har status {memo.get_state_display().lower()} och kan bara "
            "ändras som utkast."
        )


def _lock_memo(memo: Memo) -> Memo:
    return Memo.objects.select_for_update().select_related("case").get(pk=memo.pk)


@transaction.atomic
def memo_save(*, memo: Memo, version: int, data: dict, by) -> Memo:
    """Save the memo's texts (and its extra sections) if nobody saved since `version`.

    `data` holds the MEMO_TEXT_FIELDS (date as a date), `dispatch_bulleted`, and
    "section-<id>-heading"/"-body" for existing sections. Raises StaleEditError on conflict.
    """
    memo = _lock_memo(memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    if memo.version != version:
        raise StaleEditError(_memo_snapshot(memo))
    errors = {}
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = "Rubriken får inte vara tom."
    date = data.get("date")
    if not isinstance(date, datetime.date):
        errors["date"] = "Ange datum som ÅÅÅÅ-MM-DD."
    if errors:
        raise ValidationError(errors)
    before = _memo_snapshot(memo)
    memo.title = title
    memo.date = date
    for name in ("decision_proposal", "summary", "dispatch_to"):
        setattr(memo, name, (data.get(name) or "").strip())
    memo.dispatch_bulleted = bool(data.get("dispatch_bulleted"))
    for section in memo.sections.all():
        heading = data.get(f"section-{section.pk}-heading")
        body = data.get(f"section-{section.pk}-body")
        if heading is None and body is None:
            continue
        section.heading = (heading or "").strip()
        section.body = (body or "").strip()
        section.save(update_fields=["heading", "body"])
    memo.version = F("version") + 1
    memo.save()
    memo.refresh_from_db()
    changed = sorted(field for field, _ in audit.diff(before, _memo_snapshot(memo)).items())
    if changed:
        audit.record("memo.saved", by=by, target=memo, changes={"fält": (None, changed)})
    return memo


def _bump(memo: Memo) -> None:
    Memo.objects.filter(pk=memo.pk).update(version=F("version") + 1, updated_at=timezone.now())


@transaction.atomic
def memo_section_add(*, memo: Memo, by, heading: str = "") -> MemoSection:
    memo = _lock_memo(memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    heading = (heading or "").strip()
    limit = MemoSection._meta.get_field("heading").max_length
    problem = text_problem(heading, max_length=limit, multiline=False)
    if problem:
        raise ValidationError({"heading": f"Avsnittets rubrik: {problem}"})
    position = (memo.sections.aggregate(m=Max("position"))["m"] or 0) + 1
    section = MemoSection.objects.create(memo=memo, position=position, heading=heading)
    _bump(memo)
    audit.record("memo.section_added", by=by, target=memo, changes={"avsnitt": (None, heading)})
    return section


@transaction.atomic
def memo_section_remove(*, section: MemoSection, by) -> None:
    memo = _lock_memo(section.memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    audit.record(
        "memo.section_removed",
        by=by,
        target=memo,
        changes={"avsnitt": ((section.heading, section.body), None)},
    )
    section.delete()
    _bump(memo)


@transaction.atomic
def memo_signatory_add(*, memo: Memo, by, user=None, name: str = "", title: str = "") -> None:
    memo = _lock_memo(memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    name = (name or (user.get_full_name() if user else "")).strip()
    title = (title or (user.title if user else "")).strip()
    errors = {}
    if not name:
        errors["name"] = "Ange namn på den som undertecknar."
    if not title:
        errors["title"] = "Ange titeln som ska stå under namnet, till exempel Enhetschef."
    if errors:
        raise ValidationError(errors)
    position = (memo.signatories.aggregate(m=Max("position"))["m"] or 0) + 1
    MemoSignatory.objects.create(memo=memo, position=position, user=user, name=name, title=title)
    audit.record(
        "memo.signatory_added", by=by, target=memo, changes={"undertecknare": (None, name)}
    )


@transaction.atomic
def memo_signatory_remove(*, signatory: MemoSignatory, by) -> None:
    memo = _lock_memo(signatory.memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    audit.record(
        "memo.signatory_removed",
        by=by,
        target=memo,
        changes={"undertecknare": (f"{signatory.name}, {signatory.title}", None)},
    )
    signatory.delete()


def _swap(model, obj, direction: int, **scope) -> None:
    siblings = list(model.objects.filter(**scope).order_by("position"))
    index = next(i for i, s in enumerate(siblings) if s.pk == obj.pk)
    other_index = index + direction
    if not 0 <= other_index < len(siblings):
        return
    other = siblings[other_index]
    a, b = siblings[index].position, other.position
    # Positions are unique: park one row on a free position while swapping.
    temporary = max(s.position for s in siblings) + 1
    model.objects.filter(pk=obj.pk).update(position=temporary)
    model.objects.filter(pk=other.pk).update(position=a)
    model.objects.filter(pk=obj.pk).update(position=b)


@transaction.atomic
def memo_signatory_move(*, signatory: MemoSignatory, direction: int, by) -> None:
    memo = _lock_memo(signatory.memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    _swap(MemoSignatory, signatory, direction, memo=memo)


@transaction.atomic
def memo_attachment_upload(*, memo: Memo, title: str, upload, by) -> MemoAttachment:
    """Add an uploaded PDF to the memo's Handlingar. The file must be a readable,
    unencrypted PDF within the size limit; nothing is stored otherwise."""
    memo = _lock_memo(memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = "Ange handlingens titel, så som den ska stå under Handlingar."
    if upload is None:
        errors["file"] = "Välj en PDF-fil att ladda upp."
    elif upload.size > settings.MEMO_ATTACHMENT_MAX_BYTES:
        limit = format_number(Decimal(settings.MEMO_ATTACHMENT_MAX_BYTES) / 1048576, 0)
        size = format_number(Decimal(upload.size) / 1048576, 1)
        errors["file"] = f"Filen är för stor ({size} MB). Största tillåtna storlek är {limit} MB."
    if errors:
        raise ValidationError(errors)
    try:
        # Stored without scripts, actions or embedded files; refused without a MediaBox or
        # over the page limit.
        info = pdflib.sanitize_pdf(
            upload.read(),
            max_pages=getattr(settings, "ATTACHMENT_MAX_PAGES", pdflib.MAX_PAGES),
        )
    except pdflib.PdfError as error:
        raise ValidationError({"file": str(error)}) from error
    data = info.data
    digest = hashlib.sha256(data).hexdigest()
    position = (memo.attachments.aggregate(m=Max("position"))["m"] or 0) + 1
    attachment = MemoAttachment(
        memo=memo,
        position=position,
        title=title,
        sha256=digest,
        page_count=info.pages,
        size=len(data),
    )
    name = attachment_upload_to(attachment, "")
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(data))
    attachment.file.name = name
    attachment.save()
    _bump(memo)
    audit.record(
        "memo.attachment_added",
        by=by,
        target=memo,
        changes={"handling": (None, f"{title} ({info.pages} s.)")},
    )
    return attachment


def linkable_memos(memo: Memo):
    """The memos the Handlingar picker offers `memo`: approved or sent, of another ärende,
    and no secret memo unless `memo` is itself confidential (see `Secrecy`)."""
    candidates = Memo.objects.filter(state__in=[MemoState.APPROVED, MemoState.SENT]).exclude(
        case=memo.case_id
    )
    secrecy = Secrecy.now()
    if memo.pk not in secrecy.confidential_memo_ids:
        candidates = candidates.exclude(pk__in=secrecy.memo_ids)
    return candidates


def may_enclose(memo: Memo, source: Memo) -> bool:
    return linkable_memos(memo).filter(pk=source.pk).exists()


@transaction.atomic
def memo_attachment_link(*, memo: Memo, source: Memo, by) -> MemoAttachment:
    """Add another tjänsteskrivelse in the system as an enclosure."""
    memo = _lock_memo(memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    if source.pk == memo.pk or source.case_id == memo.case_id:
        raise ValidationError({"source": "En tjänsteskrivelse kan inte bifoga sig själv."})
    if source.state not in (MemoState.APPROVED, MemoState.SENT):
        raise ValidationError(
            {"source": "Bara godkända eller skickade tjänsteskrivelser kan bifogas."}
        )
    if not may_enclose(memo, source):
        raise ValidationError(
            {
                "source": "Tjänsteskrivelsen omfattas av sekretess och kan bara bifogas till "
                "ett ärende som självt har sekretess."
            }
        )
    position = (memo.attachments.aggregate(m=Max("position"))["m"] or 0) + 1
    attachment = MemoAttachment.objects.create(
        memo=memo,
        position=position,
        title=f"Tjänsteskrivelse {source.case.dnr} {source.title}",
        source_memo=source,
    )
    _bump(memo)
    audit.record(
        "memo.attachment_added", by=by, target=memo, changes={"handling": (None, attachment.title)}
    )
    return attachment


@transaction.atomic
def memo_attachment_remove(*, attachment: MemoAttachment, by) -> None:
    memo = _lock_memo(attachment.memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    audit.record(
        "memo.attachment_removed",
        by=by,
        target=memo,
        changes={"handling": (attachment.title, None)},
    )
    attachment.delete()  # the stored file stays: other memos or sent PDFs may use it
    _bump(memo)


@transaction.atomic
def memo_attachment_move(*, attachment: MemoAttachment, direction: int, by) -> None:
    memo = _lock_memo(attachment.memo)
    require(permissions.can_write_memo(by, memo.unit))
    _require_draft(memo)
    _swap(MemoAttachment, attachment, direction, memo=memo)
    _bump(memo)


def memo_problems(memo: Memo) -> dict[str, str]:
    """What must be in place before a memo goes to review."""
    problems = {}
    if is_blank(memo.decision_proposal):
        problems["decision_proposal"] = (
            "Förslag till beslut saknas. Skriv vad nämnden föreslås besluta."
        )
    if is_blank(memo.summary):
        problems["summary"] = "Sammanfattning saknas."
    if not memo.signatories.exists():
        problems["signatories"] = "Minst en person måste underteckna (förvaltningschefen först)."
    return problems


def _transition(memo: Memo, *, to: str, by, reason: str = "", **fields) -> Memo:
    old = memo.state
    memo.state = to
    for name, value in fields.items():
        setattr(memo, name, value)
    memo.version = F("version") + 1
    memo.save()
    memo.refresh_from_db()
    audit.record(f"memo.{to}", by=by, target=memo, changes={"status": (old, to)}, reason=reason)
    return memo


@transaction.atomic
def memo_submit(*, memo: Memo, by) -> Memo:
    """Utkast → För granskning."""
    memo = _lock_memo(memo)
    require(permissions.can_write_memo(by, memo.unit))
    if memo.state != MemoState.DRAFT:
        raise StateError("Bara ett utkast kan skickas till granskning.")
    problems = memo_problems(memo)
    if problems:
        raise ValidationError(problems)
    return _transition(memo, to=MemoState.REVIEW, by=by, review_comment="")


@transaction.atomic
def memo_return(*, memo: Memo, by, comment: str) -> Memo:
    """För granskning (or Godkänd) → Utkast, with a comment to the writer."""
    memo = _lock_memo(memo)
    require(permissions.can_review_memo(by))
    if memo.state not in (MemoState.REVIEW, MemoState.APPROVED):
        raise StateError("Bara en tjänsteskrivelse under granskning eller godkänd kan återföras.")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Skriv vad som behöver ändras."})
    if problem := text_problem(comment):
        raise ValidationError({"comment": problem})
    return _transition(memo, to=MemoState.DRAFT, by=by, reason=comment, review_comment=comment)


@transaction.atomic
def memo_approve(*, memo: Memo, by) -> Memo:
    """För granskning → Godkänd."""
    memo = _lock_memo(memo)
    require(permissions.can_review_memo(by))
    if memo.state != MemoState.REVIEW:
        raise StateError("Bara en tjänsteskrivelse under granskning kan godkännas.")
    return _transition(memo, to=MemoState.APPROVED, by=by)


def _send(memo: Memo, by) -> Memo:
    if memo.state != MemoState.APPROVED:
        raise StateError(
            f"”{memo.title}” är inte godkänd (status {memo.get_state_display().lower()})."
        )
    memo = _transition(memo, to=MemoState.SENT, by=by, sent_at=timezone.now())
    # Meetings not yet sent that carry an earlier revision now carry this one.
    if memo.previous_id:
        AgendaItem.objects.filter(memo_id=memo.previous_id, meeting__sent_at__isnull=True).update(
            memo=memo
        )
    return memo


@transaction.atomic
def memo_send(*, memo: Memo, by) -> Memo:
    """Godkänd → Skickad till nämnd. The memo is frozen from now on."""
    memo = _lock_memo(memo)
    require(permissions.can_send_to_committee(by))
    memo = _send(memo, by)
    transaction.on_commit(lambda: render_request(kind=RenderKind.MEMO, memo=memo))
    return memo


@transaction.atomic
def memo_new_revision(*, memo: Memo, by, reason: str) -> Memo:
    """A change to a sent memo: copy it into a new draft revision; the sent one stays as it
    was, readable and printable."""
    memo = _lock_memo(memo)
    require(permissions.can_write_memo(by, memo.unit))
    if memo.state != MemoState.SENT:
        raise StateError("Bara en skickad tjänsteskrivelse behöver en ny revision; ändra utkastet.")
    if Memo.objects.filter(previous=memo).exists():
        raise StateError("Det finns redan en nyare revision av tjänsteskrivelsen.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Skriv varför tjänsteskrivelsen ändras."})
    if problem := text_problem(reason):
        raise ValidationError({"reason": problem})
    new = Memo.objects.create(
        case=memo.case,
        revision=memo.revision + 1,
        previous=memo,
        administration=memo.administration,
        unit=memo.unit,
        date=timezone.localdate(),
        title=memo.title,
        decision_proposal=memo.decision_proposal,
        summary=memo.summary,
        dispatch_to=memo.dispatch_to,
        dispatch_bulleted=memo.dispatch_bulleted,
        created_by=by,
    )
    for s in memo.signatories.all():
        MemoSignatory.objects.create(
            memo=new, position=s.position, user=s.user, name=s.name, title=s.title
        )
    for a in memo.attachments.all():
        MemoAttachment.objects.create(
            memo=new,
            position=a.position,
            title=a.title,
            file=a.file.name,
            sha256=a.sha256,
            page_count=a.page_count,
            size=a.size,
            source_memo=a.source_memo,
        )
    for s in memo.sections.all():
        MemoSection.objects.create(memo=new, position=s.position, heading=s.heading, body=s.body)
    audit.record(
        "memo.revision_created",
        by=by,
        target=new,
        changes={"revision": (memo.revision, new.revision)},
        reason=reason,
    )
    return new


# --- Sammanträden ----------------------------------------------------------------------------


def _meeting_errors(date, time_, place) -> dict:
    errors = {}
    if not isinstance(date, datetime.date):
        errors["date"] = "Ange datum som ÅÅÅÅ-MM-DD."
    if not isinstance(time_, datetime.time):
        errors["time"] = "Ange tid som TT:MM, till exempel 18:00."
    if not (place or "").strip():
        errors["place"] = "Ange var sammanträdet hålls."
    return errors


@transaction.atomic
def meeting_create(*, committee: Committee, date, time, place: str, by) -> Meeting:
    require(permissions.can_manage_meetings(by))
    errors = _meeting_errors(date, time, place)
    if not errors and Meeting.objects.filter(committee=committee, date=date, time=time).exists():
        errors["date"] = "Nämnden har redan ett sammanträde den dagen och tiden."
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(committee=committee, date=date, time=time, place=place.strip())
    audit.record(
        "meeting.created", by=by, target=meeting, changes={"datum": (None, date.isoformat())}
    )
    return meeting


def _lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("committee").get(pk=meeting.pk)


def _require_unsent(meeting: Meeting) -> None:
    if meeting.is_sent:
        raise StateError("Kallelsen är redan skickad till nämnden; ärendelistan kan inte ändras.")


def _next_label(meeting: Meeting) -> str:
    highest = 0
    for label in meeting.items.values_list("label", flat=True):
        tail = label.replace("–", "-").split("-")[-1].strip()
        if tail.isdigit():
            highest = max(highest, int(tail))
    return str(highest + 1)


LABEL_HELP = "Numret ska vara ett tal eller ett intervall, till exempel 6 eller 4-5."


def _clean_label(label: str) -> str:
    label = (label or "").strip().replace("–", "-").replace(" ", "")
    if not re.fullmatch(r"[1-9]\d{0,2}(-[1-9]\d{0,2})?", label):
        raise ValidationError({"label": LABEL_HELP})
    if "-" in label:
        first, last = (int(x) for x in label.split("-"))
        if last <= first:
            raise ValidationError({"label": "I ett intervall ska det andra talet vara större."})
    return label


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    by,
    case: Case | None = None,
    title: str = "",
    label: str = "",
    confidential: bool = False,
    osl_reference: str = "",
    show_contact_text: bool = True,
) -> AgendaItem:
    meeting = _lock_meeting(meeting)
    require(permissions.can_manage_meetings(by))
    _require_unsent(meeting)
    errors = {}
    title = (title or "").strip() or (case.title if case else "")
    if not title:
        errors["title"] = "Välj ett ärende eller skriv en rubrik för punkten."
    if case is not None and case.committee_id != meeting.committee_id:
        errors["case"] = "Ärendet hör till en annan nämnd."
    try:
        label = _clean_label(label) if (label or "").strip() else _next_label(meeting)
    except ValidationError as error:
        errors.update(error.message_dict)
    else:
        if meeting.items.filter(label=label).exists():
            errors["label"] = f"Nummer {label} finns redan på ärendelistan."
    osl_reference = (osl_reference or "").strip()
    if confidential and not osl_reference:
        errors["osl_reference"] = (
            "Ange hänvisning till offentlighets- och sekretesslagen, till exempel 26 kap. 1 § OSL."
        )
    if errors:
        raise ValidationError({k: v[0] if isinstance(v, list) else v for k, v in errors.items()})
    memo = case.memos.order_by("-revision").first() if case else None
    position = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        label=label,
        title=title,
        case=case,
        memo=memo,
        confidential=confidential,
        osl_reference=osl_reference if confidential else "",
        show_contact_text=show_contact_text,
    )
    audit.record(
        "meeting.item_added",
        by=by,
        target=meeting,
        changes={"ärende": (None, f"{label}. {title}"), "sekretess": (None, confidential)},
    )
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, by) -> None:
    meeting = _lock_meeting(item.meeting)
    require(permissions.can_manage_meetings(by))
    _require_unsent(meeting)
    audit.record(
        "meeting.item_removed", by=by, target=meeting, changes={"ärende": (str(item), None)}
    )
    item.delete()


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, direction: int, by) -> None:
    meeting = _lock_meeting(item.meeting)
    require(permissions.can_manage_meetings(by))
    _require_unsent(meeting)
    _swap(AgendaItem, item, direction, meeting=meeting)


def meeting_problems(meeting: Meeting) -> list[str]:
    """What stops the kallelse from being sent."""
    problems = []
    items = list(meeting.items.select_related("case").prefetch_related("case__memos"))
    if not items:
        problems.append("Ärendelistan är tom.")
    for item in items:
        if item.case_id is None:
            continue
        latest = max(item.case.memos.all(), key=lambda m: m.revision, default=None)
        if latest is None:
            problems.append(f"Ärende {item.label} ({item.title}) saknar tjänsteskrivelse.")
        elif latest.state not in (MemoState.APPROVED, MemoState.SENT):
            problems.append(
                f"Tjänsteskrivelsen i ärende {item.label} ({item.title}) är inte godkänd "
                f"(status {latest.get_state_display().lower()})."
            )
    return problems


@transaction.atomic
def meeting_send(*, meeting: Meeting, by) -> Meeting:
    """Send the kallelse with its papers to the nämnd: every memo on the list must be approved
    (it is sent now) or already sent. The PDFs are queued for the worker."""
    meeting = _lock_meeting(meeting)
    require(permissions.can_send_to_committee(by))
    _require_unsent(meeting)
    problems = meeting_problems(meeting)
    if problems:
        raise ValidationError({"__all__": problems})
    memos = []
    for item in meeting.items.select_related("case"):
        if item.case_id is None:
            continue
        latest = _lock_memo(item.case.memos.order_by("-revision").first())
        if latest.state == MemoState.APPROVED:
            latest = _send(latest, by)
        if item.memo_id != latest.pk:
            item.memo = latest
            item.save(update_fields=["memo"])
        memos.append(latest)
    meeting.sent_at = timezone.now()
    meeting.sent_by = by
    meeting.version = F("version") + 1
    meeting.save()
    meeting.refresh_from_db()
    audit.record("meeting.sent", by=by, target=meeting, changes={"kallelse": (None, "skickad")})

    def queue():
        for memo in memos:
            render_request(kind=RenderKind.MEMO, memo=memo)
        render_request(kind=RenderKind.BUNDLE_PUBLIC, meeting=meeting)
        render_request(kind=RenderKind.BUNDLE_INTERNAL, meeting=meeting)

    transaction.on_commit(queue)
    return meeting


@transaction.atomic
def decision_record(
    *,
    item: AgendaItem,
    paragraph,
    text: str,
    report_back_required: bool,
    report_back_due=None,
    by,
    today: datetime.date | None = None,
) -> Decision:
    """Protokollsutdrag for an item: § number and Beslut (recorded again = corrected)."""
    require(permissions.can_record_minutes(by))
    meeting = _lock_meeting(item.meeting)
    today = today or timezone.localdate()
    if meeting.date > today:
        raise StateError("Protokollet kan föras först från sammanträdesdagen.")
    errors = {}
    if not isinstance(paragraph, int) or not 1 <= paragraph <= 9999:
        errors["paragraph"] = "Paragrafen ska vara ett heltal från 1, till exempel 78."
    text = (text or "").strip()
    if not text:
        errors["text"] = "Skriv nämndens beslut."
    if report_back_due and not report_back_required:
        errors["report_back_due"] = "Ange ett datum bara när beslutet kräver återrapportering."
    existing = Decision.objects.filter(item=item).first()
    if isinstance(paragraph, int) and (
        Decision.objects.filter(meeting=meeting, paragraph=paragraph).exclude(item=item).exists()
    ):
        errors["paragraph"] = f"§ {paragraph} finns redan i protokollet."
    if errors:
        raise ValidationError(errors)
    before = (
        {"paragraf": existing.paragraph, "beslut": existing.text}
        if existing
        else {"paragraf": None, "beslut": None}
    )
    decision, _ = Decision.objects.update_or_create(
        item=item,
        defaults={
            "meeting": meeting,
            "paragraph": paragraph,
            "text": text,
            "report_back_required": report_back_required,
            "report_back_due": report_back_due if report_back_required else None,
        },
    )
    audit.record(
        "decision.recorded",
        by=by,
        target=decision,
        changes=audit.diff(before, {"paragraf": paragraph, "beslut": text}),
    )
    return decision


@transaction.atomic
def decision_report_back(*, decision: Decision, on: datetime.date, note: str, by) -> Decision:
    require(permissions.can_record_minutes(by))
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not decision.report_back_required:
        raise StateError("Beslutet kräver ingen återrapportering.")
    if decision.reported_back_on:
        raise StateError("Beslutet är redan återrapporterat.")
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"note": "Ange hur beslutet återrapporterades, till exempel ärende och datum."}
        )
    decision.reported_back_on = on
    decision.reported_back_note = note
    decision.save(update_fields=["reported_back_on", "reported_back_note"])
    audit.record(
        "decision.reported_back",
        by=by,
        target=decision,
        changes={"återrapporterat": (None, f"{on:%Y-%m-%d} {note}")},
    )
    return decision


# --- PDF rendering ---------------------------------------------------------------------------


def render_request(*, kind: str, memo: Memo | None = None, meeting: Meeting | None = None):
    """Queue a PDF of the memo or the meeting bundle, unless the same content is already
    rendered or on its way. Returns the RenderedDocument.

    The memo or meeting is read afresh: its state now decides whether the document is a
    `sent_version` (for the nämnd) or stays staff-only, whatever the caller's copy says."""
    if kind == RenderKind.MEMO:
        memo = Memo.objects.select_related("case__committee", "administration").get(pk=memo.pk)
        source = documents.memo_source(memo)
    else:
        meeting = Meeting.objects.select_related("committee").get(pk=meeting.pk)
        source = documents.bundle_source(meeting, internal=kind == RenderKind.BUNDLE_INTERNAL)
    return printing.request(source, subject=memo if kind == RenderKind.MEMO else meeting)
