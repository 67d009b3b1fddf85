// Live back-office pages: an element with data-live-url (and data-hotel, the hotel's id) is read again when
// its hotel's staff group on /ws/notifications/ tells of a booking event (notifications.js passes each
// message on as an "hbs:notification" event). While that socket is down (data-live="off" on the bell,
// or no socket at all) the element is read again every data-live-fallback seconds instead.
(() => {
  const live = () => Array.from(document.querySelectorAll("[data-live-url]"));
  if (!live().length) return;
  const pending = new Map();

  function refresh(element) {
    if (!element.isConnected || pending.has(element.id)) return;
    // Several events in a burst (a move is one event per stay) make one read, within a second.
    pending.set(element.id, setTimeout(() => {
      pending.delete(element.id);
      const fresh = document.getElementById(element.id);
      if (fresh && window.htmx) {
        window.htmx.ajax("GET", fresh.dataset.liveUrl, { target: `#${fresh.id}`, swap: "outerHTML" });
      }
    }, 250));
  }

  document.addEventListener("hbs:notification", (event) => {
    const message = event.detail || {};
    if (message.type !== "hotel_event") return;
    live().filter((element) => element.dataset.hotel === String(message.hotel)).forEach(refresh);
  });

  function socketUp() {
    const bell = document.querySelector("[data-bell]");
    return Boolean(bell && bell.dataset.live === "on");
  }

  live().forEach((element) => {
    const seconds = Number(element.dataset.liveFallback) || 10;
    setInterval(() => {
      const current = document.getElementById(element.id);
      if (current && !socketUp()) refresh(current);
    }, seconds * 1000);
  });
})();
