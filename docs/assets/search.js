/* The search box in the header (overrides/partials/search.html): Pagefind's index of the essay's
   paragraphs, the author's notes and the glossary (scripts/edition/search.py), loaded only when the box is
   first used, never with the page. A reference typed there ("III.12", "iii 12", "note 57", "n57") is
   offered first, from passages.json and the reference pattern of assets/passage.js. A result opens the
   chapter at its paragraph with the searched words highlighted (?hl=, the highlight the concordance uses:
   assets/edition.js). Hand-written, not Pagefind's ready-made interface: that one brings its own look and
   weighs 120 kB; this one keeps Material's (its markup and classes) in a few dozen lines. */
(function () {
  "use strict";
  var root = document.querySelector(".ed-search");
  var toggle = document.getElementById("__search");
  if (!root || !toggle) { return; }
  var input = root.querySelector(".md-search__input");
  var list = root.querySelector(".md-search-result__list");
  var status = root.querySelector(".md-search-result__meta");
  var form = root.querySelector("form");
  var script = document.currentScript;
  var base = script ? script.src.replace(/assets\/search\.js(\?.*)?$/, "") : location.origin + "/";
  var LIMIT = 10;
  var HINT = status.textContent;

  /* Pagefind and the ordering module, imported on first use (one promise, retried after a failure). */
  var engine = null;
  function load() {
    if (!engine) {
      engine = Promise.all([import(base + "pagefind/pagefind.js"), import(base + "assets/search-results.js")])
        .then(function (mods) {
          var pagefind = mods[0];
          var options = { baseUrl: new URL(base).pathname, excerptLength: 24 };
          return Promise.resolve(pagefind.options(options))
            .then(function () {
              // An edition too large for one index has further parts (search.RECORDS_PER_INDEX): merged into it.
              var parts = document.querySelector('meta[name="edition:search-parts"]');
              return Promise.all((parts ? parts.content.split(" ").filter(Boolean) : []).map(function (part) {
                return pagefind.mergeIndex(base + "pagefind/" + part, options);
              }));
            })
            .then(function () { return pagefind.init(); })
            .then(function () { return { pagefind: pagefind, results: mods[1] }; });
        })
        .catch(function (err) { engine = null; throw err; });
    }
    return engine;
  }

  function open() {
    if (!toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); }
  }
  function close() {
    if (toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event("change")); }
    input.blur();
  }
  toggle.addEventListener("change", function () {
    if (toggle.checked) { load().catch(function () {}); if (document.activeElement !== input) { input.focus(); } }
  });
  input.addEventListener("focus", function () { open(); load().catch(function () {}); });

  /* A reference (paragraph, range or note) or a glossary term typed exactly: its own result, first. */
  function reference(query) {
    if (!window.editionResolvePassage || !window.editionPassageData) { return Promise.resolve(null); }
    return Promise.all([window.editionResolvePassage(query), window.editionPassageData()]).then(function (got) {
      var url = got[0], data = got[1];
      if (!url) { return null; }
      var slug = url.split("/")[0];
      var chapter = data.chapters[slug === "" || url.charAt(0) === "#" ? "index" : slug];
      var hash = url.split("#")[1] || "";
      var note = /^fnref:(\d+)$/.exec(hash);
      var title = note ? "note " + note[1] : /^glossary\//.test(url) ? "Glossary" : "¶ " + hash;
      return { url: url, title: title, place: chapter ? chapter.title : "Glossary",
               excerpt: note ? "Go to the author’s note " + note[1] : /^glossary\//.test(url) ? "Go to the glossary’s entry" : "Go to the paragraph" };
    }, function () { return null; });
  }

  function item(r) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = r.href;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var head = document.createElement("h1");
    var ref = document.createElement("span");
    ref.className = "ed-search__ref";
    ref.textContent = r.title;
    var place = document.createElement("span");
    place.className = "ed-search__place";
    place.textContent = r.place;
    head.append(ref, " ", place);
    var p = document.createElement("p");
    p.innerHTML = r.excerpt;  // Pagefind's excerpt: the record's text, escaped, with <mark> around the words
    article.append(head, p);
    a.appendChild(article);
    li.appendChild(a);
    return li;
  }

  /* A result's address in the site, with the words to highlight for a paragraph. */
  function href(meta, query) {
    var url = meta.url;
    if (meta.kind === "paragraph") {
      var parts = url.split("#");
      url = parts[0] + "?hl=" + encodeURIComponent(query.trim()) + "#" + parts[1];
    }
    return base + url;
  }

  /* Search what is in the box and show the results; resolves once they are shown. */
  var latest = 0;
  function run() {
    var query = input.value;
    var ticket = ++latest;
    if (!query.trim()) { list.textContent = ""; status.textContent = HINT; return Promise.resolve(); }
    return Promise.all([reference(query), load().then(function (e) { return e.results.find(e.pagefind, query, LIMIT); })])
      .then(function (got) {
        if (ticket !== latest) { return; }  // a later query has been typed meanwhile
        var ref = got[0], shown = [];
        if (ref) {
          var same = got[1].filter(function (r) { return r.meta.url === ref.url; })[0];  // a term's own entry
          shown.push({ href: base + ref.url, title: same ? same.meta.title : ref.title, place: ref.place,
                       excerpt: same ? same.excerpt : ref.excerpt });
        }
        got[1].forEach(function (r) {
          if (ref && r.meta.url === ref.url) { return; }  // the reference's own paragraph or entry, already first
          var title = r.meta.kind === "paragraph" ? "¶ " + r.meta.title : r.meta.title;
          shown.push({ href: href(r.meta, query), title: title, place: r.meta.place, excerpt: r.excerpt });
        });
        shown = shown.slice(0, LIMIT);
        list.textContent = "";
        shown.forEach(function (r) { list.appendChild(item(r)); });
        status.textContent = !shown.length ? "No passage matches “" + query.trim() + "”"
          : shown.length === 1 ? "1 result" : (shown.length === LIMIT ? "The first " : "") + shown.length + " results";
        root.setAttribute("data-answered", query);  // which query the list answers (typing may run ahead of it)
      }, function () {
        if (ticket === latest) { status.textContent = "The search could not be loaded. Check the connection and try again."; }
      });
  }
  var timer = 0;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  form.addEventListener("reset", function () { setTimeout(function () { run(); input.focus(); }, 0); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();  // Enter: the first result of what is in the box
    clearTimeout(timer);
    run().then(function () {
      var first = list.querySelector("a");
      if (first) { location.href = first.href; }
    });
  });

  /* A result followed (on this page too: a reference's fragment) closes the search, as Material's did. */
  list.addEventListener("click", function (event) { if (event.target.closest("a")) { close(); } });
  window.addEventListener("hashchange", close);

  /* The keyboard, as with Material's search: "/", "s" or "f" focuses the box, Escape closes it, the
     arrow keys move through the results. */
  document.addEventListener("keydown", function (event) {
    if (event.metaKey || event.ctrlKey || event.altKey) { return; }
    var target = event.target;
    var typing = target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName || "");
    if (!toggle.checked) {
      if (!typing && (event.key === "/" || event.key === "s" || event.key === "f")) {
        event.preventDefault();
        input.focus();
        input.select();
      }
      return;
    }
    if (!root.contains(target) && target !== document.body) { return; }
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Tab") {
      close();  // as Material's: Tab leaves the search (the results are reached with the arrow keys)
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      if (!links.length) { return; }
      event.preventDefault();
      var at = links.indexOf(document.activeElement);
      var next = event.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) { input.focus(); return; }
      links[Math.min(next, links.length - 1)].focus();
    }
  });
})();
