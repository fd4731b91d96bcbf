"""Stage 1 — load: the records under data/ with where each value stands, and the content pages.

    records  data/<kind>/*.yaml: parsed by libyaml, positions found again for messages
    content  content/*.md: front matter and Markdown
"""

from .content import ContentPage, load_content
from .records import KEY, RawRecord, load_file, load_records, parse_yaml

__all__ = ["KEY", "ContentPage", "RawRecord", "load_content", "load_file", "load_records", "parse_yaml"]
