"""The automated-assistant disclosure: shown at the start and repeated in long conversations.

New York's General Business Law §1702 asks an AI companion to remind users at least every three
hours that it is not human; California's SB 243 asks for a clear notice and a published crisis
protocol (our `/safety` page). The page asks `reminder_due` before each reply, with the time from
an injected clock, so a test can move time forward.
"""

from __future__ import annotations

from dataclasses import dataclass

AUTOMATED_NOTICE = (
    "I'm an automated assistant, not a therapist or a person. I share what the practice's "
    "articles say and can help you book a consultation. In a crisis, call or text 988, or "
    "call 911.")
UNDER_18_NOTICE = (
    "This assistant is not meant for anyone under 18. If you're under 18 and need help, talk "
    "with a parent, a school counselor or another adult you trust, or call or text 988 any "
    "time.")
SAFETY_LINK = "[How this assistant handles crisis messages and your privacy](/safety)"
REMINDER = (
    "A reminder: you are chatting with an automated assistant, not a person or a therapist. "
    "In a crisis, call or text 988, or call 911.")


@dataclass(frozen=True)
class DisclosureSchedule:
    """Repeat the notice once ``interval_s`` seconds have passed since it was last shown."""

    interval_s: float = 3 * 3600

    def reminder_due(self, last_shown_at: float, now: float) -> bool:
        return now - last_shown_at >= self.interval_s
