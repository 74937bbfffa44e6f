"""The optional LLM extractor: configuration and error paths, and JSON -> Extraction."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import httpx
import pytest

from kg.core.config import get_settings
from kg.core.errors import ExtractorUnavailableError
from kg.extraction.extractor import RuleBasedExtractor, extractor_from_settings
from kg.extraction.llm import LLMExtractor, extraction_from_json

TEXT = "Colombia accuses the ELN of attacks. Petro met Trump on Wednesday."
ANSWER: dict[str, Any] = {
    "entities": [
        {"name": "Colombia", "type": "Country", "start": 0, "end": 8},
        {"name": "National Liberation Army", "type": "ArmedGroup", "start": 21, "end": 24},
        {"name": "Gustavo Petro", "type": "Person", "start": 37, "end": 42},
        {"name": "Donald Trump", "type": "Person", "start": 999, "end": 1005},  # wrong offsets
        {"name": "Atlantis", "type": "Place", "start": 900, "end": 908},  # not in the text
    ],
    "actions": [
        {
            "type": "ACCUSE",
            "mode": "allege",
            "actors": ["Colombia"],
            "targets": ["ELN"],
            "date": None,
            "evidence": "Colombia accuses the ELN of attacks.",
            "start": 0,
            "end": 36,
            "attributed_to": [],
            "negated": False,
            "hypothetical": False,
            "future": False,
            "trigger": "accuses",
        },
        {
            "type": "MEET",
            "mode": None,
            "actors": [],
            "targets": [],
            "date": None,
            "evidence": "",
            "start": 0,
            "end": 1,
            "attributed_to": [],
            "negated": False,
            "hypothetical": False,
            "future": False,
            "trigger": "met",
        },
    ],
}


def _client(handler: Any) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def test_not_configured_is_unavailable() -> None:
    with pytest.raises(ExtractorUnavailableError, match="NEWSKG_LLM_URL"):
        LLMExtractor.from_settings(get_settings(llm_url=None))
    with pytest.raises(ExtractorUnavailableError, match="NEWSKG_LLM_MODEL"):
        LLMExtractor.from_settings(get_settings(llm_url="http://llm.invalid/v1", llm_model=None))


def test_settings_choose_the_extractor() -> None:
    assert isinstance(extractor_from_settings(get_settings(llm_url=None)), RuleBasedExtractor)
    chosen = extractor_from_settings(get_settings(llm_url="http://llm.invalid/v1", llm_model="m"))
    assert isinstance(chosen, LLMExtractor)
    assert chosen.url == "http://llm.invalid/v1/chat/completions"


def test_unreachable_endpoint_is_unavailable() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    extractor = LLMExtractor("http://llm.invalid/v1", "m", client=_client(refuse))
    with pytest.raises(ExtractorUnavailableError, match="cannot reach"):
        extractor.extract(TEXT, None)


def test_http_error_and_garbage_are_unavailable() -> None:
    extractor = LLMExtractor(
        "http://x/v1", "m", client=_client(lambda r: httpx.Response(503, text="down"))
    )
    with pytest.raises(ExtractorUnavailableError, match="503"):
        extractor.extract(TEXT, None)
    garbage = LLMExtractor(
        "http://x/v1", "m", client=_client(lambda r: httpx.Response(200, text="nope"))
    )
    with pytest.raises(ExtractorUnavailableError, match="unexpected answer"):
        garbage.extract(TEXT, None)


def test_canned_answer_is_converted_and_request_is_well_formed() -> None:
    seen: dict[str, Any] = {}

    def answer(request: httpx.Request) -> httpx.Response:
        seen["body"] = json.loads(request.content)
        seen["auth"] = request.headers.get("authorization")
        content = json.dumps(ANSWER)
        return httpx.Response(200, json={"choices": [{"message": {"content": content}}]})

    extractor = LLMExtractor("http://x/v1/", "m", api_key="k", client=_client(answer))
    extraction = extractor.extract(TEXT, date(2026, 1, 8))
    assert seen["auth"] == "Bearer k"
    assert seen["body"]["response_format"]["type"] == "json_schema"
    assert "2026-01-08" in seen["body"]["messages"][1]["content"]
    names = {e.name for e in extraction.entities}
    assert names == {"Colombia", "National Liberation Army", "Gustavo Petro"}
    eln = next(m for m in extraction.mentions if m.entity_key == "national-liberation-army")
    assert TEXT[eln.start : eln.end] == "ELN"
    assert len(extraction.actions) == 1  # the unknown type is dropped
    action = extraction.actions[0]
    assert action.type == "ACCUSE"
    assert action.targets[0].entity_key == "national-liberation-army"  # matched by alias
    assert action.actors[0].entity_key == "colombia"


def test_non_object_answer_is_rejected() -> None:
    with pytest.raises(ExtractorUnavailableError):
        extraction_from_json([1, 2], TEXT)
