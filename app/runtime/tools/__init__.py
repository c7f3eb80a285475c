"""Built-in tools that run for real in a session's workspace: bash, read, write, edit, glob,
grep and web_fetch. The engine needs only :class:`ToolRegistry`, :class:`ToolContext` and
:class:`ToolResult`."""

from app.runtime.tools.base import ToolContext, ToolResult
from app.runtime.tools.registry import ToolRegistry

__all__ = ["ToolContext", "ToolRegistry", "ToolResult"]
