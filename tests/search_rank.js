// Ranks queries with Material's own search worker (from a built site) in Node, as the browser would.
// Usage: node tests/search_rank.js <site> <queries.json>   (a JSON list of strings)
// Prints a JSON list: for each query, its result groups (one list of locations per page, best first).
const fs = require("fs");
const [site, queriesFile] = process.argv.slice(2);
const dir = `${site}/assets/javascripts/workers`;
const worker = fs.readdirSync(dir).find(f => /^search\..*\.min\.js$/.test(f));
let handler = null;
const out = [];
Object.assign(globalThis, {
  self: globalThis, addEventListener: (_, h) => { handler = h; }, postMessage: m => out.push(m),
  importScripts: () => {}, location: { href: "http://127.0.0.1/" },
});
(0, eval)(fs.readFileSync(`${dir}/${worker}`, "utf8"));
const index = JSON.parse(fs.readFileSync(`${site}/search/search_index.json`, "utf8"));
(async () => {
  await handler({ data: { type: 0, data: { config: index.config, docs: index.docs, options: { suggest: false } } } });
  const results = [];
  for (const query of JSON.parse(fs.readFileSync(queriesFile, "utf8"))) {
    out.length = 0;
    await handler({ data: { type: 2, data: query } });
    const found = out.find(m => m.type === 3);
    results.push(((found && found.data.items) || []).slice(0, 10).map(group => {
      const article = group.find(d => !d.location.includes("#")) || group[0];
      return [article, ...group.filter(d => d !== article).sort((a, b) => b.score - a.score)].map(d => d.location);
    }));
  }
  process.stdout.write(JSON.stringify(results));
})();
