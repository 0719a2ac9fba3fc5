from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Directory"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from directory.accounts import log_lockout

        user_locked_out.connect(log_lockout, dispatch_uid="clustermatch-lockout-log")

        from directory import saved_searches

        saved_searches.register()

        from directory import notices

        notices.register_kinds()
