// Tree nodes: the first click loads the children (htmx, "click once"); later clicks fold them.
document.addEventListener("click", function (event) {
  var button = event.target.closest(".tree-toggle");
  if (!button) return;
  var open = button.getAttribute("aria-expanded") === "true";
  button.setAttribute("aria-expanded", String(!open));
  button.textContent = open ? "+" : "−";
  if (button.dataset.loaded) {
    var list = button.closest("li").querySelector(":scope > ul");
    if (list) list.hidden = open;
  }
});

// Tree nodes: once the children have loaded, later clicks only fold them.
document.addEventListener("htmx:afterRequest", function (event) {
  var button = event.target.closest && event.target.closest(".tree-toggle");
  if (button) button.dataset.loaded = "1";
});

// Print buttons (certificate, printed schedules).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});

// Progress bars: the width comes from data-width (no style attributes under the Content-Security-Policy).
function setProgressWidths(root) {
  root.querySelectorAll(".progress > span[data-width]").forEach(function (bar) {
    bar.style.width = bar.dataset.width + "%";
  });
}
document.addEventListener("DOMContentLoaded", function () { setProgressWidths(document); });
document.addEventListener("htmx:afterSettle", function () { setProgressWidths(document); });

// Phones: each table cell carries its column's name (data-label), which the stylesheet shows before the
// value when a table becomes a list of cards below 600 px. Cells spanning several columns get none;
// blank cells are marked data-blank so a card leaves them out.
function labelTableCells(root) {
  // Tables that lay themselves out on a phone keep their own labels (the stylesheet leaves them as they are).
  root.querySelectorAll("table.table:not(.no-cards, .tour-schedule, #compliance-board)").forEach(function (table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) return;
    var labels = [];
    Array.prototype.forEach.call(head.cells, function (th) {
      for (var i = 0; i < th.colSpan; i++) labels.push(th.textContent.trim());
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var label = labels[column];
          if (cell.colSpan === 1 && label && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", label);
          // A blank cell would be a label with nothing beside it: the card leaves it out.
          if (!cell.textContent.trim() && !cell.querySelector("input, select, img, svg, button")) cell.setAttribute("data-blank", "");
          column += cell.colSpan;
        });
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { labelTableCells(document); });
document.addEventListener("htmx:afterSettle", function () { labelTableCells(document); });
