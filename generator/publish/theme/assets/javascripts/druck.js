// On paper a link cannot be followed: links to other websites and to files (PDF, JSON …) carry their full address
// in data-adresse, which druck.css prints after the link text. Links to pages of this site are named by their
// text (a record's title) and stay as they are, so tables do not fill with addresses.
(function () {
  function start() {
    document.querySelectorAll(".md-content a[href]").forEach(function (link) {
      if (link.closest(".headerlink, .link-kopieren, .zitieren")) return;
      var url;
      try { url = new URL(link.getAttribute("href"), location.href); } catch (e) { return; }
      if (url.protocol !== "http:" && url.protocol !== "https:") return;
      var elsewhere = url.origin !== location.origin;
      var file = /\.[a-z0-9]{2,5}$/i.test(url.pathname) && !/\.html?$/i.test(url.pathname);
      if (elsewhere || file) link.setAttribute("data-adresse", url.href);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
