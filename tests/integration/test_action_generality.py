"""Rules that hold on text the lexicon was never grown on (real spaCy model).

Each sentence is invented. Some tests take words out of the lexicon, as the unseen-text
proxy of ``bench/eval_unseen.py`` does, so that the rule is exercised where only the
dictionaries or the parse can help.
"""

from __future__ import annotations

import dataclasses

import pytest

from kg.core.models import Action
from kg.extraction.actions.extract import ActionExtractor
from kg.extraction.actions.lexicon import Lexicon, load_lexicon
from kg.extraction.extractor import RuleBasedExtractor

pytestmark = pytest.mark.integration


def _without_verbs(*verbs: str) -> Lexicon:
    lexicon = load_lexicon()
    return dataclasses.replace(
        lexicon, verbs={k: v for k, v in lexicon.verbs.items() if k not in verbs}
    )


def _main(actions: tuple[Action, ...]) -> Action:
    """The highest-confidence action, the earliest on ties (as the benchmark reads it)."""
    return max(enumerate(actions), key=lambda ia: (ia[1].confidence, -ia[0]))[1]


@pytest.fixture(scope="module")
def extractor() -> RuleBasedExtractor:
    return RuleBasedExtractor()


def test_a_participle_modifier_is_not_the_main_event() -> None:
    unseen = RuleBasedExtractor(actions=ActionExtractor(lexicon=_without_verbs("meet")))
    actions = unseen.extract("Egypt's president met Jordan's visiting king in Cairo.", None).actions
    assert {a.trigger for a in actions} >= {"met", "visiting"}
    assert _main(actions).trigger == "met"


def test_failing_to_meet_is_a_negated_meeting(extractor: RuleBasedExtractor) -> None:
    text = "The Syrian envoy failed to meet the Lebanese prime minister in Beirut."
    (meeting,) = [a for a in extractor.extract(text, None).actions if a.type == "CONSULT"]
    assert meeting.negated


def test_an_intention_verb_with_a_plain_object_is_an_event() -> None:
    unseen = RuleBasedExtractor(actions=ActionExtractor(lexicon=_without_verbs("offer")))
    text = "The Russian government offered security guarantees to Ukraine."
    (offer,) = [a for a in unseen.extract(text, None).actions if a.trigger == "offered"]
    assert offer.type == "AGREE"
    assert [p.text for p in offer.targets] == ["Ukraine"]


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("The army threatened to starve the rebels in Homs.", "the rebels"),
        ("Turkey threatened to isolate Armenia.", "Armenia"),
    ],
)
def test_an_uncoded_threatened_action_names_the_target(
    extractor: RuleBasedExtractor, text: str, target: str
) -> None:
    (threat,) = [a for a in extractor.extract(text, None).actions if a.type == "THREATEN"]
    assert [p.text for p in threat.targets] == [target]


def test_actions_come_in_text_order(extractor: RuleBasedExtractor) -> None:
    text = "Venezuela punished Colombia and attacked its border posts."
    triggers = [a.trigger for a in extractor.extract(text, None).actions]
    assert triggers == ["punished", "attacked"]


def test_a_light_verb_object_nominalizing_a_lexicon_verb_is_the_event() -> None:
    lexicon_only = RuleBasedExtractor(actions=ActionExtractor(dictionaries=False))
    text = "The United Nations began an evacuation of civilians from Aleppo."
    (evacuation,) = lexicon_only.extract(text, None).actions
    assert (evacuation.type, evacuation.trigger) == ("AID", "began evacuation")
    assert [p.text for p in evacuation.actors] == ["United Nations"]


def test_a_light_verb_object_the_dictionary_codes_is_the_event() -> None:
    lexicon = load_lexicon()
    nouns = {k: v for k, v in lexicon.nouns.items() if k != "patrol"}
    unseen = RuleBasedExtractor(
        actions=ActionExtractor(lexicon=dataclasses.replace(lexicon, nouns=nouns))
    )
    text = "The Kenyan government ordered patrols along the border with Somalia."
    (patrols,) = unseen.extract(text, None).actions
    assert patrols.type == "MOBILIZE"
    assert [p.text for p in patrols.actors] == ["The Kenyan government"]


def test_an_event_after_which_another_happens_is_background(
    extractor: RuleBasedExtractor,
) -> None:
    def attack(text: str) -> Action:
        (found,) = [a for a in extractor.extract(text, None).actions if a.type == "ASSAULT"]
        return found

    during = attack("Kenya recalled its ambassador while rebels attacked Mandera.")
    after = attack("Kenya recalled its ambassador after rebels attacked Mandera.")
    assert after.confidence < during.confidence


def test_a_group_modifier_of_an_event_noun_is_its_actor(extractor: RuleBasedExtractor) -> None:
    text = "Kenya recalled its ambassador after a rebel attack on Mandera."
    (attack,) = [a for a in extractor.extract(text, None).actions if a.type == "ASSAULT"]
    assert [p.text for p in attack.actors] == ["rebel"]
    assert [p.text for p in attack.targets] == ["Mandera"]


def test_a_request_targets_what_the_coordinated_requested_action_is_against(
    extractor: RuleBasedExtractor,
) -> None:
    text = "A Syrian newspaper called on Arabs to unite and rise up against Israel."
    (request,) = [a for a in extractor.extract(text, None).actions if a.type == "REQUEST"]
    assert [p.text for p in request.targets] == ["Arabs", "Israel"]


def test_whoever_did_the_condemned_thing_is_the_target(extractor: RuleBasedExtractor) -> None:
    text = "The Turkish government condemned the remarks by the Greek minister."
    (accusation,) = extractor.extract(text, None).actions
    assert [p.text for p in accusation.targets] == ["the Greek minister"]


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Hundreds of Kurds have been killed by Turkish troops.", "Kurds"),
        ("Dozens of Yazidis were abducted by ISIL in Sinjar.", "Yazidis"),
    ],
)
def test_an_amount_stands_for_what_it_counts(
    extractor: RuleBasedExtractor, text: str, target: str
) -> None:
    (action,) = extractor.extract(text, None).actions
    assert [p.text for p in action.targets] == [target]


def test_a_reduced_passive_modifies_its_target(extractor: RuleBasedExtractor) -> None:
    text = "Aid reached 20,000 villagers besieged by government forces in Homs."
    (siege,) = [a for a in extractor.extract(text, None).actions if a.trigger == "besieged"]
    assert [p.text for p in siege.actors] == ["government forces"]
    assert [p.text for p in siege.targets] == ["20,000 villagers"]
    agentless = "Food reached 40,000 civilians besieged within the city."
    (siege,) = [a for a in extractor.extract(agentless, None).actions if a.trigger == "besieged"]
    assert siege.actors == ()
    assert [p.text for p in siege.targets] == ["40,000 civilians"]


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Iraqi forces continued their efforts to drive ISIL out of Falluja.", "Iraqi forces"),
        ("The army launched a campaign to retake Mosul from ISIL.", "The army"),
        (
            "The coalition supported the Kurdish forces in their efforts to defeat ISIL.",
            "the Kurdish forces",
        ),
    ],
)
def test_who_makes_the_effort_does_what_it_aims_at(
    extractor: RuleBasedExtractor, text: str, actor: str
) -> None:
    (assault,) = [a for a in extractor.extract(text, None).actions if a.type == "ASSAULT"]
    assert [p.text for p in assault.actors] == [actor]
