// charts.js: draws the charts of a page with the vendored Apache ECharts
// (static/vendor/echarts.min.js, which must be loaded first). Plain ES2017,
// no build step, nothing global; it works under the CSP
// "script-src 'self'; style-src 'self'" (no inline scripts, no style
// attributes in markup, tooltips drawn on the canvas).
//
// Markup: a container and its data, side by side:
//
//   <div class="chart" data-chart="chart-revenue" data-table="table-revenue"></div>
//   <script type="application/json" id="chart-revenue">{...spec...}</script>
//   <script src="/static/vendor/echarts.min.js" defer></script>
//   <script src="/static/charts.js" defer></script>
//
// data-chart names the id of the <script type="application/json"> that
// holds the spec (a JSON block is data, never run, so the CSP allows it).
// Whatever the container holds (e.g. a "图表需要启用脚本" note) is
// replaced by the chart. data-table, if present, names the server-rendered
// table of the same numbers (the accessible, printable, no-script version);
// this script leaves it alone.
//
// Spec (all labels Chinese, as they are shown):
//
//   {
//     "type": "line" | "bar" | "hbar" | "pie",   // hbar: horizontal bars
//     "title": "营业收入",          // optional: the container's aria-label
//     "unit": "亿元",               // optional: axis name, tooltip suffix
//     "categories": ["2025年1-2月", "2025年1-3月", ...],
//     "series": [{"name": "营业收入", "data": [1.5, null, 2.25]}],
//                                   // null is a gap (no point, no bar);
//                                   // pie uses series[0] only
//     "target": {"name": "目标", "value": 680},
//                                   // optional, line/bar/hbar: dashed red line
//     "band": [{"name": "80%区间", "lo": [...], "hi": [...]}],
//                                   // optional, line only: shaded area from
//                                   // lo to hi (forecast fan), parallel to
//                                   // categories; null is a gap
//     "links": ["/dashboard?field=F1", ...],
//                                   // optional, parallel to categories:
//                                   // clicking a bar, point, pie slice or
//                                   // category label goes there (drill-down).
//                                   // Only same-site paths ("/...") are
//                                   // followed; null or "" means no link.
//     "height": 360                 // optional: container height in px
//   }
(function () {
  "use strict";

  const FONT = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif';
  // Calm, projector-safe colours: the site's blue first; red only for targets.
  const PALETTE = ["#1b4f8f", "#4e8fc7", "#2e8b74", "#d08c1f", "#7a5ea8", "#8c97a6", "#5aa9b8", "#a0522d"];
  const TARGET = "#c62828";
  // Forecast bands: the blue, faint; nested bands darken towards the middle.
  const BAND = "rgba(27, 79, 143, 0.16)";
  const BAND_KEY = "rgba(27, 79, 143, 0.35)"; // its legend key and tooltip marker
  const INK = "#1f2933";
  const MUTED = "#5f6b7a";
  const LINE = "#d9dee5";

  const number = new Intl.NumberFormat("zh-CN", { maximumFractionDigits: 2 });
  const pct = new Intl.NumberFormat("zh-CN", { maximumFractionDigits: 1 });

  function isNum(v) {
    return typeof v === "number" && isFinite(v);
  }

  // fmt formats a value with its unit; a gap shows as "—".
  function fmt(v, unit) {
    return isNum(v) ? number.format(v) + (unit || "") : "—";
  }

  // plain keeps text from being read as ECharts rich-text markup
  // ("{style|text}").
  function plain(s) {
    return String(s == null ? "" : s).replace(/[{}|]/g, (c) => ({ "{": "｛", "}": "｝", "|": "｜" })[c]);
  }

  // href returns a link that stays on this site, or "".
  function href(links, i) {
    const u = Array.isArray(links) ? links[i] : null;
    return typeof u === "string" && u.charAt(0) === "/" && u.charAt(1) !== "/" && u.charAt(1) !== "\\" ? u : "";
  }

  function reducedMotion() {
    return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  function nums(a, n) {
    const out = [];
    for (let i = 0; i < n; i++) out.push(Array.isArray(a) && isNum(a[i]) ? a[i] : null);
    return out;
  }

  function base(spec) {
    return {
      color: PALETTE,
      animation: !reducedMotion(),
      animationDuration: 400,
      textStyle: { fontFamily: FONT, color: INK, fontSize: 13 },
      tooltip: {
        renderMode: "richText", // HTML tooltips need style attributes the CSP blocks
        confine: true,
        backgroundColor: "rgba(255,255,255,0.96)",
        borderColor: "#b8c2cf",
        borderWidth: 1,
        padding: [6, 10],
        // richText takes only the colour from here (and no rich styles of
        // our own): the formatters below write plain lines.
        textStyle: { fontFamily: FONT, color: INK, fontSize: 13 },
      },
    };
  }

  function legend(names) {
    return {
      show: names.length > 1,
      data: names,
      top: 0,
      left: "center",
      itemWidth: 18,
      itemHeight: 10,
      textStyle: { fontFamily: FONT, color: INK, fontSize: 13 },
    };
  }

  function valueAxis(spec, horizontal) {
    return {
      type: "value",
      name: spec.unit || "",
      nameLocation: "end",
      nameGap: horizontal ? 8 : 10,
      nameTextStyle: { color: MUTED, fontSize: 12, align: horizontal ? "left" : "right" },
      axisLabel: { color: MUTED, fontSize: 12, formatter: (v) => number.format(v) },
      splitLine: { lineStyle: { color: LINE, type: "solid" } },
    };
  }

  function categoryAxis(spec, horizontal) {
    return {
      type: "category",
      data: spec.categories.map(String),
      inverse: horizontal, // hbar: first category on top, as in the table
      triggerEvent: Array.isArray(spec.links), // category labels drill down too
      axisTick: { alignWithLabel: true },
      axisLine: { lineStyle: { color: "#9aa5b1" } },
      axisLabel: horizontal
        ? { color: INK, fontSize: 13, width: 150, overflow: "truncate" }
        : { color: INK, fontSize: 12, hideOverlap: true },
    };
  }

  function isTarget(spec) {
    return !!(spec.target && isNum(spec.target.value));
  }

  function markLine(spec, horizontal) {
    const t = spec.target;
    const name = t.name || "目标";
    const at = horizontal ? { xAxis: t.value } : { yAxis: t.value };
    return {
      silent: true,
      symbol: "none",
      animation: false,
      lineStyle: { color: TARGET, type: [6, 4], width: 2 },
      label: {
        show: true,
        // line: at the left, where a rising series is low; bar: at the
        // right; hbar: above the top, not rotated.
        position: horizontal ? "start" : spec.type === "line" ? "insideStartTop" : "insideEndTop",
        formatter: plain(name) + " " + fmt(t.value, spec.unit),
        color: TARGET,
        fontFamily: FONT,
        fontSize: 13,
        fontWeight: "bold",
        backgroundColor: "rgba(255,255,255,0.85)",
        padding: [1, 4],
      },
      data: [Object.assign({ name: name }, at)],
    };
  }

  function cartesian(spec) {
    const n = spec.categories.length;
    const horizontal = spec.type === "hbar";
    const isLine = spec.type === "line";
    const opt = base(spec);
    const series = [];
    const names = [];

    if (isLine && Array.isArray(spec.band)) {
      spec.band.forEach((b, k) => {
        const lo = nums(b.lo, n);
        const hi = nums(b.hi, n);
        const width = lo.map((v, i) => (v === null || hi[i] === null ? null : hi[i] - v));
        const common = {
          type: "line",
          stack: "band-" + k,
          stackStrategy: "all", // lo may be negative (growth rates)
          symbol: "none",
          lineStyle: { opacity: 0 },
          emphasis: { disabled: true },
          connectNulls: false,
          z: 1,
        };
        series.push(Object.assign({ id: "band-lo-" + k, name: "\u0000lo" + k, data: lo, silent: true, itemStyle: { color: BAND } }, common));
        series.push(Object.assign({
          id: "band-hi-" + k,
          name: String(b.name || "区间"),
          data: width,
          areaStyle: { color: BAND, opacity: 1 },
          itemStyle: { color: BAND_KEY },
        }, common));
        names.push({ name: String(b.name || "区间"), icon: "roundRect" }); // a patch, not a line
      });
    }

    spec.series.forEach((s, i) => {
      const name = String(s.name || "数据" + (i + 1));
      // Colours by position among the data series, so bands do not use up
      // the palette's blue.
      const color = PALETTE[i % PALETTE.length];
      const one = { id: "s-" + i, name: name, type: isLine ? "line" : "bar", data: nums(s.data, n), z: 2, itemStyle: { color: color } };
      if (isLine) {
        Object.assign(one, {
          connectNulls: false,
          symbol: "circle",
          symbolSize: 7,
          showSymbol: true,
          lineStyle: { width: 2.5, color: color },
          emphasis: { focus: "none", scale: 1.4 },
        });
      } else {
        Object.assign(one, {
          barMaxWidth: 36,
          itemStyle: { color: color, borderRadius: horizontal ? [0, 3, 3, 0] : [3, 3, 0, 0] },
          emphasis: { focus: "none", itemStyle: { opacity: 0.85 } },
        });
        if (spec.series.length === 1) {
          one.label = {
            show: n <= 12,
            position: horizontal ? "right" : "top",
            color: INK,
            fontSize: 12,
            formatter: (p) => (isNum(p.value) ? number.format(p.value) : ""),
          };
        }
      }
      if (i === 0 && isTarget(spec)) one.markLine = markLine(spec, horizontal);
      series.push(one);
      names.push(name);
    });

    // A markLine does not stretch the value axis; an invisible point at the
    // target does, so the target stays on the chart (with round ticks) even
    // when the data fall short of it.
    if (isTarget(spec) && n > 0) {
      const v = spec.target.value;
      series.push({
        id: "target-extent",
        type: "line",
        data: [horizontal ? [v, 0] : [0, v]],
        symbol: "none",
        silent: true,
        lineStyle: { opacity: 0 },
        tooltip: { show: false },
        emphasis: { disabled: true },
      });
    }

    Object.assign(opt, {
      legend: legend(names),
      grid: {
        top: names.length > 1 ? 44 : 32,
        left: 12,
        right: horizontal ? 56 : 24,
        bottom: 8,
        containLabel: true,
      },
      xAxis: horizontal ? valueAxis(spec, true) : categoryAxis(spec, false),
      yAxis: horizontal ? categoryAxis(spec, true) : valueAxis(spec, false),
      series: series,
    });
    Object.assign(opt.tooltip, {
      trigger: "axis",
      axisPointer: isLine
        ? { type: "line", lineStyle: { color: "#9aa5b1", type: "dashed" } }
        : { type: "shadow", shadowStyle: { color: "rgba(27, 79, 143, 0.06)" } },
      formatter: (params) => axisTooltip(spec, params),
    });
    return opt;
  }

  function axisTooltip(spec, params) {
    if (!Array.isArray(params) || params.length === 0) return "";
    const i = params[0].dataIndex;
    const lines = [plain(spec.categories[i])];
    for (const p of params) {
      const id = String(p.seriesId || "");
      if (id.indexOf("band-lo-") === 0 || id === "target-extent") continue;
      if (id.indexOf("band-hi-") === 0) {
        const b = spec.band[Number(id.slice(8))];
        const lo = Array.isArray(b.lo) ? b.lo[i] : null;
        const hi = Array.isArray(b.hi) ? b.hi[i] : null;
        if (!isNum(lo) || !isNum(hi)) continue;
        lines.push(p.marker + plain(p.seriesName) + "：" + number.format(lo) + " ~ " + fmt(hi, spec.unit));
        continue;
      }
      lines.push(p.marker + plain(p.seriesName) + "：" + fmt(p.value, spec.unit));
    }
    if (isTarget(spec)) lines.push("－ " + plain(spec.target.name || "目标") + "：" + fmt(spec.target.value, spec.unit));
    if (href(spec.links, i)) lines.push("（点击查看详情）");
    return lines.join("\n");
  }

  function pie(spec) {
    const s = spec.series[0] || { name: "", data: [] };
    const data = [];
    spec.categories.forEach((c, i) => {
      const v = Array.isArray(s.data) ? s.data[i] : null;
      if (isNum(v)) data.push({ name: String(c), value: v, link: href(spec.links, i), index: i });
    });
    const opt = base(spec);
    Object.assign(opt.tooltip, {
      trigger: "item",
      formatter: (p) =>
        (p.seriesName ? plain(p.seriesName) + "\n" : "") +
        p.marker + plain(p.name) + "：" + fmt(p.value, spec.unit) + "（" + pct.format(p.percent) + "%）" +
        (p.data && p.data.link ? "\n（点击查看详情）" : ""),
    });
    Object.assign(opt, {
      legend: { show: false }, // every slice is labelled
      series: [{
        id: "s-0",
        name: String(s.name || ""),
        type: "pie",
        radius: ["38%", "66%"],
        center: ["50%", "52%"],
        avoidLabelOverlap: true,
        minShowLabelAngle: 4,
        itemStyle: { borderColor: "#fff", borderWidth: 2 },
        label: {
          color: INK,
          fontSize: 12,
          formatter: (p) => plain(p.name) + " " + pct.format(p.percent) + "%",
        },
        labelLine: { length: 10, length2: 8 },
        emphasis: { scale: true, scaleSize: 4 },
        data: data,
      }],
    });
    return opt;
  }

  function option(spec) {
    if (!spec || typeof spec !== "object") throw new Error("spec is not an object");
    if (!Array.isArray(spec.categories)) spec.categories = [];
    if (!Array.isArray(spec.series)) spec.series = [];
    switch (spec.type) {
      case "line":
      case "bar":
      case "hbar":
        return cartesian(spec);
      case "pie":
        return pie(spec);
      default:
        throw new Error("unknown chart type " + JSON.stringify(spec.type));
    }
  }

  function drillDown(chart, spec) {
    if (!Array.isArray(spec.links)) return;
    chart.on("click", (p) => {
      let i = -1;
      if (p.componentType === "series") {
        i = p.data && typeof p.data.index === "number" ? p.data.index : p.dataIndex;
      } else if (p.componentType === "xAxis" || p.componentType === "yAxis") {
        i = spec.categories.map(String).indexOf(String(p.value));
      }
      const u = href(spec.links, i);
      if (u) window.location.assign(u);
    });
  }

  const charts = [];

  function render(el) {
    const id = el.getAttribute("data-chart");
    const src = id ? document.getElementById(id) : null;
    if (!src) {
      console.error("charts.js: no <script type=\"application/json\" id=%o> for", id, el);
      return;
    }
    let spec;
    try {
      spec = JSON.parse(src.textContent);
    } catch (err) {
      console.error("charts.js: bad JSON in #" + id, err);
      return;
    }
    let opt;
    try {
      opt = option(spec);
    } catch (err) {
      console.error("charts.js: #" + id + ":", err);
      return;
    }
    if (isNum(spec.height) && spec.height > 0) el.style.height = spec.height + "px"; // CSSOM, allowed by the CSP
    if (spec.title) el.setAttribute("aria-label", String(spec.title) + (spec.unit ? "(单位:" + spec.unit + ")" : ""));
    if (!el.hasAttribute("role")) el.setAttribute("role", "img");
    el.textContent = "";
    const chart = window.echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    chart.setOption(opt);
    drillDown(chart, spec);
    charts.push(chart);
    if (window.ResizeObserver) {
      let pending = false;
      new ResizeObserver(() => {
        if (pending) return;
        pending = true;
        window.requestAnimationFrame(() => {
          pending = false;
          chart.resize();
        });
      }).observe(el);
    }
  }

  function start() {
    if (!window.echarts) {
      console.error("charts.js: ECharts is not loaded (static/vendor/echarts.min.js must come first)");
      return;
    }
    document.querySelectorAll("[data-chart]").forEach(render);
    if (!window.ResizeObserver) {
      window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
    }
    // Redraw at paper size when printing, and back afterwards.
    window.addEventListener("beforeprint", () => charts.forEach((c) => c.resize()));
    window.addEventListener("afterprint", () => charts.forEach((c) => c.resize()));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
