/* MeToo Atlas, the detail panel's "Show more" (dashboard/detail.py more_control): the
 * server appends the group's next cards; focus then moves to the first new card, so a
 * keyboard or screen-reader user reads on from where the list grew. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.detail-more");
    var group = button && button.closest(".group");
    var cards = group && group.querySelector(".group-cards");
    if (!cards) { return; }
    var before = cards.children.length;
    var watcher = new MutationObserver(function () {
      if (cards.children.length <= before) { return; }
      watcher.disconnect();
      var first = cards.children[before];
      first.setAttribute("tabindex", "-1");
      first.focus();
    });
    watcher.observe(cards, { childList: true });
    setTimeout(function () { watcher.disconnect(); }, 10000);
  });
})();
