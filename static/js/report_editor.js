// The report section editor: Quill 2 over the plain textarea (which keeps working without
// JavaScript). Only the formats the server keeps are enabled, so pasted Word text keeps
// paragraphs, two subheading levels, lists, bold, italic and links and loses the rest.
// Live figures are inline embeds stored as <span data-figure="KEY">text</span>.
(function () {
  "use strict";
  var source = document.querySelector("textarea.report-editor-source");
  if (!source || typeof window.Quill === "undefined") return;
  var Quill = window.Quill;
  var Embed = Quill.import("blots/embed");

  class FigureBlot extends Embed {
    static create(value) {
      var node = super.create();
      node.setAttribute("data-figure", value.key);
      node.setAttribute("title", "Levande siffra: " + value.key);
      node.contentNode.textContent = value.text;
      return node;
    }
    static value(node) {
      var inner = node.querySelector("[contenteditable]") || node;
      return { key: node.getAttribute("data-figure"), text: inner.textContent.replace(/\uFEFF/g, "") };
    }
    html() {
      var value = FigureBlot.value(this.domNode);
      var span = document.createElement("span");
      span.setAttribute("data-figure", value.key);
      span.textContent = value.text;
      return span.outerHTML;
    }
  }
  FigureBlot.blotName = "figure";
  FigureBlot.tagName = "span";
  FigureBlot.className = "figure-ref";
  Quill.register(FigureBlot);

  // Server-stored spans have no class; give them the blot's class before Quill reads them.
  function withFigureClass(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    holder.querySelectorAll("span[data-figure]").forEach(function (span) {
      span.classList.add("figure-ref");
    });
    return holder.innerHTML;
  }

  var container = document.createElement("div");
  container.className = "report-editor";
  source.parentNode.insertBefore(container, source);
  source.hidden = true;

  var quill = new Quill(container, {
    theme: "snow",
    formats: ["header", "bold", "italic", "link", "list", "figure"],
    modules: {
      toolbar: [
        [{ header: [3, 4, false] }],
        ["bold", "italic", "link"],
        [{ list: "ordered" }, { list: "bullet" }],
        ["clean"],
      ],
    },
  });
  quill.setContents(quill.clipboard.convert({ html: withFigureClass(source.value) }), "silent");

  var editor = container.querySelector(".ql-editor");
  editor.setAttribute("role", "textbox");
  editor.setAttribute("aria-multiline", "true");
  editor.setAttribute("aria-labelledby", "body-label");
  var help = source.getAttribute("aria-describedby") || (source.id + "_helptext");
  editor.setAttribute("aria-describedby", help);

  // Swedish names for the toolbar (Quill's buttons are icons only).
  var toolbar = container.previousElementSibling;
  var names = {
    "ql-bold": "Fetstil", "ql-italic": "Kursiv", "ql-link": "Länk", "ql-clean": "Ta bort formatering",
  };
  if (toolbar) {
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Formatering");
    toolbar.querySelectorAll("button").forEach(function (button) {
      var cls = Array.prototype.find.call(button.classList, function (c) { return names[c]; });
      if (cls) button.setAttribute("aria-label", names[cls]);
      if (button.classList.contains("ql-list")) {
        button.setAttribute("aria-label", button.value === "ordered" ? "Numrerad lista" : "Punktlista");
      }
    });
    var labels = { "3": "Underrubrik", "4": "Underrubrik, nivå 2", "": "Brödtext" };
    toolbar.querySelectorAll(".ql-picker-label").forEach(function (label) {
      label.setAttribute("aria-label", "Stycketyp");
    });
    toolbar.querySelectorAll(".ql-picker-item").forEach(function (item) {
      item.setAttribute("aria-label", labels[item.getAttribute("data-value") || ""] || "Brödtext");
    });
    toolbar.querySelectorAll("select").forEach(function (select) {
      select.setAttribute("aria-label", "Stycketyp");
    });
  }

  function sync() {
    var html = quill.getSemanticHTML().replace(/&nbsp;/g, " ");
    if (quill.getText().trim() === "" && !html.includes("data-figure")) html = "";
    source.value = html;
    source.dispatchEvent(new Event("input", { bubbles: true }));
  }
  quill.on("text-change", function (delta, old, origin) {
    if (origin !== "silent") sync();
  });

  var picker = document.querySelector("[data-figure-picker]");
  var insert = document.querySelector("[data-figure-insert]");
  if (picker && insert) {
    insert.hidden = false;
    insert.addEventListener("click", function () {
      var option = picker.options[picker.selectedIndex];
      if (!option) return;
      var range = quill.getSelection(true) || { index: quill.getLength() - 1 };
      quill.insertEmbed(range.index, "figure", { key: option.value, text: option.getAttribute("data-text") }, "user");
      quill.setSelection(range.index + 1, 0, "user");
    });
  }
  // The page's Spara button and autosave post the textarea; keep it current before submit.
  source.form.addEventListener("submit", function () {
    source.value = quill.getSemanticHTML().replace(/&nbsp;/g, " ");
  });
})();
