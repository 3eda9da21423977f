// Timeline (stacked weekly bars) and actor network (circular layout, curved weighted edges),
// drawn as SVG with createElementNS. Labels from the data go through textContent only.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var COLORS = {
    AGREE: "#4e79a7", CONSULT: "#59a14f", SUPPORT: "#2ca02c", CONCEDE: "#8cd17d", COOPERATE: "#86bcb6",
    AID: "#499894", RETREAT: "#b6992d", REQUEST: "#f28e2b", ACCUSE: "#e15759", REJECT: "#ff9d9a",
    THREATEN: "#b07aa1", PROTEST: "#d4a6c8", SANCTION: "#9d7660", MOBILIZE: "#79706e",
    COERCE: "#bab0ac", ASSAULT: "#8b0000", ASSERT: "#a0cbe8"
  };
  function color(t) { return COLORS[t] || "#999"; }

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, String(attrs[k]));
    if (parent) parent.appendChild(e);
    return e;
  }
  function label(parent, x, y, text, attrs) {
    var t = el("text", Object.assign({ x: x, y: y }, attrs || {}), parent);
    t.textContent = text;
    return t;
  }
  function tip(node, text) { var t = el("title", {}, node); t.textContent = text; }
  function clear(box) { while (box.firstChild) box.removeChild(box.firstChild); }
  function message(box, text) { clear(box); var p = document.createElement("p"); p.className = "muted"; p.textContent = text; box.appendChild(p); }
  function legend(box, types, totals) {
    var row = document.createElement("div"); row.className = "legend-row";
    types.forEach(function (t) {
      var item = document.createElement("span");
      var sw = document.createElement("span"); sw.className = "swatch"; sw.style.background = color(t);
      item.appendChild(sw);
      item.appendChild(document.createTextNode(t + (totals ? " (" + totals[t] + ")" : "")));
      row.appendChild(item);
    });
    box.appendChild(row);
  }
  function load(box, draw) {
    var clean = new URLSearchParams();
    new URLSearchParams(location.search).forEach(function (v, k) { if (v && k !== "offset") clean.append(k, v); });
    fetch(box.getAttribute("data-api") + "?" + clean.toString(), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (res) {
        if (!res.ok) { message(box, "Error: " + JSON.stringify(res.body.detail)); return; }
        draw(box, res.body);
      })
      .catch(function (e) { message(box, "Could not load the chart: " + e); });
  }

  // ---- timeline -------------------------------------------------------------------------
  function undatedNote(n) { return n + " undated event" + (n === 1 ? "" : "s") + " not shown."; }
  function addDays(iso, n) {
    var d = new Date(iso + "T00:00:00Z"); d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }
  function drawTimeline(box, data) {
    clear(box);
    if (!data.weeks.length) {
      message(box, "No dated events match these filters." + (data.undated ? " " + undatedNote(data.undated) : ""));
      return;
    }
    // fill empty weeks so that time is linear on the x axis
    var byWeek = {}; data.weeks.forEach(function (w) { byWeek[w.week] = w; });
    var weeks = [], cur = data.weeks[0].week, last = data.weeks[data.weeks.length - 1].week, guard = 0;
    while (cur <= last && guard++ < 2000) { weeks.push(byWeek[cur] || { week: cur, counts: {}, total: 0 }); cur = addDays(cur, 7); }
    if (guard >= 2000) weeks = data.weeks; // very long ranges: only weeks with events
    var max = Math.max.apply(null, weeks.map(function (w) { return w.total; })) || 1;
    var W = Math.max(box.clientWidth - 20, 600), H = 360, m = { l: 44, r: 12, t: 10, b: 48 };
    var iw = W - m.l - m.r, ih = H - m.t - m.b, bw = iw / weeks.length;
    legend(box, data.types, data.totals);
    if (data.undated) {
      var note = document.createElement("p"); note.className = "muted undated"; note.id = "undated-note";
      note.textContent = undatedNote(data.undated); box.appendChild(note);
    }
    var svg = el("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "Events per week by type", "class": "timeline-svg" }, box);
    var g = el("g", { transform: "translate(" + m.l + "," + m.t + ")" }, svg);
    var step = Math.max(1, Math.ceil(max / 5));
    for (var v = 0; v <= max; v += step) {
      var y = ih - ih * v / max;
      el("line", { x1: 0, x2: iw, y1: y, y2: y, stroke: "#e5e7eb" }, g);
      label(g, -6, y + 4, String(v), { "text-anchor": "end" });
    }
    var every = Math.max(1, Math.ceil(weeks.length / Math.floor(iw / 70)));
    weeks.forEach(function (w, i) {
      var x = i * bw, y0 = ih;
      data.types.forEach(function (t) {
        var n = w.counts[t] || 0; if (!n) return;
        var h = ih * n / max;
        var r = el("rect", { x: x + bw * 0.1, y: y0 - h, width: Math.max(bw * 0.8, 2), height: h, fill: color(t), "class": "bar", "data-type": t }, g);
        tip(r, "week of " + w.week + ": " + t + " " + n);
        y0 -= h;
      });
      if (i % every === 0) label(g, x + bw / 2, ih + 16, w.week, { "text-anchor": "middle" });
    });
    el("line", { x1: 0, x2: iw, y1: ih, y2: ih, stroke: "#6b7280" }, g);
    label(g, iw / 2, ih + 38, "week (Monday)", { "text-anchor": "middle", fill: "#6b7280" });
  }

  // ---- network --------------------------------------------------------------------------
  function drawNetwork(box, data) {
    clear(box);
    if (!data.edges.length) { message(box, "No actor → recipient events match these filters."); return; }
    var types = [];
    data.edges.forEach(function (e) { if (types.indexOf(e.type) < 0) types.push(e.type); });
    legend(box, types, null);
    var nodes = data.nodes.slice().sort(function (a, b) { return b.weight - a.weight; });
    var W = Math.max(box.clientWidth - 20, 640), H = Math.max(520, Math.min(W * 0.7, 760));
    var cx = W / 2, cy = H / 2, R = Math.min(W, H) / 2 - 110;
    var pos = {}, maxW = nodes[0].weight || 1;
    // spread the hubs around the circle: the i-th strongest node goes to slot i*stride mod N
    var N = nodes.length, stride = Math.max(1, Math.round(N * 0.382));
    function gcd(a, b) { return b ? gcd(b, a % b) : a; }
    while (N > 1 && gcd(stride, N) !== 1) stride++;
    nodes.forEach(function (n, i) {
      var a = -Math.PI / 2 + 2 * Math.PI * ((i * stride) % N) / N;
      pos[n.id] = { x: cx + R * Math.cos(a), y: cy + R * Math.sin(a), a: a, r: 5 + 14 * Math.sqrt(n.weight / maxW), n: n };
    });
    var svg = el("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "Actor network", "class": "network-svg" }, box);
    var defs = el("defs", {}, svg);
    types.forEach(function (t) {
      var mk = el("marker", { id: "arrow-" + t, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse", markerUnits: "userSpaceOnUse" }, defs);
      el("path", { d: "M0,0 L10,5 L0,10 z", fill: color(t) }, mk);
    });
    var maxE = Math.max.apply(null, data.edges.map(function (e) { return e.weight; })) || 1;
    var ge = el("g", { "class": "edges" }, svg), gn = el("g", { "class": "nodes" }, svg);
    var seen = {};
    data.edges.forEach(function (e) {
      var s = pos[e.source], t = pos[e.target]; if (!s || !t) return;
      var key = e.source + "\u0000" + e.target, k = (seen[key] = (seen[key] || 0) + 1);
      var w = 1.2 + 6 * Math.sqrt(e.weight / maxE), path;
      if (s === t) {
        var ox = s.x + 28 * Math.cos(s.a), oy = s.y + 28 * Math.sin(s.a);
        path = "M" + s.x + "," + s.y + " C" + (ox - 20) + "," + (oy - 20) + " " + (ox + 20) + "," + (oy + 20) + " " + s.x + "," + (s.y + 1);
      } else {
        var dx = t.x - s.x, dy = t.y - s.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
        var bend = 0.15 * d * k; // curve to one side: A→B and B→A do not overlap
        var mx = (s.x + t.x) / 2 - dy / d * bend, my = (s.y + t.y) / 2 + dx / d * bend;
        // end at the target circle's edge
        var ex = t.x - mx, ey = t.y - my, ed = Math.sqrt(ex * ex + ey * ey) || 1;
        var tx = t.x - ex / ed * (t.r + 2), ty = t.y - ey / ed * (t.r + 2);
        path = "M" + s.x + "," + s.y + " Q" + mx + "," + my + " " + tx + "," + ty;
      }
      var p = el("path", { d: path, fill: "none", stroke: color(e.type), "stroke-width": w, "stroke-opacity": 0.75, "marker-end": "url(#arrow-" + e.type + ")", "class": "edge", "data-type": e.type }, ge);
      tip(p, s.n.name + " → " + t.n.name + ": " + e.type + " × " + e.weight);
    });
    nodes.forEach(function (n) {
      var p = pos[n.id];
      var link = n.linked || n.id.indexOf("x:") === 0;
      var wrap = link ? el("a", { href: "/actors/" + encodeURIComponent(n.id) }, gn) : gn;
      var c = el("circle", { cx: p.x, cy: p.y, r: p.r, fill: n.linked ? "#1e3a8a" : "#9ca3af", stroke: "#fff", "stroke-width": 1.5, "class": "node" }, wrap);
      tip(c, n.name + " (" + n.weight + " events)");
      var right = Math.cos(p.a) >= 0;
      var name = n.name.length > 38 ? n.name.slice(0, 36) + "…" : n.name;
      label(wrap, p.x + (right ? 1 : -1) * (p.r + 4), p.y + 4, name, { "text-anchor": right ? "start" : "end" });
    });
  }

  var tl = document.getElementById("timeline"); if (tl) load(tl, drawTimeline);
  var nw = document.getElementById("network"); if (nw) load(nw, drawNetwork);
})();
