"""HTML and PDF rendering of letters: a sandboxed Jinja environment, a locked-down URL fetcher,
stylesheets and fonts parsed once per process, deterministic PDFs.

Same context and date → same bytes: the PDF carries no random identifier (``pdf_identifier``
is left unset), its creation date is the letter's date (``dcterms.created``), and packets are
merged with fixed metadata.
"""

from __future__ import annotations

import io
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
from pypdf import PdfReader, PdfWriter
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from cnpe_flow.letters.kinds import LETTERS_DIR, letter_kinds
from cnpe_flow.web.templating import fr_date, fr_long_date

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
        self.env.filters.update(fr_date=fr_date, fr_long_date=fr_long_date)
        self.base_css = self._css(root / "base.css")
        self.kind_css = {kind: self._css(root / kind / "style.css") for kind in letter_kinds()}
        # WeasyPrint objects are not documented as thread-safe: one rendering at a time.
        self._lock = threading.Lock()
        #: wall-clock seconds spent in WeasyPrint by this renderer (benchmarks, monitoring)
        self.weasyprint_seconds = 0.0

    def _css(self, path: Path) -> CSS:
        return CSS(filename=str(path), url_fetcher=self.fetcher, font_config=self.font_config)

    def html(self, kind: str, context: dict[str, Any], letter_date: date) -> str:
        """The letter as HTML (what WeasyPrint lays out)."""
        template = self.env.get_template(f"{kind}/template.html")
        return template.render(
            **context,
            kind=kind,
            title=letter_kinds()[kind].title,
            letter_date=letter_date.isoformat(),
        )

    def pdf_from_html(self, kind: str, html: str) -> bytes:
        """WeasyPrint alone: the HTML of a letter to PDF bytes."""
        with self._lock:
            start = time.perf_counter()
            document = HTML(
                string=html, base_url=str(self.root / kind) + "/", url_fetcher=self.fetcher
            )
            try:
                return document.write_pdf(
                    stylesheets=[self.base_css, self.kind_css[kind]],
                    font_config=self.font_config,
                )
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


def merge_pdfs(pdfs: list[bytes], letter_date: date, title: str) -> bytes:
    """One PDF made of the given ones, in order, with fixed metadata (same input, same bytes)."""
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)), import_outline=False)
    stamp = f"D:{letter_date:%Y%m%d}000000Z"
    writer.add_metadata(
        {
            "/Title": title,
            "/Producer": "cnpe-flow",
            "/CreationDate": stamp,
            "/ModDate": stamp,
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
