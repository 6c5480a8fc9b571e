"""The BM25 index saved with each index version: written at ingest, loaded memory-mapped.

Real Chroma on disk and the real ingest pipeline; hashed bag-of-words embeddings stand in for
the model (fusion needs vectors, not good ones).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from ingest.chunk import chunk_article
from ingest.pipeline import ingest_articles, run_ingest
from practice_assistant.answering.addressing import TERMS_FILE, ArticleTerms, article_terms
from practice_assistant.answering.compose import compose
from practice_assistant.app_service import build_router
from practice_assistant.models import Article, Chunk
from practice_assistant.practice.facts import FACTS_SLUG
from practice_assistant.retrieval.hybrid import (
    RETRIEVERS,
    HybridRetriever,
    open_retriever,
    tokenize,
)
from practice_assistant.retrieval.lexical import (
    FOLDER,
    ChunkTable,
    build_lexical,
    has_lexical,
    load_lexical,
    read_chunks,
    save_lexical,
)
from practice_assistant.retrieval.views import ArticleView
from practice_assistant.service import NO_ANSWER_LEAD, Assistant
from practice_assistant.settings import Settings
from practice_assistant.store import IndexStore, add_chunks

QUERIES = ("my partner avoids therapy", "EMDR eye movements and trauma",
           "boundaries with my mother in law", "anxiety attachment reassurance",
           "online video sessions privacy", "the weighted blanket shaped like a tortoise",
           "sleep", "therapy therapy therapy couples")
TOPICS = ("couples therapy", "EMDR trauma", "healthy boundaries", "relationship anxiety",
          "online sessions", "family conflict", "grief and loss", "sleep and stress")


DIM = 384


class BagOfWords(Embeddings):
    """Hashed stems, normalised: cosine tracks shared words. Fast and deterministic.

    384 wide, as the real model: the crisis classifier and the practice-topic examples an
    `Assistant` runs before retrieval take vectors of that width."""

    def _one(self, text: str) -> list[float]:
        vec = np.zeros(DIM, dtype=np.float32)
        for token in tokenize([text])[0]:
            vec[int(hashlib.md5(token.encode()).hexdigest(), 16) % DIM] += 1.0
        norm = float(np.linalg.norm(vec))
        return (vec / norm if norm else vec).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._one(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._one(text)


def articles(n: int = 24, edited: str = "") -> list[Article]:
    """``n`` distinct articles, two sections each, on a handful of shared topics."""
    out = []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        words = " ".join(f"word{i}x{j}" for j in range(i % 5 + 1))
        body = (f"## About {topic}\n\nArticle {i} explains {topic} for partners and families. "
                f"It mentions {words} and therapy sessions {i % 3 + 1} times.\n\n"
                f"## Next steps\n\nBook a consultation about {topic}; article {i} ends here.\n")
        if i == 5 and edited:
            body += f"\n{edited}\n"
        out.append(Article(slug=f"article-{i:02d}", title=f"{topic.title()} {i}", body=body,
                           url=f"/blog/article-{i:02d}" if i % 4 else None))
    return out


def ranked(retriever: HybridRetriever, query: str, k: int = 30) -> list[tuple[str, float]]:
    return [(p.chunk.id, round(p.score, 5)) for p in retriever.search(query, k=k)]


def bm25_by_id(retriever: HybridRetriever, query: str) -> dict[str, float]:
    scores = retriever.bm25_scores(query)
    return {retriever.chunks[i].id: round(float(s), 5) for i, s in enumerate(scores)}


@pytest.fixture
def embeddings() -> BagOfWords:
    return BagOfWords()


@pytest.fixture
def store(tmp_path: Path, embeddings: BagOfWords) -> IndexStore:
    store = IndexStore(tmp_path / "index")
    ingest_articles(articles(), store, embeddings)
    return store


def test_ingest_saves_the_bm25_index_inside_the_version_folder(store: IndexStore, embeddings):
    """The saved index sits next to the version's Chroma database, and the app loads it."""
    version = store.current().version
    folder = store.root / "versions" / version
    assert (folder / "chroma.sqlite3").exists() and has_lexical(folder)
    retriever = open_retriever(store, version, embeddings)
    assert retriever.lexical.saved and isinstance(retriever.chunks, ChunkTable)
    assert isinstance(retriever.bm25.scores["data"], np.memmap)


