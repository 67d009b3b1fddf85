// HBS page behaviour that htmx attributes cannot express. No inline scripts (CSP).
document.addEventListener("htmx:responseError", (event) => {
  // Show the API/page error message instead of failing silently.
  const target = document.querySelector("[data-htmx-errors]");
  if (!target) return;
  let message = "Something went wrong. Please try again.";
  try {
    message = JSON.parse(event.detail.xhr.responseText).error.message || message;
  } catch (_) { /* HTML error page: keep the generic message */ }
  target.textContent = message;
});

// Hold countdown: an element with data-expires-at (ISO instant) inside a [data-hold] block.
// The page already prints the expiry time; this only adds "mm:ss left" and, at zero,
// disables the block's hold actions ([data-hold-action]) so nobody confirms a lapsed hold.
function tickCountdowns() {
  document.querySelectorAll("[data-expires-at]").forEach((clock) => {
    const hold = clock.closest("[data-hold]");
    const display = hold ? hold.querySelector("[data-countdown]") : null;
    if (!display) return;
    const left = Math.max(0, Math.floor((Date.parse(clock.dataset.expiresAt) - Date.now()) / 1000));
    if (left > 0) {
      const minutes = Math.floor(left / 60);
      const seconds = String(left % 60).padStart(2, "0");
      display.textContent = (display.dataset.left || "{time}").replace("{time}", `${minutes}:${seconds}`);
      return;
    }
    display.textContent = display.dataset.expired || "";
    document.querySelectorAll("[data-hold-action] button").forEach((button) => { button.disabled = true; });
  });
}
document.addEventListener("DOMContentLoaded", () => {
  if (!document.querySelector("[data-expires-at]")) return;
  tickCountdowns();
  setInterval(tickCountdowns, 1000);
});
