// Selecting a finding (in either list, in the text, from a table cell, by j/k or by the address's
// #id) marks its span, its related places, the table cells its claim is tied to and the drawn
// table cell it is in, and scrolls the text there.
(function () {
  "use strict";
  var root = document.documentElement;
  var items = Array.prototype.slice.call(document.querySelectorAll("a.finding"));
  var current = [];
  var active = -1;

  function marked(attr, id) {
    return Array.prototype.slice.call(document.querySelectorAll("[data-" + attr + '~="' + CSS.escape(id) + '"]'));
  }

  function mark(elements, cls) {
    elements.forEach(function (el) { el.classList.add(cls); current.push([el, cls]); });
  }

  function select(index, scrollText, scrollList) {
    var item = items[index];
    if (!item) return false;
    current.forEach(function (pair) { pair[0].classList.remove(pair[1]); });
    current = [];
    var fid = item.getAttribute("data-finding");
    mark(marked("f", fid), "current");
    mark(marked("r", fid), "current-rel");
    (item.getAttribute("data-cells") || "").split(" ").filter(Boolean).forEach(function (cid) {
      mark(marked("c", cid), "current-cell");
    });
    mark([item.parentNode], "active");
    mark(marked("finding-at", fid).map(function (el) { return el.parentNode; }), "active");
    mark(marked("findings", fid), "current-cell");
    active = index;
    var target = marked("f", fid)[0] || document.getElementById(fid);
    if (scrollText && target) target.scrollIntoView({ block: "center" });
    if (scrollList) {
      // the entry in whichever list is shown: by rule, or in document order
      var shown = [item].concat(marked("finding-at", fid)).filter(function (el) { return el.offsetParent !== null; })[0];
      if (shown) shown.scrollIntoView({ block: "nearest" });
    }
    return true;
  }

  function indexOf(fid) {
    for (var i = 0; i < items.length; i++) if (items[i].getAttribute("data-finding") === fid) return i;
    return -1;
  }

  document.addEventListener("click", function (event) {
    var item = event.target.closest("a.finding");
    if (item) {
      event.preventDefault();
      select(items.indexOf(item), true, false);
      history.replaceState(null, "", "#" + item.getAttribute("data-finding"));
      return;
    }
    // the same finding from the list in document order or from a table cell's rule code
    var link = event.target.closest("a.finding-at, a.cellref");
    if (link) {
      var linked = link.getAttribute("data-finding-at") || link.getAttribute("data-finding-ref");
      if (indexOf(linked) >= 0) {
        event.preventDefault();
        select(indexOf(linked), !link.classList.contains("cellref"), true);
        history.replaceState(null, "", "#" + linked);
      }
      return;
    }
    var piece = event.target.closest(".hl");
    if (piece) {
      var ids = piece.getAttribute("data-f").split(" ");
      // A second click on overlapping marks moves to the next finding there.
      var at = ids.indexOf(active >= 0 ? items[active].getAttribute("data-finding") : "");
      select(indexOf(ids[(at + 1) % ids.length]), false, true);
    }
  });

  // The findings in the order the reader has chosen for each report's list: by rule, or in document order.
  function sequence() {
    var order = [];
    Array.prototype.forEach.call(document.querySelectorAll("section.report"), function (section) {
      var byPlace = section.querySelector("input.order-by-place");
      var links = section.querySelectorAll(byPlace && byPlace.checked ? "a.finding-at" : "a.finding");
      Array.prototype.forEach.call(links, function (a) {
        order.push(indexOf(a.getAttribute("data-finding-at") || a.getAttribute("data-finding")));
      });
    });
    return order;
  }

  document.addEventListener("keydown", function (event) {
    if (event.target.closest("textarea, select, input:not([type=radio])") || event.ctrlKey || event.metaKey || event.altKey) return;
    var order = sequence();
    var at = order.indexOf(active);
    if (event.key === "j" || event.key === "n") select(order[Math.min(at + 1, order.length - 1)], true, true);
    if (event.key === "k" || event.key === "p") select(order[Math.max(at - 1, 0)], true, true);
  });

  // What the page shows at each finding, for checking the page itself (open it with #selfcheck):
  // the text of its marked pieces, which must equal the finding's quote.
  function renderedText(fid) {
    return marked("f", fid).map(function (el) { return el.textContent; }).join("");
  }

  function selfCheck() {
    items.forEach(function (item, index) {
      var fid = item.getAttribute("data-finding");
      item.setAttribute("data-rendered", JSON.stringify(renderedText(fid)));  // JSON: a CR survives serialisation
      item.setAttribute("data-pieces", String(marked("f", fid).length));
      select(index, true, false);
      var target = marked("f", fid)[0] || document.getElementById(fid);
      var box = target.getBoundingClientRect();
      item.setAttribute("data-in-view", box.bottom >= 0 && box.top <= window.innerHeight ? "1" : "0");
      item.setAttribute("data-current", String(document.querySelectorAll(".current").length));
      item.setAttribute("data-current-cells", String(document.querySelectorAll(".current-cell").length));
    });
    root.setAttribute("data-selfcheck", "done");
  }

  var hash = decodeURIComponent(location.hash.slice(1));
  if (hash === "selfcheck") selfCheck();
  else if (indexOf(hash) >= 0) select(indexOf(hash), true, true);
  root.setAttribute("data-ready", "1");
})();
