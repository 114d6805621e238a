"""Settings precedence, strictness, profiles and where secrets go."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from pydantic import ValidationError

from nymble_desk import paths
from nymble_desk.config import Settings, config_path, load_secret, save_profile
from nymble_desk.config_secrets import delete_secret, secrets_path, store_secret


class DictKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def dict_keyring() -> DictKeyring:
    previous = keyring.get_keyring()
    ring = DictKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture(params=["fail", "null"])
def no_keyring(request: pytest.FixtureRequest) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring() if request.param == "fail" else null.Keyring())
    yield
    keyring.set_keyring(previous)


def write_toml(text: str) -> Path:
    path = config_path()
    paths.ensure(path.parent)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_config_file() -> None:
    s = Settings()
    assert s.api.base_url == "http://127.0.0.1:8765"
    assert s.api.timeout == 10.0
    assert s.profile == "default" and s.profiles == {} and s.keymap == {}
    assert not paths.config_dir().exists(), "reading settings must not create the config dir"


def test_precedence_init_over_env_over_toml_over_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    write_toml('profile = "toml"\ntheme = "nord"\n[api]\nbase_url = "http://toml"\ntimeout = 3.0\n')
    s = Settings()
    assert (s.profile, s.theme, s.api.base_url, s.api.timeout) == ("toml", "nord", "http://toml", 3.0)

    monkeypatch.setenv("NYMBLE_DESK_PROFILE", "env")
    monkeypatch.setenv("NYMBLE_DESK_API__BASE_URL", "http://env")
    s = Settings()
    assert s.profile == "env" and s.api.base_url == "http://env"
    assert s.theme == "nord", "TOML still supplies what env does not"

    s = Settings(profile="init")
    assert s.profile == "init" and s.api.base_url == "http://env"


def test_unknown_key_fails_in_toml_and_nested() -> None:
    write_toml('profle = "typo"\n')
    with pytest.raises(ValidationError, match="profle"):
        Settings()
    write_toml('[api]\nbase_ulr = "http://x"\n')
    with pytest.raises(ValidationError, match="base_ulr"):
        Settings()


def test_keymap_table_reads_hyphenated_ids() -> None:
    write_toml('[keymap]\napp-palette = "f12"\napp-help = "f1,question_mark"\n')
    assert Settings().keymap == {"app-palette": "f12", "app-help": "f1,question_mark"}


def test_save_profile_never_writes_the_secret_to_toml(dict_keyring: DictKeyring) -> None:
    write_toml('theme = "nord"\n[keymap]\napp-help = "f12"\n')
    where = save_profile("acme", org_code="ACME", client_id="rep-1", secret="s3cr3t-value", base_url="http://api")
    assert where == "keyring"
    text = config_path().read_text()
    assert "s3cr3t-value" not in text
    s = Settings()
    assert s.profile == "acme"
    assert s.profiles["acme"].org_code == "ACME" and s.profiles["acme"].base_url == "http://api"
    assert s.theme == "nord" and s.keymap == {"app-help": "f12"}, "other settings survive"
    assert s.base_url_for() == "http://api"
    assert load_secret("acme").get_secret_value() == "s3cr3t-value"
    assert not secrets_path().exists()


def test_secret_falls_back_to_a_0600_file(no_keyring: None) -> None:
    where = save_profile("acme", org_code="ACME", client_id="rep-1", secret="s3cr3t-value")
    assert where == "file"
    assert "s3cr3t-value" not in config_path().read_text()
    mode = stat.S_IMODE(secrets_path().stat().st_mode)
    assert mode == 0o600
    assert json.loads(secrets_path().read_text()) == {"acme": "s3cr3t-value"}
    assert load_secret("acme").get_secret_value() == "s3cr3t-value"


def test_existing_loose_secrets_file_is_tightened(no_keyring: None) -> None:
    paths.ensure(paths.config_dir())
    secrets_path().write_text("{}")
    secrets_path().chmod(0o644)
    store_secret("p", "x")
    assert stat.S_IMODE(secrets_path().stat().st_mode) == 0o600


def test_delete_secret_everywhere(dict_keyring: DictKeyring) -> None:
    store_secret("p", "x")
    assert load_secret("p") is not None
    delete_secret("p")
    assert load_secret("p") is None
    assert dict_keyring.store == {}


def test_keyring_mismatch_uses_the_file(dict_keyring: DictKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dict_keyring, "get_password", lambda service, user: "something else")
    assert store_secret("p", "x") == "file"
    assert json.loads(secrets_path().read_text()) == {"p": "x"}


def test_secret_is_not_in_settings_repr(dict_keyring: DictKeyring) -> None:
    save_profile("acme", org_code="ACME", client_id="rep-1", secret="s3cr3t-value")
    assert "s3cr3t-value" not in repr(Settings())
    assert "s3cr3t-value" not in repr(load_secret("acme"))


def test_profile_rejects_a_secret_key() -> None:
    write_toml('[profiles.acme]\norg_code = "ACME"\nclient_id = "r"\nclient_secret = "x"\n')
    with pytest.raises(ValidationError, match="client_secret"):
        Settings()
