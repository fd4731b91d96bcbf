"""Every interface string exists in every language, and every t('…') key a template uses exists."""

from __future__ import annotations

import re

import yaml

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
