// The dashboard's charts (lianxin/dashboards/templates/dashboards/dashboard.html), drawn by ECharts
// (static/vendor/echarts-6.1.0) as SVG, so they print sharp: each [data-chart] element takes the
// series of the same id from the page's JSON (json_script "dashboard-charts"). Clicking a bar opens
// the rows behind it. Without JavaScript the same numbers are in the tables beside each chart.
(function () {
  "use strict";

  function draw(box, series) {
    var horizontal = series.horizontal;
    var categories = { type: "category", data: series.labels, axisLabel: { interval: horizontal ? 0 : "auto", hideOverlap: true, width: 110, overflow: "truncate" } };
    var values = { type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#eee" } } };
    var bar = {
      type: series.line ? "line" : "bar",
      data: series.values,
      itemStyle: { color: "#b81c22" },
      barMaxWidth: 28,
      cursor: "pointer",
      label: { show: !series.line && series.values.length <= 14, position: horizontal ? "right" : "top", fontSize: 11 }
    };
    if (horizontal) {
      categories.inverse = true;
      box.style.height = Math.max(160, 26 * series.labels.length + 40) + "px";
    }
    var chart = echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: horizontal ? 120 : 40, right: 36, top: 16, bottom: horizontal ? 24 : 40, containLabel: false },
      tooltip: { trigger: "item", formatter: function (p) { return p.name + ": " + p.value + (series.unit === "%" ? "%" : " " + series.unit); } },
      xAxis: horizontal ? values : categories,
      yAxis: horizontal ? categories : values,
      series: [bar]
    });
    chart.on("click", function (p) {
      var url = series.urls[p.dataIndex];
      if (url) { window.location.href = url; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
    window.addEventListener("beforeprint", function () { chart.resize(); });
  }

  function start() {
    var data = document.getElementById("dashboard-charts");
    if (!data || typeof echarts === "undefined") { return; }
    var charts = JSON.parse(data.textContent);
    charts.forEach(function (series) {
      var box = document.querySelector('[data-chart="' + series.id + '"]');
      if (box) { draw(box, series); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
