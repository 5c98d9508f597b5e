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
  /* The one clipboard helper of the edition's scripts (passage.js and the others use it too). */
  function copy(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text; document.body.appendChild(area); area.select();
    try { document.execCommand("copy"); } finally { area.remove(); }
    return Promise.resolve();
  }
  window.editionCopy = copy;
  /* The essay's parts (O, I…VI, C), from the build (chapters.PARTS): the one source of the reference
     pattern, shared with passage.js. */
  var meta = document.querySelector('meta[name="edition:parts"]');
  var PARTS = meta ? meta.getAttribute("content").split(" ") : [];
  window.editionParts = PARTS;
  /* The copy-link and cite buttons beside each paragraph reference: added here, not in the page,
     since they need this script (and 430 of each weighed a tenth of a chapter). Run at once: this
     script comes after the content. */
  function makeButton(cls, attr, value, label) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.setAttribute(attr, value);
    b.setAttribute("aria-label", label);
    var glyph = document.createElement("span");
    glyph.setAttribute("aria-hidden", "true");
    b.appendChild(glyph);
    return b;
  }
  document.querySelectorAll(".pmark > a.pref").forEach(function (a) {
    var ref = a.getAttribute("href").slice(1);
    a.after(makeButton("copy-link", "data-copy", "#" + ref, "Copy link to paragraph " + ref),
            makeButton("cite-para", "data-ref", ref, "Cite paragraph " + ref));
  });
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
  var REF = new RegExp("^((?:" + PARTS.join("|") + ")\\.)(\\d+)([a-z]?)(?:-(\\d+))?$");
  function highlight() {
    document.querySelectorAll(".para.is-target").forEach(function (el) { el.classList.remove("is-target"); });
    var hash;
    try { hash = decodeURIComponent(location.hash.slice(1)); } catch (err) { return; }  // a malformed fragment
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
    var words = new URLSearchParams(location.search).get("hl");
    if (words) { mark(first, words); }
    if (hash !== first.id) { first.scrollIntoView(); }
  }
  /* Landing from the glossary's concordance or the search box (?hl=words): the words are highlighted in
     the paragraph: the words as one phrase where the paragraph has it (any case), otherwise each word of
     three letters or more that is not a small common word (a search may join words from across it). */
  var COMMON = /^(?:the|and|but|for|nor|not|with|from|into|that|this|than|then|are|was|were|has|had|its|his|her|our|who|which|what)$/i;
  function escapeRe(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  function mark(para, words) {
    if (para.querySelector("mark.ed-hl")) { return; }
    var tokens = words.trim().split(/\s+/).map(function (w) { return w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""); })
      .filter(Boolean);
    if (!tokens.length) { return; }
    var phrase = new RegExp(tokens.map(escapeRe).join("[\\s\\u00a0]+"), "giu");
    var nodes = [];
    var walker = document.createTreeWalker(para, NodeFilter.SHOW_TEXT);
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.parentElement.closest("[data-ed]")) { nodes.push(n); }
    }
    var pattern = nodes.some(function (node) { phrase.lastIndex = 0; return phrase.test(node.nodeValue); }) ? phrase
      : new RegExp("(?<![\\p{L}\\p{N}])(?:" + tokens.filter(function (w) { return w.length >= 3 && !COMMON.test(w); })
          .map(escapeRe).join("|") + ")[\\p{L}\\p{N}’']*", "giu");
    if (pattern.source.indexOf("(?:)") >= 0) { return; }
    nodes.forEach(function (node) {
      var hits = [];
      pattern.lastIndex = 0;
      for (var m = pattern.exec(node.nodeValue); m; m = pattern.exec(node.nodeValue)) {
        if (!m[0]) { pattern.lastIndex++; continue; }
        hits.push([m.index, m[0].length]);
      }
      hits.reverse().forEach(function (hit) {  // from the end, so that earlier offsets stay right
        var word = node.splitText(hit[0]);
        word.splitText(hit[1]);
        var mk = document.createElement("mark");
        mk.className = "ed-hl";
        word.parentNode.replaceChild(mk, word);
        mk.appendChild(word);
      });
    });
  }
  window.addEventListener("hashchange", highlight);
  if (document.readyState !== "loading") { highlight(); } else { document.addEventListener("DOMContentLoaded", highlight); }
})();

