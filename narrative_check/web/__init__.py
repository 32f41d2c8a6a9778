"""`narrative-check serve`: a local web page that checks a file an editor drops on it.

Starlette, uvicorn and python-multipart are imported from here only, so `check` never pays for them.
"""

from .app import ServeOptions, create_app

__all__ = ["ServeOptions", "create_app"]
