"""The single Jinja environment, and turning a page into HTML through the templates."""

from __future__ import annotations

import datetime
import traceback
from pathlib import Path
from typing import Any

import jinja2

from .problems import Problem, display_path, error


def long_date(value: datetime.date) -> str:
    """26 November 2026: unambiguous for readers everywhere."""
    return f"{value.day} {value:%B %Y}"


def create_environment(templates_dir: Path) -> jinja2.Environment:
    """Autoescaping, StrictUndefined Jinja environment over templates_dir."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = long_date
    return env


def check_templates(env: jinja2.Environment, templates_dir: Path) -> list[Problem]:
    """Compile every template, so that all syntax errors are reported at once."""
    problems: list[Problem] = []
    for name in env.list_templates(extensions=["html", "xml", "txt"]):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(error(display_path(templates_dir / name), exc.lineno, f"template syntax error: {exc.message}"))
    return problems


def render_template(
    env: jinja2.Environment, name: str, context: dict[str, Any], templates_dir: Path, page_shown: str
) -> tuple[str | None, list[Problem]]:
    """Render one template; a runtime failure is reported at its template file and line."""
    try:
        return env.get_template(name).render(context), []
    except jinja2.TemplateNotFound as exc:
        return None, [error(display_path(templates_dir / name), 1, f"template not found: {exc.name}")]
    except jinja2.TemplateSyntaxError as exc:
        return None, [error(display_path(templates_dir / name), exc.lineno, f"template syntax error: {exc.message}")]
    except jinja2.UndefinedError as exc:
        where, line = _template_frame(exc, templates_dir, name)
        return None, [error(where, line, f"{exc.message} (while rendering {page_shown})")]
    except Exception as exc:  # a template can raise anything a filter or test raises
        where, line = _template_frame(exc, templates_dir, name)
        return None, [error(where, line, f"template failed: {exc} (while rendering {page_shown})")]


def _template_frame(exc: BaseException, templates_dir: Path, fallback: str) -> tuple[str, int]:
    """Jinja rewrites tracebacks so that template frames carry the template's file and line."""
    root = templates_dir.resolve()
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        if path.is_absolute() and path.resolve().is_relative_to(root):
            return display_path(path), frame.lineno or 1
    return display_path(templates_dir / fallback), 1
