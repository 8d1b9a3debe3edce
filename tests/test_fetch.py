"""fetch, against a server the test starts on 127.0.0.1: saving feeds, conditional requests,
no duplicate events, and one clean line for each bad response."""

from __future__ import annotations

import http.server
import io
import json
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from spacenews import fetch
from spacenews.loader import load_corpus

from .conftest import FIXTURES, run, run_json

FEED = (FIXTURES / "parse" / "feed_esa_rss2.xml").read_bytes()
API = (FIXTURES / "parse" / "snapi_articles.snapi").read_bytes()
ETAG = '"v1"'
LAST_MODIFIED = "Wed, 13 Aug 2025 08:00:00 GMT"


class _Handler(http.server.BaseHTTPRequestHandler):
    # path -> (status, content type, body); the server's routes, changed by tests
    routes: ClassVar[dict[str, tuple[int, str, bytes]]] = {}
    seen: ClassVar[list[dict[str, str]]] = []  # the headers of each request

    def do_GET(self) -> None:
        self.seen.append(dict(self.headers))
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/loop":  # a redirect to itself
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, kind, body = self.routes.get(self.path, (404, "text/html", b"<h1>Not found</h1>"))
        validated = self.path in ("/esa.rss", "/same.rss")
        if validated and self.headers.get("If-None-Match") == ETAG:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if validated:
            self.send_header("ETag", ETAG)
            self.send_header("Last-Modified", LAST_MODIFIED)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (the time-out test) is what the test wants


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    _Handler.routes = {
        "/esa.rss": (200, "application/rss+xml", FEED),
        "/api": (200, "application/json", API),
        "/page": (200, "text/html", b"<!DOCTYPE html><html><body>Welcome</body></html>"),
    }
    _Handler.seen = []
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_fetch_saves_each_feed_and_the_corpus_reads_it(
    runner: CliRunner, server: str, tmp_path: Path
) -> None:
    into = tmp_path / "news"
    result = run(runner, "fetch", "--into", str(into), f"{server}/esa.rss", f"{server}/api")
    assert result.exit_code == 0, result.output
    saved = [Path(line) for line in result.stdout.splitlines()]
    assert [p.parent for p in saved] == [into, into]
    assert _files(into) == sorted(p.name for p in saved)
    assert saved[0].read_bytes() == FEED and saved[0].suffix == ".xml"
    assert saved[1].suffix == ".json"
    assert "2 events, 1 document, saved" in result.stderr
    events = run_json(runner, "--corpus", str(into), "timeline")
    assert len(events) == 3  # the Ariane story is in both, once
    assert "spacenews/" in _Handler.seen[0]["User-Agent"]


def test_fetching_again_sends_the_validators_and_writes_nothing_new(
    runner: CliRunner, server: str, tmp_path: Path
) -> None:
    url = f"{server}/esa.rss"
    run(runner, "fetch", "--into", str(tmp_path), url)
    result = run(runner, "fetch", "--into", str(tmp_path), url)
    assert result.exit_code == 0 and result.stdout == ""
    assert "not modified" in result.stderr
    assert _Handler.seen[1]["If-None-Match"] == ETAG
    assert _Handler.seen[1]["If-Modified-Since"] == LAST_MODIFIED
    assert len(_files(tmp_path)) == 1


def test_a_changed_feed_is_saved_beside_and_makes_no_duplicate(
    runner: CliRunner, server: str, tmp_path: Path
) -> None:
    # A server without validators: the second answer holds the first's items and one more.
    changed = FEED.replace(
        b"<item>",
        b"<item><title>New item</title><link>https://esa.int/n"
        b"</link><pubDate>Tue, 02 Sep 2025 09:00:00 GMT</pubDate></item><item>",
        1,
    )
    _Handler.routes["/plain.rss"] = (200, "application/rss+xml", FEED)
    run(runner, "fetch", "--into", str(tmp_path), f"{server}/plain.rss")
    run(runner, "fetch", "--into", str(tmp_path), f"{server}/plain.rss")  # same bytes: kept once
    assert len(_files(tmp_path)) == 1
    _Handler.routes["/plain.rss"] = (200, "application/rss+xml", changed)
    result = run(runner, "fetch", "--into", str(tmp_path), f"{server}/plain.rss")
    assert result.exit_code == 0 and len(_files(tmp_path)) == 2
    headlines = [e.headline for e in load_corpus([tmp_path]).events]
    assert sorted(headlines) == sorted(
        [
            "Ariane 6 flies & delivers Europe’s weather satellite",
            "Juice swings by Venus",
            "New item",
        ]
    )


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("/page", "the response is no feed (it reads as an HTML page)"),
        ("/missing", "HTTP 404 Not Found"),
        # urllib's reason holds line breaks, which were shown as \n
        (
            "/loop",
            "HTTP 302 The HTTP server returned a redirect error that would lead to an infinite"
            " loop. The last 30x error message was: Found",
        ),
    ],
)
def test_a_bad_response_is_one_line_and_writes_nothing(
    runner: CliRunner, server: str, tmp_path: Path, path: str, said: str
) -> None:
    into = tmp_path / "news"
    result = run(runner, "fetch", "--into", str(into), f"{server}{path}")
    assert result.exit_code == 4
    assert result.stderr == f"spacenews: error: {server}{path}: {said}\n"
    assert result.stdout == "" and not into.exists()


