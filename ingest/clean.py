"""Clean stage: strip page furniture that came along with a copied blog post."""

from __future__ import annotations

import re

_CAPTION = re.compile(r"^(picture|photo|image|graphic|illustration) of\b", re.IGNORECASE)
_NAV_LINE = re.compile(r"^(next|previous|prev|older post|newer post|share|tweet|pin it)\s*$",
                       re.IGNORECASE)


def clean_body(text: str) -> str:
    """Normalise whitespace and drop caption paragraphs and navigation lines.

    Quotes must stay verbatim, so nothing inside a kept paragraph is rewritten
    beyond whitespace at line ends.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = text.replace("\ufeff", "")
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    paragraphs = re.split(r"\n\s*\n", text)
    kept: list[str] = []
    after_nav = False
    for paragraph in paragraphs:
        lines = [line.rstrip() for line in paragraph.strip("\n").split("\n")]
        had_nav = any(_NAV_LINE.match(line.strip()) for line in lines)
        lines = [line for line in lines if not _NAV_LINE.match(line.strip())]
        if not any(line.strip() for line in lines):
            after_nav = after_nav or had_nav
            continue
        if (after_nav or had_nav) and _is_post_title(lines):
            after_nav = False
            continue
        after_nav = False
        if _CAPTION.match(lines[0].lstrip("#* ").strip()):
            continue
        kept.append("\n".join(lines).strip("\n"))
    return "\n\n".join(kept).strip() + "\n"


def _is_post_title(lines: list[str]) -> bool:
    """The next post's title after a "Next" link: one short line with no sentence ending."""
    text = " ".join(line.strip() for line in lines if line.strip())
    return len(lines) == 1 and len(text.split()) <= 16 and not text.endswith((".", ":", "!"))
