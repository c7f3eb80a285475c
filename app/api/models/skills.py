"""Custom skills and their versions (``/v1/skills``, the SDK's ``beta.skills``).

An agent refers to a skill with a :class:`~app.api.models.CustomSkill` entry of its ``skills``."""

from __future__ import annotations

from app.api.models.base import Timestamp, WireModel


class SkillSource(WireModel):
    """Where a skill comes from: ``custom``, ``anthropic``, ``anthropic_example`` or ``plugin``."""

    type: str


class SkillInfo(WireModel):
    """A skill (``type: "skill"``); ``latest_version_id`` is what ``version: "latest"`` means."""

    type: str = "skill"
    id: str
    display_name: str
    source: SkillSource
    latest_version_id: str
    created_at: Timestamp
    updated_at: Timestamp


class SkillVersion(WireModel):
    """One uploaded version: ``name`` is the skill's slug (its folder), ``description`` from SKILL.md."""

    type: str = "skill_version"
    id: str
    skill_id: str
    name: str
    description: str
    created_at: Timestamp
