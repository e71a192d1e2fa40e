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
    labelField(box);
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      ui.triggerSearch(query);
    }
  }

  /* Pagefind's field has only a placeholder and a title: give it the page's visible label,
     and keep Enter from submitting its form to a javascript: URL (which the CSP refuses). */
  function labelField(box) {
    var field = box.querySelector("input");
    var label = document.getElementById("search-label");
    if (field && label) {
      field.id = label.htmlFor;
      label.hidden = false;
    }
    var form = box.querySelector("form");
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
