"""Fuzzing the feed parser (tests/feedfuzz.py): any body, hostile RSS/Atom or plain bytes, gives items or a
FeedError, never opens a file nor connects, and each takes under a second. scripts/fuzz_feeds.py runs longer."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from feedfuzz import CANARY, CANARY_SECRET, feeds, headers, read_hostile, warm_up, with_found

pytestmark = pytest.mark.timeout(120)


def setup_module() -> None:
    warm_up()


@settings(max_examples=200, deadline=1000, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(feeds, headers)
@with_found
def test_any_feed_body_gives_items_or_a_feed_error_and_never_reaches_outside(body, response_headers):
    read_hostile(body, response_headers)


def test_a_body_naming_the_canary_file_is_text_not_a_file_name():
    """The canary is a good feed: read from disk it would parse, and its secret would show."""
    assert CANARY_SECRET in CANARY.read_text()
    for body in (str(CANARY).encode(), f"file://{CANARY}".encode()):
        assert read_hostile(body, {"content-type": "application/rss+xml"}).refused
