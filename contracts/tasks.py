"""Worker jobs of avtalsuppföljning: thin wrappers that take ids."""

from celery import shared_task

from contracts import services
from contracts.models import ContractFollowUp
from solna_sn.models import User


@shared_task(name=services.ATTACH_TASK, acks_late=True)
def attach_followup_pdf(*, followup_id: int, by_id: int) -> None:
    services.followup_pdf_attach(
        followup=ContractFollowUp.objects.get(pk=followup_id), by=User.objects.get(pk=by_id)
    )
