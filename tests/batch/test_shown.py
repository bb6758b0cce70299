"""What the batch confirmation lists of per-item arguments: nested fills, missing values, unusable records."""

from __future__ import annotations

import pytest

from billing_agent.graph.batch.shown import UnshownFill, check_shown, common_args, describe_field, varying_fields
from billing_agent.graph.batch.state import BatchItem


def _item(key: str, **args: object) -> BatchItem:
    return BatchItem(key=key, label=key, args=dict(args))


def test_nested_common_values_stay_common_and_nested_filled_values_are_listed() -> None:
    items = [
        _item("a", external_id="a", billing={"country": "US", "name": "x"}),
        _item("b", external_id="b", billing={"country": "US", "name": "y"}),
        _item("c", external_id="c", billing={"country": "US"}),
        _item("unusable:d"),  # a record that could not fill the arguments is not called
    ]
    assert common_args(items) == {"billing": {"country": "US"}}
    fields = {f.path: f for f in varying_fields(items)}
    assert set(fields) == {"external_id", "billing.name"}
    assert describe_field(fields["billing.name"], 3) == "billing.name: one per item: 'x', 'y', (not set)"
    assert describe_field(fields["external_id"], 3) == "external_id: one per item: 'a', 'b', 'c'"


def test_identifiers_may_exceed_the_list_but_written_values_may_not() -> None:
    many = [_item(str(i), external_id=str(i), email="same@x.test") for i in range(50)]
    check_shown("update_customer", many, "customer")  # one id per item, one written value: fine
    (field,) = varying_fields(many, limit=10)
    assert field.more == 40 and describe_field(field, 50).endswith("and 40 more distinct values")
    rewrites = [_item(str(i), external_id=str(i), customer={"name": f"n{i}"}) for i in range(11)]
    with pytest.raises(UnshownFill, match=r"11 different values into `customer.name`"):
        check_shown("update_customer", rewrites, "customer")
