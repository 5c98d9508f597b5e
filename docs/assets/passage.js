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
      data = fetch(base + "passages.json").then(function (r) { return r.json(); });
    }
    return data;
  }
  var REF = /^\s*(?:¶\s*)?(o|i|ii|iii|iv|v|vi|c|0)[\s.:]*(\d+)([a-z]?)(?:\s*[-–]\s*(\d+))?\s*$/i;
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
    });
  });

  /* The cite dialog for one paragraph. */
  var dialog;
  function citeDialog(ref) {
    var source = document.querySelector(".cite-this[data-chicago]");
    if (!source) { return; }
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "cite-dialog";
      dialog.setAttribute("data-ed", "cite-dialog");
      dialog.setAttribute("aria-labelledby", "cite-dialog-title");
      dialog.innerHTML = '<h2 id="cite-dialog-title"></h2><p class="cite-chicago"></p>' +
        '<pre><code class="cite-bibtex"></code></pre>' +
        '<p><button type="button" class="copy-cite">Copy Chicago</button> ' +
        '<button type="button" class="copy-cite-bibtex">Copy BibTeX</button> ' +
        '<button type="button" class="close-cite">Close</button></p>';
      document.body.appendChild(dialog);
      dialog.addEventListener("click", function (event) {
        if (event.target.closest(".close-cite")) { dialog.close(); }
        var text = event.target.closest(".copy-cite") ? dialog.querySelector(".cite-chicago").textContent :
                   event.target.closest(".copy-cite-bibtex") ? dialog.querySelector(".cite-bibtex").textContent : null;
        if (text !== null && navigator.clipboard) { navigator.clipboard.writeText(text); }
      });
    }
    var key = ref.replace(/\./g, "-");
    dialog.querySelector("h2").textContent = "Cite paragraph " + ref;
    dialog.querySelector(".cite-chicago").innerHTML = source.getAttribute("data-chicago").split("§REF§").join(ref);
    dialog.querySelector(".cite-bibtex").textContent =
      source.getAttribute("data-bibtex").split("-§REF§").join("-" + key).split("§REF§").join(ref);
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
