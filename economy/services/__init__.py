"""Every change to the economic tables, budget versions, personnel figures and registers:
atomic, checked, audited. Figures are stored as given; nothing here adjusts another figure to
make the arithmetic agree (DESIGN.md §4 rule 1).

Callers use `economy.services.<name>`; the modules below are split by area."""

from economy.services.budget import budget_version_create, budget_version_set_locked
from economy.services.common import (
    CellOutcome,
    EconomyError,
    StaleError,
    footnotes_fingerprint,
    parse_figure,
)
from economy.services.personnel import PERSONNEL_FIELDS, personnel_save, personnel_sheet_create
from economy.services.plan_year import (
    plan_budget_adopt,
    plan_version_problem,
    plan_year_copy,
)
from economy.services.registers import (
    REGISTER_FIELDS,
    register_copy_year,
    register_delete,
    register_save,
)
from economy.services.sheets import (
    cell_save,
    commentary_save,
    sheet_create,
    sheet_footnotes_save,
    sheet_lock,
    sheet_reopen,
    sheet_set_versions,
)

__all__ = [
    "PERSONNEL_FIELDS",
    "REGISTER_FIELDS",
    "CellOutcome",
    "EconomyError",
    "StaleError",
    "budget_version_create",
    "budget_version_set_locked",
    "cell_save",
    "commentary_save",
    "footnotes_fingerprint",
    "parse_figure",
    "personnel_save",
    "personnel_sheet_create",
    "plan_budget_adopt",
    "plan_version_problem",
    "plan_year_copy",
    "register_copy_year",
    "register_delete",
    "register_save",
    "sheet_create",
    "sheet_footnotes_save",
    "sheet_lock",
    "sheet_reopen",
    "sheet_set_versions",
]
