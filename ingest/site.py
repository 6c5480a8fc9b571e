"""Fetch the practice's live blog into a temporary folder of .html pages for the pipeline.

Polite by construction: one host only, robots.txt obeyed (Crawl-delay too), a delay between
requests, a page limit, timeouts, a size cap and a User-Agent that says who is asking.
The URL list comes from the site's sitemap (``URL/sitemap.xml``, the root ``/sitemap.xml`` or
the ``Sitemap:`` lines of robots.txt), or from a sitemap or RSS/Atom feed URL given directly.

Example:
    >>> with tempfile.TemporaryDirectory() as tmp:                        # doctest: +SKIP
    ...     fetched = fetch_site("https://www.example.com", Path(tmp))
    ...     options = IngestOptions(failures=tuple(fetched.failures()))
    ...     report = run_ingest([Path(tmp)], store, embeddings, options)
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import ParseResult, urljoin, urlparse, urlunparse
from urllib.robotparser import RobotFileParser

import httpx

from ingest.article import slugify
from ingest.errors import ArticleError
from ingest.formats import xml_kind
from ingest.load import MAX_FILE_BYTES

USER_AGENT = ("PracticeAssistantIngest/0.1 (+a practice's own assistant indexing its blog; "
              "polite: robots.txt, one request at a time)")
DEFAULT_MAX_PAGES = 200
DEFAULT_DELAY_S = 0.5
TIMEOUT_S = 15.0
MAX_SITEMAPS = 20
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_ARTICLE_MARKERS = (
    re.compile(r"""<meta[^>]+property=["']og:type["'][^>]+content=["']article["']""", re.I),
    re.compile(r"""<meta[^>]+content=["']article["'][^>]+property=["']og:type["']""", re.I),
    re.compile(r"""property=["']article:published_time["']""", re.I),
    re.compile(r"""itemprop=["']datePublished["']""", re.I),
    re.compile(r""""@type"\s*:\s*"(BlogPosting|NewsArticle|Article)""", re.I),
    re.compile(r"""class=["'][^"']*\b(hentry|h-entry|BlogItem)\b""", re.I),
)


class SiteError(Exception):
    """The site could not be read at all (bad URL, no sitemap, nothing allowed)."""