/* Notes. Without JavaScript the note markers are plain links to the numbered notes at the
   chapter's end. With it:
   - 1440px and wider: each note is copied into the right margin next to the paragraph that
     cites it (sidenotes). The copies are aria-hidden and out of the tab order: the endnotes
     stay the notes for assistive technology and keyboards. Laid out again on every resize.
     The editors' annotations (assets/annotations.js), while their layer is on, are copied there
     too, shortened, into the room the notes leave: the notes never move for them.
   - narrower: Material's note popups (feature content.footnote.tooltips) show on hover and
     keyboard focus; here a tap opens the popup instead of jumping to the end, and Escape
     closes it. */
(function () {
  "use strict";
  var WIDE = window.matchMedia("(min-width: 90em)");  // 1440px, as edition.css
  var GAP = 8;                     // px between two sidenotes
  var box = null;                  // the sidenote column, while shown
  var frame = 0;

  function article() { return document.querySelector("article.md-content__inner"); }
  /* The author's note markers and, while the editors' layer is on, the annotations' sigils
     (assets/annotations.js), in reading order. */
  function refs(root) {
    var annotations = document.documentElement.classList.contains("ed-annotations-off") ? "" : ", a.ed-annot-ref[href^='#an:']";
    return Array.prototype.filter.call(root.querySelectorAll("a.footnote-ref[href^='#fn:']" + annotations), function (a) {
      return document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
    });
  }
  function noteId(ref) { return decodeURIComponent(ref.getAttribute("href").slice(1)); }

  function build(root) {
    var list = refs(root);
    if (!list.length) { return null; }
    var aside = document.createElement("aside");
    aside.className = "ed-sidenotes";
    aside.setAttribute("data-ed", "sidenotes");
    aside.setAttribute("aria-hidden", "true");
    list.forEach(function (ref) {
      var li = document.getElementById(noteId(ref));
      var note = document.createElement("div");
      var body;
      if (ref.classList.contains("ed-annot-ref")) {  // an editors' annotation: its label and text, no sources
        note.className = "ed-sidenote-annot";
        note.setAttribute("data-annot", noteId(ref).slice(3));
        note._annot = true;
        body = li.querySelector(".ed-annot-body").cloneNode(true);
        body.querySelectorAll(".ed-annot-sources").forEach(function (el) { el.remove(); });
      } else {
        note.className = "ed-sidenote";
        note.setAttribute("data-note", li.getAttribute("value") || ref.textContent.trim());
        var num = document.createElement("span");
        num.className = "ed-sidenote-num";
        num.textContent = ref.textContent.trim();
        note.appendChild(num);
        body = (li.querySelector("p") || li).cloneNode(true);
      }
      body.querySelectorAll(".footnote-backref").forEach(function (el) { el.remove(); });
      body.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
      body.querySelectorAll("a, button, input, [tabindex]").forEach(function (el) { el.setAttribute("tabindex", "-1"); });
      while (body.firstChild) { note.appendChild(body.firstChild); }
      note._ref = ref;
      ref._sidenote = note;
      aside.appendChild(note);
    });
    root.appendChild(aside);
    return aside;
  }

  /* Each note at the height of its marker. Where notes crowd, the earlier ones move up (never
     above the top of the paragraph that cites them) and only then the later ones down. */
  function layout() {
    frame = 0;
    if (!box) { return; }
    var root = box.parentElement;
    var origin = root.getBoundingClientRect().top;
    var children = Array.prototype.slice.call(box.children);
    var notes = children.filter(function (n) { return !n._annot; });
    var paraTops = notes.map(function (note) {
      var para = note._ref.closest(".para, p, li, blockquote");
      return para ? para.getBoundingClientRect().top - origin : -Infinity;
    });
    // A marker's 24px target reaches a little above its line: a note starts no higher than its paragraph.
    var wanted = notes.map(function (note, i) {
      return Math.max(note._ref.getBoundingClientRect().top - origin, paraTops[i]);
    });
    var lowest = notes.map(function (note, i) { return Math.min(wanted[i], paraTops[i]); });
    var heights = notes.map(function (note) { return note.offsetHeight; });
    var tops = [];
    var bottom = -Infinity;
    notes.forEach(function (note, i) {           // packed as high as allowed
      tops[i] = Math.max(lowest[i], bottom + GAP);
      bottom = tops[i] + heights[i];
    });
    for (var i = notes.length - 1; i >= 0; i--) {  // then each as near its marker as the next allows
      var limit = i === notes.length - 1 ? Infinity : tops[i + 1] - GAP - heights[i];
      tops[i] = Math.min(Math.max(wanted[i], tops[i]), limit);
    }
    notes.forEach(function (note, i) { note.style.top = Math.round(tops[i]) + "px"; });
    bottom = notes.length ? tops[notes.length - 1] + heights[notes.length - 1] : 0;
    /* The editors' annotations take the room the author's notes leave, each at its sigil's height or
       the first free place below it: the notes never move for them. */
    var taken = notes.map(function (note, i) { return [tops[i], tops[i] + heights[i]]; });
    children.filter(function (n) { return n._annot; }).forEach(function (note) {
      var top = note._ref.getBoundingClientRect().top - origin;
      var height = note.offsetHeight;
      taken.sort(function (a, b) { return a[0] - b[0]; });
      taken.forEach(function (t) { if (top < t[1] + GAP && top + height + GAP > t[0]) { top = t[1] + GAP; } });
      taken.push([top, top + height]);
      note.style.top = Math.round(top) + "px";
      bottom = Math.max(bottom, top + height);
    });
    // The column must not run past the article into the footer: stretch the article if needed.
    var last = box.previousElementSibling;
    var natural = last ? last.getBoundingClientRect().bottom - origin : 0;
    var want = bottom > natural ? Math.ceil(bottom) + "px" : "";
    if (root.style.minHeight !== want) { root.style.minHeight = want; }
  }
  function schedule() { if (!frame) { frame = requestAnimationFrame(layout); } }

  function update() {
    var root = article();
    if (!root) { return; }
    if (WIDE.matches && !box) {
      box = build(root);
      if (box) { document.documentElement.classList.add("ed-sidenotes-on"); layout(); }
    } else if (!WIDE.matches && box) {
      box.remove();
      box = null;
      root.style.minHeight = "";
      document.documentElement.classList.remove("ed-sidenotes-on");
    } else {
      schedule();
    }
  }

  /* Hovering or focusing a marker lights up its sidenote. */
  function mark(event, on) {
    var ref = event.target.closest && event.target.closest("a.footnote-ref, a.ed-annot-ref");
    if (ref && ref._sidenote) { ref._sidenote.classList.toggle("is-active", on); }
  }
  document.addEventListener("mouseover", function (e) { mark(e, true); });
  document.addEventListener("mouseout", function (e) { mark(e, false); });
  document.addEventListener("focusin", function (e) { mark(e, true); });
  document.addEventListener("focusout", function (e) { mark(e, false); });

  /* Popups: a tap (touch or pen) opens the note where it is read, rather than jumping away. */
  var touched = null;
  document.addEventListener("pointerdown", function (event) {
    var ref = event.target.closest && event.target.closest("a.footnote-ref");
    touched = ref && event.pointerType !== "mouse" && !box ? ref : null;
  }, true);
  document.addEventListener("click", function (event) {
    var ref = event.target.closest && event.target.closest("a.footnote-ref");
    if (ref && ref === touched) {
      event.preventDefault();
      event.stopPropagation();
      undismiss();
      ref.focus();
    }
    touched = null;
  }, true);
  /* Escape closes an open popup; focus stays on the marker. */
  function undismiss() {
    document.querySelectorAll(".md-tooltip2.ed-dismissed").forEach(function (t) { t.classList.remove("ed-dismissed"); });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelectorAll(".md-tooltip2--active:not(.ed-dismissed)");
    open.forEach(function (t) { t.classList.add("ed-dismissed"); });
  });
  document.addEventListener("focusin", function (e) { if (e.target.closest && e.target.closest("a.footnote-ref")) { undismiss(); } });
  document.addEventListener("mouseover", function (e) {
    if (e.target.closest && e.target.closest("a.footnote-ref") && !e.target.closest("a.footnote-ref").contains(e.relatedTarget)) { undismiss(); }
  });
  /* Name the popup dialogs Material creates (axe: aria-dialog-name). */
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      r.addedNodes.forEach(function (n) {
        if (n.nodeType === 1 && n.classList.contains("md-tooltip2") && n.getAttribute("role") === "dialog" && !n.hasAttribute("aria-label")) {
          var host = document.querySelector("[aria-controls='" + n.id + "']");
          n.setAttribute("aria-label", host && host.getAttribute("aria-label") || "Note");
        }
      });
    });
  }).observe(document.body, { childList: true });

  /* Print: the edition's own links show their full address after the link text; not the
     links inside the author's paragraphs (glossary terms), which would bury the text. */
  function printUrls() {
    document.querySelectorAll(".md-content a[href]:not([href^='#']):not(.headerlink):not(.footnote-ref):not(.footnote-backref)").forEach(function (a) {
      var href = a.getAttribute("href");
      if (!/^[a-z]+:/i.test(href) && !a.closest(".para")) { a.setAttribute("data-print-url", a.href); }
    });
  }

  /* The editors' layer switched off or on (assets/annotations.js): the column is laid out again. */
  document.addEventListener("ed-annotations-change", function () {
    if (box) {
      var root = box.parentElement;
      box.remove();
      box = null;
      root.style.minHeight = "";
      document.documentElement.classList.remove("ed-sidenotes-on");
    }
    update();
  });

  function start() {
    printUrls();
    update();
    if (WIDE.addEventListener) { WIDE.addEventListener("change", update); } else { WIDE.addListener(update); }
    window.addEventListener("resize", schedule);
    window.addEventListener("load", schedule);
    if (window.ResizeObserver && article()) { new ResizeObserver(schedule).observe(article()); }
    if (document.fonts && document.fonts.ready) { document.fonts.ready.then(schedule); }
  }
  if (document.readyState !== "loading") { start(); } else { document.addEventListener("DOMContentLoaded", start); }
})();

