"""Search: the index budgetsite/search.py writes, and the query side (search-core.js) run by node."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import jinja2
import pytest

from budgetsite.config import PACKAGE_SCHEMAS
from budgetsite.derive.search import index as search
from budgetsite.derive.search.index import SearchDoc, build_index, decode_ints, index_terms, split_passages, term_hash
from budgetsite.kinds import load_registry

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "tests" / "js" / "run_search_core.mjs"
NODE = shutil.which("node")
# Outside CI a machine without node skips these; in CI (CI=true) they run, and fail without node.
needs_node = pytest.mark.skipif(NODE is None and os.environ.get("CI") != "true", reason="node is not installed")

LONG_TEXT = "\n".join(f"{i}번째 문단: 소상공인 경영 안정 자금과 상권 활성화 사업을 설명합니다." for i in range(60))
DOCS = [
    SearchDoc("programs/cleaning/", "program", "청소노동자 휴게실 개선",
              "청소노동자의 휴게 공간을 개선한다. 노동자를 위한 쉼터를 만든다.", "노동정책담당관", 2020),
    SearchDoc("programs/night-market/", "program", "서울밤도깨비야시장 운영",
              "여의도와 반포에서 야간 시장을 연다.", "소상공인정책담당관", 2019),
    SearchDoc("audits/freelancer/", "audit", "특수고용직 지원 요구",
              "특고·프리랜서 노동자 긴급 소액용자 지원을 검토한다.", "노동정책담당관", 2020, "추진 중"),
    SearchDoc("audits/harassment/", "audit", "직장 내 괴롭힘 예방 교육",
              "직장 내 괴롭힘 신고 창구를 운영한다.", "노동정책담당관", 2020, "추진완료"),
    SearchDoc("programs/harassment-help/", "program", "피해 상담 지원",
              "직장내괴롭힘 피해자 상담을 한다.", "노동권익센터", 2021),
    SearchDoc("programs/gsef/", "program", "GSEF 2020 총회",
              "국제사회적경제협의체(GSEF) 총회를 개최하고 제로페이 결제를 쓴다.", "사회적경제담당관", 2020),
    SearchDoc("budget/zeropay/", "budget", "가맹점 확대", "제로페이 가맹점 모집 예산", "제로페이담당관", 2021),
    SearchDoc("programs/child/", "program", "아동 돌봄", "노동 시간을 줄이고 아동자립을 돕는다.", None, 2021),
    SearchDoc("pages/ombudsman/", "page", "명예 감시관 안내", "시민명예노동움부즈만 사업을 마쳤다."),
    SearchDoc("programs/users/", "program", "시설 만족도 조사", "시설 이용자 만족도와 사용자 의견을 듣는다.",
              "노동정책담당관", 2019),
    SearchDoc("programs/rights/", "program", "노동자 권리 보호", "상담을 한다.", "노동정책담당관", 2018),
    SearchDoc("programs/center/", "program", "센터 운영", "노동자 노동자 노동자 노동자 노동자 노동자 센터",
              "노동정책담당관", 2022),
    SearchDoc("programs/market-sparse/", "program", "골목 점포 지원",
              "골목 상권 분석 보고서를 낸다. " + "점포 개선 비용을 지원하고 컨설팅을 제공한다. " * 6, None, 2023),
    SearchDoc("audits/market-dense/", "audit", "요구 사항", "상권 상권 상권 살리기", None, 2019, "검토 중"),
    SearchDoc("sources/s000/", "source", "주요업무보고", LONG_TEXT + "\n마지막 문단에만 야시장 이야기가 있다."),
]


def write(files: dict[str, bytes], folder: Path) -> Path:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(build_index(DOCS), tmp_path_factory.mktemp("search"))


def node(ops: list[dict], index: Path | None = None) -> list:
    assert NODE is not None
    proc = subprocess.run([NODE, "--disable-warning=MODULE_TYPELESS_PACKAGE_JSON", str(RUNNER)],
                          input=json.dumps({"index": str(index or ""), "ops": ops}),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def find(index: Path, q: str, **filters: str) -> dict:
    return node([{"op": "search", "q": q, "filters": filters, "limit": 50}], index)[0]


def urls(result: dict) -> list[str]:
    return [r["url"] for r in result["results"]]


def marked(parts: list[dict]) -> list[str]:
    return [p["text"] for p in parts if p["mark"]]


def posting(files: dict[str, bytes], term: str) -> str:
    meta = json.loads(files["meta.json"])
    shard = term_hash(term) % meta["shards"]
    value = json.loads(files[f"t/{shard}.json"])[term]
    if isinstance(value, list):
        value = json.loads(files[f"t/{shard}-{value[0]}.json"])
    return value


def body_docs(value: str) -> dict[int, list[int]]:
    """Decode a body posting into doc -> passages (the format in search.py's docstring)."""
    ints = decode_ints(value.split("~")[0])
    out: dict[int, list[int]] = {}
    doc, i = -1, 0
    while i < len(ints):
        v = ints[i]
        i += 1
        doc += (v >> 4) + 1
        mode = v >> 2 & 3
        if mode == 0:
            out[doc] = [0]
        elif mode == 1:
            out[doc] = [p for p in range(ints[i].bit_length()) if ints[i] >> p & 1]
            i += 1
        else:
            count, first = ints[i], ints[i + 1]
            ps = [first]
            for gap in ints[i + 2:i + 1 + count]:
                ps.append(ps[-1] + gap + 1)
            out[doc] = ps
            i += 1 + count
    return out


def doc_ids(files: dict[str, bytes]) -> dict[str, int]:
    ids = {}
    for name, data in files.items():
        if name.startswith("f/") and "-" not in name:
            ids[json.loads(data)["u"]] = int(name[2:-5])
    return ids


# ---- the index -------------------------------------------------------------------------


def test_same_docs_in_any_order_give_identical_files() -> None:
    shuffled = DOCS[:]
    random.Random(3).shuffle(shuffled)
    assert build_index(DOCS) == build_index(shuffled)


def test_changed_text_changes_build_id() -> None:
    changed = [*DOCS[:-1], SearchDoc("sources/s000/", "source", "주요업무보고", "다른 본문")]
    assert json.loads(build_index(DOCS)["meta.json"])["build"] != json.loads(build_index(changed)["meta.json"])["build"]


def test_postings_list_the_docs_and_passages_that_hold_a_term() -> None:
    files = build_index(DOCS)
    ids = doc_ids(files)
    assert set(body_docs(posting(files, "노동"))) == {ids[u] for u in (
        "programs/cleaning/", "audits/freelancer/", "programs/child/", "pages/ombudsman/",
        "programs/rights/", "programs/center/")}
    assert set(body_docs(posting(files, "#gsef"))) == {ids["programs/gsef/"]}
    # Spaces do not split a run: 직장 내 괴롭힘 has the bigram 장내 like 직장내괴롭힘.
    assert set(body_docs(posting(files, "장내"))) == {ids["audits/harassment/"], ids["programs/harassment-help/"]}
    # · does: no bigram joins 특고 and 프리랜서.
    with pytest.raises(KeyError):
        posting(files, "고프")
    # In the long report, 야시장 is in the last passage only.
    last = len(split_passages(LONG_TEXT + "\n마지막 문단에만 야시장 이야기가 있다.")) - 1
    assert body_docs(posting(files, "시장"))[ids["sources/s000/"]] == [last]


def test_title_postings_hold_title_words_only() -> None:
    files = build_index(DOCS)
    ids = doc_ids(files)
    title = posting(files, "노동").split("~")[1]
    docs, doc = set(), -1
    for gap in decode_ints(title):
        doc += gap + 1
        docs.add(doc)
    assert docs == {ids["programs/cleaning/"], ids["programs/rights/"]}


def test_ocr_variant_is_indexed_under_the_real_word_but_not_inside_other_words() -> None:
    files = build_index(DOCS)
    ids = doc_ids(files)
    docs = set(body_docs(posting(files, "융자")))
    assert ids["audits/freelancer/"] in docs      # 소액용자 = 소액융자 misread
    assert ids["programs/users/"] not in docs     # 이용자, 사용자 are other words


def test_types_are_id_ranges_and_facets_are_listed() -> None:
    statuses = load_registry([PACKAGE_SCHEMAS]).statuses("audits")  # the filter lists them in the schema's order
    meta = json.loads(build_index(DOCS, statuses=statuses)["meta.json"])
    assert meta["types"]["program"] == [0, 9]
    assert meta["types"]["audit"][1] - meta["types"]["audit"][0] == 3
    assert ["노동정책담당관", 6] in meta["orgs"]
    assert [s for s, _ in meta["statuses"]] == ["추진완료", "추진 중", "검토 중"]


def test_shards_stay_small_on_a_larger_index() -> None:
    rnd = random.Random(5)
    words = ["노동자", "소상공인", "사회적경제", "청년", "일자리", "지원", "사업", "예산", "집행", "상권",
             "제로페이", "협동조합", "마을기업", "공정경제", "생활임금", "도시농업", "창업", "센터", "확대", "운영"]
    docs = [SearchDoc(f"programs/p{i}/", "program", " ".join(rnd.sample(words, 3)),
                      " ".join(rnd.choice(words) + rnd.choice(["을", "의", "", " 및"]) for _ in range(rnd.randint(20, 400))),
                      rnd.choice(words) + "과", 2018 + i % 5) for i in range(600)]
    files = build_index(docs)
    shards = {n: len(d) for n, d in files.items() if n.startswith("t/") and "-" not in n}
    assert max(shards.values()) <= 4 * search.SHARD_TARGET_BYTES
    for name, data in files.items():
        if name.startswith("t/") and "-" not in name:
            for value in json.loads(data).values():
                assert isinstance(value, list) or len(value) <= search.BIG_POSTING_BYTES
    fragments = [len(d) for n, d in files.items() if n.startswith("f/")]
    assert max(fragments) < 3 * search.PASSAGE_CHARS * 3  # one passage of Korean UTF-8 plus the record


def test_passages_overlap_so_short_words_stay_whole() -> None:
    text = "".join(random.Random(1).choice("가나다라 마바사\n") for _ in range(3000))
    passages = split_passages(text)
    assert len(passages) > 5
    assert all(len(p) <= search.PASSAGE_CHARS + search.PASSAGE_CHARS // 4 for p in passages)
    for start in range(0, len(text) - search.PASSAGE_OVERLAP, 37):
        piece = text[start:start + search.PASSAGE_OVERLAP]
        assert any(piece in p for p in passages), start


def test_unknown_type_and_repeated_url_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown type"):
        build_index([SearchDoc("x/", "blog", "t", "b")])
    with pytest.raises(ValueError, match="twice"):
        build_index([SearchDoc("x/", "page", "t", "b"), SearchDoc("x/", "page", "u", "c")])


def test_varint_round_trip() -> None:
    values = [0, 1, 31, 32, 1023, 1024, 4095, 4096, 123456, 2**41 + 5]
    assert decode_ints("".join(search.encode_int(v) for v in values)) == values


# ---- the same rules in JavaScript ------------------------------------------------------

TRICKY = ["직장 내 괴롭힘", "특고·프리랜서", "ＧＳＥＦ　２０２０년", "K-뉴딜 3D프린팅", "사회적\u200b경제",
          "Ⅱ. 주요업무 ① 추진", "'20.10.20 기준 (63)", "이용자\t사용자\n융자"]


@needs_node
def test_javascript_makes_the_same_terms_and_hashes() -> None:
    ops = [{"op": "terms", "text": t} for t in TRICKY] + [{"op": "hash", "term": t} for t in ("노동", "#gsef", "@o:노동정책담당관", "😀")]
    out = node(ops)
    assert out[:len(TRICKY)] == [index_terms(t) for t in TRICKY]
    assert out[len(TRICKY):] == [term_hash(t) for t in ("노동", "#gsef", "@o:노동정책담당관", "😀")]


@needs_node
def test_query_words_lose_particles_and_join_lone_syllables() -> None:
    strip = node([{"op": "strip", "word": w} for w in ("노동자를", "노동자들은", "서울에서", "가로", "사이", "청년")])
    assert strip == ["노동자", "노동자", "서울", "가로", "사이", "청년"]
    parsed = node([{"op": "parse", "q": q} for q in ("직장 내 괴롭힘", "직장내 괴롭힘", "특고·프리랜서", "노동 및 복지", "GSEF")])
    assert [[w["stem"] for w in p] for p in parsed] == [
        ["직장내", "괴롭힘"], ["직장내", "괴롭힘"], ["특고", "프리랜서"], ["노동", "복지"], ["gsef"]]
    assert parsed[4][0]["terms"] == ["#gsef"]


# ---- queries ---------------------------------------------------------------------------


@needs_node
def test_words_inside_compounds_are_found(index_dir: Path) -> None:
    assert "programs/cleaning/" in urls(find(index_dir, "노동자"))
    assert "programs/night-market/" in urls(find(index_dir, "야시장"))
    assert urls(find(index_dir, "프리랜서")) == ["audits/freelancer/"]


@needs_node
def test_particles_in_the_query_do_not_narrow_it(index_dir: Path) -> None:
    plain, with_particle = find(index_dir, "노동자"), find(index_dir, "노동자를")
    assert set(urls(plain)) == set(urls(with_particle))
    assert plain["total"] == 4


@needs_node
def test_bigrams_apart_are_no_match(index_dir: Path) -> None:
    # 아동 돌봄 has 노동 and 동자 (in 아동자립) in one passage, but not 노동자.
    assert "programs/child/" not in urls(find(index_dir, "노동자"))


@needs_node
def test_spacing_does_not_matter(index_dir: Path) -> None:
    expected = {"audits/harassment/", "programs/harassment-help/"}
    for q in ("직장내 괴롭힘", "직장 내 괴롭힘", "직장내괴롭힘"):
        assert set(urls(find(index_dir, q))) == expected, q


@needs_node
def test_ocr_variants_find_each_other(index_dir: Path) -> None:
    loan = find(index_dir, "융자")
    assert urls(loan) == ["audits/freelancer/"]
    assert marked(loan["results"][0]["snippet"]) == ["용자"]
    assert urls(find(index_dir, "옴부즈만")) == ["pages/ombudsman/"]


@needs_node
def test_latin_words_and_numbers(index_dir: Path) -> None:
    gsef = find(index_dir, "gsef")
    assert urls(gsef) == ["programs/gsef/"]
    assert marked(gsef["results"][0]["titleParts"]) == ["GSEF"]
    assert urls(find(index_dir, "2020")) == ["programs/gsef/"]
    assert urls(find(index_dir, "GSE")) == ["programs/gsef/"]  # part of a word: bigrams
    zeropay = find(index_dir, "제로페이")
    assert set(urls(zeropay)) == {"programs/gsef/", "budget/zeropay/"}
    assert marked(zeropay["results"][0]["snippet"]) == ["제로페이"]


@needs_node
def test_title_matches_come_first(index_dir: Path) -> None:
    order = urls(find(index_dir, "노동자"))
    assert order.index("programs/rights/") < order.index("programs/center/")
    assert order.index("programs/cleaning/") < order.index("programs/center/")
    # Among body matches, the denser one first, though doc order (programs first) says otherwise.
    market = urls(find(index_dir, "상권"))
    assert market.index("audits/market-dense/") < market.index("programs/market-sparse/")


@needs_node
def test_results_rank_by_score_then_doc_order(tmp_path: Path) -> None:
    rnd = random.Random(3)
    sentences = ["노동자를 돕는다.", "노동 시간을 줄인다.", "노동자 노동자 노동자.", "지원한다."]
    sentences += ["다른 이야기를 길게 적어 둔 문장입니다."] * 8  # so that densities, and weights, differ
    docs = [SearchDoc(f"programs/p{i:03d}/", "program", rnd.choice(["노동자 지원", "청년 지원", "시설 운영"]),
                      " ".join(rnd.choice(sentences) for _ in range(rnd.randint(1, 40))), None,
                      rnd.choice([2019, 2020, 2021])) for i in range(300)]
    index = write(build_index(docs), tmp_path)
    for q in ("노동자", "노동자를", "노동자 지원", "지원"):
        found = node([{"op": "search", "q": q, "limit": 300}], index)[0]
        keys = [(-r["score"], r["doc"]) for r in found["results"]]
        assert len({score for score, _ in keys}) > 2 and len(keys) == found["total"] > 20, q
        assert keys == sorted(keys), q  # best score first, equal scores in doc order


@needs_node
def test_filters_narrow_and_work_alone(index_dir: Path) -> None:
    assert urls(find(index_dir, "노동자", type="audit")) == ["audits/freelancer/"]
    assert set(urls(find(index_dir, "노동자", org="노동정책담당관", year="2020"))) == {
        "programs/cleaning/", "audits/freelancer/"}
    assert urls(find(index_dir, "", status="추진완료")) == ["audits/harassment/"]
    assert urls(find(index_dir, "", type="budget")) == ["budget/zeropay/"]
    assert find(index_dir, "노동자", type="chart")["total"] == 0


@needs_node
def test_snippet_comes_from_the_passage_that_matched(index_dir: Path) -> None:
    found = find(index_dir, "야시장")
    report = next(r for r in found["results"] if r["url"] == "sources/s000/")
    assert marked(report["snippet"]) == ["야시장"]
    assert "마지막 문단" in "".join(p["text"] for p in report["snippet"])


@needs_node
def test_a_query_downloads_only_its_own_shards(index_dir: Path) -> None:
    out = node([{"op": "search", "q": "프리랜서", "limit": 10}, {"op": "search", "q": "청년", "limit": 10}], index_dir)
    files = out[0]["files"]
    assert sorted(files[:2]) == ["meta.json", "synonyms.json"]  # fetched together: either may finish first
    shards = {f for f in files if f.startswith("t/")}
    assert 1 <= len(shards) <= 3  # 프리, 리랜, 랜서
    assert [f for f in files if f.startswith("f/")] == [f"f/{doc_ids(build_index(DOCS))['audits/freelancer/']}.json"]
    assert out[1]["total"] == 0 and not any(f.startswith("f/") for f in out[1]["files"])


@needs_node
def test_common_terms_become_bitmaps_and_snippets_still_find_the_word(tmp_path: Path) -> None:
    filler = "\n".join(f"{i}번 문단은 다른 이야기를 길게 적어 둔 글입니다." for i in range(30))
    long_text = filler + "\n끝 부분에 공통 낱말이 나온다."
    docs = [SearchDoc(f"pages/p{i:02d}/", "page", f"문서 {i}", "공통 낱말이 있는 짧은 글") for i in range(59)]
    docs.append(SearchDoc("pages/long/", "page", "긴 문서", long_text))
    files = build_index(docs)
    assert posting(files, "공통").startswith("!")  # 60 of 60 docs: a bitmap, no passages
    assert len(split_passages(long_text)) == 3
    found = node([{"op": "search", "q": "공통", "limit": 100}], write(files, tmp_path))[0]
    assert found["total"] == 60
    long = next(r for r in found["results"] if r["url"] == "pages/long/")
    assert marked(long["snippet"]) == ["공통"]  # found by looking past passage 0


# ---- the page --------------------------------------------------------------------------


def test_search_page_template_has_the_hooks_search_js_needs() -> None:
    keys: list[str] = []

    def t(key: str) -> str:
        keys.append(key)
        return f"[{key}]"

    loader = jinja2.ChoiceLoader([
        jinja2.DictLoader({"base.html": "{% block content %}{% endblock %}{% block scripts %}{% endblock %}"}),
        jinja2.FileSystemLoader(ROOT / "budgetsite" / "themes" / "default" / "templates"),
    ])
    env = jinja2.Environment(loader=loader, autoescape=True)
    html = env.get_template("search.html").render(
        t=t, url=lambda path="": "/base/" + path, asset=lambda rel: f"/base/assets/{rel}")
    for needle in ('id="search"', 'data-index="/base/search/"', 'data-base="/base/"',
                   'data-core="/base/assets/js/search-core.js"', '<ol id="search-results"',
                   'role="status" aria-live="polite"', '<noscript>',
                   '<script type="module" src="/base/assets/js/search.js"></script>', 'name="q"'):
        assert needle in html, needle
    assert "<script>" not in html  # the CSP forbids inline scripts
    assert all(k.startswith("search.") for k in keys)
    assert {"search.type.program", "search.status.done", "search.msg.count"} <= set(keys)
