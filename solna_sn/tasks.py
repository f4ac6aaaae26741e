from celery import shared_task

from solna_sn import notifications, services


@shared_task(name=services.WORKER_CHECK_TASK, bind=True)
def worker_check_answer(self, *, check_id: int) -> None:
    services.worker_check_answer_record(check_id=check_id, hostname=self.request.hostname or "")


@shared_task(name=notifications.NOTIFY_TASK)
def send_notifications(**payload) -> None:
    """E-mail one notification to its recipients (see solna_sn.notifications)."""
    notifications.deliver(**payload)
