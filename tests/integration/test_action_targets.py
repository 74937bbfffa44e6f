"""Where PLOVER targets come from beyond the trigger's object (real spaCy model and entities)."""

from __future__ import annotations

from datetime import date

import pytest

from kg.core.models import Action
from kg.extraction.extractor import RuleBasedExtractor

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def extractor() -> RuleBasedExtractor:
    return RuleBasedExtractor()


def _actions(extractor: RuleBasedExtractor, text: str, plover_type: str) -> list[Action]:
    actions = extractor.extract(text, date(2026, 1, 8)).actions
    return [a for a in actions if a.type == plover_type]


def _targets(action: Action) -> list[str]:
    return [p.text for p in action.targets]


def test_curfew_place_is_the_target(extractor: RuleBasedExtractor) -> None:
    [curfew] = _actions(extractor, "Turkish authorities imposed a curfew in Diyarbakir.", "COERCE")
    assert any("Diyarbakir" in t for t in _targets(curfew))


def test_a_meeting_place_is_not_a_target(extractor: RuleBasedExtractor) -> None:
    [talks] = _actions(extractor, "Germany held talks with France in Geneva.", "CONSULT")
    assert _targets(talks) == ["France"]


def test_relational_noun_points_to_its_participant(extractor: RuleBasedExtractor) -> None:
    [support] = _actions(
        extractor, "Egypt defended the rights of Palestinians on Monday.", "SUPPORT"
    )
    assert _targets(support) == ["Palestinians"]


def test_coordinated_verbs_share_the_recipient(extractor: RuleBasedExtractor) -> None:
    aid = _actions(extractor, "Japan donated and delivered medicine to Haiti.", "AID")
    assert aid and all(_targets(a) == ["Haiti"] for a in aid)


def test_sworn_to_fight_is_a_threat(extractor: RuleBasedExtractor) -> None:
    text = "The rebels have sworn to fight until they capture Goma, officials said."
    actions = extractor.extract(text, date(2026, 1, 8)).actions
    assert any(a.type == "THREATEN" and a.trigger == "sworn" for a in actions)


def test_time_after_by_is_not_an_agent(extractor: RuleBasedExtractor) -> None:
    [eased] = _actions(
        extractor, "Sudan on Thursday shortened by one hour the curfew in Khartoum.", "CONCEDE"
    )
    assert [p.text for p in eased.actors] == ["Sudan"]


def test_purpose_against_names_the_target(extractor: RuleBasedExtractor) -> None:
    [mobilize] = _actions(
        extractor, "Poland mobilized its reserve troops for a campaign against Belarus.", "MOBILIZE"
    )
    assert any("Belarus" in t for t in _targets(mobilize))


def test_light_verb_recipient_is_the_target(extractor: RuleBasedExtractor) -> None:
    [assault] = _actions(
        extractor, "The rebels delivered heavy blows to the Malian army on Monday.", "ASSAULT"
    )
    assert any("army" in t for t in _targets(assault))


def test_a_ceasefire_place_is_not_a_target(extractor: RuleBasedExtractor) -> None:
    [truce] = _actions(
        extractor, "The rebels declared a ceasefire in northern Mali on Friday.", "RETREAT"
    )
    assert _targets(truce) == []


def test_an_abstract_object_is_not_a_target(extractor: RuleBasedExtractor) -> None:
    text = "The court cancelled restrictions on the sale of newspapers."
    targets = [t for a in extractor.extract(text, date(2026, 1, 8)).actions for t in _targets(a)]
    assert not any("sale" in t for t in targets)


def test_coordinated_nationalities_are_two_targets(extractor: RuleBasedExtractor) -> None:
    [protest] = _actions(
        extractor, "Students protested against French and German troops in Kabul.", "PROTEST"
    )
    assert sorted(_targets(protest)) == ["French troops", "German troops"]


def test_demands_from_a_group_name_the_group(extractor: RuleBasedExtractor) -> None:
    [concession] = _actions(
        extractor, "The president finally gave in to demands from Hamas.", "CONCEDE"
    )
    assert any("Hamas" in t for t in _targets(concession))


def test_a_thing_of_a_participant_stands_for_it(extractor: RuleBasedExtractor) -> None:
    # Passive with an agent: the camp names no one, the refugees it is for do.
    [attack] = _actions(
        extractor, "A camp for Congolese refugees was attacked by Burundian militiamen.", "ASSAULT"
    )
    assert any("refugees" in t for t in _targets(attack))
    assert not any("camp" in t for t in _targets(attack))
    text = "We are committed to destroying the terrorist scourge of ISIL."
    assert any("ISIL" in t for a in _actions(extractor, text, "ASSAULT") for t in _targets(a))


def test_a_use_of_a_language_is_still_no_target(extractor: RuleBasedExtractor) -> None:
    # One hop, judged by the head word: "the Russian language" names no participant.
    text = "The court cancelled restrictions on the use of the Russian language on radio."
    actions = extractor.extract(text, date(2026, 1, 8)).actions
    assert not any("language" in t for a in actions for t in _targets(a))


def test_defeating_and_the_fight_against_x_target_x(extractor: RuleBasedExtractor) -> None:
    for text in (
        "The Coalition's strategy to defeat ISIL is succeeding.",
        "The UK reiterated its support for Iraq in the fight against ISIL.",
    ):
        assault = _actions(extractor, text, "ASSAULT")
        assert any("ISIL" in t for a in assault for t in _targets(a)), text


def test_it_is_a_fight_gives_the_fight_no_actor(extractor: RuleBasedExtractor) -> None:
    text = "ISIL is brutal. Defeating it will take time but it is a fight we must win."
    fights = [a for a in _actions(extractor, text, "ASSAULT") if a.trigger.endswith("fight")]
    # With no actor the fight has no participant at all, and such an action is not
    # emitted (see test_actions): what must not happen is "it" (ISIL) as its actor.
    assert all(not f.actors for f in fights), fights


def test_a_sentence_starts_after_a_blank_line(extractor: RuleBasedExtractor) -> None:
    # A title and an "X said:" line without a full stop: the report is its own sentence,
    # so its action's evidence is the report's paragraph, not the title's.
    title = "Statement on the chemical weapons report"
    text = f"{title}\n\nThe Foreign Secretary said:\n\nThe regime used chemical weapons."
    actions = extractor.extract(text, date(2026, 1, 8)).actions
    used = [a for a in actions if a.trigger == "used"]
    assert used and all(a.start == text.index("The regime") for a in used)


def test_at_the_hands_of_x_names_the_actor(extractor: RuleBasedExtractor) -> None:
    text = "Thousands of Syrians have been killed at the hands of Assad and ISIL."
    [killed] = _actions(extractor, text, "ASSAULT")
    assert {"Assad", "ISIL"} <= {p.text for p in killed.actors}
    assert not any(t in ("Assad", "ISIL") for t in _targets(killed))


def test_allowed_x_to_act_targets_x(extractor: RuleBasedExtractor) -> None:
    # The parse makes the allowed one the subject of "to bring out", not the object of "allowed".
    text = (
        "The provincial governor allowed opposition leader Maulana Rehman "
        "to bring out a procession."
    )
    allowed = [
        a for a in extractor.extract(text, date(2026, 1, 8)).actions if a.trigger == "allowed"
    ]
    assert allowed and any("Rehman" in t for t in _targets(allowed[0]))
