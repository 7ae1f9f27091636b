// `commons serve` adds this script to every page it serves: it waits for
// a build that changes this page, then reloads it, or for a build's
// problems, and shows them over the page. Plain ES5, no dependencies,
// loaded from the same origin.
(function () {
  "use strict";
  // The build the page was served from, written into this script's address.
  var own = document.currentScript ? document.currentScript.src : "";
  var match = /[?&]since=(\d+)/.exec(own);
  var known = match ? Number(match[1]) : null;
  // Which file of the site this page shows, as the server wrote it.
  var shows = /[?&]page=([^&]*)/.exec(own);
  var page = shows ? "&page=" + shows[1] : "";
  var panel = null;
  function show(problems) {
    if (!problems) {
      if (panel) { panel.remove(); panel = null; }
      return;
    }
    if (!panel) {
      panel = document.createElement("div");
      panel.setAttribute("role", "alert");
      panel.id = "commons-build-problems";
      var s = panel.style;
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0";
      s.maxHeight = "60vh"; s.overflow = "auto"; s.zIndex = "2147483647";
      s.background = "#fff4f4"; s.color = "#5c0000"; s.borderTop = "3px solid #b00020";
      s.padding = "0.75rem 1rem"; s.font = "14px/1.4 monospace";
      document.body.appendChild(panel);
    }
    panel.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "The build failed";
    var text = document.createElement("pre");
    text.style.whiteSpace = "pre-wrap";
    text.style.margin = "0.5rem 0 0";
    text.textContent = problems;
    panel.appendChild(title);
    panel.appendChild(text);
  }
  window.__commonsLive = function (state) {
    if (state.reload) {
      location.reload();
      return;
    }
    known = state.generation;
    show(state.problems);
    setTimeout(ask, 0);
  };
  function ask() {
    var script = document.createElement("script");
    script.src = "/__commons/wait.js?since=" + (known === null ? "" : known) + page +
      "&t=" + Date.now();
    script.onload = function () { script.remove(); };
    script.onerror = function () { script.remove(); setTimeout(ask, 1000); };
    document.head.appendChild(script);
  }
  // Asking only after the page has loaded: a pending script would hold
  // the page's load event, and its spinner, for the whole long poll.
  if (document.readyState === "complete") {
    ask();
  } else {
    window.addEventListener("load", ask);
  }
})();
