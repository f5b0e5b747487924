// Site search with Pagefind: a search box in the header, results in a panel below it.
// The index is built at build time into /pagefind/ and loaded from this site only, in small chunks per query.
(function () {
  // This script's address: the search module with this site's preload (suche/pagefind.js) lies beside it.
  var here = document.currentScript ? document.currentScript.src : "";
  var bundle = /suche\.js(\?.*)?$/.test(here) ? here.replace(/suche\.js(\?.*)?$/, "suche/") : undefined;
  // Words that stand in nearly every German text. In a query of several words they are left out: each would load
  // the positions of every document that has it (hundreds of kB at 10,000 records) and narrows nothing. A query
  // of such words only, or a phrase in quotes, is searched as typed.
  var COMMON = new Set(("der die das den dem des ein eine einer eines einem einen und oder aber zu zur zum " +
    "im in am an auf aus bei mit nach von vom vor für über unter um durch bis ist sind war wird werden wurde " +
    "wurden hat haben nicht als auch es sich so wie dass daß sowie").split(" "));
  function processTerm(term) {
    if (term.indexOf('"') >= 0) return term;
    var words = term.split(/\s+/).filter(Boolean);
    var kept = words.filter(function (word) { return !COMMON.has(word.toLowerCase()); });
    return kept.length ? kept.join(" ") : term;
  }
  window.suche = { processTerm: processTerm };  // for the browser tests
  function start() {
    var header = document.querySelector(".md-header__inner");
    if (!header || typeof PagefindUI === "undefined") return;
    var box = document.createElement("div");
    box.className = "suche";
    box.id = "suche";
    box.setAttribute("role", "search");
    box.setAttribute("aria-label", "Diese Website durchsuchen");
    header.appendChild(box);
    new PagefindUI({
      element: "#suche",
      bundlePath: bundle,
      showSubResults: true,
      showImages: false,
      resetStyles: false,
      pageSize: 8,
      debounceTimeoutMs: 50,
      translations: { placeholder: "Suchen" },
      // An organisation's page carries its name as the metadata field "organisation" (main.html). A search for
      // the name boosts that page by this factor (titles have 5), so it comes before the papers and sessions that
      // name the organisation in their titles. The field only ranks: it is not shown in the result.
      ranking: { metaWeights: { organisation: 5 } },
      processTerm: processTerm,
      processResult: function (result) {
        if (result.meta) delete result.meta.organisation;
        return result;
      },
    });
    // Load the search engine when the box gets the focus, not with the first letter typed.
    var ui = document.querySelector('script[src*="pagefind/pagefind-ui.js"]');
    box.addEventListener("focusin", function preload() {
      box.removeEventListener("focusin", preload);
      if (ui) import(ui.src.replace("pagefind-ui.js", "pagefind.js")).then(function (pagefind) {
        if (pagefind.init) pagefind.init();
      }).catch(function () {});
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
