// Tables on a narrow screen. Where the browser knows German hyphenation (lang="de", extra.css) long words are
// hyphenated and a table fits; a table that is still wider than its place may then break long words anywhere
// (extra.css, [data-umbruch]): first in its data cells, then in its header cells too. Tables that fit keep every
// word whole; without JavaScript a wide table scrolls sideways in its own box, never the page.
(function () {
  function tooWide(table) {
    var box = table.closest(".md-typeset__scrollwrap");
    return box ? box.scrollWidth > box.clientWidth + 1 : table.scrollWidth > table.clientWidth + 1;
  }
  function mark(table, selector) {
    table.querySelectorAll(selector).forEach(function (cell) { cell.setAttribute("data-umbruch", ""); });
  }
  function fit() {
    var tables = Array.prototype.slice.call(document.querySelectorAll(".md-typeset table"));
    tables.forEach(function (table) {
      table.querySelectorAll("[data-umbruch]").forEach(function (cell) { cell.removeAttribute("data-umbruch"); });
    });
    ["td", "th"].forEach(function (selector) {
      tables.filter(tooWide).forEach(function (table) { mark(table, selector); });
    });
  }
  var pending = false;
  function start() {
    fit();
    var width = window.innerWidth;
    window.addEventListener("resize", function () {
      if (window.innerWidth === width || pending) return;
      width = window.innerWidth;
      pending = true;
      requestAnimationFrame(function () { pending = false; fit(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
