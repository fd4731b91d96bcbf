"""Stage 5 — render: every page of the site as bytes, from the model, the derived charts and the
theme's templates.

    pages      the page plan: which pages exist, with which template and context
    renderer   Jinja2 over the theme folders, with the site's filters and globals
    charts     the contexts of chart pages (permalink, embed, gallery)
    assets     theme static files with content-hashed names
    tracking   what each page reads, for the dev server
    markdown   CommonMark, raw HTML escaped

Templates resolve through an ordered list of theme folders (the portal's theme, then the
package's), so a portal overrides any template by putting a file of the same name in its own theme.
"""

from .page import Page
from .pages import record_pages, site_pages
from .renderer import PageError, Renderer

__all__ = ["Page", "PageError", "Renderer", "record_pages", "site_pages"]
