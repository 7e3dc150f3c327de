"""HTML and PDF rendering of letters: a sandboxed Jinja environment, a locked-down URL fetcher,
stylesheets and fonts parsed once per process, deterministic PDFs.

Same context and date → same bytes: the PDF carries no random identifier (``pdf_identifier``
is left unset) and its creation date is the letter's date (``dcterms.created``). A packet copy
is one document (cover, letters, annex) laid out at once, so its pages are numbered through.
"""

from __future__ import annotations

import mimetypes
import threading
import time
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from cnpe_flow.letters.kinds import LETTERS_DIR, letter_kinds
from cnpe_flow.rules.dates import fr_long
from cnpe_flow.web.templating import fr_date

#: the only files a letter may load (fonts and stylesheets of ``letters/``)
ASSET_SUFFIXES = frozenset({".css", ".ttf"})


class LetterAssetRefused(ValueError):
    """A letter asked for a resource outside ``letters/``: it is not rendered."""


class LetterAssetFetcher(URLFetcher):
    """Serves files of the ``letters/`` folder only; refuses every other URL.

    WeasyPrint would otherwise read any ``file://`` path (``/dev/urandom`` never ends) and
    fetch network URLs: a template or a context value must never make it do that.
    """

    def __init__(self, root: Path) -> None:
        super().__init__(timeout=1, allowed_protocols=("file",), fail_on_errors=True)
        self._root = root.resolve()
        self._cache: dict[Path, bytes] = {}

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = self.local_path(url)
        if path is None:
            raise ValueError(f"ressource refusée dans un courrier : {url[:80]}")
        body = self._cache.get(path)
        if body is None:
            body = self._cache[path] = path.read_bytes()
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": mime})

    def local_path(self, url: str) -> Path | None:
        """The file of ``letters/`` this URL names, or None when it is not one of ours."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self._root) or path.suffix not in ASSET_SUFFIXES:
            return None
        return path if path.is_file() else None


class LetterRenderer:
    """Renders letters; built once per process (stylesheets, fonts and templates reused)."""

    def __init__(self, root: Path = LETTERS_DIR) -> None:
        self.root = root
        self.fetcher = LetterAssetFetcher(root)
        self.font_config = FontConfiguration()
        self.env = SandboxedEnvironment(
            loader=FileSystemLoader(str(root)),
            autoescape=True,
            undefined=StrictUndefined,
            auto_reload=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(fr_date=fr_date, fr_long_date=fr_long)
        self.base_css = self._css(root / "base.css")
        self.kind_css = {kind: self._css(root / kind / "style.css") for kind in letter_kinds()}
        self.kind_css["packet"] = self._css(root / "packet" / "style.css")
        # WeasyPrint objects are not documented as thread-safe: one rendering at a time.
        self._lock = threading.Lock()
        #: wall-clock seconds spent in WeasyPrint by this renderer (benchmarks, monitoring)
        self.weasyprint_seconds = 0.0

    def _css(self, path: Path) -> CSS:
        return CSS(filename=str(path), url_fetcher=self.fetcher, font_config=self.font_config)

    def html(
        self, kind: str, context: dict[str, Any], letter_date: date, *, fragment: bool = False
    ) -> str:
        """The letter as HTML (what WeasyPrint lays out); ``fragment``: its ``<article>`` only,
        to be put in a packet document."""
        template = self.env.get_template(f"{kind}/template.html")
        meta = letter_kinds()[kind]
        return template.render(
            **context,
            kind=kind,
            title=meta.title + (" — prévisionnel" if context.get("provisional") else ""),
            to_person=meta.to_person,
            fragment=fragment,
            letter_date=letter_date.isoformat(),
        )

    def packet_html(
        self,
        copy: str,
        cover: dict[str, Any],
        parts: list[tuple[str, dict[str, Any], date]],
        letter_date: date,
    ) -> str:
        """One packet document: its cover, then each letter, then (institutions) the annex."""
        letters = [Markup(self.html(k, c, d, fragment=True)) for k, c, d in parts]
        return self.env.get_template(f"packet/{copy}.html").render(
            cover=cover, letters=letters, letter_date=letter_date.isoformat()
        )

    def packet_pdf(
        self,
        copy: str,
        cover: dict[str, Any],
        parts: list[tuple[str, dict[str, Any], date]],
        letter_date: date,
    ) -> bytes:
        """One PDF for one copy of the packet: pages numbered through the whole document."""
        return self.pdf_from_html("packet", self.packet_html(copy, cover, parts, letter_date))

    def pdf_from_html(self, kind: str, html: str) -> bytes:
        """WeasyPrint alone: the HTML of a letter (or of a packet, ``kind`` "packet") to PDF."""
        # A packet holds any letter: every letter's stylesheet (each scoped to its kind).
        sheets = (
            [self.base_css, *self.kind_css.values()]
            if kind == "packet"
            else [
                self.base_css,
                self.kind_css[kind],
            ]
        )
        with self._lock:
            start = time.perf_counter()
            document = HTML(
                string=html, base_url=str(self.root / kind) + "/", url_fetcher=self.fetcher
            )
            try:
                return document.write_pdf(stylesheets=sheets, font_config=self.font_config)
            except FatalURLFetchingError as exc:
                # A BaseException in WeasyPrint: make it an ordinary error (500, logged).
                raise LetterAssetRefused(str(exc)) from None
            finally:
                self.weasyprint_seconds += time.perf_counter() - start

    def pdf(self, kind: str, context: dict[str, Any], letter_date: date) -> bytes:
        return self.pdf_from_html(kind, self.html(kind, context, letter_date))


@cache
def renderer() -> LetterRenderer:
    """The process's renderer (CSS and fonts are parsed on first use only)."""
    return LetterRenderer()
