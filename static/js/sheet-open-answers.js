/*
 * Open answers and submitting, in the sheet editor (assessments/templates/assessments/sheet_edit.html).
 *
 * Without this script the page works as links: the "still open" count and "Next open answer" go
 * to the first open cell the server saw, and "Submit for validation" opens a confirmation page.
 * With it, open cells are highlighted as the person answers, "Next open answer" walks through
 * them one by one, and the confirmation is a dialog on the page.
 *
 * Texts come from Django's JavaScript catalogue (window.ngettext, window.interpolate), in the
 * reader's language.
 */
(function () {
  "use strict";

  var form = document.getElementById("sheet-form");
  if (!form) {
    return;
  }

  function openCountText(open, total) {
    var ngettext = window.ngettext || function (one, other, n) { return n === 1 ? one : other; };
    var format = ngettext("%(open)s of %(total)s answer is still open.",
      "%(open)s of %(total)s answers are still open.", total);
    return format.replace("%(open)s", String(open)).replace("%(total)s", String(total));
  }

  function cells() {
    return Array.prototype.slice.call(form.querySelectorAll("fieldset[data-cell]"));
  }

  function isOpen(cell) {
    var checked = cell.querySelector("input[type=radio]:checked");
    return !checked || checked.value === "";
  }

  function openCells() {
    return cells().filter(isOpen);
  }

  // Highlight the open cells and bring every count, link and control up to date.
  function refreshOpenAnswers() {
    var all = cells();
    var open = all.filter(function (cell) {
      var isOpenNow = isOpen(cell);
      cell.classList.toggle("is-open", isOpenNow);
      return isOpenNow;
    });
    var first = open.length ? "#" + open[0].id : "";
    document.querySelectorAll("[data-open-count]").forEach(function (el) {
      el.textContent = openCountText(open.length, all.length);
    });
    document.querySelectorAll("[data-open-link]").forEach(function (link) {
      link.hidden = !open.length;
      if (first) {
        link.setAttribute("href", first);
      }
    });
    document.querySelectorAll("[data-open-warning], [data-next-open]").forEach(function (el) {
      el.hidden = !open.length;
      if (first && el.hasAttribute("href")) {
        el.setAttribute("href", first);
      }
    });
    document.querySelectorAll("[data-submit-confirm]").forEach(function (button) {
      button.hidden = open.length > 0;
    });
  }

  function goTo(cell) {
    var dialog = document.getElementById("submit-dialog");
    if (dialog && dialog.open) {
      dialog.close();
    }
    var target = cell.querySelector("input[type=radio]:checked") || cell.querySelector("input[type=radio]");
    cell.scrollIntoView({block: "center"});
    (target || cell).focus({preventScroll: true});
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#" + cell.id);
    }
  }

  // The open cell after the one the person is in (or was last sent to), wrapping around.
  var lastVisited = null;

  function nextOpenCell() {
    var open = openCells();
    if (!open.length) {
      return null;
    }
    var all = cells();
    var here = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("fieldset[data-cell]") : null;
    here = here || lastVisited;
    var from = here ? all.indexOf(here) : -1;
    var after = open.filter(function (cell) { return all.indexOf(cell) > from; });
    return after.length ? after[0] : open[0];
  }

  function setUpOpenAnswers() {
    form.addEventListener("change", refreshOpenAnswers);
    document.querySelectorAll("[data-next-open]").forEach(function (control) {
      control.addEventListener("click", function (event) {
        var cell = nextOpenCell();
        if (cell) {
          event.preventDefault();
          lastVisited = cell;
          goTo(cell);
        }
      });
    });
    document.querySelectorAll("[data-open-link]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var open = openCells();
        if (open.length) {
          event.preventDefault();
          lastVisited = open[0];
          goTo(open[0]);
        }
      });
    });
    refreshOpenAnswers();
  }

  // "Submit for validation" opens the confirmation dialog instead of the confirmation page.
  function setUpSubmitDialog() {
    var opener = document.querySelector("form[data-submit-dialog]");
    var dialog = opener && document.getElementById(opener.dataset.submitDialog);
    if (!dialog || typeof dialog.showModal !== "function") {
      return;
    }
    opener.addEventListener("submit", function (event) {
      event.preventDefault();
      refreshOpenAnswers();
      dialog.showModal();
    });
    dialog.querySelectorAll("[data-dialog-close]").forEach(function (button) {
      button.addEventListener("click", function () {
        dialog.close();
      });
    });
  }

  setUpOpenAnswers();
  setUpSubmitDialog();
}());
