"""Do the picked sentences address the question? Checked before an answer is given.

The relevance floor reads one number, the best chunk's cosine, so a question that shares one
word with an article ("session", "EMDR") passes it: "what should I eat before an EMDR session"
finds the EMDR article. This check reads what the composer actually picked:

- **an uncovered subject.** The question's content words (function words and request words
  such as "tips" left out; "husband", "wife" and "counseling" read as "partner" and "therapy")
  that are rare in the articles (in at most RARE_SHARE of them) and appear neither in the
  picked sentences nor in the cited passages, their titles or sections. For each, its
  *centrality*: how far the question's embedding moves when that word is removed
  (1 - cosine). A central uncovered word ("landlord" in "how do I set boundaries with my
  landlord", 0.33) means the question is about something no cited passage mentions; an
  incidental one ("yelling" in a question about wording complaints, 0.06) does not. When
  several are uncovered they are also removed together: "recover" and "repressed" in "can
  EMDR help me recover memories I've repressed" move it 0.08 each, 0.16 together.
- **a disclaimer covers nothing.** A sentence in which the article says what it does not cover
  ("We don't cover medication in this article; ...") is left out of the words that count as
  covered; and a question about what a cited article says it does not cover ("what's the best
  medication for adult ADHD") is not answered from it, however central the word.
- **term coverage and sentence similarity**: the share of the question's content terms
  (weighted by rarity) that the picked sentences or the cited titles contain, and the best
  cosine between the question and one picked sentence. Both very low means nothing picked
  speaks to the question.
- **the answerability model** (:mod:`practice_assistant.answering.answerable`) weighs these
  numbers, and how near the question is to labelled questions the articles do and do not
  answer, and decides. Its inputs are the rules' measures, not their verdicts: read alone,
  the rules refused a third of the answerable questions a visitor words as their own situation
  ("the walls are paper thin": six incidental words, central together), while a question
  nearer known near misses, with little of it covered, is still refused ("who came up with
  EMDR" finds the EMDR article, and every word but "came" is covered). Only the disclaimer
  rule refuses before the model.

Without a model (when the model is being fitted, or nothing was retrieved), the rules decide:
their thresholds were set on the golden questions (every answerable one must pass) and the near
misses in ``training/near_misses_train.jsonl`` (docs/evaluation.md).
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from practice_assistant.answering.answerable import AnswerModel, Judgement
from practice_assistant.models import Chunk
from practice_assistant.retrieval.hybrid import tokenize
from practice_assistant.text import sentences
from practice_assistant.text import words as text_words

MAX_CENTRALITY = 0.08  # an uncovered rare word moving the question this much is its subject
RARE_SHARE = 0.2  # "rare": in at most this share of the articles (at least one article)
MIN_COVERAGE = 0.1  # below both of these, nothing picked speaks to the question
MIN_SIMILARITY = 0.3
# A sentence saying what the article leaves out: its words are not an answer to anything.
DISCLAIMER = re.compile(
    r"\b(?:we|i|this (?:article|post|guide|page)|it)\s+(?:don'?t|do not|doesn'?t|does not|"
    r"can'?t|cannot|won'?t|will not)\s+(?:cover|discuss|address|go into|get into|tell you)\b",
    re.IGNORECASE)
# What a disclaimer says is left out: "we don't cover medication in this article" → medication.
_LEFT_OUT = re.compile(
    r"\b(?:don'?t|do not|doesn'?t|does not|won'?t|will not)\s+(?:cover|discuss|address|go into|"
    r"get into)\s+([^.;:!?]+?)(?=\s+(?:in|on) this\b|\s+here\b|[.;:!?]|$)", re.IGNORECASE)
_CACHE_SIZE = 4096
TERMS_FILE = "article_terms.json"  # in the version's folder, beside its BM25 index
TERMS_FORMAT = 1
# Function words the retrieval tokenizer keeps (its stop-word list is short): a question's
# "my", "how" or "should" is not something an answer has to cover.
FUNCTION_WORDS = frozenset("""
a about above after again against ago all also always am an and any anymore anyone anything are
aren't as at be because been before being below between both but by can can't could couldn't did
didn't do does doesn't doing don't down during each even ever every few for from further get gets
getting go goes going got had hadn't has hasn't have haven't having he he'd he'll he's her here
hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself
just keep keeps kind let's like lot lots many may me might more most much must my myself no nor
not nothing now of off often on once one only or other our ours ourselves out over own please
really same say says shall she she'd she'll she's should shouldn't so some someone something
sometimes still such than that that's the their theirs them themselves then there there's these
they they'd they'll they're they've thing things this those though through to too try trying
under until up us very want wants was wasn't way we we'd we'll we're we've were weren't what
what's whatever when whenever when's where where's whether which while who who's whom why why's
will with won't would wouldn't yes yet you you'd you'll you're you've your yours yourself
yourselves actually anybody everyone everything lately
""".split())
# Words that say what kind of answer is wanted (or what judgement), not what it is about.
REQUEST_WORDS = frozenset("""
tip tips advice idea ideas way ways suggestion suggestions example examples info information
guide guidance steps strategy strategies resource resources explain tell know worth good bad
normal okay ok best better worse possible right wrong common helpful useful deal cope handle
manage overcome theory concept meaning definition
""".split())
# How the articles name people and things that visitors name in many ways.
SAME_AS = {"husband": "partner", "wife": "partner", "boyfriend": "partner",
           "girlfriend": "partner", "spouse": "partner", "fiance": "partner",
           "fiancee": "partner", "bf": "partner", "gf": "partner", "hubby": "partner",
           "counseling": "therapy", "counselling": "therapy", "counselor": "therapist",
           "counsellor": "therapist", "mom": "parent", "dad": "parent", "mother": "parent",
           "father": "parent", "meds": "medication", "med": "medication",
           "medicine": "medication", "medicines": "medication"}


@dataclass(frozen=True)
class Addressing:
    """The verdict and the numbers behind it, for the answer's ``reason``."""

    addressed: bool
    coverage: float
    similarity: float
    uncovered: tuple[tuple[str, float], ...] = ()
    joint: float = 0.0  # centrality of all the uncovered words removed together
    left_out: str | None = None  # a question word a cited article says it does not cover
    features: tuple[float, ...] = ()  # the model's pipeline features (answerable.FEATURES[2:])
    judgement: Judgement | None = None  # the answerability model's, when it decided

    @property
    def reason(self) -> str:
        j = self.judgement
        if j is not None and not j.answerable:
            subject = self._subject()
            return (f"answerability {j.probability:.2f} < {j.threshold:.2f}: nearest unanswered "
                    f"question {j.nearest_unanswered!r}, nearest answered "
                    f"{j.nearest_answered!r}" + (f"; {subject}" if subject else ""))
        if self.left_out:
            return (f"the question is about {self.left_out!r}, which the cited article says it "
                    "does not cover")
        subject = self._subject()
        if j is None and subject:
            return subject
        covered = (f"picked sentences cover {self.coverage:.2f} of the question's terms and are "
                   f"at most {self.similarity:.2f} similar to it")
        return (f"answerability {j.probability:.2f} >= {j.threshold:.2f}; {covered}"
                if j is not None else covered)

    def _subject(self) -> str:
        """What the question is about that no cited passage mentions, if that is its subject."""
        central = [(w, c) for w, c in self.uncovered if c >= MAX_CENTRALITY]
        if central:
            word, value = max(central, key=lambda pair: pair[1])
            return (f"the question is about {word!r}, which no cited passage mentions "
                    f"(centrality {value:.2f} >= {MAX_CENTRALITY})")
        if len(self.uncovered) > 1 and self.joint >= MAX_CENTRALITY:
            words = " and ".join(repr(w) for w, _ in self.uncovered)
            return (f"the question is about {words}, which no cited passage mentions "
                    f"(centrality together {self.joint:.2f} >= {MAX_CENTRALITY})")
        return ""


