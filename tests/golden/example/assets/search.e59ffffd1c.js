/* briefgen's search page: starts Pagefind's UI in #search (loaded as a file, so the
   Content-Security-Policy needs no inline-script exception). A ?q= query is searched
   at once; without the index, a notice says search is unavailable. */
(function () {
  "use strict";

  function start() {
    var box = document.getElementById("search");
    if (!box) {
      return;
    }
    if (typeof window.PagefindUI !== "function") {
      var notice = document.getElementById("search-unavailable");
      if (notice) {
        notice.hidden = false;
      }
      return;
    }
    var ui = new window.PagefindUI({
      element: "#search",
      bundlePath: box.getAttribute("data-bundle"),
      showSubResults: true,
      showImages: false,
      autofocus: true
    });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      ui.triggerSearch(query);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
