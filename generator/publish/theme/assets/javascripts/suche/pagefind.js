// Pagefind's search module as the search box (suche.js) loads it: everything as Pagefind has it, except preload().
// While a person types, Pagefind's UI preloads the index chunks of the query as typed, before processTerm() has
// left out the words that stand in every German text: "Schätzung der Verwaltung" loaded the positions of "der" in
// every page (370 kB at 10,000 records) although the search itself never looks them up. Here preload() gets the
// query as it will be searched.
import * as pagefind from "../../../pagefind/pagefind.js";

export * from "../../../pagefind/pagefind.js";

export function preload(term, options) {
  var shorten = window.suche && window.suche.processTerm;
  return pagefind.preload(shorten && typeof term === "string" ? shorten(term) : term, options);
}
