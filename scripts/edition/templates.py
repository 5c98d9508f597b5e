"""The generated pages' Jinja2 templates: ``render(name, **context)``.

The templates live in ``scripts/edition/templates/``; a file of the same name in ``overrides/edition/``
of the project wins (a ChoiceLoader), as Material's own partials are overridden from ``overrides/``.
Autoescape is on: a value is escaped unless it is already HTML (``Markup``, or ``|safe`` in the
template). This module is the only one that reads the templates' files.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

__all__ = ["Markup", "render", "use_overrides", "OVERRIDES"]

TEMPLATES = Path(__file__).resolve().with_name("templates")
#: Where a project overrides a template, relative to its folder (beside Material's overrides/).
OVERRIDES = Path("overrides") / "edition"

_env: Environment | None = None
_overrides: Path | None = None


def use_overrides(folder: Path | None) -> None:
    """Look for templates in ``folder`` first (the glue passes the project's overrides/edition/)."""
    global _env, _overrides
    if folder != _overrides:
        _env, _overrides = None, folder


def environment() -> Environment:
    global _env
    if _env is None:
        loaders = [FileSystemLoader(str(_overrides))] if _overrides is not None else []
        _env = Environment(loader=ChoiceLoader([*loaders, FileSystemLoader(str(TEMPLATES))]),
                           autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True,
                           trim_blocks=True, lstrip_blocks=True)
    return _env


def render(name: str, /, **context: Any) -> str:
    return environment().get_template(name).render(**context)
