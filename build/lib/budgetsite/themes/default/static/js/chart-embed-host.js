// For pages that embed a chart: resize each chart iframe to the height its page reports.
// Served at a fixed URL (/charts/embed.js) because embed snippets outlive asset hashes.
// Only messages from this script's own site are trusted, and only by the iframe that sent them.
(() => {
  if (window.budgetsiteChartEmbeds) return; // the snippet may be pasted more than once
  window.budgetsiteChartEmbeds = true;
  const script = document.currentScript;
  const origin = script ? new URL(script.src, location.href).origin : null;
  window.addEventListener("message", (event) => {
    const data = event.data;
    if (!data || data.type !== "budgetsite:chart-height" || event.origin !== origin) return;
    const height = Number(data.height);
    if (!Number.isFinite(height) || height <= 0 || height > 20000) return;
    for (const frame of document.querySelectorAll("iframe")) {
      if (frame.contentWindow === event.source) frame.style.height = `${Math.ceil(height)}px`;
    }
  });
})();
