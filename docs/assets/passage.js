/* Passages: the "go to passage" box, the per-paragraph "cite" dialog, and short references
   (/p/III.12-15/, /n/57/) reached on the 404 page. Hand-written: a few dozen lines need no library.
   Data comes from passages.json, generated at build time. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? script.src.replace(/assets\/passage\.js(\?.*)?$/, "") : "/";
  var data = null;
  function load() {
    if (!data) {
      data = fetch(base + "passages.json").then(function (r) {
        if (!r.ok) { throw new Error("passages.json: " + r.status); }
        return r.json();
      }).catch(function (err) { data = null; throw err; });  // a failed fetch is tried again next time
    }
    return data;
  }
  // What a reader may type for a reference: "III.12", "iii 12", "¶ III.12-14", "0.2" for O.2 (parts from the build).
  var REF = new RegExp("^\\s*(?:¶\\s*)?(" + (window.editionParts || []).join("|") + "|0)[\\s.:]*(\\d+)([a-z]?)" +
                       "(?:\\s*[-–]\\s*(\\d+))?\\s*$", "i");
  var NOTE = /^\s*(?:note|n\.?|fn)\s*(\d+)\s*$/i;

  /* Resolve what a reader typed to a URL (relative to the site root), or null. */
  function resolve(query, d) {
    var m = REF.exec(query);
    if (m) {
      var part = m[1].toUpperCase() === "0" ? "O" : m[1].toUpperCase();
      var ref = part + "." + Number(m[2]) + (m[3] || "").toLowerCase();
      var slug = d.paragraphs[ref];
      if (slug === undefined) { return null; }
      var range = m[4] ? "?range=" + encodeURIComponent(ref + "-" + Number(m[4])) : "";
      return d.chapters[slug].url + range + "#" + ref;
    }
    var n = NOTE.exec(query);
    if (n && d.notes[String(Number(n[1]))] !== undefined) {
      return d.chapters[d.notes[String(Number(n[1]))]].url + "#fnref:" + Number(n[1]);
    }
    var term = d.terms[query.trim().toLowerCase()];
    if (term) { return "glossary/" + term + "/"; }
    return null;
  }
  window.editionResolvePassage = function (query) {
    return load().then(function (d) { return resolve(query, d); });
  };

  window.editionPassageData = load;  // the search box (assets/search.js) names the chapter of a reference

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form.goto");
    if (!form) { return; }
    event.preventDefault();
    var input = form.querySelector("input");
    var status = form.querySelector(".goto-status");
    load().then(function (d) {
      var url = resolve(input.value, d);
      if (url === null) {
        status.textContent = "No passage, note or term matches “" + input.value + "”. Try III.12, note 57 or exodus.";
        return;
      }
      location.href = base + url;
    }, function () {
      status.textContent = "Could not load the list of passages. Check the connection and try again.";
    });
  });

  /* The address the site is actually served from. The build writes SITE_URL (by default the local
     address) into citations; a copy of the site on another host would cite that. Where the build's
     address is not the real one, the citations on the page are rewritten to the real one. */
  var cite = document.querySelector(".cite-this[data-site]");
  function realAddress(text) {
    var built = cite && cite.getAttribute("data-site");
    return built && built !== base ? text.split(built).join(base) : text;
  }
  if (cite && cite.getAttribute("data-site") !== base) {
    ["data-chicago", "data-bibtex"].forEach(function (name) {
      cite.setAttribute(name, realAddress(cite.getAttribute(name)));
    });
    var walker = document.createTreeWalker(cite, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      node.nodeValue = realAddress(node.nodeValue);
    }
    cite.setAttribute("data-site", base);
  }

  function copyText(text) { return window.editionCopy(text); }  // edition.js: the one clipboard helper

  /* The cite dialog for one paragraph: Chicago and BibTeX, each with its own copy button. */
  var dialog;
  function citeDialog(ref) {
    if (!cite) { return; }
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "cite-dialog md-typeset";
      dialog.setAttribute("data-ed", "cite-dialog");
      dialog.setAttribute("aria-labelledby", "cite-dialog-title");
      dialog.innerHTML = '<div class="cite-dialog-head"><h2 id="cite-dialog-title"></h2>' +
        '<button type="button" class="close-cite" aria-label="Close"><span aria-hidden="true">×</span></button></div>' +
        '<section class="cite-block" aria-labelledby="cite-chicago-title"><h3 id="cite-chicago-title">Chicago ' +
        '(notes and bibliography)</h3><p class="cite-chicago"></p>' +
        '<button type="button" class="md-button copy-cite" data-what="Chicago">Copy Chicago</button></section>' +
        '<section class="cite-block" aria-labelledby="cite-bibtex-title"><h3 id="cite-bibtex-title">BibTeX</h3>' +
        '<pre><code class="cite-bibtex"></code></pre>' +
        '<button type="button" class="md-button copy-cite" data-what="BibTeX">Copy BibTeX</button></section>' +
        '<p class="cite-status" role="status" aria-live="polite"></p>';
      document.body.appendChild(dialog);
      dialog.addEventListener("click", function (event) {
        if (event.target === dialog || event.target.closest(".close-cite")) { dialog.close(); return; }
        var button = event.target.closest(".copy-cite");
        if (!button) { return; }
        var what = button.getAttribute("data-what");
        var text = dialog.querySelector(what === "BibTeX" ? ".cite-bibtex" : ".cite-chicago").textContent;
        var status = dialog.querySelector(".cite-status");
        copyText(text).then(function () { status.textContent = what + " citation copied."; },
                            function () { status.textContent = "Could not copy: select the text and copy it."; });
      });
    }
    var key = ref.replace(/\./g, "-");
    dialog.querySelector("h2").textContent = "Cite paragraph " + ref;
    dialog.querySelector(".cite-status").textContent = "";
    dialog.querySelector(".cite-chicago").innerHTML = cite.getAttribute("data-chicago").split("§REF§").join(ref);
    dialog.querySelector(".cite-bibtex").textContent =
      cite.getAttribute("data-bibtex").split("-§REF§").join("-" + key).split("§REF§").join(ref);
    dialog.showModal();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".cite-para");
    if (button) { citeDialog(button.getAttribute("data-ref")); }
  });

  /* On the 404 page: short references that have no file of their own (ranges, lower case). */
  var lookup = document.querySelector("[data-passage-lookup]");
  if (lookup) {
    var path = decodeURIComponent(location.pathname.slice(new URL(base).pathname.length));
    var short = /^(p|n)\/([^/]+)\/?$/.exec(path);
    if (short) {
      load().then(function (d) {
        var url = resolve(short[1] === "n" ? "note " + short[2] : short[2], d);
        if (url !== null) { location.replace(base + url); }
      });
    }
  }
})();
