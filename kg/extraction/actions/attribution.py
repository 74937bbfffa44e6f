"""Who a frame is attributed to: "..., X said", "X said that ...", "according to X"."""

from __future__ import annotations

from kg.core.models import Participant
from kg.extraction.actions.frames import Frame
from kg.extraction.actions.lexicon import Lexicon
from kg.extraction.actions.participants import ParticipantResolver, Token
from kg.extraction.actions.subjects import pobjs


def attribution(frame: Frame, res: ParticipantResolver, lex: Lexicon) -> list[Participant]:
    """The speakers a frame is reported by, from the nearest speech verb above or beside it."""
    node = frame.token
    path = [node]
    while node.head is not node and len(path) < 15:
        node = node.head
        path.append(node)
    for i, n in enumerate(path):
        if (
            i > 0
            and n.lemma_.lower() in lex.speech_verbs
            and path[i - 1].dep_ in ("ccomp", "xcomp", "parataxis", "dobj")
            and not (frame.kind == "say_must" and n is frame.token)
        ):
            speakers = _speakers(n, res)
            if speakers:
                return speakers
        for c in n.children:
            if c in path:
                continue
            if (
                c.dep_ in ("parataxis", "conj", "ccomp", "advcl")
                and c.lemma_.lower() in lex.speech_verbs
                and not any(g.dep_ in ("ccomp", "xcomp", "dobj") for g in c.children)
            ):
                speakers = _speakers(c, res)
                if speakers:
                    return speakers
            if c.dep_ == "prep" and c.lower_ == "according":
                for to in c.children:
                    for g in pobjs(to):
                        return res.participants(g)
    return []


def _speakers(verb: Token, res: ParticipantResolver) -> list[Participant]:
    # With two subjects (a misparsed apposition), the one nearest the verb is the speaker.
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    subjects.sort(key=lambda c: abs(verb.i - c.i))
    for c in subjects:
        return res.participants(c)
    return []
