"""What ``agentdeck runtime`` prints: where the embedded runtime is and how to reach it.

The snippets read the key from its file, so the key itself is never printed unless asked for.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from app.api.http import API_VERSION, BETA
from app.runtime.discovery import Record


def describe_runtime(record: Record, folder: Path, *, show_key: bool = False) -> str:
    """The runtime's URL, pid, data and key file, then curl and SDK snippets ready to paste."""
    key_file = shlex.quote(str(record.key_path))
    lines = [
        f"embedded runtime: {record.url} (pid {record.pid}, data: {folder})",
        f"key file: {record.key_path}",
    ]
    if show_key:
        lines.append(f"key: {record.key()}")
    lines += [
        "",
        "curl:",
        f'  curl -sS {record.url}/v1/sessions -H "x-api-key: $(cat {key_file})" '
        f'-H "anthropic-version: {API_VERSION}" -H "anthropic-beta: {BETA}"',
        "",
        "Python SDK:",
        "  from pathlib import Path",
        "  import anthropic",
        f"  client = anthropic.Anthropic(base_url={record.url!r}, "
        f"api_key=Path({str(record.key_path)!r}).read_text().strip())",
        "",
        "agentdeck (attaches by itself when no API key is set):",
        "  agentdeck watch SESSION_ID",
    ]
    return "\n".join(lines)