@pytest.mark.parametrize("mode", RETRIEVERS)
def test_saved_index_ranks_exactly_like_one_built_from_the_chunks(store: IndexStore,
                                                                  embeddings, mode: str):
    """Every mode returns the same chunks, scores and similarities from either index."""
    version = store.current().version
    saved = open_retriever(store, version, embeddings, mode=mode)
    built = HybridRetriever(store.open_collection(version), embeddings, mode=mode)
    assert not built.lexical.saved and len(saved.chunks) == len(built.chunks)
    for query in QUERIES:
        ours = saved.search(query, k=30)
        theirs = built.search(query, k=30)
        assert [p.chunk for p in ours] == [p.chunk for p in theirs], query
        assert [p.score for p in ours] == pytest.approx([p.score for p in theirs]), query
        assert [p.similarity or -1.0 for p in ours] == pytest.approx(
            [p.similarity or -1.0 for p in theirs]), query


def test_incremental_ingest_ranks_like_a_fresh_build(tmp_path: Path, store: IndexStore,
                                                     embeddings):
    """Edit one article, add one, remove one: the new version's BM25 (built from copied and
    new chunks) scores every chunk as a fresh ingest of the same corpus does."""
    final = [a for a in articles(26, edited="A weighted blanket shaped like a tortoise.")
             if a.slug != "article-07"]
    report = ingest_articles(final, store, embeddings)
    assert report.plan.updated == ("article-05",) and report.plan.removed == ("article-07",)
    assert 0 < report.chunks_embedded < report.chunks  # the rest was copied, not re-embedded
    fresh = IndexStore(tmp_path / "fresh")
    ingest_articles(final, fresh, embeddings)
    grown = open_retriever(store, store.current().version, embeddings, mode="bm25")
    clean = open_retriever(fresh, fresh.current().version, embeddings, mode="bm25")
    assert grown.lexical.saved and clean.lexical.saved
    assert sorted(c.id for c in grown.chunks) == sorted(c.id for c in clean.chunks)
    for query in QUERIES:
        assert bm25_by_id(grown, query) == bm25_by_id(clean, query), query
        assert ranked(grown, query) == ranked(clean, query), query
    assert ranked(grown, "tortoise blanket")[0][0].startswith("article-05:")


def test_version_written_before_bm25_was_saved_still_serves(store: IndexStore, embeddings,
                                                            tmp_path: Path, caplog):
    """An old version is indexed in memory, with a warning naming the fix; the next ingest
    (nothing changed, no model) saves its index."""
    version = store.current().version
    reference = open_retriever(store, version, embeddings)
    shutil.rmtree(store.version_files(version) / FOLDER)
    settings = Settings(_env_file=None, index_dir=store.root, feedback_path=tmp_path / "f.jsonl")
    with caplog.at_level(logging.WARNING, logger="practice_assistant"):
        retriever = Assistant(settings, embeddings, build_router(embeddings), store).retriever()
    assert not retriever.lexical.saved
    assert "no saved BM25 index" in caplog.text and "python -m ingest" in caplog.text
    for query in QUERIES:
        assert ranked(retriever, query) == ranked(reference, query), query
    report = ingest_articles(articles(), store, None)
    assert report.chunks_embedded == 0 and store.current().version == version
    assert any("saved the BM25 index" in note for note in report.notes)
    assert open_retriever(store, version, embeddings).lexical.saved


def test_a_saved_index_that_does_not_match_its_collection_is_not_used(store: IndexStore,
                                                                      embeddings, caplog):
    """A table from elsewhere (another row count) would map hits to the wrong chunks."""
    version = store.current().version
    folder = store.version_files(version)
    shutil.rmtree(folder / FOLDER)
    save_lexical(build_lexical(articles_chunks(3)), folder)
    with caplog.at_level(logging.WARNING, logger="practice_assistant"):
        retriever = open_retriever(store, version, embeddings)
    assert not retriever.lexical.saved and "indexing in memory instead" in caplog.text
    assert "no saved BM25 index" not in caplog.text  # it has one: the wrong one
    assert len(retriever.chunks) == store.current().chunks


