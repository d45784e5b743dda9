/* dangqun: small progressive enhancements for server-rendered pages.
   Every page works without this file; it adds confirmations, remembered menu and
   tree state, form-control classes, charts and the CSRF header for htmx. */
(function () {
  "use strict";

  var dq = (window.dangqun = window.dangqun || {});

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  dq.csrfToken = csrfToken;

  var store = {
    get: function (key) {
      try { return window.localStorage.getItem("dq:" + key); } catch (e) { return null; }
    },
    set: function (key, value) {
      try { window.localStorage.setItem("dq:" + key, value); } catch (e) { /* private mode: forget */ }
    },
  };

  function each(root, selector, fn) {
    var scope = root || document;
    if (scope.matches && scope.matches(selector)) fn(scope);
    Array.prototype.forEach.call(scope.querySelectorAll(selector), fn);
  }

  /* ---------- confirmation dialogs ---------- */
  // One Bootstrap modal (#dq-confirm, in components/assets_body.html) asks; pages
  // without Bootstrap fall back to window.confirm.
  dq.confirm = function (question, onOk) {
    var modalEl = document.getElementById("dq-confirm");
    if (!modalEl || !window.bootstrap || !window.bootstrap.Modal) {
      if (window.confirm(question)) onOk();
      return;
    }
    modalEl.querySelector("[data-dq-confirm-text]").textContent = question;
    var modal = window.bootstrap.Modal.getOrCreateInstance(modalEl);
    var okButton = modalEl.querySelector("[data-dq-confirm-ok]");
    var confirmed = false;
    var shown = false;
    // Bootstrap ignores hide() while the dialog is still fading in: a quick click on
    // 确定 is remembered and acted on once the dialog is shown.
    function ok() { confirmed = true; if (shown) modal.hide(); }
    function hidden() {
      okButton.removeEventListener("click", ok);
      modalEl.removeEventListener("hidden.bs.modal", hidden);
      if (confirmed) onOk();
    }
    okButton.addEventListener("click", ok);
    modalEl.addEventListener("hidden.bs.modal", hidden);
    modalEl.addEventListener("shown.bs.modal", function focusOk() {
      modalEl.removeEventListener("shown.bs.modal", focusOk);
      shown = true;
      if (confirmed) modal.hide();
      else okButton.focus();
    });
    modal.show();
  };

  function postTo(url) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = url;
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "csrfmiddlewaretoken";
    input.value = csrfToken();
    form.appendChild(input);
    document.body.appendChild(form);
    form.submit();
  }

  // Forms (or the button that submits them) with data-confirm ask first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter || null;
    if (submitter && submitter.hasAttribute("data-dq-bulk-action")) {
      var ticked = document.querySelectorAll('input[data-dq-check]:checked[form="' + form.id + '"]').length;
      if (!ticked) {
        event.preventDefault();
        window.alert("请先勾选要操作的记录。");
        return;
      }
    }
    var question = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (!question || form.dataset.dqConfirmed === "1") return;
    event.preventDefault();
    event.stopPropagation(); // nor may htmx send it before the answer
    dq.confirm(question, function () {
      form.dataset.dqConfirmed = "1";
      if (form.requestSubmit) form.requestSubmit(submitter || undefined);
      else form.submit();
      delete form.dataset.dqConfirmed;
    });
  }, true);

  // Forms with data-dq-busy="正在…" that take a while (a 100,000-row import): once really
  // submitted, their buttons are disabled and say so (no second submission meanwhile).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var text = form.getAttribute && form.getAttribute("data-dq-busy");
    if (!text || event.defaultPrevented) return;
    each(form, "button", function (button) {
      button.disabled = true;
    });
    var button = event.submitter || form.querySelector("button");
    if (button) {
      button.setAttribute("data-dq-label", button.innerHTML);
      button.innerHTML = '<span class="spinner-border spinner-border-sm me-1" aria-hidden="true"></span>';
      button.appendChild(document.createTextNode(text));
    }
  });
  // Back to a page left busy (the browser's page cache): its buttons work again.
  window.addEventListener("pageshow", function () {
    each(document, "form[data-dq-busy] button", function (button) {
      button.disabled = false;
      if (button.hasAttribute("data-dq-label")) {
        button.innerHTML = button.getAttribute("data-dq-label");
        button.removeAttribute("data-dq-label");
      }
    });
  });

  // Links with data-confirm ask first; with data-method="post" they POST (with the CSRF token).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-confirm], a[data-method='post']");
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    var go = function () {
      if ((link.getAttribute("data-method") || "").toLowerCase() === "post") postTo(link.href);
      else window.location.href = link.href;
    };
    var question = link.getAttribute("data-confirm");
    if (question) dq.confirm(question, go);
    else go();
  });

  // Print and back buttons.
  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-dq-print], [data-dq-back]");
    if (!target) return;
    event.preventDefault();
    if (target.hasAttribute("data-dq-print")) window.print();
    else if (window.history.length > 1) window.history.back();
    else window.location.href = "/";
  });

  /* ---------- htmx: CSRF header and confirmations in our dialog ---------- */
  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token && !event.detail.headers["X-CSRFToken"]) event.detail.headers["X-CSRFToken"] = token;
  });
  document.addEventListener("htmx:confirm", function (event) {
    if (!event.detail.question) return;
    event.preventDefault();
    dq.confirm(event.detail.question, function () { event.detail.issueRequest(true); });
  });

  /* ---------- forms ---------- */
  // Django renders widgets without classes; give them Bootstrap's.
  dq.styleControls = function (root) {
    each(root, ".dq-control input, .dq-control select, .dq-control textarea", function (el) {
      var type = (el.getAttribute("type") || "").toLowerCase();
      if (type === "hidden" || type === "submit" || type === "button" || el.hasAttribute("data-dq-select-filter")) return;
      var cls;
      if (type === "checkbox" || type === "radio") cls = "form-check-input";
      else if (el.tagName === "SELECT") cls = "form-select";
      else cls = "form-control";
      el.classList.add(cls);
      var wrapper = el.closest(".dq-control");
      if (wrapper && wrapper.classList.contains("has-error")) el.classList.add("is-invalid");
      if (el.closest(".dq-search") && cls !== "form-check-input") el.classList.add(cls + "-sm");
    });
  };

  // Long selects (units, branches, people) get a filter box above them.
  dq.searchableSelects = function (root) {
    each(root, ".dq-form select:not([multiple]), select[data-dq-searchable]", function (select) {
      if (select.dataset.dqFiltered || (select.options.length < 15 && !select.hasAttribute("data-dq-searchable"))) return;
      select.dataset.dqFiltered = "1";
      var box = document.createElement("input");
      box.type = "search";
      box.className = "form-control form-control-sm dq-select-filter";
      box.placeholder = "输入文字筛选选项";
      box.setAttribute("aria-label", "筛选选项");
      box.setAttribute("data-dq-select-filter", "");
      select.parentNode.insertBefore(box, select);
      box.addEventListener("input", function () {
        var needle = box.value.trim().toLowerCase();
        var first = null;
        Array.prototype.forEach.call(select.options, function (option) {
          var show = !needle || option.value === "" || option.text.toLowerCase().indexOf(needle) !== -1;
          option.hidden = !show;
          if (show && option.value !== "" && !first) first = option;
        });
        if (needle && first && (select.selectedIndex < 0 || select.options[select.selectedIndex].hidden)) {
          first.selected = true;
        }
      });
    });
  };

  // Selects marked data-dq-autosubmit (page size) submit their form on change.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.hasAttribute && el.hasAttribute("data-dq-autosubmit") && el.form) el.form.submit();
    if (el.hasAttribute && el.hasAttribute("data-dq-check-all")) {
      each(document, "input[data-dq-check]", function (box) { box.checked = el.checked; });
    }
    if (el.hasAttribute && (el.hasAttribute("data-dq-check") || el.hasAttribute("data-dq-check-all"))) updateBulkCount();
  });

  function updateBulkCount() {
    var n = document.querySelectorAll("input[data-dq-check]:checked").length;
    each(document, "[data-dq-bulk-count]", function (el) { el.textContent = n ? String(n) : ""; });
  }

  // The "more fields" part of a search form opens by itself when one of its fields is filled.
  dq.openFilledSearch = function (root) {
    each(root, "[data-dq-open-if-filled]", function (panel) {
      var filled = Array.prototype.some.call(panel.querySelectorAll("input, select, textarea"), function (el) {
        if (el.type === "checkbox" || el.type === "radio") return el.checked;
        if (el.tagName === "SELECT") return Array.prototype.some.call(el.options, function (o) { return o.selected && o.value !== ""; });
        return el.value !== "";
      });
      if (!filled) return;
      panel.classList.add("show");
      var toggle = document.querySelector('[data-bs-target="#' + panel.id + '"]');
      if (toggle) toggle.setAttribute("aria-expanded", "true");
    });
  };

  // After a failed save, bring the error summary into view.
  dq.focusErrors = function (root) {
    each(root, "[data-dq-focus]", function (el) {
      el.focus({ preventScroll: true });
      el.scrollIntoView({ block: "nearest" });
    });
  };

  // Success messages fade after a while; errors stay until closed.
  dq.autohideMessages = function (root) {
    each(root, "[data-dq-autohide]", function (el) {
      window.setTimeout(function () {
        if (window.bootstrap && window.bootstrap.Alert) window.bootstrap.Alert.getOrCreateInstance(el).close();
        else el.remove();
      }, 6000);
    });
  };

  /* ---------- left menu: desktop collapse, phone offcanvas, remembered groups ---------- */
  var desktop = window.matchMedia ? window.matchMedia("(min-width: 992px)") : { matches: true };
  if (store.get("sidebar") === "collapsed") document.body.classList.add("dq-sidebar-collapsed");
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-dq-sidebar-toggle]");
    if (!button) return;
    var sidebar = document.getElementById("dq-sidebar");
    if (!sidebar) return;
    if (desktop.matches) {
      var collapsed = document.body.classList.toggle("dq-sidebar-collapsed");
      store.set("sidebar", collapsed ? "collapsed" : "open");
    } else if (window.bootstrap && window.bootstrap.Offcanvas) {
      window.bootstrap.Offcanvas.getOrCreateInstance(sidebar).toggle();
    }
  });

  // <details data-dq-remember="key">: restore the user's open/closed choice; the group of the
  // current page (data-dq-force-open) always stays open.
  dq.rememberDetails = function (root) {
    each(root, "details[data-dq-remember]", function (details) {
      var key = details.getAttribute("data-dq-remember");
      var saved = store.get(key);
      if (!details.hasAttribute("data-dq-force-open") && saved !== null) details.open = saved === "open";
      details.addEventListener("toggle", function () { store.set(key, details.open ? "open" : "closed"); });
    });
  };

  /* ---------- organisation tree ---------- */
  dq.initTree = function (tree) {
    if (tree.dataset.dqTreeReady) return;
    tree.dataset.dqTreeReady = "1";
    var treeKey = "tree:" + (tree.getAttribute("data-dq-tree") || "org");
    var nodes = Array.prototype.slice.call(tree.querySelectorAll(".dq-tree-node"));
    var depth = nodes.map(function (n) { return parseInt(n.getAttribute("data-depth"), 10) || 0; });
    var saved = {};
    try { saved = JSON.parse(store.get(treeKey) || "{}") || {}; } catch (e) { saved = {}; }

    function descendants(i) {
      var result = [];
      for (var j = i + 1; j < nodes.length && depth[j] > depth[i]; j++) result.push(j);
      return result;
    }
    var hasChildren = nodes.map(function (n, i) {
      return n.hasAttribute("data-has-children") || (i + 1 < nodes.length && depth[i + 1] > depth[i]);
    });
    var open = nodes.map(function (n, i) {
      var key = n.getAttribute("data-key");
      if (Object.prototype.hasOwnProperty.call(saved, key)) return saved[key];
      return n.hasAttribute("data-expanded") || depth[i] === Math.min.apply(null, depth);
    });
    // The path to the current node, and the node itself, are always open.
    var current = nodes.findIndex(function (n) { return n.classList.contains("is-current"); });
    if (current >= 0) open[current] = true;
    for (var k = current - 1, want = depth[current]; current >= 0 && k >= 0; k--) {
      if (depth[k] < want) { open[k] = true; want = depth[k]; }
    }

    function render() {
      var hiddenBelow = Infinity;
      nodes.forEach(function (n, i) {
        if (depth[i] <= hiddenBelow) hiddenBelow = Infinity;
        n.hidden = depth[i] > hiddenBelow;
        if (!n.hidden && hasChildren[i] && !open[i]) hiddenBelow = depth[i];
        var toggle = n.querySelector(".dq-tree-toggle");
        if (hasChildren[i]) {
          n.setAttribute("aria-expanded", open[i] ? "true" : "false");
          if (toggle) toggle.setAttribute("aria-expanded", open[i] ? "true" : "false");
        }
      });
    }

    nodes.forEach(function (n, i) {
      if (!hasChildren[i]) return;
      var span = n.querySelector(".dq-tree-toggle");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "dq-tree-toggle";
      button.setAttribute("aria-label", "展开或收起");
      span.replaceWith(button);
      button.addEventListener("click", function () {
        open[i] = !open[i];
        saved[n.getAttribute("data-key")] = open[i];
        store.set(treeKey, JSON.stringify(saved));
        render();
      });
    });
    render();

    // Filter box: show matching nodes and their ancestors.
    var filter = tree.querySelector("[data-dq-tree-filter]");
    if (filter) {
      filter.addEventListener("input", function () {
        var needle = filter.value.trim().toLowerCase();
        if (!needle) {
          nodes.forEach(function (n) { n.classList.remove("is-match"); });
          render();
          return;
        }
        var show = nodes.map(function () { return false; });
        nodes.forEach(function (n, i) {
          var name = (n.querySelector(".dq-tree-name") || n).textContent.toLowerCase();
          var match = name.indexOf(needle) !== -1;
          n.classList.toggle("is-match", match);
          if (!match) return;
          show[i] = true;
          for (var a = i - 1, want = depth[i]; a >= 0; a--) {
            if (depth[a] < want) { show[a] = true; want = depth[a]; }
          }
        });
        nodes.forEach(function (n, i) { n.hidden = !show[i]; });
      });
    }
    var currentNode = nodes[current];
    if (currentNode && currentNode.scrollIntoView) currentNode.scrollIntoView({ block: "nearest" });
  };

  /* ---------- charts ---------- */
  // <div data-chart='{"xAxis": …}'> or <div data-chart="#id-of-json_script">. ECharts is loaded
  // (from our own static files) only on pages that have a chart.
  var echartsLoading = null;
  function loadECharts() {
    if (window.echarts) return Promise.resolve(window.echarts);
    if (echartsLoading) return echartsLoading;
    var meta = document.querySelector('meta[name="dq-echarts-src"]');
    if (!meta) return Promise.reject(new Error("echarts src unknown"));
    echartsLoading = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = meta.getAttribute("content");
      script.onload = function () { resolve(window.echarts); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return echartsLoading;
  }

  function chartOption(el) {
    var raw = el.getAttribute("data-chart") || "{}";
    if (raw.charAt(0) === "#") {
      var source = document.querySelector(raw);
      raw = source ? source.textContent : "{}";
    }
    var option = JSON.parse(raw);
    option.textStyle = Object.assign({ fontFamily: '"Noto Sans SC", sans-serif', fontSize: 13 }, option.textStyle || {});
    if (!option.color) option.color = ["#c00", "#1f5fbf", "#e58a00", "#2e8b57", "#7a4fb5", "#17a2b8", "#8a93a0"];
    // a slice of 0 keeps its legend entry but draws no label pointing at nothing
    [].concat(option.series || []).forEach(function (series) {
      if (series.type !== "pie" || !series.data) return;
      series.data.forEach(function (item) {
        if (item && item.value === 0) { item.label = { show: false }; item.labelLine = { show: false }; }
      });
    });
    if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) option.animation = false;
    return option;
  }

  var charts = [];
  dq.initCharts = function (root) {
    var elements = [];
    each(root, "[data-chart]", function (el) { if (!el.dataset.dqChartReady) elements.push(el); });
    if (!elements.length) return;
    loadECharts().then(function (echarts) {
      elements.forEach(function (el) {
        if (el.dataset.dqChartReady) return;
        el.dataset.dqChartReady = "1";
        try {
          var chart = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
          chart.setOption(chartOption(el));
          charts.push(chart);
        } catch (e) {
          el.textContent = "图表加载失败。";
          if (window.console) window.console.error(e);
        }
      });
    }, function () {
      elements.forEach(function (el) { el.textContent = "图表组件未能加载。"; });
    });
  };
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      charts.forEach(function (chart) { if (!chart.isDisposed()) chart.resize(); });
    }, 150);
  });
  window.addEventListener("beforeprint", function () {
    charts.forEach(function (chart) { if (!chart.isDisposed()) chart.resize(); });
  });

  /* ---------- start ---------- */
  dq.init = function (root) {
    root = root || document;
    dq.styleControls(root);
    dq.searchableSelects(root);
    dq.openFilledSearch(root);
    dq.rememberDetails(root);
    each(root, "[data-dq-tree]", dq.initTree);
    dq.initCharts(root);
    dq.autohideMessages(root);
  };

  // This file is loaded at the end of <body>, so the page is already parsed.
  dq.init(document);
  dq.focusErrors(document);
  // Content swapped in by htmx gets the same treatment.
  document.addEventListener("htmx:load", function (event) {
    if (event.target !== document.body) dq.init(event.target);
  });
})();
