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
