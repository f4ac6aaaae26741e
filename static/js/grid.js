// Month grid keyboard use: Enter and ArrowDown go to the next metric, ArrowUp to the previous.
// Leaving a field fires "change", which htmx posts (see hx-trigger on each row's form).
//
// No typed value is lost: a value that needs a confirming comment is not saved yet. Its status
// says "Inte sparat", focus moves to the comment field (Enter there confirms and saves), and
// leaving the page while any value is unsaved asks first.
(function () {
  "use strict";
  var confirming = {};

  function inputs() {
    return Array.prototype.slice.call(document.querySelectorAll("input.cell-input"));
  }

  function codeOf(element, prefix) {
    return element && element.id && element.id.indexOf(prefix) === 0
      ? element.id.slice(prefix.length)
      : null;
  }

  function moveFrom(input, step) {
    var all = inputs();
    var next = all[all.indexOf(input) + step];
    if (next) {
      next.focus();
      next.select();
    }
    return next;
  }

  function isUnsaved(input) {
    var status = document.getElementById("status-" + codeOf(input, "input-"));
    var state = status && status.dataset.state;
    return state === "warning" || state === "error" || input.value !== input.dataset.saved;
  }

  // Focus may move to a comment field unless the person has started typing somewhere else.
  function mayTakeFocus(code) {
    var active = document.activeElement;
    if (!active || active === document.body) return true;
    if (codeOf(active, "input-") === code || codeOf(active, "comment-") === code) return true;
    if (active.classList && active.classList.contains("cell-input")) {
      return active.value === active.dataset.focusValue;
    }
    return false;
  }

  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target.classList && target.classList.contains("cell-input")) {
      target.dataset.focusValue = target.value;
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!target.classList) return;
    if (target.classList.contains("comment-input")) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var button = document.getElementById("confirm-" + target.dataset.confirmFor);
      if (button) button.click();
      return;
    }
    if (!target.classList.contains("cell-input")) return;
    var step = 0;
    if (event.key === "Enter" || event.key === "ArrowDown") step = 1;
    if (event.key === "ArrowUp") step = -1;
    if (!step) return;
    event.preventDefault();
    if (!moveFrom(target, step)) {
      target.blur();
      target.focus();
    }
  });

  // Remember what each request sends, so a value only counts as saved once the server said so.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var code = codeOf(event.detail.target, "status-");
    var input = code && document.getElementById("input-" + code);
    if (!input) return;
    input.dataset.sending = input.value;
    confirming[code] = !!(event.detail.elt && event.detail.elt.id === "confirm-" + code);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    // An outerHTML swap replaces the element: look the new one up by its id.
    var code = codeOf(event.detail.target, "status-");
    if (!code) return;
    var status = document.getElementById("status-" + code);
    var input = document.getElementById("input-" + code);
    if (!status || !input) return;
    var state = status.dataset.state;
    // Mark the input invalid when its save failed, so assistive technology announces it.
    if (state === "error") input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
    input.classList.toggle("cell-input--unsaved", state === "error" || state === "warning");
    if ((state === "saved" || state === "idle") && input.dataset.sending !== undefined) {
      input.dataset.saved = input.dataset.sending;
    }
    if (state === "warning") {
      var comment = document.getElementById("comment-" + code);
      if (comment && mayTakeFocus(code)) comment.focus();
    } else if (state === "saved" && confirming[code]) {
      // Confirmed from the comment field, which is gone now: go on to the next metric.
      if (!moveFrom(input, 1)) input.focus();
    }
    confirming[code] = false;
  });

  window.addEventListener("beforeunload", function (event) {
    if (!inputs().some(isUnsaved)) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers need a value to ask
  });

  // Unit switcher: go to the same month for the chosen enhet.
  var select = document.querySelector("[data-unit-switch] select");
  if (select) {
    select.addEventListener("change", function () {
      window.location.href = "/verksamhetsmatt/manad/" + select.dataset.month + "/" + select.value + "/";
    });
  }
})();
