"""Text the chat page shows; kept out of app.py so the page only draws."""

from __future__ import annotations

import re
from collections.abc import Mapping

from practice_assistant.settings import Settings

STARTERS = (
    "Why won't my partner go to couples therapy?",
    "What is EMDR?",
    "What happens in a free consultation?",
    "How do I set boundaries?",
)
CLIENT_ADDRESS_HEADER = "X-Practice-Assistant-Client"  # set by web.ClientAddressMiddleware only
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<&])")
_NUMBER = r"\d(?:[\d-]*\d)?"
_CONTACT = re.compile(
    rf"\b(?P<call_or>call) or (?P<text_or>text) (?P<both>{_NUMBER})\b"
    rf"|\b(?P<text_word>text (?P<word>[A-Z]+) to (?P<keyword_to>{_NUMBER}))\b"
    rf"|\b(?P<call>call (?P<call_n>{_NUMBER}))\b"
    rf"|\b(?P<text>text (?P<text_n>{_NUMBER}))\b", re.IGNORECASE)


def escape_visitor_text(text: str) -> str:
    """Show a visitor's message exactly as typed: no Markdown, links or HTML take effect."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def crisis_line(settings: Settings) -> str:
    """The one-line reminder every later message carries once a crisis was raised."""
    return " · ".join(f"{r.name}: {r.contact}" for r in settings.crisis_resources)


def contact_segments(text: str) -> list[tuple[str, str | None]]:
    """Split the assistant's own text into plain pieces and ``(label, tel:/sms: href)`` links.

    "call 988", "text 988", "call or text 988" and "text HOME to 741741" become tappable, with
    the keyword as the message body where one is named. Never used on a visitor's message.
    """
    segments: list[tuple[str, str | None]] = []
    position = 0
    for match in _CONTACT.finditer(text):
        segments.append((text[position:match.start()], None))
        if match["both"]:
            n, digits = match["both"], _digits(match["both"])
            segments += [(f"{match['call_or']} {n}", f"tel:{digits}"), (" or ", None),
                         (f"{match['text_or']} {n}", f"sms:{digits}")]
        elif match["text_word"]:
            number = _digits(match["keyword_to"])
            segments.append((match["text_word"], f"sms:{number}?body={match['word']}"))
        elif match["call"]:
            segments.append((match["call"], f"tel:{_digits(match['call_n'])}"))
        else:
            segments.append((match["text"], f"sms:{_digits(match['text_n'])}"))
        position = match.end()
    segments.append((text[position:], None))
    return [(label, href) for label, href in segments if label]


def link_contacts(markdown: str) -> str:
    """`contact_segments` as Markdown links, for the crisis reply and the notices."""
    return "".join(f"[{label}]({href})" if href else label
                   for label, href in contact_segments(markdown))


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def client_address(headers: Mapping[str, str], fallback: str | None) -> str:
    """The visitor's address as the web server resolved it (trusted proxies only).

    Under `make run` the ASGI middleware sets ``CLIENT_ADDRESS_HEADER`` on every connection,
    replacing anything a client sent; run another way, Streamlit's own peer address is used.
    """
    resolved = headers.get(CLIENT_ADDRESS_HEADER)
    for address in (resolved, fallback):
        if isinstance(address, str) and address:
            return address
    return "unknown"
