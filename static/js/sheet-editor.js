/*
 * Autosave for the sheet editor (assessments/templates/assessments/sheet_edit.html).
 *
 * Without this script the editor is a plain form with one Save button. With it, each cell
 * (statement × respondent) is sent to the form's data-autosave-url as soon as it changes,
 * with the answer version the page holds; the server answers with the new version, or 409
 * and the other person's answer, which is shown in the cell with a choice.
 *
 * Nothing typed is lost: unsaved cells stay in memory and in localStorage (under the sheet,
 * each with the answer version it was based on) until the server has them, failed requests
 * are retried with a growing delay and by the Retry button, and leaving the page while
 * anything is unsaved asks first. The state is shown as "Saved", "Saving…" or
 * "Not saved — …" with Retry.
 */
(function () {
  "use strict";

  var form = document.getElementById("sheet-form");
  if (!form || !window.fetch || !window.Map) {
    return;
  }
  var url = form.dataset.autosaveUrl;
  // Per sheet and per signed-in user: on a shared computer, one officer's unsaved answers are
  // never restored (and sent) under the next one's name. Signing out clears them as well.
  var storageKey = "mega-benchmark:sheet:" + form.dataset.sheet + ":user:" + form.dataset.user;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var statusEl = document.getElementById("autosave-status");
  var retryButton = document.getElementById("autosave-retry");
  var conflictTemplate = document.getElementById("conflict-template");

  // --- texts ----------------------------------------------------------------------------------

  // The visible texts, in the reader's language, from Django's JavaScript catalogue (the
  // JavaScriptCatalog view, loaded before this script; `makemessages -d djangojs` extracts these
  // strings). Without it, the English texts.
  var catalogue = {
    gettext: window.gettext || function (message) { return message; },
    ngettext: window.ngettext || function (one, other, count) { return count === 1 ? one : other; },
    interpolate: window.interpolate || function (format, values) {
      return format.replace(/%\((\w+)\)s/g, function (match, key) { return String(values[key]); });
    }
  };

  function editorTexts(values) {
    var gettext = catalogue.gettext;
    var ngettext = catalogue.ngettext;
    var count = values.count;
    var conflict = ngettext(
      "Not saved — somebody else changed %(count)s answer you changed: choose in the highlighted cell.",
      "Not saved — somebody else changed %(count)s answers you changed: choose in the highlighted cell.", count);
    var restored = ngettext("Restored %(count)s unsaved change from your last visit. Saving…",
      "Restored %(count)s unsaved changes from your last visit. Saving…", count);
    return {
      Saving: gettext("Saving…"),
      Saved: gettext("Saved"),
      Idle: gettext("Changes are saved as you make them."),
      Error: gettext("Not saved — %(message)s"),
      ConflictOne: conflict,
      ConflictOther: conflict,
      ConflictYours: gettext(
        "Not saved — you changed the same answer in another window: choose in the highlighted cell."),
      SignedOut: gettext("you are signed out. Sign in again in another tab, then press Retry."),
      Forbidden: gettext("you may not change this sheet. Reload the page."),
      ServerRetrying: gettext("the server answered %(status)s. Retrying…"),
      Server: gettext("the server answered %(status)s."),
      Offline: gettext("no connection to the server. Retrying…"),
      RestoredOne: restored,
      RestoredOther: restored,
      Footnote: gettext(" (footnote %(number)s)"),
      Progress: gettext("%(answered)s of %(total)s")
    };
  }

  function text(name, values) {
    values = values || {};
    return catalogue.interpolate(editorTexts(values)[name] || "", values, true);
  }

  var NOTE_DELAY = 800;
  var MAX_RETRY_DELAY = 30000;

  var pending = new Map();   // cell key -> {value, note, base}: changed, not sent yet
  var inFlight = null;       // {key, entry} being sent
  var conflicts = new Map(); // cell key -> the server's answer: somebody else saved the cell
  var failure = null;        // {message, retry}: why the last request failed
  var retryDelay = 0;
  var retryTimer = null;
  var noteTimer = null;
  var submitting = false;
  var submitWhenSent = false; // Save was pressed while a cell was on its way to the server
  var touched = false;      // the person changed something on this page

  function cellFor(key) {
    return form.querySelector('fieldset[data-cell="' + key + '"]');
  }

  function versionInput(cell) {
    return cell.querySelector("input[data-version]");
  }

  // What the page shows as saved of the cell (value and a fingerprint of the note): sent with each
  // change, so that the server merges a stale one part by part instead of refusing it whole.
  function seenInput(cell) {
    return cell.querySelector("input[data-seen]");
  }

  function read(cell) {
    var checked = cell.querySelector("input[type=radio]:checked");
    return {
      value: checked ? checked.value : "",
      note: cell.querySelector("textarea").value,
      base: parseInt(versionInput(cell).value, 10) || 0,
      seen: seenInput(cell) ? seenInput(cell).value : ""
    };
  }

  function write(cell, value, note) {
    cell.querySelectorAll("input[type=radio]").forEach(function (radio) {
      radio.checked = radio.value === value;
    });
    cell.querySelector("textarea").value = note;
  }

  function label(cell, value) {
    var radio = cell.querySelector('input[type=radio][value="' + value + '"]');
    return radio && radio.labels.length ? radio.labels[0].textContent.trim() : value;
  }

  function describe(cell, value, note) {
    return label(cell, value) + (note ? " — “" + note + "”" : "");
  }

  function setVersion(key, version, seen) {
    var cell = cellFor(key);
    if (cell) {
      versionInput(cell).value = version;
      if (seen !== undefined && seenInput(cell)) {
        seenInput(cell).value = seen;
      }
    }
    if (pending.has(key)) {
      pending.get(key).base = version;
      if (seen !== undefined) {
        pending.get(key).seen = seen;
      }
    }
  }

  // --- keeping unsaved changes across a reload ----------------------------------------

  function unsaved() {
    var cells = {};
    conflicts.forEach(function (theirs, key) {
      var cell = cellFor(key);
      if (cell) {
        var mine = read(cell);
        mine.base = theirs.mineBase;
        cells[key] = mine;
      }
    });
    if (inFlight) {
      cells[inFlight.key] = inFlight.entry;
    }
    pending.forEach(function (entry, key) {
      cells[key] = entry;
    });
    return cells;
  }

  function persist() {
    var cells = unsaved();
    try {
      if (Object.keys(cells).length) {
        window.localStorage.setItem(storageKey, JSON.stringify({at: Date.now(), cells: cells}));
      } else {
        window.localStorage.removeItem(storageKey);
      }
    } catch (error) {
      // Storage disabled or full: the changes are still held in memory and retried.
      if (window.console) {
        window.console.warn("sheet editor: cannot keep unsaved changes in localStorage", error);
      }
    }
  }

  function restore() {
    var stored = null;
    try {
      stored = JSON.parse(window.localStorage.getItem(storageKey) || "null");
    } catch (error) {
      stored = null;
    }
    if (!stored || !stored.cells) {
      return 0;
    }
    var restored = 0;
    Object.keys(stored.cells).forEach(function (key) {
      var cell = cellFor(key);
      var entry = stored.cells[key];
      if (!cell || typeof entry.value !== "string" || typeof entry.note !== "string") {
        return;
      }
      var now = read(cell);
      if (entry.value === now.value && entry.note === now.note) {
        return;
      }
      write(cell, entry.value, entry.note);
      pending.set(key, {value: entry.value, note: entry.note, base: parseInt(entry.base, 10) || 0,
        seen: typeof entry.seen === "string" ? entry.seen : ""});
      restored += 1;
      touched = true;
    });
    persist();
    return restored;
  }

  // --- status -----------------------------------------------------------------------------

  function show(state, text) {
    statusEl.dataset.state = state;
    statusEl.textContent = text;
    retryButton.hidden = state !== "error";
  }

  function update() {
    if (conflicts.size) {
      var yours = true;
      conflicts.forEach(function (theirs) {
        yours = yours && theirs.by_you === true;
      });
      show("conflict", yours ? text("ConflictYours") :
        text(conflicts.size === 1 ? "ConflictOne" : "ConflictOther", {count: conflicts.size}));
    } else if (failure) {
      show("error", text("Error", {message: failure.message}));
    } else if (inFlight || pending.size) {
      show("saving", text("Saving"));
    } else if (touched) {
      show("saved", text("Saved"));
    } else {
      show("idle", text("Idle"));
    }
  }

  // --- sending ------------------------------------------------------------------------------

  function Failure(message, retry) {
    this.message = message;
    this.retry = retry;
  }

  function nextKey() {
    var found = null;
    pending.forEach(function (entry, key) {
      if (found === null && !conflicts.has(key)) {
        found = key;
      }
    });
    return found;
  }

  function flush() {
    if (inFlight || submitting) {
      return;
    }
    var key = nextKey();
    if (key === null) {
      update();
      return;
    }
    var entry = pending.get(key);
    pending.delete(key);
    inFlight = {key: key, entry: entry};
    update();
    var ids = key.split("-");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({
        statement: parseInt(ids[0], 10), respondent: parseInt(ids[1], 10),
        value: entry.value, note: entry.note, version: entry.base, seen: entry.seen || ""
      })
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected) {
        throw new Failure(text("SignedOut"), false);
      }
      if (type.indexOf("application/json") === -1) {
        if (response.status === 403) {
          throw new Failure(text("Forbidden"), false);
        }
        throw new Failure(text("ServerRetrying", {status: response.status}), response.status >= 500);
      }
      return response.json().then(function (body) {
        return {status: response.status, body: body};
      });
    }).then(function (reply) {
      received(key, entry, reply);
    }, function (error) {
      if (!(error instanceof Failure)) {
        error = new Failure(text("Offline"), true);
      }
      failed(key, entry, error);
    });
  }

  function putBack(key, entry) {
    if (!pending.has(key)) {
      pending.set(key, entry);
    }
  }

  function received(key, entry, reply) {
    inFlight = null;
    var body = reply.body;
    if (reply.status === 200) {
      failure = null;
      retryDelay = 0;
      // The server merged a stale change with one saved meanwhile: show the merged cell, unless
      // the person has typed on since.
      var saved = cellFor(key);
      if (saved && !pending.has(key) && (body.value !== entry.value || body.note !== entry.note)) {
        write(saved, body.value, body.note);
      }
      setVersion(key, body.version, body.seen);
      applyState(body);
    } else if (reply.status === 409 && body.error === "conflict") {
      var cell = cellFor(key);
      var newer = pending.get(key);
      pending.delete(key);
      body.mineBase = (newer || entry).base;
      conflicts.set(key, body);
      showConflict(key, cell);
    } else {
      putBack(key, entry);
      // A 5xx (503: the server lost its database) is retried by itself; a refusal waits for Retry.
      failed(key, entry, new Failure(body.message || text("Server", {status: reply.status}),
        reply.status >= 500), true);
      return;
    }
    if (postHeldSave()) {
      return;
    }
    persist();
    update();
    flush();
  }

  function failed(key, entry, error, alreadyBack) {
    inFlight = null;
    if (!alreadyBack) {
      putBack(key, entry);
    }
    if (postHeldSave()) {
      return;
    }
    failure = error;
    persist();
    update();
    if (error.retry) {
      retryDelay = Math.min(MAX_RETRY_DELAY, retryDelay ? retryDelay * 2 : 1000);
      window.clearTimeout(retryTimer);
      retryTimer = window.setTimeout(retry, retryDelay);
    }
  }

  function retry() {
    window.clearTimeout(retryTimer);
    failure = null;
    update();
    flush();
  }

  function applyState(body) {
    form.ownerDocument.querySelectorAll("input[data-sheet-version]").forEach(function (input) {
      input.value = body.sheet_version;
    });
    var progress = body.progress;
    var meter = document.getElementById("progress-total");
    if (meter && progress) {
      meter.max = progress.total || 1;
      meter.value = progress.answered;
      meter.textContent = text("Progress", {answered: progress.answered, total: progress.total});
      document.querySelectorAll("[data-progress-answered]").forEach(function (el) {
        el.textContent = progress.answered;
      });
      document.querySelectorAll("[data-progress-total]").forEach(function (el) {
        el.textContent = progress.total;
      });
      progress.levels.forEach(function (level) {
        document.querySelectorAll('[data-level-progress="' + level.number + '"]').forEach(function (el) {
          el.textContent = level.answered + " / " + level.total;
        });
      });
    }
    var footnotes = body.footnotes || {};
    form.querySelectorAll("[data-footnote-for]").forEach(function (el) {
      var number = footnotes[el.dataset.footnoteFor];
      el.textContent = number ? text("Footnote", {number: number}) : "";
    });
    var columns = body.columns || {};
    form.querySelectorAll("[data-column-footnote]").forEach(function (el) {
      el.textContent = columns[el.dataset.columnFootnote] || "";
    });
  }

  // --- conflicts ----------------------------------------------------------------------------

  function showConflict(key, cell) {
    var theirs = conflicts.get(key);
    var box = cell.querySelector("[data-conflict]");
    box.replaceChildren(conflictTemplate.content.cloneNode(true));
    var mine = read(cell);
    box.querySelector("[data-conflict-message]").textContent = theirs.message;
    box.querySelector("[data-conflict-theirs]").textContent = describe(cell, theirs.value, theirs.note);
    box.querySelector("[data-conflict-mine]").textContent = describe(cell, mine.value, mine.note);
    if (theirs.by_you) {
      // Both sides are the person's own: name the windows, not "theirs" and "yours".
      box.querySelectorAll("[data-yours]").forEach(function (label) {
        label.textContent = label.dataset.yours;
      });
    }
    box.querySelector("[data-conflict-keep]").addEventListener("click", function () {
      write(cell, theirs.value, theirs.note);
      resolve(key, cell, theirs, false);
    });
    box.querySelector("[data-conflict-take]").addEventListener("click", function () {
      // Mine where both changed a part; theirs where only they did (an untouched part is theirs).
      var mine = read(cell);
      var resolved = theirs.resolved || mine;
      write(cell, theirs.parts && theirs.parts.indexOf("value") === -1 ? resolved.value : mine.value,
        theirs.parts && theirs.parts.indexOf("note") === -1 ? resolved.note : mine.note);
      resolve(key, cell, theirs, true);
    });
    box.hidden = false;
    cell.classList.add("has-conflict");
  }

  function resolve(key, cell, theirs, takeMine) {
    conflicts.delete(key);
    versionInput(cell).value = theirs.version;
    if (seenInput(cell)) {
      seenInput(cell).value = theirs.seen;
    }
    if (takeMine) {
      pending.set(key, read(cell));
    } else {
      pending.delete(key);
    }
    var box = cell.querySelector("[data-conflict]");
    box.hidden = true;
    box.replaceChildren();
    cell.classList.remove("has-conflict");
    cell.querySelector("input[type=radio]:checked, input[type=radio]").focus();
    persist();
    update();
    flush();
  }

  // --- events -------------------------------------------------------------------------------

  function changed(event, now) {
    var cell = event.target.closest("fieldset[data-cell]");
    if (!cell) {
      return;
    }
    var key = cell.dataset.cell;
    var entry = read(cell);
    touched = true;
    if (conflicts.has(key)) {
      persist();
      return;
    }
    pending.set(key, entry);
    persist();
    update();
    window.clearTimeout(noteTimer);
    if (now) {
      flush();
    } else {
      noteTimer = window.setTimeout(flush, NOTE_DELAY);
    }
  }

  form.addEventListener("change", function (event) {
    changed(event, true);
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") {
      changed(event, false);
    }
  });
  // Save posts every cell with the answer version the page holds. While a cell is on its way, its
  // version is about to change: posted now, the form would meet the person's own autosave as a
  // conflict. So Save waits for that one answer, then posts (what is still pending goes with it).
  form.addEventListener("submit", function (event) {
    submitting = true;
    if (inFlight) {
      event.preventDefault();
      submitWhenSent = true;
    }
  });

  function postHeldSave() {
    if (!submitWhenSent) {
      return false;
    }
    submitWhenSent = false;
    persist();
    form.submit();
    return true;
  }
  retryButton.addEventListener("click", retry);
  window.addEventListener("online", retry);
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && (pending.size || inFlight || conflicts.size)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  var restored = restore();
  update();
  if (restored) {
    show("saving", text(restored === 1 ? "RestoredOne" : "RestoredOther", {count: restored}));
    flush();
  }
}());
