/* glossary.js: the kind filter of the glossary index, and the flashcards of the study page.
 *
 * Active only where its markup is (.gl-filter on glossary/, #study-data on study/); elsewhere it
 * does nothing. No network: the cards are JSON embedded in the page, and progress is kept in this
 * browser's localStorage only. Term tooltips in the chapters are Material's (content.tooltips:
 * title attributes shown on hover and on keyboard focus, aria-describedby); Escape hides an open
 * one (edition.js), and the next focus or hover on a term link lets it show again (below).
 */
(function () {
  "use strict";

  var STORE = "edition-study-v1";

  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  /* -- glossary index: filter by kind (all entries show without JavaScript) -------------------- */
  function initFilter() {
    var bar = document.querySelector(".gl-filter");
    if (!bar) return;
    var buttons = Array.prototype.slice.call(bar.querySelectorAll(".gl-filter-btn"));
    var items = Array.prototype.slice.call(document.querySelectorAll(".gl-item"));
    var letters = Array.prototype.slice.call(document.querySelectorAll(".gl-letter"));
    var status = bar.querySelector(".gl-filter-status");

    function apply(kind, announce) {
      buttons.forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.getAttribute("data-kind") === kind));
      });
      var shown = 0;
      items.forEach(function (li) {
        var show = !kind || li.getAttribute("data-kind") === kind;
        li.hidden = !show;
        if (show) shown += 1;
      });
      letters.forEach(function (sec) {
        var any = sec.querySelector(".gl-item:not([hidden])") !== null;
        sec.hidden = !any;
        var jump = document.querySelector('.gl-az a[href="#letter-' + sec.getAttribute("data-letter") + '"]');
        if (jump) jump.hidden = !any;
      });
      if (announce && status) {
        var pressed = buttons.filter(function (b) { return b.getAttribute("data-kind") === kind; })[0];
        var label = pressed ? pressed.firstChild.textContent.trim() : "";
        status.textContent = kind ? "Showing " + shown + " of " + items.length + ": " + label.toLowerCase() + "."
                                  : "Showing all " + items.length + " entries.";
      }
      try {
        if (kind) history.replaceState(null, "", "#kind=" + kind);
        else if (location.hash.indexOf("#kind=") === 0) history.replaceState(null, "", location.pathname);
      } catch (e) { /* file: URLs */ }
    }

    buttons.forEach(function (b) {
      b.addEventListener("click", function () { apply(b.getAttribute("data-kind"), true); });
    });
    bar.hidden = false;
    var m = /^#kind=([a-z]+)$/.exec(location.hash);
    if (m && buttons.some(function (b) { return b.getAttribute("data-kind") === m[1]; })) apply(m[1], true);
  }

  /* -- study page: flashcards ------------------------------------------------------------------- */
  function loadProgress() {
    try {
      var data = JSON.parse(window.localStorage.getItem(STORE) || "{}");
      return data && typeof data.progress === "object" && data.progress ? data : { progress: {} };
    } catch (e) {
      return { progress: {} };
    }
  }

  function saveProgress(state) {
    try {
      window.localStorage.setItem(STORE, JSON.stringify(state));
    } catch (e) { /* storage disabled: progress lasts for this visit only */ }
  }

  function initStudy() {
    var source = document.getElementById("study-data");
    var root = document.getElementById("study");
    if (!source || !root) return;
    var data = JSON.parse(source.textContent);
    var saved = loadProgress();
    var progress = saved.progress;
    var el = function (id) { return document.getElementById(id); };
    var chapterSel = el("study-chapter"), kindSel = el("study-kind"), hideKnown = el("study-hide-known");
    var front = el("study-front"), back = el("study-back"), card = el("study-card"), position = el("study-position");
    var flipBtn = el("study-flip"), knewBtn = el("study-knew"), againBtn = el("study-again");
    var prevBtn = el("study-prev"), nextBtn = el("study-next"), status = el("study-progress");
    var order = data.cards.map(function (c, i) { return i; });
    var deck = [], at = 0, flipped = false;

    if (saved.chapter) chapterSel.value = saved.chapter;
    if (saved.kind) kindSel.value = saved.kind;
    hideKnown.checked = !!saved.hideKnown;

    function persist() {
      saveProgress({ progress: progress, chapter: chapterSel.value, kind: kindSel.value, hideKnown: hideKnown.checked });
    }

    function build(keepSlug) {
      var chapter = chapterSel.value, kind = kindSel.value;
      deck = order.map(function (i) { return data.cards[i]; }).filter(function (c) {
        return (!chapter || c.chapters.indexOf(chapter) !== -1) && (!kind || c.kind === kind) &&
               (!hideKnown.checked || progress[c.slug] !== "knew");
      });
      at = 0;
      if (keepSlug) {
        for (var i = 0; i < deck.length; i++) if (deck[i].slug === keepSlug) at = i;
      }
      flipped = false;
      render();
    }

    function text(tag, cls, content) {
      var node = document.createElement(tag);
      if (cls) node.className = cls;
      node.textContent = content;
      return node;
    }

    function render() {
      var selection = deck.length;
      var known = deck.filter(function (c) { return progress[c.slug] === "knew"; }).length;
      var allKnown = data.cards.filter(function (c) { return progress[c.slug] === "knew"; }).length;
      status.textContent = "Known: " + allKnown + " of " + data.cards.length + " cards" +
        (selection !== data.cards.length || hideKnown.checked ? " · this selection: " + selection + " card" +
         (selection === 1 ? "" : "s") + (hideKnown.checked ? " still to learn" : ", " + known + " known") : "") + ".";
      front.textContent = "";
      back.textContent = "";
      [flipBtn, knewBtn, againBtn, prevBtn, nextBtn].forEach(function (b) { b.disabled = deck.length === 0; });
      if (!deck.length) {
        position.textContent = "";
        card.removeAttribute("data-status");
        front.appendChild(text("p", "study-empty", hideKnown.checked ? "You know every card in this selection."
                                                                      : "No cards in this selection."));
        front.hidden = false;
        back.hidden = true;
        return;
      }
      if (at >= deck.length) at = 0;
      var c = deck[at];
      var mark = progress[c.slug];
      position.textContent = "Card " + (at + 1) + " of " + deck.length + " · " + c.kindLabel +
        (mark === "knew" ? " · known" : mark === "again" ? " · to review again" : "");
      if (mark) card.setAttribute("data-status", mark); else card.removeAttribute("data-status");
      front.appendChild(text("p", "study-term", c.term));
      front.appendChild(text("p", "study-hint", "What is it? Flip the card to see the definition."));
      back.appendChild(text("p", "study-term", c.term));
      if (c.who) back.appendChild(text("p", "study-who", c.who));
      var def = document.createElement("p");
      def.className = "study-definition";
      def.innerHTML = c.short; // built by the edition from escaped Markdown (no raw HTML)
      back.appendChild(def);
      var more = document.createElement("p");
      var link = text("a", "", "Open the entry: definition and every use (" + c.uses + ")");
      link.href = c.href;
      more.appendChild(link);
      back.appendChild(more);
      front.hidden = flipped;
      back.hidden = !flipped;
      flipBtn.setAttribute("aria-pressed", String(flipped));
      flipBtn.textContent = flipped ? "Show term" : "Show definition";
      prevBtn.disabled = nextBtn.disabled = deck.length < 2;
    }

    function flip() { if (deck.length) { flipped = !flipped; render(); } }
    function move(step) {
      if (!deck.length) return;
      at = (at + step + deck.length) % deck.length;
      flipped = false;
      render();
    }
    function mark(value) {
      if (!deck.length) return;
      var c = deck[at];
      progress[c.slug] = value;
      persist();
      if (value === "again") {  // to the end of this round
        deck.splice(at, 1);
        deck.push(c);
        if (at >= deck.length - 1 && deck.length > 1) at = 0;
      } else if (hideKnown.checked) {
        deck.splice(at, 1);
      } else {
        at = (at + 1) % deck.length;
      }
      flipped = false;
      render();
    }
    function shuffle() {
      for (var i = order.length - 1; i > 0; i--) {
        var j = Math.floor(Math.random() * (i + 1));
        var t = order[i]; order[i] = order[j]; order[j] = t;
      }
      build();
    }

    flipBtn.addEventListener("click", flip);
    knewBtn.addEventListener("click", function () { mark("knew"); });
    againBtn.addEventListener("click", function () { mark("again"); });
    prevBtn.addEventListener("click", function () { move(-1); });
    nextBtn.addEventListener("click", function () { move(1); });
    el("study-shuffle").addEventListener("click", shuffle);
    el("study-reset").addEventListener("click", function () {
      if (!window.confirm("Forget which cards you know?")) return;
      progress = {};
      persist();
      build();
    });
    [chapterSel, kindSel, hideKnown].forEach(function (control) {
      control.addEventListener("change", function () { persist(); build(); });
    });
    root.addEventListener("keydown", function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
      var tag = ev.target.tagName;
      if (tag === "SELECT" || tag === "INPUT" || tag === "TEXTAREA") return;
      var key = ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
      var actions = { f: flip, k: function () { mark("knew"); }, a: function () { mark("again"); },
                      s: shuffle, ArrowLeft: function () { move(-1); }, ArrowRight: function () { move(1); } };
      if (actions[key]) {
        ev.preventDefault();
        ev.stopPropagation(); // keep Material's own shortcuts (f, s: search) out of the flashcards
        actions[key]();
      }
    });
    root.hidden = false;
    build();
  }

  /* -- term links: a tooltip dismissed with Escape shows again on the next focus or hover ---------- */
  function undismissTerm(ev) {
    if (!ev.target.closest || !ev.target.closest("a.term")) return;
    document.querySelectorAll(".md-tooltip2.ed-dismissed").forEach(function (tip) {
      tip.classList.remove("ed-dismissed");
    });
  }

  ready(function () {
    initFilter();
    initStudy();
    if (document.querySelector("a.term")) {
      document.addEventListener("focusin", undismissTerm);
      document.addEventListener("mouseover", undismissTerm);
    }
  });
})();
