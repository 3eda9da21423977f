// Document page: clicking an event highlights its sentence, trigger and argument spans.
// Only classList/textContent are used: document text is never parsed as HTML.
(function () {
  "use strict";
  var text = document.getElementById("doctext");
  var list = document.getElementById("eventlist");
  if (!text || !list) return;

  function has(el, attr, id) {
    var v = el.getAttribute(attr);
    return v !== null && v.split(" ").indexOf(id) >= 0;
  }

  function select(id, scroll) {
    var spans = text.querySelectorAll("span[data-s], span[data-r], span[data-g]");
    var first = null;
    for (var i = 0; i < spans.length; i++) {
      var el = spans[i];
      var inSpan = has(el, "data-s", id);
      el.classList.toggle("ev-active", inSpan);
      el.classList.toggle("ev-role", has(el, "data-r", id));
      el.classList.toggle("ev-trig", has(el, "data-g", id));
      if (inSpan && !first) first = el;
    }
    var buttons = list.querySelectorAll("button.event");
    for (var j = 0; j < buttons.length; j++) {
      var on = buttons[j].getAttribute("data-event") === id;
      buttons[j].classList.toggle("selected", on);
      buttons[j].setAttribute("aria-pressed", on ? "true" : "false");
    }
    if (scroll && first) first.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  list.addEventListener("click", function (ev) {
    var btn = ev.target.closest("button.event");
    if (!btn) return;
    var id = btn.getAttribute("data-event");
    select(id, true);
    history.replaceState(null, "", "#" + encodeURIComponent(id));
  });

  text.addEventListener("click", function (ev) {
    var el = ev.target.closest("span[data-s]");
    if (!el) return;
    var ids = el.getAttribute("data-s").split(" ");
    var btn = list.querySelector('button.event[data-event="' + CSS.escape(ids[0]) + '"]');
    if (btn) { select(ids[0], false); btn.scrollIntoView({ block: "nearest" }); }
  });

  if (location.hash.length > 1) {
    var id = decodeURIComponent(location.hash.slice(1));
    if (list.querySelector('button.event[data-event="' + CSS.escape(id) + '"]')) select(id, true);
  }
})();
