"""Every write to ärenden, tjänsteskrivelser, sammanträden and rendered PDFs goes through
here: atomic, checked, audited. Views and tasks stay thin. One module per area; every name is
importable from `casework.services`.

Errors: `ValidationError` with Swedish messages keyed by field for bad input;
`StaleEditError` when someone else saved first; `PermissionDenied` for the wrong role;
`StateError` for a step the document's state does not allow.
"""

from django.core.exceptions import ValidationError

from casework.services.attachments import (
    linkable_memos,
    may_enclose,
    memo_attachment_link,
    memo_attachment_move,
    memo_attachment_remove,
    memo_attachment_upload,
)
from casework.services.cases import (
    case_correct,
    case_edit_refusal,
    case_locked_reason,
    case_register,
)
from casework.services.meetings import (
    LABEL_HELP,
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    decision_record,
    decision_report_back,
    meeting_create,
    meeting_problems,
    meeting_send,
)
from casework.services.memos import (
    MEMO_TEXT_FIELDS,
    default_signatories,
    memo_approve,
    memo_create,
    memo_may_approve,
    memo_new_revision,
    memo_problems,
    memo_read_only_reason,
    memo_return,
    memo_save,
    memo_section_add,
    memo_section_remove,
    memo_send,
    memo_signatory_add,
    memo_signatory_move,
    memo_signatory_remove,
    memo_submit,
)
from casework.services.rendering import (
    render_request,
)
from solna_sn.errors import StaleEditError, StateError

__all__ = [
    "LABEL_HELP",
    "MEMO_TEXT_FIELDS",
    "StaleEditError",
    "StateError",
    "ValidationError",
    "agenda_item_add",
    "agenda_item_move",
    "agenda_item_remove",
    "case_correct",
    "case_edit_refusal",
    "case_locked_reason",
    "case_register",
    "decision_record",
    "decision_report_back",
    "default_signatories",
    "linkable_memos",
    "may_enclose",
    "meeting_create",
    "meeting_problems",
    "meeting_send",
    "memo_approve",
    "memo_attachment_link",
    "memo_attachment_move",
    "memo_attachment_remove",
    "memo_attachment_upload",
    "memo_create",
    "memo_may_approve",
    "memo_new_revision",
    "memo_problems",
    "memo_read_only_reason",
    "memo_return",
    "memo_save",
    "memo_section_add",
    "memo_section_remove",
    "memo_send",
    "memo_signatory_add",
    "memo_signatory_move",
    "memo_signatory_remove",
    "memo_submit",
    "render_request",
]