def test_a_refused_connection_and_a_time_out_fail_cleanly(
    runner: CliRunner, server: str, tmp_path: Path
) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    closed = f"http://127.0.0.1:{port}/feed"
    result = run(
        runner,
        "fetch",
        "--into",
        str(tmp_path),
        "--timeout",
        "0.3",
        closed,
        f"{server}/slow",
        f"{server}/esa.rss",
    )
    assert result.exit_code == 4
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"spacenews: error: {closed}: cannot connect (")
    assert lines[1] == f"spacenews: error: {server}/slow: no answer within 0.3 s"
    assert len(_files(tmp_path)) == 1  # the good feed among them is saved


def test_a_response_too_large_writes_nothing(server: str, tmp_path: Path) -> None:
    with pytest.raises(fetch.FetchError, match="larger than 100 bytes"):
        fetch.fetch(f"{server}/esa.rss", tmp_path, limit=100)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "file:///etc/passwd", "esa.rss"])
def test_only_web_addresses_are_fetched(runner: CliRunner, url: str) -> None:
    result = run(runner, "fetch", url)
    assert result.exit_code == 2
    assert "only http and https URLs can be fetched" in result.stderr


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://127.0.0.1:1/a b", "a space or control character: write %20"),
        ("http://exa mple.org/", "a space or control character: write %20"),
        ("http://example.org/\x1b[31m", "a space or control character: write %20"),
        ("http://127.0.0.1:x/", "Port could not be cast to integer value as 'x'"),
        ("http://127.0.0.1:99999/", "Port out of range 0-65535"),
        ("http://", "no host"),
        ("http://[::1", "Invalid IPv6 URL"),
    ],
)
def test_a_url_that_cannot_be_sent_is_a_usage_error_before_any_fetch(
    runner: CliRunner, server: str, tmp_path: Path, url: str, said: str
) -> None:
    # Found by a newcomer's try-out: 'http://127.0.0.1:1/a b' crashed fetch (exit 3,
    # http.client's InvalidURL) and the good feed after it was never fetched.
    into = tmp_path / "news"
    result = run(runner, "fetch", "--into", str(into), f"{server}/esa.rss", url)
    assert (result.exit_code, result.stdout) == (2, "")
    assert f"not a valid URL ({said})" in result.stderr and "\x1b" not in result.stderr
    assert len(result.stderr.splitlines()) == 1 and not into.exists()


def test_letters_that_are_not_ascii_are_sent_escaped_as_a_browser_sends_them(
    runner: CliRunner, server: str, tmp_path: Path
) -> None:
    _Handler.routes["/actualit%C3%A9s?q=%C3%BC"] = (200, "application/rss+xml", FEED)
    result = run(runner, "fetch", "--into", str(tmp_path), f"{server}/actualités?q=ü")
    assert result.exit_code == 0, result.stderr
    assert len(_files(tmp_path)) == 1


def test_an_answer_that_is_no_http_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()

        def answer() -> None:
            connection, _ = listening.accept()
            with connection:
                connection.recv(4096)
                connection.sendall(b"garbage\r\n\r\n")

        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{listening.getsockname()[1]}/feed"
        result = run(runner, "fetch", "--into", str(tmp_path), "--timeout", "5", url)
        thread.join()
    assert result.exit_code == 4
    assert result.stderr == f"spacenews: error: {url}: not an HTTP answer (BadStatusLine)\n"


