"""No dead links: every demo account, and a visitor, follow every link the app shows them.

The small demo city is built into the live server's database. For each account Chromium logs
in through the login form and reads the links of the first page it lands on (the workbench; for
a visitor, the login page and its navigation) as a person sees them, scripts run; any request
of that page that fails (a style sheet, a script, an htmx load) counts too. From there the
Django test client carries the same session cookie through the rest of the site, which is
what keeps the walk under a minute: it opens every same-site link (`<a href>`, and `hx-get`
with htmx's header) with GET only, follows redirects, fetches downloads without reading them,
and reads the links of every HTML page it gets.

Addresses are walked once per shape: the URL pattern they resolve to, numbers and tokens left
out, and the names (not the values) of their query, so /demands/12/ and /demands/13/ count
once. At most PAGES_PER_ACCOUNT pages per account. Any answer of 400 or more, and any server
error, fails the test with the page that linked and the address it linked to.
"""

import time
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve
from playwright.sync_api import Browser, Page, Response

from lianxin.demo.builder import DEMO_PASSWORD
from tests.e2e.conftest import login

# Smallest scope first: a download is fetched once, by the first account offered it (see walk).
ACCOUNTS = ("resident", "member", "leader", "handler", "secretary", "dinghai", "admin")
PAGES_PER_ACCOUNT = 200
# Not pages to read: the session's end, the language switch, and files served as they are.
SKIPPED_PREFIXES = ("/accounts/logout/", "/i18n/", "/static/", "/media/")
SHORT_VALUE = 16  # a path value longer than this is a token (a calendar feed's), not a name


@dataclass(frozen=True)
class Link:
    url: str  # path and query, same site
    found_on: str  # the page that showed it
    htmx: bool = False


@dataclass
class Walk:
    who: str
    pages: int = 0
    failures: list[str] = field(default_factory=list)

    def fail(self, link: Link, what: str) -> None:
        self.failures.append(f"{self.who}: {link.found_on} links to {link.url} → {what}")


class _Links(HTMLParser):
    """The addresses a page offers: every <a href>, and every hx-get that htmx would load."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.found.append((values["href"] or "", False))
        if values.get("hx-get"):
            self.found.append((values["hx-get"] or "", True))


def links_in(html: str) -> list[tuple[str, bool]]:
    parser = _Links()
    parser.feed(html)
    return parser.found


def same_site(href: str, page: str, origin: str) -> str | None:
    """The path and query of a link on `page` when it stays on this site, else None."""
    if href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin(f"{origin}{page}", href))
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" not in (origin, "http://testserver"):
        return None
    if parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))


def shape(url: str) -> str:
    """What makes two addresses the same page to walk: the URL pattern with its names but
    not its numbers or tokens, and the names of the query's parameters."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        where = "".join("N" if c.isdigit() else c for c in parts.path)
    else:
        names = sorted(f"{k}={v}" for k, v in match.kwargs.items() if isinstance(v, str) and len(v) <= SHORT_VALUE)
        where = f"{match.route}|{'&'.join(names)}"
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{where}?{'&'.join(keys)}"


@dataclass
class Site:
    """What the walks of all accounts share: the site's address, and the shapes opened so far."""

    origin: str
    walked: set[str] = field(default_factory=set)  # shapes any account has opened
    downloads: set[str] = field(default_factory=set)  # shapes that answered with a file


@dataclass(frozen=True)
class Answer:
    links: list[tuple[str, bool]]  # (address, loaded by htmx) as the page offers them
    is_file: bool = False
    is_redirect: bool = False


