"""The typed config tree: unknown keys and wrong types are rejected; every key is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from manysides.config import Config, config_from_dict, iter_keys, load_config
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
