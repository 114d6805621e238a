"""The sign-in screen's prefill, read without pydantic, agrees with the validated settings."""

from __future__ import annotations

import pytest

from nymble_desk import config, config_quick, paths
from nymble_desk.config import Settings, config_path
from nymble_desk.config_quick import SignInPrefill, sign_in_prefill


def validated(profile: str | None = None) -> SignInPrefill:
    settings = Settings()
    name = profile or settings.profile
    saved = settings.profiles.get(name)
    return SignInPrefill(org_code=saved.org_code if saved else "", client_id=saved.client_id if saved else "",
                         base_url=settings.base_url_for(saved), profile=name)


def write(text: str) -> None:
    paths.ensure(config_path().parent)
    config_path().write_text(text, encoding="utf-8")


def test_the_default_url_is_the_settings_default() -> None:
    assert config_quick.DEFAULT_BASE_URL == config.DEFAULT_BASE_URL


@pytest.mark.parametrize("text", [
    "",
    'profile = "work"\n[profiles.work]\norg_code = "DEMO"\nclient_id = "demo-rep"\n',
    'profile = "work"\n[api]\nbase_url = "http://10.0.0.5:9000"\n[profiles.work]\norg_code = "ACME"\n'
    'client_id = "rep-1"\n',
    'profile = "work"\n[profiles.work]\norg_code = "ACME"\nclient_id = "rep-1"\nbase_url = "https://api.example"\n'
    '[profiles.other]\norg_code = "OTHER"\nclient_id = "x"\n',
    'profile = "missing"\n[profiles.work]\norg_code = "ACME"\nclient_id = "rep-1"\n',
])
def test_prefill_matches_the_validated_settings(text: str) -> None:
    write(text)
    assert sign_in_prefill() == validated()


def test_a_named_profile_and_the_environment_win_as_in_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    write('profile = "work"\n[profiles.work]\norg_code = "ACME"\nclient_id = "rep-1"\n'
          '[profiles.other]\norg_code = "OTHER"\nclient_id = "rep-2"\n')
    assert sign_in_prefill("other") == validated("other")
    monkeypatch.setenv("NYMBLE_DESK_PROFILE", "other")
    monkeypatch.setenv("NYMBLE_DESK_API__BASE_URL", "http://127.0.0.1:9999")
    assert sign_in_prefill() == validated() == SignInPrefill("OTHER", "rep-2", "http://127.0.0.1:9999", "other")


@pytest.mark.parametrize("text", ["profile = [", b"\xff\xfe not text", 'profiles = 3\napi = "x"\n'])
def test_a_file_it_cannot_read_gives_the_defaults_and_never_raises(text: str | bytes) -> None:
    paths.ensure(config_path().parent)
    if isinstance(text, bytes):
        config_path().write_bytes(text)
    else:
        config_path().write_text(text, encoding="utf-8")
    assert sign_in_prefill() == SignInPrefill("", "", config.DEFAULT_BASE_URL, "default")