def test_ingest_saves_the_article_term_counts_the_addressing_check_reads(store: IndexStore,
                                                                        embeddings,
                                                                        tmp_path: Path):
    """Counted once at ingest from the articles (not the facts), equal to counting the served
    chunks; the app reads them instead of every chunk."""
    version = store.current().version
    saved = ArticleTerms.load(store.version_files(version))
    assert saved is not None and saved.articles == len(articles())
    assert saved == article_terms(open_retriever(store, version, embeddings).chunks)
    assert saved.df[tokenize(["partners"])[0][0]] == len(articles())  # in every article, once
    settings = Settings(_env_file=None, index_dir=store.root, feedback_path=tmp_path / "f.jsonl")
    assistant = Assistant(settings, embeddings, build_router(embeddings), store)
    assert assistant._version().addressing._df == saved.df


def test_a_version_without_term_counts_counts_its_chunks_and_the_next_ingest_saves_them(
        store: IndexStore, embeddings, tmp_path: Path, caplog):
    version = store.current().version
    folder = store.version_files(version)
    expected = ArticleTerms.load(folder)
    (folder / TERMS_FILE).unlink()
    settings = Settings(_env_file=None, index_dir=store.root, feedback_path=tmp_path / "f.jsonl")
    with caplog.at_level(logging.WARNING, logger="practice_assistant"):
        assistant = Assistant(settings, embeddings, build_router(embeddings), store)
        assert assistant._version().addressing._df == expected.df
    assert "no saved article term counts" in caplog.text and "python -m ingest" in caplog.text
    report = ingest_articles(articles(), store, None)  # nothing changed: no model needed
    assert report.chunks_embedded == 0 and store.current().version == version
    assert any(TERMS_FILE in note for note in report.notes)
    assert ArticleTerms.load(folder) == expected


def test_article_term_counts_round_trip_what_an_article_says_it_leaves_out(tmp_path: Path):
    chunks = [Chunk(id="a:0:x", slug="a", title="ADHD", url=None, section="Intro",
                    text="We don't cover medication in this article. Focus helps.", position=0),
              Chunk(id="a:1:y", slug="a", title="ADHD", url=None, section=None,
                    text="Focus and routines.", position=1),
              Chunk(id="b:0:z", slug="b", title="Focus", url=None, section=None,
                    text="Routines for couples.", position=0)]
    terms = article_terms(chunks)
    focus = tokenize(["focus"])[0][0]
    assert terms.articles == 2 and terms.df[focus] == 2  # twice in "a", counted once
    assert terms.left_out == {"a": frozenset(tokenize(["medication"])[0])}
    assert ArticleTerms.load(terms.save(tmp_path).parent) == terms
    (tmp_path / TERMS_FILE).write_text("{not json", encoding="utf-8")
    assert ArticleTerms.load(tmp_path) is None
    assert ArticleTerms.load(tmp_path / "missing") is None


def test_dense_search_never_returns_the_facts_and_still_fills_its_results(tmp_path: Path,
                                                                         embeddings):
    """The article view asks Chroma unfiltered for a few more hits and drops the facts (a
    `where` filter held about 200 MiB more at 100k chunks): same hits as the filtered query,
    even when every fact is nearer than any article."""
    store = IndexStore(tmp_path / "index")
    _, collection = store.new_version(None, drop_slugs=set())
    chunks = [c for a in articles(12) for c in chunk_article(a)]
    query = embeddings.embed_query("couples therapy for partners")
    facts = [Chunk(id=f"{FACTS_SLUG}:{i}:field{i}", slug=FACTS_SLUG, title="Practice facts",
                   url=None, section=None, text=f"fact {i}", position=i) for i in range(4)]
    add_chunks(collection, [*chunks, *facts],
               [*embeddings.embed_documents([c.text for c in chunks]), *([query] * len(facts))],
               {c.slug: "h" for c in [*chunks, *facts]})
    view = ArticleView(collection)
    assert view.count() == len(chunks)
    found = view.query(query_embeddings=[query], n_results=6,
                       include=["distances", "metadatas"])
    filtered = collection.query(query_embeddings=[query], n_results=6,
                                include=["distances", "metadatas"],
                                where={"slug": {"$ne": FACTS_SLUG}})
    assert len(found["ids"][0]) == 6
    assert found["distances"][0] == pytest.approx(filtered["distances"][0])  # ties may swap ids
    last = max(found["distances"][0])
    assert ({cid for cid, d in zip(found["ids"][0], found["distances"][0], strict=True)
             if d < last - 1e-6} == {cid for cid, d in zip(filtered["ids"][0],
                                                          filtered["distances"][0], strict=True)
                                     if d < last - 1e-6})
    assert all(m["slug"] != FACTS_SLUG for m in found["metadatas"][0])
    narrowed = view.query(query_embeddings=[query], n_results=3, where={"slug": "article-01"})
    assert {cid.split(":")[0] for cid in narrowed["ids"][0]} == {"article-01"}


