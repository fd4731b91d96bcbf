// Inside the embed iframe: tell the host page how tall the chart is, now and whenever it
// changes (the interactive chart replaces the image, the data table opens, the width changes).
// The host page's /charts/embed.js sets the iframe's height from these messages.
const id = document.body.dataset.chartId;
let last = 0;

function report() {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (height === last || window.parent === window) return;
  last = height;
  window.parent.postMessage({ type: "budgetsite:chart-height", id, height }, "*");
}

new ResizeObserver(report).observe(document.documentElement);
window.addEventListener("load", report);
report();
