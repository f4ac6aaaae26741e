from celery import shared_task

from reports import services


@shared_task(name="reports.render_document")
def render_document(*, document_id: int) -> None:
    """Render one PDF. Acknowledged late: a worker that dies mid-job leaves the message on the
    broker and the job runs again (render_run is safe to repeat)."""
    services.render_run(document_id)
