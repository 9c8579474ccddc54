// The catalogue page's filters and sorts: progressive enhancement of a complete, paged list.
// The filters' state lives in the address (?sector=health&status=calling&sort=amount), so a view can be
// bookmarked and sent, and the language switch keeps it. The cards come, ready made, from the index the
// build writes beside the page (catalogue/needs.json); only the matching ones are in the page.
(function () {
  "use strict";
  var form = document.getElementById("ac-filters");
  var list = document.getElementById("ac-results");
  if (!form || !list || !window.fetch || !window.URLSearchParams) { return; }
  var FIELDS = ["sector", "theme", "place", "status", "sdg", "budget", "ready", "sort"];
  var BATCH = 48;
  var count = document.getElementById("ac-count");
  var pages = document.getElementById("ac-pages");
  var lang = document.documentElement.lang || undefined;
  var needs = [];
  var shown = 0;
  var matches = [];

  function read() {
    var query = new URLSearchParams(window.location.search);
    var state = {};
    FIELDS.forEach(function (name) {
      var value = query.get(name) || "";
      var control = form.elements[name];
      // Only values the page offers: an old or mistyped address falls back to "any".
      var known = Array.prototype.some.call(control.options, function (o) { return o.value === value; });
      state[name] = known ? value : (name === "sort" ? control.options[0].value : "");
      control.value = state[name];
    });
    return state;
  }

  function address(state) {
    var query = new URLSearchParams();
    FIELDS.forEach(function (name) {
      if (state[name] && !(name === "sort" && state[name] === form.elements.sort.options[0].value)) {
        query.set(name, state[name]);
      }
    });
    var text = query.toString();
    return text ? "?" + text : "";
  }

  function keep(search) {
    // The same view in the other languages: the switch links carry the query.
    document.querySelectorAll("a.ac-lang").forEach(function (a) {
      a.href = a.href.split("?")[0].split("#")[0] + search;
    });
  }

  function has(list, value) { return list.indexOf(value) !== -1; }

  function matching(need, s) {
    if (s.sector && !has(need.sector, s.sector)) { return false; }
    if (s.theme && !has(need.theme, s.theme)) { return false; }
    if (s.place && !has(need.place, s.place)) { return false; }
    if (s.status && !(s.status === "open" ? need.open : need.status === s.status)) { return false; }
    if (s.sdg && !has(need.sdg, s.sdg)) { return false; }
    if (s.ready && !has(need.ready, s.ready)) { return false; }
    if (s.budget) {
      var range = s.budget.split("-");
      var low = Number(range[0] || 0);
      var high = range[1] ? Number(range[1]) : Infinity;
      if (!need.open || need.usd < low || need.usd >= high) { return false; }
    }
    return true;
  }

  var ORDERS = {
    amount: null, // the index's own order: open first, largest amount still sought first
    start: function (a, b) { return (a.start || "9999") < (b.start || "9999") ? -1 : (a.start || "9999") > (b.start || "9999") ? 1 : 0; },
    reviewed: function (a, b) { return a.reviewed > b.reviewed ? -1 : a.reviewed < b.reviewed ? 1 : 0; },
    title: function (a, b) { return a.title.localeCompare(b.title, lang); }
  };

  function words(n) {
    var text = n === 1 ? form.getAttribute("data-count-one") : form.getAttribute("data-count");
    return text.replace("{n}", new Intl.NumberFormat(lang).format(n));
  }

  function more() {
    var next = matches.slice(shown, shown + BATCH);
    list.insertAdjacentHTML("beforeend", next.map(function (n) { return n.card; }).join(""));
    shown += next.length;
    var button = document.getElementById("ac-more");
    if (button) { button.parentNode.removeChild(button); }
    if (shown < matches.length) {
      var b = document.createElement("button");
      b.type = "button";
      b.id = "ac-more";
      b.className = "ac-button ac-button--ghost";
      b.textContent = list.getAttribute("data-more");
      b.addEventListener("click", function () {
        var first = shown;
        more();
        var link = list.children[first] && list.children[first].querySelector("a");
        if (link) { link.focus(); }
      });
      list.parentNode.appendChild(b);
    }
  }

  function show(state) {
    matches = needs.filter(function (n) { return matching(n, state); });
    var order = ORDERS[state.sort];
    if (order) { matches = matches.slice().sort(order); }
    list.textContent = "";
    shown = 0;
    if (!matches.length) {
      var p = document.createElement("p");
      p.className = "ac-none";
      p.textContent = list.getAttribute("data-none");
      list.appendChild(p);
      var button = document.getElementById("ac-more");
      if (button) { button.parentNode.removeChild(button); }
    } else {
      more();
    }
    count.textContent = words(matches.length);
  }

  function update() {
    var state = {};
    FIELDS.forEach(function (name) { state[name] = form.elements[name].value; });
    var search = address(state);
    if (search !== window.location.search) {
      window.history.pushState(null, "", window.location.pathname + search);
    }
    keep(search);
    show(state);
  }

  fetch(form.getAttribute("data-index"), {credentials: "same-origin"})
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (data) {
      needs = data.needs;
      form.hidden = false;
      if (pages) { pages.hidden = true; }
      form.addEventListener("change", update);
      form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
      document.getElementById("ac-reset").addEventListener("click", function (e) {
        e.preventDefault();
        FIELDS.forEach(function (name) { form.elements[name].selectedIndex = 0; });
        update();
      });
      window.addEventListener("popstate", function () { keep(window.location.search); show(read()); });
      keep(window.location.search);
      show(read());
      document.documentElement.classList.add("ac-filtering");
    })
    .catch(function () { /* the plain list stays */ });
})();
