// Ranks queries as the search box does: Pagefind's own script and index from a built site, then the
// site's own ordering (docs/assets/search-results.js), run in Node without a browser or a server.
// Usage: node tests/search_rank.mjs <site> <queries.json>   (a JSON list of strings)
// Prints a JSON list: for each query, its results in order, each [address, kind, title].
import fs from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const [site, queriesFile] = process.argv.slice(2);
// Pagefind fetches its index chunks; here they are read from the built site's files.
globalThis.fetch = async (url) => new Response(fs.readFileSync(fileURLToPath(String(url).split("?")[0])));
const bundle = pathToFileURL(`${site}/pagefind/`).href;
const pagefind = await import(bundle + "pagefind.js");
const { find } = await import(pathToFileURL(`${site}/assets/search-results.js`).href);
await pagefind.options({ basePath: bundle, baseUrl: "/" });
// The index's further parts, if its records filled more than one (docs/assets/search.js merges them the same way).
for (const part of fs.readdirSync(`${site}/pagefind`).filter((name) => /^part-\d+$/.test(name))) {
  await pagefind.mergeIndex(`${bundle}${part}/`, { baseUrl: "/" });
}
await pagefind.init();
const out = [];
for (const query of JSON.parse(fs.readFileSync(queriesFile, "utf8"))) {
  out.push((await find(pagefind, query)).map((r) => [r.meta.url, r.meta.kind, r.meta.title]));
}
process.stdout.write(JSON.stringify(out));
