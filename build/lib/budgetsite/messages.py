"""Problems written for editors: file:line:column, the field, what was found, what is allowed,
and an example of a correct value — in the site's language."""

from __future__ import annotations

from .i18n import Translations
from .problems import Problem


def format_problem(p: Problem, t: Translations) -> str:
    params = dict(p.params)
    params.setdefault("field", p.field)
    where = f"{p.file}:{p.line}:{p.column}" if p.line else p.file
    label = t("problems.error") if p.severity == "error" else t("problems.warning")
    key = f"problems.{p.code}"
    try:
        message = t(key, **params)
    except (KeyError, IndexError):
        message = t.strings.get(key, p.code)
    if message == key:
        message = p.code + " " + " ".join(f"{k}={v}" for k, v in p.params)
    message = message.replace(" ()", "")  # a field without a description
    lines = [f"{where}: {label}: {message}"]
    if p.field and "{field}" not in t.strings.get(key, ""):
        lines.append(f"    {t('problems.field')}: {p.field}")
    for extra in ("found", "allowed", "example"):
        if params.get(extra):
            lines.append(f"    {t('problems.' + extra)}: {params[extra]}")
    if params.get("similar"):
        lines.append(f"    {t('problems.similar')}: {params['similar']}")
    return "\n".join(lines)


def format_summary(errors: int, warnings: int, t: Translations) -> str:
    return t("problems.summary", errors=errors, warnings=warnings)
