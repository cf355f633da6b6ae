/*
 * django-import-export's export page (templates/admin/import_export/export.html): "Select all"
 * ticks or clears every field's checkbox. The library wires it with an inline onchange
 * attribute, which the site's Content-Security-Policy refuses; this does the same from a file.
 */
(function () {
  "use strict";

  function selectAll(event) {
    var checked = event.target.checked;
    document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]').forEach(function (box) {
      box.checked = checked;
    });
  }

  document.querySelectorAll("input.select-toggle").forEach(function (toggle) {
    toggle.addEventListener("change", selectAll);
  });
}());
