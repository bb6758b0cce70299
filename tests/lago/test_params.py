"""Query encoding (Rails-style arrays) and path-segment checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from billing_agent.lago.params import encode_params, require_fields, segment


def test_lists_become_rails_arrays_and_none_is_dropped() -> None:
    pairs = encode_params(
        {
            "countries": ["US", "FR"],
            "status[]": ["active"],
            "search_term": None,
            "payment_overdue": True,
            "issuing_date_from": date(2026, 1, 31),
            "amount_from": Decimal("10.50"),
            "metadata": {"segment": "smb"},
        }
    )
    assert pairs == [
        ("countries[]", "US"),
        ("countries[]", "FR"),
        ("status[]", "active"),
        ("payment_overdue", "true"),
        ("issuing_date_from", "2026-01-31"),
        ("amount_from", "10.50"),
        ("metadata[segment]", "smb"),
    ]


def test_segments_are_escaped_so_ids_cannot_change_the_path() -> None:
    assert segment("acme/../plans", "external_id", "acme_corp") == "acme%2F..%2Fplans"
    assert segment("ACME corp", "external_id", "acme_corp") == "ACME%20corp"


@pytest.mark.parametrize("value", ["", "   ", None, 42])
def test_empty_identifiers_fail_with_what_to_pass(value: object) -> None:
    with pytest.raises(ValueError, match=r"external_id must be a non-empty string .* pass e\.g\. 'acme_corp'"):
        segment(value, "external_id", "acme_corp")  # type: ignore[arg-type]


def test_missing_required_fields_are_named() -> None:
    with pytest.raises(ValueError, match="customer needs external_id"):
        require_fields({"name": "Acme"}, "customer", "external_id")
    with pytest.raises(TypeError, match="customer must be a dict"):
        require_fields(["external_id"], "customer", "external_id")  # type: ignore[arg-type]
