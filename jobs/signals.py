from django.dispatch import Signal

# Sent with `job` once a job has failed for good (its attempts used up, or bad input), and
# `bad_input`: True when it failed on a JobError (the input, not the site, is to blame).
job_failed = Signal()
