from __future__ import annotations

from django import template
from django.urls import reverse

from directory.citations import citations_from, source_documents
from directory.logos import logo_version
from directory.verification import Verification, verification_of

register = template.Library()


@register.inclusion_tag("directory/_citations.html", takes_context=True)
def citations(context, source: str, compact: bool = False) -> dict:
    """The source text as a list of readable citations; the documents are read once per page
    however many sources it shows (a profile's, its partnerships')."""
    cache = context.render_context
    if "trust_documents" not in cache:
        cache["trust_documents"] = source_documents()
    return {
        "citations": citations_from(source, documents=cache["trust_documents"]),
        "compact": compact,
    }


@register.filter
def verification(last_verified) -> Verification:
    return verification_of(last_verified=last_verified)


@register.simple_tag
def logo_url(actor) -> str:
    """The logo's address with its version: a new logo is a new address, shown at once."""
    if not actor.logo:
        return ""
    return f"{reverse('actor_logo', args=[actor.slug])}?v={logo_version(actor)}"
