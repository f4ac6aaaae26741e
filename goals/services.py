"""Every change to goals, mått, aktiviteter, uppdrag and assessments. Each write checks the
role, runs in one transaction and leaves an audit entry; bad input raises ValidationError
with Swedish messages, a save over a newer version raises StaleEditError."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from goals import agenda2030
from goals.models import (
    Activity,
    Agenda2030Goal,
    AggregationChoice,
    AssessmentState,
    Assignment,
    AssignmentAssessment,
    Colour,
    Goal,
    GoalAssessment,
    GoalSettings,
    Level,
    Measure,
    MeasureSource,
    MeasureValue,
    Period,
    PlanRevision,
    PlanState,
    PlanYear,
    Scale,
    ScaleStep,
)
from goals.queries import PlanYearMissing, plan_for  # noqa: F401 - part of the services API
from solna_sn import audit, figures, permissions
from solna_sn.errors import StateError as CommonStateError
from solna_sn.models import Committee

# Solna's configuration (VP 2025, Delårsrapport 2024); kept in the admin afterwards.
GOAL_SCALE = (
    "NAMNDMAL",
    "Måluppfyllelse för nämndmål",
    "Målen bedöms enligt:",
    [
        (1, "Målet uppfylls i år", "●", Colour.GREEN),
        (2, "Målet uppfylls till stor del i år", "◕", Colour.LIGHT_GREEN),
        (3, "Målet uppfylls delvis i år", "◑", Colour.ORANGE),
        (4, "Målet uppfylls inte i år", "○", Colour.RED),
    ],
)
ASSIGNMENT_SCALE = (
    "UPPDRAG",
    "Status för uppdrag",
    "Status för uppdragen bedöms enligt:",
    [
        (1, "Uppdraget är slutfört", "✓", Colour.GREEN),
        (2, "Uppdraget pågår enligt plan", "►", Colour.BLUE),
        (3, "Uppdraget pågår med avvikelse", "▲", Colour.ORANGE),
        (4, "Uppdraget avbrutet eller har inte startat", "■", Colour.RED),
    ],
)
# code, order, name, plural, decided by, measures, activities, agenda 2030, assessments
SOLNA_LEVELS = [
    ("VISION", 1, "Vision", "Vision", "Kommunfullmäktige", False, False, False, False),
    (
        "OVERGRIPANDE",
        2,
        "Övergripande mål",
        "Övergripande mål",
        "Kommunfullmäktige",
        False,
        False,
        False,
        False,
    ),
    ("NAMNDMAL", 3, "Nämndmål", "Nämndmål", "Kommunfullmäktige", True, True, True, True),
]

GOAL_FIELDS = ["level", "parent", "title", "description", "responsible_unit", "sort_order"]
MEASURE_FIELDS = [
    "title",
    "unit",
    "decimals",
    "target",
    "direction",
    "source",
    "series_code",
    "aggregation",
    "sort_order",
]
ACTIVITY_FIELDS = [
    "goal",
    "title",
    "description",
    "starts_on",
    "ends_on",
    "status",
    "sort_order",
]
ASSIGNMENT_FIELDS = ["text", "decided_by", "lead_committee", "sort_order"]
ASSESSMENT_FIELDS = ["step", "method", "commentary", "key_activities", "state"]
ASSIGNMENT_ASSESSMENT_FIELDS = ["step", "commentary", "state"]


class StateError(CommonStateError):
    """The change is not allowed in the current state; str() is shown to the user."""


class GoalInUse(StateError):
    """A goal (or mått) that other rows refer to cannot be deleted."""


class PlanAdopted(StateError):
    """The year's goal tree is fastställd: goals, mått, aktiviteter and uppdrag are locked."""


class StaleEditError(Exception):
    """Someone else saved since the form was opened; `current` is the stored row."""

    def __init__(self, current):
        super().__init__("stale")
        self.current = current


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _plain(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value)
    return str(value)


def _snapshot(obj, fields) -> dict:
    return {name: _plain(getattr(obj, name)) for name in fields}


def _check_version(obj, version) -> None:
    if version is not None and obj.version != version:
        raise StaleEditError(obj)


def adopted_message(plan: PlanYear) -> str:
    return (
        f"Målträdet {plan.year} är fastställt ({plan.adoption_text[len('Fastställd ') :]}) "
        "och kan inte ändras. Starta en ny revision av målträdet för att ändra det."
    )


