"""Plain-language explanations of a match, for cluster managers, in the reader's language.

Every sentence is one translatable message with placeholders ("Both work on %(terms)s."), never
pieced together from fragments, so that a translation can put the words in its own order. The
terms are words of the profiles: as written for an English reader, and for a Korean reader the
glossary's Korean term where it has one ("medical devices" -> 의료기기; others stay as written).
Sector and interest labels are taxonomy labels, shown in the reader's language when `labels`
(English label -> reader's label) is given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

from matching.engine import Match
from matching.glossary import korean_term

# A text score from which the profiles read as related even when no shown word is shared.
CLOSE_TEXT = 0.05
# How many similar organisations a reason names before "and N more".
PEERS_NAMED = 3


def join_list(items: Sequence[str]) -> str:
    """Items as a person lists them in the active language: "a, b and c" ("a, b 및 c")."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    conjunction = pgettext("the word before the last item of a list: a, b and c", "and")
    if any(f" {conjunction} " in item or "," in item for item in items):
        # Labels such as "market access and export", or names with commas, would blur an
        # "a, b and c" list.
        if len(items) == 2:
            return pgettext(
                "a list of two items that contain 'and' or commas themselves",
                "%(first)s, as well as %(last)s",
            ) % {"first": items[0], "last": items[1]}
        return pgettext(
            "a list of three or more items that contain 'and' or commas themselves",
            "%(items)s; and %(last)s",
        ) % {"items": "; ".join(items[:-1]), "last": items[-1]}
    if len(items) == 2:
        return pgettext("a list of two items", "%(first)s and %(last)s") % {
            "first": items[0],
            "last": items[1],
        }
    return pgettext("a list of three or more items", "%(items)s and %(last)s") % {
        "items": ", ".join(items[:-1]),
        "last": items[-1],
    }


def _terms(match: Match) -> str:
    terms = [t.term for t in match.shared_terms[:4]]
    if (get_language() or "").split("-")[0] == "ko":
        terms = list(dict.fromkeys(korean_term(term) or term for term in terms))
    return join_list(terms)


def _lower(label: str) -> str:
    # "Joint R&D projects" -> "joint R&D projects"; keep acronyms (and scripts without case).
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _labels(found: Sequence[str], labels: Mapping[str, str] | None) -> str:
    """Taxonomy labels in the reader's language, as a list inside a sentence."""
    labels = labels or {}
    return join_list([_lower(labels.get(label) or label) for label in found])


def explanation(match: Match, *, labels: Mapping[str, str] | None = None) -> str:
    """One or two sentences saying why this candidate fits, from the query actor's view, as a
    person would write them: "Both work on vaccines and antibodies; you share
    biopharmaceuticals. They offer market access and export, which you seek."
    """
    sentences = []
    terms = _terms(match)
    sectors = _labels(match.shared_sectors, labels)
    if terms and sectors:
        sentences.append(
            _("Both work on %(terms)s; you share %(sectors)s.")
            % {"terms": terms, "sectors": sectors}
        )
    elif terms:
        sentences.append(_("Both work on %(terms)s.") % {"terms": terms})
    elif sectors:
        sentences.append(_("You share %(sectors)s.") % {"sectors": sectors})
    if not terms and match.text >= CLOSE_TEXT:
        # The latent part links related vocabularies without a word in common to name.
        sentences.insert(
            0, _("Their profile reads close to yours, though no one shared word stands out.")
        )
    if match.they_offer_you_seek:
        sentences.append(
            _("They offer %(interests)s, which you seek.")
            % {"interests": _labels(match.they_offer_you_seek, labels)}
        )
    if match.you_offer_they_seek:
        sentences.append(
            _("They seek %(interests)s, which you offer.")
            % {"interests": _labels(match.you_offer_they_seek, labels)}
        )
    if match.peer_partners:
        named = list(match.peer_partners[:PEERS_NAMED])
        more = len(match.peer_partners) - len(named)
        if more:
            named.append(ngettext("%(count)d more", "%(count)d more", more) % {"count": more})
        sentences.append(
            _("Organisations like yours work with them: %(names)s.") % {"names": join_list(named)}
        )
    if not sentences:
        sentences.append(_("Little in common beyond being on the other side: a weak match."))
    return " ".join(sentences)


def closeness(match: Match, *, like_name: str, labels: Mapping[str, str] | None = None) -> str:
    """Why a "more like this" candidate resembles the one it was asked for, from the shared
    terms and sectors the two have (not the organisation's): "Close to Chuncheon Bio: both
    work on vaccines and antibodies; both are in biopharmaceuticals."
    """
    terms = _terms(match)
    sectors = _labels(match.shared_sectors, labels)
    values = {"name": like_name, "terms": terms, "sectors": sectors}
    if terms and sectors:
        return _("Close to %(name)s: both work on %(terms)s; both are in %(sectors)s.") % values
    if terms:
        return _("Close to %(name)s: both work on %(terms)s.") % values
    if sectors:
        return _("Close to %(name)s: both are in %(sectors)s.") % values
    return _("Only loosely like %(name)s: their profiles share little.") % values
