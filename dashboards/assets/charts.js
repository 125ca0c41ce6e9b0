// Draws every chart of a doorstroom page. Each chart is a <div
// data-chart="ID" data-unit="UNIT"> with its ECharts option in a <script
// type="application/json" id="ID-option"> data block, so pages need no
// inline script and their Content-Security-Policy forbids it. Numbers on
// axes and in tooltips are written the way the page's language writes
// them (1.234,5 in nl and fr, 1,234.5 in en).
"use strict";
(function () {
  var lang = document.documentElement.lang || "en";

  // Shares arrive as percentages (0 to 100).
  function formatter(unit) {
    var share = unit === "share";
    var nf = share ?
      new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 }) :
      new Intl.NumberFormat(lang, { maximumFractionDigits: unit === "mean" ? 1 : 0 });
    return function (v) {
      if (v === null || v === undefined || v === "-" || typeof v !== "number" || isNaN(v)) {
        return "\u2013";
      }
      return nf.format(share ? v / 100 : v);
    };
  }

  function list(a) {
    if (!a) { return []; }
    return Array.isArray(a) ? a : [a];
  }

  function draw() {
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var data = document.getElementById(el.getAttribute("data-chart") + "-option");
      if (!data) { return; }
      var option = JSON.parse(data.textContent);
      var values = formatter(el.getAttribute("data-unit"));
      var plain = formatter("");
      var on = el.getAttribute("data-values-on") || "y";
      ["x", "y"].forEach(function (side) {
        list(option[side + "Axis"]).forEach(function (a) {
          if (a.type !== "value") { return; }
          a.axisLabel = a.axisLabel || {};
          a.axisLabel.formatter = side === on ? values : plain;
        });
      });
      if (option.tooltip) { option.tooltip.valueFormatter = values; }
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
      charts.push(chart);
    });
    document.documentElement.setAttribute("data-charts-drawn", String(charts.length));
    function resize() { charts.forEach(function (c) { c.resize(); }); }
    window.addEventListener("resize", resize);
    window.addEventListener("beforeprint", resize);
    window.addEventListener("afterprint", resize);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
