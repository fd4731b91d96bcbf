"""Every interface string exists in every language, and every t('…') key a template uses exists."""

from __future__ import annotations

import re

import pytest
import yaml

from budgetsite import pipeline
from budgetsite.config import load_config
from conftest import ROOT

THEME = ROOT / "budgetsite" / "themes" / "default"


def keys(tree: dict, prefix: str = "") -> set[str]:
    out: set[str] = set()
    for k, v in tree.items():
        out |= keys(v, f"{prefix}{k}.") if isinstance(v, dict) else {f"{prefix}{k}"}
    return out


def test_languages_have_the_same_keys() -> None:
    ko = keys(yaml.safe_load((THEME / "i18n/ko.yaml").read_text(encoding="utf-8")))
    en = keys(yaml.safe_load((THEME / "i18n/en.yaml").read_text(encoding="utf-8")))
    assert sorted(ko ^ en) == []


def test_literal_keys_in_templates_exist() -> None:
    ko = keys(yaml.safe_load((THEME / "i18n/ko.yaml").read_text(encoding="utf-8")))
    used = set()
    for path in (THEME / "templates").rglob("*.html"):
        used |= set(re.findall(r"\bt\('([a-z_.\-0-9]+)'\)", path.read_text(encoding="utf-8")))
    assert sorted(k for k in used if k not in ko) == []


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_page_finds_every_key_it_asks_for(language: str) -> None:
    """Keys made at run time (`t('kinds.' ~ kind)`, a status, a check's code) exist too: the whole
    real site rendered in one process, in each language, asks for no key the theme lacks."""
    config = load_config(ROOT, {"language": language})
    checked = pipeline.check(config)
    assert checked.site is not None
    rendered = pipeline.render_files(config, checked, workers=1)
    assert rendered.renderer is not None and rendered.pages > 500
    assert sorted(rendered.renderer.t.missing) == []
