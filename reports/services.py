"""Every write to report kinds, reports and their sections: atomic, checked, audited.

Errors: `ValidationError` (Swedish, keyed by field) for bad input, `StaleEditError` when
someone saved a section first, `PermissionDenied` for the wrong role or writer, `StateError`
for a step the report's state does not allow.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from casework import services as casework_services
from casework.models import Case, Decision, Meeting
from goals import reporting as goals_reporting
from printing import services as printing
from reports import adoption, assembly, outlines, redline, richtext
from reports.generators.base import PERIOD_LABELS
from reports.models import (
    OutlineSection,
    Report,
    ReportCorrection,
    ReportKind,
    ReportSection,
    ReportState,
    ReportVersion,
    SectionMode,
    SectionPresence,
    SectionStatus,
    SectionVersion,
)
from solna_sn import audit, notifications, permissions, review
from solna_sn.errors import StaleEditError, StateError, require
from solna_sn.models import Committee

RENDER_KIND = "report"
PRESENCE_WINDOW = datetime.timedelta(minutes=3)
PERIOD_ORDER = {"april": 1, "augusti": 2, "helar": 3}


# --- Kinds and outlines ------------------------------------------------------------------------


def _outline_create(kind: ReportKind, entries) -> None:
    parents: dict[int, OutlineSection] = {}
    for order, entry in enumerate(entries, start=1):
        parent = next(
            (parents[level] for level in range(entry.level - 1, 0, -1) if level in parents),
            None,
        )
        section = OutlineSection.objects.create(
            kind=kind,
            parent=parent,
            order=order * 10,
            title=entry.title,
            level=entry.level,
            mode=entry.mode,
            generator=entry.generator,
            anvisning=entry.anvisning,
            default_text=entry.default_text,
            in_toc=entry.in_toc,
        )
        if entry.title:
            parents[entry.level] = section
            for deeper in [lvl for lvl in parents if lvl > entry.level]:
                del parents[deeper]


@transaction.atomic
def kinds_seed(*, committee: Committee, by=None) -> list[ReportKind]:
    """The standard kinds (the three follow-ups and the verksamhetsplan) with the outlines of
    the sources, for a nämnd that lacks them. A kind that exists keeps its outline (it is data
    the administratör keeps)."""
    kinds = []
    for code in outlines.SEEDED:
        layout = outlines.LAYOUTS[code]
        kind, created = ReportKind.objects.get_or_create(
            committee=committee,
            code=code,
            defaults={"name": layout.name, "period": layout.period, "plan": layout.plan},
        )
        if created:
            _outline_create(kind, layout.entries)
            audit.record("report_kind.seeded", by=by, target=kind)
        kinds.append(kind)
    return kinds


@transaction.atomic
def outline_apply(*, kind: ReportKind, layout: str, by=None) -> ReportKind:
    """Give a kind without an outline the outline of one of the layouts in
    `reports.outlines.LAYOUTS` (the admin's "Disposition" when a kind is added): another
    municipality's headings and order are data, not code."""
    if layout not in outlines.LAYOUTS:
        raise ValidationError({"layout": "Dispositionen finns inte."})
    if kind.outline.exists():
        raise ValidationError(
            {"layout": "Rapporttypen har redan en disposition. Ändra avsnitten i stället."}
        )
    chosen = outlines.LAYOUTS[layout]
    _outline_create(kind, chosen.entries)
    audit.record(
        "report_kind.outline_applied", by=by, target=kind, changes={"disposition": (None, layout)}
    )
    return kind


# --- Reports -----------------------------------------------------------------------------------


def report_title(kind: ReportKind, year: int) -> str:
    return f"{kind.name} {year}"


def previous_report(kind: ReportKind, year: int) -> Report | None:
    """The latest earlier report of the same nämnd: the one texts are carried over from
    (the delårsrapport for the årsredovisning, last year's årsredovisning for an april; for a
    verksamhetsplan last year's verksamhetsplan)."""
    if kind.plan:  # a verksamhetsplan continues last year's plan of the same kind
        return Report.objects.filter(kind=kind, year=year - 1).first()
    key = (year, PERIOD_ORDER[kind.period])
    candidates = [
        r
        for r in Report.objects.filter(
            committee=kind.committee, year__gte=year - 1, kind__plan=False
        )
        if (r.year, PERIOD_ORDER[r.period]) < key
    ]
    return max(candidates, key=lambda r: (r.year, PERIOD_ORDER[r.period]), default=None)


def _plan_year_problem(committee: Committee, year: int, period: str) -> str:
    try:
        goals_reporting.follow_up(committee=committee, year=year, period=period)
    except goals_reporting.PlanYearMissing as error:
        return str(error)
    return ""


@transaction.atomic
def report_create(
    *,
    kind: ReportKind,
    year: int,
    case: Case,
    by,
    meeting: Meeting | None = None,
    carry_over: bool = True,
) -> Report:
    """A report of `kind` for `year`, its sections copied from the outline. Written texts are
    the outline's default texts, or, with `carry_over`, the texts of the same section in the
    previous report, as drafts to rework."""
    require(permissions.can_manage_reports(by))
    errors = {}
    if case.committee_id != kind.committee_id:
        errors["case"] = "Ärendet hör till en annan nämnd."
    if meeting is not None and meeting.committee_id != kind.committee_id:
        errors["meeting"] = "Sammanträdet hör till en annan nämnd."
    if Report.objects.filter(kind=kind, year=year).exists():
        errors["year"] = f"{report_title(kind, year)} finns redan."
    if not errors and not kind.plan:
        problem = _plan_year_problem(kind.committee, year, kind.period)
        if problem:
            errors["year"] = f"Rapporten kan inte skapas för {year}: {problem}"
    if errors:
        raise ValidationError(errors)
    previous = previous_report(kind, year) if carry_over else None
    carried = {}
    if previous is not None:
        for old in previous.sections.filter(mode=SectionMode.WRITTEN):
            carried.setdefault(old.title, old.body)
    report = Report.objects.create(
        kind=kind,
        committee=kind.committee,
        year=year,
        period=kind.period,
        title=report_title(kind, year),
        case=case,
        meeting=meeting,
        carried_from=previous,
        created_by=by,
    )
    for outline in kind.outline.order_by("order"):
        body = outline.default_text if outline.mode == SectionMode.WRITTEN else ""
        is_carried = outline.mode == SectionMode.WRITTEN and bool(carried.get(outline.title))
        if is_carried:
            body = carried[outline.title]
        ReportSection.objects.create(
            report=report,
            outline=outline,
            order=outline.order,
            title=outline.title,
            level=outline.level,
            mode=outline.mode,
            generator=outline.generator,
            anvisning=outline.anvisning,
            in_toc=outline.in_toc,
            body=richtext.sanitize(body),
            carried_over=is_carried,
        )
    audit.record(
        "report.created",
        by=by,
        target=report,
        changes={
            "ärende": (None, case.dnr),
            "texter från": (None, str(previous) if previous else ""),
        },
    )
    return report


def _lock_report(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def _require_draft(report: Report) -> None:
    if report.is_frozen:
        raise StateError(
            "Rapporten är skickad till nämnden och låst. En ändring görs som rättelse."
        )
    if report.state != ReportState.DRAFT:
        raise StateError(
            f"Rapporten har status {report.get_state_display().lower()} och kan bara ändras "
            "som utkast. Granskaren kan återföra den till utkast."
        )


@transaction.atomic
def section_assign(*, section: ReportSection, by, writer=None, unit=None) -> ReportSection:
    """Give a written section to a writer or an enhet (or take it back: both None)."""
    require(permissions.can_manage_reports(by))
    report = _lock_report(section.report)
    if report.is_frozen:
        _require_draft(report)
    if section.mode != SectionMode.WRITTEN:
        raise StateError("Bara avsnitt som skrivs kan tilldelas en skribent.")
    if writer is not None and not permissions.is_staff_member(writer):
        raise ValidationError({"writer": "Skribenten måste vara anställd i förvaltningen."})
    before = (str(section.writer or ""), str(section.unit or ""))
    previous_writer_id = section.writer_id
    section.writer = writer
    section.unit = unit
    section.save(update_fields=["writer", "unit"])
    audit.record(
        "report_section.assigned",
        by=by,
        target=section,
        changes={"skribent": (before[0], str(writer or "")), "enhet": (before[1], str(unit or ""))},
    )
    if writer is not None and writer.pk != previous_writer_id:
        notifications.notify(
            notifications.ASSIGNED,
            recipients=[writer],
            by=by,
            what="avsnittet",
            title=f"{section} i {report.title}",
            path=reverse("reports:section_edit", args=[section.pk]),
        )
    return section


@transaction.atomic
def section_save(*, section: ReportSection, version: int, body: str, by) -> ReportSection:
    """Save a written section's text (sanitised to the allow-list) if nobody saved since
    `version`; every saved text is kept as a SectionVersion. Raises StaleEditError with the
    stored text on conflict."""
    section = ReportSection.objects.select_for_update().select_related("report").get(pk=section.pk)
    require(permissions.can_write_report_section(by, section))
    _require_draft(section.report)
    if section.mode != SectionMode.WRITTEN:
        raise StateError("Avsnittet skapas från data och har ingen egen text.")
    if section.version != version:
        raise StaleEditError(
            {"body": section.body, "version": section.version, "by": str(section.last_writer or "")}
        )
    clean = richtext.sanitize(body)
    if clean == section.body:
        return section
    section.body = clean
    section.version = F("version") + 1
    section.last_writer = by
    section.updated_at = timezone.now()
    section.carried_over = False
    section.save(update_fields=["body", "version", "last_writer", "updated_at", "carried_over"])
    section.refresh_from_db()
    SectionVersion.objects.create(section=section, version=section.version, body=clean, saved_by=by)
    audit.record(
        "report_section.saved",
        by=by,
        target=section,
        changes={"version": (section.version - 1, section.version)},
    )
    return section


@transaction.atomic
def section_mark(*, section: ReportSection, done: bool, by) -> ReportSection:
    """Klarmarkera a written section (or take the mark back)."""
    section = ReportSection.objects.select_for_update().select_related("report").get(pk=section.pk)
    require(permissions.can_write_report_section(by, section))
    _require_draft(section.report)
    if section.mode != SectionMode.WRITTEN:
        raise StateError("Bara avsnitt som skrivs klarmarkeras.")
    if done and not richtext.plain_text(section.body):
        raise ValidationError({"body": "Avsnittet är tomt. Skriv texten innan du klarmarkerar."})
    new = SectionStatus.DONE if done else SectionStatus.DRAFT
    old = section.status
    section.status = new
    section.save(update_fields=["status"])
    audit.record("report_section.marked", by=by, target=section, changes={"status": (old, new)})
    return section


def presence_touch(*, section: ReportSection, by) -> None:
    """Note that `by` has the section open (on opening and every heartbeat). Not audited:
    it changes nothing in the report and expires by itself."""
    now = timezone.now()
    updated = SectionPresence.objects.filter(
        section=section, user=by, seen_at__gte=now - PRESENCE_WINDOW
    ).update(seen_at=now)
    if not updated:
        SectionPresence.objects.update_or_create(
            section=section, user=by, defaults={"since": now, "seen_at": now}
        )


def others_present(section: ReportSection, user) -> list[SectionPresence]:
    since = timezone.now() - PRESENCE_WINDOW
    return list(
        SectionPresence.objects.filter(section=section, seen_at__gte=since)
        .exclude(user=user)
        .select_related("user")
        .order_by("since")
    )


# --- Workflow ----------------------------------------------------------------------------------


def last_writers(report: Report) -> set[int]:
    return {
        pk
        for pk in report.sections.filter(mode=SectionMode.WRITTEN).values_list(
            "last_writer_id", flat=True
        )
        if pk is not None
    }


def approval_blocker(report: Report, user) -> str:
    """Why `user` may not approve the report (fyraögonprincipen, the shared rule in
    solna_sn.review: not the last writer of any of its sections), or ""."""
    return review.may_approve(user, last_writers(report), what="ett av avsnitten")[1]


def _transition(report: Report, *, to: str, by, **fields) -> Report:
    old = report.state
    report.state = to
    for name, value in fields.items():
        setattr(report, name, value)
    report.save()
    audit.record(f"report.{to}", by=by, target=report, changes={"status": (old, to)})
    return report


@transaction.atomic
def report_submit(*, report: Report, by) -> Report:
    report = _lock_report(report)
    require(permissions.can_view_reports(by))
    require(
        permissions.can_manage_reports(by)
        or report.sections.filter(writer=by).exists()
        or report.sections.filter(unit__in=by.units.all()).exists()
    )
    _require_draft(report)
    report = _transition(report, to=ReportState.REVIEW, by=by, review_comment="")
    version_take(report, by=by)
    _notify(report, notifications.REVIEW, by, notifications.reviewers(permissions.LEADERSHIP_ROLES))
    return report


def _notify(report: Report, event: str, by, recipients, comment: str = "") -> None:
    notifications.notify(
        event,
        recipients=recipients,
        by=by,
        what="rapporten",
        title=report.title,
        path=reverse("reports:report_detail", args=[report.pk]),
        comment=comment,
    )


def _writers(report: Report) -> list[int | None]:
    """Who a returned or approved report concerns: the one who sent it for review and the
    writers of its sections."""
    return [
        notifications.last_actor(report, f"report.{ReportState.REVIEW}"),
        *report.sections.filter(writer__isnull=False).values_list("writer_id", flat=True),
    ]


@transaction.atomic
def report_return(*, report: Report, by, comment: str) -> Report:
    report = _lock_report(report)
    require(permissions.can_manage_reports(by))
    if report.state not in (ReportState.REVIEW, ReportState.APPROVED):
        raise StateError("Bara en rapport under granskning eller godkänd kan återföras.")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"reason": "Skriv vad som behöver ändras."})
    report = _transition(
        report,
        to=ReportState.DRAFT,
        by=by,
        review_comment=comment,
        approved_at=None,
        approved_by=None,
    )
    _notify(report, notifications.RETURNED, by, _writers(report), comment)
    return report


