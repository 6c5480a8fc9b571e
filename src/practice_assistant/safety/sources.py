"""Labelled messages for training and validating crisis routing, each tagged with its source.

Sources are kept apart so that every reported figure can be measured on a source the model was
neither fitted nor tuned on (leave one source out). They are:

- the bank written for this project (``training/crisis/*.jsonl``), one source per file;
- the public sets in ``../shared/data/crisis/``, read in place: ``routing_dev.jsonl`` split by its
  ``source`` field (SimpleSafetyTests, Do-Not-Answer, OpenAI moderation, XSTest, CounselChat) and
  the C-SSRS Reddit posts (Ideation, Behavior and Attempt are crisis; Supportive is not; Indicator
  is reported on its own and never trained on);
- the project's golden questions (``eval/golden.jsonl``), all benign.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from practice_assistant.jsonl import read_jsonl

CRISIS, BENIGN = "crisis", "benign"
CSSRS_CRISIS = frozenset({"Ideation", "Behavior", "Attempt"})
CSSRS_SOURCE = "C-SSRS Reddit"
REPORT_ONLY = "report-only"


@dataclass(frozen=True)
class LabelledMessage:
    """One message with its routing label; ``label`` is crisis, benign, or report-only."""

    text: str
    label: str
    source: str
    signal: str | None = None
    kind: str | None = None

    @property
    def trainable(self) -> bool:
        return self.label in (CRISIS, BENIGN)


@dataclass(frozen=True)
class RoutingData:
    """Where the labelled messages for training and held-out validation live."""

    bank: Path
    shared_crisis: Path | None
    golden: Path | None
    cache: Path | None = None
    visitor_questions: Path | None = None


def load_bank(folder: Path) -> list[LabelledMessage]:
    """Every ``*.jsonl`` file of the hand-written bank; a bad row raises naming its line."""
    rows: list[LabelledMessage] = []
    for path in sorted(folder.glob("*.jsonl")):
        rows += _jsonl_rows(path, default_source=f"bank-{path.stem}")
    return rows


def load_routing_set(path: Path) -> list[LabelledMessage]:
    """A routing JSONL set (``text``, ``label``, ``source``); other labels become report-only."""
    return _jsonl_rows(path, default_source=path.stem)


def load_cssrs(path: Path) -> list[LabelledMessage]:
    """The C-SSRS Reddit users: one message per user, their posts joined."""
    rows: list[LabelledMessage] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            text = _joined_posts(record["Post"])
            level = record["Label"].strip()
            label = CRISIS if level in CSSRS_CRISIS else BENIGN if level == "Supportive" \
                else REPORT_ONLY
            rows.append(LabelledMessage(text, label, CSSRS_SOURCE, kind=level))
    return rows


def load_golden_questions(path: Path) -> list[LabelledMessage]:
    """The practice's golden questions: what visitors ask, none of it a crisis."""
    rows: list[LabelledMessage] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(LabelledMessage(json.loads(line)["question"], BENIGN, "golden"))
    return rows


#: the questions the assistant exists for weigh more in the fit: a false alarm on them is what
#: a visitor asking about the practice or its articles meets (docs/safety.md)
VISITOR_WEIGHTS = {"golden": 4.0, "practice-topics": 4.0}


def load_visitor_questions(path: Path) -> list[LabelledMessage]:
    """Practical questions visitors ask (``training/practice_topics.jsonl``): none a crisis."""
    return _jsonl_rows(path, default_source="practice-topics", label=BENIGN)


def load_all(bank: Path, shared_crisis: Path | None, golden: Path | None,
             visitor_questions: Path | None = None) -> list[LabelledMessage]:
    """Bank, public sets (when the folder exists), golden and practical visitor questions."""
    rows = load_bank(bank)
    if shared_crisis is not None and shared_crisis.is_dir():
        rows += load_routing_set(shared_crisis / "routing_dev.jsonl")
        rows += load_cssrs(shared_crisis / "cssrs_500_Reddit_users_posts_labels.csv")
    if golden is not None and golden.exists():
        rows += load_golden_questions(golden)
    if visitor_questions is not None and visitor_questions.exists():
        rows += load_visitor_questions(visitor_questions)
    return rows


def bank_digest(folder: Path) -> str:
    """A fingerprint of the bank's files, recorded in the model it trains."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.jsonl")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def sources(rows: Iterable[LabelledMessage]) -> list[str]:
    return sorted({row.source for row in rows})


def _jsonl_rows(path: Path, default_source: str, label: str | None = None) -> list[LabelledMessage]:
    """Labelled rows of a JSONL file; ``label`` given labels every row (a set of one kind)."""
    rows: list[LabelledMessage] = []
    for number, data in read_jsonl(path):
        try:
            text, given = data["text"], label or data["label"]
        except KeyError as error:
            raise ValueError(f"{path}:{number}: not a labelled message ({error})") from error
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{path}:{number}: empty text")
        given = given if given in (CRISIS, BENIGN) else REPORT_ONLY
        rows.append(LabelledMessage(text, given, str(data.get("source") or default_source),
                                    signal=data.get("signal"),
                                    kind=data.get("construct") or data.get("kind")
                                    or data.get("category")))
    return rows


def _joined_posts(field: str) -> str:
    """The CSV keeps each user's posts as a Python list literal."""
    try:
        posts = ast.literal_eval(field)
    except (SyntaxError, ValueError):
        return field
    if isinstance(posts, list):
        return "\n\n".join(str(p) for p in posts)
    return str(posts)
