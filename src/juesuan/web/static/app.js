// juesuan 决算工作台: the CSRF token on every htmx request, and landing on a finding's place
// (a box on a page image, a table cell, a sentence) when a link points at it.
(function () {
  "use strict";

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrf();
  });

  function land() {
    if (!location.hash) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) {
      return;
    }
    document.querySelectorAll(".landed").forEach(function (el) {
      el.classList.remove("landed");
    });
    target.classList.add("landed");
    target.scrollIntoView({ block: "center", inline: "nearest" });
    // a box on a page image: its finding in the list is marked too
    var box = /^box-(\d+)$/.exec(target.id);
    var item = box ? document.getElementById("f" + box[1]) : null;
    if (item) {
      item.classList.add("landed");
    }
  }

  window.addEventListener("hashchange", land);
  document.addEventListener("DOMContentLoaded", land);

  // a finding opened from its box: show it in the list (the list scrolls, not the page)
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-finding]") : null;
    if (!link) {
      return;
    }
    var item = document.getElementById("f" + link.getAttribute("data-finding"));
    if (item) {
      event.preventDefault();
      document.querySelectorAll(".landed").forEach(function (el) {
        el.classList.remove("landed");
      });
      item.classList.add("landed");
      item.scrollIntoView({ block: "nearest" });
    }
  });
})();
