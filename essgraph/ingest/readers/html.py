"""HTML reader (selectolax lexbor): the main text of a saved web page, as Markdown-like lines."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from essgraph.core.settings import Settings
from essgraph.ingest.readers.base import RawDocument, Reader, fail, register
from essgraph.ingest.readers.decoding import decode_text

_DROP = "script, style, noscript, nav, footer, header, aside, form, iframe, svg, template, button"
_BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, blockquote, pre, dt, dd, td, th, figcaption, caption"
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>")
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr p li td th tr dt dd option".split()
)
_SPACES = re.compile(r"\s+")
_SNIFF = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)


def nesting_depth(markup: str) -> int:
    """Deepest element nesting of `markup`, counted on its tags (void and auto-closed tags ignored)."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(markup):
        if name.lower() in _VOID or self_closing:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _text(node: LexborNode) -> str:
    """The whitespace-normalised text of `node` and its descendants."""
    return _SPACES.sub(" ", node.text(deep=True, separator=" ")).strip()


@register
class HtmlReader(Reader):
    """A saved web page: headings become `#` lines, list items `- ` lines, paragraphs blocks.

    Line numbers of the passages refer to this extracted text (kept as the document `source`), not to
    the HTML markup.
    """

    name = "html"
    media_type = "text/html"
    extensions = (".html", ".htm", ".xhtml")

    def sniff(self, head: bytes) -> bool:
        """True for bytes that open with a doctype, <html>, <head> or <body> tag."""
        return bool(_SNIFF.match(head))

    def read(self, path: Path, data: bytes, settings: Settings) -> RawDocument:
        """Extract the main text; raises `IngestFailed` for undecodable, too deep or textless pages."""
        markup = decode_text(path, data, settings)
        depth = nesting_depth(markup)
        if depth > settings.max_html_depth:
            raise fail(
                path,
                f"HTML imbriqué sur {depth} niveaux (limite {settings.max_html_depth})",
                f"HTML nested {depth} levels deep (limit {settings.max_html_depth})",
                max_html_depth=settings.max_html_depth,
            )
        tree = LexborHTMLParser(markup)
        title_node = tree.css_first("title")
        title = _text(title_node) if title_node is not None else None
        url = _own_address(tree)
        for node in tree.css(_DROP):
            node.decompose()
        root = tree.css_first("main") or tree.css_first("article") or tree.body or tree.root
        if root is None:
            raise fail(path, "page HTML sans corps de texte")
        blocks: list[str] = []
        for node in root.css(_BLOCKS):
            if any(inner.mem_id != node.mem_id for inner in node.css(_BLOCKS)):
                continue  # a container of other blocks (css() includes the node itself): take its children
            text = _text(node)
            if not text:
                continue
            tag = node.tag or ""
            if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
                blocks.append("#" * int(tag[1]) + " " + text)
            elif tag == "li":
                blocks.append("- " + text)
            else:
                blocks.append(text)
        if not blocks:
            whole = _text(root)
            if whole:
                blocks.append(whole)
        if not blocks:
            raise fail(path, "page HTML sans texte principal")
        return RawDocument(
            source="\n\n".join(blocks) + "\n", media_type=self.media_type, title_hint=title, url_hint=url
        )


def _own_address(tree: LexborHTMLParser) -> str | None:
    """The address a page declares for itself (<link rel="canonical">, then og:url), when absolute http(s)."""
    for selector, attribute in (('link[rel="canonical"]', "href"), ('meta[property="og:url"]', "content")):
        node = tree.css_first(selector)
        value = (node.attributes.get(attribute) or "").strip() if node is not None else ""
        parts = urlsplit(value)
        if parts.scheme in ("http", "https") and parts.netloc and not any(c.isspace() for c in value):
            return value
    return None
