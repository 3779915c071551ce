/*
 * Source notes that open in place. Activating a citation (click, tap, Enter) shows its
 * note right beside it; Esc, the close button or a click elsewhere closes it, and focus
 * returns to the citation. Without this script a citation is a plain link to its note,
 * and the note's backlink returns: nothing here is needed to read the page.
 *
 * The note opens on activation, never on hover or focus alone, so it stays until the
 * reader dismisses it (WCAG 1.4.13) and works the same by mouse, touch and keyboard.
 */
(function () {
  "use strict";

  var POPUP_ID = "note-popup";
  var open = null; // { popup, trigger }

  function noteFor(trigger) {
    var id = decodeURIComponent(trigger.getAttribute("href").slice(1));
    return document.getElementById(id);
  }

  function close(returnFocus) {
    if (!open) return;
    var trigger = open.trigger;
    open.popup.remove();
    trigger.setAttribute("aria-expanded", "false");
    open = null;
    if (returnFocus) trigger.focus();
  }

  function build(trigger, note) {
    var popup = document.createElement("span");
    popup.id = POPUP_ID;
    popup.className = "note-popup";
    popup.setAttribute("role", "dialog");
    popup.setAttribute("aria-label", "Source " + trigger.textContent);
    popup.tabIndex = -1;

    var body = note.querySelector(".note__body");
    var content = document.createElement("span");
    content.className = "note-popup__content";
    content.innerHTML = body ? body.innerHTML : note.innerHTML;
    // The copy must not repeat the ids of the original.
    content.querySelectorAll("[id]").forEach(function (element) { element.removeAttribute("id"); });

    var number = document.createElement("span");
    number.className = "note-popup__number";
    number.textContent = trigger.textContent + ". ";

    var footer = document.createElement("span");
    footer.className = "note-popup__footer";
    var jump = document.createElement("a");
    jump.href = "#" + note.id;
    jump.textContent = "All sources";
    var closer = document.createElement("button");
    closer.type = "button";
    closer.className = "note-popup__close";
    closer.textContent = "Close";
    closer.addEventListener("click", function () { close(true); });
    footer.append(jump, closer);

    popup.append(number, content, footer);
    return popup;
  }

  function place(popup, trigger) {
    // Below the citation, kept inside the viewport's width.
    var rect = trigger.getBoundingClientRect();
    var width = Math.min(360, document.documentElement.clientWidth - 16);
    var left = Math.max(8, Math.min(rect.left + window.scrollX - 24,
      window.scrollX + document.documentElement.clientWidth - width - 8));
    popup.style.width = width + "px";
    popup.style.left = left + "px";
    popup.style.top = (rect.bottom + window.scrollY + 6) + "px";
  }

  function show(trigger) {
    var note = noteFor(trigger);
    if (!note) return;
    close(false);
    var popup = build(trigger, note);
    // Focus moves into the note, so a screen reader reads it at once; on screen it is
    // positioned beside the citation.
    document.body.appendChild(popup);
    place(popup, trigger);
    trigger.setAttribute("aria-expanded", "true");
    trigger.setAttribute("aria-controls", POPUP_ID);
    open = { popup: popup, trigger: trigger };
    popup.focus();
  }

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest('a[role="doc-noteref"]');
    if (trigger) {
      event.preventDefault();
      if (open && open.trigger === trigger) close(true);
      else show(trigger);
      return;
    }
    if (open && !open.popup.contains(event.target)) close(false);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && open) {
      event.preventDefault();
      close(true);
    }
  });

  window.addEventListener("resize", function () { if (open) place(open.popup, open.trigger); });
})();
