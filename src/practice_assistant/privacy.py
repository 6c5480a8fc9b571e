"""Privacy: redaction for anything written down, and the one thing that is written (feedback)."""

from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from practice_assistant.models import Answer

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(
    r"(?<!\w)(?:\+?\d{1,3}[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)")
_STREET = re.compile(
    r"\b\d{1,6}\s+(?:[A-Z0-9][\w.'-]*\s+){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|"
    r"Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Parkway|Pkwy)\b\.?", re.IGNORECASE)
_write_lock = threading.Lock()


def redact(text: str) -> str:
    """Replace emails, phone numbers and street addresses with placeholders."""
    text = _EMAIL.sub("[email]", text)
    text = _STREET.sub("[address]", text)
    return _PHONE.sub("[phone]", text)


class RedactingFilter(logging.Filter):
    """A safety net: even a careless log call cannot write an email or phone number."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(str(record.msg))
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in args)
        return True


def configure_logging(verbose: bool = False) -> None:
    """Route the package's logs to stderr through the redacting filter (CLI and app alike)."""
    import sys

    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("practice_assistant")
    root.handlers = [handler]
    root.setLevel(logging.INFO if verbose else logging.WARNING)


def record_feedback(path: Path, answer: Answer, rating: str, retention_days: int,
                    now: datetime | None = None) -> dict[str, object]:
    """Append one redacted feedback record and drop records older than the retention period."""
    now = now or datetime.now(UTC)
    record: dict[str, object] = {
        "timestamp": now.isoformat(), "rating": rating, "route": answer.route,
        "question": redact(answer.question), "answer": redact(answer.answer),
        "citations": [{k: v for k, v in asdict(c).items() if k in ("n", "slug", "title", "url")}
                      for c in answer.citations],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    cutoff = now - timedelta(days=retention_days)
    with _write_lock:
        kept = []
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    if datetime.fromisoformat(json.loads(line)["timestamp"]) >= cutoff:
                        kept.append(line)
                except (ValueError, KeyError, TypeError):
                    continue
        kept.append(json.dumps(record, ensure_ascii=False))
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text("\n".join(kept) + "\n", encoding="utf-8")
        tmp.replace(path)
    return record
