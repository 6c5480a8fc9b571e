"""Rate limits for the public server, built on the maintained `limits` library.

- `QuestionLimiter`: visitor questions per browser session and per client address (default 10 a
  minute each). The `Assistant` consults it only after safety routing decided a message is not a
  crisis, so a crisis message always gets its crisis reply.
- `SignInGuard`: staff sign-in. After N failures from one address inside a window, every attempt
  from that address, right or wrong, is refused for the lock-out period; a global ceiling on
  failures from all addresses together locks sign-in for everyone (guessing spread over many
  addresses). Each lock-out is logged with the address and counts, never the password.

Counters live in this process (`limits` memory storage): a restart clears them, and several
app processes each count on their own (pass a shared `storage`, e.g. Redis, to count together).
Nothing here imports Streamlit.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerSecond, parse
from limits.storage import MemoryStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from practice_assistant.settings import Settings
from practice_assistant.staff import password_matches

log = logging.getLogger("practice_assistant.limits")
RATE_LIMITED_REPLY = (
    "You've sent quite a few messages in a short time, so I need to pause for a moment before "
    "I can look through the articles again. Please try again in a minute or so.\n\n"
    "If you are in crisis, you don't have to wait: call or text 988, or call 911.")
GLOBAL = "all-addresses"


@dataclass(frozen=True)
class Visitor:
    """Who is asking, for rate limits only: a random per-session id and the client address."""

    session: str
    address: str


class QuestionLimiter:
    """Allows a visitor's question when neither their session nor their address is over its limit.

    A refused question uses up nothing, so a visitor who waits is served again.
    """

    def __init__(self, per_session: str | RateLimitItem, per_address: str | RateLimitItem,
                 storage: Storage | None = None) -> None:
        self.per_session = parse(per_session) if isinstance(per_session, str) else per_session
        self.per_address = parse(per_address) if isinstance(per_address, str) else per_address
        self._limiter = MovingWindowRateLimiter(storage or MemoryStorage())
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> QuestionLimiter:
        return cls(settings.questions_per_session, settings.questions_per_address)

    def allow(self, visitor: Visitor) -> bool:
        """Count one question and say whether it may be answered."""
        checks = ((self.per_session, "question-session", visitor.session),
                  (self.per_address, "question-address", visitor.address))
        with self._lock:
            if not all(self._limiter.test(item, *keys) for item, *keys in checks):
                log.warning("question rate limit reached")  # no session id, address or text
                return False
            for item, *keys in checks:
                self._limiter.hit(item, *keys)
            return True


@dataclass(frozen=True)
class SignIn:
    """The outcome of one sign-in attempt."""

    ok: bool
    tries_left: int = 0
    locked_for_s: float = 0.0

    @property
    def message(self) -> str:
        if self.ok:
            return "Signed in."
        if self.locked_for_s > 0:
            minutes = max(1, math.ceil(self.locked_for_s / 60))
            return (f"Too many wrong passwords. Sign-in is locked for about {minutes} "
                    f"minute{'s' if minutes != 1 else ''}, even with the right password.")
        tries = "try" if self.tries_left == 1 else "tries"
        return f"Wrong password. {self.tries_left} {tries} left before sign-in is locked."


class SignInGuard:
    """Counts wrong staff passwords per client address and in total, and locks sign-in out."""

    def __init__(self, per_address: str = "10/15 minutes", global_ceiling: str = "100/15 minutes",
                 lockout_s: int = 900, storage: Storage | None = None) -> None:
        self.per_address = parse(per_address)
        self.global_ceiling = parse(global_ceiling)
        self.lock = RateLimitItemPerSecond(1, lockout_s)
        self._limiter = MovingWindowRateLimiter(storage or MemoryStorage())
        self._mutex = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> SignInGuard:
        return cls(settings.sign_in_failures_per_address, settings.sign_in_failures_global,
                   settings.sign_in_lockout_s)

    def locked_for(self, address: str) -> float:
        """Seconds until ``address`` may try again (0 when it may try now)."""
        with self._mutex:
            return self._locked_for(address)

    def attempt(self, address: str, given: str, expected: str) -> SignIn:
        """Check one password; while locked, nothing is compared and the answer is no."""
        with self._mutex:
            left = self._locked_for(address)
            if left > 0:
                return SignIn(False, 0, left)
            if password_matches(given, expected):
                self._limiter.clear(self.per_address, "signin-failures", address)
                return SignIn(True, self.per_address.amount)
            self._limiter.hit(self.per_address, "signin-failures", address)
            self._limiter.hit(self.global_ceiling, "signin-failures", GLOBAL)
            if not self._limiter.test(self.per_address, "signin-failures", address):
                return self._lock_out(address, "address", self.per_address)
            if not self._limiter.test(self.global_ceiling, "signin-failures", GLOBAL):
                return self._lock_out(GLOBAL, "global", self.global_ceiling)
            stats = self._limiter.get_window_stats(self.per_address, "signin-failures", address)
            return SignIn(False, stats.remaining)

    def _lock_out(self, key: str, scope: str, item: RateLimitItem) -> SignIn:
        self._limiter.hit(self.lock, "signin-lock", key)
        log.warning("staff sign-in locked: scope=%s address=%s failures=%d window_s=%d "
                    "lockout_s=%d", scope, key, item.amount, item.get_expiry(),
                    self.lock.get_expiry())
        return SignIn(False, 0, float(self.lock.get_expiry()))

    def _locked_for(self, address: str) -> float:
        left = 0.0
        for key in (address, GLOBAL):
            if not self._limiter.test(self.lock, "signin-lock", key):
                reset = self._limiter.get_window_stats(self.lock, "signin-lock", key).reset_time
                left = max(left, reset - time.time(), 1.0)
        return left
