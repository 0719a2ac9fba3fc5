"""Fixed vocabularies of the directory, in plain Python so tools without Django can use them."""

SIDES: tuple[tuple[str, str], ...] = (
    ("eu", "Europe"),
    ("kr", "Korea"),
)

KINDS: tuple[tuple[str, str], ...] = (
    ("eu-cluster", "EU cluster organisation"),
    ("cluster-network", "Cluster network or partnership"),
    ("mini-cluster", "Korean Mini Cluster"),
    ("industrial-complex", "Industrial complex"),
    ("cluster-agency", "Cluster agency"),
    ("government-body", "Government body"),
    ("city-region", "City or regional government"),
    ("research-institute", "Research institute"),
    ("university", "University"),
    ("technopark", "Technopark"),
    ("foundation", "Foundation or support organisation"),
    ("business-association", "Business association"),
    ("company", "Company"),
)

STATUSES: tuple[tuple[str, str], ...] = (
    ("draft", "Draft"),
    ("published", "Published"),
    ("archived", "Archived"),
)
