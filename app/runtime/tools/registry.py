"""The built-in tools by name, and the one entry point the engine calls to run one.

:meth:`ToolRegistry.run` never raises for a tool's failure: an unknown tool, input that does not
fit the tool (the message names the field), a refused path or a failing command all come back
as an ``is_error`` result. Only cancellation propagates (after bash has killed its processes).
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError

from app.runtime.tools.base import Tool, ToolContext, ToolError, ToolResult
from app.runtime.tools.bash import BASH
from app.runtime.tools.files import EDIT, READ, WRITE
from app.runtime.tools.search import GLOB, GREP
from app.runtime.tools.web_fetch import WEB_FETCH

log = logging.getLogger(__name__)

BUILTIN_TOOLS = (BASH, READ, WRITE, EDIT, GLOB, GREP, WEB_FETCH)
#: Names of the agent toolset (reference §4.2) that the embedded runtime cannot run.
UNAVAILABLE = frozenset({"web_search"})


def describe(error: ValidationError) -> str:
    """One line per problem, each naming its field: ``file_path: Field required``."""
    problems = []
    for item in error.errors():
        field = ".".join(str(p) for p in item["loc"]) or "input"
        problems.append(f"{field}: {item['msg']}")
    return "; ".join(problems)


class ToolRegistry:
    """Built-in tools by name; ``tools`` replaces the default set (e.g. in tests)."""

    def __init__(self, tools: tuple[Tool, ...] = BUILTIN_TOOLS) -> None:
        self._tools = {tool.name: tool for tool in tools}

    @property
    def names(self) -> list[str]:
        return list(self._tools)

    async def run(self, name: str, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        tool = self._tools.get(name)
        if tool is None:
            if name in UNAVAILABLE:
                return ToolResult.text(f"{name} is not available in the embedded runtime", is_error=True)
            return ToolResult.text(f"unknown tool {name!r}", is_error=True)
        if not isinstance(input, dict):
            return ToolResult.text(f"invalid input for {name}: must be a JSON object", is_error=True)
        try:
            args = tool.input_model.model_validate(input)
        except ValidationError as exc:
            return ToolResult.text(f"invalid input for {name}: {describe(exc)}", is_error=True)
        try:
            ctx.workspace.mkdir(parents=True, exist_ok=True)
            return await tool.run(args, ctx)
        except ToolError as exc:
            return ToolResult.text(str(exc), is_error=True)
        except OSError as exc:
            return ToolResult.text(f"{name} failed: {exc.strerror or exc}", is_error=True)
        except Exception as exc:  # a bug in a tool must not take the session down
            log.exception("tool %s failed", name)
            return ToolResult.text(f"{name} failed: {type(exc).__name__}: {exc}", is_error=True)
