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
