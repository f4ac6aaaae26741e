from celery import shared_task

from solna_sn import services


@shared_task(name=services.WORKER_CHECK_TASK, bind=True)
def worker_check_answer(self, *, check_id: int) -> None:
    services.worker_check_answer_record(check_id=check_id, hostname=self.request.hostname or "")
