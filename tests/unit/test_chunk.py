"""Chunking by headings: sized passages, lists kept whole with their intro, verbatim slices."""

from __future__ import annotations

from conftest import CORPUS, SEED_SLUG
from ingest.chunk import MAX_WORDS, chunk_article
from ingest.load import load_articles
from practice_assistant.models import Article

ARTICLES = {a.slug: a for a in load_articles([CORPUS]).articles}


def test_chunks_are_verbatim_slices_of_the_article():
    for article in ARTICLES.values():
        for chunk in chunk_article(article):
            assert chunk.text in article.body


def test_chunks_stay_within_the_word_range_for_most_passages():
    sizes = [len(c.text.split()) for a in ARTICLES.values() for c in chunk_article(a)]
    assert max(sizes) <= MAX_WORDS + 20
    in_range = [s for s in sizes if 60 <= s <= MAX_WORDS]
    assert len(in_range) / len(sizes) >= 0.9


def test_list_stays_whole_with_its_introducing_sentence():
    chunks = chunk_article(ARTICLES[SEED_SLUG])
    holder = [c for c in chunks if "1. Therapy may carry a negative meaning" in c.text]
    assert len(holder) == 1
    text = holder[0].text
    assert "Some common reasons I hear" in text
    assert "6. They’ve had a negative experience before" in text


def test_chunk_metadata_names_article_and_section():
    chunk = next(c for c in chunk_article(ARTICLES[SEED_SLUG]) if "Vulnerability is hard" in c.text)
    assert chunk.slug == SEED_SLUG
    assert chunk.section == "6 Reasons Why Your Partner Might Refuse Relationship Therapy"
    assert chunk.url == f"/blog/{SEED_SLUG}"
    assert chunk.metadata()["title"] == ARTICLES[SEED_SLUG].title


def test_sections_never_share_a_chunk():
    body = ("## One\n\n" + "alpha " * 50 + "end.\n\n## Two\n\n" + "beta " * 50 + "end.\n")
    chunks = chunk_article(Article(slug="x", title="X", body=body))
    assert [c.section for c in chunks] == ["One", "Two"]


def test_long_paragraph_is_split_at_sentence_ends():
    sentence = "This sentence has exactly eight words in it. "
    body = "## Long\n\n" + sentence * 80
    chunks = chunk_article(Article(slug="long", title="Long", body=body))
    assert len(chunks) >= 2
    assert all(c.text.rstrip().endswith(".") for c in chunks)
    assert all(len(c.text.split()) <= MAX_WORDS for c in chunks)
