// The sheet editor's "What helps" pointers: a statement's pointer shows as soon as any of its
// columns is answered "no" or "no data", and hides again otherwise. Reads the page only.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches('input[type="radio"][name$="-value"]')) return;
  var row = input.closest("tr");
  var pointer = row && row.querySelector("[data-what-helps]");
  if (!pointer) return;
  var checked = row.querySelectorAll('input[type="radio"][name$="-value"]:checked');
  pointer.hidden = !Array.prototype.some.call(checked, function (radio) {
    return radio.value === "no" || radio.value === "nd";
  });
});
