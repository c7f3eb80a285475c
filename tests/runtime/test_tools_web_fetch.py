"""web_fetch gets pages over real HTTP (a loopback server) and honours limited networking."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from app.runtime.tools import ToolContext, ToolRegistry
from app.runtime.tools.web_fetch import host_allowed

PAGE = """<html><head><title>t</title><style>body { color: red }</style>
<script>alert('x')</script></head>
<body><h1>Release notes</h1><p>Version&nbsp;2 is <b>out</b>.</p><ul><li>fast</li><li>small</li></ul></body></html>"""


async def pages(request):
    if request.url.path == "/page":
        return HTMLResponse(PAGE)
    if request.url.path == "/plain":
        return PlainTextResponse("just text")
    if request.url.path == "/hop":
        return RedirectResponse(f"http://localhost:{request.url.port}/plain")
    if request.url.path == "/image":
        return Response(b"\x89PNG\0\0", media_type="image/png")
    return PlainTextResponse("no such page", status_code=404)


@pytest.fixture
def site(server):
    server.handler = pages
    return server


async def fetch(url: str, networking: dict, tmp_path: Path):
    ctx = ToolContext(workspace=tmp_path, networking=networking)
    result = await ToolRegistry().run("web_fetch", {"url": url}, ctx)
    return result.content[0]["text"], result.is_error


async def test_fetches_html_as_text(site, tmp_path):
    text, is_error = await fetch(f"{site.base_url}/page", {"type": "unrestricted"}, tmp_path)
    assert not is_error
    assert "HTTP 200" in text
    assert "Release notes" in text and "Version 2 is out." in text and "fast\nsmall" in text
    assert "<" not in text.split("\n", 1)[1] and "alert" not in text and "color" not in text


async def test_limited_networking_allows_listed_hosts(site, tmp_path):
    limited = {"type": "limited", "allowed_hosts": ["127.0.0.1"]}
    text, is_error = await fetch(f"{site.base_url}/plain", limited, tmp_path)
    assert not is_error and text.endswith("just text")


async def test_limited_networking_refuses_other_hosts_without_a_request(site, tmp_path):
    limited = {"type": "limited", "allowed_hosts": ["example.com"]}
    text, is_error = await fetch(f"{site.base_url}/plain", limited, tmp_path)
    assert is_error
    assert text == "host 127.0.0.1 is not in this environment's allowed_hosts"
    assert site.requests == []


async def test_a_redirect_to_a_host_not_allowed_is_refused(site, tmp_path):
    limited = {"type": "limited", "allowed_hosts": ["127.0.0.1"]}
    text, is_error = await fetch(f"{site.base_url}/hop", limited, tmp_path)
    assert is_error and "host localhost is not in" in text
    assert [r.path for r in site.requests] == ["/hop"]
    text, is_error = await fetch(f"{site.base_url}/hop", {"type": "unrestricted"}, tmp_path)
    assert not is_error and text.endswith("just text")


async def test_http_errors_and_binary_content_are_tool_errors(site, tmp_path):
    text, is_error = await fetch(f"{site.base_url}/missing", {"type": "unrestricted"}, tmp_path)
    assert is_error and "HTTP 404" in text and "no such page" in text
    text, is_error = await fetch(f"{site.base_url}/image", {"type": "unrestricted"}, tmp_path)
    assert is_error and "image/png" in text


async def test_bad_urls_are_refused_clearly(tmp_path):
    for url in ["ftp://example.com/x", "not a url", "file:///etc/passwd"]:
        text, is_error = await fetch(url, {"type": "unrestricted"}, tmp_path)
        assert is_error and text.startswith("url:"), url


def test_allowed_hosts_match_exactly_or_as_a_parent_domain():
    limited = {"type": "limited", "allowed_hosts": ["example.com", "*.pypi.org", "API.GitHub.com"]}
    assert host_allowed("example.com", limited)
    assert host_allowed("docs.example.com", limited)
    assert host_allowed("files.pypi.org", limited) and host_allowed("pypi.org", limited)
    assert host_allowed("api.github.com", limited)
    assert not host_allowed("github.com", limited)
    assert not host_allowed("notexample.com", limited)
    assert not host_allowed("example.com.evil.net", limited)
    assert host_allowed("anything.net", {"type": "unrestricted"})
