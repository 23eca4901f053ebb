// Error pages: "back to the previous page" appears only when the page before was a page of this site.
// A same-site referrer becomes the link itself (it also opens in a new tab). Without one (an
// address typed in, a referrer withheld), the browser's own list of this site's pages in the tab
// (the Navigation API, where the browser has it) gives the page before, and the link goes back
// in history to it. Otherwise the link stays hidden: the workbench link remains.
document.addEventListener("DOMContentLoaded", function () {
  var link = document.querySelector("[data-history-back]");
  if (!link) return;
  var site = window.location.origin + "/";
  var referrer = document.referrer;
  if (referrer && referrer.indexOf(site) === 0 && referrer !== window.location.href) {
    link.href = referrer;
    link.hidden = false;
    return;
  }
  var nav = window.navigation;
  var here = nav && nav.currentEntry;
  if (!here || here.index < 1) return;
  var before = nav.entries()[here.index - 1];
  if (!before || !before.url || before.url.indexOf(site) !== 0) return;
  link.href = before.url;
  link.hidden = false;
  link.addEventListener("click", function (event) {
    event.preventDefault();
    window.history.back();
  });
});
