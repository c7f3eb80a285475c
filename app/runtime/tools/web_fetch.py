"""The web_fetch tool: GET a URL and return its text, within the environment's networking rules.

With ``limited`` networking a host is allowed when it equals an entry of ``allowed_hosts`` or is
a subdomain of one (``example.com`` allows ``api.example.com``; a leading ``*.`` in an entry is
ignored; case-insensitive, ports not considered). Every redirect hop is checked the same way.
Responses are read up to :data:`MAX_BYTES`; HTML is crudely reduced to text.
"""

from __future__ import annotations

import html
import re
from typing import Any

import httpx

from app.runtime.tools.base import Tool, ToolContext, ToolError, ToolInput, ToolResult, cap_text
from app.runtime.tools.files import is_binary

TIMEOUT = 30.0
MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "agentdeck-runtime web_fetch"

_DROP = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_BREAK = re.compile(r"<(br|/p|/div|/li|/h[1-6]|/tr|/pre|/blockquote|/section|/article)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


class WebFetchInput(ToolInput):
    url: str


def host_allowed(host: str, networking: dict[str, Any]) -> bool:
    """Whether ``networking`` lets the environment reach ``host`` (see the module notes)."""
    if networking.get("type") != "limited":
        return True
    host = host.lower().rstrip(".")
    for entry in networking.get("allowed_hosts") or []:
        allowed = entry.strip().lower().rstrip(".").removeprefix("*.")
        if allowed and (host == allowed or host.endswith("." + allowed)):
            return True
    return False


def html_to_text(markup: str) -> str:
    """Scripts and styles dropped, block ends as newlines, tags removed, whitespace tidied."""
    text = _TAG.sub("", _BREAK.sub("\n", _DROP.sub("", markup)))
    text = re.sub(r"[ \t\r\f\v\xa0]+", " ", html.unescape(text))
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _parse(raw: str) -> httpx.URL:
    try:
        url = httpx.URL(raw)
    except httpx.InvalidURL as exc:
        raise ToolError(f"url: not a valid URL ({exc})") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ToolError("url: must be an http:// or https:// URL with a host")
    return url


async def _read_capped(response: httpx.Response) -> tuple[bytes, bool]:
    """The body up to :data:`MAX_BYTES`, and whether it was cut there."""
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > MAX_BYTES:
            return bytes(body[:MAX_BYTES]), True
    return bytes(body), False


def _as_text(response: httpx.Response, body: bytes) -> str:
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if is_binary(body) or content_type.startswith(("image/", "audio/", "video/", "font/")):
        raise ToolError(f"{response.url} returned {content_type or 'binary content'}; web_fetch reads text only")
    try:
        text = body.decode(response.charset_encoding or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        text = body.decode("utf-8", errors="replace")
    return html_to_text(text) if "html" in content_type else text


async def run_web_fetch(args: WebFetchInput, ctx: ToolContext) -> ToolResult:
    url = _parse(args.url)
    async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False, headers={"user-agent": USER_AGENT}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            if not host_allowed(url.host, ctx.networking):
                raise ToolError(f"host {url.host} is not in this environment's allowed_hosts")
            try:
                async with client.stream("GET", url) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = _parse(str(response.url.join(response.headers["location"])))
                        continue
                    body, cut = await _read_capped(response)
            except httpx.TimeoutException:
                raise ToolError(f"timed out after {TIMEOUT:g}s fetching {url}") from None
            except httpx.HTTPError as exc:
                raise ToolError(f"could not fetch {url}: {exc}") from None
            text = _as_text(response, body)
            if cut:
                text += f"\n[response cut at {MAX_BYTES} bytes]"
            header = f"{url} returned HTTP {response.status_code} {response.reason_phrase}".rstrip()
            return ToolResult.text(cap_text(f"{header}\n\n{text}", ctx.max_output), is_error=response.is_error)
    raise ToolError(f"more than {MAX_REDIRECTS} redirects fetching {args.url}")


WEB_FETCH = Tool("web_fetch", WebFetchInput, run_web_fetch)