@transaction.atomic
def report_approve(*, report: Report, by) -> Report:
    report = _lock_report(report)
    require(permissions.can_manage_reports(by))
    if report.state != ReportState.REVIEW:
        raise StateError("Bara en rapport under granskning kan godkännas.")
    blocker = approval_blocker(report, by)
    if blocker:
        raise StateError(blocker)
    report = _transition(
        report, to=ReportState.APPROVED, by=by, approved_at=timezone.now(), approved_by=by
    )
    version_take(report, by=by)
    _notify(report, notifications.APPROVED, by, _writers(report))
    return report


def report_warnings(report: Report) -> list[str]:
    sections = report.sections.select_related("writer", "unit").order_by("order")
    return assembly.warnings(assembly.assemble(report, sections))


@transaction.atomic
def report_send(*, report: Report, by, confirm_warnings: bool = False) -> Report:
    """Send the approved report to the nämnd and freeze it: every section's printed HTML and
    figures are stored on the section, every figure on the report. With warnings from the
    consistency check only the förvaltningschef may send, confirming them explicitly; the
    list is recorded."""
    report = _lock_report(report)
    require(permissions.can_manage_reports(by))
    if report.state != ReportState.APPROVED:
        raise StateError("Rapporten måste vara godkänd innan den skickas till nämnden.")
    sections = list(report.sections.select_related("writer", "unit").order_by("order"))
    assembled = assembly.assemble(report, sections)
    found = assembly.warnings(assembled)
    if found:
        if not permissions.can_confirm_report_warnings(by):
            raise StateError(
                "Kontrollen har varningar. Bara förvaltningschefen kan skicka rapporten ändå."
            )
        if not confirm_warnings:
            raise StateError(
                f"Kontrollen har {len(found)} varningar. Bekräfta att rapporten ska skickas "
                "med dem."
            )
    for printed in assembled.sections:
        section = printed.section
        section.frozen_body = printed.html
        section.frozen_figures = printed.figures
        section.save(update_fields=["frozen_body", "frozen_figures"])
    report.frozen_figures = {k: list(v) for k, v in assembled.figures.items()}
    report.sent_warnings = found
    report.sent_at = timezone.now()
    report.sent_by = by
    report.state = ReportState.SENT
    report.save()
    version_take(report, by=by, assembled=assembled)
    audit.record(
        "report.sent",
        by=by,
        target=report,
        changes={"status": (ReportState.APPROVED, ReportState.SENT), "varningar": (None, found)},
        reason="Skickad med bekräftade varningar." if found else "",
    )
    return report


