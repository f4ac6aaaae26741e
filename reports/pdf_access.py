"""Who besides staff reads the PDFs of reports (registered with `printing.access`): a
nämndledamot reads only what was rendered from the sent, frozen report (`sent_version`, fixed
when the document was requested), never a draft render."""

from django.db.models import Q

from printing import access
from reports.services import RENDER_KIND
from solna_sn import permissions


def report_readers(user) -> Q | None:
    if not permissions.can_read_committee_papers(user):
        return None
    return Q(sent_version=True, kind=RENDER_KIND)


access.register_reader("reports.report", report_readers)
