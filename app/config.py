"""Where agentdeck's settings come from: flags, then environment, then the TOML config file.

The API key is wrapped in :class:`Secret` so that no repr, log line or error message can show it.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "agentdeck"
DEFAULT_BASE_URL = "https://api.anthropic.com"
CONFIG_FILE_NAME = "config.toml"
#: The string settings of the config file; it also has the ``[keys]`` table.
_STRING_KEYS = ("api_key", "base_url", "workspace_id", "data_dir", "theme")
#: The true / false settings of the config file.
_BOOLEAN_KEYS = ("reopen_last_session",)
_KNOWN_KEYS = {*_STRING_KEYS, *_BOOLEAN_KEYS, "keys"}


class ConfigError(Exception):
    """The configuration cannot be used; the message says which file or value and why."""


class Secret:
    """A string that never shows itself: ``str``/``repr`` give a mask, ``reveal()`` the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself, for the one place that must send it (the HTTP header)."""
        return self._value

    def masked(self) -> str:
        """A hint that identifies the key without exposing it, e.g. ``sk-ant-…(108 chars)``."""
        prefix = self._value[:7] if self._value.startswith("sk-") else ""
        return f"{prefix}…({len(self._value)} chars)"

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class Settings:
    """The resolved configuration, with where each value came from (for ``agentdeck config``)."""

    api_key: Secret | None
    base_url: str
    workspace_id: str | None
    data_dir: Path
    config_path: Path
    theme: str | None = None
    #: Open the session that was open when the app last ran, at start.
    reopen_last_session: bool = False
    keys: Mapping[str, str] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)

    @property
    def uses_embedded_runtime(self) -> bool:
        """No key configured: agentdeck runs its own local runtime instead of the Agent API."""
        return self.api_key is None


def default_config_path() -> Path:
    """The TOML file in the platform's config dir (e.g. ``~/.config/agentdeck/config.toml``)."""
    return Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILE_NAME


def default_data_dir() -> Path:
    """The platform's data dir (e.g. ``~/.local/share/agentdeck``)."""
    return Path(platformdirs.user_data_dir(APP_NAME))


def read_config_file(path: Path) -> dict[str, Any]:
    """Parse the TOML config; a missing file is an empty config, a broken one a ConfigError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"config file {path}: unknown setting(s) {', '.join(unknown)}")
    for key in _STRING_KEYS:
        if key in data and not isinstance(data[key], str):
            raise ConfigError(f"config file {path}: {key} must be a string")
    for key in _BOOLEAN_KEYS:
        if key in data and not isinstance(data[key], bool):
            raise ConfigError(f"config file {path}: {key} must be true or false")
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise ConfigError(f'config file {path}: [keys] maps binding ids to keys, e.g. quit = "ctrl+q"')
    return data


def resolve_settings(
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    workspace_id: str | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    config_path: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve each setting: the flag if given, else the environment, else the file, else the default."""
    env = os.environ if environ is None else environ
    path = Path(config_path or env.get("AGENTDECK_CONFIG") or default_config_path()).expanduser()
    file = read_config_file(path)
    sources: dict[str, str] = {}

    def pick(name: str, flag: Any, env_var: str, default: Any) -> Any:
        for source, value in (("flag", flag), (env_var, env.get(env_var)), (str(path), file.get(name))):
            if value not in (None, ""):
                sources[name] = source
                return value
        sources[name] = "default"
        return default

    key = pick("api_key", api_key, "ANTHROPIC_API_KEY", None)
    url = pick("base_url", base_url, "ANTHROPIC_BASE_URL", DEFAULT_BASE_URL)
    sources["reopen_last_session"] = str(path) if "reopen_last_session" in file else "default"
    if not str(url).startswith(("http://", "https://")):
        raise ConfigError(f"base URL must start with http:// or https:// (got {url!r} from {sources['base_url']})")
    return Settings(
        api_key=Secret(key) if key else None,
        base_url=str(url).rstrip("/"),
        workspace_id=pick("workspace_id", workspace_id, "ANTHROPIC_WORKSPACE_ID", None),
        data_dir=Path(pick("data_dir", data_dir, "AGENTDECK_DATA_DIR", default_data_dir())).expanduser(),
        config_path=path,
        theme=file.get("theme"),
        reopen_last_session=file.get("reopen_last_session", False),
        keys=dict(file.get("keys", {})),
        sources=sources,
    )
