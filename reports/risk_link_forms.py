"""The form that links an internkontroll risk to a nämndmål."""

from __future__ import annotations

from django import forms

from solna_sn.forms import AccessibleForm


class RiskGoalLinkForm(AccessibleForm):
    """Risk and goal by id; the goal list offers the plan year's nämndmål, and the service
    refuses any other goal (another year's) with a message on the field."""

    risk = forms.IntegerField(
        label="Risk", widget=forms.Select, error_messages={"required": "Välj en risk."}
    )
    goal = forms.IntegerField(
        label="Nämndmål som risken hotar",
        widget=forms.Select,
        error_messages={"required": "Välj ett nämndmål."},
    )

    def __init__(self, *args, risks, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk"].widget.choices = [("", "Välj risk")] + [
            (risk.pk, f"Risk {risk.number}: {_short(risk.title)}") for risk in risks
        ]
        self.fields["goal"].widget.choices = [("", "Välj nämndmål")] + [
            (goal.pk, f"{label}: {_short(goal.title)}") for label, goal in goals
        ]


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
