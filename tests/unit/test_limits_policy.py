"""Rate limits: visitor questions per session and address, staff sign-in lock-outs per address."""

from __future__ import annotations

import logging

import pytest
import time_machine

from practice_assistant.limits_policy import QuestionLimiter, SignInGuard, Visitor
from practice_assistant.settings import Settings

RIGHT = "correct horse battery staple"


def test_the_eleventh_question_in_a_minute_from_one_session_is_refused_then_allowed_later():
    with time_machine.travel(1_000_000, tick=False) as traveller:
        limiter = QuestionLimiter("10/minute", "100/minute")
        visitor = Visitor("session-a", "203.0.113.7")
        assert [limiter.allow(visitor) for _ in range(11)] == [True] * 10 + [False]
        assert limiter.allow(Visitor("session-b", "203.0.113.7"))  # another tab, same network
        traveller.shift(61)
        assert limiter.allow(visitor)


def test_one_address_is_limited_across_its_sessions():
    with time_machine.travel(1_000_000, tick=False):
        limiter = QuestionLimiter("10/minute", "10/minute")
        answered = [limiter.allow(Visitor(f"tab-{i}", "198.51.100.4")) for i in range(11)]
        assert answered == [True] * 10 + [False]
        assert limiter.allow(Visitor("tab-x", "198.51.100.5"))


def test_a_refused_question_uses_up_nothing():
    with time_machine.travel(1_000_000, tick=False):
        limiter = QuestionLimiter("2/minute", "3/minute")
        first, second = Visitor("s1", "192.0.2.1"), Visitor("s2", "192.0.2.1")
        assert limiter.allow(first) and limiter.allow(first) and not limiter.allow(first)
        assert limiter.allow(second)  # the address used 3 counted questions, not 4


def test_defaults_come_from_settings_and_bad_limits_are_refused():
    limiter = QuestionLimiter.from_settings(Settings(_env_file=None))
    assert (limiter.per_session.amount, limiter.per_session.get_expiry()) == (10, 60)
    assert (limiter.per_address.amount, limiter.per_address.get_expiry()) == (10, 60)
    guard = SignInGuard.from_settings(Settings(_env_file=None))
    assert (guard.per_address.amount, guard.per_address.get_expiry()) == (10, 900)
    assert guard.lock.get_expiry() == 900
    with pytest.raises(ValueError, match="questions_per_session"):
        Settings(_env_file=None, questions_per_session="ten a minute")


def test_ten_failures_lock_the_address_even_for_the_right_password_for_15_minutes(caplog):
    with time_machine.travel(1_000_000, tick=False) as traveller:
        guard = SignInGuard("10/15 minutes", "100/15 minutes", lockout_s=900)
        results = [guard.attempt("203.0.113.9", "guess", RIGHT) for _ in range(10)]
        assert [r.tries_left for r in results[:9]] == list(range(9, 0, -1))
        assert results[-1].locked_for_s == 900
        assert "locked for about 15 minutes" in results[-1].message
        refused = guard.attempt("203.0.113.9", RIGHT, RIGHT)
        assert not refused.ok and refused.locked_for_s > 0
        assert guard.attempt("203.0.113.10", RIGHT, RIGHT).ok  # other addresses may sign in
        traveller.shift(899)
        assert not guard.attempt("203.0.113.9", RIGHT, RIGHT).ok
        traveller.shift(2)
        assert guard.attempt("203.0.113.9", RIGHT, RIGHT).ok


def test_failures_spread_over_many_addresses_hit_the_global_ceiling():
    with time_machine.travel(1_000_000, tick=False):
        guard = SignInGuard("10/15 minutes", "25/15 minutes", lockout_s=900)
        for i in range(25):
            guard.attempt(f"198.51.100.{i}", "guess", RIGHT)
        assert not guard.attempt("192.0.2.200", RIGHT, RIGHT).ok  # a fresh address, too
        assert guard.locked_for("192.0.2.201") > 0


def test_a_lock_out_is_logged_with_the_address_but_never_the_password(caplog):
    guard = SignInGuard("3/15 minutes", "100/15 minutes", lockout_s=900)
    with caplog.at_level(logging.WARNING, logger="practice_assistant"):
        for guess in ("hunter2-first", "hunter2-second", "hunter2-third"):
            guard.attempt("203.0.113.50", guess, RIGHT)
    [record] = [r for r in caplog.records if "locked" in r.getMessage()]
    assert "address=203.0.113.50" in record.getMessage() and "scope=address" in record.getMessage()
    assert "hunter2" not in caplog.text and RIGHT not in caplog.text


def test_the_right_password_clears_earlier_failures_and_messages_say_what_is_left():
    guard = SignInGuard("10/15 minutes", "100/15 minutes", lockout_s=900)
    assert guard.attempt("a", "nope", RIGHT).message == (
        "Wrong password. 9 tries left before sign-in is locked.")
    assert guard.attempt("a", RIGHT, RIGHT).ok
    assert guard.attempt("a", "nope", RIGHT).tries_left == 9