def _require_draft(plan: PlanYear, *, for_form: bool = True) -> None:
    """Refuse changing the tree of a fastställd year (locked for update, so an adoption that
    runs at the same time waits or is seen). Saves raise ValidationError (shown on the form),
    deletes PlanAdopted."""
    state = PlanYear.objects.select_for_update().only("state").get(pk=plan.pk).state
    if state != PlanState.ADOPTED:
        return
    plan.refresh_from_db()
    if for_form:
        raise ValidationError(adopted_message(plan), code="adopted")
    raise PlanAdopted(adopted_message(plan))


# --- Configuration ----------------------------------------------------------------------------


def ensure_agenda2030() -> None:
    """The 17 goals exist (the data migration loads them; a flushed test database does not
    have them)."""
    if Agenda2030Goal.objects.count() == len(agenda2030.GOALS):
        return
    for number, name in agenda2030.GOALS:
        Agenda2030Goal.objects.get_or_create(number=number, defaults={"name": name})


def _scale(committee, spec) -> Scale:
    code, name, introduction, steps = spec
    scale, _ = Scale.objects.get_or_create(
        committee=committee, code=code, defaults={"name": name, "introduction": introduction}
    )
    if not scale.steps.exists():
        ScaleStep.objects.bulk_create(
            ScaleStep(scale=scale, rank=rank, label=label, symbol=symbol, colour=colour)
            for rank, label, symbol, colour in steps
        )
    return scale


@transaction.atomic
def setup_defaults(committee: Committee) -> GoalSettings:
    """Solna's levels and scales for a nämnd that has none yet (kept in the admin afterwards);
    existing configuration is left alone."""
    ensure_agenda2030()
    goal_scale = _scale(committee, GOAL_SCALE)
    assignment_scale = _scale(committee, ASSIGNMENT_SCALE)
    config, created = GoalSettings.objects.get_or_create(
        committee=committee, defaults={"assignment_scale": assignment_scale}
    )
    if not Level.objects.filter(committee=committee).exists():
        for code, order, name, plural, decided_by, m, a, sdg, assessed in SOLNA_LEVELS:
            Level.objects.create(
                committee=committee,
                code=code,
                order=order,
                name=name,
                plural=plural,
                decided_by=decided_by,
                takes_measures=m,
                takes_activities=a,
                takes_agenda2030=sdg,
                takes_assessments=assessed,
                scale=goal_scale if assessed else None,
            )
    if created:
        audit.record("goal_settings.created", by=None, target=config)
    return config


def settings_for(committee: Committee) -> GoalSettings:
    config = (
        GoalSettings.objects.filter(committee=committee).select_related("assignment_scale").first()
    )
    return config or setup_defaults(committee)


# --- Plan years -------------------------------------------------------------------------------


def _lock_committee(committee: Committee) -> None:
    Committee.objects.select_for_update().get(pk=committee.pk)  # one creator at a time


@transaction.atomic
def plan_create(*, committee: Committee, year: int, by) -> PlanYear:
    """An empty goal tree for a year (the first one; later years are copies)."""
    _require(permissions.can_edit_goal_tree(by))
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": "Ange ett år mellan 2000 och 2100."})
    settings_for(committee)
    _lock_committee(committee)
    if PlanYear.objects.filter(committee=committee, year=year).exists():
        raise ValidationError({"year": f"Det finns redan ett målträd för {year}."})
    plan = PlanYear.objects.create(committee=committee, year=year, created_by=by)
    audit.record("goal_plan.created", by=by, target=plan)
    return plan


