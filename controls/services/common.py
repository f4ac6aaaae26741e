"""What the internkontroll services share: default scales, errors, the role check, settings."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from controls.models import (
    ControlSettings,
    DeviationLevel,
)
from solna_sn.models import Committee

DEFAULT_LEVELS = [
    # rank, label, symbol, colour, active
    (0, "Ingen eller försumbar avvikelse", "●", "#1a7f37", True),
    (1, "Lindrig avvikelse", "◆", "#9a6700", True),
    (2, "Kännbar avvikelse", "▲", "#bc4c00", True),
    (3, "Allvarlig avvikelse", "■", "#cf222e", False),
]

RISK_FIELDS = [
    "process_name",
    "title",
    "category",
    "likelihood",
    "consequence",
    "risk_index",
    "control_activity",
    "method",
    "sample_size",
    "how_when",
    "control_months",
    "responsible_unit",
    "responsible_role",
]


class StateError(Exception):
    """The object is not in a state that allows this; str() is shown to the user."""


class StaleEditError(Exception):
    """Someone else saved since the form was opened."""


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Configuration ----------------------------------------------------------------------------


def settings_for(committee: Committee) -> ControlSettings:
    """The nämnd's configuration, created with Solna's defaults (1–5, four levels, the fourth
    not in use) the first time it is needed."""
    config, created = ControlSettings.objects.get_or_create(committee=committee)
    if created or not DeviationLevel.objects.filter(committee=committee).exists():
        for rank, label, symbol, colour, active in DEFAULT_LEVELS:
            DeviationLevel.objects.get_or_create(
                committee=committee,
                rank=rank,
                defaults={"label": label, "symbol": symbol, "colour": colour, "active": active},
            )
    return config


def active_levels(committee: Committee) -> list[DeviationLevel]:
    settings_for(committee)
    return list(DeviationLevel.objects.filter(committee=committee, active=True).order_by("rank"))