_ONE_STORY_TWICE = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>T</title><link>https://ex.org/</link>
<item><title>Launch A</title><link>https://ex.org/a?utm_source=x</link>
<pubDate>Mon, 14 Mar 2016 09:31:00 GMT</pubDate></item>
<item><title>Launch A again</title><link>https://ex.org/a</link>
<pubDate>Mon, 14 Mar 2016 10:31:00 GMT</pubDate></item>
<item><title>Undated</title><link>https://ex.org/b</link></item>
</channel></rss>"""


def test_fetch_counts_the_events_the_corpus_will_hold(
    runner: CliRunner, server: str, tmp_path: Path
) -> None:
    # Found by a newcomer's try-out: two items of one story were told as 2 events, which
    # the corpus reads as one.
    _Handler.routes["/twice.rss"] = (200, "application/rss+xml", _ONE_STORY_TWICE)
    result = run(runner, "fetch", "--into", str(tmp_path), f"{server}/twice.rss")
    assert result.exit_code == 0 and ": 1 event, 1 document, saved" in result.stderr
    checked = run(runner, "-c", str(tmp_path), "check")
    assert checked.stderr == "spacenews: no problems in 1 event and 1 document\n"


def test_the_default_folder_belongs_to_the_default_corpus(
    runner: CliRunner, server: str, private_data: Path
) -> None:
    before = run_json(runner, "timeline")
    result = run(runner, "fetch", f"{server}/esa.rss")
    assert result.stdout.startswith(str(private_data / "feeds"))
    after = run_json(runner, "timeline")
    assert len(after) == len(before) + 2


@pytest.mark.skipif(sys.platform != "linux", reason="platformdirs is asked elsewhere")
@pytest.mark.parametrize("xdg", [None, "", "/srv/data/", "relative/data"])
def test_the_user_data_folder_is_platformdirs_one(
    xdg: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    monkeypatch.setenv("HOME", str(tmp_path))
    if xdg is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", xdg)
    expected = Path(platformdirs.user_data_dir("spacenews", appauthor=False))
    assert fetch.user_data_dir() == expected
    if xdg == "/srv/data/":
        assert expected == Path("/srv/data/spacenews")
    else:
        assert expected == tmp_path / ".local" / "share" / "spacenews"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_several_feeds_show_progress_on_a_terminal(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spacenews.terminal import fetch_progress

    shown = _Terminal()
    monkeypatch.setattr(sys, "stderr", shown)
    monkeypatch.setenv("TERM", "xterm")
    with fetch_progress(2) as done:
        fetch.fetch_all([f"{server}/esa.rss", f"{server}/api"], tmp_path, done=done)
    assert "Fetching" in shown.getvalue()
    shown = _Terminal()
    monkeypatch.setattr(sys, "stderr", shown)
    with fetch_progress(1) as done:
        fetch.fetch_all([f"{server}/api"], tmp_path, done=done)
    assert "Fetching" not in shown.getvalue()


def test_a_folder_that_cannot_be_written_is_one_line(
    runner: CliRunner, server: str, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", "utf-8")
    result = run(runner, "fetch", "--into", str(blocker / "news"), f"{server}/esa.rss")
    assert result.exit_code == 4
    assert result.stderr.startswith(f"spacenews: error: {server}/esa.rss: cannot save into ")
    assert len(result.stderr.splitlines()) == 1


def test_the_default_corpus_is_cached_once_feeds_were_fetched(
    runner: CliRunner, private_data: Path
) -> None:
    feeds = private_data / "feeds"
    feeds.mkdir()
    for number in range(50):  # the fewest files a cache is kept for
        (feeds / f"esa-{number}.xml").write_bytes(FEED)
    assert len(run_json(runner, "timeline")) == 10 + 2
    caches = run_json(runner, "cache", "info")["caches"]
    assert str(feeds) in json.dumps(caches)


def test_fetch_never_writes_through_a_link_in_its_folder(
    runner: CliRunner, server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Links in the folder, where fetch wrote its files aside under fixed names and took a
    # name whose link led nowhere for free: what they lead to stays as it was.
    into, outside = tmp_path / "news", tmp_path / "outside"
    into.mkdir()
    outside.write_text("mine")
    (into / f"{fetch.STATE_FILE}.part").symlink_to(outside)
    stamp = "20200101T000000Z"
    monkeypatch.setattr(fetch, "_stamp", lambda: stamp)  # a name known beforehand
    name = f"127-0-0-1-esa-rss-{stamp}"
    (into / f".{name}-2.xml.part").symlink_to(outside)  # where the file is written aside
    (into / f"{name}.xml").symlink_to(tmp_path / "nowhere")
    result = run(runner, "fetch", "--into", str(into), f"{server}/esa.rss")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{into / f'{name}-2.xml'}\n"
    assert outside.read_text() == "mine" and not (tmp_path / "nowhere").exists()
    assert (into / f"{name}-2.xml").read_bytes() == FEED
    assert json.loads((into / fetch.STATE_FILE).read_text())  # the state, beside


def test_fetched_files_get_the_usual_permissions(
    runner: CliRunner, server: str, tmp_path: Path
) -> None:
    # As any file the user makes (0o666 less the umask), not the 0o600 of the file written
    # aside (tempfile.mkstemp's): a corpus that others read stayed readable.
    import os

    mask = os.umask(0o022)
    try:
        result = run(runner, "fetch", "--into", str(tmp_path), f"{server}/esa.rss")
    finally:
        os.umask(mask)
    assert result.exit_code == 0, result.output
    [saved] = [Path(line) for line in result.stdout.splitlines()]
    for written in (saved, tmp_path / fetch.STATE_FILE):
        assert written.stat().st_mode & 0o777 == 0o644, written
