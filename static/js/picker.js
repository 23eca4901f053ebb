// Pickers (lianxin/core/picker.py): htmx fills the result list as people type; this file adds
// choosing by tap or click, and the keyboard: ↓/↑ move, Enter chooses, → opens a level of a tree,
// ← goes up, Escape closes. Without this file the text box alone is sent and the server reads it.
(function () {
  "use strict";

  function parts(el) {
    var root = el.closest("[data-picker]");
    if (!root) return null;
    return {
      root: root,
      text: root.querySelector(".picker-text"),
      value: root.querySelector(".picker-value"),
      list: root.querySelector(".picker-list"),
    };
  }

  function options(p) {
    return Array.prototype.slice.call(p.list.querySelectorAll("[role=option]"));
  }

  function active(p) {
    return p.list.querySelector("[role=option][aria-selected=true]");
  }

  function setActive(p, option) {
    options(p).forEach(function (o) { o.setAttribute("aria-selected", String(o === option)); });
    if (option) {
      p.text.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      p.text.removeAttribute("aria-activedescendant");
    }
  }

  function open(p) {
    p.list.hidden = false;
    p.text.setAttribute("aria-expanded", "true");
  }

  function close(p) {
    p.list.hidden = true;
    p.text.setAttribute("aria-expanded", "false");
    setActive(p, null);
  }

  function choose(p, option) {
    p.value.value = option.dataset.value;
    p.text.value = option.dataset.label;
    close(p);
    p.value.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function move(p, step) {
    var all = options(p);
    if (!all.length) return;
    if (p.list.hidden) open(p);
    var i = all.indexOf(active(p)) + step;
    if (i < 0) i = all.length - 1;
    if (i >= all.length) i = 0;
    setActive(p, all[i]);
  }

  document.addEventListener("keydown", function (event) {
    if (!event.target.closest || !event.target.closest("[data-picker]")) return;
    var p = parts(event.target);
    if (!p) return;
    var current = active(p);
    if (event.key === "ArrowDown") { event.preventDefault(); move(p, 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); move(p, -1); }
    else if (event.key === "Enter") {
      // Enter chooses the highlighted result; it submits the form only when nothing is open.
      if (!p.list.hidden && current) { event.preventDefault(); choose(p, current); }
      else if (!p.list.hidden && options(p).length) { event.preventDefault(); setActive(p, options(p)[0]); }
    } else if (event.key === "Escape") {
      if (!p.list.hidden) { event.preventDefault(); close(p); }
    } else if (event.key === "ArrowRight" && current && !p.list.hidden) {
      var down = current.querySelector("[data-picker-down]");
      if (down) { event.preventDefault(); down.click(); }
    } else if (event.key === "ArrowLeft" && !p.list.hidden) {
      var up = p.list.querySelector("[data-picker-up]");
      if (up && (event.target !== p.text || p.text.selectionStart === 0)) { event.preventDefault(); up.click(); }
    }
  });

  // Back in a box that holds a choice: select it all, so typing replaces it.
  document.addEventListener("focusin", function (event) {
    if (!event.target.classList || !event.target.classList.contains("picker-text")) return;
    var p = parts(event.target);
    if (p && p.value.value) p.text.select();
  });

  // Typing something new forgets the earlier choice: the value is what the list offers.
  document.addEventListener("input", function (event) {
    if (!event.target.classList || !event.target.classList.contains("picker-text")) return;
    var p = parts(event.target);
    if (p) p.value.value = "";
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest(".picker-option");
    if (option && !event.target.closest(".picker-step")) {
      var p = parts(option);
      if (p) choose(p, option);
      return;
    }
    // A tap anywhere else closes the open lists.
    document.querySelectorAll("[data-picker] .picker-list:not([hidden])").forEach(function (list) {
      var q = parts(list);
      if (q && !q.root.contains(event.target)) close(q);
    });
  });

  // Leaving the picker (Tab, or focus elsewhere) closes its list; results are focusable, so
  // choosing one by click or tap does not count as leaving.
  document.addEventListener("focusout", function (event) {
    var p = event.target.closest && parts(event.target);
    if (!p || p.list.hidden) return;
    if (event.relatedTarget && p.root.contains(event.relatedTarget)) return;
    window.setTimeout(function () {
      if (!p.root.contains(document.activeElement)) close(p);
    }, 150);
  });

  // A filter (GET) form leaves a chosen picker's text out of the address: `?org=CODE` says it all.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "get") return;
    form.querySelectorAll("[data-picker]").forEach(function (root) {
      var text = root.querySelector(".picker-text");
      var value = root.querySelector(".picker-value");
      if (!text || !value) return;
      if (value.value || !text.value) {
        text.disabled = true;
        window.setTimeout(function () { text.disabled = false; }, 0);
      }
    });
  });

  // A fresh list from the server: show it, the first result ready for Enter.
  document.addEventListener("htmx:afterSwap", function (event) {
    var list = event.detail.target;
    if (!list || !list.classList || !list.classList.contains("picker-list")) return;
    var p = parts(list);
    if (!p) return;
    if (list.children.length) open(p); else close(p);
    var first = options(p)[0];
    if (first) setActive(p, first);
    if (document.activeElement !== p.text && !p.root.contains(document.activeElement)) p.text.focus();
  });
})();