# --- Versions and the redline -------------------------------------------------------------------


def _snapshot_of(assembled: assembly.Assembly) -> tuple[list[dict], dict]:
    sections = [
        {
            "order": p.section.order,
            "title": p.section.title,
            "level": p.section.level,
            "mode": p.section.mode,
            "html": p.html,
        }
        for p in assembled.sections
    ]
    return sections, {key: list(value) for key, value in assembled.figures.items()}


def version_take(report: Report, *, by, assembled: assembly.Assembly | None = None):
    """Keep the report as it stands now (printed texts and figures) as its next version."""
    if assembled is None:
        assembled = assembly.assemble(report, report.sections.order_by("order"))
    sections, figures = _snapshot_of(assembled)
    last = report.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return ReportVersion.objects.create(
        report=report,
        number=last + 1,
        state=report.state,
        sections=sections,
        figures=figures,
        taken_by=by,
        taken_at=timezone.now(),
    )


CURRENT = "nu"


def version_label(version: ReportVersion) -> str:
    """ "Version 2: Godkänd 2024-09-20 14:05 (Greta Sundin)" """
    who = version.taken_by.get_full_name() if version.taken_by else ""
    when = timezone.localtime(version.taken_at).strftime("%Y-%m-%d %H:%M")
    return f"Version {version.number}: {version.get_state_display()} {when}" + (
        f" ({who})" if who else ""
    )


