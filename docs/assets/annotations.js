/* annotations.js: the editors' annotations in the text (scripts/edition/annotations.py makes the markup).
 *
 * Without JavaScript each sigil (✦, drawn by CSS after the annotated words) is a link to the
 * annotation in the "Editors' annotations" list after the chapter's notes. With it:
 * - hovering or focusing a sigil shows the annotation in a popup beside it (hoverable, Escape closes
 *   it, focus stays on the sigil; Enter or a click still follows the link); a tap (touch or pen)
 *   opens the popup in place instead of jumping to the list. Only one popup is open at a time: an
 *   annotation's popup closes the author's note popup (Material's), and a note's closes it.
 * - a switch at the top of the page hides or shows the whole editors' layer (the marks, the sigils,
 *   the sidenotes and the list); this browser remembers the choice (localStorage). The author's
 *   text and notes are never hidden. overrides/main.html applies a stored "off" before the page
 *   is drawn, so the layer does not flash.
 * - landing on an annotation's address (/a/<id>/ leads to #anref:<id>) highlights its words, and
 *   shows the layer if it was switched off (without changing the stored choice).
 * The sidenotes on wide screens are laid out with the author's notes, in assets/edition.js.
 */
(function () {
  "use strict";

  var KEY = "edition-annotations";
  var OFF = "ed-annotations-off";
  var html = document.documentElement;
  var pop = null;        // the one popup element
  var popFor = null;     // the sigil it belongs to, while shown
  var showTimer = 0, hideTimer = 0;
  var touched = null;    // a sigil touched by a finger or pen (its click opens the popup in place)
  var touchedOpen = false;  // whether its popup was open when it was touched (then the tap closes it)

  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }
  function isOn() { return !html.classList.contains(OFF); }
  function stored() { try { return window.localStorage.getItem(KEY); } catch (e) { return null; } }
  function store(on) { try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* this visit only */ } }
  if (stored() === "off") html.classList.add(OFF);

  function sigil(target) { return target && target.closest ? target.closest("a.ed-annot-ref") : null; }
  function annotationOf(ref) {
    var id = decodeURIComponent((ref.getAttribute("href") || "").slice(1));
    return document.getElementById(id);
  }

  /* -- the layer switch ---------------------------------------------------------------------- */
  var switches = [];
  function sync() {
    switches.forEach(function (b) {
      b.setAttribute("aria-checked", String(isOn()));
      b.querySelector(".ed-annot-switch-state").textContent = isOn() ? "on" : "off";
    });
  }
  function set(on, remember) {
    html.classList.toggle(OFF, !on);
    if (remember) store(on);
    hide();
    sync();
    document.dispatchEvent(new CustomEvent("ed-annotations-change", { detail: { on: on } }));
  }
  function makeSwitch() {
    if (!document.querySelector(".ed-annot-ref")) return;
    var wrap = document.createElement("div");
    wrap.className = "ed-annot-switch";
    wrap.setAttribute("data-ed", "annot-switch");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "ed-annot-switch-btn";
    button.setAttribute("role", "switch");
    var track = document.createElement("span");
    track.className = "ed-annot-switch-track";
    track.setAttribute("aria-hidden", "true");
    var label = document.createElement("span");
    label.textContent = "Editors’ annotations";
    var state = document.createElement("span");  // shown; the switch's own state (aria-checked) is what is announced
    state.className = "ed-annot-switch-state";
    state.setAttribute("aria-hidden", "true");
    button.appendChild(track);
    button.appendChild(label);
    button.appendChild(state);
    button.addEventListener("click", function () { set(!isOn(), true); });
    wrap.appendChild(button);
    var article = document.querySelector("article.md-content__inner");
    var after = article && (article.querySelector(".reading-time") || article.querySelector("h1"));
    if (!after) return;
    after.after(wrap);
    switches.push(button);
    sync();
  }

  /* -- the popup ----------------------------------------------------------------------------- */
  function dismissNotes() {  // Material's note popups: edition.js shows them again on the next hover or focus
    document.querySelectorAll(".md-tooltip2--active").forEach(function (t) { t.classList.add("ed-dismissed"); });
  }
  function build(ref) {
    var item = annotationOf(ref);
    var body = item && item.querySelector(".ed-annot-body");
    if (!body) return false;
    if (!pop) {
      pop = document.createElement("div");
      pop.id = "ed-annot-pop";
      pop.className = "ed-annot-pop";
      pop.setAttribute("role", "dialog");
      pop.setAttribute("data-ed", "annot-popup");
      pop.hidden = true;
      (document.querySelector("main") || document.body).appendChild(pop);  // inside a landmark (axe)
      pop.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
      pop.addEventListener("mouseleave", function (ev) {
        if (!(popFor && popFor.contains(ev.relatedTarget)) && document.activeElement !== popFor) later(hide);
      });
    }
    pop.textContent = "";
    var title = document.createElement("p");
    title.className = "ed-annot-pop-title";
    title.textContent = "Editors’ annotation";
    pop.appendChild(title);
    var copy = body.cloneNode(true);
    copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    while (copy.firstChild) pop.appendChild(copy.firstChild);
    var kind = item.querySelector(".ed-annot-kind");
    pop.setAttribute("aria-label", "Editors’ annotation" + (kind ? ": " + kind.textContent.toLowerCase() : ""));
    return true;
  }
  function show(ref) {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (!isOn() || !ref.isConnected) return;
    if (popFor === ref && pop && !pop.hidden) return;
    if (popFor && popFor !== ref) release(popFor);
    if (!build(ref)) return;
    dismissNotes();
    pop.hidden = false;
    popFor = ref;
    ref.setAttribute("aria-expanded", "true");
    ref.setAttribute("aria-controls", pop.id);
    ref.setAttribute("aria-describedby", pop.id);
    ref.classList.add("is-open");
    place(ref);
  }
  function release(ref) {
    ref.removeAttribute("aria-describedby");
    ref.setAttribute("aria-expanded", "false");
    ref.classList.remove("is-open");
  }
  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (pop) pop.hidden = true;
    if (popFor) release(popFor);
    popFor = null;
  }
  function later(fn) {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(fn, 300);
  }

  /* Below the sigil (above it when there is no room below), inside the viewport's width. */
  function place(ref) {
    var box = ref.getBoundingClientRect();
    var doc = document.documentElement;
    var width = pop.offsetWidth, height = pop.offsetHeight;
    var left = Math.max(8, Math.min(box.left - 16, doc.clientWidth - width - 8));
    var top = box.bottom + 6;
    if (top + height > doc.clientHeight && box.top - height - 6 > 0) top = box.top - height - 6;
    var parent = pop.offsetParent;
    var origin = parent && parent !== document.body ? parent.getBoundingClientRect()
                                                     : { left: -window.scrollX, top: -window.scrollY };
    pop.style.left = Math.round(left - origin.left) + "px";
    pop.style.top = Math.round(top - origin.top) + "px";
  }

  /* -- landing on an annotation's address -------------------------------------------------------- */
  function land() {
    document.querySelectorAll(".ed-annot.is-target").forEach(function (el) { el.classList.remove("is-target"); });
    var m = /^#(?:anref|an):([a-z0-9-]+)$/.exec(decodeURIComponent(location.hash));
    if (!m) return;
    var words = document.querySelectorAll('.ed-annot[data-annot="' + m[1] + '"]');
    if (!words.length) return;
    if (!isOn()) set(true, false);  // the reader asked for this annotation: show the layer, for this page
    words.forEach(function (el) { el.classList.add("is-target"); });
  }

  function init() {
    makeSwitch();
    if (!document.querySelector(".ed-annot-ref")) return;
    document.addEventListener("focusin", function (ev) {
      var ref = sigil(ev.target);
      if (ref) { show(ref); return; }
      if (ev.target.closest && ev.target.closest("a.footnote-ref")) hide();  // a note's popup takes over
    });
    document.addEventListener("focusout", function (ev) {
      var ref = sigil(ev.target);
      if (ref && ref === popFor && !(pop && (pop.contains(ev.relatedTarget) || pop.matches(":hover")))) hide();
    });
    document.addEventListener("mouseover", function (ev) {
      var ref = sigil(ev.target);
      if (ref) {
        if (ref === popFor) { clearTimeout(hideTimer); return; }
        clearTimeout(showTimer);
        showTimer = setTimeout(function () { show(ref); }, 120);  // not for a pointer passing by
        return;
      }
      if (ev.target.closest && ev.target.closest("a.footnote-ref")) hide();
    });
    document.addEventListener("mouseout", function (ev) {
      var ref = sigil(ev.target);
      if (!ref) return;
      clearTimeout(showTimer);
      var to = ev.relatedTarget;
      if (ref === popFor && !(pop && pop.contains(to)) && document.activeElement !== ref) later(hide);
    });
    /* A tap opens the annotation where it is read, rather than jumping to the list. */
    document.addEventListener("pointerdown", function (ev) {
      var ref = sigil(ev.target);
      touched = ref && ev.pointerType !== "mouse" ? ref : null;
      touchedOpen = !!(touched && touched === popFor && pop && !pop.hidden);
      if (!ref && pop && !pop.hidden && !pop.contains(ev.target) && ev.pointerType !== "mouse") hide();
    }, true);
    document.addEventListener("click", function (ev) {
      var ref = sigil(ev.target);
      if (ref && ref === touched) {
        ev.preventDefault();
        ev.stopPropagation();
        if (touchedOpen) { hide(); } else { ref.focus(); show(ref); }
      }
      touched = null;
    }, true);
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && popFor) {
        var back = pop.contains(document.activeElement) ? popFor : null;
        hide();
        if (back) back.focus();
      }
    });
    window.addEventListener("resize", function () { if (popFor) place(popFor); });
    window.addEventListener("hashchange", land);
    land();
  }

  ready(init);
})();
