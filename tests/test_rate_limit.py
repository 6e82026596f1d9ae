"""The per-sender rate limit: a burst, then a steady rate, per sender."""
import pytest

from bot.rate_limit import SenderRateLimit


def test_a_burst_then_one_message_per_interval():
    limit = SenderRateLimit(per_minute=30, burst=3)
    assert [limit.allow("a", now=0.0) for _ in range(4)] == [True, True, True, False]
    assert limit.allow("a", now=1.0) is False  # half a token back after 1 s
    assert limit.allow("a", now=2.0) is True  # one token after 2 s
    assert limit.allow("a", now=2.1) is False


def test_senders_do_not_share_a_bucket():
    limit = SenderRateLimit(per_minute=30, burst=1)
    assert limit.allow("a", now=0.0) and not limit.allow("a", now=0.0)
    assert limit.allow("b", now=0.0)


def test_the_bucket_never_holds_more_than_the_burst():
    limit = SenderRateLimit(per_minute=60, burst=2)
    limit.allow("a", now=0.0)
    assert [limit.allow("a", now=3600.0) for _ in range(3)] == [True, True, False]


def test_zero_switches_it_off(monkeypatch):
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "0")
    limit = SenderRateLimit()
    assert all(limit.allow("a", now=0.0) for _ in range(1000))


@pytest.mark.parametrize("value", ["mange", "-5"])
def test_a_wrong_setting_is_a_clear_error(monkeypatch, value):
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", value)
    with pytest.raises(ValueError, match="RATE_LIMIT_PER_MINUTE"):
        SenderRateLimit()


def test_the_sender_is_told_in_the_standard_of_the_message_refused():
    from actions import phrases
    from bot.rate_limit import too_many

    assert too_many("Kva gjer verneombodet?") == phrases.text("service.too_many", "nn")
    assert too_many("Hva gjør verneombudet?") == phrases.text("service.too_many", "nb")
    # A neutral message: the page's language, else bokmål.
    assert too_many("ok", {"lang": "nn"}) == phrases.text("service.too_many", "nn")
    assert too_many("ok") == too_many(None, "not metadata") == phrases.text("service.too_many", "nb")