def snapshot(report: Report, which: ReportVersion | str) -> redline.Snapshot:
    """A stored version, or (`CURRENT`) the report as it prints now."""
    if which == CURRENT:
        sections = report.sections.select_related("writer", "unit").order_by("order")
        found, figures = _snapshot_of(assembly.assemble(report, sections))
        label = "Rapporten som den ser ut nu"
        return redline.Snapshot(label, found, figures)
    return redline.Snapshot(version_label(which), which.sections, which.figures)


def compare(report: Report, old: ReportVersion | str, new: ReportVersion | str) -> redline.Redline:
    return redline.compare(snapshot(report, old), snapshot(report, new))


@transaction.atomic
def report_mark_handled(*, report: Report, by) -> Report:
    report = _lock_report(report)
    require(permissions.can_manage_reports(by))
    if report.state != ReportState.SENT:
        raise StateError("Bara en rapport som är skickad till nämnden kan markeras behandlad.")
    if report.kind.plan:
        raise StateError(
            "En verksamhetsplan blir behandlad när den fastställs enligt nämndens protokollförda "
            "beslut. Använd Fastställ enligt nämndens beslut."
        )
    return _transition(report, to=ReportState.HANDLED, by=by)


def plan_decision(report: Report) -> Decision | None:
    """The protokollsutdrag on the plan's ärende at the meeting the plan was sent to, if the
    nämnd's decision has been recorded."""
    if report.meeting_id is None:
        return None
    return (
        Decision.objects.filter(meeting_id=report.meeting_id, item__case_id=report.case_id)
        .select_related("meeting")
        .first()
    )


