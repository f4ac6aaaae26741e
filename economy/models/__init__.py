"""Ekonomi: table definitions as data, budget versions, utfall and prognos per period, personnel
key figures, taxor och avgifter and kvalitetsdeklarationer.

Figures are stored as given (Decimal, in the table's unit, mkr), never rounded and never
corrected: sums and derived columns are computed where no figure is given (economy.tables).
Budget figures belong to a budget version, not to a sheet, because the same year's budget is
printed with different gross figures in different documents (ursprunglig in the VP, justerad
in the delårsrapport); a sheet names the version it prints.
"""

from economy.models.common import (
    AMOUNT_DIGITS,
    AMOUNT_PLACES,
    PERIODS_FOR_DOCUMENT,
    Derived,
    Document,
    Editable,
    Figure,
    Period,
    RowKind,
    Sign,
    amount_field,
    period_label,
)
from economy.models.definitions import (
    RowSet,
    TableColumn,
    TableDefinition,
    TableRow,
)
from economy.models.imports import (
    AccountMapping,
    EconomyImport,
    MappingRule,
)
from economy.models.personnel import (
    Footnote,
    PersonnelFigure,
    PersonnelSheet,
    PersonnelValue,
)
from economy.models.registers import (
    DecisionBody,
    QualityDeclaration,
    RegisterStatus,
    Tariff,
)
from economy.models.sheets import (
    BudgetValue,
    BudgetVersion,
    BudgetVersionKind,
    RowCommentary,
    Sheet,
    SheetStatus,
    SheetValue,
)

__all__ = [
    "AMOUNT_DIGITS",
    "AMOUNT_PLACES",
    "PERIODS_FOR_DOCUMENT",
    "AccountMapping",
    "BudgetValue",
    "BudgetVersion",
    "BudgetVersionKind",
    "DecisionBody",
    "Derived",
    "Document",
    "EconomyImport",
    "Editable",
    "Figure",
    "Footnote",
    "MappingRule",
    "Period",
    "PersonnelFigure",
    "PersonnelSheet",
    "PersonnelValue",
    "QualityDeclaration",
    "RegisterStatus",
    "RowCommentary",
    "RowKind",
    "RowSet",
    "Sheet",
    "SheetStatus",
    "SheetValue",
    "Sign",
    "TableColumn",
    "TableDefinition",
    "TableRow",
    "Tariff",
    "amount_field",
    "period_label",
]