/* Keyboard use of Material's navigation drawer (narrow screens). Its links stay in the tab order
   while the drawer is closed and off-screen, so focus went out of sight: the drawer now opens
   when focus enters it and closes when focus leaves; Escape closes it and returns to the text. */
(function () {
  "use strict";
  var NARROW = window.matchMedia("(max-width: 76.234375em)");
  function drawer() { return document.getElementById("__drawer"); }
  function sidebar() { return document.querySelector(".md-sidebar--primary"); }
  function set(open) {
    var toggle = drawer();
    if (toggle && toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change", { bubbles: true }));  // Material listens (scroll lock)
    }
  }
  document.addEventListener("focusin", function (event) {
    var side = sidebar();
    if (NARROW.matches && side && side.contains(event.target)) { set(true); }
  });
  document.addEventListener("focusout", function (event) {
    var side = sidebar();
    if (NARROW.matches && side && side.contains(event.target) &&
        !(event.relatedTarget && side.contains(event.relatedTarget))) {
      set(false);
    }
  });
  document.addEventListener("keydown", function (event) {
    var side = sidebar();
    if (event.key !== "Escape" || !NARROW.matches || !side || !side.contains(document.activeElement)) { return; }
    set(false);
    var heading = document.querySelector("article.md-content__inner h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  });
})();

/* Where a reader stopped: on a chapter, the paragraph at the top of the screen is remembered (in this
   browser only, localStorage); the home page then offers "Continue reading" there. */
(function () {
  "use strict";
  var KEY = "edition:last-read";
  var script = document.currentScript;
  var base = script ? script.src.replace(/assets\/edition\.js(\?.*)?$/, "") : "/";
  function store(value) { try { localStorage.setItem(KEY, JSON.stringify(value)); } catch (err) { /* private mode */ } }
  function stored() { try { return JSON.parse(localStorage.getItem(KEY) || "null"); } catch (err) { return null; } }

  var resume = document.querySelector(".ed-continue");
  if (resume) {
    var last = stored();
    if (last && last.path && last.ref) {
      resume.href = base + last.path + "#" + encodeURIComponent(last.ref);
      resume.textContent = "Continue reading: " + last.title + ", ¶ " + last.ref;
      resume.hidden = false;
    }
    return;  // the home page itself is not a place to resume
  }
  var paras = document.querySelectorAll("article .para[id]");
  if (!paras.length || !document.querySelector(".ed-chapter-nav")) { return; }  // chapters only
  var heading = document.querySelector("article h1");
  var title = heading ? heading.textContent.replace(/¶$/, "").trim() : document.title;
  var path = location.pathname.indexOf(new URL(base).pathname) === 0 ?
             location.pathname.slice(new URL(base).pathname.length) : "";
  var timer = 0;
  function remember() {
    timer = 0;
    var header = document.querySelector(".md-header");
    var top = header ? header.getBoundingClientRect().bottom : 0;
    for (var i = 0; i < paras.length; i++) {
      if (paras[i].getBoundingClientRect().bottom > top + 8) {
        store({ path: path, ref: paras[i].id, title: title, at: Date.now() });
        return;
      }
    }
  }
  window.addEventListener("scroll", function () { if (!timer) { timer = setTimeout(remember, 400); } },
                          { passive: true });
})();
