// Charts: the static image is shown first; plotly.js (the self-hosted basic bundle) and the
// figure JSON are fetched only when the reader interacts with a chart (pointer, tap, keyboard
// focus, the "interactive chart" button) or scrolls one into view. A chart already in view
// when the page opens waits for interaction, so opening a page never costs the 400 KB bundle.
// No inline scripts anywhere: the URLs come from data-* attributes on each <figure>.

let plotlyLoading = null;

function loadPlotly(src) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!plotlyLoading) {
    plotlyLoading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.async = true;
      script.onload = () => (window.Plotly ? resolve(window.Plotly) : reject(new Error("plotly.js did not define Plotly")));
      script.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.append(script);
    });
  }
  return plotlyLoading;
}

async function loadFigure(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

// The page (or the embed) already shows the title above the chart, so the interactive
// version keeps only the subtitle (as-of date and unit) of the title drawn into the image.
// On a phone the row labels are cut shorter, so the bars keep most of the width.
const NARROW = 560;
const SHORT_LABEL = 9;

function forScreen(figure, width) {
  const layout = { ...figure.layout };
  const title = layout.title || {};
  const legend = layout.showlegend !== false;
  const top = 34 + (legend ? 30 : 0);
  layout.title = {
    ...title, text: (title.subtitle && title.subtitle.text) || "", subtitle: { text: "" },
    font: (title.subtitle && title.subtitle.font) || {}, y: 0.99, pad: { t: 4 },
  };
  layout.height = Math.max(240, (layout.height || 400) - ((layout.margin || {}).t || 0) + top);
  layout.margin = { ...layout.margin, t: top };
  if (width < NARROW && layout.yaxis && Array.isArray(layout.yaxis.ticktext)) {
    const cut = (text) => (text.length > SHORT_LABEL ? `${text.slice(0, SHORT_LABEL - 1)}…` : text);
    layout.yaxis = { ...layout.yaxis, ticktext: layout.yaxis.ticktext.map(cut) };
  }
  return { data: figure.data, layout };
}

async function activate(figure, { focus = false } = {}) {
  // The button's click arrives after the pointer's hover has started loading: remember that
  // the reader asked for the chart, so focus moves to it once it is drawn.
  if (focus) figure.dataset.focus = "1";
  if (figure.dataset.state) return;
  figure.dataset.state = "loading";
  const live = figure.querySelector(".chart-live");
  const still = figure.querySelector(".chart-static");
  const button = figure.querySelector(".chart-open");
  const status = figure.querySelector(".chart-status");
  // Said only if the download takes a while (a slow phone), so a fast load does not flash it.
  const slow = setTimeout(() => { if (status) status.textContent = figure.dataset.loading || ""; }, 600);
  try {
    const [Plotly, spec] = await Promise.all([loadPlotly(figure.dataset.plotly), loadFigure(figure.dataset.figure)]);
    live.hidden = false;
    const { data, layout } = forScreen(spec, live.clientWidth || figure.clientWidth);
    await Plotly.newPlot(live, data, layout, {
      responsive: true, displayModeBar: false, displaylogo: false, scrollZoom: false,
    });
    // The button goes away with the image: a keyboard reader on it would be thrown back to
    // the top of the page, so the focus moves to the chart it opened.
    const onButton = button !== null && document.activeElement === button;
    still.hidden = true;
    if (button) button.hidden = true;
    figure.dataset.state = "live";
    if (status) status.textContent = "";
    if (figure.dataset.focus || onButton) live.focus();
  } catch (error) {
    live.hidden = true;
    still.hidden = false;
    figure.dataset.state = "failed";
    if (status) status.textContent = figure.dataset.failed || "";
    console.warn("chart", figure.id, error);
  } finally {
    clearTimeout(slow);
  }
}

function watch(figure, observer) {
  const button = figure.querySelector(".chart-open");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", () => activate(figure, { focus: true }));
  }
  const once = () => activate(figure);
  figure.addEventListener("pointerenter", once, { once: true });
  figure.addEventListener("touchstart", once, { once: true, passive: true });
  figure.addEventListener("focusin", once, { once: true });
  if (observer) observer.observe(figure);
}

function makeObserver() {
  if (!("IntersectionObserver" in window)) return null;
  const seen = new WeakSet(); // figures whose first report (visible on arrival or not) has come
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const first = !seen.has(entry.target);
      seen.add(entry.target);
      if (entry.isIntersecting && !first) {
        observer.unobserve(entry.target);
        activate(entry.target);
      }
    }
  }, { rootMargin: "0px 0px 120px 0px" });
  return observer;
}

function setUpCopyButtons() {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const source = document.getElementById(button.dataset.copy);
    if (!source) continue;
    const label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.value);
      } catch {
        source.select(); // the reader copies the selection by hand
        return;
      }
      button.textContent = button.dataset.copied || label;
      setTimeout(() => { button.textContent = label; }, 2000);
    });
  }
}

const observer = makeObserver();
for (const figure of document.querySelectorAll("figure.chart[data-figure]")) watch(figure, observer);
setUpCopyButtons();
