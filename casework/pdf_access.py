"""Who besides staff reads the PDFs of casework (registered with `printing.access`).

A nämndledamot reads only what was rendered from sent papers (`sent_version`, fixed when the
document was requested: a draft render stays staff-only even after its memo or meeting is
sent): the public bundle and memo PDFs, never the PDF of a memo on a confidential item of any
meeting (see `Secrecy`; a memo PDF prints no enclosure and names no secret one), never the
internal bundle.
"""

from django.db.models import Q

from casework.models import RenderKind, Secrecy
from printing import access
from solna_sn import permissions


def memo_readers(user) -> Q | None:
    if not permissions.can_read_committee_papers(user):
        return None
    return Q(sent_version=True, kind=RenderKind.MEMO) & ~Q(
        subject_id__in=Secrecy.now().confidential_memo_ids
    )


def meeting_readers(user) -> Q | None:
    if not permissions.can_read_committee_papers(user):
        return None
    return Q(sent_version=True, kind=RenderKind.BUNDLE_PUBLIC)


access.register_reader("casework.memo", memo_readers)
access.register_reader("casework.meeting", meeting_readers)
