/*
 * The city report editor (reports/templates/reports/report_form.html) and its add page.
 *
 * Without this script the editor is a plain form with a Save button, and everything works. With
 * it:
 * - the error summary (if any) takes the focus, so that it is read out and seen first, and its
 *   links put the focus in their field;
 * - each topic picker shows the chosen topics in its one-line summary as they are ticked;
 * - the whole form is saved to data-autosave-url as the person types. The form carries, for each
 *   part, what the page showed; the server merges part by part, answers with the new "seen"
 *   values, or 409 when somebody else changed the same part, and then the Compare button posts
 *   the form normally to show both versions with a choice. Failed requests are retried with a
 *   growing delay and by Retry; leaving the page while anything is unsaved asks first, and what
 *   is unsaved is kept in localStorage and saved on the next visit.
 */
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    // A link of the summary puts the focus in its field (a fragment link alone only scrolls), with
    // the field's label in view.
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) {
        return;
      }
      event.preventDefault();
      var picker = field.closest("details");
      if (picker) {
        picker.open = true;
      }
      var label = field.closest(".mb-3, .conclusion, fieldset") || field;
      label.scrollIntoView();
      field.focus({preventScroll: true});
    });
  }

  var form = document.getElementById("report-form") || document.getElementById("conclusion-form");
  if (!form) {
    return;
  }

  function text(name, values) {
    var result = form.dataset["text" + name] || "";
    Object.keys(values || {}).forEach(function (key) {
      result = result.split("{" + key + "}").join(String(values[key]));
    });
    return result;
  }

  // --- topic pickers -------------------------------------------------------------------------

  function showChosen(picker) {
    var chosen = picker.querySelector("[data-topic-chosen]");
    var names = [];
    picker.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      names.push(box.labels[0].textContent.trim());
    });
    chosen.replaceChildren();
    if (!names.length) {
      chosen.textContent = chosen.dataset.none;
    }
    names.forEach(function (name) {
      var badge = document.createElement("span");
      badge.className = "badge text-bg-light border";
      badge.textContent = name;
      chosen.append(badge, " ");
    });
  }

  form.addEventListener("change", function (event) {
    var picker = event.target.closest("[data-topic-picker]");
    if (picker) {
      showChosen(picker);
    }
  });

  // --- autosave ------------------------------------------------------------------------------

  var url = form.dataset.autosaveUrl;
  if (!url || !window.fetch || !window.URLSearchParams || document.getElementById("conflicts")) {
    return;  // the conflict screen is saved with its choices, by the Save button
  }
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var statusEl = document.getElementById("autosave-status");
  var retryButton = document.getElementById("autosave-retry");
  var TYPING_DELAY = 800;
  var MAX_RETRY_DELAY = 30000;

  var dirty = false;      // changed since the last request was sent
  var inFlight = false;
  var blocked = false;    // a conflict: no more autosaves until the person compares and chooses
  var submitting = false;
  var timer = null;
  var retryTimer = null;
  var retryDelay = 0;

  function show(state, message) {
    statusEl.dataset.state = state;
    statusEl.textContent = message;
    retryButton.hidden = state !== "error";
  }

  // --- keeping unsaved changes across a reload or a closed tab --------------------------------
  // The whole form (with what it had seen) is kept in localStorage until the server has it; on the
  // next visit it is put back and saved, and the server's merge decides as for any other save.
  // Kept per person: on a shared computer, the next person never sends it under their name.

  var storageKey = "mega-benchmark:report:" + url + ":user:" + form.dataset.user;

  function persist() {
    try {
      if (dirty || inFlight) {
        window.localStorage.setItem(storageKey, JSON.stringify({at: Date.now(), fields: Array.from(body())}));
      } else {
        window.localStorage.removeItem(storageKey);
      }
    } catch (error) {
      // Storage disabled or full: the changes are still held by the page and retried.
    }
  }

  function conclusionIds(pairs) {
    return pairs.filter(function (pair) {
      return /-id$/.test(pair[0]);
    }).map(function (pair) {
      return pair.join("=");
    }).join("&");
  }

  function restore() {
    var stored = null;
    try {
      stored = JSON.parse(window.localStorage.getItem(storageKey) || "null");
    } catch (error) {
      stored = null;
    }
    if (!stored || !Array.isArray(stored.fields)) {
      return false;
    }
    var fields = stored.fields.filter(function (pair) {
      return Array.isArray(pair) && typeof pair[0] === "string" && typeof pair[1] === "string";
    });
    var sameConclusions = conclusionIds(fields) === conclusionIds(Array.from(body()));
    if (!sameConclusions) {
      // The conclusions changed since (added or removed): put back only the two texts.
      fields = fields.filter(function (pair) {
        return /^(seen_)?(national_context|city_observations)$/.test(pair[0]);
      });
    }
    var values = {};
    fields.forEach(function (pair) {
      (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
    });
    var changedAny = false;
    Object.keys(values).forEach(function (name) {
      form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
        if (input.type === "checkbox") {
          return;
        }
        if (input.value !== values[name][0]) {
          input.value = values[name][0];
          changedAny = true;
        }
      });
    });
    form.querySelectorAll("[data-topic-picker]").forEach(function (picker) {
      if (!sameConclusions) {
        return;
      }
      picker.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        var checked = (values[box.name] || []).indexOf(box.value) !== -1;
        if (box.checked !== checked) {
          box.checked = checked;
          changedAny = true;
        }
      });
      showChosen(picker);
    });
    return changedAny;
  }

  function body() {
    var data = new URLSearchParams(new FormData(form));
    data.delete("then");
    return data;
  }

  function save() {
    window.clearTimeout(timer);
    if (inFlight || blocked || submitting || !dirty) {
      return;
    }
    dirty = false;
    inFlight = true;
    persist();
    show("saving", text("Saving"));
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": csrf},
      body: body()
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected) {
        return {status: 0, message: text("SignedOut")};
      }
      if (type.indexOf("application/json") === -1) {
        return {status: response.status, message: response.status === 403 ? text("Forbidden") : text("Server", {status: response.status})};
      }
      return response.json().then(function (reply) {
        reply.status = response.status;
        return reply;
      });
    }).then(received, function () {
      received({status: -1, message: text("Offline")});
    });
  }

  function received(reply) {
    inFlight = false;
    if (reply.status === 200) {
      retryDelay = 0;
      Object.keys(reply.seen || {}).forEach(function (name) {
        var input = form.querySelector('input[name="' + name + '"]');
        if (input) {
          input.value = reply.seen[name];
        }
      });
      persist();
      var kept = reply.kept_theirs || [];
      show("saved", kept.length ? text("Saved") + " · " + kept.join("; ") + " ↻" : text("Saved"));
      if (dirty) {
        save();
      }
      return;
    }
    dirty = true;
    persist();
    if (reply.status === 409) {
      blocked = true;
      show("conflict", reply.message);
      retryButton.textContent = retryButton.dataset.compare;
      retryButton.hidden = false;
      return;
    }
    if (reply.status === 400) {
      show("invalid", text("Error", {message: reply.message}));
      return;  // the next change tries again
    }
    show("error", text("Error", {message: reply.message || text("Server", {status: reply.status})}));
    if (reply.status === -1 || reply.status >= 500) {
      retryDelay = Math.min(MAX_RETRY_DELAY, retryDelay ? retryDelay * 2 : 1000);
      window.clearTimeout(retryTimer);
      retryTimer = window.setTimeout(save, retryDelay);
    }
  }

  function changed(now) {
    dirty = true;
    persist();
    if (blocked) {
      return;
    }
    show("pending", text("Saving"));
    window.clearTimeout(timer);
    timer = window.setTimeout(save, now ? 0 : TYPING_DELAY);
  }

  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") {
      changed(false);
    }
  });
  form.addEventListener("change", function (event) {
    if (event.target.tagName === "INPUT") {
      changed(true);
    }
  });
  form.addEventListener("submit", function () {
    submitting = true;
    try {
      window.localStorage.removeItem(storageKey);  // the server has the form now, and shows it back if need be
    } catch (error) {
      // nothing kept, nothing to forget
    }
  });
  retryButton.addEventListener("click", function () {
    if (blocked) {
      submitting = true;
      form.requestSubmit();  // the server shows both versions with a choice, keeping the form
      return;
    }
    window.clearTimeout(retryTimer);
    dirty = true;
    save();
  });
  window.addEventListener("online", function () {
    if (dirty && !blocked) {
      save();
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && (dirty || inFlight)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  show("idle", text("Idle"));
  if (restore()) {
    dirty = true;
    save();
    show("saving", text("Restored"));
  } else {
    persist();  // nothing to put back: forget what was kept
  }
}());