@transaction.atomic
def plan_copy(*, source: PlanYear, by, year: int | None = None) -> PlanYear:
    """Start next year's tree as a copy of `source`: goals (with their place in the tree and
    Agenda 2030 links), mått, aktiviteter and uppdrag, each with the same key. Figures and
    assessments belong to their year and are not copied."""
    _require(permissions.can_edit_goal_tree(by))
    year = source.year + 1 if year is None else year
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "Ange ett år mellan 2000 och 2100."})
    _lock_committee(source.committee)
    if PlanYear.objects.filter(committee=source.committee, year=year).exists():
        raise ValidationError({"year": f"Det finns redan ett målträd för {year}."})
    plan = PlanYear.objects.create(
        committee=source.committee, year=year, copied_from=source, created_by=by
    )
    goals = list(
        source.goals.select_related("level")
        .prefetch_related("agenda2030")
        .order_by("level__order", "sort_order", "pk")
    )
    copies: dict[int, Goal] = {}
    links = []
    for goal in goals:  # parents come first: they are on a higher level
        copy = Goal.objects.create(
            plan=plan,
            level=goal.level,
            parent=copies.get(goal.parent_id),
            key=goal.key,
            title=goal.title,
            description=goal.description,
            responsible_unit_id=goal.responsible_unit_id,
            sort_order=goal.sort_order,
            created_by=by,
            updated_by=by,
        )
        copies[goal.pk] = copy
        links += [
            Goal.agenda2030.through(goal_id=copy.pk, agenda2030goal_id=sdg.pk)
            for sdg in goal.agenda2030.all()
        ]
    Goal.agenda2030.through.objects.bulk_create(links)
    Measure.objects.bulk_create(
        Measure(
            goal=copies[m.goal_id],
            key=m.key,
            **{name: getattr(m, name) for name in MEASURE_FIELDS},
            created_by=by,
            updated_by=by,
        )
        for m in Measure.objects.filter(goal__plan=source).order_by("goal_id", "sort_order", "pk")
    )
    Activity.objects.bulk_create(
        Activity(
            plan=plan,
            goal=copies.get(a.goal_id),
            key=a.key,
            title=a.title,
            description=a.description,
            starts_on=None,
            ends_on=None,
            status="",
            sort_order=a.sort_order,
            created_by=by,
            updated_by=by,
        )
        for a in source.activities.order_by("goal_id", "sort_order", "pk")
    )
    for assignment in source.assignments.prefetch_related("participating_committees"):
        copy = Assignment.objects.create(
            plan=plan,
            key=assignment.key,
            text=assignment.text,
            decided_by=assignment.decided_by,
            lead_committee_id=assignment.lead_committee_id,
            sort_order=assignment.sort_order,
            created_by=by,
            updated_by=by,
        )
        copy.participating_committees.set(assignment.participating_committees.all())
    audit.record(
        "goal_plan.copied",
        by=by,
        target=plan,
        changes={"kopierad från": (None, str(source)), "antal mål": (None, len(goals))},
    )
    return plan


def _revision_snapshot(plan: PlanYear) -> dict:
    """The texts of the tree by key, as adopted: what PlanRevision keeps."""
    goals = list(plan.goals.select_related("level").order_by("level__order", "sort_order", "pk"))
    measures = Measure.objects.filter(goal__plan=plan).order_by("goal_id", "sort_order", "pk")
    return {
        "goals": [
            {
                "key": str(g.key),
                "level": g.level.name,
                "parent": str(next((p.key for p in goals if p.pk == g.parent_id), "")),
                "title": g.title,
                "description": g.description,
            }
            for g in goals
        ],
        "measures": [
            {"key": str(m.key), "goal": str(m.goal.key), "title": m.title}
            for m in measures.select_related("goal")
        ],
        "activities": [
            {
                "key": str(a.key),
                "goal": str(a.goal.key) if a.goal else "",
                "title": a.title,
                "description": a.description,
            }
            for a in plan.activities.select_related("goal").order_by("goal_id", "sort_order", "pk")
        ],
        "assignments": [{"key": str(a.key), "text": a.text} for a in plan.assignments.all()],
    }


def _clean_decision(decided_on, paragraph) -> str:
    problems = {}
    if decided_on is None:
        problems["decided_on"] = "Ange dagen då nämnden fattade beslutet."
    paragraph = " ".join(str(paragraph or "").split())
    if not paragraph:
        problems["paragraph"] = "Ange beslutets paragraf i protokollet, till exempel § 64."
    elif len(paragraph) > 40:
        problems["paragraph"] = "Paragrafen får vara högst 40 tecken."
    if problems:
        raise ValidationError(problems)
    return paragraph


@transaction.atomic
def plan_adopt(*, plan: PlanYear, decided_on, paragraph: str, by) -> PlanYear:
    """Fastställ the year's goal tree with the nämnd's decision (date and §): the tree is then
    locked. Refused when it is fastställd already or has no nämndmål."""
    _require(permissions.can_adopt_plan_year(by))
    paragraph = _clean_decision(decided_on, paragraph)
    plan = PlanYear.objects.select_for_update().get(pk=plan.pk)
    if plan.is_adopted:
        raise StateError(f"Målträdet {plan.year} är redan fastställt ({plan.adoption_text}).")
    if not plan.goals.exists():
        raise StateError(f"Målträdet {plan.year} har inga mål att fastställa.")
    plan.state = PlanState.ADOPTED
    plan.adopted_on = decided_on
    plan.adopted_paragraph = paragraph
    plan.adopted_by = by
    plan.save(update_fields=["state", "adopted_on", "adopted_paragraph", "adopted_by"])
    audit.record(
        "goal_plan.adopted",
        by=by,
        target=plan,
        changes={
            "status": (PlanState.DRAFT.label, PlanState.ADOPTED.label),
            "beslut": (None, f"{decided_on.isoformat()} {paragraph}"),
        },
    )
    return plan


