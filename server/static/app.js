// cosos progressive enhancement: every page works without this file.
(function () {
  "use strict";

  // Example prompts and challenge suggestions are links that prefill via the query string;
  // with JS they fill the field in place and keep whatever else the founder typed.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-fill]");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("data-fill"));
    if (!field) return;
    event.preventDefault();
    field.value = link.getAttribute("data-text");
    var goal = link.getAttribute("data-goal");
    if (goal) {
      var radio = document.querySelector('input[name="goal"][value="' + goal + '"]');
      if (radio) radio.checked = true;
    }
    field.focus();
  });

  // Only show the challenge suggestions for the chosen goal.
  function filterSuggestions() {
    var chosen = document.querySelector('input[name="goal"]:checked');
    document.querySelectorAll(".suggestion-group").forEach(function (group) {
      group.hidden = !!chosen && group.getAttribute("data-goal") !== chosen.value;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.name === "goal") filterSuggestions();
  });
  filterSuggestions();

  // Generate: show real progress while the JSON API builds and stores the artifact.
  var form = document.getElementById("generate-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      var data = new FormData(form);
      var prompt = String(data.get("prompt") || "").trim();
      if (!prompt) return;
      event.preventDefault();
      var loading = document.getElementById("loading");
      var status = document.getElementById("loading-status");
      document.getElementById("prompt-step").hidden = true;
      loading.hidden = false;
      var step = function (name, state) {
        var li = loading.querySelector('[data-step="' + name + '"]');
        li.className = state;
        if (state === "done") status.textContent = li.textContent + ": done";
      };
      step("understand", "active");
      var context = {};
      ["stage", "goal", "challenge"].forEach(function (k) {
        var v = String(data.get(k) || "").trim();
        if (v) context[k] = v;
      });
      fetch("/api/v1/artifacts/generate", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify({ prompt: prompt, context: context })
      }).then(function (res) {
        // The response head means the prompt was understood and the numbers computed.
        if (res.status !== 201) throw new Error("status " + res.status);
        step("understand", "done");
        step("compute", "done");
        step("save", "active");
        return res.json();
      }).then(function (artifact) {
        step("save", "done");
        window.location.assign("/artifacts/" + encodeURIComponent(artifact.id));
      }).catch(function () {
        // Let the server render the reason (e.g. no kind fits) with the text kept.
        status.textContent = "Checking your prompt…";
        form.submit();
      });
    });
  }

  // Next actions: save each tick as it happens.
  var actions = document.getElementById("actions-form");
  if (actions) {
    actions.querySelectorAll("[data-js-hide]").forEach(function (b) { b.hidden = true; });
    var note = document.getElementById("actions-status");
    actions.addEventListener("change", function (event) {
      var box = event.target;
      if (box.type !== "checkbox") return;
      fetch("/api/v1/artifacts/" + encodeURIComponent(actions.getAttribute("data-artifact")), {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ next_actions: [{ index: Number(box.getAttribute("data-index")), done: box.checked }] })
      }).then(function (res) {
        note.textContent = res.ok ? "Saved." : "Could not save; try again.";
        if (!res.ok) box.checked = !box.checked;
      }).catch(function () {
        note.textContent = "Could not save; check that cosos is running.";
        box.checked = !box.checked;
      });
    });
  }
})();
