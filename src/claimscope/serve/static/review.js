// Review on the document page (only when the server allows review): mark an event wrong, edit
// it, or add a missed one from selected text. Keyboard: j/k next/previous event, x marks the
// selected event wrong, e edits it, a adds an event from the selected text, Escape closes the
// form. Corrections go to POST /api/corrections with the token; the page then reloads.
(function () {
  "use strict";
  var panel = document.getElementById("review");
  var text = document.getElementById("doctext");
  var list = document.getElementById("eventlist");
  if (!panel || !text || !list) return;
  var form = document.getElementById("review-form");
  var status = document.getElementById("review-status");
  var docId = panel.getAttribute("data-doc");
  ["reviewer", "token"].forEach(function (k) {
    var v = sessionStorage.getItem("claimscope-" + k);
    if (v && !form.elements[k].value) form.elements[k].value = v;
  });

  function buttons() { return Array.prototype.slice.call(list.querySelectorAll("button.event")); }
  function current() { return list.querySelector("button.event.selected"); }
  function say(msg, bad) { status.textContent = msg; status.className = bad ? "error" : "muted"; }

  // offsets of the selection in the document text (the article's text is the document text)
  function selectionOffsets() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !text.contains(sel.anchorNode) || !text.contains(sel.focusNode)) return null;
    function offset(node, off) {
      var walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT), n = 0, t;
      while ((t = walker.nextNode())) { if (t === node) return n + off; n += t.nodeValue.length; }
      return null;
    }
    var a = offset(sel.anchorNode, sel.anchorOffset), b = offset(sel.focusNode, sel.focusOffset);
    if (a === null || b === null || a === b) return null;
    return { start: Math.min(a, b), end: Math.max(a, b), text: sel.toString() };
  }

  function open(action, btn, selection) {
    form.elements.action.value = action;
    form.elements.event_id.value = btn ? btn.getAttribute("data-event") : "";
    form.elements.start.value = selection ? selection.start : "";
    form.elements.end.value = selection ? selection.end : "";
    var fields = btn ? JSON.parse(btn.getAttribute("data-fields")) : { type: "", mode: "", actor: "", recipients: [], date: "", aux: [] };
    form.elements.type.value = fields.type || "";
    form.elements.mode.value = fields.mode || "";
    form.elements.actor.value = fields.actor || "";
    form.elements.recipients.value = (fields.recipients || []).join("; ");
    form.elements.date.value = fields.date || "";
    form.querySelectorAll('input[name="aux"]').forEach(function (c) { c.checked = (fields.aux || []).indexOf(c.value) >= 0; });
    document.getElementById("review-title").textContent =
      action === "add" ? "Add a missed event: “" + selection.text.slice(0, 80) + "”" :
      action === "reject" ? "Mark this event wrong" : "Correct this event";
    form.classList.toggle("rejecting", action === "reject");
    panel.hidden = false;
    (action === "reject" ? form.elements.note : form.elements.type).focus();
  }

  function submit(ev) {
    ev.preventDefault();
    var f = form.elements, action = f.action.value;
    var body = { doc_id: docId, action: action, reviewer: f.reviewer.value, note: f.note.value || null };
    if (action !== "add") body.event_id = f.event_id.value;
    if (action === "add") body.selection = { start: +f.start.value, end: +f.end.value };
    if (action !== "reject") {
      body.changes = { type: f.type.value, mode: f.mode.value || null, actor: f.actor.value || null,
        recipients: f.recipients.value.split(";").map(function (s) { return s.trim(); }).filter(Boolean),
        date: f.date.value || null,
        aux: Array.prototype.filter.call(form.querySelectorAll('input[name="aux"]'), function (c) { return c.checked; }).map(function (c) { return c.value; }) };
    }
    sessionStorage.setItem("claimscope-reviewer", f.reviewer.value);
    sessionStorage.setItem("claimscope-token", f.token.value);
    say("saving…");
    fetch("/api/corrections", { method: "POST", headers: { "Content-Type": "application/json",
      "X-Claimscope-Token": f.token.value }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (res) {
        if (!res.ok) { say(typeof res.body.detail === "string" ? res.body.detail : JSON.stringify(res.body.detail), true); return; }
        say("saved (correction " + res.body.id + ")");
        location.hash = res.body.event_id || "";
        location.reload();
      })
      .catch(function (e) { say("could not save: " + e, true); });
  }

  form.addEventListener("submit", submit);
  document.getElementById("review-cancel").addEventListener("click", function () { panel.hidden = true; });
  list.addEventListener("click", function (ev) {
    var b = ev.target.closest("[data-review]");
    if (!b) return;
    ev.stopPropagation();
    var btn = b.closest("li").querySelector("button.event");
    btn.click();
    open(b.getAttribute("data-review"), btn, null);
  });
  var addBtn = document.getElementById("review-add");
  addBtn.addEventListener("mousedown", function (ev) { ev.preventDefault(); });  // keep the selection
  addBtn.addEventListener("click", function () {
    var sel = selectionOffsets();
    if (!sel) { say("Select the words of the missed event in the text first.", true); return; }
    open("add", null, sel);
  });

  document.addEventListener("keydown", function (ev) {
    var tag = (ev.target.tagName || "").toLowerCase();
    if (ev.key === "Escape") { panel.hidden = true; return; }
    if (tag === "input" || tag === "textarea" || tag === "select" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var all = buttons(), cur = current(), i = cur ? all.indexOf(cur) : -1;
    if (ev.key === "j" || ev.key === "k") {
      var next = all[Math.max(0, Math.min(all.length - 1, i + (ev.key === "j" ? 1 : -1)))];
      if (next) { next.click(); next.focus(); }
      ev.preventDefault();
    } else if ((ev.key === "x" || ev.key === "e") && cur) {
      open(ev.key === "x" ? "reject" : "edit", cur, null); ev.preventDefault();
    } else if (ev.key === "a") {
      var sel = selectionOffsets();
      if (sel) { open("add", null, sel); ev.preventDefault(); }
      else say("Select the words of the missed event in the text first.", true);
    }
  });
})();
