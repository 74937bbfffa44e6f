"""The example response of ``/search`` in the OpenAPI document (a hand-written sample)."""

from typing import Any

EXAMPLE_RESPONSE: dict[str, Any] = {
    "query": "actions against the ELN",
    "passages": [
        {
            "passage_id": "5b1f0f7e-2c1d-5f0a-9a57-3c7f5d0e8a11",
            "text": 'Trump and Petro "committed to taking joint actions" against the National '
            "Liberation Army (ELN), Colombia's last remaining major armed rebel group...",
            "score": 0.0489,
            "start": 812,
            "end": 1040,
            "article": {
                "id": "0d6c5a4e-8f55-5f3c-b3a5-0c2b8f6d1e22",
                "title": "Colombia and US vow joint fight against drug-smuggling gangs",
                "published": "2026-01-08",
                "url": "https://example.org/colombia-us-eln",
            },
            "why": [
                {"retriever": "vector", "rank": 1, "score": 0.61, "path": []},
                {"retriever": "fulltext", "rank": 2, "score": 3.2, "path": []},
                {
                    "retriever": "graph",
                    "rank": 1,
                    "score": 0.8,
                    "path": [
                        "Entity:National Liberation Army",
                        "HAS_TARGET",
                        "Action:AGREE",
                        "EVIDENCED_BY",
                        "Passage:3",
                    ],
                },
            ],
        }
    ],
    "entities": [
        {"id": "9c3e...", "name": "National Liberation Army", "type": "ArmedGroup"},
    ],
    "actions": [
        {
            "action_id": "7f1a...",
            "type": "AGREE",
            "date": "2026-01-07",
            "score": 0.065,
            "actors": [
                {"id": "1a2b...", "name": "Donald Trump", "type": "Person"},
                {"id": "3c4d...", "name": "Gustavo Petro", "type": "Person"},
            ],
            "targets": [
                {"id": "9c3e...", "name": "National Liberation Army", "type": "ArmedGroup"}
            ],
            "unresolved_actors": [],
            "unresolved_targets": ["Colombia's last remaining major armed rebel group"],
            "evidence": {
                "text": 'Trump and Petro "committed to taking joint actions" against the ELN',
                "start": 812,
                "end": 905,
                "passage_id": "5b1f0f7e-2c1d-5f0a-9a57-3c7f5d0e8a11",
            },
            "why": [{"retriever": "graph", "rank": 1, "score": 0.8, "path": []}],
            "event_id": "2e9d...",
            "source_count": 3,
            "article_count": 4,
        }
    ],
    "understanding": {
        "entities": [
            {
                "id": "9c3e...",
                "name": "National Liberation Army",
                "type": "ArmedGroup",
                "span": "the ELN",
                "role": "target",
                "score": 1.0,
            }
        ],
        "event_types": [],
        "event_words": [],
        "role_spans": [{"text": "the ELN", "role": "target"}],
        "pairwise": False,
        "order_by_sources": False,
        "order_words": [],
    },
    "order_by": "relevance",
    "include_duplicates": False,
}
