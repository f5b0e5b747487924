// Site search with Pagefind: a search box in the header, results in a panel below it.
// The index is built at build time into /pagefind/ and loaded from this site only, in small chunks per query.
(function () {
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
