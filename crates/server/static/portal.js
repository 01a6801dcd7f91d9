// Paint the availability grid by pressing and dragging across it. Without
// this script the grid is plain checkboxes, which submit the same form.
(function () {
  "use strict";
  function init(root) {
    var table = root.querySelector("table[data-paint]");
    if (!table || table.dataset.painting) return;
    table.dataset.painting = "1";
    var painting = false, value = true;
    function slotOf(el) {
      if (!el) return null;
      if (el.classList && el.classList.contains("slot")) return el;
      var td = el.closest ? el.closest("td") : null;
      return td ? td.querySelector("input.slot") : null;
    }
    table.addEventListener("pointerdown", function (e) {
      var box = slotOf(e.target);
      if (!box) return;
      e.preventDefault();
      painting = true;
      value = !box.checked;
      box.checked = value;
      if (table.releasePointerCapture && e.pointerId !== undefined) {
        try { table.releasePointerCapture(e.pointerId); } catch (_) {}
      }
    });
    table.addEventListener("pointerover", function (e) {
      if (!painting) return;
      var box = slotOf(e.target);
      if (box) box.checked = value;
    });
    // Touch: follow the finger, since pointerover does not fire while touching.
    table.addEventListener("pointermove", function (e) {
      if (!painting || e.pointerType !== "touch") return;
      var box = slotOf(document.elementFromPoint(e.clientX, e.clientY));
      if (box) box.checked = value;
    });
    // The checkbox's own click would undo the pointerdown toggle.
    table.addEventListener("click", function (e) {
      if (e.detail > 0 && slotOf(e.target) === e.target) e.preventDefault();
    });
    document.addEventListener("pointerup", function () { painting = false; });
    var clear = root.querySelector("[data-paint-clear]");
    if (clear) {
      clear.hidden = false;
      clear.addEventListener("click", function () {
        table.querySelectorAll("input.slot").forEach(function (b) { b.checked = false; });
      });
    }
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function () { init(document); });
})();
