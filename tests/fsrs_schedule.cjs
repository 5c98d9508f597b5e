// The study page's scheduler, run outside the browser: the committed ts-fsrs build
// (docs/assets/vendor/ts-fsrs.umd.js) with the same settings as docs/assets/study.js.
//
// Reads one JSON request on stdin: { "start": "<ISO time>", "ratings": [3, 1, 3, …],
// "late_hours": 0 } and writes the card after each answer: [{ "due": "<ISO>", "stability": …,
// "difficulty": …, "state": n, "scheduled_days": n }, …]. Each answer is given when the card is due
// (plus late_hours). No request of any kind.
"use strict";
const path = require("node:path");
const FSRS = require(path.join(__dirname, "..", "docs", "assets", "vendor", "ts-fsrs.umd.js"));

const input = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
const scheduler = FSRS.fsrs(FSRS.generatorParameters({ enable_fuzz: false }));
let now = new Date(input.start);
let card = FSRS.createEmptyCard(now);
const out = [];
for (const rating of input.ratings) {
  card = scheduler.next(card, now, rating).card;
  out.push({ due: card.due.toISOString(), stability: card.stability, difficulty: card.difficulty,
             state: card.state, scheduled_days: card.scheduled_days });
  now = new Date(card.due.getTime() + (input.late_hours || 0) * 3600e3);
}
process.stdout.write(JSON.stringify(out));
