from django.dispatch import Signal

# Sent with `job` once a job has failed for good (its attempts used up, or bad input).
job_failed = Signal()
