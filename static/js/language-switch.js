// The language switch reloads the page in the other language: what someone has typed into a
// form of the page and not saved would be lost without a word. With such changes, ask first.
// Without JavaScript the switch works as before (and loses them, as any link would).
(function () {
  "use strict";
  var switcher = document.querySelector("form.language-switch");
  if (!switcher) {
    return;
  }

  function changed(field) {
    if (field.type === "checkbox" || field.type === "radio") {
      return field.checked !== field.defaultChecked;
    }
    if (field.tagName === "SELECT") {
      for (var i = 0; i < field.options.length; i += 1) {
        if (field.options[i].selected !== field.options[i].defaultSelected) {
          return true;
        }
      }
      return false;
    }
    if (field.type === "file") {
      return field.value !== "";
    }
    if (field.tagName === "TEXTAREA" || field.tagName === "INPUT") {
      if (field.type === "hidden" || field.type === "submit" || field.type === "button") {
        return false;
      }
      return field.value !== field.defaultValue;
    }
    return false;
  }

  function unsaved() {
    // Forms that save something (POST); a filter or search form loses nothing worth asking.
    var forms = document.querySelectorAll("main form");
    for (var f = 0; f < forms.length; f += 1) {
      if ((forms[f].getAttribute("method") || "").toLowerCase() !== "post") {
        continue;
      }
      // Sent back with a field to correct: it holds what the person typed, not saved yet.
      if (forms[f].querySelector(".has-error, .errorlist:not(.nonfield)")) {
        return true;
      }
      for (var e = 0; e < forms[f].elements.length; e += 1) {
        if (changed(forms[f].elements[e])) {
          return true;
        }
      }
    }
    return false;
  }

  switcher.addEventListener("submit", function (event) {
    if (unsaved() && !window.confirm(switcher.getAttribute("data-unsaved-question"))) {
      event.preventDefault();
    }
  });
})();
