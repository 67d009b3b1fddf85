// The bell: its unread count follows the websocket /ws/notifications/ (session cookie), without a reload.
// The server sends {"type": "unread_count", "count": n} on connect and {"type": "notification", ...} per push;
// the socket reconnects with a growing pause when the connection drops (a deploy, a network change).
(function () {
  const bell = document.querySelector("[data-bell]");
  if (!bell || !("WebSocket" in window)) return;
  const badge = bell.querySelector("[data-unread-count]");
  let count = Number(badge.textContent) || 0;
  let pause = 1000;

  function show(value) {
    count = Math.max(0, value);
    badge.textContent = String(count);
    badge.hidden = count === 0;
    // The page gives the words in its language: none, one, or more unread (the plural rule of en, pt and fr).
    const words = count === 0 ? bell.dataset.label : count === 1 ? bell.dataset.labelOne : bell.dataset.labelMany;
    bell.setAttribute("aria-label", (words || "").replace("{count}", String(count)));
  }

  // The notifications page marks rows read through htmx and swaps a fresh badge in: keep counting from it.
  document.addEventListener("htmx:oobAfterSwap", () => {
    const fresh = bell.querySelector("[data-unread-count]");
    if (fresh) { show(Number(fresh.textContent) || 0); }
  });

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${window.location.host}${bell.dataset.socket}`);
    socket.addEventListener("open", () => { pause = 1000; bell.dataset.live = "on"; });
    socket.addEventListener("message", (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch (_) { return; }
      if (message.type === "unread_count") show(message.count);
      if (message.type === "notification" && !message.notification.read_at) show(count + 1);
      document.dispatchEvent(new CustomEvent("hbs:notification", { detail: message }));
    });
    socket.addEventListener("close", (event) => {
      bell.dataset.live = "off";
      if (event.code === 4401) return; // signed out: nothing to follow
      setTimeout(connect, pause);
      pause = Math.min(pause * 2, 30000);
    });
  }
  connect();
})();
