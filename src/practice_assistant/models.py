"""Small frozen records that cross stage boundaries: load → chunk → index → retrieve → compose."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

Route = Literal["answer", "practice_info", "no_answer", "out_of_scope", "crisis", "rate_limited",
                "error"]


@dataclass(frozen=True)
class Article:
    """One published post, cleaned: the Markdown body without page furniture."""

    slug: str
    title: str
    body: str
    url: str | None = None
    date: str | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()
    sample: bool = False
    source_path: str | None = None
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Chunk:
    """A piece of an article small enough to embed, carrying where it came from."""

    id: str
    slug: str
    title: str
    url: str | None
    section: str | None
    text: str
    position: int
    topic: str | None = None
    focus: str | None = None

    def at_site(self, site_url: str | None) -> Chunk:
        """This chunk with a site-relative URL ("/blog/x") made absolute on ``site_url``: the
        index stores links as the articles give them; they are joined once, as chunks load."""
        if site_url and self.url and self.url.startswith("/"):
            return replace(self, url=site_url.rstrip("/") + self.url)
        return self

    def metadata(self) -> dict[str, Any]:
        """Chroma-ready metadata: Chroma rejects None values, so they are left out.

        ``topic`` and ``focus`` come from the article's front matter (see `compose`'s lead-in).
        """
        meta = {"slug": self.slug, "title": self.title, "url": self.url,
                "section": self.section, "position": self.position, "topic": self.topic,
                "focus": self.focus}
        return {key: value for key, value in meta.items() if value is not None}


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with the score that ranked it and its cosine similarity to the question.

    ``similarity`` is what the relevance floor reads: fused scores have no stable scale.
    """

    chunk: Chunk
    score: float
    similarity: float | None = None

    @property
    def relevance(self) -> float:
        return self.score if self.similarity is None else self.similarity


@dataclass(frozen=True)
class CitedSection:
    """One section of a cited article that the answer used, with its verbatim passage."""

    section: str | None
    quote: str


@dataclass(frozen=True)
class Citation:
    """A numbered source under an answer: one per article, numbered by first use.

    ``sections`` lists every section the answer used, each with its verbatim passage, in the
    article's order; ``section`` and ``quote`` repeat the first of them (the older contract).
    """

    n: int
    slug: str
    title: str
    url: str | None
    section: str | None
    quote: str
    sections: tuple[CitedSection, ...] = ()

    def __post_init__(self) -> None:
        if not self.sections:
            object.__setattr__(self, "sections", (CitedSection(self.section, self.quote),))


@dataclass(frozen=True)
class RouteDecision:
    """Why a message went where it did, so routing stays explainable."""

    route: Route
    signal: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Answer:
    """What a visitor gets back: the CLI prints it as JSON, the page draws it."""

    question: str
    route: Route
    answer: str
    citations: tuple[Citation, ...] = ()
    consultation: dict[str, str] | None = None
    resources: tuple[dict[str, str], ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    signal: str | None = None
    reason: str | None = None
    notice: str | None = None
    fallback: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["citations"] = [{**asdict(c), "sections": [asdict(s) for s in c.sections]}
                             for c in self.citations]
        data["resources"] = list(self.resources)
        return data
