"""Fixed vocabularies of the directory, in plain Python so tools without Django can use them.

The labels are marked for translation without being translated here (gettext_noop needs no
settings): `directory.models` hands them to the TextChoices as lazy translations.
"""

from django.utils.translation import gettext_noop

SIDES: tuple[tuple[str, str], ...] = (
    ("eu", gettext_noop("Europe")),
    ("kr", gettext_noop("Korea")),
)

KINDS: tuple[tuple[str, str], ...] = (
    ("eu-cluster", gettext_noop("EU cluster organisation")),
    ("cluster-network", gettext_noop("Cluster network or partnership")),
    ("mini-cluster", gettext_noop("Korean Mini Cluster")),
    ("industrial-complex", gettext_noop("Industrial complex")),
    ("cluster-agency", gettext_noop("Cluster agency")),
    ("government-body", gettext_noop("Government body")),
    ("city-region", gettext_noop("City or regional government")),
    ("research-institute", gettext_noop("Research institute")),
    ("university", gettext_noop("University")),
    ("technopark", gettext_noop("Technopark")),
    ("foundation", gettext_noop("Foundation or support organisation")),
    ("business-association", gettext_noop("Business association")),
    ("company", gettext_noop("Company")),
)

STATUSES: tuple[tuple[str, str], ...] = (
    ("draft", gettext_noop("Draft")),
    ("published", gettext_noop("Published")),
    ("archived", gettext_noop("Archived")),
)
