"""Put a report together for printing and for the consistency check: every section in outline
order with its printed HTML, the figures it shows and its warnings.

While the report is a draft the generated sections are made from live data
(`reports.generators.base.generate`) and written texts print their live figures with the
current values; once sent, everything prints from the snapshot stored on the sections.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from reports import richtext
from reports.generators import all as _every_generator  # noqa: F401  (fills the registry)
from reports.generators.base import Figure, Generated, ReportPeriod, generate
from reports.models import Report, ReportCorrection, ReportSection, SectionMode


def period_of(report: Report) -> ReportPeriod:
    return ReportPeriod(
        committee_id=report.committee_id,
        year=report.year,
        period=report.period,
        kind=report.kind.code,
        plan=report.kind.plan,
    )


def _generate(key: str, period: ReportPeriod) -> Generated:
    try:
        return generate(key, period)
    except LookupError as error:  # e.g. goals' PlanYearMissing: a Swedish message
        message = str(error).strip("'\"")
        return Generated(
            html=f'<p class="generator-missing">{html.escape(message)}</p>',
            warnings=[message],
        )


@dataclass
class PrintedSection:
    section: ReportSection
    html: str
    figures: dict[str, str] = field(default_factory=dict)  # key → text shown
    warnings: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"avsnitt-{self.section.order}"

    @property
    def heading_tag(self) -> str:
        return f"h{min(self.section.level + 1, 4)}"


@dataclass
class Assembly:
    report: Report
    sections: list[PrintedSection]
    # Every figure a writer may insert: key → (label, text).
    figures: dict[str, tuple[str, str]]
    frozen: bool
    # Corrections of the year's earlier sent reports: [(report, [correction, …]), …].
    corrections: list = field(default_factory=list)

    @property
    def toc(self) -> list[PrintedSection]:
        return [p for p in self.sections if p.section.in_toc and p.section.title]

    @property
    def corrections_title(self) -> str:
        """ "Rättelser sedan delårsrapporten" (one earlier report), else "… tidigare rapporter"."""
        if len(self.corrections) == 1:
            name = self.corrections[0][0].kind.name.split()[0].lower()
            return f"Rättelser sedan {name}en"
        return "Rättelser sedan tidigare rapporter i år"


def earlier_corrections(report: Report) -> list:
    """Corrections made after the year's earlier reports were sent, for the next report of the
    year. A sent report lists those made before it was sent, so its PDF reproduces."""
    until = report.sent_at
    corrections = (
        ReportCorrection.objects.filter(
            report__committee_id=report.committee_id,
            report__year=report.year,
            report__sent_at__isnull=False,
        )
        .exclude(report_id=report.pk)
        .select_related("report__kind", "section")
        .order_by("report__sent_at", "created_at")
    )
    if until is not None:
        corrections = corrections.filter(report__sent_at__lt=until, created_at__lt=until)
    grouped: dict[Report, list] = {}
    for correction in corrections:
        grouped.setdefault(correction.report, []).append(correction)
    return list(grouped.items())


def live_figures(report: Report, sections) -> tuple[dict, dict[int, Generated]]:
    period = period_of(report)
    generated: dict[int, Generated] = {}
    figures: dict[str, tuple[str, str]] = {}
    for section in sections:
        if section.mode == SectionMode.GENERATED:
            result = _generate(section.generator, period)
            generated[section.pk] = result
            for figure in result.figures:
                figures[figure.key] = (figure.label, figure.text)
    return figures, generated


def assemble(report: Report, sections=None) -> Assembly:
    sections = list(sections if sections is not None else report.sections.all())
    if report.is_frozen:
        figures = {key: tuple(value) for key, value in report.frozen_figures.items()}
        printed = [PrintedSection(s, s.frozen_body, dict(s.frozen_figures)) for s in sections]
        return Assembly(
            report, printed, figures, frozen=True, corrections=earlier_corrections(report)
        )
    figures, generated = live_figures(report, sections)
    texts = {key: text for key, (_label, text) in figures.items()}
    printed = []
    for section in sections:
        if section.mode == SectionMode.GENERATED:
            result = generated[section.pk]
            shown = {f.key: f.text for f in result.figures}
            printed.append(PrintedSection(section, result.html, shown, list(result.warnings)))
        elif section.mode == SectionMode.WRITTEN:
            resolved = richtext.resolve(section.body, texts)
            printed.append(
                PrintedSection(section, resolved.html, resolved.used, missing=resolved.missing)
            )
        else:
            printed.append(PrintedSection(section, ""))
    return Assembly(report, printed, figures, frozen=False, corrections=earlier_corrections(report))


def _name(section: ReportSection) -> str:
    return f"”{section.title or section.generator}”"


def warnings(assembly: Assembly) -> list[str]:
    """Every warning of the consistency check, one Swedish line each."""
    lines = []
    for printed in assembly.sections:
        section = printed.section
        for warning in printed.warnings:
            lines.append(f"{_name(section)}: {warning}")
        if section.mode != SectionMode.WRITTEN:
            continue
        if not section.is_done:
            who = section.writer.get_full_name() if section.writer else (section.unit or "")
            suffix = f" (skribent: {who})" if who else " (ingen skribent)"
            lines.append(f"Avsnittet {_name(section)} är inte klarmarkerat{suffix}.")
        for key in printed.missing:
            lines.append(
                f"{_name(section)}: en levande siffra saknar källa ({key}); den skrivs ut "
                "som saknad."
            )
        for text, label in richtext.typed_figures(section.body, assembly.figures):
            lines.append(
                f"{_name(section)}: {text} är skrivet som vanlig siffra. Infoga den levande "
                f"siffran ”{label}” i stället."
            )
    return lines


def figure_list(assembly: Assembly) -> list[Figure]:
    return [Figure(key, label, text) for key, (label, text) in assembly.figures.items()]
