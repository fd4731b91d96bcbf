"""Security: hostile text in the data never runs; bad ids never become paths; netlify.toml sends the
headers the site needs (a strict CSP, no framing except chart embeds, caching only for
fingerprinted assets), and pages served with that CSP work in Chromium without a violation and
without a request to any other host."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest
import yaml
from quality import netlify
from quality.browser import activate_chart, open_page, site_pages
from quality.crawl import SiteFolder

from budgetsite import pipeline
from budgetsite.config import load_config
from conftest import ROOT, _Handler, copy_project, serve_folder

# ---- injection corpus ---------------------------------------------------------------------------

MARK = "주입시험"  # in every injected text, so search finds the records
PLAIN = [  # for one-line text fields (names, titles)
    "<script>window.__xss=1;alert(1)</script>",
    '"><svg onload="window.__xss=2;alert(2)">',
    "'><img src=x onerror=window.__xss=3>",
    "</title></textarea></style><script>window.__xss=4</script>",
    "javascript:window.__xss=5",
    "' onmouseover='window.__xss=6' x='",
    "{{ 7*7 }}{% if true %}jinja{% endif %}",
]
MARKDOWN = [  # for Markdown fields
    "[click me](javascript:window.__xss=11)",
    "[x](javascript:alert(1))",
    "[caps](JaVaScRiPt:window.__xss=12)",
    "[spaced]( javascript:window.__xss=13 )",
    "[vb](vbscript:msgbox(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![image](javascript:window.__xss=14)",
    "<javascript:window.__xss=15>",
    "<script>window.__xss=16</script>",
    '<img src="x" onerror="window.__xss=17">',
    '<a href="javascript:window.__xss=18">raw link</a>',
    '<iframe src="javascript:window.__xss=19"></iframe>',
    '<details open ontoggle="window.__xss=20">x</details>',
    '[ref][r]\n\n[r]: javascript:window.__xss=21',
]
JS_URL = re.compile(r"^\s*(javascript|vbscript|data:text/html)", re.I)


def _plain(text: str = "") -> str:
    return f"{text} {MARK} " + " ".join(PLAIN)


def _markdown(text: str = "") -> str:
    return f"{text}\n\n{MARK}\n\n" + "\n\n".join(MARKDOWN + PLAIN) + "\n"


def _edit(path: Path, change) -> str:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    return data["id"]


def _first(folder: Path, test=lambda d: True) -> Path:
    for path in sorted(folder.glob("*.yaml")):
        if test(yaml.safe_load(path.read_text(encoding="utf-8"))):
            return path
    raise AssertionError(f"no suitable record in {folder}")


def inject(root: Path, chart_line: str | None) -> dict[str, str]:
    """Write the corpus into a copy of the project: site title and description, a program (name,
    summary, sections, notes), a budget line (shown in a chart when there is one), an audit item,
    an organisation, a data note and the about page. Returns {kind: id} of the records changed."""
    data = root / "data"
    changed: dict[str, str] = {}

    def program(d):
        d["name"] = _plain(d["name"])
        d["summary"] = _markdown(d.get("summary") or "")
        for s in d.get("sections") or []:
            s["heading"] = _plain(s["heading"])
            s["body"] = _markdown(s["body"])
        d["notes"] = [*(d.get("notes") or []), _plain()]
    changed["programs"] = _edit(_first(data / "programs", lambda d: bool(d.get("sections"))), program)

    def name(d):
        d["name"] = _plain(d["name"])
        d["notes"] = [*(d.get("notes") or []), _plain()]
    line = data / "budget" / f"{chart_line}.yaml" if chart_line else _first(data / "budget")
    changed["budget"] = _edit(line, name)
    changed["orgs"] = _edit(_first(data / "orgs", lambda d: d.get("parent") is not None), name)

    def audit(d):
        d["request"] = _markdown(d["request"])
        if d.get("actions"):
            d["actions"] = _markdown(d["actions"])
    changed["audits"] = _edit(_first(data / "audits", lambda d: bool(d.get("actions"))), audit)

    def note(d):
        d["title"] = _plain(d["title"])
        d["summary"] = _markdown(d.get("summary") or "")
    changed["notes"] = _edit(_first(data / "notes"), note)

    about = root / "content" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n\n" + _markdown(), encoding="utf-8")
    config = root / "site_config.yaml"
    cfg = yaml.safe_load(config.read_text(encoding="utf-8"))
    cfg["title"] = _plain(cfg["title"])
    cfg["description"] = _plain(cfg.get("description", ""))
    config.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    return changed


def _copy_build_cache(root: Path) -> None:
    """Chart images already drawn for the real data, so the copy only draws what changed."""
    cache = ROOT / ".build-cache"
    if cache.is_dir():
        shutil.copytree(cache, root / ".build-cache", dirs_exist_ok=True)


@pytest.fixture(scope="module")
def injected(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = copy_project(tmp_path_factory.mktemp("injected"))
    _copy_build_cache(root)
    chart_line = None
    for csv in sorted(built_site.glob("charts/*/data.csv")):
        ids = re.findall(r"^([a-z0-9-]+),", csv.read_text(encoding="utf-8-sig"), re.M)
        lines = [i for i in ids if (root / "data" / "budget" / f"{i}.yaml").is_file()]
        if lines:
            chart_line = lines[0]
            break
    changed = inject(root, chart_line)
    out = root / "_site"
    result = pipeline.build(load_config(root), out)
    assert result.ok, [str(p) for p in result.checked.problems.errors][:10]
    return out, changed


POKE_JS = """() => {
    for (const el of document.querySelectorAll('body *')) {
        for (const type of ['mouseover', 'mouseenter', 'focus', 'click', 'toggle', 'error', 'load']) {
            if (type === 'click' && el.closest('a[href], button, summary')) continue;  // no navigation
            el.dispatchEvent(new Event(type, {bubbles: false}));
        }
    }
}"""


def _dom_problems(page) -> dict:
    return page.evaluate("""() => {
        const bad = [];
        for (const el of document.querySelectorAll('*')) {
            for (const a of el.attributes) {
                const v = a.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
                if (a.name.startsWith('on')) bad.push(`${el.tagName} ${a.name}`);
                if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc'].includes(a.name)
                    && (v.startsWith('javascript:') || v.startsWith('vbscript:') || v.startsWith('data:text/html')))
                    bad.push(`${el.tagName} ${a.name}=${a.value.slice(0, 60)}`);
            }
        }
        return {flag: window.__xss ?? null, bad};
    }""")


class _Scan(HTMLParser):
    """What a browser would run: <script>s, event-handler attributes and script URLs."""

    URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "poster")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "script" and not a.get("src", "").startswith("/assets/"):
            self.problems.append(f"<script {a}>")
        for name, value in a.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value[:60]!r}>")
            if name in self.URL_ATTRS and JS_URL.match(re.sub(r"[\x00-\x20]", "", value)):
                self.problems.append(f"<{tag} {name}={value[:60]!r}>")
            if tag == "meta" and a.get("http-equiv", "").lower() == "refresh" and "javascript" in value.lower():
                self.problems.append(f"<meta refresh {value[:60]!r}>")


def test_injected_text_stays_text_in_every_page(injected):
    """Static scan of the whole injected build: scripts only from /assets/, no event-handler
    attributes, no script URLs, and the corpus shown as text."""
    site, changed = injected
    problems = []
    pages = 0
    for page in sorted(site.rglob("*.html")):
        scan = _Scan()
        scan.feed(page.read_text(encoding="utf-8"))
        scan.close()
        pages += 1
        problems += [f"{page.relative_to(site)}: {p}" for p in scan.problems]
    program = (site / "programs" / changed["programs"] / "index.html").read_text(encoding="utf-8")
    assert MARK in program and "&lt;script&gt;window.__xss=1" in program, "the corpus did not reach the page"
    assert "{{ 7*7 }}" in program, "Jinja syntax in the data was evaluated"
    print(f"injection (static): {pages} pages scanned, {len(problems)} problems")
    assert not problems, "\n".join(problems[:30])


@pytest.mark.browser
def test_injected_text_never_runs_in_chromium(browser, injected):
    site, changed = injected
    server, url = serve_folder(site)
    context = browser.new_context(locale="ko-KR")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.type} {d.message}"), d.dismiss()))
    paths = [f"{kind}/{rid}/" for kind, rid in changed.items()]
    paths += ["", "about/", "programs/", "budget/", "audits/", "orgs/", "notes/", f"search/?q={MARK}"]
    folder = SiteFolder(site)
    line_page = f"budget/{changed['budget']}/index.html"
    charts = sorted({h for _, h in folder.parse(line_page).links if re.fullmatch(r"/charts/[^/]+/", h)})
    for chart in charts[:2]:
        paths += [chart.lstrip("/"), chart.lstrip("/") + "embed/"]
    failures = []
    try:
        for path in paths:
            page.goto(f"{url}/{path}")
            if path.startswith("search/"):
                page.wait_for_selector("#search-results li a", timeout=15_000)
            if path.startswith("charts/"):
                activate_chart(page)
            page.evaluate(POKE_JS)  # would run any onmouseover/onfocus/… that got through
            page.wait_for_timeout(50)
            found = _dom_problems(page)
            if found["flag"] is not None or found["bad"]:
                failures.append(f"/{path}: window.__xss={found['flag']} {found['bad'][:5]}")
    finally:
        context.close()
        server.shutdown()
    print(f"injection (Chromium): {len(paths)} pages opened, {len(dialogs)} dialogs, {len(failures)} failures")
    assert not dialogs, dialogs
    assert not failures, "\n".join(failures)


# ---- ids that would be paths --------------------------------------------------------------------

BAD_IDS = ["../evil", "/abs", "a/b", "..", "evil/../../x", "Evil", "a\\b"]


@pytest.fixture(scope="module")
def bad_id_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("badids"))


def _run(args: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True,
                          timeout=600, cwd=kw.pop("cwd", ROOT), **kw)


@pytest.mark.parametrize("field", ["id", "old_ids"])
@pytest.mark.parametrize("bad", BAD_IDS)
def test_ids_that_are_paths_are_rejected(bad_id_project: Path, bad: str, field: str):
    notes = bad_id_project / "data" / "notes"
    template = _first(notes)
    data = yaml.safe_load(template.read_text(encoding="utf-8"))
    target = notes / "zz-bad-id-test.yaml"
    data["id"] = "zz-bad-id-test"
    if field == "id":
        data["id"] = bad
    else:
        data["old_ids"] = [bad]
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        for command in (["validate"], ["build", "--out", str(bad_id_project / "_site")]):
            proc = _run([*command, "--root", str(bad_id_project)])
            output = proc.stdout + proc.stderr
            assert proc.returncode == 1, f"{command[0]} accepted {field}={bad!r}:\n{output[-2000:]}"
            assert "Traceback" not in output, output[-3000:]
            assert "zz-bad-id-test.yaml" in output, f"the message does not name the file:\n{output[-2000:]}"
        assert not (bad_id_project / "_site").exists()
        assert not (bad_id_project.parent / "evil").exists() and not Path("/abs").exists()
    finally:
        target.unlink()


# ---- netlify.toml ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def netlify_config() -> dict:
    assert netlify.NETLIFY_TOML.is_file(), "netlify.toml is missing"
    return netlify.load()


def test_netlify_build_settings(netlify_config: dict):
    build = netlify_config["build"]
    assert build["command"] == "scripts/netlify-build build"  # tests/test_workflows.py checks the script
    assert build["publish"] == "_site"
    assert build["environment"]["PYTHON_VERSION"] == "3.11"
    preview = netlify_config["context"]["deploy-preview"]
    assert preview["command"] == "scripts/netlify-build validate build"


def _served_paths(site: Path) -> list[str]:
    """Every URL path of the build, folder URLs for index.html pages as well."""
    out = []
    for f in sorted(site.rglob("*")):
        if not f.is_file() or f.name.startswith("_"):
            continue
        rel = f.relative_to(site).as_posix()
        out.append("/" + rel)
        if f.name == "index.html":
            out.append("/" + rel[: -len("index.html")])
    return out


def _max_age(cache_control: str) -> int:
    m = re.search(r"max-age=(\d+)", cache_control)
    return int(m.group(1)) if m else -1


def test_every_file_gets_the_right_headers_and_no_header_twice(netlify_config: dict, built_site: Path):
    rules = netlify.rules(netlify_config)
    hashed = re.compile(r"\.[0-9a-f]{8,}\.[a-z0-9]+$")
    problems: list[str] = []
    paths = _served_paths(built_site)
    for path in paths:
        if clash := netlify.conflicts(path, rules):
            problems.append(f"{path}: set by more than one rule: {clash}")
            continue
        h = {k.lower(): v for k, v in netlify.headers_for(path, rules).items()}
        missing = [n for n in ("content-security-policy", "x-content-type-options", "referrer-policy",
                               "cache-control") if n not in h]
        if missing:
            problems.append(f"{path}: no {', '.join(missing)} (add its folder to netlify.toml)")
            continue
        if h["x-content-type-options"] != "nosniff":
            problems.append(f"{path}: X-Content-Type-Options {h['x-content-type-options']}")
        csp = netlify.csp_directives(h["content-security-policy"])
        script = csp.get("script-src", csp.get("default-src", []))
        if "'unsafe-inline'" in script or "'unsafe-eval'" in script or not script:
            problems.append(f"{path}: script-src {script}")
        if csp.get("object-src") != ["'none'"]:
            problems.append(f"{path}: object-src {csp.get('object-src')}")
        embed = re.fullmatch(r"/charts/[^/]+/embed/(index\.html)?", path) is not None
        ancestors = csp.get("frame-ancestors")
        if embed:
            if ancestors == ["'none'"] or "x-frame-options" in h:
                problems.append(f"{path}: a chart embed must allow framing ({ancestors}, {h.get('x-frame-options')})")
        elif ancestors != ["'none'"] or h.get("x-frame-options", "").upper() != "DENY":
            problems.append(f"{path}: framing not denied ({ancestors}, {h.get('x-frame-options')})")
        cache = h["cache-control"]
        if "immutable" in cache or _max_age(cache) > 600:
            if not (path.startswith("/assets/") and hashed.search(path)):
                problems.append(f"{path}: cached long ({cache}) without a content hash in its name")
        elif path.startswith("/assets/") and hashed.search(path):
            problems.append(f"{path}: a fingerprinted asset is not cached for long ({cache})")
    if (built_site / "assets").is_dir():
        long_cached = [p for p in paths if p.startswith("/assets/") and hashed.search(p)]
        assert long_cached, "no fingerprinted asset found"
        cache = netlify.headers_for(long_cached[0], rules)["Cache-Control"]
        assert "immutable" in cache and _max_age(cache) >= 31_536_000, cache
    print(f"netlify.toml: {len(rules)} rules, {len(paths)} paths checked, {len(problems)} problems")
    assert not problems, "\n".join(problems[:40])


def test_netlify_pattern_matching_follows_netlify():
    """The rule matcher the tests rely on, on Netlify's documented examples."""
    assert netlify.for_regexp("/*").match("/anything/at/all.html")
    assert netlify.for_regexp("/charts/:id/embed/*").match("/charts/x/embed/")
    assert not netlify.for_regexp("/charts/:id").match("/charts/x/embed/")
    assert netlify.for_regexp("/charts/:id").match("/charts/x/")
    assert netlify.for_regexp("/assets/*.js").match("/assets/js/site.0123456789.js")
    assert netlify.for_regexp("/").match("/") and not netlify.for_regexp("/").match("/a")


