// "Link kopieren" copies the full address of a goal, party, event or agenda item; without JavaScript it is a
// plain link to that place. The citation box gets the page's full address and today's date.
(function () {
  function start() {
    var page = location.origin + location.pathname;
    document.querySelectorAll(".zitat-adresse").forEach(function (el) { el.textContent = page; });
    var today = new Date().toLocaleDateString("de-DE", { day: "numeric", month: "long", year: "numeric" });
    document.querySelectorAll(".zitat-abruf").forEach(function (el) { el.textContent = today; });
    document.querySelectorAll("a.link-kopieren").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (!navigator.clipboard) return;  // the link still jumps to the place; the address bar has the URL
        event.preventDefault();
        navigator.clipboard.writeText(page + link.getAttribute("href")).then(function () {
          link.textContent = "Kopiert";
          setTimeout(function () { link.textContent = "Link kopieren"; }, 2000);
        }, function () { location.hash = link.getAttribute("href"); });
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
