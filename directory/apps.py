from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from directory.accounts import log_lockout

        user_locked_out.connect(log_lockout, dispatch_uid="clustermatch-lockout-log")

        from directory import saved_searches

        saved_searches.register()

        from directory import join_notices, notices

        notices.register_kinds()
        join_notices.register_kinds()

        from django.db.models.signals import post_migrate

        post_migrate.connect(
            _restore_revision_triggers, sender=self, dispatch_uid="directory-revision-triggers"
        )


def _restore_revision_triggers(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from directory.revision_triggers import sqlite_triggers_restore

    sqlite_triggers_restore(connection=connections[using])