@transaction.atomic
def report_adopt(*, report: Report, by) -> Report:
    """The nämnd has decided on the verksamhetsplan: with the recorded protokollsutdrag (its
    meeting's date and §) the plan year's goal tree, budget version and internkontrollplan
    become fastställda together (reports.adoption), and the plan is behandlad. When every part
    of the year is fastställd already (adopted in its module), the plan is only marked
    behandlad. Refused (StateError, nothing changed) for a follow-up report, a plan not sent,
    without a recorded decision, or when only some parts are fastställda."""
    report = _lock_report(report)
    require(permissions.can_manage_reports(by))
    if not report.kind.plan:
        raise StateError("Bara en verksamhetsplan fastställs. Markera rapporten som behandlad.")
    if report.state == ReportState.HANDLED:
        raise StateError(f"{report.title} är redan fastställd.")
    if report.state != ReportState.SENT:
        raise StateError(
            "Verksamhetsplanen måste vara skickad till nämnden innan den kan fastställas."
        )
    decision = plan_decision(report)
    if decision is None:
        where = (
            f"sammanträdet {report.meeting.date:%Y-%m-%d}"
            if report.meeting
            else "ett sammanträde (planen är inte kopplad till något)"
        )
        raise StateError(
            f"Nämndens beslut om {report.title.lower()} är inte protokollfört. För in "
            f"protokollsutdraget (§ och beslut) för ärende {report.case.dnr} på {where} först."
        )
    status = adoption.adoption_status(report.year, report.committee)
    already = bool(status) and all(text for _title, text in status)
    if not already:  # a part already fastställd on its own is refused there, nothing changed
        adoption.adopt_plan_year_for_decision(decision=decision, year=report.year, by=by)
    _transition(report, to=ReportState.HANDLED, by=by)
    audit.record(
        "report.adopted",
        by=by,
        target=report,
        changes={"beslut": (None, f"{decision.meeting.date:%Y-%m-%d} § {decision.paragraph}")},
        reason="Planårets delar var redan fastställda." if already else "",
    )
    return report


