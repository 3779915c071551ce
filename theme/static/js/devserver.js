/*
 * Only in `make devserver` builds: reload the page when a new build is in, and show the
 * build's problems on the page while there are any. Asks the dev server once a second.
 */
(function () {
  "use strict";
  var seen = null;
  var panel = null;

  function show(problems) {
    if (!problems.length) {
      if (panel) panel.remove();
      panel = null;
      return;
    }
    if (!panel) {
      panel = document.createElement("section");
      panel.className = "devserver-problems";
      panel.setAttribute("role", "alert");
      document.body.prepend(panel);
    }
    panel.replaceChildren();
    var heading = document.createElement("h2");
    heading.textContent = "Build problems (the page shows the last good build)";
    var list = document.createElement("ul");
    problems.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.append(item);
    });
    panel.append(heading, list);
  }

  function poll() {
    fetch("/__devserver__.json", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (seen !== null && status.build !== seen && status.ok) {
          window.location.reload();
          return;
        }
        seen = status.build;
        show(status.problems.filter(function (line) { return line.indexOf(": error: ") > 0 || line.indexOf("Build failed") === 0; }));
      })
      .catch(function () { /* the server is restarting: try again */ })
      .finally(function () { window.setTimeout(poll, 1000); });
  }
  poll();
})();
