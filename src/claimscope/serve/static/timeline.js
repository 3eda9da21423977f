// Timeline: stacked bars of events per period (day, week, month or year — the server picks the
// step from the range unless ?step= says), empty periods kept so time is linear, a note of the
// undated events, and clicking a bar zooms into that period (the range selector).
(function () {
  "use strict";
  var K = Chartkit;
  var box = document.getElementById("timeline");
  if (!box) return;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function iso(d) { return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()); }
  function next(start, step) {
    var d = new Date(start + "T00:00:00Z");
    if (step === "day") d.setUTCDate(d.getUTCDate() + 1);
    else if (step === "week") d.setUTCDate(d.getUTCDate() + 7);
    else if (step === "month") d.setUTCMonth(d.getUTCMonth() + 1);
    else d.setUTCFullYear(d.getUTCFullYear() + 1);
    return iso(d);
  }
  function lastDay(start, step) {
    var d = new Date(next(start, step) + "T00:00:00Z"); d.setUTCDate(d.getUTCDate() - 1); return iso(d);
  }
  function name(start, step) {
    return step === "year" ? start.slice(0, 4) : step === "month" ? start.slice(0, 7)
      : step === "week" ? "week of " + start : start;
  }
  function undatedNote(n) { return n + " undated event" + (n === 1 ? "" : "s") + " not shown."; }

  function draw(box, data) {
    K.clear(box);
    if (!data.periods.length) {
      K.message(box, "No dated events match these filters." + (data.undated ? " " + undatedNote(data.undated) : ""));
      return;
    }
    var step = data.step, byStart = {};
    data.periods.forEach(function (p) { byStart[p.start] = p; });
    var periods = [], cur = data.periods[0].start, last = data.periods[data.periods.length - 1].start, guard = 0;
    while (cur <= last && guard++ < 4000) { periods.push(byStart[cur] || { start: cur, counts: {}, total: 0 }); cur = next(cur, step); }
    var info = document.createElement("p"); info.className = "muted"; info.id = "timeline-info";
    info.textContent = "Events per " + step + ", " + data.first + " … " + data.last +
      ". Click a bar to zoom into it.";
    box.appendChild(info);
    if (data.undated) K.note(box, undatedNote(data.undated), "undated-note");
    K.legend(box, data.types, data.totals);
    var max = Math.max.apply(null, periods.map(function (p) { return p.total; })) || 1;
    var W = Math.max(box.clientWidth - 20, 600), H = 360, m = { l: 44, r: 12, t: 10, b: 48 };
    var iw = W - m.l - m.r, ih = H - m.t - m.b, bw = iw / periods.length;
    var svg = K.el("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img",
      "aria-label": "Events per " + step + " by type", "class": "timeline-svg", "data-step": step }, box);
    var g = K.el("g", { transform: "translate(" + m.l + "," + m.t + ")" }, svg);
    var tick = Math.max(1, Math.ceil(max / 5));
    for (var v = 0; v <= max; v += tick) {
      var y = ih - ih * v / max;
      K.el("line", { x1: 0, x2: iw, y1: y, y2: y, stroke: "#e5e7eb" }, g);
      K.label(g, -6, y + 4, String(v), { "text-anchor": "end" });
    }
    var labelWidth = step === "day" || step === "week" ? 78 : 52;
    var every = Math.max(1, Math.ceil(periods.length / Math.max(1, Math.floor(iw / labelWidth))));
    var gap = bw > 4 ? 1 : 0;
    periods.forEach(function (p, i) {
      var x = i * bw, y0 = ih;
      var bar = K.el("g", { "class": "period", "data-start": p.start, tabindex: p.total ? 0 : -1 }, g);
      data.types.forEach(function (t) {
        var n = p.counts[t] || 0; if (!n) return;
        var h = ih * n / max; y0 -= h;
        var r = K.el("rect", { x: x + gap / 2, y: y0, width: Math.max(bw - gap, 0.8), height: h, fill: K.color(t),
          stroke: "#fff", "stroke-width": bw > 6 ? 0.5 : 0, "class": "bar", "data-type": t }, bar);
        K.tip(r, name(p.start, step) + ": " + t + " " + n);
      });
      if (p.total) {
        var zoom = function () { K.goWith({ date_from: p.start, date_to: lastDay(p.start, step), step: null }); };
        bar.addEventListener("click", zoom);
        bar.addEventListener("keydown", function (ev) { if (ev.key === "Enter") zoom(); });
      }
      if (i % every === 0) {
        K.el("line", { x1: x + bw / 2, x2: x + bw / 2, y1: ih, y2: ih + 4, stroke: "#9ca3af" }, g);
        K.label(g, x + bw / 2, ih + 16, step === "year" ? p.start.slice(0, 4) : step === "month" ? p.start.slice(0, 7) : p.start,
          { "text-anchor": "middle" });
      }
    });
    K.el("line", { x1: 0, x2: iw, y1: ih, y2: ih, stroke: "#6b7280" }, g);
  }

  K.load(box, draw);
})();
