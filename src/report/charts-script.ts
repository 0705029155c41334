/**
 * The page's chart code. It runs in the browser from a file:// page with no
 * bundler, so it is plain ES2017 text inlined after uPlot; it reads the data
 * from the #tob-data JSON block (shape: PageData in html.ts).
 *
 * It exposes window.__tobCharts = [{id, points}] so a headless browser test
 * can see that every chart was drawn, and with how many data points.
 */
export const CHARTS_SCRIPT = String.raw`
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("tob-data").textContent);
  var charts = [];
  window.__tobCharts = charts;

  var COLOR = { ok: "#1a7f37", fail: "#cf222e", info: "#bf8700", p50: "#0969da", p99: "#8250df" };
  var DOT = { ok: "rgba(26,127,55,0.55)", fail: "rgba(207,34,46,0.85)", info: "rgba(191,135,0,0.85)" };
  // The same colours as the page's fault chips, which html.ts draws from this map.
  var FAULT = data.faultColors;
  var FAULT_LABEL_MIN_PX = 40;

  function fmtMs(v) {
    if (v == null) return "–";
    if (v >= 1000) return +(v / 1000).toPrecision(3) + " s";
    if (v < 1) return +(v * 1000).toPrecision(3) + " µs";
    return +v.toPrecision(3) + " ms";
  }
  function fmtRate(v) { return v == null ? "–" : +v.toPrecision(4) + "/s"; }
  function fmtS(v) { return v == null ? "–" : +v.toPrecision(6) + " s"; }

  // Faults are shaded under everything else, on every chart, so the eye lines them up.
  function shadeFaults(u) {
    var ctx = u.ctx, b = u.bbox, dpr = window.devicePixelRatio || 1;
    ctx.save();
    ctx.font = 11 * dpr + "px system-ui, sans-serif";
    ctx.textBaseline = "top";
    for (var i = 0; i < data.faults.length; i++) {
      var f = data.faults[i];
      var x0 = Math.max(b.left, u.valToPos(f.start, "x", true));
      var x1 = Math.min(b.left + b.width, u.valToPos(f.end, "x", true));
      if (x1 < b.left || x0 > b.left + b.width) continue;
      var w = Math.max(2 * dpr, x1 - x0);
      ctx.fillStyle = FAULT[f.kind] || FAULT.other;
      ctx.fillRect(x0, b.top, w, b.height);
      if (w >= FAULT_LABEL_MIN_PX * dpr) {
        ctx.fillStyle = "rgba(36,41,47,0.75)";
        ctx.fillText(f.kind, x0 + 4 * dpr, b.top + 4 * dpr);
      }
    }
    ctx.restore();
  }

  function xScale() {
    var end = Math.max(data.endS, 0.001);
    return { time: false, range: function (u, min, max) { return [0, Math.max(end, max)]; } };
  }
  var GRID = { stroke: "rgba(31,35,40,0.07)", width: 1 };
  var TICKS = { stroke: "rgba(31,35,40,0.15)", width: 1, size: 4 };

  function xAxis() {
    return { label: "time since start (s)", grid: GRID, ticks: TICKS, values: function (u, splits) { return splits.map(function (v) { return +v.toPrecision(6); }); } };
  }
  function msAxis(label) {
    return { label: label, size: 64, grid: GRID, ticks: TICKS, values: function (u, splits) { return splits.map(fmtMs); } };
  }

  function countPoints(columns) {
    var n = 0;
    for (var s = 1; s < columns.length; s++) {
      for (var i = 0; i < columns[s].length; i++) if (columns[s][i] != null) n++;
    }
    return n;
  }

  function draw(id, height, opts, columns) {
    var el = document.getElementById(id);
    if (!el) return;
    var points = countPoints(columns);
    charts.push({ id: id, points: points });
    if (points === 0) {
      el.className += " empty";
      el.textContent = "No completed operations to plot.";
      return;
    }
    opts.width = Math.max(320, el.clientWidth);
    opts.height = height;
    opts.cursor = { sync: { key: "tob" } };
    opts.hooks = { drawClear: [shadeFaults] };
    var u = new uPlot(opts, columns, el);
    window.addEventListener("resize", function () {
      u.setSize({ width: Math.max(320, el.clientWidth), height: height });
    });
  }

  function dots(label, key) {
    return {
      label: label,
      stroke: COLOR[key],
      fill: DOT[key],
      paths: function () { return null; },
      // Failures and unknowns are few and what the reader looks for: larger dots.
      points: { show: true, space: 0, size: key === "ok" ? 4 : 6, width: 0, stroke: DOT[key], fill: DOT[key] },
      value: function (u, v) { return fmtMs(v); },
    };
  }

  function latencyScatter() {
    var s = data.scatter, n = s.t.length;
    var byOutcome = [new Array(n), new Array(n), new Array(n)];
    for (var i = 0; i < n; i++) {
      byOutcome[0][i] = byOutcome[1][i] = byOutcome[2][i] = null;
      byOutcome[s.outcome[i]][i] = s.latencyMs[i];
    }
    draw("chart-latency", 380, {
      scales: { x: xScale(), y: { distr: 3, log: 10 } },
      axes: [xAxis(), msAxis("latency")],
      series: [{ label: "invoked at", value: function (u, v) { return fmtS(v); } }, dots("ok", "ok"), dots("fail", "fail"), dots("info", "info")],
    }, [s.t, byOutcome[0], byOutcome[1], byOutcome[2]]);
  }

  function line(label, key) {
    return { label: label, stroke: COLOR[key], width: 1.5, spanGaps: false, value: function (u, v) { return fmtMs(v); } };
  }

  function quantiles() {
    var q = data.quantiles;
    draw("chart-quantiles", 260, {
      scales: { x: xScale(), y: { distr: 3, log: 10 } },
      axes: [xAxis(), msAxis("latency")],
      series: [{ label: "bucket", value: function (u, v) { return fmtS(v); } }, line("p50", "p50"), line("p99", "p99")],
    }, [q.t, q.p50, q.p99]);
  }

  function rate(label, key) {
    return {
      label: label,
      stroke: COLOR[key],
      width: 1.5,
      fill: key === "ok" ? "rgba(26,127,55,0.08)" : undefined,
      paths: uPlot.paths.stepped({ align: 1 }),
      value: function (u, v) { return fmtRate(v); },
    };
  }

  function throughput() {
    var r = data.throughput;
    draw("chart-throughput", 260, {
      scales: { x: xScale(), y: { range: function (u, min, max) { return [0, Math.max(1, max * 1.1)]; } } },
      axes: [xAxis(), { label: "completions / s", size: 64, grid: GRID, ticks: TICKS }],
      series: [{ label: "bucket", value: function (u, v) { return fmtS(v); } }, rate("ok", "ok"), rate("fail", "fail"), rate("info", "info")],
    }, [r.t, r.ok, r.fail, r.info]);
  }

  latencyScatter();
  quantiles();
  throughput();
})();
`;
