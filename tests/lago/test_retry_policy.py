"""RetryPolicy: backoff bounds and the parsing of `Retry-After` / `X-RateLimit-Reset`."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

from billing_agent.lago.retry import RetryPolicy, parse_reset, parse_retry_after, rate_limit_hint

NOW = 1_800_000_000.0


def test_backoff_doubles_is_capped_and_jitter_stays_in_bounds() -> None:
    policy = RetryPolicy(base_delay=0.1, max_delay=1.0, jitter=0.5)
    rng = random.Random(7)
    for retry, full in enumerate([0.1, 0.2, 0.4, 0.8, 1.0, 1.0]):
        delays = [policy.backoff(retry, rng) for _ in range(200)]
        assert min(delays) >= full * 0.5
        assert max(delays) <= full
        assert max(delays) - min(delays) > full * 0.3  # actually jittered


def test_backoff_without_jitter_is_deterministic() -> None:
    policy = RetryPolicy(base_delay=0.2, max_delay=5.0, jitter=0.0)
    assert [policy.backoff(n, random.Random()) for n in range(4)] == [0.2, 0.4, 0.8, 1.6]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.734", 0.734), ("3", 3.0), ("-2", 0.0), (str(NOW + 5), 5.0), (str(int((NOW + 7) * 1000)), 7.0)],
)
def test_reset_is_seconds_or_an_absolute_unix_time(value: str, expected: float) -> None:
    assert parse_reset(value, now=NOW) == pytest.approx(expected)


@pytest.mark.parametrize("value", [None, "", "soon", "nan", "inf"])
def test_unparsable_hints_are_ignored(value: str | None) -> None:
    assert parse_reset(value, now=NOW) is None
    assert parse_retry_after(value, now=NOW) is None


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    assert parse_retry_after("2", now=NOW) == 2.0
    date = format_datetime(datetime.fromtimestamp(NOW + 30, tz=UTC), usegmt=True)
    assert parse_retry_after(date, now=NOW) == pytest.approx(30.0)


def test_reset_wins_over_retry_after_and_headers_are_case_insensitive_via_httpx() -> None:
    import httpx

    headers = httpx.Headers({"Retry-After": "1", "X-RateLimit-Reset": "0.250"})
    assert rate_limit_hint(headers) == 0.25
    assert rate_limit_hint(httpx.Headers({"Retry-After": "4"})) == 4.0
    assert rate_limit_hint(httpx.Headers({})) is None


def test_rate_limit_wait_never_undercuts_the_header() -> None:
    import httpx

    policy = RetryPolicy()
    rng = random.Random(1)
    for asked in (0.0, 0.2, 0.9, 3.0):
        headers = httpx.Headers({"X-RateLimit-Reset": str(asked)})
        waits = [policy.rate_limit_wait(headers, 0, rng) for _ in range(100)]
        assert all(hint == asked for _, hint in waits)
        assert all(asked <= wait <= asked + min(0.1 * asked, 0.25) + 0.02 for wait, _ in waits)


@pytest.mark.parametrize(
    "kwargs", [{"max_retries": -1}, {"base_delay": -0.1}, {"jitter": 1.5}, {"rate_limit_retries": -3}]
)
def test_nonsense_policies_are_rejected(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]