# ---- the CSP in Chromium --------------------------------------------------------------------------

class _HeadersHandler(_Handler):
    """Serves the folder with the headers netlify.toml gives each path."""

    rules: ClassVar[list[netlify.Rule]] = []

    def end_headers(self) -> None:
        for name, value in netlify.headers_for(urlsplit(self.path).path, self.rules).items():
            self.send_header(name, value)
        super().end_headers()


def _serve_with_headers(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = type("Handler", (_HeadersHandler,), {"rules": netlify.rules()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


CSP_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture(scope="module")
def csp_site(built_site: Path):
    server, url = _serve_with_headers(built_site)
    yield url
    server.shutdown()


@pytest.mark.browser
def test_pages_work_under_the_csp_and_stay_on_the_site(browser, built_site: Path, csp_site: str):
    stylesheets = []
    context = browser.new_context(locale="ko-KR")
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    host = urlsplit(csp_site).netloc
    violations: list[str] = []
    elsewhere: list[str] = []
    page.on("console", lambda m: violations.append(f"{page.url}: {m.text}")
            if "Content Security Policy" in m.text or "Refused to" in m.text else None)
    page.on("pageerror", lambda e: violations.append(f"{page.url}: {e}"))
    page.on("request", lambda r: elsewhere.append(f"{page.url} → {r.url}")
            if urlsplit(r.url).scheme in ("http", "https", "ws", "wss") and urlsplit(r.url).netloc != host else None)
    types = site_pages(built_site)
    try:
        for name, path in types.items():
            if name == "404":
                continue  # an unknown path has no page rule (see netlify.toml)
            open_page(page, csp_site, name, path)
            if name == "home":  # the listener works: an inline script is refused and reported
                page.evaluate("() => { const s = document.createElement('script');"
                              " s.textContent = 'window.__inline = 1'; document.head.append(s); }")
                page.wait_for_function("window.__csp.length > 0", timeout=5_000)
                assert page.evaluate("window.__inline") is None, "the CSP let an inline script run"
                page.evaluate("window.__csp.length = 0")
                violations.clear()
            stylesheets.append(page.evaluate("document.styleSheets.length"))
            if name in ("chart", "chart-embed"):
                activate_chart(page)
            page.wait_for_load_state("networkidle")
            violations += [f"/{path}: {v}" for v in page.evaluate("window.__csp")]
        served = page.request.get(csp_site + "/")
        assert "frame-ancestors 'none'" in served.headers.get("content-security-policy", ""), served.headers
    finally:
        context.close()
    print(f"CSP: {len(types) - 1} page types loaded, {len(violations)} violations, {len(elsewhere)} requests elsewhere")
    assert all(n >= 1 for n in stylesheets), "a page lost its stylesheet"
    assert not violations, "\n".join(violations[:20])
    assert not elsewhere, "\n".join(elsewhere[:20])


@pytest.mark.browser
def test_only_chart_embeds_can_be_framed_by_another_site(browser, built_site: Path, csp_site: str, tmp_path: Path):
    types = site_pages(built_site)
    assert "chart-embed" in types, "the bundled data builds chart embed pages"
    embed, chart = types["chart-embed"], types["chart"]
    (tmp_path / "index.html").write_text(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>host</title></head><body>"
        f'<iframe id="embed" src="{csp_site}/{embed}" title="embed" width="600" height="150" style="border:0"></iframe>'
        f'<iframe id="page" src="{csp_site}/{chart}" title="page"></iframe>'
        f'<iframe id="home" src="{csp_site}/" title="home"></iframe>'
        f'<script src="{csp_site}/charts/embed.js"></script></body></html>', encoding="utf-8")
    server, host_url = serve_folder(tmp_path)
    host_url = host_url.replace("127.0.0.1", "localhost")  # another origin
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(host_url + "/")
        page.wait_for_load_state("networkidle")
        frames = {f.name or f.url: f for f in page.frames}
        by_id = {}
        for fid in ("embed", "page", "home"):
            handle = page.locator(f"#{fid}").element_handle()
            by_id[fid] = handle.content_frame()
        assert by_id["embed"] is not None and by_id["embed"].url == f"{csp_site}/{embed}", frames
        assert by_id["embed"].locator("h1").count() == 1, "the embedded chart did not load"
        for fid in ("page", "home"):
            frame = by_id[fid]
            assert frame is None or frame.url.startswith("chrome-error:"), f"{fid} could be framed: {frame.url}"
        page.wait_for_function("document.getElementById('embed').getBoundingClientRect().height > 150", timeout=10_000)
    finally:
        context.close()
        server.shutdown()


def test_no_other_host_is_named_for_loading(built_site: Path):
    """Belt and braces for the browser check: no page loads a script, style, image, font or frame
    from another host (links to other sites are fine)."""
    folder = SiteFolder(built_site, "/", load_config(ROOT).site_url)
    loads = ("script[src]", "link[href]", "img[src]", "img[srcset]", "iframe[src]", "source[src]", "source[srcset]")
    found = []
    for rel in folder.html_pages():
        for where, url in folder.parse(rel).links:
            if where in loads and re.match(r"^(https?:)?//", url):
                if where == "link[href]" and not _is_loaded_link(built_site / rel, url):
                    continue
                found.append(f"{rel}: {where}={url}")
    assert not found, found[:20]


def _is_loaded_link(page: Path, url: str) -> bool:
    """<link rel=canonical/alternate href=…> names a URL without loading it."""
    text = page.read_text(encoding="utf-8")
    for m in re.finditer(r"<link\b[^>]*>", text):
        tag = m.group(0)
        if f'href="{url}"' in tag:
            rel = re.search(r'rel="([^"]+)"', tag)
            return bool(rel and set(rel.group(1).split()) & {"stylesheet", "preload", "modulepreload", "icon",
                                                              "manifest", "prefetch"})
    return True

