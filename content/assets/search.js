// The search page: Pagefind's UI on #ac-search, run with the query from ?q= when there is one.
// A file, not an inline script, so that the Content-Security-Policy can forbid inline scripts.
(function () {
  var ui = new PagefindUI({element: "#ac-search", showImages: false, showSubResults: true, autofocus: true});
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { ui.triggerSearch(query); }
})();
