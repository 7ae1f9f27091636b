/* CSIRT Commons search.
 *
 * Downloads nothing until the search box gets focus or the search page
 * opens; then loads the split index in `search/` as scripts (pages opened
 * from disk cannot fetch files, but can load scripts). Query words go
 * through the same steps as the build's analysis: split into runs of
 * letters and digits, lower-case, fold accents with the table the build
 * wrote, cut Chinese, Japanese and Korean runs into pairs. Results are
 * built from text nodes only: nothing from the index is ever parsed as
 * HTML. */
(function () {
  "use strict";

  var script = document.currentScript;
  var root = script.src.replace(/static\/search\.js(?:[?#].*)?$/, "");
  var WORD = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]+/gu;
  var MAX_TERM_BYTES = 40;
  var waiting = {};
  var loading = {};
  var latest = 0;

  /* The index files call these. `analyse` lets tests and other tools see
   * the terms a query becomes, to check them against the build's. */
  window.__cc = {
    query: function (text, limit) { return search(text, limit || 8); },
    stems: function (words) { return words.map(stem); },
    analyse: function (texts) {
      return meta().then(function (m) {
        return texts.map(function (text) { return queryTerms(text, m.fold); });
      });
    },
    m: function (meta) { settle("meta", meta); },
    t: function (data) { settle("t:" + data[0], data[1]); },
    r: function (data) { settle("r:" + data[0], data[1]); },
    b: function (data) { settle("b:" + data[0], data[1]); },
    f: function (data) { settle("facets", data); },
    /* compare.js loads its data files with these. */
    load: load,
    settle: settle
  };

  function settle(key, value) {
    var done = waiting[key];
    if (done) {
      delete waiting[key];
      done(value);
    }
  }

  /* Loads one data file (`path`, from the site's root) once; later calls
   * with the same key share the same promise, which the file settles by
   * calling back with that key. */
  function load(key, path) {
    if (!loading[key]) {
      loading[key] = new Promise(function (resolve, reject) {
        waiting[key] = resolve;
        var tag = document.createElement("script");
        tag.src = root + path;
        tag.async = true;
        tag.onerror = function () { reject(new Error("cannot load " + path)); };
        document.head.appendChild(tag);
      });
    }
    return loading[key];
  }

  function meta() {
    return load("meta", "search/meta.js").then(function (m) {
      if (!m.chunkSet) m.chunkSet = new Set(m.chunks);
      /* Records already at hand, by document number. */
      if (!m.known) m.known = new Map();
      return m;
    });
  }

  function isCjk(c) {
    var n = c.codePointAt(0);
    return (n >= 0x3040 && n <= 0x30ff) || (n >= 0x3400 && n <= 0x4dbf) ||
      (n >= 0x4e00 && n <= 0x9fff) || (n >= 0xf900 && n <= 0xfaff) ||
      (n >= 0xac00 && n <= 0xd7af) || (n >= 0x20000 && n <= 0x2fa1f);
  }

  function fold(text, table) {
    var out = "";
    for (var c of text) out += table[c] || c;
    return out;
  }

  var encoder = new TextEncoder();

  /* The terms of a query, as `query_terms` in src/index/analysis.rs. */
  function queryTerms(text, table) {
    var out = [];
    (text.match(WORD) || []).forEach(function (token) {
      var word = fold(token.toLowerCase(), table);
      runs(word).forEach(function (run) {
        var chars = Array.from(run.text);
        if (!run.cjk) {
          if (encoder.encode(run.text).length <= MAX_TERM_BYTES) out.push(run.text);
        } else if (chars.length === 1) {
          out.push(run.text);
        } else {
          for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
        }
      });
    });
    return out.filter(function (t, i) { return out.indexOf(t) === i; });
  }

  function runs(word) {
    var list = [];
    for (var c of word) {
      var cjk = isCjk(c);
      var last = list[list.length - 1];
      if (last && last.cjk === cjk) last.text += c;
      else list.push({ text: c, cjk: cjk });
    }
    return list;
  }

  /* English stemmer (Snowball "english", the algorithm tantivy uses), written
   * for CSIRT Commons so that the browser stems query words exactly as the
   * build stems the catalogue. Works on lower-case words. */
  function stem(input) {
    var EXCEPTIONS = { skis: "ski", skies: "sky", idly: "idl", gently: "gentl", ugly: "ugli",
      early: "earli", only: "onli", singly: "singl", andes: "andes", atlas: "atlas", bias: "bias",
      cosmos: "cosmos", howe: "howe", news: "news", sky: "sky" };
    if (Object.prototype.hasOwnProperty.call(EXCEPTIONS, input)) return EXCEPTIONS[input];
    var w = Array.from(input);
    if (w.length < 3) return input;
    if (w[0] === "'") w.shift();
    var vowel = function (c) { return "aeiouy".indexOf(c) >= 0; };
    var yFound = false;
    if (w[0] === "y") { w[0] = "Y"; yFound = true; }
    for (var i = 1; i < w.length; i++) {
      if (w[i] === "y" && vowel(w[i - 1])) { w[i] = "Y"; yFound = true; }
    }
    var s = w.join("");
    /* Regions: after the first non-vowel that follows a vowel. */
    function regionAfter(start) {
      var i = start;
      while (i < w.length && !vowel(w[i])) i++;
      if (i >= w.length) return w.length;
      i++;
      while (i < w.length && vowel(w[i])) i++;
      if (i >= w.length) return w.length;
      return i + 1;
    }
    var p1 = w.length, p2 = w.length;
    var prefix = ["arsen", "commun", "emerg", "gener", "inter", "later", "organ", "past", "univers"]
      .filter(function (p) { return s.startsWith(p); })[0];
    if (prefix) p1 = prefix.length; else p1 = regionAfter(0);
    if (p1 < w.length || prefix) p2 = regionAfter(p1);
    if (!prefix && p1 >= w.length) p2 = w.length;
    /* Helpers over the current word w (an array of characters). */
    function ends(suffix) { return w.length >= suffix.length && w.slice(w.length - suffix.length).join("") === suffix; }
    function longest(list) {
      var best = null;
      list.forEach(function (x) { if (ends(x) && (!best || x.length > best.length)) best = x; });
      return best;
    }
    function replace(n, by) { w = w.slice(0, w.length - n).concat(Array.from(by)); }
    function isV(c) { return c !== undefined && vowel(c); }
    /* A short syllable ends at position `at` (exclusive). */
    function shortv(at) {
      var a = w[at - 1], b = w[at - 2], c = w[at - 3];
      if (a !== undefined && "Yaeiouwxy".indexOf(a) < 0 && isV(b) && c !== undefined && !isV(c)) return true;
      if (a !== undefined && !isV(a) && isV(b) && at - 2 === 0) return true;
      return w.slice(0, at).join("").endsWith("past");
    }
    /* Step 0 */
    var s0 = longest(["'", "'s'", "'s"]);
    if (s0) replace(s0.length, "");
    /* Step 1a */
    var s1 = longest(["ied", "s", "ies", "sses", "ss", "us"]);
    if (s1 === "sses") replace(4, "ss");
    else if (s1 === "ied" || s1 === "ies") replace(3, w.length - 3 >= 2 ? "i" : "ie");
    else if (s1 === "s") {
      var before = w.length - 2;
      var found = false;
      for (var k = before - 1; k >= 0; k--) if (isV(w[k])) { found = true; break; }
      if (before >= 0 && found) replace(1, "");
    }
    /* Step 1b */
    var last = w[w.length - 1];
    var s2 = (last === "d" || last === "g" || last === "y") ? longest(["ed", "eed", "ing", "edly", "eedly", "ingly"]) : null;
    var removeSuffix = false;
    if (s2 === "eed" || s2 === "eedly") {
      var start = w.length - s2.length;
      if (p1 <= start) {
        var stemPart = w.slice(0, start).join("");
        if (!(stemPart === "succ" || stemPart === "proc" || stemPart === "exc")) replace(s2.length, "ee");
      }
    } else if (s2 === "ed" || s2 === "edly" || s2 === "ingly") {
      removeSuffix = true;
    } else if (s2 === "ing") {
      var head = w.slice(0, w.length - 3).join("");
      if (head.length === 2 && head[1] === "y" && !isV(head[0])) replace(4, "ie");
      else if (["even", "cann", "inn", "earr", "herr", "out"].indexOf(head) < 0) removeSuffix = true;
    }
    if (removeSuffix) {
      var cut = w.length - s2.length;
      var hasVowel = false;
      for (var m = 0; m < cut; m++) if (isV(w[m])) { hasVowel = true; break; }
      if (hasVowel) {
        w = w.slice(0, cut);
        var end2 = w.slice(-2).join("");
        if (end2 === "at" || end2 === "bl" || end2 === "iz") {
          w.push("e");
        } else if (["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"].indexOf(end2) >= 0) {
          var keep = w.length === 3 && "aeo".indexOf(w[0]) >= 0;
          if (!keep) w.pop();
        } else if (w.length === p1 && shortv(w.length)) {
          w.push("e");
        }
      }
    }
    /* Step 1c */
    var lc = w[w.length - 1];
    if ((lc === "y" || lc === "Y") && w.length > 2 && !isV(w[w.length - 2])) w[w.length - 1] = "i";
    /* Step 2 */
    var STEP2 = { anci: "ance", enci: "ence", ogi: "og", li: "", bli: "ble", abli: "able", alli: "al",
      fulli: "ful", lessli: "less", ousli: "ous", entli: "ent", aliti: "al", biliti: "ble", iviti: "ive",
      tional: "tion", ational: "ate", alism: "al", ation: "ate", ization: "ize", izer: "ize", ator: "ate",
      iveness: "ive", fulness: "ful", ousness: "ous", ogist: "og" };
    var s3 = longest(Object.keys(STEP2));
    if (s3 && w.length - s3.length >= p1) {
      var prev = w[w.length - s3.length - 1];
      if (s3 === "ogi") { if (prev === "l") replace(3, "og"); }
      else if (s3 === "li") { if (prev !== undefined && "cdeghkmnrt".indexOf(prev) >= 0) replace(2, ""); }
      else replace(s3.length, STEP2[s3]);
    }
    /* Step 3 */
    var STEP3 = { icate: "ic", ative: "", alize: "al", iciti: "ic", ical: "ic", tional: "tion",
      ational: "ate", ful: "", ness: "" };
    var s4 = w.length > 2 ? longest(Object.keys(STEP3)) : null;
    if (s4 && w.length - s4.length >= p1) {
      if (s4 === "ative") { if (w.length - 5 >= p2) replace(5, ""); }
      else replace(s4.length, STEP3[s4]);
    }
    /* Step 4 */
    var s5 = w.length > 1 ? longest(["ic", "ance", "ence", "able", "ible", "ate", "ive", "ize", "iti", "al",
      "ism", "ion", "er", "ous", "ant", "ent", "ment", "ement"]) : null;
    if (s5 && w.length - s5.length >= p2) {
      if (s5 === "ion") {
        var before4 = w[w.length - 4];
        if (before4 === "s" || before4 === "t") replace(3, "");
      } else replace(s5.length, "");
    }
    /* Step 5 */
    var e = w[w.length - 1];
    if (e === "e") {
      var at = w.length - 1;
      if (at >= p2 || (at >= p1 && !shortv(at))) w.pop();
    } else if (e === "l") {
      if (w.length - 1 >= p2 && w[w.length - 2] === "l") w.pop();
    }
    var out = w.join("");
    return yFound ? out.replace(/Y/g, "y") : out;
  }

  function hex(text) {
    return Array.from(encoder.encode(text), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  /* Whether two words differ by one typo: a letter inserted, deleted,
   * changed, or two neighbours swapped. */
  function oneEdit(a, b) {
    var x = Array.from(a), y = Array.from(b);
    if (Math.abs(x.length - y.length) > 1) return false;
    if (x.length === y.length) {
      var diff = [];
      for (var k = 0; k < x.length; k++) if (x[k] !== y[k]) diff.push(k);
      if (diff.length === 2 && diff[1] === diff[0] + 1 &&
          x[diff[0]] === y[diff[1]] && x[diff[1]] === y[diff[0]]) return true;
    }
    var i = 0, j = 0, edits = 0;
    while (i < x.length && j < y.length) {
      if (x[i] === y[j]) { i++; j++; continue; }
      if (++edits > 1) return false;
      if (x.length > y.length) i++;
      else if (y.length > x.length) j++;
      else { i++; j++; }
    }
    return edits + (x.length - i) + (y.length - j) <= 1;
  }

  /* Scores of the documents one query word finds: exact matches above
   * prefix matches above one-typo matches (words of five letters or more). */
  function match(word, chunk, documents) {
    var scores = new Map();
    var long = Array.from(word).length >= 5;
    chunk.forEach(function (entry) {
      /* [term, largest weight, gaps between documents, weights as characters] */
      var term = entry[0], largest = entry[1], gaps = entry[2], weights = entry[3];
      var kind = term === word ? 3 : term.startsWith(word) ? 2 : long && oneEdit(word, term) ? 1 : 0;
      if (!kind) return;
      var df = gaps.length;
      var idf = Math.log(1 + (documents - df + 0.5) / (df + 0.5));
      var doc = 0;
      for (var i = 0; i < gaps.length; i++) {
        doc += gaps[i];
        var weight = (weights.charCodeAt(i) - 48) * largest / 32;
        var score = weight * idf * kind;
        if (score > (scores.get(doc) || 0)) scores.set(doc, score);
      }
    });
    return scores;
  }

  /* Whether a document passes the selected values of every facet but
   * `skip`. Within a facet any selected value will do; an entry useful for
   * any incident class (no classes listed) passes every class. */
  function passes(doc, facets, selected, skip) {
    return Object.keys(selected).every(function (id) {
      if (id === skip || !selected[id].size) return true;
      var at = facets.facets.findIndex(function (f) { return f.id === id; });
      var values = facets.documents[doc][at];
      if (id === "incident" && !values.length) return true;
      return values.some(function (v) { return selected[id].has(v); });
    });
  }

  /* Documents and scores for the query words; every word must match (AND).
   * With no words, every document, unscored. */
  function scored(m, words) {
    if (!words.length) {
      var all = new Map();
      for (var d = 0; d < m.documents; d++) all.set(d, 0);
      return Promise.resolve(all);
    }
    /* The chunk of terms starting like `term`, with its best records. */
    function chunkOf(term) {
      var key = Array.from(term).slice(0, 2).join("");
      if (!m.chunkSet.has(key)) return Promise.resolve([]);
      var best = load("b:" + key, "search/b/" + hex(key) + ".js").then(function (records) {
        records.forEach(function (r) { m.known.set(r[0], r[1]); });
      });
      return Promise.all([load("t:" + key, "search/t/" + hex(key) + ".js"), best]).then(function (loaded) {
        return loaded[0];
      });
    }
    /* A word matches as written (exactly, as a prefix, with a typo) or by
     * its stem (exactly), whichever scores higher. */
    return Promise.all(words.map(function (word) {
      var stemmed = isCjk(word[0]) ? word : stem(word);
      var lookups = [chunkOf(word).then(function (chunk) { return match(word, chunk, m.documents); })];
      if (stemmed !== word && stemmed) {
        lookups.push(chunkOf(stemmed).then(function (chunk) {
          return match(stemmed, chunk.filter(function (entry) { return entry[0] === stemmed; }), m.documents);
        }));
      }
      return Promise.all(lookups).then(function (maps) {
        var merged = maps[0];
        if (maps[1]) maps[1].forEach(function (score, doc) {
          if (score > (merged.get(doc) || 0)) merged.set(doc, score);
        });
        return merged;
      });
    })).then(function (lists) {
      var total = new Map(lists[0]);
      lists.slice(1).forEach(function (list) {
        total.forEach(function (score, doc) {
          if (list.has(doc)) total.set(doc, score + list.get(doc));
          else total.delete(doc);
        });
      });
      return total;
    });
  }

  /* Runs a query with facet filters (`selected`: facet id → set of value
   * indexes; `facets` may be null when there are none). Resolves to the
   * ranked records, the total count and the facet counts. */
  function search(text, limit, facets, selected) {
    selected = selected || {};
    return meta().then(function (m) {
      var words = queryTerms(text, m.fold).filter(function (w) {
        return Array.from(w).length >= 2 || isCjk(w);
      });
      var filtering = Object.keys(selected).some(function (id) { return selected[id].size; });
      if (!words.length && !filtering) return { words: [], results: [], count: 0, counts: null, fold: m.fold };
      return scored(m, words).then(function (total) {
        var counts = null;
        if (facets) {
          counts = facets.facets.map(function (facet) {
            var tally = facet.values.map(function () { return 0; });
            var at = facets.facets.indexOf(facet);
            total.forEach(function (score, doc) {
              if (passes(doc, facets, selected, facet.id)) {
                facets.documents[doc][at].forEach(function (v) { tally[v]++; });
              }
            });
            return tally;
          });
          total.forEach(function (score, doc) {
            if (!passes(doc, facets, selected, null)) total.delete(doc);
          });
        }
        var ranked = Array.from(total).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
        var count = ranked.length;
        ranked = ranked.slice(0, limit);
        /* Records not yet at hand come from their group files. */
        var groups = ranked.filter(function (r) { return !m.known.has(r[0]); })
          .map(function (r) { return Math.floor(r[0] / m.records_per_file); })
          .filter(function (g, i, all) { return all.indexOf(g) === i; });
        return Promise.all(groups.map(function (g) {
          return load("r:" + g, "search/r/" + g + ".js").then(function (records) {
            records.forEach(function (record, i) { m.known.set(g * m.records_per_file + i, record); });
          });
        })).then(function () {
          var results = ranked.map(function (r) {
            var record = m.known.get(r[0]);
            return { slug: record[0], name: record[1], summary: record[2], kind: record[3], categories: record[4] };
          });
          return { words: words, results: results, count: count, counts: counts, fold: m.fold };
        });
      });
    });
  }

  /* Text with the words that a query word starts marked, built as nodes. */
  function highlighted(text, words, table) {
    var fragment = document.createDocumentFragment();
    var last = 0;
    text.replace(WORD, function (token, offset) {
      var normal = fold(token.toLowerCase(), table);
      var hit = words.some(function (w) { return normal.startsWith(w) || normal.indexOf(w) >= 0 && isCjk(w[0]); });
      if (!hit) return token;
      fragment.appendChild(document.createTextNode(text.slice(last, offset)));
      var mark = document.createElement("mark");
      mark.textContent = token;
      fragment.appendChild(mark);
      last = offset + token.length;
      return token;
    });
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  function resultItem(result, answer) {
    var item = document.createElement("li");
    item.className = "cc-result";
    var link = document.createElement("a");
    link.href = root + "entry/" + encodeURIComponent(result.slug) + ".html";
    link.className = "cc-result__name";
    link.appendChild(highlighted(result.name, answer.words, answer.fold));
    var meta = document.createElement("span");
    meta.className = "cc-result__meta";
    meta.textContent = [result.kind].concat(result.categories).join(" · ");
    var summary = document.createElement("p");
    summary.className = "cc-result__summary";
    summary.appendChild(highlighted(result.summary, answer.words, answer.fold));
    item.appendChild(link);
    item.appendChild(meta);
    item.appendChild(summary);
    return item;
  }

  /* Shows the answer to the newest query only: a slow answer to an older
   * query never overwrites a newer one. `options.facets` and
   * `options.selected` filter; `options.onCounts` receives facet counts. */
  function run(text, list, status, limit, options) {
    options = options || {};
    var seq = ++latest;
    var filtering = options.selected && Object.keys(options.selected).some(function (id) {
      return options.selected[id].size;
    });
    if (!text.trim() && !filtering) {
      list.replaceChildren();
      status.textContent = "";
      if (options.onCounts) options.onCounts(null);
      return Promise.resolve();
    }
    return search(text, limit, options.facets, options.selected).then(function (answer) {
      if (seq !== latest) return;
      list.replaceChildren.apply(list, answer.results.map(function (r) { return resultItem(r, answer); }));
      status.textContent = answer.results.length
        ? (answer.count === 1 ? "1 result" : answer.count + " results")
        : "No results for this search.";
      if (options.onCounts) options.onCounts(answer.counts);
    }).catch(function () {
      if (seq === latest) status.textContent = "Search is not available.";
    });
  }

  function moveSelection(list, step) {
    var links = Array.from(list.querySelectorAll("a"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    var next = at < 0 ? (step > 0 ? 0 : links.length - 1) : at + step;
    if (next < 0 || next >= links.length) {
      list.closest("form, .cc-search-page").querySelector("input").focus();
    } else {
      links[next].focus();
    }
  }

  /* Wires one search box to a result list. `options()` gives the current
   * filters; `onQuery` hears every new query. */
  function wire(input, list, status, limit, options, onQuery) {
    var timer;
    input.addEventListener("focus", function () { meta().catch(function () {}); }, { once: true });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        run(input.value, list, status, limit, options());
        if (onQuery) onQuery(input.value);
      }, 60);
    });
    var container = list.parentElement;
    container.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        moveSelection(list, event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Escape") {
        input.value = "";
        latest++;
        list.replaceChildren();
        status.textContent = "";
        input.focus();
        if (onQuery) onQuery("");
      }
    });
  }

  /* The facet checkboxes of the search page, from the facet data. */
  function facetControls(box, facets, selected, changed) {
    var labels = [];
    facets.facets.forEach(function (facet, at) {
      var fieldset = document.createElement("fieldset");
      fieldset.className = "cc-facet";
      var legend = document.createElement("legend");
      legend.textContent = facet.name;
      fieldset.appendChild(legend);
      labels[at] = [];
      facet.values.forEach(function (value, v) {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = facet.id;
        box.value = value[0];
        box.checked = box.defaultChecked = selected[facet.id].has(v);
        box.addEventListener("change", function () {
          if (box.checked) selected[facet.id].add(v);
          else selected[facet.id].delete(v);
          changed();
        });
        var text = document.createElement("span");
        label.appendChild(box);
        label.appendChild(text);
        fieldset.appendChild(label);
        labels[at][v] = { text: text, name: value[1], label: label };
      });
      box.appendChild(fieldset);
    });
    return function showCounts(counts) {
      labels.forEach(function (values, at) {
        values.forEach(function (entry, v) {
          var n = counts ? counts[at][v] : null;
          entry.text.textContent = n === null ? entry.name : entry.name + " (" + n + ")";
          entry.label.classList.toggle("cc-facet--empty", n === 0 && !selected[facets.facets[at].id].has(v));
        });
      });
    };
  }

  function setUp() {
    document.querySelectorAll(".cc-search").forEach(function (form) {
      var list = document.createElement("ol");
      list.className = "cc-search__results";
      var status = document.createElement("p");
      status.className = "cc-search__status";
      status.setAttribute("role", "status");
      form.appendChild(status);
      form.appendChild(list);
      wire(form.querySelector("input"), list, status, 8, function () { return {}; });
    });

    var page = document.querySelector(".cc-search-page");
    if (!page) return;
    var input = page.querySelector("input");
    var list = page.querySelector(".cc-search-page__results");
    var status = page.querySelector(".cc-search-page__status");
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";

    load("facets", "search/facets.js").then(function (facets) {
      var selected = {};
      facets.facets.forEach(function (facet) {
        var wanted = params.getAll(facet.id);
        selected[facet.id] = new Set(facet.values
          .map(function (value, v) { return wanted.indexOf(value[0]) >= 0 ? v : -1; })
          .filter(function (v) { return v >= 0; }));
      });
      var showCounts = function () {};
      var options = function () { return { facets: facets, selected: selected, onCounts: showCounts }; };
      var remember = function () {
        try {
          var url = new URL(location.href);
          url.search = "";
          if (input.value) url.searchParams.set("q", input.value);
          facets.facets.forEach(function (facet) {
            selected[facet.id].forEach(function (v) { url.searchParams.append(facet.id, facet.values[v][0]); });
          });
          history.replaceState(null, "", url);
        } catch (error) { /* pages opened from disk may refuse; the results still show */ }
      };
      showCounts = facetControls(page.querySelector(".cc-search-page__facets"), facets, selected, function () {
        remember();
        run(input.value, list, status, 50, options());
      });
      wire(input, list, status, 50, options, remember);
      page.classList.add("cc-search-page--ready");
      return run(input.value, list, status, 50, options());
    }).catch(function () {
      status.textContent = "Search is not available.";
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
