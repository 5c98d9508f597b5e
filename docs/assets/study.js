/* study.js: the study page's flashcards, scheduled for review with FSRS (ts-fsrs, assets/vendor/).
 *
 * The cards are JSON in the page (#study-data, made by scripts/edition/study_page.py). Everything a
 * reader does is kept in this browser's localStorage under STORE, one record per card id:
 * the ts-fsrs card (due date, stability, difficulty, state…) and nothing else leaves the page except
 * through "Export progress" (a JSON file the reader saves) and "Import progress".
 *
 * The queue: cards due by now, oldest due first; then new cards in the page's order; then cards due
 * later today (the learning steps). With "Include cards not due yet", every card, soonest first.
 *
 * Keys are handled only while the focus is inside #study, where the page puts it on load; elsewhere
 * Material's own keys apply (F and S open the site search). Our handler stops those keys from reaching
 * Material's, which listens on the document.
 *
 * The first version of the page kept "knew it / again" per glossary term under OLD_STORE; those
 * answers are carried over once, as Good and Again given at the time of the migration.
 */
(function () {
  "use strict";

  var STORE = "edition-study-v2";
  var OLD_STORE = "edition-study-v1";
  var FORMAT = "edition-study-progress";
  var DAY = 86400000;

  var source = document.getElementById("study-data");
  var root = document.getElementById("study");
  if (!source || !root || !window.FSRS) return;
  var F = window.FSRS;
  var data = JSON.parse(source.textContent);
  var byId = {};
  data.cards.forEach(function (c) { byId[c.id] = c; });
  // Fuzz off: the same answers always give the same dates (and the tests can compare them with py-fsrs).
  var scheduler = F.fsrs(F.generatorParameters({ enable_fuzz: false }));

  function el(id) { return document.getElementById(id); }
  var front = el("study-front"), back = el("study-back"), card = el("study-card"), position = el("study-position");
  var flipBtn = el("study-flip"), prevBtn = el("study-prev"), nextBtn = el("study-next");
  var status = el("study-progress"), said = el("study-said");
  var typeSel = el("study-type"), chapterSel = el("study-chapter"), kindSel = el("study-kind"), ahead = el("study-ahead");
  var rateBtns = Array.prototype.slice.call(root.querySelectorAll("[data-rating]"));

  /* -- state ------------------------------------------------------------------------------------- */
  function emptyState() { return { version: 2, cards: {}, current: "", filters: {} }; }

  function validState(s) {
    return s && typeof s === "object" && s.version === 2 && s.cards && typeof s.cards === "object";
  }

  function load() {
    var s = null;
    try { s = JSON.parse(window.localStorage.getItem(STORE) || "null"); } catch (e) { s = null; }
    if (!validState(s)) s = emptyState();
    if (!s.migrated) migrate(s);
    return s;
  }

  /* The first version's answers, carried over: "knew" as Good, "again" as Again (once). */
  function migrate(s) {
    s.migrated = true;
    var old;
    try { old = JSON.parse(window.localStorage.getItem(OLD_STORE) || "null"); } catch (e) { old = null; }
    if (!old || !old.progress) return;
    var now = new Date();
    Object.keys(old.progress).forEach(function (slug) {
      var id = "term:" + slug, mark = old.progress[slug];
      if (!byId[id] || s.cards[id] || (mark !== "knew" && mark !== "again")) return;
      s.cards[id] = store(scheduler.next(F.createEmptyCard(now), now, mark === "knew" ? F.Rating.Good : F.Rating.Again).card);
    });
    if (old.chapter) s.filters.chapter = old.chapter;
    if (old.kind) s.filters.kind = old.kind;
  }

  function store(c) {  // a ts-fsrs card as JSON (dates as ISO strings)
    var out = {};
    Object.keys(c).forEach(function (k) { out[k] = c[k] instanceof Date ? c[k].toISOString() : c[k]; });
    return out;
  }

  function revive(saved) {  // and back
    var c = {};
    Object.keys(saved).forEach(function (k) { c[k] = saved[k]; });
    c.due = new Date(saved.due);
    c.last_review = saved.last_review ? new Date(saved.last_review) : undefined;
    return c;
  }

  var state = load();
  function save() {
    try { window.localStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* storage off: this visit only */ }
  }
  save();

  /* -- the queue ---------------------------------------------------------------------------------- */
  var queue = [], at = 0, flipped = false;

  function endOfToday() { var d = new Date(); d.setHours(23, 59, 59, 999); return d.getTime(); }
  function dueAt(id) { var s = state.cards[id]; return s ? Date.parse(s.due) : null; }

  function selected(c) {
    var f = state.filters;
    return (!f.type || c.type === f.type) && (!f.chapter || c.chapters.indexOf(f.chapter) !== -1) &&
           (!f.kind || c.kind === f.kind);
  }

  function counts(cards) {
    var now = Date.now(), eod = endOfToday(), n = { due: 0, fresh: 0, later: 0 };
    cards.forEach(function (c) {
      var d = dueAt(c.id);
      if (d === null) n.fresh += 1; else if (d <= eod) n.due += 1; else n.later += 1;
    });
    n.now = now;
    return n;
  }

  function buildQueue(keepId) {
    var now = Date.now(), eod = endOfToday();
    var cards = data.cards.filter(selected);
    var due = [], fresh = [], today = [], later = [];
    cards.forEach(function (c) {
      var d = dueAt(c.id);
      if (d === null) fresh.push(c);
      else if (d <= now) due.push(c);
      else if (d <= eod) today.push(c);
      else later.push(c);
    });
    var soonest = function (a, b) { return dueAt(a.id) - dueAt(b.id); };
    due.sort(soonest); today.sort(soonest); later.sort(soonest);
    queue = due.concat(fresh, today, ahead.checked ? later : []);
    at = 0;
    var want = keepId || state.current;
    for (var i = 0; i < queue.length; i++) if (queue[i].id === want) { at = i; break; }
    flipped = false;
    render();
  }

  /* -- showing a card ----------------------------------------------------------------------------- */
  function when(date) {
    var ms = date.getTime() - Date.now();
    if (ms < 3600000) return Math.max(1, Math.round(ms / 60000)) + " min";
    if (ms < DAY) return Math.round(ms / 3600000) + " h";
    var days = Math.round(ms / DAY);
    return days + (days === 1 ? " day" : " days");
  }

  function longDate(iso) {
    return new Date(iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
  }

  function node(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = text;
    return n;
  }

  function html(tag, cls, markup) {  // markup made by the edition from escaped text (study_page.py)
    var n = node(tag, cls);
    n.innerHTML = markup;
    return n;
  }

  var QUESTION = { term: "What does it mean?", chapter: "", quote: "Who is quoted?", claim: "Who holds this view, as the essay presents it?" };

  function render() {
    var n = counts(data.cards.filter(selected));
    status.textContent = "Due today: " + n.due + " · new: " + n.fresh + " · scheduled later: " + n.later + ".";
    front.textContent = "";
    back.textContent = "";
    var c = queue[at];
    flipBtn.disabled = !c;
    prevBtn.disabled = nextBtn.disabled = queue.length < 2;
    if (!c) {
      position.textContent = "No card to study";
      card.removeAttribute("data-status");
      var next = data.cards.filter(selected).map(function (x) { return dueAt(x.id); })
        .filter(function (d) { return d !== null; }).sort(function (a, b) { return a - b; })[0];
      front.appendChild(node("p", "study-empty", next ? "Nothing is due in this selection. The next review is on " +
        longDate(new Date(next).toISOString()) + "." : "No cards in this selection."));
      front.hidden = false; back.hidden = true;
      rateBtns.forEach(function (b) { b.disabled = true; });
      return;
    }
    state.current = c.id;
    save();
    var saved = state.cards[c.id];
    var d = dueAt(c.id);
    var label = saved ? (d <= Date.now() ? "due" : d <= endOfToday() ? "due later today" : "next review " + longDate(saved.due))
                      : "new";
    position.textContent = "Card " + (at + 1) + " of " + queue.length + " · " + data.types[c.type] + " · " + label;
    card.setAttribute("data-status", saved ? (d <= endOfToday() ? "due" : "later") : "new");
    front.appendChild(html("div", "study-question", c.front));
    if (QUESTION[c.type]) front.appendChild(node("p", "study-hint", QUESTION[c.type]));
    back.appendChild(html("div", "study-question", c.front));
    back.appendChild(html("p", "study-answer", c.back));
    var links = node("p", "study-links");
    var a = node("a", "", c.ref ? "¶ " + c.ref + " in " + (data.chapters[c.chapters[0]] || "the essay") : "The glossary entry");
    a.href = c.link;
    links.appendChild(a);
    if (c.entry && c.ref) {
      links.appendChild(document.createTextNode(" · "));
      var e = node("a", "", "the glossary entry");
      e.href = c.entry;
      links.appendChild(e);
    }
    back.appendChild(links);
    front.hidden = flipped;
    back.hidden = !flipped;
    flipBtn.setAttribute("aria-pressed", String(flipped));
    flipBtn.textContent = flipped ? "Show question" : "Show answer";
    var options = flipped ? scheduler.repeat(saved ? revive(saved) : F.createEmptyCard(new Date()), new Date()) : null;
    rateBtns.forEach(function (b) {
      var r = Number(b.getAttribute("data-rating"));
      b.disabled = !flipped;
      var name = b.getAttribute("data-name") || b.textContent;
      b.setAttribute("data-name", name);
      b.textContent = options ? name + " · " + when(options[r].card.due) : name;
    });
  }

  /* -- actions ------------------------------------------------------------------------------------ */
  function flip() { if (queue[at]) { flipped = !flipped; render(); } }

  function move(step) {
    if (queue.length < 2) return;
    at = (at + step + queue.length) % queue.length;
    flipped = false;
    render();
  }

  function rate(r) {
    var c = queue[at];
    if (!c || !flipped) return;
    var now = new Date();
    var saved = state.cards[c.id];
    var result = scheduler.next(saved ? revive(saved) : F.createEmptyCard(now), now, r).card;
    state.cards[c.id] = store(result);
    said.textContent = "Next review of that card: " + (result.due.getTime() <= endOfToday()
      ? "in " + when(result.due) + "." : longDate(result.due.toISOString()) + " (in " + when(result.due) + ").");
    var next = queue[at + 1] ? queue[at + 1].id : "";
    state.current = next;
    save();
    buildQueue(next);
    if (document.activeElement && document.activeElement.disabled) card.focus();  // the rating buttons reset
  }

  /* -- export, import, reset ---------------------------------------------------------------------- */
  function exportState() {
    var payload = { format: FORMAT, exported: new Date().toISOString(), state: state };
    var blob = new Blob([JSON.stringify(payload, null, 1)], { type: "application/json" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "study-progress-" + new Date().toISOString().slice(0, 10) + ".json";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    said.textContent = "Progress exported: " + Object.keys(state.cards).length + " cards with a schedule.";
  }

  function importText(text) {
    var payload;
    try { payload = JSON.parse(text); } catch (e) { payload = null; }
    if (!payload || payload.format !== FORMAT || !validState(payload.state)) {
      said.textContent = "That file is not an export of this page’s progress; nothing was changed.";
      return;
    }
    var next = emptyState();
    next.migrated = true;
    Object.keys(payload.state.cards).forEach(function (id) {
      var s = payload.state.cards[id];
      if (byId[id] && s && !isNaN(Date.parse(s.due)) && typeof s.stability === "number") next.cards[id] = s;
    });
    next.filters = payload.state.filters || {};
    next.current = typeof payload.state.current === "string" ? payload.state.current : "";
    state = next;
    save();
    applyFilters();
    buildQueue();
    said.textContent = "Progress imported: " + Object.keys(state.cards).length + " cards with a schedule.";
  }

  function applyFilters() {
    typeSel.value = state.filters.type || "";
    chapterSel.value = state.filters.chapter || "";
    kindSel.value = state.filters.kind || "";
    ahead.checked = !!state.filters.ahead;
  }

  flipBtn.addEventListener("click", flip);
  rateBtns.forEach(function (b) {
    b.addEventListener("click", function () { rate(Number(b.getAttribute("data-rating"))); });
  });
  prevBtn.addEventListener("click", function () { move(-1); });
  nextBtn.addEventListener("click", function () { move(1); });
  el("study-export").addEventListener("click", exportState);
  var file = el("study-import-file");
  el("study-import").addEventListener("click", function () { file.click(); });
  file.addEventListener("change", function () {
    if (!file.files || !file.files[0]) return;
    file.files[0].text().then(importText);
    file.value = "";
  });
  el("study-reset").addEventListener("click", function () {
    if (!window.confirm("Forget every card’s schedule in this browser?")) return;
    state = emptyState();
    state.migrated = true;
    save();
    applyFilters();
    buildQueue();
  });
  [typeSel, chapterSel, kindSel, ahead].forEach(function (control) {
    control.addEventListener("change", function () {
      state.filters = { type: typeSel.value, chapter: chapterSel.value, kind: kindSel.value, ahead: ahead.checked };
      save();
      buildQueue();
    });
  });
  card.addEventListener("click", function (ev) { if (!ev.target.closest("a")) card.focus(); });

  root.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var tag = ev.target.tagName;
    if (tag === "SELECT" || tag === "INPUT" || tag === "TEXTAREA" || tag === "SUMMARY") return;
    var key = ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
    if (key === " " && (tag === "BUTTON" || tag === "A")) return;  // Space presses the focused button
    var actions = {
      f: flip, " ": flip, ArrowLeft: function () { move(-1); }, ArrowRight: function () { move(1); },
      1: function () { rate(1); }, a: function () { rate(1); }, 2: function () { rate(2); },
      3: function () { rate(3); }, k: function () { rate(3); }, 4: function () { rate(4); }
    };
    if (actions[key]) {
      ev.preventDefault();
      ev.stopPropagation();  // Material's shortcuts (f, s: search) stay out of the flashcards
      actions[key]();
      if (!root.contains(document.activeElement) || document.activeElement.disabled) card.focus();
    }
  });

  applyFilters();
  root.hidden = false;
  buildQueue();
  // The page is for studying: the focus starts on the card (issue: the deck took 25 Tab presses to reach),
  // unless the address names another place on the page.
  if (!location.hash) card.focus({ preventScroll: true });
})();