@transaction.atomic
def plan_new_revision(*, plan: PlanYear, reason: str, by) -> PlanYear:
    """Changing a fastställd tree: the adopted texts are kept as a PlanRevision and the tree
    becomes a draft of the next revision, to be fastställd again. Assessments and figures of
    the follow-up are not touched."""
    _require(permissions.can_adopt_plan_year(by))
    plan = PlanYear.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_adopted:
        raise StateError("Bara ett fastställt målträd kan få en ny revision.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Ange varför målträdet ändras."})
    PlanRevision.objects.create(
        plan=plan,
        revision=plan.revision,
        adopted_on=plan.adopted_on,
        adopted_paragraph=plan.adopted_paragraph,
        snapshot=_revision_snapshot(plan),
        superseded_by=by,
        reason=reason,
    )
    old_revision = plan.revision
    plan.state = PlanState.DRAFT
    plan.revision += 1
    plan.revision_reason = reason
    plan.adopted_on = None
    plan.adopted_paragraph = ""
    plan.adopted_by = None
    plan.save(
        update_fields=[
            "state",
            "revision",
            "revision_reason",
            "adopted_on",
            "adopted_paragraph",
            "adopted_by",
        ]
    )
    audit.record(
        "goal_plan.revised",
        by=by,
        target=plan,
        changes={"revision": (old_revision, plan.revision)},
        reason=reason,
    )
    return plan


# --- Goals ------------------------------------------------------------------------------------


def _goal_errors(plan: PlanYear, data: dict, goal: Goal | None) -> dict:
    errors: dict[str, str] = {}
    level: Level | None = data.get("level")
    parent: Goal | None = data.get("parent")
    if level is None or level.committee_id != plan.committee_id:
        errors["level"] = "Välj en nivå."
        return errors
    if not (data.get("title") or "").strip():
        errors["title"] = "Skriv måltexten."
    if parent is not None:
        if parent.plan_id != plan.pk:
            errors["parent"] = "Målet kan bara höra till ett mål i samma års målträd."
        elif goal is not None and parent.pk == goal.pk:
            errors["parent"] = "Ett mål kan inte höra till sig självt."
        elif parent.level.order != level.order - 1:
            errors["parent"] = (
                f"Ett {level.name.lower()} hör till ett mål på nivån närmast ovanför, "
                f"inte till ett {parent.level.name.lower()}."
            )
    if data.get("agenda2030") and not level.takes_agenda2030:
        errors["agenda2030"] = f"Nivån {level.name} kopplas inte till Agenda 2030."
    if goal is not None and goal.level_id != level.pk:
        if goal.children.exists():
            errors["level"] = "Målet har mål under sig; flytta dem innan nivån ändras."
        elif not level.takes_measures and goal.measures.exists():
            errors["level"] = f"Nivån {level.name} har inga mått, men målet har mått."
        elif not level.takes_activities and goal.activities.exists():
            errors["level"] = f"Nivån {level.name} har inga aktiviteter, men målet har det."
        elif not level.takes_assessments and goal.assessments.exists():
            errors["level"] = f"Nivån {level.name} bedöms inte, men målet har bedömningar."
    return errors


