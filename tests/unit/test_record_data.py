"""``record_data``: the rows of a read, as ``record.data()`` gives them, without its copy."""

from __future__ import annotations

import neo4j
from neo4j.graph import Graph, Node
from neo4j.time import Date

from kg.graph.store import record_data


def _record(**values: object) -> neo4j.Record:
    return neo4j.Record(values.items())


def test_plain_values_are_those_of_record_data_without_a_copy() -> None:
    nested = [{"id": "a1", "day": Date(1987, 3, 2), "score": 0.5, "tags": ["x", None]}]
    record = _record(actions=nested, count=3, name="Iran", blob=b"\x00")
    row = record_data(record)
    assert row == record.data()
    assert row["actions"] is nested  # shared, not walked and copied


def test_a_node_anywhere_goes_through_record_data() -> None:
    node = Node(Graph(), "4:x:1", 1, ["Entity"], {"id": "e1", "name": "Iran"})
    record = _record(found=[{"entity": node}], count=1)
    row = record_data(record)
    assert row == record.data() == {"found": [{"entity": {"id": "e1", "name": "Iran"}}], "count": 1}


def test_a_mapping_that_is_not_a_dict_is_converted_as_before() -> None:
    class Props(dict[str, object]):
        """A dict subclass: not the exact type the driver unpacks maps to."""

    record = _record(props=Props(a=1))
    assert record_data(record) == record.data()
    assert type(record_data(record)["props"]) is type(record.data()["props"])
