// Draws every chart of a doorstroom page. Each chart is a <div
// data-chart="ID"> with its ECharts option in a <script
// type="application/json" id="ID-option"> data block, so pages need no
// inline script and their Content-Security-Policy can forbid it.
"use strict";
(function () {
  function draw() {
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var data = document.getElementById(el.getAttribute("data-chart") + "-option");
      if (!data) { return; }
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(JSON.parse(data.textContent));
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
    window.addEventListener("beforeprint", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
