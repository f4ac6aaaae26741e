"""Small registers the verksamhetsplan prints: taxor och avgifter, kvalitetsdeklarationer."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from economy.models.common import Editable
from solna_sn.models import Committee


class DecisionBody(models.TextChoices):
    KF = "KF", "Kommunfullmäktige (KF)"
    KS = "KS", "Kommunstyrelsen (KS)"
    SN = "SN", "Socialnämnden (SN)"


class RegisterStatus(models.TextChoices):
    UNCHANGED = "oforandrad", "Oförändrad"
    NEW = "ny", "Ny"
    CHANGED = "andrad", "Ändrad"
    REVISED = "reviderad", "Reviderad"
    REPEALED = "upphor", "Upphör"


class Tariff(Editable):
    """Nämndens taxor och avgifter, as the VP of `plan_year` prints them. No amounts: the
    tariff itself is in the KF decision."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="+", verbose_name="nämnd"
    )
    plan_year = models.PositiveSmallIntegerField("verksamhetsplan för år")
    name = models.CharField("taxa eller avgift", max_length=300)
    decided_by = models.CharField("beslutad av", max_length=4, choices=DecisionBody.choices)
    decided_on = models.DateField("beslutsdatum")
    status = models.CharField("status", max_length=20, choices=RegisterStatus.choices)
    new_decision_on = models.DateField("datum för nytt beslut", null=True, blank=True)
    valid_from = models.DateField("gäller från och med")
    sort_order = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "taxa eller avgift"
        verbose_name_plural = "taxor och avgifter"
        ordering = ["plan_year", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "plan_year", "name"], name="tariff_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__in=DecisionBody.values), name="tariff_body_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegisterStatus.values), name="tariff_status_known"
            ),
        ]

    def __str__(self):
        return self.name


class QualityDeclaration(Editable):
    """Stadens kvalitetsdeklarationer for the nämnd, as the VP of `plan_year` prints them."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="+", verbose_name="nämnd"
    )
    plan_year = models.PositiveSmallIntegerField("verksamhetsplan för år")
    name = models.CharField("kvalitetsdeklaration", max_length=300)
    decided_on = models.DateField("beslutsdatum")
    status = models.CharField("status", max_length=20, choices=RegisterStatus.choices)
    sort_order = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "kvalitetsdeklaration"
        verbose_name_plural = "kvalitetsdeklarationer"
        ordering = ["plan_year", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "plan_year", "name"], name="qualitydeclaration_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegisterStatus.values),
                name="qualitydeclaration_status_known",
            ),
        ]

    def __str__(self):
        return self.name
