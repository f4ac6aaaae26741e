// Names for the admin's fields that Django and Select2 leave without one (issue 17): the
// split date/time inputs, the inputs of tabular inlines (column header and row number),
// autocomplete (Select2) fields (their field label); the filter widget's icons role="img".
(function () {
  "use strict";

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function labelFor(id) {
    return id ? document.querySelector('label[for="' + id + '"]') : null;
  }

  function nameTabular(root) {
    root.querySelectorAll(".tabular table").forEach(function (table) {
      var headers = Array.prototype.slice.call(table.querySelectorAll("thead th"));
      table.querySelectorAll("tbody tr.form-row").forEach(function (row, index) {
        Array.prototype.forEach.call(row.children, function (cell, column) {
          var header = text(headers[column]);
          if (!header) return;
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
            if (field.hasAttribute("aria-label") || labelFor(field.id)) return;
            field.setAttribute("aria-label", header + ", rad " + (index + 1));
          });
        });
      });
    });
  }

  function nameAutocomplete(root) {
    // Each Select2 combobox (and its read-only textbox) is named by its field's label.
    root.querySelectorAll(".select2-container .select2-selection").forEach(function (selection) {
      var container = selection.closest(".select2-container");
      var select = container.previousElementSibling;
      if (!select || select.tagName !== "SELECT") {
        select = container.parentElement ? container.parentElement.querySelector("select") : null;
      }
      var label = select ? labelFor(select.id) : null;
      if (!label) {
        var row = container.closest(".form-row, .fieldBox, td");
        label = row ? row.querySelector("label") : null;
      }
      var name = text(label).replace(/:$/, "");
      if (!name && select) name = select.getAttribute("name") || "";
      if (!name) return;
      selection.removeAttribute("aria-labelledby");
      selection.setAttribute("aria-label", name);
      var rendered = selection.querySelector(".select2-selection__rendered");
      if (rendered) {
        rendered.removeAttribute("aria-labelledby");
        rendered.setAttribute("aria-label", name + ": " + (text(rendered) || "inget valt"));
      }
    });
  }

  function nameIcons(root) {
    root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  // The split date/time widget: "Datum:" and "Tid:" are bare text before the inputs, and the
  // field's label points at the date input only.
  function nameSplitDateTime(root) {
    root.querySelectorAll("p.datetime").forEach(function (paragraph) {
      var inputs = paragraph.querySelectorAll("input");
      if (inputs.length < 2) return;
      var field = text(labelFor(inputs[0].id)).replace(/:$/, "");
      Array.prototype.forEach.call(inputs, function (input) {
        if (input.hasAttribute("aria-label")) return;
        var part = input.previousSibling;
        while (part && part.nodeType === 1 && part.tagName === "BR") part = part.previousSibling;
        var caption = part && part.nodeType === 3 ? part.textContent.trim().replace(/:$/, "") : "";
        input.setAttribute("aria-label", [field, caption.toLowerCase()].filter(Boolean).join(", "));
      });
    });
  }

  function fix(root) {
    nameSplitDateTime(root);
    nameTabular(root);
    nameAutocomplete(root);
    nameIcons(root);
  }

  // After Django's own scripts (SelectFilter, Select2) have built their widgets.
  window.addEventListener("load", function () {
    fix(document);
    window.setTimeout(function () { fix(document); }, 0);
  });
  // Select2 rebuilds its selection when the value changes.
  document.addEventListener("change", function () { fix(document); });
  document.addEventListener("formset:added", function () { fix(document); });
})();
