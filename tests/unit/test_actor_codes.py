"""CAMEO actor codes from the packaged PETRARCH2 actor and agent dictionaries."""

from __future__ import annotations

from datetime import date

from kg.extraction.dictionaries.actor_codes import load_actor_coder, words_of
from kg.extraction.dictionaries.agents import load_agents


def test_country_and_agent_make_a_sector_code() -> None:
    coder = load_actor_coder()
    found = coder.code("Colombian soldiers")
    assert found is not None
    assert (found.code, found.country, found.sector) == ("COLMIL", "COL", "MIL")


def test_known_armed_group() -> None:
    coder = load_actor_coder()
    for name in ("ELN", "the ELN", "National Liberation Army"):
        found = coder.code(name, countries=["colombia"])
        assert found is not None and found.code == "COLREB", name


def test_homonyms_follow_the_article_countries() -> None:
    found = load_actor_coder().code("National Liberation Army", countries=["bolivia"])
    assert found is not None and found.code == "BOLREB"


def test_bare_agent_words() -> None:
    coder = load_actor_coder()
    expected = {"officials": "GOV", "rebels": "REB", "police": "COP", "protesters": "OPP"}
    for word, code in expected.items():
        found = coder.code(word)
        assert found is not None and found.code == code, word


def test_leaders_only_within_their_dates() -> None:
    coder = load_actor_coder()
    in_office = coder.code("Juan Manuel Santos", date(2012, 5, 1))
    assert in_office is not None and in_office.code == "COLGOV" and in_office.dated
    minister = coder.code("Juan Manuel Santos", date(2007, 5, 1))
    assert minister is not None and minister.code == "COLGOVMIL"
    # After the lists' vintage the post is out of date: the country stays, the text decides.
    later = coder.code("Juan Manuel Santos", date(2021, 5, 1))
    assert later is not None and later.code == "COL" and later.sector is None
    former = coder.code("former president Juan Manuel Santos", date(2021, 5, 1))
    assert former is not None and former.sector == "ELI"


def test_unknown_phrase_has_no_code() -> None:
    assert load_actor_coder().code("the weather") is None


def test_words_drop_article_and_possessive() -> None:
    assert words_of("The ELN's commanders") == ["eln", "commanders"]
    assert words_of("U.S. troops") == ["u.s.", "troops"]


def test_agent_lookup_takes_the_head() -> None:
    found = load_agents().sector_of(["police", "officers"])
    assert found is not None and found.sector == "COP"


def test_codes_on_entities_and_participants() -> None:
    from kg.core.models import Action, Entity, Extraction, Participant
    from kg.extraction.dictionaries.coding import code_extraction

    eln = Entity("national liberation army", "National Liberation Army", "ArmedGroup", ("ELN",))
    colombia = Entity("colombia", "Colombia", "Country")
    santos = Entity("juan manuel santos", "Juan Manuel Santos", "Person")
    action = Action(
        type="ASSAULT",
        actors=(Participant("Colombian soldiers", "colombia"), Participant("Santos", santos.key)),
        targets=(Participant("the ELN", eln.key), Participant("officials")),
        start=0,
        end=10,
        trigger="attacked",
    )
    out = code_extraction(Extraction(entities=(eln, colombia, santos), actions=(action,)), None)
    assert {e.key: e.cameo_code for e in out.entities} == {
        "national liberation army": "COLREB",
        "colombia": "COL",
        "juan manuel santos": "COLGOV",
    }
    coded = out.actions[0]
    assert [p.code for p in coded.actors] == ["COLMIL", "COLGOV"]
    assert [p.code for p in coded.targets] == ["COLREB", "GOV"]


def test_the_post_the_text_names_wins() -> None:
    coder = load_actor_coder()
    chirac = coder.code("French President Jacques Chirac")
    assert chirac is not None and chirac.code == "FRAGOV"
    fighters = coder.code("Daesh fighters")
    assert fighters is not None and fighters.code.startswith("IMG")
