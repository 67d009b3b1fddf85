// The room board: drag a stay onto another room's line to move it. The server decides (the assign-room
// service refuses an overlap with a message); the board is then read again. No inline script (CSP).
(() => {
  let dragged = null;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (_) {
      return "";
    }
  }

  // The words come from the page (data-moving, data-moved, … on the message box), in the reader's language.
  function words(name, values) {
    const box = document.querySelector("[data-board-message]");
    const text = (box && box.dataset[name]) || "";
    return text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  }

  function say(text, isError) {
    const box = document.querySelector("[data-board-message]");
    if (!box) return;
    box.textContent = text;
    box.classList.toggle("error", Boolean(isError));
  }

  function reloadBoard() {
    const board = document.getElementById("board");
    if (board && window.htmx) window.htmx.ajax("GET", board.dataset.boardUrl, { target: "#board", swap: "outerHTML" });
  }

  document.addEventListener("dragstart", (event) => {
    const bar = event.target.closest && event.target.closest("[data-move-url]");
    if (!bar) return;
    dragged = bar;
    bar.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", bar.dataset.reference);
  });

  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    document.querySelectorAll(".drop-target").forEach((row) => row.classList.remove("drop-target"));
  });

  document.addEventListener("dragover", (event) => {
    if (!dragged) return;
    const row = event.target.closest && event.target.closest("tr[data-room-id]");
    if (!row) return;
    event.preventDefault();
    document.querySelectorAll(".drop-target").forEach((other) => other !== row && other.classList.remove("drop-target"));
    row.classList.add("drop-target");
  });

  document.addEventListener("drop", async (event) => {
    if (!dragged) return;
    const row = event.target.closest && event.target.closest("tr[data-room-id]");
    if (!row) return;
    event.preventDefault();
    const bar = dragged;
    const reference = bar.dataset.reference;
    say(words("moving", { reference, room: row.dataset.room }), false);
    try {
      const response = await fetch(bar.dataset.moveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ room: row.dataset.roomId }),
        credentials: "same-origin",
      });
      const answer = await response.json();
      if (response.ok) say(words("moved", { reference: answer.reference, room: answer.room }), false);
      else say(answer.error ? answer.error.message : words("notMoved", {}), true);
    } catch (_) {
      say(words("offline", {}), true);
    }
    reloadBoard();
  });

  // Never swap the board under a stay being dragged: the poll waits for the next round.
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (dragged && event.detail.elt && event.detail.elt.id === "board") event.preventDefault();
  });
})();