@transaction.atomic
def goal_save(
    *, plan: PlanYear, data: dict, by, goal: Goal | None = None, version: int | None = None
) -> Goal:
    """Add a goal to a year's tree or change one. `data`: level, parent, title, description,
    agenda2030 (iterable), responsible_unit, sort_order."""
    _require(permissions.can_edit_goal_tree(by))
    _require_draft(plan)
    if goal is not None:
        goal = Goal.objects.select_for_update().get(pk=goal.pk)
        _check_version(goal, version)
    problems = _goal_errors(plan, data, goal)
    if problems:
        raise ValidationError(problems)
    sdgs = sorted(data.get("agenda2030") or [], key=lambda sdg: sdg.number)
    if goal is None:
        old = {}
        goal = Goal(plan=plan, created_by=by)
        old_sdgs: list = []
    else:
        old = _snapshot(goal, GOAL_FIELDS)
        old_sdgs = [str(sdg) for sdg in goal.agenda2030.all()]
        goal.version += 1
    for name in GOAL_FIELDS:
        value = data.get(name)
        if name in ("title", "description"):
            value = (value or "").strip()
        if name == "sort_order":
            value = value or 0
        setattr(goal, name, value)
    goal.updated_by = by
    created = goal.pk is None
    goal.save()
    goal.agenda2030.set(sdgs)
    changes = audit.diff(old, _snapshot(goal, GOAL_FIELDS))
    if old_sdgs != [str(sdg) for sdg in sdgs]:
        changes["agenda2030"] = (old_sdgs, [str(sdg) for sdg in sdgs])
    audit.record("goal.created" if created else "goal.changed", by=by, target=goal, changes=changes)
    return goal


def goal_references(goal: Goal) -> dict[str, int]:
    """What refers to a goal: mått, aktiviteter, bedömningar, mål under det."""
    return {
        "mått": goal.measures.count(),
        "aktiviteter": goal.activities.count(),
        "bedömningar": goal.assessments.count(),
        "mål under det": goal.children.count(),
    }


def _count_phrase(references: dict[str, int]) -> str:
    singular = {
        "mått": "mått",
        "aktiviteter": "aktivitet",
        "bedömningar": "bedömning",
        "mål under det": "mål under det",
    }
    parts = [
        f"{count} {name if count != 1 else singular[name]}"
        for name, count in references.items()
        if count
    ]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " och " + parts[-1]


@transaction.atomic
def goal_delete(*, goal: Goal, by) -> None:
    """Delete a goal nothing refers to; otherwise refuse with what refers to it."""
    _require(permissions.can_edit_goal_tree(by))
    _require_draft(goal.plan, for_form=False)
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    references = goal_references(goal)
    if any(references.values()):
        raise GoalInUse(
            f"Målet kan inte tas bort: {_count_phrase(references)} hänvisar till det. "
            "Ta bort eller flytta dem först."
        )
    audit.record("goal.deleted", by=by, target=goal, changes={"måltext": (goal.title, None)})
    goal.agenda2030.clear()
    goal.delete()


# --- Mått -------------------------------------------------------------------------------------


def _measure_errors(goal: Goal, data: dict) -> dict:
    errors: dict[str, str] = {}
    if not goal.level.takes_measures:
        errors["title"] = f"Nivån {goal.level.name} har inga mått."
    if not (data.get("title") or "").strip():
        errors["title"] = "Skriv måttet."
    decimals = data.get("decimals") or 0
    if not 0 <= decimals <= 4:
        errors["decimals"] = "Ange 0–4 decimaler."
    if data.get("source") == MeasureSource.SERIES:
        code = (data.get("series_code") or "").strip()
        if not code:
            errors["series_code"] = "Välj det verksamhetsmått som siffran räknas fram ur."
        else:
            try:
                known = figures.series_titles()
            except figures.NoSeriesProvider as error:
                errors["series_code"] = str(error)
            else:
                if known and code not in known:
                    errors["series_code"] = f"Det finns inget verksamhetsmått med koden {code}."
        if data.get("aggregation") not in AggregationChoice.values:
            errors["aggregation"] = "Välj hur månadsvärdena räknas samman över perioden."
    elif data.get("source") != MeasureSource.MANUAL:
        errors["source"] = "Välj varifrån siffran kommer."
    return errors


@transaction.atomic
def measure_save(
    *, goal: Goal, data: dict, by, measure: Measure | None = None, version: int | None = None
) -> Measure:
    _require(permissions.can_edit_goal_tree(by))
    _require_draft(goal.plan)
    if measure is not None:
        measure = Measure.objects.select_for_update().get(pk=measure.pk)
        _check_version(measure, version)
    problems = _measure_errors(goal, data)
    if problems:
        raise ValidationError(problems)
    values = {name: data.get(name) for name in MEASURE_FIELDS}
    values["title"] = values["title"].strip()
    values["unit"] = (values["unit"] or "").strip()
    values["decimals"] = values["decimals"] or 0
    values["direction"] = values["direction"] or ""
    values["sort_order"] = values["sort_order"] or 0
    if values["source"] == MeasureSource.MANUAL:
        values["series_code"] = ""
        values["aggregation"] = ""
    else:
        values["series_code"] = values["series_code"].strip()
    if measure is None:
        old = {}
        measure = Measure(goal=goal, created_by=by)
    else:
        old = _snapshot(measure, MEASURE_FIELDS)
        measure.version += 1
    for name, value in values.items():
        setattr(measure, name, value)
    measure.updated_by = by
    created = measure.pk is None
    measure.save()
    audit.record(
        "measure.created" if created else "measure.changed",
        by=by,
        target=measure,
        changes=audit.diff(old, _snapshot(measure, MEASURE_FIELDS)),
    )
    return measure