def _open(client: Client, link: Link, result: Walk) -> Answer | None:
    """GET one address: what it offers next; None when it failed (recorded in `result`)."""
    headers = {"HX-Request": "true"} if link.htmx else {}
    try:
        response = client.get(link.url, headers=headers)
    except Exception as exc:  # the test client re-raises a view's exception: a server error
        result.fail(link, f"server error {type(exc).__name__}: {exc}")
        return None
    if response.status_code >= 400:
        result.fail(link, f"{response.status_code}")
        return None
    if response.status_code in (301, 302, 303, 307, 308):
        answer = Answer([(response["Location"], False)], is_redirect=True)
    elif response["Content-Type"].startswith("text/html") and not response.streaming:
        answer = Answer(links_in(response.content.decode()))
    else:
        answer = Answer([], is_file=True)
    response.close()  # a download is fetched, not read
    return answer


def walk(client: Client, who: str, start: list[Link], site: Site) -> Walk:
    """Open every link reachable from `start`, once per shape, at most PAGES_PER_ACCOUNT pages.

    Shapes no earlier account opened go first, so the bound cuts what was already checked under
    another account. A file (a spreadsheet, a document) is fetched once in the whole walk: the
    city's coverage workbook alone takes seconds."""
    result = Walk(who)
    seen = {shape(link.url) for link in start}
    fresh, again = deque(start), deque[Link]()
    while (fresh or again) and result.pages < PAGES_PER_ACCOUNT:
        link = fresh.popleft() if fresh else again.popleft()
        if shape(link.url) in site.downloads:
            continue
        result.pages += 1
        site.walked.add(shape(link.url))
        answer = _open(client, link, result)
        if answer is None:
            continue
        if answer.is_file:
            site.downloads.add(shape(link.url))
        for href, htmx in answer.links:
            url = same_site(href, link.url, site.origin)
            if url is None or shape(url) in seen:
                continue
            seen.add(shape(url))
            # A redirect's target counts as linked from the page that linked the redirect.
            found_on = link.found_on if answer.is_redirect else link.url
            (again if shape(url) in site.walked else fresh).append(Link(url, found_on, htmx))
    return result


def first_page_in_chromium(page: Page, origin: str, who: str, failures: list[str]) -> list[Link]:
    """The links of the page an account lands on, read in Chromium; its failed requests are failures."""

    def on_response(response: Response) -> None:
        if response.status >= 400 and response.url.startswith(origin):
            failures.append(f"{who}: {page.url} loads {response.url} → {response.status}")

    page.on("response", on_response)
    if who == "visitor":
        page.goto(f"{origin}/")
    else:
        login(page, origin, who, DEMO_PASSWORD)
    here = urlsplit(page.url)
    landed = urlunsplit(("", "", here.path, here.query, ""))
    hrefs = page.eval_on_selector_all(
        "a[href], [hx-get]",
        "els => els.map(e => [e.getAttribute('href') || e.getAttribute('hx-get'), !e.hasAttribute('href')])",
    )
    page.remove_listener("response", on_response)
    links = [Link(landed, found_on="(login)")]
    for href, htmx in hrefs:
        url = same_site(href, landed, origin)
        if url is not None:
            links.append(Link(url, found_on=landed, htmx=htmx))
    return links


def test_no_account_meets_a_dead_link(browser: Browser, demo_site: str) -> None:
    origin = demo_site
    failures: list[str] = []
    site = Site(origin)
    started = time.monotonic()
    for who in ("visitor", *ACCOUNTS):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
        page = context.new_page()
        page.set_default_timeout(15_000)
        start = first_page_in_chromium(page, origin, who, failures)
        assert who == "visitor" or "/accounts/login/" not in page.url, f"{who} could not log in"
        # The test client goes on with the session Chromium logged in.
        client = Client(raise_request_exception=True)
        session = next((c for c in context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME), None)
        if session is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = session["value"]
        context.close()
        result = walk(client, who, start, site)
        failures += result.failures
        print(f"{who}: {result.pages} pages")
    print(f"walked {len(site.walked)} shapes in {time.monotonic() - started:.1f} s")
    assert not failures, f"{len(failures)} dead links:\n" + "\n".join(failures)
