// The occupancy report's chart: occupancy (bars, %) and ADR (line) per night, from the page's JSON
// (its labels too, already in the page's language).
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("occupancy-chart");
  const source = document.getElementById("report-data");
  if (!canvas || !source || !window.Chart) return;
  const report = JSON.parse(source.textContent);
  canvas.chart = new window.Chart(canvas, {
    data: {
      labels: report.labels,
      datasets: [
        { type: "bar", label: `${report.occupancy_label} (%)`, data: report.occupancy, yAxisID: "occupancy", backgroundColor: "rgba(31, 111, 139, 0.45)" },
        { type: "line", label: report.adr_label, data: report.adr, yAxisID: "adr", borderColor: "#b45309", backgroundColor: "#b45309", tension: 0.2, pointRadius: 2 },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      interaction: { mode: "index", intersect: false },
      scales: {
        occupancy: { type: "linear", position: "left", min: 0, max: 100, title: { display: true, text: "%" } },
        adr: { type: "linear", position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: report.currency } },
      },
    },
  });
  canvas.dataset.drawn = "true";
});
