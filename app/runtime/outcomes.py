"""Outcomes (``user.define_outcome``): the offline grader, deterministic like the offline model.

A text rubric is graded line by line: each line ``must contain: <text>`` (a leading ``-`` or ``*``
allowed, case-insensitive keyword) requires ``<text>`` verbatim in the iteration's answer (the
last ``agent.message`` of the turn). All present: ``satisfied``. Some missing: ``needs_revision``
with an explanation listing each missing text on a ``- `` line (the offline model's next revision
adds the first of them), or ``max_iterations_reached`` on the last allowed iteration. A rubric
without such lines is satisfied by any answer; a file rubric ``failed`` (not readable offline).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.runtime.brain import model_usage

DEFAULT_MAX_ITERATIONS = 3
MAX_ITERATIONS = 20
TERMINAL = ("satisfied", "max_iterations_reached", "failed", "interrupted")
_REQUIREMENT = re.compile(r"^\s*(?:[-*]\s*)?must contain:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
MISSING_HEADER = "The answer is missing"


def requirements(rubric: dict[str, Any]) -> list[str]:
    """The texts a text rubric requires."""
    return _REQUIREMENT.findall(rubric.get("content") or "") if rubric.get("type") == "text" else []


def missing_from(explanation: str) -> list[str]:
    """The missing texts a ``needs_revision`` explanation lists."""
    return [line[2:] for line in explanation.splitlines() if line.startswith("- ")]


@dataclass
class Verdict:
    result: str
    explanation: str
    usage: dict[str, int]


def grade(rubric: dict[str, Any], answer: str, iteration: int, max_iterations: int) -> Verdict:
    """Grade ``answer`` (iteration ``iteration``, 0-based) against ``rubric``."""
    tokens = (len(str(rubric.get("content", ""))) + len(answer) + 3) // 4
    if rubric.get("type") != "text":
        explanation = "The offline grader cannot read a file rubric; use a text rubric."
        return Verdict("failed", explanation, model_usage(input_tokens=tokens + 8, output_tokens=len(explanation) // 4))
    wanted = requirements(rubric)
    missing = [text for text in wanted if text not in answer]
    if not missing:
        explanation = (
            f"Every required text is present ({len(wanted)} checked)."
            if wanted
            else "The rubric has no `must contain:` lines; any answer satisfies it."
        )
        result = "satisfied"
    else:
        listed = "\n".join(f"- {text}" for text in missing)
        explanation = f"{MISSING_HEADER} {len(missing)} of {len(wanted)} required texts:\n{listed}"
        result = "needs_revision" if iteration + 1 < max_iterations else "max_iterations_reached"
    return Verdict(result, explanation, model_usage(input_tokens=tokens + 8, output_tokens=(len(explanation) + 3) // 4))
