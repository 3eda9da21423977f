// Shared pieces of the charts (timeline.js, network.js): SVG helpers, the type palette, the
// legend and the loader. Labels from the data go through textContent only.
var Chartkit = (function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  // One colour per event type, from Paul Tol's colour-blind-safe qualitative schemes ('muted',
  // 'light', 'bright'); seventeen types are more than one safe scheme holds, so neighbours in
  // the stack order differ in lightness as well as hue, and every segment has a tooltip.
  var COLORS = {
    AGREE: "#117733", CONSULT: "#88CCEE", SUPPORT: "#44AA99", CONCEDE: "#BBCC33", COOPERATE: "#332288",
    AID: "#77AADD", RETREAT: "#99DDFF", REQUEST: "#DDCC77", ACCUSE: "#CC6677", REJECT: "#EE8866",
    THREATEN: "#AA4499", PROTEST: "#FFAABB", SANCTION: "#999933", MOBILIZE: "#4477AA",
    COERCE: "#882255", ASSAULT: "#000000", ASSERT: "#BBBBBB"
  };
  function color(t) { return COLORS[t] || "#777777"; }
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
  function note(box, text, id) {
    var p = document.createElement("p"); p.className = "muted"; if (id) p.id = id;
    p.textContent = text; box.appendChild(p); return p;
  }
  function message(box, text) { clear(box); note(box, text); }
  function legend(box, types, totals, title) {
    var row = document.createElement("div"); row.className = "legend-row";
    if (title) { var b = document.createElement("b"); b.textContent = title; row.appendChild(b); }
    types.forEach(function (t) {
      var item = document.createElement("span"); item.className = "legend-item";
      var sw = document.createElement("span"); sw.className = "swatch"; sw.style.background = color(t);
      item.appendChild(sw);
      item.appendChild(document.createTextNode(t + (totals ? " (" + totals[t] + ")" : "")));
      row.appendChild(item);
    });
    box.appendChild(row);
    return row;
  }
  // the page's own query (without paging), sent to the chart's API endpoint
  function query() {
    var clean = new URLSearchParams();
    new URLSearchParams(location.search).forEach(function (v, k) { if (v && k !== "offset") clean.append(k, v); });
    return clean;
  }
  function load(box, draw) {
    fetch(box.getAttribute("data-api") + "?" + query().toString(), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (res) {
        if (!res.ok) { message(box, "Error: " + JSON.stringify(res.body.detail)); return; }
        draw(box, res.body);
        box.setAttribute("data-ready", "1");
      })
      .catch(function (e) { message(box, "Could not load the chart: " + e); });
  }
  function goWith(changes) {
    var q = query();
    Object.keys(changes).forEach(function (k) { if (changes[k] === null) q.delete(k); else q.set(k, changes[k]); });
    location.search = q.toString();
  }
  return { el: el, label: label, tip: tip, clear: clear, note: note, message: message,
           legend: legend, load: load, color: color, query: query, goWith: goWith };
})();
