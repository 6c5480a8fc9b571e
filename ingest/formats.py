"""Markup sources: saved blog pages (HTML), WordPress exports (WXR) and RSS/Atom feeds.

Every kind ends in the same extraction: trafilatura finds the article body in the HTML and
writes it as Markdown (headings and lists kept; navigation, share buttons, footers, comments
and images left out), then `ingest.article.build_article` validates it like any Markdown post.
"""

from __future__ import annotations

import html
import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import trafilatura
from trafilatura.utils import load_html

from ingest.article import build_article, slugify
from ingest.clean import clean_body
from ingest.errors import ArticleError
from practice_assistant.models import Article

log = logging.getLogger("practice_assistant.ingest")

NS = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.2/",
    "atom": "http://www.w3.org/2005/Atom",
}
_WP_NAMESPACES = tuple(f"http://wordpress.org/export/1.{n}/" for n in range(3))
_MIN_BODY_WORDS = 20
_NO_BODY = ("no article body found in the HTML (is this a blog post page, not a contact, "
            "index or landing page? save the post's own page)")
_NO_ITEM_BODY = "no article body found in the HTML of this post (fewer than 20 words)"
_BLOCK_TAG = re.compile(r"<(p|div|h[1-6]|ul|ol|figure|blockquote|table|pre)\b", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"\s+[—–|·-]\s+[^—–|·]{2,80}$")


@dataclass(frozen=True)
class PageMeta:
    """What a page says about itself in its <head>."""

    title: str | None = None
    url: str | None = None
    author: str | None = None
    date: str | None = None
    site_name: str | None = None


def load_markup(path: Path, text: str) -> list[Article]:
    """Articles from one .html/.htm/.xml file; raises ArticleError when none can be read."""
    if path.suffix.lower() in (".html", ".htm"):
        return [article_from_html(path, text)]
    return articles_from_xml(path, text)


# --- HTML pages -------------------------------------------------------------------------------

def article_from_html(path: Path, page: str, *, fallback: PageMeta | None = None,
                      slug: str | None = None) -> Article:
    """One saved blog page (or a feed item's HTML, with ``fallback`` from the item) → an Article."""
    no_body = _NO_BODY if fallback is None else _NO_ITEM_BODY
    meta = read_page_meta(page)
    if fallback is not None:
        meta = PageMeta(title=fallback.title or meta.title, url=fallback.url or meta.url,
                        author=fallback.author or meta.author, date=fallback.date or meta.date,
                        site_name=meta.site_name or fallback.site_name)
    markdown = extract_markdown(page)
    if markdown is None:
        raise ArticleError(str(path), no_body)
    heading = re.match(r"\A\s*#\s+(.+?)\s*\n", markdown)
    title = meta.title
    if heading:
        title = title if fallback is not None and fallback.title else heading.group(1).strip()
        markdown = markdown[heading.end():]
    elif title and meta.site_name:
        title = _strip_site_name(title, meta.site_name)
    if len(clean_body(markdown).split()) < _MIN_BODY_WORDS:
        raise ArticleError(str(path), no_body)
    fields: dict[str, Any] = {"title": title, "url": meta.url, "author": meta.author,
                              "date": meta.date}
    fields["slug"] = slug or slug_for(meta.url, path.stem)
    return build_article(path, {k: v for k, v in fields.items() if v}, markdown)


def extract_markdown(page: str) -> str | None:
    """The article body as Markdown, or None when trafilatura finds no main text."""
    try:
        markdown = trafilatura.extract(
            page, output_format="markdown", include_formatting=True, include_comments=False,
            include_images=False, include_links=False, include_tables=True, deduplicate=False,
            with_metadata=False)
    except (ValueError, TypeError) as error:  # lxml refuses some broken documents
        log.debug("trafilatura could not parse a page: %s", error)
        return None
    return markdown.strip() + "\n" if markdown and markdown.strip() else None


def read_page_meta(page: str) -> PageMeta:
    """Title, canonical URL, author and date from <head> tags (trafilatura fills gaps)."""
    tree = load_html(page)
    if tree is None:
        return PageMeta()

    def first(*xpaths: str) -> str | None:
        for xpath in xpaths:
            for value in tree.xpath(xpath):
                value = " ".join(str(value).split())
                if value:
                    return value
        return None

    url = first("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content")
    author = first("//meta[@name='author']/@content", "//meta[@itemprop='author']/@content",
                   "//meta[@property='article:author']/@content")
    if author and author.startswith(("http://", "https://")):
        author = None
    site = first("//meta[@property='og:site_name']/@content")
    title = first("//meta[@property='og:title']/@content", "//title/text()")
    date = first("//meta[@property='article:published_time']/@content",
                 "//meta[@itemprop='datePublished']/@content", "//time/@datetime")
    if not author or not date:
        found = trafilatura.extract_metadata(tree)
        if found is not None:
            author = author or found.author
            date = found.date or date
    if date:
        date = date[:10]
    return PageMeta(title=title, url=url, author=author, date=date, site_name=site)


def slug_for(url: str | None, fallback: str) -> str:
    """The last segment of the canonical URL's path, else ``fallback`` (a file name, a title)."""
    if url:
        segments = [s for s in urlparse(url).path.split("/") if s]
        if segments:
            last = re.sub(r"\.(html?|php|aspx?)$", "", segments[-1], flags=re.IGNORECASE)
            if slugify(last):
                return slugify(last)
    return slugify(fallback)


def _strip_site_name(title: str, site_name: str) -> str:
    for sep in (" — ", " – ", " | ", " · ", " - "):
        if title.endswith(f"{sep}{site_name}"):
            return title[: -len(sep) - len(site_name)].strip()
    return title


