"""One renderer per output format, behind one small interface: reports in, text out."""

from __future__ import annotations

from typing import Callable

from ..models.findings import Report
from . import json as json_renderer
from . import text as text_renderer

Renderer = Callable[[list[Report]], str]

RENDERERS: dict[str, Renderer] = {
    "text": text_renderer.render,
    "json": json_renderer.render,
}
