"""The typed config tree: unknown keys and wrong types are rejected; every key is documented."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from manysides.briefing import RankOptions
from manysides.briefing.view import RenderOptions
from manysides.config import BriefingConfig, Config, config_from_dict, iter_keys, load_config
from manysides.errors import ConfigError

DOCS = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


def test_defaults_load_without_file() -> None:
    assert isinstance(load_config(), Config)


def test_unknown_top_level_key_rejected() -> None:
    with pytest.raises(ConfigError, match="unknown config key 'fetchh'"):
        config_from_dict({"fetchh": {}})


def test_unknown_nested_key_rejected() -> None:
    with pytest.raises(ConfigError, match="unknown config key 'fetch.timeout_s'"):
        config_from_dict({"fetch": {"timeout_s": 3}})


def test_wrong_type_rejected() -> None:
    with pytest.raises(ConfigError, match="fetch.max_bytes"):
        config_from_dict({"fetch": {"max_bytes": "big"}})
    with pytest.raises(ConfigError, match="fetch.allowed_hosts"):
        config_from_dict({"fetch": {"allowed_hosts": "127.0.0.1"}})


def test_ranges_checked_at_load_time() -> None:
    with pytest.raises(ConfigError, match=r"config key 'fetch.concurrency' must be greater"):
        config_from_dict({"fetch": {"concurrency": 0}})
    with pytest.raises(ConfigError, match=r"'perspectives.blindspot_share' must be less"):
        config_from_dict({"perspectives": {"blindspot_share": 1.5}})
    with pytest.raises(ConfigError, match=r"'briefing.build_time' must be a time of day HH:MM"):
        config_from_dict({"briefing": {"build_time": "25:61"}})
    with pytest.raises(ConfigError, match=r"'email.port' must be less"):
        config_from_dict({"email": {"port": 70000}})
    with pytest.raises(ConfigError, match="'quotes.batch_size'"):
        Config().replace("quotes", batch_size=0)
    with pytest.raises(ValueError):  # pydantic's ValidationError: copies are validated too
        dataclasses.replace(Config().quotes, batch_size=0)


def test_errors_name_the_dotted_path_and_are_one_line() -> None:
    with pytest.raises(ConfigError) as caught:
        config_from_dict({"perspectives": {"llm": {"timeout": -1, "urll": "x"}}})
    message = caught.value.message
    assert "'perspectives.llm.timeout'" in message
    assert "unknown config key 'perspectives.llm.urll'" in message
    assert "\n" not in message
    with pytest.raises(ConfigError, match=r"'fetch.allowed_hosts\[1\]' must be a string"):
        config_from_dict({"fetch": {"allowed_hosts": ["127.0.0.1", 1]}})
    with pytest.raises(ConfigError, match="'fetch' must be a table"):
        config_from_dict({"fetch": [1]})
    with pytest.raises(ConfigError, match="must be true or false"):
        config_from_dict({"fetch": {"respect_robots": 1}})


def test_bad_file_is_one_message_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[stories]\nthreshold = 2.0\n")
    result = subprocess.run(
        [sys.executable, "-m", "manysides", "--config", str(path), "sources", "list"],
        capture_output=True,
        text=True,
        env={**os.environ, "MANYSIDES_HOME": str(tmp_path)},
    )
    assert result.returncode == 2
    assert "stories.threshold" in result.stderr
    assert "Traceback" not in result.stderr


def test_options_take_their_defaults_from_the_config() -> None:
    cfg = BriefingConfig(quotes_per_story=1, story_page_discrepancies=9, max_stories=3)
    assert RenderOptions.from_config(cfg).quotes_per_story == 1
    assert RenderOptions.from_config(cfg).full_discrepancies == 9
    assert RankOptions.from_config(cfg).max_stories == 3
    with pytest.raises(TypeError):
        RankOptions()  # type: ignore[call-arg]  # no second copy of the defaults


def test_values_are_coerced() -> None:
    cfg = config_from_dict({"fetch": {"allowed_hosts": ["127.0.0.1"], "per_host_delay": 0}})
    assert cfg.fetch.allowed_hosts == ("127.0.0.1",)
    assert isinstance(cfg.fetch.per_host_delay, float)


def test_file_errors_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "c.toml"
    bad.write_text("[fetch\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.toml")


def test_replace_validates() -> None:
    cfg = Config().replace("store", path="/tmp/x.db")
    assert cfg.store.path == "/tmp/x.db"
    with pytest.raises(ConfigError):
        Config().replace("store", nope=1)


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    documented = set(re.findall(r"^- `([a-z_.]+)`", text, flags=re.M))
    missing = [k for k in iter_keys() if k not in documented]
    assert not missing, f"undocumented settings in docs/configuration.md: {missing}"
    stale = sorted(documented - set(iter_keys()))
    assert not stale, f"docs/configuration.md documents settings that do not exist: {stale}"
