/* glossary.js: the kind filter of the glossary index, and the term tooltips of the chapters.
 *
 * Active only where its markup is (.gl-filter on glossary/, term links in the chapters); elsewhere it
 * does nothing. The study page's flashcards are study.js's.
 *
 * Term tooltips: a term link ([data-term]) shows the term's short definition on hover and on keyboard
 * focus, in one role="tooltip" element named by the link's aria-describedby; Escape hides it, the
 * next hover or focus shows it again. The definitions are in the generated assets/terms.js, loaded
 * (as a script, so that it also works from a folder on disk) the first time a term is hovered or
 * focused: a page that nobody points at never fetches them, and nothing waits for them on load.
 * Written here rather than with Material's title tooltips, which are mounted at page load for every
 * titled element (a measurable part of a chapter's blocking time) and need the titles in the page.
 */
(function () {
  "use strict";

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

  /* -- term links: the short definition as a tooltip ------------------------------------------- */
  var TERMS_URL = document.currentScript ? new URL("terms.js", document.currentScript.src).href : null;
  var termsState = 0;          // 0 not loaded, 1 loading, 2 loaded (window.edTerms), 3 failed
  var tip = null;              // the one tooltip element
  var tipFor = null;           // the link it describes, while shown
  var wanted = null;           // the link waiting for the definitions to load
  var hoverTimer = 0;

  function loadTerms(then) {
    if (termsState === 2 || termsState === 3) { then(); return; }
    wanted = then;
    if (termsState === 1 || !TERMS_URL) return;
    termsState = 1;
    var s = document.createElement("script");
    s.src = TERMS_URL;
    s.onload = function () { termsState = window.edTerms ? 2 : 3; if (wanted) wanted(); };
    s.onerror = function () { termsState = 3; };
    document.head.appendChild(s);
  }

  function showTip(link) {
    loadTerms(function () {
      wanted = null;
      var text = termsState === 2 && window.edTerms[link.getAttribute("data-term")];
      if (!text || !link.isConnected) return;
      if (!tip) {
        tip = document.createElement("div");
        tip.id = "ed-term-tip";
        tip.className = "ed-term-tip";
        tip.setAttribute("role", "tooltip");
        tip.setAttribute("data-ed", "tooltip");
        (document.querySelector("main") || document.body).appendChild(tip);  // inside a landmark (axe)
      }
      if (tipFor && tipFor !== link) tipFor.removeAttribute("aria-describedby");
      tip.textContent = text;
      tip.hidden = false;
      tipFor = link;
      link.setAttribute("aria-describedby", tip.id);
      place(link);
    });
  }

  function hideTip() {
    clearTimeout(hoverTimer);
    wanted = null;
    if (tip) tip.hidden = true;
    if (tipFor) tipFor.removeAttribute("aria-describedby");
    tipFor = null;
  }

  /* Below the link (above it when there is no room), inside the viewport's width; a link broken
     over two lines is kept clear of both. */
  function place(link) {
    var all = link.getBoundingClientRect();
    var first = link.getClientRects()[0] || all;
    var doc = document.documentElement;
    var width = tip.offsetWidth, height = tip.offsetHeight;
    var left = Math.max(8, Math.min(first.left, doc.clientWidth - width - 8));
    var top = all.bottom + 6;
    if (top + height > doc.clientHeight && all.top - height - 6 > 0) top = all.top - height - 6;
    var parent = tip.offsetParent;  // the coordinates are its: the page's, or a positioned ancestor's
    var origin = parent && parent !== document.body ? parent.getBoundingClientRect() : { left: -window.scrollX, top: -window.scrollY };
    tip.style.left = Math.round(left - origin.left) + "px";
    tip.style.top = Math.round(top - origin.top) + "px";
  }

  function termLink(target) {
    return target && target.closest ? target.closest("a[data-term]") : null;
  }

  function initTermTips() {
    if (!document.querySelector("a[data-term]")) return;
    document.addEventListener("focusin", function (ev) {
      var link = termLink(ev.target);
      if (link) showTip(link);
    });
    document.addEventListener("focusout", function (ev) {
      if (termLink(ev.target) === tipFor) hideTip();
    });
    document.addEventListener("mouseover", function (ev) {
      var link = termLink(ev.target);
      if (!link || link === tipFor) return;
      clearTimeout(hoverTimer);
      hoverTimer = setTimeout(function () { showTip(link); }, 150);  // not for a pointer passing by
    });
    // The pointer may move from the link onto the tooltip and stay there (WCAG 1.4.13, hoverable).
    document.addEventListener("mouseout", function (ev) {
      var to = ev.relatedTarget;
      var from = termLink(ev.target) || (tip && tip.contains(ev.target) ? tip : null);
      if (!from || from.contains(to)) return;
      clearTimeout(hoverTimer);
      var staying = tipFor && (tipFor.contains(to) || (tip && tip.contains(to)));
      if (tipFor && !staying && document.activeElement !== tipFor) hideTip();
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && tipFor) hideTip();
    });
    window.addEventListener("resize", function () { if (tipFor) place(tipFor); });
  }

  ready(function () {
    initFilter();
    initTermTips();
  });
})();
