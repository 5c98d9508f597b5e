"""The generated pages' Jinja2 templates: ``render(name, **context)``.

The templates live in ``scripts/edition/templates/``; a file of the same name in ``overrides/edition/``
of the project wins (a ChoiceLoader), as Material's own partials are overridden from ``overrides/``.
Autoescape is on: a value is escaped unless it is already HTML (``Markup``, or ``|safe`` in the
template). This module is the only one that reads the templates' files.
"""
from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

__all__ = ["Markup", "render", "use_overrides", "overrides_folder", "use_bytecode_cache", "front_matter_value",
           "OVERRIDES"]

TEMPLATES = Path(__file__).resolve().with_name("templates")
#: Where a project overrides a template, relative to its folder (beside Material's overrides/).
OVERRIDES = Path("overrides") / "edition"

_env: Environment | None = None
_overrides: Path | None = None
_bytecode_cache: BytecodeCache | None = None


def use_overrides(folder: Path | None) -> None:
    """Look for templates in ``folder`` first (the glue passes the project's overrides/edition/)."""
    global _env, _overrides
    if folder != _overrides:
        _env, _overrides = None, folder


def overrides_folder() -> Path | None:
    """The folder whose templates win over the edition's own (use_overrides), for a process of its own."""
    return _overrides


def use_bytecode_cache(cache: BytecodeCache | None) -> None:
    """Keep the compiled templates in ``cache`` (the glue passes files.template_cache of the project's .cache/)."""
    global _env, _bytecode_cache
    if cache is not _bytecode_cache:
        _env, _bytecode_cache = None, cache


def environment() -> Environment:
    global _env
    if _env is None:
        loaders = [FileSystemLoader(str(_overrides))] if _overrides is not None else []
        _env = Environment(loader=ChoiceLoader([*loaders, FileSystemLoader(str(TEMPLATES))]),
                           autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True,
                           trim_blocks=True, lstrip_blocks=True, bytecode_cache=_bytecode_cache)
        _env.filters["front"] = front_matter_value
    return _env


def front_matter_value(text: object) -> Markup:
    """A title or description for a page's YAML front matter (the ``front`` filter).

    The theme prints these values unescaped (Jinja without autoescape, and <title> through striptags,
    which decodes entities), so they are escaped here, stripped of angle brackets and quoted as YAML.
    """
    value = " ".join(str(text).replace("<", "").replace(">", "").split())
    return Markup(json.dumps(html.escape(value, quote=True), ensure_ascii=False))


def render(name: str, /, **context: Any) -> str:
    return environment().get_template(name).render(**context)
