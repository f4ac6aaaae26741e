// Economic table entry grid. Keyboard: Enter and ArrowDown go to the row below in the same
// column, ArrowUp to the row above, ArrowLeft/ArrowRight to the neighbouring cell when the
// caret is at the start/end of the text. Leaving a field fires "change", which htmx posts.
// After each save the printed table is replaced (out of band); the empty inputs then show the
// newly computed figures as placeholders, and inputs whose figure has a warning are marked.
(function () {
  "use strict";
  function inputs() {
    return Array.prototype.slice.call(document.querySelectorAll("input.cell-input"));
  }
  function column(input) {
    return input.dataset.col;
  }
  function focus(input) {
    if (!input) return false;
    input.focus();
    input.select();
    return true;
  }
  function vertical(target, step) {
    var all = inputs();
    var col = column(target);
    var row = parseInt(target.dataset.row, 10);
    var best = null;
    all.forEach(function (input) {
      if (column(input) !== col) return;
      var r = parseInt(input.dataset.row, 10);
      if ((step > 0 && r > row) || (step < 0 && r < row)) {
        if (best === null || Math.abs(r - row) < Math.abs(parseInt(best.dataset.row, 10) - row)) best = input;
      }
    });
    return best;
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!target.classList || !target.classList.contains("cell-input")) return;
    var next = null;
    if (event.key === "Enter" || event.key === "ArrowDown") {
      event.preventDefault();
      next = vertical(target, 1);
      if (!next) { target.blur(); target.focus(); }
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      next = vertical(target, -1);
    } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      var collapsed = target.selectionStart === target.selectionEnd;
      var atStart = target.selectionStart === 0 && collapsed;
      var atEnd = target.selectionEnd === target.value.length && collapsed;
      var all = inputs();
      var index = all.indexOf(target);
      if (event.key === "ArrowLeft" && atStart) next = all[index - 1];
      if (event.key === "ArrowRight" && atEnd) next = all[index + 1];
      if (next) event.preventDefault();
    }
    focus(next);
  });
  function syncFromPrinted() {
    inputs().forEach(function (input) {
      var printed = document.querySelector('[data-printed="' + input.dataset.cell + '"]');
      if (!printed) return;
      input.placeholder = printed.dataset.computed || "";
      if (printed.dataset.warning === "1") input.classList.add("cell-input--warning");
      else input.classList.remove("cell-input--warning");
    });
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    var old = event.detail.target;
    if (old && old.id && old.id.indexOf("st-") === 0) {
      var status = document.getElementById(old.id);
      var input = document.getElementById("in-" + old.id.slice(3));
      if (status && input) {
        if (status.dataset.state === "error") input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
    }
    syncFromPrinted();
  });
})();
