// Error pages: "back to the previous page" appears only when there is a previous page of this site.
// A same-site referrer becomes the link itself (it also opens in a new tab); otherwise the
// browser's history goes back one step. With neither, the link stays hidden.
document.addEventListener("DOMContentLoaded", function () {
  var link = document.querySelector("[data-history-back]");
  if (!link) return;
  var referrer = document.referrer;
  if (referrer && referrer.indexOf(window.location.origin + "/") === 0 && referrer !== window.location.href) {
    link.href = referrer;
    link.hidden = false;
  } else if (window.history.length > 1) {
    link.hidden = false;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.history.back();
    });
  }
});
