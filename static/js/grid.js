// Month grid keyboard use: Enter and ArrowDown go to the next metric, ArrowUp to the previous.
// Leaving a field fires "change", which htmx posts (see hx-trigger on each row's form).
(function () {
  "use strict";
  function inputs() {
    return Array.prototype.slice.call(document.querySelectorAll("input.cell-input"));
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!target.classList || !target.classList.contains("cell-input")) return;
    var step = 0;
    if (event.key === "Enter" || event.key === "ArrowDown") step = 1;
    if (event.key === "ArrowUp") step = -1;
    if (!step) return;
    event.preventDefault();
    var all = inputs();
    var next = all[all.indexOf(target) + step];
    if (next) {
      next.focus();
      next.select();
    } else {
      target.blur();
      target.focus();
    }
  });
  // Mark the input invalid when its save failed, so assistive technology announces it.
  document.addEventListener("htmx:afterSettle", function (event) {
    var old = event.detail.target;
    if (!old || !old.id || old.id.indexOf("status-") !== 0) return;
    // An outerHTML swap replaces the element: look the new one up by its id.
    var status = document.getElementById(old.id);
    var input = document.getElementById("input-" + old.id.slice(7));
    if (!status) return;
    if (!input) return;
    if (status.dataset.state === "error") input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  });
  // Unit switcher: go to the same month for the chosen enhet.
  var select = document.querySelector("[data-unit-switch] select");
  if (select) {
    select.addEventListener("change", function () {
      window.location.href = "/verksamhetsmatt/manad/" + select.dataset.month + "/" + select.value + "/";
    });
  }
})();
