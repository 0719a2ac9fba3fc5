"""Settings of the worker processes that tests/jobs starts: the site's own, plus the job kinds
of the tests (tests/jobs/kinds.py) and short retry delays. Selected by those tests alone, with
DJANGO_SETTINGS_MODULE; the database and Redis come from DATABASE_URL and REDIS_URL as usual."""

from config.env import env_int
from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.jobs.apps.TestJobKindsConfig"]
JOBS_RETRY_DELAYS = [2]  # seconds: a retry is still delayed (RQ's scheduler moves it), briefly
# No periodic work unless a test asks for it: each test's database is its own little world.
JOBS_PERIODIC_SECONDS = env_int("JOBS_PERIODIC_SECONDS", 0)
