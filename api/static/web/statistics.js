// The statistics page's charts: each .chart element carries its data as JSON in data-chart
// ({kind: "bar"|"pie", labels, values, series}); drawn with the vendored ECharts (SVG renderer).
(function () {
  "use strict";

  function option(data) {
    if (data.kind === "pie") {
      return {
        tooltip: { trigger: "item" },
        legend: { bottom: 0, type: "scroll" },
        series: [{
          name: data.series, type: "pie", radius: ["35%", "65%"],
          data: data.labels.map(function (label, i) { return { name: label, value: data.values[i] }; }),
        }],
      };
    }
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 60, right: 20, top: 20, bottom: 60 },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 4 ? 30 : 0 } },
      yAxis: { type: "value" },
      series: [{ name: data.series, type: "bar", data: data.values, barMaxWidth: 40 }],
    };
  }

  function draw() {
    if (typeof window.echarts === "undefined") return;
    var charts = [];
    document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
      var data = JSON.parse(el.getAttribute("data-chart"));
      if (!data.values.length) {
        el.textContent = "暂无数据";
        el.classList.add("chart-empty");
        return;
      }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option(data));
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
