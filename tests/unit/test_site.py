"""`--site`: a polite crawl of a real local HTTP server (robots.txt, one host, limits)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import FIXTURES, SEED_SLUG
from ingest.load import load_articles
from ingest.site import USER_AGENT, SiteError, fetch_site

ARTICLE = FIXTURES / "html" / f"squarespace-{SEED_SLUG}.html"
OTHER_ARTICLE = FIXTURES / "html" / "wordpress-holiday-boundaries.html"
CONTACT = FIXTURES / "html" / "squarespace-contact-page.html"


@dataclass
class Site:
    """A local web server: path → (content type, body); it records every request."""

    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    hits: list[tuple[str, str]] = field(default_factory=list)
    url: str = ""


def _serve(site: Site) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.hits.append((self.path, self.headers.get("User-Agent", "")))
            kind, body = site.pages.get(self.path, ("text/plain", b""))
            self.send_response(200 if self.path in site.pages else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    return server


@pytest.fixture
def sites() -> Iterator[tuple[Site, Site]]:
    """The practice's site, and another host (another port) that must never be asked."""
    practice, elsewhere = Site(), Site()
    servers = [_serve(practice), _serve(elsewhere)]
    html = "text/html; charset=utf-8"
    practice.pages.update({
        "/robots.txt": ("text/plain", b"User-agent: *\nDisallow: /blog/private-post\n"),
        f"/blog/{SEED_SLUG}": (html, ARTICLE.read_bytes()),
        "/blog/holiday-boundaries-with-family": (html, OTHER_ARTICLE.read_bytes()),
        "/blog/private-post": (html, OTHER_ARTICLE.read_bytes()),
        "/contact": (html, CONTACT.read_bytes()),
    })
    elsewhere.pages["/blog/elsewhere"] = (html, OTHER_ARTICLE.read_bytes())
    urls = [f"{practice.url}/blog/{SEED_SLUG}",
            f"{practice.url}/blog/holiday-boundaries-with-family",
            f"{practice.url}/blog/private-post", f"{practice.url}/contact",
            f"{practice.url}/blog/missing", f"{elsewhere.url}/blog/elsewhere"]
    sitemap = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
               'schemas/sitemap/0.9">' + "".join(f"<url><loc>{u}</loc></url>" for u in urls)
               + "</urlset>")
    practice.pages["/sitemap.xml"] = ("application/xml", sitemap.encode())
    items = "".join(f"<item><title>t</title><link>{u}</link></item>" for u in urls[:2])
    feed = f"<rss version='2.0'><channel><title>Blog</title>{items}</channel></rss>"
    practice.pages["/blog/feed.xml"] = ("application/rss+xml", feed.encode())
    yield practice, elsewhere
    for server in servers:
        server.shutdown()
        server.server_close()


def test_crawl_fetches_articles_and_obeys_robots_and_the_host(sites, tmp_path: Path):
    """Disallowed and off-host URLs are never requested; each skip and failure says why."""
    practice, elsewhere = sites
    fetched = fetch_site(practice.url, tmp_path, delay=0)
    requested = [path for path, _ in practice.hits]
    assert "/blog/private-post" not in requested
    assert elsewhere.hits == []
    assert {agent for _, agent in practice.hits} == {USER_AGENT}
    assert sorted(p.name for _, p in fetched.saved) == [
        "holiday-boundaries-with-family.html", f"{SEED_SLUG}.html"]
    assert fetched.failed == ((f"{practice.url}/blog/missing", "HTTP 404"),)
    reasons = dict(fetched.skipped)
    assert reasons[f"{practice.url}/blog/private-post"] == "disallowed by robots.txt"
    assert reasons[f"{elsewhere.url}/blog/elsewhere"] == "not on this site's host"
    assert reasons[f"{practice.url}/contact"].startswith("not an article page")
    loaded = load_articles([tmp_path])
    assert {a.slug for a in loaded.articles} == {SEED_SLUG, "holiday-boundaries-with-family"}
    assert not loaded.failures


def test_crawl_waits_between_requests_and_stops_at_the_page_limit(sites, tmp_path: Path):
    practice, _ = sites
    waits: list[float] = []
    fetched = fetch_site(practice.url, tmp_path, delay=0.5, max_pages=1, sleep=waits.append)
    assert len(fetched.saved) == 1
    assert any("over the page limit (1)" in reason for _, reason in fetched.skipped)
    assert waits and all(0 < w <= 0.5 for w in waits)
    assert len(waits) == len(practice.hits) - 1  # robots.txt is asked without waiting


def test_feed_url_given_directly_lists_the_pages(sites, tmp_path: Path):
    practice, _ = sites
    fetched = fetch_site(f"{practice.url}/blog/feed.xml", tmp_path, delay=0)
    assert len(fetched.saved) == 2 and not fetched.failed


def test_site_without_a_sitemap_is_a_clear_error(sites, tmp_path: Path):
    practice, _ = sites
    del practice.pages["/sitemap.xml"]
    with pytest.raises(SiteError, match="no article URLs found"):
        fetch_site(practice.url, tmp_path, delay=0)
    with pytest.raises(SiteError, match="not an http"):
        fetch_site("ftp://example.com", tmp_path)


def test_cli_site_dry_run_plans_the_fetched_articles_and_names_failures(sites, tmp_path):
    """The CLI wiring: exit 1 for the 404 page, which is named by its URL; nothing indexed."""
    practice, _ = sites
    env = {**os.environ, "PA_INDEX_DIR": str(tmp_path / "index"), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-m", "ingest", "--site", practice.url, "--delay", "0",
                           "--dry-run", "--json"], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 1, done.stderr
    assert f"would add {SEED_SLUG}" in done.stdout
    assert "would add holiday-boundaries-with-family" in done.stdout
    assert f"skipped {practice.url}/blog/missing: HTTP 404" in done.stderr
    assert f"not fetched {practice.url}/blog/private-post: disallowed by robots.txt" in done.stderr
    assert not (tmp_path / "index" / "CURRENT.json").exists()
