/* The edition's small script: copy-link buttons, landing highlight, paragraph ranges.
   Written by hand (no library) because each part is a few lines; nothing here is needed
   to read the text: without JavaScript the links, notes and references still work. */
(function () {
  "use strict";
  var live;
  function announce(text) {
    if (!live) {
      live = document.createElement("div");
      live.className = "copy-confirm";
      live.setAttribute("role", "status");
      live.setAttribute("aria-live", "polite");
      live.setAttribute("data-ed", "status");
      document.body.appendChild(live);
    }
    live.textContent = text;
    clearTimeout(announce.timer);
    announce.timer = setTimeout(function () { live.textContent = ""; }, 2500);
  }
  function pageUrl() { return location.href.split("#")[0].split("?")[0]; }
  function copy(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text; document.body.appendChild(area); area.select();
    try { document.execCommand("copy"); } finally { area.remove(); }
    return Promise.resolve();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".copy-link");
    if (button) {
      var url = pageUrl() + button.getAttribute("data-copy");
      copy(url).then(function () { announce("Link copied: " + url); },
                     function () { announce("Could not copy; the link is " + url); });
      return;
    }
    var bib = event.target.closest(".copy-bibtex");
    if (bib) {
      var code = bib.parentElement.querySelector("code");
      copy(code.textContent).then(function () { announce("BibTeX copied"); });
    }
  });
  // Landing on a passage: highlight it (and a range such as #III.12-15).
  var REF = /^((?:O|I|II|III|IV|V|VI|C)\.)(\d+)([a-z]?)(?:-(\d+))?$/;
  function highlight() {
    document.querySelectorAll(".para.is-target").forEach(function (el) { el.classList.remove("is-target"); });
    var hash = decodeURIComponent(location.hash.slice(1));
    var range = new URLSearchParams(location.search).get("range") || hash;
    var m = REF.exec(range);
    if (!m) { return; }
    var first = document.getElementById(m[1] + m[2] + m[3]);
    if (!first) { return; }
    var last = m[4] ? Number(m[4]) : Number(m[2]);
    document.querySelectorAll(".para[id]").forEach(function (el) {
      var pm = REF.exec(el.id);
      if (pm && pm[1] === m[1] && Number(pm[2]) >= Number(m[2]) && Number(pm[2]) <= last) {
        el.classList.add("is-target");
      }
    });
    if (hash !== first.id) { first.scrollIntoView(); }
  }
  window.addEventListener("hashchange", highlight);
  if (document.readyState !== "loading") { highlight(); } else { document.addEventListener("DOMContentLoaded", highlight); }
})();
