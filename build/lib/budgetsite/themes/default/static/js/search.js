// The search page: reads ?q= and the filters from the address, runs the query with
// search-core.js and lists the results. The address follows the form, so a search is a link.
// The core is loaded by its URL from data-core because asset names carry a content hash.

const FILTERS = ["type", "org", "year", "status"];
const PAGE_SIZE = 10;
const TYPING_DELAY_MS = 300;

const root = document.getElementById("search");
if (root) start(root).catch((err) => showError(root, err));

function showError(rootEl, err) {
  const status = rootEl.querySelector("#search-status");
  if (status) status.textContent = rootEl.dataset.msgError || String(err);
  console.error(err);
}

function format(template, values) {
  return (template || "").replace(/\{(\w+)\}/g, (m, key) => (key in values ? String(values[key]) : m));
}

async function start(rootEl) {
  const { SearchEngine } = await import(rootEl.dataset.core);
  const engine = new SearchEngine({
    fetch: (url, init) => fetch(url, init),
    indexUrl: rootEl.dataset.index,
    pageSize: PAGE_SIZE,
  });
  const ui = {
    form: rootEl.querySelector("#search-form"),
    q: rootEl.querySelector("#search-q"),
    selects: {
      type: rootEl.querySelector("#search-type"),
      org: rootEl.querySelector("#search-org"),
      year: rootEl.querySelector("#search-year"),
      status: rootEl.querySelector("#search-status-filter"),
    },
    status: rootEl.querySelector("#search-status"),
    list: rootEl.querySelector("#search-results"),
    more: rootEl.querySelector("#search-more"),
    base: rootEl.dataset.base || "/",
    msg: rootEl.dataset,
  };

  const params = new URLSearchParams(location.search);
  ui.q.value = params.get("q") || "";
  const meta = await engine.load();
  addOptions(ui.selects.org, meta.orgs.map(([name, n]) => [name, `${name} (${n})`]));
  addOptions(ui.selects.year, meta.years.map(([year, n]) => [String(year), `${year} (${n})`]));
  for (const name of FILTERS) setSelect(ui.selects[name], params.get(name) || "");

  let current = null; // the ResultSet on screen, with the query and filters that made it
  let shown = { query: "", filters: {} };
  let serial = 0; // a slower earlier query must not overwrite a later one

  async function run() {
    const mine = ++serial;
    const query = ui.q.value.trim();
    const filters = Object.fromEntries(FILTERS.map((f) => [f, ui.selects[f].value]).filter(([, v]) => v));
    updateAddress(query, filters);
    ui.list.setAttribute("aria-busy", "true");
    try {
      const rs = await engine.search(query, filters);
      const page = await rs.more(PAGE_SIZE);
      if (mine !== serial) return;
      current = rs;
      shown = { query, filters };
      ui.list.replaceChildren(...page.map((r) => resultItem(r, ui)));
      ui.more.hidden = rs.done;
      ui.status.textContent = statusText(ui.msg, query, filters, rs);
      // For benchmarks/search_bench.py: when the results of a query are on the page.
      performance.mark("search-rendered", { detail: { query, total: rs.total } });
    } catch (err) {
      if (mine === serial) showError(rootEl, err);
    } finally {
      if (mine === serial) ui.list.removeAttribute("aria-busy");
    }
  }

  async function more() {
    if (!current) return;
    const rs = current;
    const page = await rs.more(PAGE_SIZE);
    if (rs !== current) return;
    const items = page.map((r) => resultItem(r, ui));
    ui.list.append(...items);
    ui.more.hidden = rs.done;
    ui.status.textContent = statusText(ui.msg, shown.query, shown.filters, rs);
    // Keyboard users continue where the new results start.
    const link = items[0] && items[0].querySelector("a");
    if (link) link.focus();
  }

  let typing = 0;
  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typing);
    run();
  });
  ui.q.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(run, TYPING_DELAY_MS);
  });
  for (const select of Object.values(ui.selects)) select.addEventListener("change", run);
  ui.more.addEventListener("click", () => more().catch((err) => showError(rootEl, err)));

  if (ui.q.value.trim() || FILTERS.some((f) => ui.selects[f].value)) await run();
}

function addOptions(select, options) {
  for (const [value, label] of options) select.append(new Option(label, value));
}

/** Select a value from the address, adding it when the index does not list it. */
function setSelect(select, value) {
  if (!value) return;
  if (![...select.options].some((o) => o.value === value)) select.append(new Option(value, value));
  select.value = value;
}

function updateAddress(query, filters) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  for (const [k, v] of Object.entries(filters)) params.set(k, v);
  const search = params.toString();
  history.replaceState(history.state, "", search ? `?${search}` : location.pathname);
}

function statusText(msg, query, filters, rs) {
  if (!query && !Object.keys(filters).length && !rs.ranked.length) return msg.msgEmpty || "";
  if (!rs.total) return format(msg.msgNone, { q: query });
  if (!query) return format(msg.msgCountFiltered, { n: rs.total.toLocaleString() });
  return format(rs.exact ? msg.msgCount : msg.msgCountApprox, { q: query, n: rs.total.toLocaleString() });
}

function optionLabel(select, value) {
  const option = [...select.options].find((o) => o.value === value);
  return option ? option.text : value;
}

function appendParts(parent, parts) {
  for (const part of parts) {
    if (part.mark) {
      const mark = document.createElement("mark");
      mark.textContent = part.text;
      parent.append(mark);
    } else {
      parent.append(part.text);
    }
  }
}

function resultItem(r, ui) {
  const li = document.createElement("li");
  li.className = "search-result";
  const heading = document.createElement("h2");
  heading.className = "search-result-title";
  const link = document.createElement("a");
  link.href = ui.base + r.url;
  appendParts(link, r.titleParts.length ? r.titleParts : [{ text: r.title, mark: false }]);
  heading.append(link);
  const meta = document.createElement("p");
  meta.className = "search-result-meta";
  const facts = [
    optionLabel(ui.selects.type, r.type),
    r.org,
    r.year != null ? format(ui.msg.msgYear || "{y}", { y: r.year }) : null,
    r.status ? optionLabel(ui.selects.status, r.status) : null,
  ].filter(Boolean);
  facts.forEach((fact, i) => {
    const span = document.createElement("span");
    span.className = i === 0 ? "search-result-type" : "search-result-fact";
    span.textContent = fact;
    if (i) meta.append(" · ");
    meta.append(span);
  });
  li.append(heading, meta);
  if (r.snippet.length) {
    const p = document.createElement("p");
    p.className = "search-result-snippet";
    appendParts(p, r.snippet);
    li.append(p);
  }
  return li;
}