def articles_chunks(n: int) -> list[Chunk]:
    return [Chunk(id=f"c{i}", slug=f"s{i}", title="t", url=None, section=None, text=f"text {i}",
                  position=0) for i in range(n)]


def test_chunk_table_round_trips_every_field_and_maps_ids_to_rows(tmp_path: Path):
    chunks = [Chunk(id="zeta:0:ab", slug="zeta", title="Zêta — “quoted”", url=None,
                    section=None, text="Line one.\nLine two, with ünïcode.", position=0),
              Chunk(id="alpha:3:cd", slug="alpha", title="Alpha", url="/blog/alpha",
                    section="Why", text="", position=3),
              Chunk(id="mid:1:ef", slug="mid", title="", url="https://x.test/mid",
                    section="Ä section", text="x" * 5000, position=1)]
    table = ChunkTable(save_lexical(build_lexical(chunks), tmp_path))
    by_id = [chunks[1], chunks[2], chunks[0]]  # rows are in id order, whatever order came in
    assert len(table) == 3 and list(table) == by_id
    assert table[-1] == chunks[0] and table[0:2] == by_id[:2]
    assert table.rows_of(["mid:1:ef", "zeta:0:ab", "alpha:3:cd"]) == [1, 2, 0]
    assert table.ids_of([2, 1]) == ["zeta:0:ab", "mid:1:ef"]
    for missing in ("nope", "alpha:3:c", "alpha:3:cd-and-a-much-longer-tail"):
        with pytest.raises(KeyError):
            table.rows_of([missing])
    with pytest.raises(IndexError):
        table[3]


def test_no_answer_lists_topics_without_decoding_the_whole_table(store: IndexStore,
                                                                 embeddings, tmp_path: Path,
                                                                 monkeypatch):
    """The topic list reads the first chunks only, however large the index."""
    settings = Settings(_env_file=None, index_dir=store.root, feedback_path=tmp_path / "f.jsonl",
                        relevance_floor=2.0)  # nothing is relevant enough: always no_answer
    assistant = Assistant(settings, embeddings, build_router(embeddings), store)
    table = assistant.retriever().chunks
    decoded: list[int] = []
    original = table._decode
    monkeypatch.setattr(table, "_decode", lambda row: decoded.append(row) or original(row))
    answer = assistant.ask("my partner avoids therapy")
    assert answer.route == "no_answer" and answer.answer.startswith(NO_ANSWER_LEAD)
    assert answer.answer.count("\n- ") == 3
    assert 0 < len(decoded) < len(table) // 2


def test_a_new_version_is_served_from_its_own_saved_index(tmp_path: Path, corpus_copy: Path,
                                                          embeddings):
    """Through `run_ingest` and `Assistant`: the app follows the marker to the new index."""
    store = IndexStore(tmp_path / "index")
    run_ingest([corpus_copy], store, embeddings)
    settings = Settings(_env_file=None, index_dir=store.root, feedback_path=tmp_path / "f.jsonl")
    assistant = Assistant(settings, embeddings, build_router(embeddings), store)
    first = assistant.retriever()
    emdr = corpus_copy / "what-is-emdr-therapy.md"
    emdr.write_text(emdr.read_text() + "\nEvery client gets a weighted blanket shaped like a "
                    "tortoise.\n")
    run_ingest([corpus_copy], store, embeddings)
    second = assistant.retriever()
    assert second is not first and second.lexical.saved
    top = second.search("weighted blanket tortoise", k=3)[0]
    assert top.chunk.slug == "what-is-emdr-therapy" and "tortoise" in top.chunk.text


