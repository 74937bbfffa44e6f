"""Optional extractor backed by an OpenAI-compatible ``/chat/completions`` endpoint.

Off by default: it is used only when ``settings.llm_url`` is set. The model is asked for
JSON matching :data:`RESPONSE_SCHEMA`, which mirrors the ``kg extract`` output, and the
answer is converted to an :class:`~kg.core.models.Extraction` with offsets checked against the
text (a span the model got wrong is searched for by its name; entities it cannot place
are dropped rather than stored with invented offsets).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, cast

import httpx

from kg.core.config import Settings
from kg.core.errors import ExtractorUnavailableError
from kg.core.identity import normalize_key
from kg.core.models import (
    ENTITY_TYPES,
    PLOVER_TYPES,
    Action,
    Entity,
    EntityType,
    Extraction,
    Mention,
    Participant,
    PloverType,
)

NAME = "llm"

RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["entities", "actions"],
    "properties": {
        "entities": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "type", "start", "end"],
                "properties": {
                    "name": {"type": "string"},
                    "type": {"type": "string", "enum": list(ENTITY_TYPES)},
                    "start": {"type": "integer"},
                    "end": {"type": "integer"},
                },
            },
        },
        "actions": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "type",
                    "mode",
                    "actors",
                    "targets",
                    "date",
                    "evidence",
                    "start",
                    "end",
                    "attributed_to",
                    "negated",
                    "hypothetical",
                    "future",
                    "trigger",
                ],
                "properties": {
                    "type": {"type": "string", "enum": list(PLOVER_TYPES)},
                    "mode": {"type": ["string", "null"]},
                    "actors": {"type": "array", "items": {"type": "string"}},
                    "targets": {"type": "array", "items": {"type": "string"}},
                    "date": {"type": ["string", "null"]},
                    "evidence": {"type": "string"},
                    "start": {"type": "integer"},
                    "end": {"type": "integer"},
                    "attributed_to": {"type": "array", "items": {"type": "string"}},
                    "negated": {"type": "boolean"},
                    "hypothetical": {"type": "boolean"},
                    "future": {"type": "boolean"},
                    "trigger": {"type": "string"},
                },
            },
        },
    },
}

SYSTEM_PROMPT = (
    "You extract a news knowledge graph. Return JSON only, following the schema. Entities: "
    "every mention of a person, organization, government, armed group, political party, media "
    "organization, country or place, with its canonical name and character offsets into the text "
    "(end exclusive). Actions: every event, typed with PLOVER (AGREE, CONSULT, SUPPORT, CONCEDE, "
    "COOPERATE, AID, RETREAT, REQUEST, ACCUSE, REJECT, THREATEN, PROTEST, SANCTION, MOBILIZE, "
    "COERCE, ASSAULT): actors do the action to targets; use canonical entity names; the date is "
    "ISO (YYYY-MM-DD) resolved against the publication date; evidence is the sentence and its "
    "offsets; attributed_to is who reported it; flag negated, hypothetical and future actions."
)


def _locate(text: str, name: str, start: int, end: int) -> tuple[int, int] | None:
    if 0 <= start < end <= len(text) and text[start:end].strip():
        return start, end
    at = text.find(name)
    return (at, at + len(name)) if at >= 0 and name else None


def _iso(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def extraction_from_json(data: Any, text: str) -> Extraction:
    """Convert the model's JSON answer into an :class:`Extraction`.

    Raises:
        ExtractorUnavailableError: the answer does not have the expected shape.
    """
    if not isinstance(data, dict):
        raise ExtractorUnavailableError(NAME, "the model's answer is not a JSON object")
    entities: dict[str, Entity] = {}
    mentions: list[Mention] = []
    for item in data.get("entities") or []:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        etype = item.get("type")
        if etype not in ENTITY_TYPES:
            continue
        name = item["name"].strip()
        key = normalize_key(name)
        if not key:
            continue
        span = _locate(text, name, int(item.get("start", -1)), int(item.get("end", -1)))
        if span is None:
            continue
        surface = text[span[0] : span[1]]
        entity = entities.get(key)
        aliases = set(entity.aliases) if entity else set()
        if surface != name:
            aliases.add(surface)
        entities[key] = Entity(key, name, cast(EntityType, etype), tuple(sorted(aliases)))
        mentions.append(Mention(span[0], span[1], surface, key, cast(EntityType, etype)))
    by_name = {e.name.lower(): k for k, e in entities.items()}
    by_name |= {a.lower(): k for k, e in entities.items() for a in e.aliases}

    def participants(names: Any) -> tuple[Participant, ...]:
        out = []
        for raw in names or []:
            if isinstance(raw, str) and raw.strip():
                out.append(Participant(raw.strip(), by_name.get(raw.strip().lower())))
        return tuple(out)

    actions: list[Action] = []
    for item in data.get("actions") or []:
        if not isinstance(item, dict) or item.get("type") not in PLOVER_TYPES:
            continue
        evidence = str(item.get("evidence") or "")
        span = _locate(text, evidence, int(item.get("start", -1)), int(item.get("end", -1)))
        if span is None:
            continue
        when = _iso(item.get("date"))
        actions.append(
            Action(
                type=cast(PloverType, item["type"]),
                actors=participants(item.get("actors")),
                targets=participants(item.get("targets")),
                start=span[0],
                end=span[1],
                trigger=str(item.get("trigger") or ""),
                mode=item.get("mode") or None,
                date=when,
                date_text=item.get("date") if when else None,
                attributed_to=participants(item.get("attributed_to")),
                negated=bool(item.get("negated")),
                hypothetical=bool(item.get("hypothetical")),
                future=bool(item.get("future")),
                confidence=0.5,
            )
        )
    return Extraction(
        entities=tuple(entities.values()), mentions=tuple(mentions), actions=tuple(actions)
    )


class LLMExtractor:
    """Extractor calling an OpenAI-compatible chat completions API with a JSON schema.

    Args:
        url: Base URL (``.../v1``) or the full ``.../chat/completions`` URL.
        model: Model name sent in the request.
        api_key: Bearer token, if the endpoint needs one.
        client: An ``httpx.Client`` (tests pass one with a mock transport).
        timeout: Request timeout in seconds.
    """

    def __init__(
        self,
        url: str,
        model: str,
        api_key: str | None = None,
        *,
        client: httpx.Client | None = None,
        timeout: float = 120.0,
    ) -> None:
        base = url.rstrip("/")
        self.url = base if base.endswith("/chat/completions") else f"{base}/chat/completions"
        self.model = model
        self.api_key = api_key
        self.client = client or httpx.Client(timeout=timeout)

    @classmethod
    def from_settings(cls, settings: Settings) -> LLMExtractor:
        """Build from ``llm_url``/``llm_model``/``llm_api_key``.

        Raises:
            ExtractorUnavailableError: ``llm_url`` or ``llm_model`` is not set.
        """
        if not settings.llm_url:
            raise ExtractorUnavailableError(
                NAME, "set NEWSKG_LLM_URL to an OpenAI-compatible endpoint"
            )
        if not settings.llm_model:
            raise ExtractorUnavailableError(NAME, "set NEWSKG_LLM_MODEL to the model to call")
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        return cls(settings.llm_url, settings.llm_model, key)

    def _request(self, text: str, published: date | None) -> dict[str, Any]:
        when = published.isoformat() if published else "unknown"
        return {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": f"Publication date: {when}\n\nText:\n{text}"},
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "kg_extraction", "schema": RESPONSE_SCHEMA, "strict": True},
            },
        }

    def extract(self, text: str, published: date | None) -> Extraction:
        """Ask the model and convert its answer.

        Raises:
            ExtractorUnavailableError: the endpoint cannot be reached, refuses, or answers
                something that is not the expected JSON.
        """
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            response = self.client.post(
                self.url, json=self._request(text, published), headers=headers
            )
        except httpx.HTTPError as exc:
            raise ExtractorUnavailableError(NAME, f"cannot reach {self.url}: {exc}") from exc
        if response.status_code >= 400:
            raise ExtractorUnavailableError(
                NAME, f"{self.url} answered HTTP {response.status_code}: {response.text[:200]}"
            )
        try:
            content = response.json()["choices"][0]["message"]["content"]
            data = json.loads(content) if isinstance(content, str) else content
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise ExtractorUnavailableError(
                NAME, f"unexpected answer from {self.url}: {exc}"
            ) from exc
        return extraction_from_json(data, text)
