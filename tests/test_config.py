"""Settings resolution and the command line: precedence, bad files, and the key never shown."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app import __version__
from app.config import ConfigError, Secret, resolve_settings

ROOT = Path(__file__).resolve().parent.parent
KEY = "sk-ant-api03-TOPSECRETvalue0123456789"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_flag_beats_environment_beats_file(tmp_path):
    cfg = write(tmp_path / "c.toml", 'api_key = "from-file"\nbase_url = "http://file:1"\nworkspace_id = "wrkspc_f"\n')
    env = {"ANTHROPIC_API_KEY": "from-env", "ANTHROPIC_BASE_URL": "http://env:2"}
    s = resolve_settings(api_key="from-flag", config_path=cfg, environ=env)
    assert s.api_key.reveal() == "from-flag" and s.sources["api_key"] == "flag"
    assert s.base_url == "http://env:2" and s.sources["base_url"] == "ANTHROPIC_BASE_URL"
    assert s.workspace_id == "wrkspc_f" and s.sources["workspace_id"] == str(cfg)


def test_defaults_without_anything_choose_the_embedded_runtime(tmp_path):
    s = resolve_settings(config_path=tmp_path / "missing.toml", environ={})
    assert s.api_key is None and s.uses_embedded_runtime
    assert s.base_url == "https://api.anthropic.com"
    assert s.data_dir.name == "agentdeck"


def test_data_dir_from_flag_then_environment(tmp_path):
    env = {"AGENTDECK_DATA_DIR": str(tmp_path / "env-data")}
    assert resolve_settings(config_path=tmp_path / "x", environ=env).data_dir == tmp_path / "env-data"
    flagged = resolve_settings(data_dir=tmp_path / "flag-data", config_path=tmp_path / "x", environ=env)
    assert flagged.data_dir == tmp_path / "flag-data"


def test_config_path_from_environment(tmp_path):
    cfg = write(tmp_path / "elsewhere.toml", 'base_url = "https://proxy.example/"\n')
    s = resolve_settings(environ={"AGENTDECK_CONFIG": str(cfg)})
    assert s.base_url == "https://proxy.example" and s.config_path == cfg


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("api_key = [", "not valid TOML"),
        ("colour = 'red'", "unknown setting(s) colour"),
        ("base_url = 3", "base_url must be a string"),
        ("[keys]\nquit = 1", "[keys]"),
        ("base_url = 'ftp://x'", "http:// or https://"),
        ("reopen_last_session = 'yes'", "reopen_last_session must be true or false"),
    ],
)
def test_bad_config_file_is_a_clear_error(tmp_path, text, complaint):
    cfg = write(tmp_path / "c.toml", text)
    with pytest.raises(ConfigError) as info:
        resolve_settings(config_path=cfg, environ={})
    assert complaint in str(info.value)


def test_reopen_last_session_is_off_unless_the_file_turns_it_on(tmp_path):
    off = resolve_settings(config_path=tmp_path / "missing.toml", environ={})
    assert off.reopen_last_session is False and off.sources["reopen_last_session"] == "default"
    cfg = write(tmp_path / "c.toml", "reopen_last_session = true\n")
    on = resolve_settings(config_path=cfg, environ={})
    assert on.reopen_last_session is True and on.sources["reopen_last_session"] == str(cfg)


def test_secret_never_shows_itself():
    s = Secret(KEY)
    assert KEY not in repr(s) and KEY not in str(s) and KEY not in f"{s}" and KEY not in s.masked()
    settings = resolve_settings(api_key=KEY, config_path="/nonexistent/c.toml", environ={})
    assert KEY not in repr(settings)


def run_cli(*args: str, env_key: str | None = None, tmp: Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp), "AGENTDECK_CONFIG": str(tmp / "none.toml")}
    if env_key:
        env["ANTHROPIC_API_KEY"] = env_key
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env, cwd=ROOT)


def test_cli_version_and_help(tmp_path):
    assert run_cli("--version", tmp=tmp_path).stdout.strip() == f"agentdeck {__version__}"
    helped = run_cli("--help", tmp=tmp_path)
    assert helped.returncode == 0 and "--api-key" in helped.stdout and "--data-dir" in helped.stdout


def test_cli_config_masks_the_key(tmp_path):
    shown = run_cli("config", env_key=KEY, tmp=tmp_path)
    assert shown.returncode == 0
    assert "ANTHROPIC_API_KEY" in shown.stdout and "chars" in shown.stdout
    assert KEY not in shown.stdout + shown.stderr


def test_cli_config_shows_the_theme_and_the_remapped_keys(tmp_path):
    write(tmp_path / "none.toml", 'theme = "nord"\n[keys]\n"app.quit" = "ctrl+x"\n"sessions.new" = "N,insert"\n')
    shown = run_cli("config", tmp=tmp_path).stdout.splitlines()
    assert "theme        nord  [config file]" in shown
    assert shown[-2:] == [
        "key          app.quit = ctrl+x  [config file]",
        "key          sessions.new = N,insert  [config file]",
    ]


def test_cli_config_shows_whether_the_last_session_reopens(tmp_path):
    assert "reopen last  off  [default]" in run_cli("config", tmp=tmp_path).stdout.splitlines()
    write(tmp_path / "none.toml", "reopen_last_session = true\n")
    shown = run_cli("config", tmp=tmp_path).stdout.splitlines()
    assert f"reopen last  on  [{tmp_path / 'none.toml'}]" in shown


def test_cli_bad_config_exits_with_message_not_traceback(tmp_path):
    write(tmp_path / "none.toml", "api_key = [")
    result = run_cli("config", tmp=tmp_path)
    assert result.returncode == 2
    assert "not valid TOML" in result.stderr and "Traceback" not in result.stderr


def test_wheel_ships_the_styles(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("agentdeck-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {Path(n).name for n in names if n.startswith("app/styles/")}
    assert shipped == {p.name for p in (ROOT / "styles").glob("*.tcss")} and shipped
    assert "app/cli.py" in names and not any(n.startswith("tests/") for n in names)
