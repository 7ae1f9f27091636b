/* CSIRT Commons comparison.
 *
 * On listings (category pages, all entries, search results) it gives each
 * card a "Compare" checkbox and shows a tray that links to compare.html
 * with the entries ticked. Up to four are kept, in localStorage when the
 * browser allows it (else for the page only), so the selection follows
 * the reader from page to page.
 *
 * On compare.html it reads `?e=slug+slug`, loads those entries from
 * `compare/d/` as scripts (pages opened from disk cannot fetch files, but
 * can load scripts): first `index.js`, which names the first slug of each
 * data file, then only the files holding the entries asked for. It builds
 * the same table as the pre-rendered comparison pages, from text nodes
 * only: nothing from the data is ever parsed as HTML. */
(function () {
  "use strict";

  var script = document.currentScript;
  var root = script.src.replace(/static\/compare\.js(?:[?#].*)?$/, "");
  var MAX = 4;
  var KEY = "cc-compare";
  var SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  /* Data files load through search.js's loader, which every page runs
   * before this script. */
  var load = window.__cc.load;

  /* The data files call these. */
  window.__ccCompare = {
    i: function (index) { window.__cc.settle("compare-index", index); },
    d: function (data) { window.__cc.settle("compare-d:" + data[0], data[1]); }
  };

  /* ---- the selection, kept across pages when storage allows ---- */

  var memory = [];

  function clean(list) {
    return list.filter(function (slug, i) {
      return typeof slug === "string" && SLUG.test(slug) && list.indexOf(slug) === i;
    }).slice(0, MAX);
  }

  function selection() {
    try {
      var list = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      if (Array.isArray(list)) return clean(list);
    } catch (error) { /* storage blocked or garbled: the page's own copy */ }
    return memory.slice();
  }

  function keep(list) {
    memory = clean(list);
    try {
      window.localStorage.setItem(KEY, JSON.stringify(memory));
    } catch (error) { /* storage blocked (some browsers, pages from disk): this page only */ }
  }

  function compareAddress(slugs) {
    return root + "compare.html?e=" + slugs.map(encodeURIComponent).join("+");
  }

  /* ---- listings: a checkbox on each card, and the tray ---- */

  /* The slug of an entry link, or null. */
  function slugOf(link) {
    var match = link && /(?:^|\/)entry\/([^\/?#]+)\.html$/.exec(link.getAttribute("href") || "");
    if (!match) return null;
    try {
      var slug = decodeURIComponent(match[1]);
      return SLUG.test(slug) ? slug : null;
    } catch (error) {
      return null;
    }
  }

  function tray() {
    var box = document.createElement("div");
    box.className = "cc-tray";
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Comparison");
    var status = document.createElement("p");
    status.className = "cc-tray__status";
    status.setAttribute("aria-live", "polite");
    var go = document.createElement("a");
    go.className = "cc-tray__go";
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "cc-tray__clear";
    clear.textContent = "Clear";
    box.appendChild(status);
    box.appendChild(go);
    box.appendChild(clear);
    return { box: box, status: status, go: go, clear: clear };
  }

  function setUpListing() {
    var main = document.getElementById("main") || document.body;
    var parts = tray();
    main.appendChild(parts.box);
    var note = "";

    function refresh() {
      var slugs = selection();
      document.querySelectorAll(".cc-compare-box input").forEach(function (input) {
        input.checked = slugs.indexOf(input.value) >= 0;
      });
      var n = slugs.length;
      parts.box.classList.toggle("cc-tray--empty", n === 0 && !note);
      parts.status.textContent = note || (n === 0 ? "No entries selected for comparison."
        : n === 1 ? "1 entry selected; choose at least one more to compare."
        : n + " entries selected for comparison (up to " + MAX + ").");
      note = "";
      parts.go.textContent = "Compare " + n + (n === 1 ? " entry" : " entries");
      if (n >= 2) {
        parts.go.href = compareAddress(slugs);
        parts.go.removeAttribute("aria-disabled");
      } else {
        parts.go.removeAttribute("href");
        parts.go.setAttribute("aria-disabled", "true");
      }
      parts.clear.hidden = n === 0;
    }

    function toggle(input) {
      var slugs = selection();
      var at = slugs.indexOf(input.value);
      if (input.checked && at < 0) {
        if (slugs.length >= MAX) {
          input.checked = false;
          note = "Up to " + MAX + " entries can be compared; remove one first.";
        } else {
          slugs.push(input.value);
        }
      } else if (!input.checked && at >= 0) {
        slugs.splice(at, 1);
      }
      keep(slugs);
      refresh();
    }

    /* A checkbox in each card or result not yet given one. */
    function decorate(item, link) {
      var slug = slugOf(link);
      if (!slug || item.querySelector(".cc-compare-box")) return;
      var label = document.createElement("label");
      label.className = "cc-compare-box";
      var input = document.createElement("input");
      input.type = "checkbox";
      input.value = slug;
      input.addEventListener("change", function () { toggle(input); });
      var text = document.createElement("span");
      text.textContent = "Compare";
      var name = document.createElement("span");
      name.className = "cc-visually-hidden";
      name.textContent = " " + link.textContent;
      label.appendChild(input);
      label.appendChild(text);
      label.appendChild(name);
      item.appendChild(label);
    }

    function decorateAll() {
      document.querySelectorAll(".cc-card").forEach(function (card) {
        decorate(card, card.querySelector(".cc-card__name a"));
      });
      document.querySelectorAll(".cc-search-page__results .cc-result").forEach(function (item) {
        decorate(item, item.querySelector("a.cc-result__name"));
      });
      refresh();
    }

    parts.clear.addEventListener("click", function () {
      keep([]);
      note = "Selection cleared.";
      refresh();
      /* The button hides itself: keep the keyboard's place in the list. */
      var first = document.querySelector(".cc-compare-box input");
      if (first) first.focus();
    });
    /* Search results come and go: boxes for each new list. */
    var results = document.querySelector(".cc-search-page__results");
    if (results && window.MutationObserver) {
      new MutationObserver(decorateAll).observe(results, { childList: true });
    }
    /* Another tab changed the selection. */
    window.addEventListener("storage", function (event) {
      if (event.key === KEY) refresh();
    });
    decorateAll();
  }

  /* ---- compare.html: the table of the entries asked for ---- */

  /* The data file holding `slug`: the last whose first slug is not after it. */
  function groupOf(slug, first) {
    var low = 0, high = first.length - 1, found = -1;
    while (low <= high) {
      var mid = (low + high) >> 1;
      if (first[mid] <= slug) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  /* The columns of `slugs` (in that order) and the slugs not found. */
  function columnsOf(slugs, index) {
    var groups = [];
    slugs.forEach(function (slug) {
      var g = groupOf(slug, index.first);
      if (g >= 0 && groups.indexOf(g) < 0) groups.push(g);
    });
    return Promise.all(groups.map(function (g) {
      return load("compare-d:" + g, "compare/d/" + g + ".js");
    })).then(function (files) {
      var found = {};
      files.forEach(function (columns) {
        columns.forEach(function (column) { found[column.s] = column; });
      });
      var has = function (slug) { return Object.prototype.hasOwnProperty.call(found, slug); };
      return {
        columns: slugs.filter(has).map(function (slug) { return found[slug]; }),
        unknown: slugs.filter(function (slug) { return !has(slug); })
      };
    });
  }

  /* The row groups of a table, by the same rules as `table` in
   * src/render/pages/compare.rs: facts, the evaluation summary, then the
   * criteria of each rubric any entry was evaluated with; a dash where
   * an entry was not evaluated with that rubric. */
  function tableGroups(columns, index) {
    var groups = [];
    var offset = 0;
    index.groups.forEach(function (group) {
      var start = offset;
      groups.push({
        name: group[0],
        rows: group[1].map(function (label, n) {
          return { label: label, cells: columns.map(function (c) { return c.f[start + n] || []; }) };
        })
      });
      offset += group[1].length;
    });
    index.rubrics.forEach(function (rubric) {
      var id = rubric[0];
      var used = function (c) { return c.r.indexOf(id) >= 0; };
      if (!columns.some(used)) return;
      groups.push({
        name: rubric[1],
        rows: rubric[2].map(function (criterion) {
          return {
            label: criterion[1],
            cells: columns.map(function (c) {
              if (!used(c)) return [];
              var result = Object.prototype.hasOwnProperty.call(c.c, criterion[0]) ? c.c[criterion[0]] : "";
              return [[result || "Not assessed"]];
            })
          };
        })
      });
    });
    return groups;
  }

  function element(name, text) {
    var node = document.createElement(name);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function joined(names) {
    if (names.length < 2) return names.join("");
    return names.slice(0, -1).join(", ") + " and " + names[names.length - 1];
  }

  /* A cell's parts, as `cell` in compare-table.html draws them. */
  function fillCell(cell, parts) {
    if (!parts.length) {
      cell.textContent = "—";
      return;
    }
    parts.forEach(function (part, i) {
      if (i > 0) cell.appendChild(document.createTextNode(", "));
      if (part.length > 1) {
        var link = element("a", part[0]);
        link.href = root + part[1];
        cell.appendChild(link);
      } else {
        cell.appendChild(document.createTextNode(part[0]));
      }
    });
  }

  /* The table of `columns`, each column head with a button that calls
   * `remove` with its slug. */
  function buildTable(columns, index, remove) {
    var caption = joined(columns.map(function (c) { return c.n; })) + " side by side";
    /* A region the keyboard can scroll when the table is wider than the
     * screen, named by its caption. */
    var wrap = element("div");
    wrap.className = "cc-table-wrap";
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", caption);
    wrap.setAttribute("tabindex", "0");
    var table = element("table");
    table.className = "cc-table cc-compare";
    table.appendChild(element("caption", caption));
    var head = element("thead");
    var top = element("tr");
    top.appendChild(element("td"));
    columns.forEach(function (c) {
      var th = element("th");
      th.setAttribute("scope", "col");
      var link = element("a", c.n);
      link.href = root + "entry/" + encodeURIComponent(c.s) + ".html";
      th.appendChild(link);
      var button = element("button", "Remove");
      button.type = "button";
      button.className = "cc-compare__remove";
      button.setAttribute("aria-label", "Remove " + c.n + " from the comparison");
      button.addEventListener("click", function () { remove(c.s); });
      th.appendChild(button);
      top.appendChild(th);
    });
    head.appendChild(top);
    table.appendChild(head);
    tableGroups(columns, index).forEach(function (group) {
      var body = element("tbody");
      if (group.name) {
        var tr = element("tr");
        var th = element("th", group.name);
        th.setAttribute("scope", "rowgroup");
        th.colSpan = columns.length + 1;
        tr.appendChild(th);
        body.appendChild(tr);
      }
      group.rows.forEach(function (row) {
        var tr = element("tr");
        var th = element("th", row.label);
        th.setAttribute("scope", "row");
        tr.appendChild(th);
        row.cells.forEach(function (parts) {
          var td = element("td");
          fillCell(td, parts);
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      table.appendChild(body);
    });
    wrap.appendChild(table);
    return wrap;
  }

  function setUpComparison(page) {
    var status = page.querySelector(".cc-compare-page__status");
    var out = page.querySelector(".cc-compare-page__result");
    /* Every `e` in the address, split at spaces and commas, in lower case,
     * each once. Only values shaped like entry names are looked up or shown
     * on the page: anything else in an address someone sent is counted,
     * never quoted, so that a crafted link cannot put its words here. */
    var asked = [];
    var malformed = 0;
    new URLSearchParams(location.search).getAll("e").join(",").split(/[\s,]+/)
      .forEach(function (value) {
        var slug = value.toLowerCase();
        if (!slug || asked.indexOf(slug) >= 0) return;
        if (SLUG.test(slug) && slug.length <= 80) asked.push(slug);
        else malformed += 1;
      });
    if (!asked.length && !malformed) {
      status.textContent = "Tick “Compare” on up to " + MAX + " entries in a category, all entries " +
        "or search results, then follow the link that appears; or open a comparison below.";
      return;
    }
    /* A few more than can be shown, so that a renamed entry leaves room. */
    asked = asked.slice(0, 3 * MAX);

    load("compare-index", "compare/d/index.js").then(function (index) {
      return columnsOf(asked, index).then(function (found) {
        var unknown = found.unknown;
        var columns = found.columns.slice(0, MAX);
        var extra = found.columns.length - columns.length;

        function show(focus) {
          var notes = [];
          if (columns.length >= 2) notes.push("Comparing " + columns.length + " entries.");
          else notes.push("Choose at least two entries to compare: tick “Compare” on category pages, all entries or search results.");
          if (unknown.length) {
            notes.push((unknown.length === 1 ? "No entry " : "No entries ") +
              unknown.map(function (s) { return "“" + s + "”"; }).join(", ") +
              " in this catalogue; " + (unknown.length === 1 ? "it" : "they") +
              " may have been renamed or removed.");
          }
          if (malformed) {
            notes.push(malformed + (malformed === 1 ? " value" : " values") +
              " in the address " + (malformed === 1 ? "is not an entry's name and was" : "are not entries' names and were") +
              " ignored.");
          }
          if (extra) notes.push("Up to " + MAX + " entries are compared at once; the first " + MAX + " found are shown.");
          status.textContent = notes.join(" ");
          out.replaceChildren(columns.length ? buildTable(columns, index, remove) : element("div"));
          if (focus) status.focus();
        }

        function remove(slug) {
          columns = columns.filter(function (c) { return c.s !== slug; });
          keep(selection().filter(function (s) { return s !== slug; }));
          try {
            var url = new URL(location.href);
            url.search = columns.length ? "?e=" + columns.map(function (c) { return encodeURIComponent(c.s); }).join("+") : "";
            history.replaceState(null, "", url);
          } catch (error) { /* pages opened from disk may refuse; the table still updates */ }
          show(true);
        }

        show(false);
      });
    }).catch(function () {
      status.textContent = "The comparison data could not be loaded.";
    });
  }

  function setUp() {
    var page = document.querySelector(".cc-compare-page");
    if (page) setUpComparison(page);
    else setUpListing();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
