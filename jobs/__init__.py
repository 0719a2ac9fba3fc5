"""Background jobs: long work off the web request, retried, visible when it fails.

Built on Django's Tasks interface (the django-tasks backport): the database backend by
default, RQ on Redis when REDIS_URL is set. A `Job` row is what people see (status, progress,
result, error); the task backend only carries the job's id to a worker. Nothing here imports
another app of the project: higher apps register their kinds of job (`registry.register`).
"""