@transaction.atomic
def report_correction_add(*, report: Report, text: str, by, section=None) -> ReportCorrection:
    """Record a correction made after sending; the sent report itself stays as it was."""
    require(permissions.can_manage_reports(by))
    report = _lock_report(report)
    if not report.is_frozen:
        raise StateError("Rättelser görs efter att rapporten har skickats. Ändra texten direkt.")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Beskriv rättelsen."})
    correction = ReportCorrection.objects.create(
        report=report, section=section, text=text, created_by=by
    )
    audit.record("report.corrected", by=by, target=report, changes={"rättelse": (None, text)})
    return correction


PLAN_DISPATCH_TO = "Kommunstyrelsen"


def decision_proposal(report: Report) -> str:
    """ "Socialnämnden tar del av delårsrapport per augusti 2024."; for a verksamhetsplan
    "Socialnämnden fastställer förvaltningens förslag till verksamhetsplan och budget …"."""
    if report.kind.plan:
        return (
            f"{report.committee.name} fastställer förvaltningens förslag till verksamhetsplan "
            "och budget inklusive mål, ekonomiska ramar, konkurrensplan och internkontrollplan."
        )
    name = report.kind.name
    return f"{report.committee.name} tar del av {name[:1].lower()}{name[1:]} {report.year}."


def memo_summary(report: Report) -> str:
    if report.kind.plan:
        return (
            f"{report.title} beskriver nämndens mål, mått och aktiviteter, budget, "
            f"konkurrensplan och internkontrollplan för {report.year}."
        )
    return (
        f"{report.title} redovisar nämndens verksamhet, mål och ekonomi "
        f"{PERIOD_LABELS[report.period]}."
    )


@transaction.atomic
def report_memo_create(*, report: Report, by):
    """The tjänsteskrivelse that carries the report to the nämnd, under the report's ärende,
    placed on the report's meeting if it has one and the ärende is not on it yet. When the
    ärende already has a tjänsteskrivelse, the report is linked to it (its latest revision)."""
    require(permissions.can_manage_reports(by))
    report = _lock_report(report)
    if report.memo_id:
        raise StateError("Rapporten har redan en tjänsteskrivelse.")
    existing = report.case.memos.order_by("-revision").first()
    if existing is not None:
        return _memo_link(report=report, memo=existing, by=by)
    memo = casework_services.memo_create(case=report.case, by=by, unit=report.case.unit)
    data = {name: getattr(memo, name) for name in casework_services.MEMO_TEXT_FIELDS}
    data.update(
        title=report.title,
        decision_proposal=decision_proposal(report),
        summary=memo_summary(report),
        dispatch_bulleted=memo.dispatch_bulleted,
    )
    if report.kind.plan:  # the decision goes to kommunstyrelsen, a plain line as in the source
        data.update(dispatch_to=PLAN_DISPATCH_TO, dispatch_bulleted=False)
    memo = casework_services.memo_save(memo=memo, version=memo.version, data=data, by=by)
    report.memo = memo
    report.save(update_fields=["memo"])
    if report.meeting and not report.meeting.items.filter(case=report.case).exists():
        casework_services.agenda_item_add(meeting=report.meeting, by=by, case=report.case)
    audit.record("report.memo_created", by=by, target=report, changes={"memo": (None, memo.pk)})
    return memo


def _memo_link(*, report: Report, memo, by):
    """The ärende already has its tjänsteskrivelse (written in casework): the report points
    at its latest revision instead of a second memo being made."""
    report.memo = memo
    report.save(update_fields=["memo"])
    if report.meeting and not report.meeting.items.filter(case=report.case).exists():
        casework_services.agenda_item_add(meeting=report.meeting, by=by, case=report.case)
    audit.record("report.memo_linked", by=by, target=report, changes={"memo": (None, memo.pk)})
    return memo


# --- Printing ----------------------------------------------------------------------------------


def pdf_request(*, report: Report, html: str, by):
    """Queue the PDF of `html` (from reports.printed.report_html). `sent_version` only when
    the report is frozen: a draft render stays staff-only forever."""
    require(permissions.can_view_reports(by))
    source = printing.DocumentSource(
        kind=RENDER_KIND, title=report.title, html=html, sent_version=report.is_frozen
    )
    try:
        return printing.request(source, subject=report)
    except IntegrityError as error:  # pragma: no cover - printing handles the race itself
        raise StateError("PDF:en kunde inte beställas.") from error
