/*
 * The language switcher (templates/_language_switcher.html) in one step: choosing a language
 * with the mouse or a finger sends the form at once. The arrow keys change a closed select
 * option by option, so from the keyboard the choice is sent by Enter, or on leaving the field,
 * not at each step (WCAG 3.2.2). Without this script the form has its own button.
 */
(function () {
  "use strict";

  document.querySelectorAll("form.language-switcher").forEach(function (form) {
    var select = form.querySelector("select[name=language]");
    var button = form.querySelector("button[type=submit]");
    if (!select || !button || typeof form.requestSubmit !== "function") {
      return;
    }
    var current = select.value;
    var byKeyboard = false;

    function send() {
      if (select.value !== current) {
        current = select.value;
        form.requestSubmit();
      }
    }

    button.hidden = true;
    select.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        send();
      } else {
        byKeyboard = true;
      }
    });
    select.addEventListener("pointerdown", function () {
      byKeyboard = false;
    });
    select.addEventListener("change", function () {
      if (!byKeyboard) {
        send();
      }
    });
    select.addEventListener("blur", send);
  });
}());
