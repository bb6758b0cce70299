"""Batch building blocks: rate limiter, error parsing, outcomes reducer, chunking, progress counters."""

from __future__ import annotations

import asyncio
import time

import pytest

from billing_agent.graph.batch.actions import rule_for
from billing_agent.graph.batch.config import BatchConfig
from billing_agent.graph.batch.limiter import RateLimiter, shared_limiter
from billing_agent.graph.batch.outcomes import from_call, is_fatal, may_have_applied, read_error
from billing_agent.graph.batch.state import BatchOutcomes, ItemOutcome, merge_outcomes
from billing_agent.graph.toolcall import Outcome

NOT_REUSABLE = (
    "Lago rejected apply_coupon (validation_errors): coupon coupon_is_not_reusable. Fix those fields and try again. "
    "(Lago 422 on POST /api/v1/applied_coupons)"
)
SERVER_ERROR = (
    "Lago failed on its side (500) during apply_coupon. Retry later; for a write, first check with a read tool "
    "whether it was applied, so it is not done twice. (Lago 500 on POST /api/v1/applied_coupons)"
)
BAD_KEY = "Lago rejected the API key (401 Unauthorized). Set LAGO_API_KEY. (Lago 401 on POST /api/v1/applied_coupons)"


async def test_rate_limiter_spaces_requests_after_the_burst() -> None:
    limiter = RateLimiter(rate=200.0, burst=5)
    started = time.monotonic()
    await asyncio.gather(*(limiter.acquire() for _ in range(45)))
    elapsed = time.monotonic() - started
    assert 0.18 <= elapsed < 0.6  # 40 tokens beyond the burst at 200/s = 0.2 s


def test_shared_limiter_is_one_object_per_rate() -> None:
    assert shared_limiter(33.0) is shared_limiter(33.0)
    assert shared_limiter(33.0) is not shared_limiter(34.0)
    with pytest.raises(ValueError, match="rate must be > 0"):
        RateLimiter(0)


def test_lago_errors_are_read_into_status_and_code() -> None:
    assert read_error(SERVER_ERROR).status == "500"
    assert read_error(NOT_REUSABLE).code == "validation_errors"
    assert "coupon_is_not_reusable" in read_error(NOT_REUSABLE).words
    assert read_error("No invoice with lago_id 'x' (invoice_not_found). Use … (Lago 404 on GET /x)").code == (
        "invoice_not_found"
    )
    assert read_error("Calling apply_coupon failed (ConnectError: boom).").code == "tool_error"


def test_already_applied_coupon_counts_as_done_not_failed() -> None:
    outcome = from_call(Outcome(False, NOT_REUSABLE, None), rule_for("apply_coupon"))
    assert outcome["status"] == "ok" and outcome["already_done"] and outcome["code"] == "coupon_is_not_reusable"
    failed = from_call(Outcome(False, NOT_REUSABLE, None), rule_for("retry_invoice"))
    assert failed["status"] == "failed" and failed["code"] == "validation_errors" and failed["http_status"] == "422"


def test_which_failures_stop_the_batch_and_which_may_hide_a_change() -> None:
    server = from_call(Outcome(False, SERVER_ERROR, None), rule_for("apply_coupon"))
    bad_key = from_call(Outcome(False, BAD_KEY, None), rule_for("apply_coupon"))
    assert may_have_applied(server) and not is_fatal(server)
    assert is_fatal(bad_key) and not may_have_applied(bad_key)


def test_ok_result_keeps_the_created_record_id_for_undo() -> None:
    data = {"applied_coupon": {"lago_id": "ac-1", "dashboard_url": "https://app/x"}}
    outcome = from_call(Outcome(True, "ok", data), rule_for("apply_coupon"))
    assert outcome["status"] == "ok" and outcome["result_id"] == "ac-1" and outcome["link"] == "https://app/x"


def test_outcomes_of_one_batch_merge_and_a_new_batch_replaces_them() -> None:
    ok = ItemOutcome(status="ok")
    first = merge_outcomes(None, BatchOutcomes(batch_id="a", items={"1": ok}))
    both = merge_outcomes(first, BatchOutcomes(batch_id="a", items={"2": ok}))
    assert set(both["items"]) == {"1", "2"}
    assert merge_outcomes(both, BatchOutcomes(batch_id="b", items={"9": ok}))["items"] == {"9": ok}


def test_chunks_give_each_lane_several_tasks_and_estimates_follow_the_rate() -> None:
    config = BatchConfig(concurrency=10, rate=40.0)
    assert config.chunk_for(1000) == 25 and config.chunk_for(100) == 3 and config.chunk_for(1) == 1
    assert BatchConfig(chunk_size=7).chunk_for(1000) == 7
    assert config.estimate_seconds(1000) == pytest.approx(25.0)
