from celery import shared_task

from solna_sn import services


@shared_task(name="solna_sn.worker_check_answer", bind=True)
def worker_check_answer(self, *, check_id: int) -> None:
    services.worker_check_answer_record(check_id=check_id, hostname=self.request.hostname or "")
