// Filter forms: empty fields are left out of the URL (?type=ACCUSE, not ?type=ACCUSE&mode=&actor=…),
// so links stay short and say only what was chosen.
(function () {
  "use strict";
  document.querySelectorAll("form.filters").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input, select").forEach(function (field) {
        if (field.name && field.value === "" && field.type !== "checkbox") field.disabled = true;
      });
    });
  });
  // back/forward cache: a page shown again must not keep the fields disabled
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.filters [disabled]").forEach(function (f) { f.disabled = false; });
  });
})();
