"""Server-rendered HTML pages: one Jinja2 environment, one layout, one render call.

Every page extends `templates/base.html` (navigation, language switch, links to the
SPARQL editor and the dataset description) and is readable without JavaScript. Text
people read is Traditional Chinese first with English beside it; `?lang=en` puts
English first (the layout reads `lang` from the query string).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")


def language(request: Request) -> str:
    """`en` when the reader asked for English first (`?lang=en`), else `zh-Hant`."""
    return "en" if request.query_params.get("lang") == "en" else "zh-Hant"


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """The page `template` filled with `context`, with the reader's language in `lang` and, in
    `lang_switch`, the same page in the other language.
    """
    lang = language(request)
    switch = request.url.include_query_params(lang="zh-Hant" if lang == "en" else "en")
    response = templates.TemplateResponse(
        request,
        template,
        {"lang": lang, "lang_switch": f"{switch.path}?{switch.query}", **context},
        status_code=status,
        headers=headers,
    )
    assert isinstance(response, HTMLResponse)
    return response
