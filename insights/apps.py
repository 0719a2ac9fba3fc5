from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = gettext_lazy("Statistics")