@transaction.atomic
def measure_delete(*, measure: Measure, by) -> None:
    """Delete a mått that has no entered figures."""
    _require(permissions.can_edit_goal_tree(by))
    _require_draft(measure.goal.plan, for_form=False)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    entered = measure.values.exclude(value=None, comparison_value=None).count()
    if entered:
        raise GoalInUse(
            f"Måttet kan inte tas bort: det har siffror för {entered} "
            f"{'period' if entered == 1 else 'perioder'}."
        )
    audit.record("measure.deleted", by=by, target=measure, changes={"mått": (measure.title, None)})
    measure.values.all().delete()
    measure.delete()


def can_enter_measure_values(user, goal: Goal, period: str) -> bool:
    """The writer of the goal's assessment for the period, or förvaltningsledning."""
    if permissions.can_assign_goal_assessments(user):
        return True
    assessment = GoalAssessment.objects.filter(goal=goal, period=period).first()
    return permissions.can_assess_goal(user, assessment)


@transaction.atomic
def measure_value_save(
    *,
    measure: Measure,
    period: str,
    value: Decimal | None,
    comparison_value: Decimal | None,
    by,
    version: int | None = None,
) -> MeasureValue:
    """Store the hand-entered figure of a mått for a period (and the same period last year).
    A computed mått takes no hand-entered figures."""
    if period not in Period.values:
        raise ValidationError({"period": "Okänd period."})
    _require(can_enter_measure_values(by, measure.goal, period))
    if measure.is_computed:
        raise StateError("Måttet räknas fram ur verksamhetsmåtten; siffran anges inte för hand.")
    Measure.objects.select_for_update().get(pk=measure.pk)  # first saves queue up
    row = MeasureValue.objects.filter(measure=measure, period=period).first()
    if row is None:
        if version:
            raise StaleEditError(None)
        row = MeasureValue(measure=measure, period=period, version=0)
        old = {}
    else:
        _check_version(row, version)
        old = {"value": _plain(row.value), "comparison_value": _plain(row.comparison_value)}
    row.value = value
    row.comparison_value = comparison_value
    row.version += 1
    row.updated_by = by
    row.save()
    audit.record(
        "measure_value.saved",
        by=by,
        target=row,
        changes=audit.diff(
            old, {"value": _plain(row.value), "comparison_value": _plain(row.comparison_value)}
        ),
    )
    return row


# --- Aktiviteter ------------------------------------------------------------------------------


@transaction.atomic
def activity_save(
    *,
    plan: PlanYear,
    data: dict,
    by,
    activity: Activity | None = None,
    version: int | None = None,
) -> Activity:
    """Add or change an aktivitet; `data["goal"]` None puts it under löpande verksamhet."""
    _require(permissions.can_edit_goal_tree(by))
    _require_draft(plan)
    if activity is not None:
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        _check_version(activity, version)
    errors = {}
    goal = data.get("goal")
    if goal is not None:
        if goal.plan_id != plan.pk:
            errors["goal"] = "Aktiviteten kan bara höra till ett mål i samma års målträd."
        elif not goal.level.takes_activities:
            errors["goal"] = f"Nivån {goal.level.name} har inga aktiviteter."
    if not (data.get("title") or "").strip():
        errors["title"] = "Skriv aktiviteten."
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if starts and ends and ends < starts:
        errors["ends_on"] = "Slutdatum kan inte ligga före startdatum."
    if errors:
        raise ValidationError(errors)
    if activity is None:
        old = {}
        activity = Activity(plan=plan, created_by=by)
    else:
        old = _snapshot(activity, ACTIVITY_FIELDS)
        activity.version += 1
    for name in ACTIVITY_FIELDS:
        value = data.get(name)
        if name in ("title", "description"):
            value = (value or "").strip()
        elif name == "status":
            value = value or ""
        elif name == "sort_order":
            value = value or 0
        setattr(activity, name, value)
    activity.updated_by = by
    created = activity.pk is None
    activity.save()
    audit.record(
        "activity.created" if created else "activity.changed",
        by=by,
        target=activity,
        changes=audit.diff(old, _snapshot(activity, ACTIVITY_FIELDS)),
    )
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, by) -> None:
    _require(permissions.can_edit_goal_tree(by))
    _require_draft(activity.plan, for_form=False)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    audit.record(
        "activity.deleted", by=by, target=activity, changes={"aktivitet": (activity.title, None)}
    )
    activity.delete()


