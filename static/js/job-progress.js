// A job's page follows its job: every 1.5 s it asks /jobs/<id>/status.json, shows the stage
// and the progress, and reloads once the job is finished so the page shows the result or
// the reason it failed. Without JavaScript the page's "refresh it" link does the same.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url]");
  if (!box || box.getAttribute("data-job-finished") === "1") {
    return;
  }
  var url = box.getAttribute("data-job-status-url");
  var INTERVAL = 1500;

  function part(name) {
    return box.querySelector('[data-job="' + name + '"]');
  }

  function show(data) {
    var status = part("status");
    if (status) {
      status.textContent = data.status_words;
    }
    var label = part("label");
    if (label && data.label) {
      label.textContent = data.label;
    }
    var bar = part("bar");
    if (bar && data.total) {
      bar.max = data.total;
      bar.value = data.done;
      bar.textContent = (data.percent || 0) + "%";
    }
    var count = part("count");
    if (count) {
      // In words from the server ("3 of 10" in the reader's language): scripts carry none.
      count.textContent = data.count_words || "";
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (data.finished) {
          window.location.reload();
          return;
        }
        show(data);
        window.setTimeout(poll, INTERVAL);
      })
      .catch(function () {
        // A network hiccup or a restarting server: ask again, less often.
        window.setTimeout(poll, INTERVAL * 4);
      });
  }

  var note = part("refresh-note");
  if (note && note.getAttribute("data-following")) {
    note.textContent = note.getAttribute("data-following");
  }
  window.setTimeout(poll, INTERVAL);
})();
