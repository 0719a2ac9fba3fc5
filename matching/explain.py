"""Plain-language explanations of a match, for cluster managers (no Django)."""

from __future__ import annotations

from matching.engine import Match

# A text score from which the profiles read as related even when no shown word is shared.
CLOSE_TEXT = 0.05
# How many similar organisations a reason names before "and N more".
PEERS_NAMED = 3


def _join(items: list[str] | tuple[str, ...]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if any(" and " in item or "," in item for item in items):
        # Labels such as "market access and export", or names with commas, would blur an
        # "a, b and c" list.
        if len(items) == 2:
            return f"{items[0]}, as well as {items[1]}"
        return "; ".join(items[:-1]) + "; and " + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _lower(label: str) -> str:
    # "Joint R&D projects" -> "joint R&D projects"; keep acronyms as they are.
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def explanation(match: Match) -> str:
    """One or two sentences saying why this candidate fits, from the query actor's view, as a
    person would write them: "Both work on vaccines and antibodies; you share
    biopharmaceuticals. They offer market access and export, which you seek."
    """
    sentences = []
    terms = [t.term for t in match.shared_terms[:4]]
    sectors = [_lower(s) for s in match.shared_sectors]
    if terms and sectors:
        sentences.append(f"Both work on {_join(terms)}; you share {_join(sectors)}.")
    elif terms:
        sentences.append(f"Both work on {_join(terms)}.")
    elif sectors:
        sentences.append(f"You share {_join(sectors)}.")
    if not terms and match.text >= CLOSE_TEXT:
        # The latent part links related vocabularies without a word in common to name.
        sentences.insert(
            0, "Their profile reads close to yours, though no one shared word stands out."
        )
    wanted = [_lower(x) for x in match.they_offer_you_seek]
    offered = [_lower(x) for x in match.you_offer_they_seek]
    if wanted:
        sentences.append(f"They offer {_join(wanted)}, which you seek.")
    if offered:
        sentences.append(f"They seek {_join(offered)}, which you offer.")
    if match.peer_partners:
        named = list(match.peer_partners[:PEERS_NAMED])
        more = len(match.peer_partners) - len(named)
        if more:
            named.append(f"{more} more")
        sentences.append(f"Organisations like yours work with them: {_join(named)}.")
    if not sentences:
        sentences.append("Little in common beyond being on the other side: a weak match.")
    return " ".join(sentences)


def closeness(match: Match, *, like_name: str) -> str:
    """Why a "more like this" candidate resembles the one it was asked for, from the shared
    terms and sectors the two have (not the organisation's): "Close to Chuncheon Bio: both
    work on vaccines and antibodies; both are in biopharmaceuticals."
    """
    terms = [t.term for t in match.shared_terms[:4]]
    sectors = [_lower(s) for s in match.shared_sectors]
    if terms and sectors:
        return f"Close to {like_name}: both work on {_join(terms)}; both are in {_join(sectors)}."
    if terms:
        return f"Close to {like_name}: both work on {_join(terms)}."
    if sectors:
        return f"Close to {like_name}: both are in {_join(sectors)}."
    return f"Only loosely like {like_name}: their profiles share little."