# --- Uppdrag ----------------------------------------------------------------------------------


@transaction.atomic
def assignment_save(
    *,
    plan: PlanYear,
    data: dict,
    by,
    assignment: Assignment | None = None,
    version: int | None = None,
) -> Assignment:
    """Add or change an uppdrag. `data`: text, decided_by, lead_committee,
    participating_committees (iterable), sort_order."""
    _require(permissions.can_edit_goal_tree(by))
    _require_draft(plan)
    if assignment is not None:
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        _check_version(assignment, version)
    errors = {}
    if not (data.get("text") or "").strip():
        errors["text"] = "Skriv uppdraget."
    lead = data.get("lead_committee")
    if lead is None:
        errors["lead_committee"] = "Välj den nämnd som leder uppdraget."
    participating = [c for c in data.get("participating_committees") or [] if c != lead]
    if errors:
        raise ValidationError(errors)
    if assignment is None:
        old, old_participants = {}, []
        assignment = Assignment(plan=plan, created_by=by)
    else:
        old = _snapshot(assignment, ASSIGNMENT_FIELDS)
        old_participants = sorted(str(c) for c in assignment.participating_committees.all())
        assignment.version += 1
    assignment.text = data["text"].strip()
    assignment.decided_by = (data.get("decided_by") or "").strip() or "Kommunfullmäktige"
    assignment.lead_committee = lead
    assignment.sort_order = data.get("sort_order") or 0
    assignment.updated_by = by
    created = assignment.pk is None
    assignment.save()
    assignment.participating_committees.set(participating)
    changes = audit.diff(old, _snapshot(assignment, ASSIGNMENT_FIELDS))
    new_participants = sorted(str(c) for c in participating)
    if new_participants != old_participants:
        changes["deltagande nämnder"] = (old_participants, new_participants)
    audit.record(
        "assignment.created" if created else "assignment.changed",
        by=by,
        target=assignment,
        changes=changes,
    )
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: Assignment, by) -> None:
    _require(permissions.can_edit_goal_tree(by))
    _require_draft(assignment.plan, for_form=False)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.assessments.exists():
        raise GoalInUse("Uppdraget kan inte tas bort: det har bedömningar.")
    audit.record(
        "assignment.deleted", by=by, target=assignment, changes={"uppdrag": (assignment.text, None)}
    )
    assignment.participating_committees.clear()
    assignment.delete()


# --- Assessments ------------------------------------------------------------------------------


def _check_period(period: str) -> None:
    if period not in Period.values:
        raise ValidationError({"period": "Okänd period."})


def _check_writer(writer) -> None:
    if writer is not None and not permissions.is_staff_member(writer):
        raise ValidationError({"writer": "Skribenten måste vara en aktiv medarbetare."})


@transaction.atomic
def assessment_assign(*, goal: Goal, period: str, writer, by) -> GoalAssessment:
    """Give a goal's assessment for a period to a writer (creating it as a draft)."""
    _require(permissions.can_assign_goal_assessments(by))
    _check_period(period)
    _check_writer(writer)
    if not goal.level.takes_assessments:
        raise StateError(f"Nivån {goal.level.name} bedöms inte.")
    Goal.objects.select_for_update().get(pk=goal.pk)
    assessment = GoalAssessment.objects.filter(goal=goal, period=period).first()
    if assessment is None:
        assessment = GoalAssessment.objects.create(
            goal=goal, period=period, writer=writer, created_by=by, updated_by=by
        )
        old = None
    else:
        old = str(assessment.writer) if assessment.writer else None
        assessment.writer = writer
        assessment.version += 1
        assessment.updated_by = by
        assessment.save()
    audit.record(
        "goal_assessment.assigned",
        by=by,
        target=assessment,
        changes={"skribent": (old, str(writer) if writer else None)},
    )
    return assessment