def test_server_mode_keeps_version_files_locally_and_prunes_them(tmp_path: Path):
    """With a Chroma server the files live under <index_dir>/version-files, pruned like
    embedded versions: old and unserved ones go, recent ones stay for open readers."""
    store = IndexStore(tmp_path / "index", chroma_url="http://127.0.0.1:9")  # never contacted
    assert store.version_files("v1") == tmp_path / "index" / "version-files" / "v1"
    hour_ago = time.time() - 3600
    for name, age in (("v-old", hour_ago), ("v-prev", hour_ago), ("v-new", None),
                      ("v-recent", time.time())):
        folder = store.version_files(name)
        folder.mkdir(parents=True)
        if age:
            os.utime(folder, (age, age))
    store._prune(keep={"v-new", "v-prev"})
    left = sorted(p.name for p in (tmp_path / "index" / "version-files").iterdir())
    assert left == ["v-new", "v-prev", "v-recent"]


def test_a_version_without_article_chunks_is_saved_loaded_and_searched(tmp_path: Path,
                                                                      embeddings):
    """bm25s cannot index nothing: a corpus of the facts file alone (or one whose articles were
    all removed) still ingests, and its retriever finds nothing."""
    store = IndexStore(tmp_path / "index")
    index = build_lexical([])
    assert len(index.chunks) == 0
    folder = save_lexical(index, tmp_path / "v")
    loaded = load_lexical(folder.parent)
    assert loaded is not None and loaded.saved and len(loaded.chunks) == 0
    assert ingest_articles(articles(2), store, embeddings).chunks_embedded > 0
    ingest_articles([], store, embeddings)  # every article removed
    retriever = open_retriever(store, store.current().version, embeddings)
    assert retriever.lexical.saved and retriever.search("therapy sessions") == []


def test_the_assistant_tells_its_timing_hook_every_stage(store: IndexStore, embeddings,
                                                         tmp_path: Path):
    """The benchmarks' seam: a real ask reports its stages, the retriever's own included."""
    seen: list[str] = []
    settings = Settings(_env_file=None, index_dir=store.root, feedback_path=tmp_path / "f.jsonl")
    assistant = Assistant(settings, embeddings, build_router(embeddings), store,
                          on_stage=lambda stage, ms: seen.append(stage) if ms >= 0 else None)
    assistant.ask("my partner avoids therapy")
    assert {"safety", "embed", "dense", "bm25", "retrieve", "compose"} <= set(seen)
    assert assistant.retriever().on_stage is assistant.on_stage
    quiet = Assistant(settings, embeddings, build_router(embeddings), store)
    assert quiet.retriever().on_stage is None


def test_the_assistant_answers_with_the_composer_it_is_given(store: IndexStore, embeddings,
                                                             tmp_path: Path):
    """Collaborators are passed in: the composer and the retriever opener are the given ones."""
    opened: list[str] = []
    composed: list[str] = []

    def opener(*args, **kwargs):
        opened.append(args[1])
        return open_retriever(*args, **kwargs)

    def composer(question, passages):
        composed.append(question)
        return compose(question, passages)

    settings = Settings(_env_file=None, index_dir=store.root, feedback_path=tmp_path / "f.jsonl",
                        relevance_floor=0.0)
    assistant = Assistant(settings, embeddings, build_router(embeddings), store,
                          open_index=opener, composer=composer)
    assistant.ask("anxiety attachment reassurance")
    assert opened == [store.current().version] and composed == ["anxiety attachment reassurance"]


def test_site_relative_urls_are_joined_once_as_chunks_load_from_either_index(
        store: IndexStore, embeddings):
    """The index keeps "/blog/x" as the article gives it; the retriever's chunks carry the
    absolute link, from the saved table and from an index built in memory alike."""
    version = store.current().version
    site = "https://www.example-practice.com/"
    saved = open_retriever(store, version, embeddings, site_url=site)
    built = build_lexical(read_chunks(store.open_collection(version)), site)
    plain = open_retriever(store, version, embeddings)
    for chunks in (saved.chunks, built.chunks):
        urls = {c.slug: c.url for c in chunks}
        assert urls["article-01"] == "https://www.example-practice.com/blog/article-01"
        assert urls["article-04"] is None  # an article without a URL keeps none
    assert {c.slug: c.url for c in plain.chunks}["article-01"] == "/blog/article-01"
    linked = [p.chunk.url for p in saved.search("couples therapy", k=10) if p.chunk.url]
    assert linked and all(url.startswith(site) for url in linked)


def test_an_absolute_url_is_kept_as_it_is():
    chunk = Chunk(id="a:0", slug="a", title="A", url="https://elsewhere.org/a", section=None,
                  text="t", position=0)
    assert chunk.at_site("https://www.example-practice.com") is chunk
