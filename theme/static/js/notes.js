/*
 * Source notes that open in place. Activating a citation, or a source number on a claim's
 * card (click, tap, Enter), shows its note right against the citation's line: below it,
 * or above it when there is no room below, never over the line and never scrolling the
 * page. The note is inserted just after the citation, so Tab moves on through the story;
 * Esc, the close button, a click elsewhere or focus leaving it closes it, and Esc and the
 * button return focus to the citation.
 *
 * From 75em wide, each source's note also sits in the margin beside its first citation
 * (the Tufte and Distill pattern): a visual aid only, hidden from assistive technology,
 * since the same note opens in place and is listed at the end.
 *
 * Without this script a citation is a plain link to its note, and the note's backlink
 * returns: nothing here is needed to read the page. Styles are set on elements, never
 * as inline HTML, so the page's Content-Security-Policy holds.
 */
(function () {
  "use strict";

  var POPUP_ID = "note-popup";
  var TRIGGERS = 'a[role="doc-noteref"], a.claim__source';
  var GAP = 8; // between the line and the note, and between the note and the screen's edge
  var WIDE = window.matchMedia("(min-width: 75em)");
  var open = null; // { popup, trigger }
  var margin = null; // { box, notes: {citation id: element} }

  function noteFor(trigger) {
    var href = trigger.getAttribute("href") || "";
    return href.charAt(0) === "#" ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
  }

  function copyOf(note, className) {
    var body = note.querySelector(".note__body");
    var content = document.createElement("span");
    content.className = className;
    content.innerHTML = body ? body.innerHTML : note.innerHTML;
    // The copy must not repeat the ids of the original.
    content.querySelectorAll("[id]").forEach(function (element) { element.removeAttribute("id"); });
    return content;
  }

  function numberOf(note) {
    var number = note.querySelector(".note__number");
    return number ? number.textContent.replace(/\.$/, "") : "";
  }

  function activeMarginNote(on) {
    if (!margin || !open) return;
    var key = open.trigger.getAttribute("href");
    Object.keys(margin.notes).forEach(function (id) {
      var note = margin.notes[id];
      note.classList.toggle("is-active", on && note.dataset.href === key);
    });
  }

  function close(returnFocus) {
    if (!open) return;
    var trigger = open.trigger;
    activeMarginNote(false);
    open.popup.remove();
    trigger.setAttribute("aria-expanded", "false");
    trigger.removeAttribute("aria-controls"); // it names an element only while that exists
    open = null;
    if (returnFocus) trigger.focus({ preventScroll: true });
  }

  function build(trigger, note) {
    var number = numberOf(note);
    var popup = document.createElement("span");
    popup.id = POPUP_ID;
    popup.className = "note-popup";
    popup.setAttribute("role", "dialog");
    popup.setAttribute("aria-label", "Source " + number);
    popup.tabIndex = -1;

    var heading = document.createElement("span");
    heading.className = "note-popup__number";
    heading.textContent = number + ". ";

    var footer = document.createElement("span");
    footer.className = "note-popup__footer";
    var jump = document.createElement("a");
    jump.href = "#" + note.id;
    jump.textContent = "In the list of sources";
    var closer = document.createElement("button");
    closer.type = "button";
    closer.className = "note-popup__close";
    closer.textContent = "Close";
    closer.addEventListener("click", function () { close(true); });
    footer.append(jump, closer);

    // The box scrolls inside this (when the note is taller than the room), so that the
    // pointer, drawn outside the box, is never clipped by it.
    var inner = document.createElement("span");
    inner.className = "note-popup__scroll";
    inner.append(heading, copyOf(note, "note-popup__content"), footer);
    popup.append(inner);
    popup.addEventListener("focusout", function (event) {
      // Focus leaving the note (Tab past its last link, Shift+Tab before it) closes it.
      var to = event.relatedTarget;
      if (open && open.popup === popup && to && !popup.contains(to)) close(false);
    });
    return popup;
  }

  // The citation's line on screen: its middle, one line-height tall.
  function lineOf(trigger) {
    var rect = trigger.getBoundingClientRect();
    var block = trigger.closest("p, li, dd, blockquote, td, figcaption") || trigger.parentElement;
    var height = parseFloat(getComputedStyle(block).lineHeight) || rect.height * 1.6;
    var middle = (rect.top + rect.bottom) / 2;
    return { top: middle - height / 2, bottom: middle + height / 2, left: rect.left, right: rect.right };
  }

  function place(popup, trigger) {
    var line = lineOf(trigger);
    var viewWidth = document.documentElement.clientWidth;
    var viewHeight = window.innerHeight;
    var column = trigger.closest(".explainer__body, .claims, .explainer") || document.body;
    var bounds = column.getBoundingClientRect();
    var width = Math.min(360, viewWidth - 2 * GAP);
    var inner = popup.querySelector(".note-popup__scroll");
    popup.style.width = width + "px";
    inner.style.maxHeight = "none";
    // Under the citation, inside the text's column and the screen.
    var right = Math.min(viewWidth - GAP, Math.max(bounds.right, width + GAP));
    var left = Math.max(GAP, Math.min(line.left - 24, right - width));

    var below = viewHeight - line.bottom - 2 * GAP;
    var above = line.top - 2 * GAP;
    var natural = popup.offsetHeight;
    var downward = natural <= below || below >= above;
    var room = Math.max(0, downward ? below : above);
    var height = Math.min(natural, room);
    // It scrolls inside; the page does not (the box's border is outside the scrolling part).
    if (natural > room) inner.style.maxHeight = Math.max(0, room - (natural - inner.offsetHeight)) + "px";
    var top = downward ? line.bottom + GAP : line.top - GAP - height;

    var origin = popup.offsetParent ? popup.offsetParent.getBoundingClientRect() : { left: 0, top: 0 };
    popup.style.left = (left - origin.left) + "px";
    popup.style.top = (top - origin.top) + "px";
    popup.classList.toggle("note-popup--below", downward);
    popup.classList.toggle("note-popup--above", !downward);
    var pointer = Math.max(8, Math.min((line.left + line.right) / 2 - left - 6, width - 20));
    popup.style.setProperty("--pointer-x", pointer + "px");
  }

  function show(trigger) {
    var note = noteFor(trigger);
    if (!note) return;
    close(false);
    var popup = build(trigger, note);
    // Just after its own citation, not after the whole bracket: in "[2; 3]", Tab from the
    // note of 2 goes on to 3, and Shift+Tab from it comes back to 2.
    trigger.after(popup);
    place(popup, trigger);
    trigger.setAttribute("aria-expanded", "true");
    trigger.setAttribute("aria-controls", POPUP_ID);
    open = { popup: popup, trigger: trigger };
    activeMarginNote(true);
    popup.focus({ preventScroll: true });
  }

  // Margin notes: one per source, beside its first citation in the story, pushed down
  // (never overlapping) when the one before it is still there.
  function buildMargin() {
    var body = document.querySelector(".explainer__body");
    if (!body || margin) return;
    var box = document.createElement("div");
    box.className = "margin-notes";
    box.setAttribute("aria-hidden", "true");
    var notes = {};
    var seen = {};
    body.querySelectorAll('a[role="doc-noteref"]').forEach(function (citation) {
      var href = citation.getAttribute("href");
      var note = noteFor(citation);
      if (seen[href] || !note || !citation.id) return;
      seen[href] = true;
      var aside = document.createElement("p");
      aside.className = "margin-note";
      aside.dataset.for = citation.id;
      aside.dataset.href = href;
      var number = document.createElement("span");
      number.className = "margin-note__number";
      number.textContent = numberOf(note) + ". ";
      var content = copyOf(note, "margin-note__content");
      // Short, as a sidenote is: who, what and when; the editor's note and the quote open in place.
      content.querySelectorAll(".note__note, .note__quote, .note__quote-link").forEach(function (part) {
        part.remove();
      });
      aside.append(number, content);
      // A visual copy: its links are reached in the list of sources, not twice by Tab.
      aside.querySelectorAll("a").forEach(function (link) { link.tabIndex = -1; });
      box.append(aside);
      notes[citation.id] = aside;
    });
    body.after(box);
    margin = { box: box, notes: notes };
    layoutMargin();
  }

  function layoutMargin() {
    if (!margin) return;
    var origin = margin.box.getBoundingClientRect().top;
    var glance = document.querySelector(".explainer > .glance");
    var floor = 0;
    if (glance && glance.getBoundingClientRect().left >= margin.box.getBoundingClientRect().left - 1) {
      floor = glance.getBoundingClientRect().bottom - origin + 2 * GAP;
    }
    Object.keys(margin.notes).forEach(function (id) {
      var note = margin.notes[id];
      var citation = document.getElementById(id);
      var top = Math.max(citation.getBoundingClientRect().top - origin, floor);
      note.style.top = top + "px";
      floor = top + note.offsetHeight + GAP;
    });
  }

  function removeMargin() {
    if (!margin) return;
    margin.box.remove();
    margin = null;
  }

  function fitWidth() {
    if (WIDE.matches) buildMargin();
    else removeMargin();
  }

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest(TRIGGERS);
    if (trigger && noteFor(trigger)) {
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

  window.addEventListener("resize", function () {
    fitWidth();
    layoutMargin();
    if (open) place(open.popup, open.trigger);
  });
  window.addEventListener("load", layoutMargin);
  // With this script a citation opens its note: say so (collapsed until it does). Without
  // it, a citation is a plain link and says nothing of the kind.
  document.querySelectorAll(TRIGGERS).forEach(function (trigger) {
    if (noteFor(trigger)) trigger.setAttribute("aria-expanded", "false");
  });
  fitWidth();
})();