# --- WordPress export and feeds ---------------------------------------------------------------

@dataclass(frozen=True)
class FeedItem:
    """One post in an export or feed, before extraction."""

    html: str
    meta: PageMeta
    slug: str | None
    label: str


def articles_from_xml(path: Path, text: str) -> list[Article]:
    """A WordPress export (WXR), RSS or Atom feed: one article per published post."""
    name = str(path)
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as error:
        raise ArticleError(name, f"not well-formed XML ({error})") from None
    kind = xml_kind(root)
    if kind == "wxr":
        items = _wxr_items(root)
    elif kind == "rss":
        items = _rss_items(root)
    elif kind == "atom":
        items = _atom_items(root)
    else:
        tag = root.tag.rsplit("}", 1)[-1]
        raise ArticleError(name, f"unrecognised XML (root element <{tag}>): expected a "
                           "WordPress export, an RSS feed or an Atom feed")
    articles: list[Article] = []
    problems: list[str] = []
    for item in items:
        try:
            articles.append(article_from_html(path, _as_page(item), fallback=item.meta,
                                              slug=item.slug))
        except ArticleError as error:
            problems.append(f"{item.label}: {error.reason}")
    for problem in problems:
        log.warning("skipped a post in %s: %s", name, problem)
    if not articles:
        detail = "; ".join(problems[:3]) if problems else "it holds no published posts"
        raise ArticleError(name, f"no article could be read from this {kind.upper()} file "
                           f"({detail})")
    return articles


def xml_kind(root: ET.Element) -> str:
    """'wxr', 'rss', 'atom', or the root's local name for anything else."""
    tag = root.tag
    if tag == f"{{{NS['atom']}}}feed":
        return "atom"
    if tag == "rss" or tag.endswith("}RDF"):
        channel = root.find("channel")
        is_wxr = channel is not None and any(
            channel.find(f"{{{ns}}}wxr_version") is not None for ns in _WP_NAMESPACES)
        return "wxr" if is_wxr else "rss"
    return tag.rsplit("}", 1)[-1]


def _text(element: ET.Element | None, path: str) -> str | None:
    found = element.find(path, NS) if element is not None else None
    value = (found.text or "").strip() if found is not None else ""
    return value or None


def _wxr_items(root: ET.Element) -> list[FeedItem]:
    channel = root.find("channel")
    wp = next((ns for ns in _WP_NAMESPACES
               if channel is not None and channel.find(f"{{{ns}}}wxr_version") is not None),
              NS["wp"])
    names = {(_text(a, f"{{{wp}}}author_login") or ""): _text(a, f"{{{wp}}}author_display_name")
             for a in (channel.findall(f"{{{wp}}}author") if channel is not None else [])}
    items = []
    for item in channel.findall("item") if channel is not None else []:
        if (_text(item, f"{{{wp}}}post_type") or "post") != "post":
            continue  # attachments, pages, menu items
        if (_text(item, f"{{{wp}}}status") or "publish") != "publish":
            continue  # drafts and private posts never reach visitors
        login = _text(item, "dc:creator") or ""
        title = _text(item, "title")
        date = _text(item, f"{{{wp}}}post_date") or _text(item, "pubDate")
        meta = PageMeta(title=title, url=_text(item, "link"), author=names.get(login) or login
                        or None, date=_wp_date(date))
        slug = (slugify(_text(item, f"{{{wp}}}post_name") or "")
                or slug_for(meta.url, title or ""))
        body = _text(item, "content:encoded") or _text(item, "description") or ""
        items.append(FeedItem(_autop(body), meta, slug, f"post {title or '(untitled)'!r}"))
    return items


def _rss_items(root: ET.Element) -> list[FeedItem]:
    items = []
    for item in root.iter("item"):
        title = _text(item, "title")
        meta = PageMeta(title=title, url=_text(item, "link"),
                        author=_text(item, "dc:creator") or _text(item, "author"),
                        date=_wp_date(_text(item, "pubDate")))
        body = _text(item, "content:encoded") or _text(item, "description") or ""
        items.append(FeedItem(_autop(body), meta, slug_for(meta.url, title or ""),
                              f"item {title or '(untitled)'!r}"))
    return items


def _atom_items(root: ET.Element) -> list[FeedItem]:
    items = []
    for entry in root.findall("atom:entry", NS):
        title = _text(entry, "atom:title")
        link = next((a.get("href") for a in entry.findall("atom:link", NS)
                     if a.get("rel", "alternate") == "alternate"), None)
        date = _text(entry, "atom:published") or _text(entry, "atom:updated")
        meta = PageMeta(title=title, url=link, author=_text(entry, "atom:author/atom:name"),
                        date=date[:10] if date else None)
        content = entry.find("atom:content", NS)
        if content is not None and content.get("type") == "xhtml":
            body = "".join(ET.tostring(child, encoding="unicode") for child in content)
        else:
            body = _text(entry, "atom:content") or _text(entry, "atom:summary") or ""
        items.append(FeedItem(_autop(body), meta, slug_for(link, title or ""),
                              f"entry {title or '(untitled)'!r}"))
    return items


def _wp_date(value: str | None) -> str | None:
    """'2025-11-18 10:00:00' or an RFC 822 date → '2025-11-18'."""
    if not value:
        return None
    if re.match(r"\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError):
        return None


def _autop(body: str) -> str:
    """WordPress stores classic-editor posts without <p>: blank lines mark paragraphs."""
    if _BLOCK_TAG.search(body):
        return body
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    return "\n".join(f"<p>{p}</p>" for p in paragraphs)


def _as_page(item: FeedItem) -> str:
    title = html.escape(item.meta.title or "")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1>\n{item.html}\n</article></body></html>")
