"""Every write to avtal, upphandlingar, tidsplaner and avtalsuppföljningar goes through here:
atomic, permission-checked, audited. One module per area; every name is importable from
`contracts.services` so callers do not need to know which.

Errors: `ValidationError` with Swedish messages keyed by field for bad input (nothing is saved);
`PermissionDenied` for the wrong role or another enhet's contract.
"""

from contracts.services.checklists import (
    activity_add,
    activity_remove,
    activity_update,
    deficiency_add,
    deficiency_remove,
)
from contracts.services.common import (
    PLACE_MAX,
    SUPPLIER_NAME_MAX,
    default_committee,
)
from contracts.services.followups import (
    ATTACH_TASK,
    TEXT_FIELDS,
    followup_approve,
    followup_may_approve,
    followup_memo_create,
    followup_pdf_attach,
    followup_problems,
    followup_save,
    followup_start,
    followups_with_content,
)
from contracts.services.plans import (
    plan_approve,
    plan_followup_add,
    plan_followup_remove,
    plan_followup_update,
    plan_generate,
    plan_problems,
)
from contracts.services.procurements import (
    PROCUREMENT_FIELDS,
    procurement_create,
    procurement_update,
)
from contracts.services.register import (
    CONTRACT_FIELDS,
    SupplierInput,
    contract_create,
    contract_extension_add,
    contract_extension_remove,
    contract_update,
)

__all__ = [
    "ATTACH_TASK",
    "CONTRACT_FIELDS",
    "PLACE_MAX",
    "PROCUREMENT_FIELDS",
    "SUPPLIER_NAME_MAX",
    "TEXT_FIELDS",
    "SupplierInput",
    "activity_add",
    "activity_remove",
    "activity_update",
    "contract_create",
    "contract_extension_add",
    "contract_extension_remove",
    "contract_update",
    "default_committee",
    "deficiency_add",
    "deficiency_remove",
    "followup_approve",
    "followup_may_approve",
    "followup_memo_create",
    "followup_pdf_attach",
    "followup_problems",
    "followup_save",
    "followup_start",
    "followups_with_content",
    "plan_approve",
    "plan_followup_add",
    "plan_followup_remove",
    "plan_followup_update",
    "plan_generate",
    "plan_problems",
    "procurement_create",
    "procurement_update",
]
