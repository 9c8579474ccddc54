// The search page: the language's Pagefind index, read with Pagefind's own search code, shown our way.
// - projects first, each as its catalogue card (status, sector, amount sought: catalogue/needs.json),
//   then the other pages as links;
// - a query of several words keeps the pages that hold them as a phrase, accents aside, when there are
//   any: "nuoc sach" finds "nước sạch", not every "ngân sách";
// - nothing found: the closest sector, theme or place names (typos: "helth", "nuoc sahc");
// - the query is in the address (?q=), and the language switch carries it.
// A file, not an inline script, so that the Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";
  var form = document.getElementById("ac-search");
  if (!form || !window.fetch) { return; }
  var input = form.elements.q;
  var status = document.getElementById("ac-search-status");
  var cards = document.getElementById("ac-search-results");
  var others = document.getElementById("ac-search-others");
  var suggest = document.getElementById("ac-suggest");
  var lang = document.documentElement.lang || undefined;
  var engine = null;
  var index = null;
  var run = 0;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  function words(text) { return fold(text).split(/[^a-z0-9]+/).filter(Boolean); }

  function distance(a, b) {
    var row = [];
    for (var j = 0; j <= b.length; j++) { row[j] = j; }
    for (var i = 1; i <= a.length; i++) {
      var previous = row[0];
      row[0] = i;
      for (var k = 1; k <= b.length; k++) {
        var here = row[k];
        row[k] = Math.min(row[k] + 1, row[k - 1] + 1, previous + (a[i - 1] === b[k - 1] ? 0 : 1));
        previous = here;
      }
    }
    return row[b.length];
  }

  function suggestions(query) {
    var asked = words(query);
    var scored = [];
    suggest.querySelectorAll("li").forEach(function (li) {
      li.hidden = true;
      var name = li.getAttribute("data-words").split(/[^a-z0-9]+/).filter(Boolean);
      var total = 0;
      asked.forEach(function (w) {
        var best = Infinity;
        name.forEach(function (n) { best = Math.min(best, distance(w, n), n.indexOf(w) === 0 && w.length > 2 ? 0 : Infinity); });
        total += best / Math.max(w.length, 1);
      });
      scored.push([total / Math.max(asked.length, 1), li]);
    });
    scored.sort(function (a, b) { return a[0] - b[0]; });
    var shown = scored.filter(function (s) { return s[0] <= 0.34; }).slice(0, 5);
    shown.forEach(function (s) { s[1].hidden = false; });
    suggest.hidden = !shown.length;
  }

  function keep(query) {
    var search = query ? "?q=" + encodeURIComponent(query) : "";
    document.querySelectorAll("a.ac-lang").forEach(function (a) { a.href = a.href.split("?")[0].split("#")[0] + search; });
  }

  function card(url) {
    var match = /\/needs\/([^/]+)\/?(?:index\.html)?$/.exec(url.split("#")[0]);
    return match && index ? index[match[1]] : null;
  }

  function clear() {
    cards.textContent = "";
    others.textContent = "";
    suggest.hidden = true;
  }

  function show(query) {
    var mine = ++run;
    keep(query);
    clear();
    if (!query.trim()) { status.textContent = ""; return Promise.resolve(); }
    return engine.search(query).then(function (found) {
      return Promise.all(found.results.slice(0, 40).map(function (r) { return r.data(); }));
    }).then(function (pages) {
      if (mine !== run) { return; }
      var asked = words(query);
      if (asked.length > 1) {
        var phrase = " " + asked.join(" ") + " ";
        var exact = pages.filter(function (p) { return (" " + words(p.content).join(" ") + " ").indexOf(phrase) !== -1; });
        if (exact.length) { pages = exact; }
      }
      var projects = [];
      var rest = [];
      pages.forEach(function (p) { (card(p.url) ? projects : rest).push(p); });
      cards.insertAdjacentHTML("beforeend", projects.map(function (p) { return card(p.url).card; }).join(""));
      rest.forEach(function (p) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = p.url;
        a.textContent = p.meta.title;
        var excerpt = document.createElement("span");
        excerpt.className = "ac-muted";
        excerpt.textContent = " — " + p.excerpt.replace(/<[^>]*>/g, "");
        li.appendChild(a);
        li.appendChild(excerpt);
        others.appendChild(li);
      });
      var n = projects.length + rest.length;
      status.textContent = form.getAttribute("data-found").replace("{n}", new Intl.NumberFormat(lang).format(n));
      if (!n) { suggestions(query); }
    });
  }

  function submit(e) {
    if (e) { e.preventDefault(); }
    var query = input.value;
    var search = query ? "?q=" + encodeURIComponent(query) : "";
    if (search !== window.location.search) { window.history.pushState(null, "", window.location.pathname + search); }
    show(query);
  }

  var ready = Promise.all([
    import(new URL(form.getAttribute("data-pagefind"), document.baseURI).href).then(function (p) { engine = p; return p.init ? p.init() : null; }),
    fetch(form.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (data) {
      index = {};
      data.needs.forEach(function (n) { index[n.id] = n; });
    }).catch(function () { index = {}; })
  ]);
  ready.then(function () {
    form.addEventListener("submit", submit);
    var typing = null;
    input.addEventListener("input", function () { clearTimeout(typing); typing = setTimeout(submit, 250); });
    window.addEventListener("popstate", function () {
      input.value = new URLSearchParams(window.location.search).get("q") || "";
      show(input.value);
    });
    input.value = new URLSearchParams(window.location.search).get("q") || "";
    return show(input.value);
  }).then(function () {
    document.documentElement.classList.add("ac-searching");
  });
})();