def _assessment_errors(data: dict, scale_id: int | None, noun: str) -> dict:
    errors = {}
    step = data.get("step")
    if step is not None and step.scale_id != scale_id:
        errors["step"] = f"Välj en {noun} på skalan."
    if data.get("state") not in AssessmentState.values:
        errors["state"] = "Välj utkast eller klar."
    elif data.get("state") == AssessmentState.DONE and step is None:
        errors["step"] = f"En klar bedömning måste ha en {noun}."
    return errors


@transaction.atomic
def assessment_save(*, goal: Goal, period: str, data: dict, by, version: int) -> GoalAssessment:
    """Save a goal's assessment for a period: the writer it is assigned to, or
    förvaltningsledning (who may also start one). `version` is the one the form was opened
    with (0 for a new assessment); a newer stored version raises StaleEditError."""
    _check_period(period)
    if not goal.level.takes_assessments:
        raise StateError(f"Nivån {goal.level.name} bedöms inte.")
    Goal.objects.select_for_update().get(pk=goal.pk)  # first saves queue up
    assessment = GoalAssessment.objects.select_for_update().filter(goal=goal, period=period).first()
    _require(permissions.can_assess_goal(by, assessment))
    if assessment is None:
        if version:
            raise StaleEditError(None)
        assessment = GoalAssessment(goal=goal, period=period, created_by=by, version=0)
        old = {}
    else:
        _check_version(assessment, version)
        old = _snapshot(assessment, ASSESSMENT_FIELDS)
    errors = _assessment_errors(data, goal.level.scale_id, "nivå")
    if errors:
        raise ValidationError(errors)
    assessment.step = data.get("step")
    for name in ("method", "commentary", "key_activities"):
        setattr(assessment, name, (data.get(name) or "").strip())
    assessment.state = data["state"]
    assessment.version += 1
    assessment.updated_by = by
    assessment.save()
    audit.record(
        "goal_assessment.saved",
        by=by,
        target=assessment,
        changes=audit.diff(old, _snapshot(assessment, ASSESSMENT_FIELDS)),
    )
    return assessment


@transaction.atomic
def assignment_assessment_assign(
    *, assignment: Assignment, period: str, writer, by
) -> AssignmentAssessment:
    _require(permissions.can_assign_goal_assessments(by))
    _check_period(period)
    _check_writer(writer)
    Assignment.objects.select_for_update().get(pk=assignment.pk)
    assessment = AssignmentAssessment.objects.filter(assignment=assignment, period=period).first()
    if assessment is None:
        assessment = AssignmentAssessment.objects.create(
            assignment=assignment, period=period, writer=writer, created_by=by, updated_by=by
        )
        old = None
    else:
        old = str(assessment.writer) if assessment.writer else None
        assessment.writer = writer
        assessment.version += 1
        assessment.updated_by = by
        assessment.save()
    audit.record(
        "assignment_assessment.assigned",
        by=by,
        target=assessment,
        changes={"skribent": (old, str(writer) if writer else None)},
    )
    return assessment


@transaction.atomic
def assignment_assessment_save(
    *, assignment: Assignment, period: str, data: dict, by, version: int
) -> AssignmentAssessment:
    """Save an uppdrag's status for a period (same rules as a goal's assessment)."""
    _check_period(period)
    scale = settings_for(assignment.plan.committee).assignment_scale
    Assignment.objects.select_for_update().get(pk=assignment.pk)
    assessment = (
        AssignmentAssessment.objects.select_for_update()
        .filter(assignment=assignment, period=period)
        .first()
    )
    _require(permissions.can_assess_goal(by, assessment))
    if assessment is None:
        if version:
            raise StaleEditError(None)
        assessment = AssignmentAssessment(
            assignment=assignment, period=period, created_by=by, version=0
        )
        old = {}
    else:
        _check_version(assessment, version)
        old = _snapshot(assessment, ASSIGNMENT_ASSESSMENT_FIELDS)
    errors = _assessment_errors(data, scale.pk if scale else None, "status")
    if errors:
        raise ValidationError(errors)
    assessment.step = data.get("step")
    assessment.commentary = (data.get("commentary") or "").strip()
    assessment.state = data["state"]
    assessment.version += 1
    assessment.updated_by = by
    assessment.save()
    audit.record(
        "assignment_assessment.saved",
        by=by,
        target=assessment,
        changes=audit.diff(old, _snapshot(assessment, ASSIGNMENT_ASSESSMENT_FIELDS)),
    )
    return assessment