def content_words(text: str) -> list[tuple[str, str]]:
    """(word as written, stemmed term) for each content word, each term once."""
    found: dict[str, str] = {}
    for word in text_words(text):
        base = word.removesuffix("'s")
        if base in FUNCTION_WORDS or base in REQUEST_WORDS:
            continue
        terms = tokenize([SAME_AS.get(base, base)])[0]
        if terms and terms[0] not in found:
            found[terms[0]] = word
    return [(word, term) for term, word in found.items()]


@dataclass(frozen=True)
class ArticleTerms:
    """How rare each term is across the articles, and what each article says it leaves out.

    Counted once per index version at ingest and saved beside its BM25 index
    (:data:`TERMS_FILE`), so the app need not read every chunk to answer; a version written
    before it was saved is counted as it loads.
    """

    articles: int
    df: Mapping[str, int]
    left_out: Mapping[str, frozenset[str]]

    def save(self, folder: Path) -> Path:
        """Write ``folder/TERMS_FILE`` atomically: a reader sees all of it or nothing."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / TERMS_FILE
        tmp = folder / f".{TERMS_FILE}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps({"format": TERMS_FORMAT, "articles": self.articles,
                                   "df": dict(self.df),
                                   "left_out": {k: sorted(v) for k, v in self.left_out.items()}}),
                       encoding="utf-8")
        os.replace(tmp, target)
        return target

    @classmethod
    def load(cls, folder: Path) -> ArticleTerms | None:
        """The counts saved in ``folder``; None when there are none (or in another format)."""
        try:
            saved = json.loads((Path(folder) / TERMS_FILE).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None
        if not isinstance(saved, dict) or saved.get("format") != TERMS_FORMAT:
            return None
        return cls(int(saved["articles"]), {str(k): int(v) for k, v in saved["df"].items()},
                   {str(k): frozenset(v) for k, v in saved["left_out"].items()})


def article_terms(chunks: Iterable[Chunk]) -> ArticleTerms:
    """Count each term once per article. ``chunks`` in id order ("slug:position:digest"), so
    an article's chunks are contiguous and one article's terms are held at a time (every
    article's term set at once cost about 600 MiB at 100k chunks)."""
    df: dict[str, int] = {}
    left_out: dict[str, set[str]] = {}
    seen: set[str] = set()
    current: str | None = None
    terms: set[str] = set()

    def count(found: set[str]) -> None:
        for term in found:
            df[term] = df.get(term, 0) + 1

    for chunk in chunks:
        if chunk.slug != current:
            count(terms)
            current, terms = chunk.slug, set()
            seen.add(chunk.slug)
        terms.update(tokenize([f"{chunk.title} {chunk.section or ''} {chunk.text}"])[0])
        # What each article says it does not cover, wherever in the article it says so.
        disclaimed = " ".join(m.group(1) for m in _LEFT_OUT.finditer(chunk.text))
        if disclaimed:
            left_out.setdefault(chunk.slug, set()).update(tokenize([disclaimed])[0])
    count(terms)
    return ArticleTerms(len(seen), df, {k: frozenset(v) for k, v in left_out.items()})


class AddressCheck:
    """Built once per index version from its articles' term counts (for how rare a term is)."""

    def __init__(self, embeddings: Embeddings, terms: ArticleTerms,
                 max_centrality: float = MAX_CENTRALITY, min_coverage: float = MIN_COVERAGE,
                 min_similarity: float = MIN_SIMILARITY,
                 model: AnswerModel | None = None) -> None:
        """``model`` (the shipped one in the service) is read after the rules; None skips it."""
        self.embeddings = embeddings
        self.model = model
        self.max_centrality = max_centrality
        self.min_coverage = min_coverage
        self.min_similarity = min_similarity
        self._df = terms.df
        self._left_out = terms.left_out
        self._articles = max(1, terms.articles)
        self._rare = max(1, int(RARE_SHARE * self._articles))
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def weight(self, term: str) -> float:
        """Rarer terms weigh more; a term no article has weighs the most."""
        return math.log((self._articles + 1) / (self._df.get(term, 0) + 0.5))

    def check(self, question: str, vector: Sequence[float], sentences: Sequence[str],
              cited: Sequence[Chunk] = (), best_passage: float | None = None) -> Addressing:
        """``sentences`` are the picked ones; ``cited`` the chunks they come from;
        ``best_passage`` the best retrieved passage's cosine (the model needs it)."""
        words = content_words(question)
        picked = set(tokenize([" ".join([*map(_claims, sentences),
                                         *(c.title for c in cited)])])[0])
        context = picked | set(tokenize([" ".join(f"{c.title} {c.section or ''} {_claims(c.text)}"
                                                   for c in cited)])[0])
        total = sum(self.weight(t) for _, t in words)
        coverage = (sum(self.weight(t) for _, t in words if _covers(picked, t)) / total
                    if total else 1.0)
        similarity = self._similarity(vector, sentences)
        rare = [(w, t) for w, t in words
                if self._df.get(t, 0) <= self._rare and not _covers(context, t)]
        uncovered = tuple((w, round(self._centrality(question, vector, w), 3)) for w, _ in rare)
        joint = (round(self._centrality(question, vector, *(w for w, _ in rare)), 3)
                 if len(rare) > 1 else max((c for _, c in uncovered), default=0.0))
        disclaimed = set().union(*(self._left_out.get(c.slug, frozenset()) for c in cited))
        left_out = next((w for w, t in words if t in disclaimed), None)
        # The rules' verdict: what decides when there is no model (or nothing was retrieved).
        addressed = (left_out is None and all(c < self.max_centrality for _, c in uncovered)
                     and joint < self.max_centrality
                     and not (coverage < self.min_coverage and similarity < self.min_similarity))
        features: tuple[float, ...] = ()
        judgement = None
        if best_passage is not None:
            unsaid = sum(not _covers(picked, t) for _, t in words) / len(words) if words else 0.0
            said = (sum(self.weight(t) for _, t in words if _covers(context, t)) / total
                    if total else 1.0)
            central = max((c for _, c in uncovered), default=0.0)
            features = (round(central, 4), round(joint, 4), float(len(uncovered)),
                        round(coverage, 4), round(similarity, 4), round(unsaid, 4),
                        round(said, 4), round(float(best_passage), 4),
                        round(self._similarity(vector, list(dict.fromkeys(
                            c.title for c in cited))), 4))
            # A question about what the article says it leaves out is refused whatever else
            # holds; every other question is the model's to judge, the rules' numbers among
            # its inputs.
            if self.model is not None and left_out is None:
                judgement = self.model.judge(vector, features)
                addressed = judgement.answerable
        return Addressing(addressed, round(coverage, 3), round(similarity, 3), uncovered, joint,
                          left_out, features, judgement)

    def _centrality(self, question: str, vector: Sequence[float], *words: str) -> float:
        """1 - cosine between the question and the question without ``words``."""
        without = question.replace("’", "'")
        for word in words:
            without = re.sub(rf"(?i)\b{re.escape(word)}\b", " ", without)
        without = " ".join(without.split())
        if not without:
            return 1.0
        other = np.asarray(self._vectors([without])[without], dtype=np.float32)
        return 1.0 - float(np.dot(np.asarray(vector, dtype=np.float32), other))

    def _similarity(self, vector: Sequence[float], sentences: Sequence[str]) -> float:
        if not sentences:
            return 0.0
        query = np.asarray(vector, dtype=np.float32)
        return float(max(np.dot(v, query) for v in self._vectors(sentences).values()))

    def _vectors(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Vectors by text, cached (writes under a lock; each call reads its own copies)."""
        local = {t: self._cache.get(t) for t in dict.fromkeys(texts)}
        missing = [t for t, v in local.items() if v is None]
        if missing:
            vectors = self.embeddings.embed_documents(missing)
            with self._lock:
                for text, vec in zip(missing, vectors, strict=True):
                    local[text] = np.asarray(vec, dtype=np.float32)
                    self._cache[text] = local[text]
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        return {t: v for t, v in local.items() if v is not None}


def _claims(text: str) -> str:
    """``text`` without the sentences in which it says what it does not cover."""
    if not DISCLAIMER.search(text):
        return text
    return " ".join(s for s in sentences(text, at="stop", lines=True) if not DISCLAIMER.search(s))


def _covers(terms: set[str], term: str) -> bool:
    """Exact stem, or a shared five-letter start ("complain" and "complaints")."""
    return term in terms or (len(term) >= 5 and any(t.startswith(term[:5]) for t in terms))
