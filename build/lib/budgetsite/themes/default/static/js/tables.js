// Sorting and filtering for index tables. Without JavaScript every table is shown whole;
// with it, column headers become sort buttons and the filter form narrows the rows.
const collator = new Intl.Collator(document.documentElement.lang || "ko", { numeric: true });

function cellValue(row, index, numeric) {
  const cell = row.cells[index];
  if (!cell) return numeric ? -Infinity : "";
  const raw = cell.dataset.value ?? cell.textContent.trim();
  if (!numeric) return raw;
  const n = parseFloat(String(raw).replace(/[^0-9.\-]/g, ""));
  return Number.isNaN(n) ? -Infinity : n;
}

function makeSortable(table) {
  const headers = table.tHead ? Array.from(table.tHead.rows[0].cells) : [];
  headers.forEach((th, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.append(...th.childNodes);
    th.append(button);
    button.addEventListener("click", () => {
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach((h) => h.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const numeric = th.dataset.type === "number";
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      rows.sort((a, b) => {
        const x = cellValue(a, index, numeric);
        const y = cellValue(b, index, numeric);
        const c = numeric ? x - y : collator.compare(x, y);
        return ascending ? c : -c;
      });
      body.append(...rows);
    });
  });
}

function wireFilters(form) {
  const table = document.getElementById(form.dataset.filterFor);
  if (!table) return;
  form.hidden = false;
  const output = form.querySelector("output");
  const apply = () => {
    const wanted = Object.fromEntries(
      Array.from(form.querySelectorAll("select")).map((s) => [s.name, s.value]),
    );
    let shown = 0;
    for (const row of table.tBodies[0].rows) {
      const match = Object.entries(wanted).every(([k, v]) => !v || row.dataset[k] === v);
      row.hidden = !match;
      if (match) shown += 1;
    }
    if (output) output.textContent = `${shown}`;
  };
  form.addEventListener("change", apply);
  form.addEventListener("submit", (e) => e.preventDefault());
}

document.querySelectorAll("table.sortable").forEach(makeSortable);
document.querySelectorAll("form.filters").forEach(wireFilters);
