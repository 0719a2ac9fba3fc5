"""The one task the backends carry: "run job N". Kept to a job id so that what a job does,
its attempts and its result live in our database whichever backend delivers it."""

from django_tasks import task

from jobs.runner import run_job


@task()
def execute_job(job_id: int) -> None:
    run_job(job_id=job_id)