@dataclass(frozen=True)
class SiteFetch:
    """What a crawl did: pages saved (url → file), failures and skips with their reasons."""

    saved: tuple[tuple[str, Path], ...] = ()
    failed: tuple[tuple[str, str], ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    sources: dict[str, str] = field(default_factory=dict)

    def failures(self) -> list[ArticleError]:
        """Fetch failures in the form the pipeline reports (and protects) like bad files."""
        return [ArticleError(url, reason) for url, reason in self.failed]

    def relabel(self, failed: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        """Name a failed temporary file by the URL it was downloaded from."""
        return tuple((self.sources.get(path, path), reason) for path, reason in failed)


def fetch_site(url: str, dest: Path, *, max_pages: int = DEFAULT_MAX_PAGES,
               delay: float = DEFAULT_DELAY_S, timeout: float = TIMEOUT_S,
               client: httpx.Client | None = None,
               sleep: Callable[[float], None] = time.sleep) -> SiteFetch:
    """Download the article pages of the site at ``url`` into ``dest`` as .html files."""
    start = urlparse(url)
    if start.scheme not in ("http", "https") or not start.hostname:
        raise SiteError(f"{url!r} is not an http(s) URL, e.g. https://www.example.com")
    if max_pages < 1:
        raise SiteError("--max-pages must be at least 1")
    owned = client is None
    client = client or httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=timeout,
                                     follow_redirects=True)
    try:
        return _Crawl(start, dest, max_pages, delay, client, sleep).run()
    finally:
        if owned:
            client.close()


class _Crawl:
    def __init__(self, start: ParseResult, dest: Path, max_pages: int, delay: float,
                 client: httpx.Client, sleep: Callable[[float], None]) -> None:
        self.start = start
        self.dest = dest
        self.max_pages = max_pages
        self.delay = max(0.0, delay)
        self.client = client
        self.sleep = sleep
        self.robots = RobotFileParser()
        self._last_request = 0.0
        self.saved: list[tuple[str, Path]] = []
        self.failed: list[tuple[str, str]] = []
        self.skipped: list[tuple[str, str]] = []

    # --- the crawl ----------------------------------------------------------------------------
    def run(self) -> SiteFetch:
        start = self.start
        root = urlunparse((start.scheme, start.netloc, "/", "", "", ""))
        self._read_robots(urljoin(root, "robots.txt"))
        pages = self._page_urls(root)
        if not pages:
            raise SiteError(f"no article URLs found for {self._url()}: give the site's address "
                            "(its sitemap.xml is read) or a sitemap or RSS/Atom feed URL")
        self.dest.mkdir(parents=True, exist_ok=True)
        taken: set[str] = set()
        fetched = 0
        for page in pages:
            if not self._same_host(page):
                self.skipped.append((page, "not on this site's host"))
            elif not self.robots.can_fetch(USER_AGENT, page):
                self.skipped.append((page, "disallowed by robots.txt"))
            elif fetched >= self.max_pages:
                self.skipped.append((page, f"over the page limit ({self.max_pages})"))
            else:
                fetched += 1
                self._fetch_page(page, taken)
        sources = {str(path): url for url, path in self.saved}
        return SiteFetch(tuple(self.saved), tuple(self.failed), tuple(self.skipped), sources)

    def _url(self) -> str:
        return urlunparse(self.start)

    def _page_urls(self, root: str) -> list[str]:
        """Pages from a sitemap or feed URL given directly, else from the site's sitemaps."""
        given = self._url()
        path = self.start.path
        is_listing = (path.endswith(".xml") or path.rstrip("/").endswith(("/feed", "/rss"))
                      or re.search(r"(^|[?&])format=(rss|atom)", self.start.query))
        if is_listing:
            candidates = [given]
            prefix = "/"
        else:
            candidates = [urljoin(given.rstrip("/") + "/", "sitemap.xml"),
                          urljoin(root, "sitemap.xml"), *(self.robots.site_maps() or [])]
            prefix = path if path.endswith("/") else (path + "/" if path else "/")
        for candidate in dict.fromkeys(candidates):
            if not self._same_host(candidate):
                continue
            found = self._read_listing(candidate, depth=0, seen=set())
            if found:
                inside = [u for u in found if urlparse(u).path.startswith(prefix)
                          or not self._same_host(u)]
                return list(dict.fromkeys(inside))
        return []

    def _read_listing(self, url: str, depth: int, seen: set[str]) -> list[str]:
        """URLs from a sitemap, a sitemap index (followed on this host) or an RSS/Atom feed."""
        if url in seen or len(seen) >= MAX_SITEMAPS or not self.robots.can_fetch(USER_AGENT, url):
            return []
        seen.add(url)
        response = self._get(url)
        if response is None or response.status_code != 200:
            return []
        try:
            root = ET.fromstring(response.content)
        except ET.ParseError:
            return []
        if root.tag == f"{_SITEMAP_NS}urlset":
            return [loc.text.strip() for loc in root.iter(f"{_SITEMAP_NS}loc") if loc.text]
        if root.tag == f"{_SITEMAP_NS}sitemapindex" and depth < 2:
            found: list[str] = []
            for loc in root.iter(f"{_SITEMAP_NS}loc"):
                if loc.text and self._same_host(loc.text.strip()):
                    found.extend(self._read_listing(loc.text.strip(), depth + 1, seen))
            return found
        kind = xml_kind(root)
        if kind in ("rss", "wxr"):
            links = (item.findtext("link") for item in root.iter("item"))
            return [link.strip() for link in links if link and link.strip()]
        if kind == "atom":
            atom = "{http://www.w3.org/2005/Atom}"
            return [link.get("href", "") for entry in root.iter(f"{atom}entry")
                    for link in entry.iter(f"{atom}link")
                    if link.get("rel", "alternate") == "alternate" and link.get("href")]
        return []

    def _fetch_page(self, url: str, taken: set[str]) -> None:
        response = self._get(url)
        if response is None:
            self.failed.append((url, "could not be fetched (timeout or connection error)"))
            return
        if not self._same_host(str(response.url)):
            self.skipped.append((url, f"redirects off the site to {response.url}"))
            return
        if response.status_code != 200:
            self.failed.append((url, f"HTTP {response.status_code}"))
            return
        if len(response.content) > MAX_FILE_BYTES:
            self.failed.append((url, f"page is over {MAX_FILE_BYTES // 1_048_576} MB"))
            return
        kind = response.headers.get("content-type", "text/html").split(";")[0].strip().lower()
        if kind not in ("text/html", "application/xhtml+xml"):
            self.skipped.append((url, f"not an HTML page ({kind})"))
            return
        page = response.text
        if not any(marker.search(page) for marker in _ARTICLE_MARKERS):
            self.skipped.append((url, "not an article page (no article markup: og:type "
                                      "article, datePublished, BlogPosting or hentry)"))
            return
        if not re.search(r"""<link[^>]+rel=["']canonical["']""", page, re.IGNORECASE):
            link = f'<link rel="canonical" href="{url}">'
            page = re.sub(r"(?i)<head[^>]*>", lambda m: m.group(0) + link, page, count=1) \
                if re.search(r"(?i)<head[^>]*>", page) else link + page
        name = slugify(urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]) or "index"
        stem, n = name, 2
        while name in taken:
            name, n = f"{stem}-{n}", n + 1
        taken.add(name)
        path = self.dest / f"{name}.html"
        path.write_text(page, encoding="utf-8")
        self.saved.append((url, path))

    # --- politeness ---------------------------------------------------------------------------
    def _read_robots(self, url: str) -> None:
        response = self._get(url, polite=False)
        if response is None or response.status_code >= 500:
            self.robots.parse([])  # unreachable: allowed, as urllib.robotparser treats it
        elif response.status_code in (401, 403):
            self.robots.disallow_all = True
        elif response.status_code >= 400:
            self.robots.allow_all = True
        else:
            self.robots.parse(response.text.splitlines())
        crawl_delay = self.robots.crawl_delay(USER_AGENT)
        if crawl_delay:
            self.delay = max(self.delay, float(crawl_delay))

    def _get(self, url: str, polite: bool = True) -> httpx.Response | None:
        if polite and self._last_request:
            wait = self.delay - (time.monotonic() - self._last_request)
            if wait > 0:
                self.sleep(wait)
        self._last_request = time.monotonic()
        try:
            return self.client.get(url)
        except httpx.HTTPError:
            return None

    def _same_host(self, url: str) -> bool:
        def host(value: str | None) -> str:
            value = (value or "").lower()
            return value[4:] if value.startswith("www.") else value

        parsed = urlparse(url)
        return (parsed.scheme in ("http", "https")
                and host(parsed.hostname) == host(self.start.hostname)
                and parsed.port == self.start.port)
