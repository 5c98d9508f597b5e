// A second citation formatter, as a cross-check of citeproc-py: citeproc-js (npm "citeproc").
//
// Reads one JSON request on stdin and writes one JSON answer on stdout; makes no request of any
// kind (the style and the locale are files the caller names, from installed packages).
//
// Request:
//   { "style": "<path of a CSL style>", "locale": "<path of a CSL locale, en-US>",
//     "sets": { "<name>": [CSL-JSON items] },           // item sets: e.g. with and without pages
//     "jobs": [ { "id": "…", "set": "<name>", "kind": "note" | "bibliography",
//                 "cites": [ {"id": "<key>", "locator": "12", "label": "page"}, … ] } ] }
//   A "note" job cites each entry of cites in its own note (note 1, 2, …) and answers with the text
//   of the last one, so an earlier citation of the same work gives the short ("subsequent") form.
//   A "bibliography" job answers with the entry of the one key in cites.
// Answer: { "<job id>": "<html>", … }, or { "error": "…" } with exit status 1.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const CSL = require("citeproc");

function engineFor(styleXml, localeXml, items) {
  const byId = new Map(items.map((item) => [item.id, item]));
  const sys = {
    retrieveLocale: () => localeXml,
    retrieveItem: (id) => {
      if (!byId.has(id)) throw new Error(`no item ${id}`);
      return JSON.parse(JSON.stringify(byId.get(id)));
    },
  };
  return new CSL.Engine(sys, styleXml, "en-US", true);
}

function note(engine, cites) {
  engine.restoreProcessorState([]);
  let last = "";
  cites.forEach((cite, index) => {
    const item = { id: cite.id };
    if (cite.locator) {
      item.locator = cite.locator;
      item.label = cite.label || "page";
    }
    const citation = { citationItems: [item], properties: { noteIndex: index + 1 } };
    const changed = engine.appendCitationCluster(citation);
    for (const [position, html] of changed) {
      if (position === index) last = html;
    }
  });
  return last;
}

function bibliography(engine, cites) {
  engine.restoreProcessorState([]);
  engine.updateItems([cites[0].id]);
  const [, entries] = engine.makeBibliography();
  return entries.join("").trim();
}

try {
  const request = JSON.parse(readFileSync(0, "utf-8"));
  const styleXml = readFileSync(request.style, "utf-8");
  const localeXml = readFileSync(request.locale, "utf-8");
  const engines = {};
  const answer = {};
  for (const job of request.jobs) {
    engines[job.set] ??= engineFor(styleXml, localeXml, request.sets[job.set]);
    const engine = engines[job.set];
    answer[job.id] = job.kind === "bibliography" ? bibliography(engine, job.cites) : note(engine, job.cites);
  }
  process.stdout.write(JSON.stringify(answer));
} catch (error) {
  process.stdout.write(JSON.stringify({ error: String(error && error.stack || error) }));
  process.exit(1);
}
