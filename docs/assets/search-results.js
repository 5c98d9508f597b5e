/* The order of the search box's results, shared by the page (assets/search.js imports this module on
   the first search, with Pagefind) and the ranking test (tests/search_rank.mjs runs it in Node on the
   built index): one piece of code decides what a reader sees first.

   Pagefind ranks the records the build wrote (scripts/edition/search.py): the essay's paragraphs, the
   author's notes and headings, and the glossary's entries. A glossary entry whose name or definition
   shares some words of a phrase can outrank the paragraph the phrase comes from ("new Kondratieff
   waves": the entry "Kondratieff wave"); so an entry never comes before the essay's best passage, and an
   entry whose name or alias is what was typed comes first. */

/** What a reader typed, compared as words: "Knowledge  elite" is "knowledge elite". */
function words(text) {
  return String(text).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/** An entry whose name or alias is exactly the query. */
export function namedBy(result, query) {
  const names = (result.meta && result.meta.names) || "";
  return names.split(" | ").some((name) => words(name) === words(query));
}

/** Pagefind's results (their data) in the order shown: an entry named by the query first (as the search
    box's reference lookup does, from passages.json); then no entry before the essay's best passage. */
export function order(results, query) {
  const named = results.filter((r) => r.meta.kind === "term" && namedBy(r, query));
  const rest = results.filter((r) => !named.includes(r));
  const firstEssay = rest.findIndex((r) => r.meta.kind !== "term");
  if (firstEssay <= 0) { return [...named, ...rest]; }
  return [...named, rest[firstEssay], ...rest.slice(0, firstEssay), ...rest.slice(firstEssay + 1)];
}

/** Search with Pagefind (imported and initialised by the caller); at most `limit` results, in order. */
export async function find(pagefind, query, limit = 10) {
  const search = await pagefind.search(query);
  if (!search || !search.results) { return []; }
  // A few more than shown, so that an entry moved down does not push the essay's own passage off the list.
  const data = await Promise.all(search.results.slice(0, limit + 5).map((r) => r.data()));
  return order(data, query).slice(0, limit);
}
