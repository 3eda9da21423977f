// Actor network: a force layout (repulsion between nodes, springs along edges, a pull to the
// centre), labels placed without overlaps (each label tries four sides of its node, biggest
// nodes first; a label with no free place is left to the node's tooltip), edges coloured by type
// with a legend, and clicking a node shows its neighbourhood (?focus=ID).
(function () {
  "use strict";
  var K = Chartkit;
  var box = document.getElementById("network");
  if (!box) return;

  function layout(nodes, edges, W, H) {
    var n = nodes.length, index = {};
    nodes.forEach(function (d, i) {
      index[d.id] = i;
      var a = 2 * Math.PI * i / Math.max(n, 1);
      d.x = W / 2 + W / 3 * Math.cos(a); d.y = H / 2 + H / 3 * Math.sin(a); d.vx = 0; d.vy = 0;
    });
    var k = Math.sqrt(W * H / Math.max(n, 1)) * 0.55;
    for (var it = 0; it < 400; it++) {
      var cool = 1 - it / 400;
      for (var i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
          var a = nodes[i], b = nodes[j], dx = a.x - b.x, dy = a.y - b.y;
          var d2 = Math.max(dx * dx + dy * dy, 25), f = k * k / d2;
          a.vx += dx * f / 20; a.vy += dy * f / 20; b.vx -= dx * f / 20; b.vy -= dy * f / 20;
        }
      }
      edges.forEach(function (e) {
        var a = nodes[index[e.source]], b = nodes[index[e.target]];
        if (!a || !b || a === b) return;
        var dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) || 1, f = (d - k) / d * 0.05;
        a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
      });
      nodes.forEach(function (d) {
        d.vx += (W / 2 - d.x) * 0.02; d.vy += (H / 2 - d.y) * 0.02;
        var s = Math.sqrt(d.vx * d.vx + d.vy * d.vy), lim = 30 * cool + 1;
        if (s > lim) { d.vx *= lim / s; d.vy *= lim / s; }
        d.x = Math.min(W - 40, Math.max(40, d.x + d.vx)); d.y = Math.min(H - 30, Math.max(30, d.y + d.vy));
        d.vx *= 0.5; d.vy *= 0.5;
      });
    }
    return index;
  }

  function overlaps(a, list) {
    for (var i = 0; i < list.length; i++) {
      var b = list[i];
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) return true;
    }
    return false;
  }

  function draw(box, data) {
    K.clear(box);
    if (!data.edges.length) {
      K.message(box, "No actor → recipient links match these filters" + (data.min_weight > 1 ? " (minimum weight " + data.min_weight + ")" : "") + ".");
      return;
    }
    var info = document.createElement("p"); info.className = "muted"; info.id = "network-info";
    info.textContent = data.nodes.length + " actors, " + data.edges.length + " links" +
      (data.focus ? " around " + (data.nodes.filter(function (d) { return d.id === data.focus; })[0] || {}).name : "") +
      (data.unlinked ? " (unlinked names included)" : " (knowledge-base actors only)") +
      (data.min_weight > 1 ? ", links of at least " + data.min_weight + " events" : "") +
      ". Click an actor to see its neighbourhood.";
    box.appendChild(info);
    var totals = {};
    data.edges.forEach(function (e) { totals[e.type] = (totals[e.type] || 0) + e.weight; });
    var types = Object.keys(totals).sort(function (a, b) { return totals[b] - totals[a]; });
    var leg = K.legend(box, types, totals, "Edges: ");
    leg.id = "network-legend";
    var extra = document.createElement("span"); extra.className = "legend-item muted";
    extra.textContent = "· node size = events · arrow points to the recipient" + (data.unlinked ? " · dashed = not in the knowledge base" : "");
    leg.appendChild(extra);

    var W = Math.max(box.clientWidth - 20, 640), H = Math.max(460, Math.min(760, 120 + data.nodes.length * 9));
    var nodes = data.nodes, edges = data.edges;
    var index = layout(nodes, edges, W, H);
    var svg = K.el("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img",
      "aria-label": "Actor network", "class": "network-svg" }, box);
    var defs = K.el("defs", {}, svg);
    types.forEach(function (t) {
      var mk = K.el("marker", { id: "arrow-" + t, viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 6,
        markerHeight: 6, orient: "auto-start-reverse" }, defs);
      K.el("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: K.color(t) }, mk);
    });
    var maxW = Math.max.apply(null, edges.map(function (e) { return e.weight; })) || 1;
    var maxN = Math.max.apply(null, nodes.map(function (d) { return d.weight; })) || 1;
    function radius(d) { return 4 + 12 * Math.sqrt(d.weight / maxN); }
    var ge = K.el("g", { "class": "edges" }, svg);
    edges.forEach(function (e, i) {
      var a = nodes[index[e.source]], b = nodes[index[e.target]];
      if (!a || !b) return;
      var dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
      var rb = radius(b) + 2, ex = b.x - dx / d * rb, ey = b.y - dy / d * rb;
      var bend = 0.15 + 0.1 * (i % 3), mx = (a.x + ex) / 2 - dy * bend, my = (a.y + ey) / 2 + dx * bend;
      var p = K.el("path", { d: "M" + a.x + "," + a.y + " Q" + mx + "," + my + " " + ex + "," + ey, fill: "none",
        stroke: K.color(e.type), "stroke-opacity": 0.75, "stroke-width": 1 + 5 * Math.sqrt(e.weight / maxW),
        "marker-end": "url(#arrow-" + e.type + ")", "class": "edge" }, ge);
      K.tip(p, a.name + " → " + b.name + ": " + e.type + " ×" + e.weight);
    });
    var gn = K.el("g", { "class": "nodes" }, svg);
    var placed = [], labels = K.el("g", { "class": "labels" }, svg);
    nodes.slice().sort(function (a, b) { return b.weight - a.weight; }).forEach(function (d) {
      var r = radius(d);
      var node = K.el("g", { "class": "actor", tabindex: 0, "data-id": d.id, role: "button" }, gn);
      K.el("circle", { "class": "node", cx: d.x, cy: d.y, r: r, fill: d.id === data.focus ? "#db2777" : (d.linked ? "#1f2937" : "#fff"),
        stroke: d.linked ? "#fff" : "#6b7280", "stroke-dasharray": d.linked ? "" : "3 2", "stroke-width": 1.5 }, node);
      K.tip(node, d.name + " — " + d.weight + " events" + (d.linked ? "" : " (not in the knowledge base)"));
      var focus = function () { K.goWith({ focus: d.id }); };
      node.addEventListener("click", focus);
      node.addEventListener("keydown", function (ev) { if (ev.key === "Enter") focus(); });
      placed.push({ x: d.x - r, y: d.y - r, w: 2 * r, h: 2 * r });
      d.r = r;
    });
    nodes.slice().sort(function (a, b) { return b.weight - a.weight; }).forEach(function (d) {
      var text = d.name.length > 34 ? d.name.slice(0, 33) + "…" : d.name;
      var w = text.length * 6.4 + 4, h = 13, r = d.r;
      var spots = [[d.x + r + 3, d.y - h / 2, "start"], [d.x - r - 3 - w, d.y - h / 2, "start"],
                   [d.x - w / 2, d.y - r - 2 - h, "start"], [d.x - w / 2, d.y + r + 2, "start"]];
      for (var i = 0; i < spots.length; i++) {
        var box2 = { x: spots[i][0], y: spots[i][1], w: w, h: h };
        if (box2.x < 0 || box2.x + w > W || box2.y < 0 || box2.y + h > H || overlaps(box2, placed)) continue;
        placed.push(box2);
        K.label(labels, box2.x + 2, box2.y + h - 3, text, { "class": "node-label" });
        return;
      }
    });
  }

  K.load(box, draw);
})();
