import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

if os.environ.get("CLUSTERMATCH_WARM_INDEX") == "1":
    # Set by scripts/serve, which runs gunicorn with --preload: the workers are forked from
    # this process with the ranking index already in memory (matching.index).
    from matching.index import index_warm_before_fork

    index_warm_before_fork()
