/* Course site behaviour, loaded on every page (Jupyter Book adds every file in _static/).

   Plotly figures follow the page: the book loads plotly.js with `defer` and each figure draws
   itself on DOMContentLoaded (see clustersim/course/book.py). This file registers its own
   DOMContentLoaded handler first, so Plotly.newPlot is wrapped before any figure is drawn:
   - in dark mode a figure gets dark colours, and switching the theme re-colours every figure;
   - on a narrow screen (a phone) the legend goes below the plot, horizontally, or above it
     when the figure has a slider or buttons at the bottom; long titles (animation frames'
     too) break into lines; course.css hides the toolbar, which covered the title; long
     category names (an event timeline's reasons) move inside the plot, above their rows;
     play buttons go under their slider; panel titles and legends too wide for the screen
     shrink, a legend that reaches the x axis moves down, and a squeezed plot grows taller;
   - at any width, panel titles too wide for their figure shrink and then break into lines,
     a table figure ends with its table, and a title set by a menu entry is wrapped too;
   - in dark mode, a figure's own pale fills (tables' cells, icicles' boxes, the lines between
     them, annotations' boxes) turn dark, after a menu click that sets them too, and black
     lines and outlines turn light, in animation frames too;
   - in dark mode, mark lines (shapes: a failure's time, a target) and their labels too dim
     on the dark plot turn lighter, after a click or in an animation frame too;
   - when the window changes width (a phone turned, a window narrowed or widened), each
     figure gets its own layout back and is fitted again to the new width; a figure out of
     sight then or when drawn (in a tab not shown, a closed dropdown) once it comes into
     sight.
   Beyond figures: the chapter drawer opens at the current page; the course's diagrams
   scroll sideways on a phone in a box with shadows; text outputs laid out in columns keep
   their layout (course.css) while prose wraps; Markdown tables' and DataFrames' cells ask
   for the width their text needs on a phone, and narrow tables fit the phone's width, worked
   out again when the window changes size or the phone turns (a table of records stacks its
   rows on a phone with no script: its cells' column names and long names' break points are
   written when the book is built, clustersim/course/tables.py); words joined by hyphens in
   table cells stay whole; long names in headings break at their humps.
*/
(function () {
  "use strict";

  var NARROW = 600; // px: the pydata theme's phone layout starts below this width too
  var LIGHT_TEXT = "#ced6dd";
  var DARK = {
    paper: "#14181e", plot: "#1b2027", grid: "#3a4049", zero: "#6b7380",
    control: "#2b3139", border: "#6b7380",
  };
  var BLACKS = ["#000", "#000000", "black", "rgb(0,0,0)"];

  function isDark() {
    return document.documentElement.dataset.theme === "dark";
  }

  // The value at a plotly attribute path ("cells.fill.color", "sliders[0].font.color").
  function valueAt(obj, path) {
    return path.split(/[.[\]]+/).filter(Boolean).reduce(function (o, key) {
      return o === undefined || o === null ? undefined : o[key];
    }, obj);
  }

  function axisNames(layout) {
    return Object.keys(layout).filter(function (k) { return /^[xy]axis\d*$/.test(k); });
  }

  // The colour changes for one theme, as a Plotly.relayout / restyle update.
  function themeUpdate(gd, dark) {
    var saved = gd._courseLight;
    var update = {};
    if (dark) {
      update.paper_bgcolor = DARK.paper;
      update.plot_bgcolor = DARK.plot;
      update["font.color"] = LIGHT_TEXT;
      update["legend.bgcolor"] = "rgba(0,0,0,0)";
      axisNames(gd.layout).forEach(function (a) {
        update[a + ".gridcolor"] = DARK.grid;
        update[a + ".zerolinecolor"] = DARK.zero;
        update[a + ".linecolor"] = DARK.zero;
      });
      (gd.layout.sliders || []).forEach(function (s, i) {
        update["sliders[" + i + "].font.color"] = LIGHT_TEXT;
        update["sliders[" + i + "].currentvalue.font.color"] = LIGHT_TEXT;
        update["sliders[" + i + "].bgcolor"] = DARK.control;
        update["sliders[" + i + "].bordercolor"] = DARK.border;
        update["sliders[" + i + "].tickcolor"] = LIGHT_TEXT;
      });
      (gd.layout.updatemenus || []).forEach(function (m, i) {
        update["updatemenus[" + i + "].font.color"] = LIGHT_TEXT;
        update["updatemenus[" + i + "].bgcolor"] = DARK.control;
        update["updatemenus[" + i + "].bordercolor"] = DARK.border;
        // plotly paints the active button or menu entry #F4FAFF, a colour no layout setting
        // changes: under light text it was blank. Dark mode shows no active entry.
        update["updatemenus[" + i + "].showactive"] = false;
      });
      (gd.layout.annotations || []).forEach(function (a, i) {
        var box = darkFill(a.bgcolor);
        if (box !== a.bgcolor) update["annotations[" + i + "].bgcolor"] = box;
      });
    } else if (saved) {
      Object.keys(saved).forEach(function (k) { update[k] = saved[k]; });
    }
    return update;
  }

  // The layout values a dark theme changes, read once so that light mode can restore them.
  function remember(gd) {
    if (gd._courseLight) return;
    var dark = themeUpdate(gd, true);
    var saved = {};
    Object.keys(dark).forEach(function (path) {
      var value = valueAt(gd.layout, path);
      saved[path] = value === undefined ? null : value;
    });
    gd._courseLight = saved;
  }

  // Black trace colours (a black palette entry, tick marks, the outline that marks a DRF
  // framework's dominant resource) turn light grey in dark mode, an animation frame's too
  // (followFrames).
  var TRACE_COLOURS = ["line.color", "marker.color", "marker.line.color"];

  function isBlack(colour) {
    return typeof colour === "string" && BLACKS.indexOf(colour.toLowerCase()) >= 0;
  }

  function traceColours(gd, dark) {
    gd.data.forEach(function (t, i) {
      var saved = t._courseLightColours || {};
      var update = {};
      TRACE_COLOURS.forEach(function (path) {
        var own = valueAt(t, path);
        var light = saved[path] || own;
        if (!isBlack(light)) return;
        saved[path] = light;
        var wanted = dark ? LIGHT_TEXT : light;
        if (own !== wanted) update[path] = wanted;
      });
      t._courseLightColours = saved;
      if (Object.keys(update).length) window.Plotly.restyle(gd, update, [i]);
    });
  }

  // A figure's own pale fills, drawn for a white page (a table's cells and header, an
  // icicle's group boxes and the white lines between its boxes, the white lines between a
  // reachability grid's cells, an annotation's box), glared on a dark page, their text
  // dark: in dark mode each takes its dark counterpart (darkFill), and the theme's light
  // text is readable on it. Light mode brings the figure's own colours back. A menu entry
  // or slider step that sets fills again (the selector table's, on every click) is
  // followed (followFills).
  var FILL_PATHS = {
    table: ["cells.fill.color", "header.fill.color"],
    icicle: ["marker.colors", "marker.line.color"],
    bar: ["marker.line.color"],
  };
  // Lightness (0 to 1) from which a fill counts as pale: white, greys such as #d9d9d9, pastels
  // such as the selector's #b8e0d2; the Okabe-Ito colours (yellow #F0E442 at 0.60) stay.
  var PALE = 0.75;
  // The fill each dark fill stands for, to bring it back in light mode.
  var LIGHT_OF = {};

  // A CSS colour as "#rrggbb", or null for one that is see-through or not a colour.
  function toHex(colour) {
    var probe = document.createElement("canvas").getContext("2d");
    probe.fillStyle = "#000";
    probe.fillStyle = String(colour);
    var hex = probe.fillStyle;
    return hex.charAt(0) === "#" ? hex : null;
  }

  function rgbOf(hex) {
    return [1, 3, 5].map(function (i) { return parseInt(hex.substr(i, 2), 16) / 255; });
  }

  function hsl(rgb) {
    var max = Math.max.apply(null, rgb), min = Math.min.apply(null, rgb);
    var l = (max + min) / 2, d = max - min;
    if (!d) return [0, 0, l];
    var s = d / (1 - Math.abs(2 * l - 1));
    var h = max === rgb[0] ? ((rgb[1] - rgb[2]) / d + 6) % 6
      : max === rgb[1] ? (rgb[2] - rgb[0]) / d + 2 : (rgb[0] - rgb[1]) / d + 4;
    return [h * 60, s, l];
  }

  function hexOfHsl(h, s, l) {
    var c = (1 - Math.abs(2 * l - 1)) * s;
    var x = c * (1 - Math.abs((h / 60) % 2 - 1));
    var m = l - c / 2;
    var sextant = Math.floor(h / 60) % 6;
    var rgb = [[c, x, 0], [x, c, 0], [0, c, x], [0, x, c], [x, 0, c], [c, 0, x]][sextant];
    return "#" + rgb.map(function (v) {
      return ("0" + Math.round((v + m) * 255).toString(16)).slice(-2);
    }).join("");
  }

  function isLight(colour) {
    var hex = toHex(colour);
    if (!hex) return true; // rgba(...): a see-through fill shows the page
    var rgb = rgbOf(hex);
    return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 0.5;
  }

  // The dark counterpart of a pale fill: its lightness mirrored into the dark plot's
  // (white becomes the plot's own colour, a grey a little lighter, as the light grey was a
  // little darker than white), its hue and saturation kept (a grey takes the plot's bluish
  // hue). Any other colour is its own counterpart, and so is the light grey this file gives
  // black lines and outlines in dark mode (traceColours).
  var PLOT_HSL = null;
  function darkFill(colour) {
    var hex = typeof colour === "string" && toHex(colour);
    if (!hex || hex === LIGHT_TEXT) return colour;
    var own = hsl(rgbOf(hex));
    if (own[2] < PALE) return colour;
    PLOT_HSL = PLOT_HSL || hsl(rgbOf(DARK.plot));
    var grey = own[1] < 0.05;
    var dark = hexOfHsl(grey ? PLOT_HSL[0] : own[0], grey ? PLOT_HSL[1] : own[1],
                        PLOT_HSL[2] + (1 - own[2]) * 0.6);
    LIGHT_OF[dark] = colour;
    return dark;
  }

  function lightFill(colour) {
    var known = typeof colour === "string" && LIGHT_OF.hasOwnProperty(colour);
    return known ? LIGHT_OF[colour] : colour;
  }

  // `value` (a colour, or arrays of them: a table's colours per column and row) with each
  // colour passed through `change`.
  function eachColour(value, change) {
    return Array.isArray(value) ? value.map(function (v) { return eachColour(v, change); })
      : change(value);
  }

  // The fills of each trace in the theme: its own value, or plotly's default (a table's
  // white cells, an icicle's white lines) where the figure set none.
  function fillsUpdate(gd, dark) {
    var full = gd._fullData || [];
    gd.data.forEach(function (t, i) {
      var update = {};
      (FILL_PATHS[t.type] || []).forEach(function (path) {
        var own = valueAt(t, path);
        if (own === undefined) own = valueAt(full[i] || {}, path);
        if (own === undefined) return;
        var wanted = eachColour(own, dark ? darkFill : lightFill);
        if (JSON.stringify(wanted) !== JSON.stringify(own)) update[path] = [wanted];
      });
      if (Object.keys(update).length) window.Plotly.restyle(gd, update, [i]);
    });
  }

  // A click that sets a trace's fills (a menu entry's restyle or update) sets its light
  // ones: in dark mode they turn dark again before the page is painted (plotly.js announces
  // the change once it is drawn, in the same task: plotly_restyle and plotly_update, emitted
  // by restyle and update in src/plot_api/plot_api.js).
  function followFills(gd) {
    if (gd._courseFills || typeof gd.on !== "function") return;
    gd._courseFills = true;
    function follow() { if (isDark()) fillsUpdate(gd, true); }
    gd.on("plotly_restyle", follow);
    gd.on("plotly_update", follow);
  }

  // An icicle's text keeps the contrast of each box's colour in dark mode: dark on the
  // palette's light colours (its yellow, its sky blue), white on the rest. Its leaves are
  // drawn at 70 % opacity over the page, which darkens them on a dark page: in dark mode
  // they are opaque.
  var FILL_TEXT = {icicle: ["textfont.color", "insidetextfont.color", "leaf.opacity"]};
  var DARK_TEXT = "#444";

  function fillTextUpdate(gd, dark) {
    gd.data.forEach(function (t, i) {
      var paths = FILL_TEXT[t.type] || [];
      paths.forEach(function (path) {
        var own = valueAt(t, path);
        if (own !== undefined && !t._courseFillText) return; // the figure chose its colour
        var update = {};
        if (!dark) update[path] = null;
        else if (path === "leaf.opacity") update[path] = 1;
        else {
          update[path] = [((t.marker && t.marker.colors) || []).map(function (c) {
            return isLight(c) ? DARK_TEXT : "#fff";
          })];
        }
        t._courseFillText = dark;
        window.Plotly.restyle(gd, update, [i]);
      });
    });
  }

  // plotly announces each animation frame before drawing it, with a copy of its traces: in
  // dark mode their black colours turn light before they reach the figure. Its marks take
  // the theme's colours (eachMark), in copies: the frame's own keep theirs.
  function followFrames(gd) {
    if (gd._courseFrames || typeof gd.on !== "function") return;
    gd._courseFrames = true;
    gd.on("plotly_animatingframe", function (event) {
      if (!event || !event.frame) return;
      var layout = event.frame.layout;
      if (layout) {
        Object.keys(MARK_PATHS).forEach(function (kind) {
          if (Array.isArray(layout[kind])) layout[kind] = JSON.parse(JSON.stringify(layout[kind]));
        });
        eachMark(layout, gd._fullLayout || {}, isDark(), function (kind, i, colour) {
          var keys = MARK_PATHS[kind].split(".");
          var mark = layout[kind][i];
          mark[keys[0]] = mark[keys[0]] || {};
          mark[keys[0]][keys[1]] = colour;
        });
      }
      if (!isDark()) return;
      (event.frame.data || []).forEach(function (t) {
        TRACE_COLOURS.forEach(function (path) {
          var keys = path.split(".");
          var owner = keys.slice(0, -1).reduce(function (o, k) { return o && o[k]; }, t);
          var last = keys[keys.length - 1];
          if (owner && isBlack(owner[last])) owner[last] = LIGHT_TEXT;
        });
      });
    });
  }

  // Mark lines (layout shapes: a failure's time, a target, a threshold) and their labels'
  // colours (annotations' fonts), chosen for a white plot, were dim on the dark one: the
  // #555555 of a "machine fails" line at 2.2:1. In dark mode a line or label under
  // MARK_CONTRAST against the dark plot (WCAG 2's contrast ratio, its 4.5:1 for text) gets
  // lighter, its hue and saturation kept, until it reaches it; black takes the theme's light
  // text, as traces' black does. Light mode brings each one's own colour back. Frames and
  // clicks that set marks again are followed (followFrames, followMarks).
  var MARK_CONTRAST = 4.5;

  function luminance(hex) {
    var c = rgbOf(hex).map(function (v) {
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  function markForDark(colour) {
    var hex = typeof colour === "string" && toHex(colour);
    if (!hex || LIGHT_OF.hasOwnProperty(hex)) return colour; // see-through, or made here
    var wanted = hex === "#000000" ? LIGHT_TEXT : hex;
    var own = hsl(rgbOf(hex));
    for (var l = own[2]; contrast(wanted, DARK.plot) < MARK_CONTRAST && l < 1;) {
      l = Math.min(1, l + 0.02);
      wanted = hexOfHsl(own[0], own[1], l);
    }
    if (wanted === hex) return colour;
    LIGHT_OF[wanted] = colour;
    return wanted;
  }

  // The mark colours of `layout` (a figure's or a frame's) in the theme: `set(path, colour)`
  // for each that changes; `full`, plotly's filled-in layout, gives a line's default colour.
  var MARK_PATHS = { shapes: "line.color", annotations: "font.color" };
  function eachMark(layout, full, dark, set) {
    Object.keys(MARK_PATHS).forEach(function (kind) {
      (layout[kind] || []).forEach(function (mark, i) {
        var own = valueAt(mark, MARK_PATHS[kind]);
        if (own === undefined && kind === "shapes") {
          own = valueAt((full[kind] || [])[i] || {}, MARK_PATHS[kind]);
        }
        if (own === undefined) return; // a label in the figure's font follows font.color
        var wanted = dark ? markForDark(own) : lightFill(own);
        if (wanted !== own) set(kind, i, wanted);
      });
    });
  }

  function marksUpdate(gd, dark) {
    var update = {};
    eachMark(gd.layout, gd._fullLayout || {}, dark, function (kind, i, colour) {
      update[kind + "[" + i + "]." + MARK_PATHS[kind]] = colour;
    });
    return update;
  }

  // A menu entry or button that sets marks again (relayout or update) sets their own
  // colours: in the theme they are set again, before the page is painted (as followFills).
  function followMarks(gd) {
    if (gd._courseMarks || typeof gd.on !== "function") return;
    gd._courseMarks = true;
    function follow() {
      var update = marksUpdate(gd, isDark());
      if (Object.keys(update).length) window.Plotly.relayout(gd, update);
    }
    gd.on("plotly_relayout", follow);
    gd.on("plotly_update", follow);
  }

  function applyTheme(gd) {
    if (!gd.layout || !window.Plotly) return;
    remember(gd);
    var dark = isDark();
    var update = themeUpdate(gd, dark);
    var marks = marksUpdate(gd, dark);
    Object.keys(marks).forEach(function (k) { update[k] = marks[k]; });
    if (Object.keys(update).length) window.Plotly.relayout(gd, update);
    traceColours(gd, dark);
    fillsUpdate(gd, dark);
    fillTextUpdate(gd, dark);
  }

  // On a phone: a horizontal legend, placed where it meets neither slider nor buttons.
  function fitToScreen(gd) {
    if (!narrow() || !gd.layout || gd._courseFitted) return;
    gd._courseFitted = true;
    var legend = gd.layout.legend || {};
    var controlsBelow = (gd.layout.sliders || []).length || (gd.layout.updatemenus || []).length;
    var update = {};
    if (legend.orientation !== "h") {
      update["legend.orientation"] = "h";
      update["legend.x"] = 0;
      update["legend.xanchor"] = "left";
      if (controlsBelow) {
        // Above the plot, under a title pinned to the top; the top margin grows to the
        // legend's drawn height once it is drawn (moveTitleAboveLegend).
        update["legend.y"] = 1.02;
        update["legend.yanchor"] = "bottom";
        Object.keys(PINNED_TITLE).forEach(function (k) { update["title." + k] = PINNED_TITLE[k]; });
      } else {
        update["legend.y"] = -0.25;
        update["legend.yanchor"] = "top";
      }
    }
    // A legend's title beside its entries takes a column of their width: on top, it leaves
    // them the whole line.
    if (legend.title && legend.title.text) update["legend.title.side"] = "top";
    var above = legend.orientation === "h" && legend.y >= 1 && legend.yanchor === "bottom";
    var legendAbove = above || update["legend.y"] === 1.02;
    // A title above its own legend is pinned to the top: left where plotly puts it, it ran
    // down onto the legend.
    if (above && !update["title.yref"]) {
      Object.keys(PINNED_TITLE).forEach(function (k) { update["title." + k] = PINNED_TITLE[k]; });
    }
    titleInLines(gd, titleText(gd.layout.title), update);
    var margin = gd.layout.margin || {};
    buttonsUnderSlider(gd, update);
    if ((margin.r || 0) > 30) update["margin.r"] = 20;
    if ((margin.l || 0) > 50) update["margin.l"] = 45;
    if (!Object.keys(update).length) return;
    var drawn = fitLayout(gd, update);
    return legendAbove ? drawn.then(function () { return moveTitleAboveLegend(gd); }) : drawn;
  }

  // A panel title (an annotation placed on the figure, not on the data) that runs past the
  // figure's edges, centred over its panel, at any width: its font shrinks until it fits,
  // down to PANEL_TITLE_PX; longer still, it breaks into lines at that size.
  var PANEL_TITLE_PX = 11;
  function fitPanelTitles(gd) {
    var figure = gd.getBoundingClientRect();
    var titles = [];
    var size = Infinity;
    var update = {};
    (gd.layout.annotations || []).forEach(function (a, i) {
      if (a.xref !== "paper") return;
      titles.push(i);
      var drawn = gd.querySelector('g.annotation[data-index="' + i + '"]');
      var box = drawn && drawn.getBoundingClientRect();
      if (!box || !box.width || (box.left >= figure.left && box.right <= figure.right)) return;
      var centre = (box.left + box.right) / 2;
      var room = 2 * Math.min(centre - figure.left, figure.right - centre) - 8;
      var font = (a.font && a.font.size) || gd._fullLayout.font.size;
      var fitted = font * room / box.width;
      size = Math.min(size, Math.max(PANEL_TITLE_PX, fitted));
      var text = String(a.text);
      if (fitted >= PANEL_TITLE_PX || text.indexOf("<br>") >= 0) return;
      var perLine = Math.floor(text.length * room * font / (box.width * PANEL_TITLE_PX));
      update["annotations[" + i + "].text"] = balancedLines(text, perLine).join("<br>");
    });
    if (size === Infinity) return;
    titles.forEach(function (i) { // every panel title at one size: none looks more important
      update["annotations[" + i + "].font.size"] = Math.floor(size);
    });
    return fitLayout(gd, update);
  }

  // A legend entry longer than a phone is wide (a run's label with its settings) ran past
  // the right edge: the legend's font shrinks until it fits, down to 10 px.
  function fitLegend(gd) {
    var legend = gd.querySelector("g.legend");
    if (!narrow() || !legend) return;
    var figure = gd.getBoundingClientRect();
    var box = legend.getBoundingClientRect();
    if (!box.width || box.right <= figure.right) return;
    var size = (((gd.layout.legend || {}).font || {}).size || gd._fullLayout.font.size);
    var room = figure.right - box.left - 8;
    var smaller = Math.max(10, Math.floor(size * room / box.width));
    return fitLayout(gd, { "legend.font.size": smaller });
  }

  // A legend under the plot that reaches up onto the x axis' numbers or title (the plot was
  // short, so plotly's fraction of its height below it was a few pixels): it moves to the
  // figure's foot, and the figure grows by what the legend needs.
  function legendClearOfAxes(gd) {
    var legend = gd.querySelector("g.legend");
    var full = gd._fullLayout;
    if (!narrow() || !legend || !full || !full.legend || full.legend.yanchor !== "top") return;
    var box = gd.getBoundingClientRect();
    var plotBottom = box.top + full._size.t + full._size.h;
    var axisBottom = plotBottom;
    var axisParts = "g[class^='x'][class$='tick'] text, g[class^='g-x'][class$='title']";
    gd.querySelectorAll(axisParts).forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.height && r.top >= plotBottom - 2) axisBottom = Math.max(axisBottom, r.bottom);
    });
    var top = legend.getBoundingClientRect().top;
    if (top >= axisBottom + 4) return;
    var height = legend.getBoundingClientRect().height;
    var bottom = Math.ceil(axisBottom - plotBottom + height + 16);
    var grow = Math.max(0, bottom - full._size.b);
    return fitLayout(gd, taller(gd, full.height + grow, {
      "legend.yref": "container", "legend.y": 0, "legend.yanchor": "bottom", "margin.b": bottom,
    }));
  }

  // A table's cells never wrap, and pod names and labels lost their last letters at the
  // right edge of each column: on a phone the table's text is a size smaller.
  var TABLE_FONT_PX = 11;
  function smallerTableText(gd) {
    if (!narrow()) return;
    var tables = [];
    gd.data.forEach(function (t, i) { if (t.type === "table") tables.push(i); });
    if (!tables.length) return;
    return fitTraces(gd, { "cells.font.size": TABLE_FONT_PX, "header.font.size": TABLE_FONT_PX },
                     tables);
  }

  // A table figure's height is a guess from its rows' lines; drawn (in a phone's smaller
  // text too), the rows took less: the figure ends where the table ends, with its margin.
  function tableHeightFitsRows(gd) {
    var full = gd._fullLayout;
    if (!full || !gd.data.length || gd.data.some(function (t) { return t.type !== "table"; })) {
      return;
    }
    var top = gd.getBoundingClientRect().top;
    var bottom = 0;
    gd.querySelectorAll("g.table rect.cell-rect").forEach(function (cell) {
      bottom = Math.max(bottom, cell.getBoundingClientRect().bottom - top);
    });
    var height = Math.ceil(bottom + full.margin.b + 2);
    if (bottom && height < full.height - 4) {
      return fitLayout(gd, taller(gd, height, {}));
    }
  }

  // A plot squeezed under PLOT_PX high by what a phone stacks around it (a legend of long
  // names, a slider, buttons) gets its height back: the figure grows.
  var PLOT_PX = 200;
  function plotTallEnough(gd) {
    var full = gd._fullLayout;
    if (!narrow() || !full || !full._size || full._size.h >= PLOT_PX) return;
    if (!gd.querySelector("g.cartesianlayer g.subplot")) return; // a table or an icicle
    return fitLayout(gd, taller(gd, full.height + PLOT_PX - full._size.h, {}));
  }

  // A relayout `update` that makes the figure `height` px high, with the box the page gives it
  // (plotly's HTML sets that box's height, and would clip the taller figure or let it spill).
  function taller(gd, height, update) {
    update.height = height;
    var box = gd.parentElement;
    if (box && box.style.height) {
      var wide = wideOf(gd);
      if (wide.box === undefined) wide.box = box.style.height;
      box.style.height = height + "px";
    }
    return update;
  }

  // What fitting a figure to its width changed, so that it can be worked out again when the
  // width changes (fitAgain): each layout path's and each trace's value before the first
  // change (null where the figure had none), and the height of the box the page gave it.
  function wideOf(gd) {
    gd._courseWide = gd._courseWide || { layout: {}, traces: {}, box: undefined };
    return gd._courseWide;
  }

  function keep(saved, path, value) {
    if (!saved.hasOwnProperty(path)) {
      saved[path] = value === undefined ? null : JSON.parse(JSON.stringify(value));
    }
  }

  // Plotly.relayout and Plotly.restyle for the fitting, which keep what they replace.
  function fitLayout(gd, update) {
    var saved = wideOf(gd).layout;
    Object.keys(update).forEach(function (path) { keep(saved, path, valueAt(gd.layout, path)); });
    return window.Plotly.relayout(gd, update);
  }

  function fitTraces(gd, update, traces) {
    var wide = wideOf(gd);
    traces.forEach(function (i) {
      var saved = wide.traces[i] = wide.traces[i] || {};
      Object.keys(update).forEach(function (path) { keep(saved, path, valueAt(gd.data[i], path)); });
    });
    return window.Plotly.restyle(gd, update, traces);
  }

  // The figure as it was before it was fitted: its own layout, traces and box.
  function unfit(gd) {
    var wide = gd._courseWide;
    gd._courseWide = null;
    gd._courseFitted = false;
    gd._courseLabelsInside = false;
    gd._courseTopMargin = undefined;
    if (!wide) return Promise.resolve();
    if (wide.box !== undefined) gd.parentElement.style.height = wide.box;
    var done = Promise.resolve();
    Object.keys(wide.traces).forEach(function (i) {
      var update = {};
      // restyle reads an array as one value per trace: each value goes in one
      Object.keys(wide.traces[i]).forEach(function (p) { update[p] = [wide.traces[i][p]]; });
      done = done.then(function () { return window.Plotly.restyle(gd, update, [Number(i)]); });
    });
    return done.then(function () {
      gd._courseUnfitting = true;
      return window.Plotly.relayout(gd, wide.layout);
    }).then(function () { gd._courseUnfitting = false; });
  }

  // Long category names left of a plot (an event timeline's reasons, a bar chart's modes)
  // leave it a sliver of a phone's width: each name goes inside the plot, just above its row,
  // and the rows get taller to make room. Horizontal bars get thinner and move under their
  // name, which would otherwise cover them.
  var ROW_PX = 40;
  var LINE_PX = 16;
  function labelsAboveRows(gd) {
    var full = gd._fullLayout;
    var yaxis = full && full.yaxis;
    if (!narrow() || !yaxis || yaxis.type !== "category" || gd._courseLabelsInside) return;
    if (full._size.w >= 0.6 * full.width) return;
    var bars = [];
    var fits = gd.data.every(function (t, i) {
      if (t.type === "bar" && t.orientation === "h") bars.push(i);
      return (t.type || "scatter") === "scatter" || bars[bars.length - 1] === i;
    });
    if (!fits) return;
    gd._courseLabelsInside = true;
    var names = yaxis._categories || [];
    var lines = Math.max.apply(null, names.map(function (n) {
      return String(n).split("<br>").length;
    }));
    var pitch = bars.length ? Math.max(ROW_PX, 2 * (lines * LINE_PX + 8)) : ROW_PX;
    var grow = Math.max(0, names.length * pitch - full._size.h);
    var drawn = fitLayout(gd, taller(gd, full.height + grow, {
      "yaxis.ticklabelposition": "inside top", "yaxis.ticklabelshift": -5,
      "yaxis.ticklabeloverflow": "allow",
      // plotly widens an axis to make room for names inside it (to -300 s on a 0-400 s
      // timeline): the value axis keeps the range it had.
      "xaxis.range": full.xaxis.range.slice(),
    }));
    if (!bars.length) return drawn;
    // A bar fills 35 % of its row, below its name (on a reversed axis, "below" is the side
    // of larger positions).
    var reversed = yaxis.range[0] > yaxis.range[1];
    return drawn.then(function () {
      return fitTraces(gd, { width: 0.35, offset: reversed ? 0.12 : -0.47 }, bars);
    });
  }

  // Play and pause buttons to the left of a slider (an animation's controls) pushed the plot a
  // third of a phone's width to the right: the slider takes the full width and the buttons go
  // under it, in a bottom margin grown by their height.
  var BUTTONS_PX = 45;
  function buttonsUnderSlider(gd, update) {
    var layout = gd.layout;
    var slider = (layout.sliders || [])[0];
    if (!slider) return;
    (layout.updatemenus || []).forEach(function (menu, i) {
      if (menu.type !== "buttons" || menu.xanchor !== "right" || !(menu.x <= slider.x)) return;
      var key = "updatemenus[" + i + "].";
      update[key + "x"] = 0;
      update[key + "xanchor"] = "left";
      update[key + "pad.t"] = ((slider.pad || {}).t || 0) + 75;
      update["sliders[0].x"] = 0;
      update["sliders[0].len"] = 1;
      update["margin.b"] = ((layout.margin || {}).b || 80) + BUTTONS_PX;
      taller(gd, gd._fullLayout.height + BUTTONS_PX, update);
    });
  }

  var PINNED_TITLE = { yref: "container", y: 1, yanchor: "top", "pad.t": 10 };

  // The legend sits above the plot (a slider takes the space below): make the top margin hold
  // the title and the legend's real height, so that neither covers the other.
  function moveTitleAboveLegend(gd) {
    var legend = gd.querySelector("g.legend");
    var title = gd.querySelector("g.g-gtitle");
    if (!legend) return;
    var top = gd.getBoundingClientRect().top;
    var titleBottom = title ? title.getBoundingClientRect().bottom - top : 0;
    var need = Math.ceil(titleBottom + legend.getBoundingClientRect().height + 14);
    if (need > gd._fullLayout.margin.t) return fitLayout(gd, { "margin.t": need });
  }

  // Labels of marks above the plot (a node failure's time: paper y = 1, anchored at their
  // bottom, clustersim/viz/capacity.py) sit on the plot's top edge; a title in lines, pinned
  // to the figure's top, ran down onto them. The top margin grows by the overlap, as it grows
  // for a legend above the plot (moveTitleAboveLegend).
  function titleClearOfMarks(gd) {
    var title = gd.querySelector("g.g-gtitle");
    var full = gd._fullLayout;
    var box = title && title.getBoundingClientRect();
    if (!box || !box.height || !full || !full._size) return;
    var plotTop = gd.getBoundingClientRect().top + full._size.t;
    var overlap = 0;
    gd.querySelectorAll("g.annotation").forEach(function (mark) {
      var r = mark.getBoundingClientRect();
      if (!r.height || r.bottom > plotTop + 2 || r.left >= box.right || box.left >= r.right) return;
      overlap = Math.max(overlap, box.bottom + 4 - r.top);
    });
    if (overlap > 0) {
      return fitLayout(gd, { "margin.t": Math.ceil(full.margin.t + overlap) });
    }
  }

  // A title longer than a phone's width breaks into lines at spaces (plotly never wraps).
  function wrapTitle(text, width) {
    if (typeof text !== "string" || text.indexOf("<br>") >= 0) return text;
    var perLine = Math.max(20, Math.floor((width - 20) / 9.5)); // a title's 18 px letters
    return balancedLines(text, perLine).join("<br>");
  }

  // Words in lines of at most `perLine` characters, as many lines as that takes, and as even
  // as the words allow: filled one by one, the last line was often one short word ("30 / s").
  // A short bracket ("(1, 1)", "(api × 3)") stays on one line.
  var BRACKET_CHARS = 12;
  function balancedLines(text, perLine) {
    var words = [];
    text.split(" ").forEach(function (word) {
      var last = words[words.length - 1];
      var open = last && last.split("(").length > last.split(")").length;
      if (open && last.length + 1 + word.length <= BRACKET_CHARS) words[words.length - 1] += " " + word;
      else words.push(word);
    });
    function fill(limit) {
      var lines = [""];
      words.forEach(function (word) {
        var line = lines[lines.length - 1];
        if (line && (line + " " + word).length > limit) lines.push(word);
        else lines[lines.length - 1] = line ? line + " " + word : word;
      });
      return lines;
    }
    var lines = fill(perLine);
    for (var limit = Math.ceil(text.length / lines.length); limit < perLine; limit++) {
      var even = fill(limit);
      if (even.length === lines.length) return even;
    }
    return lines;
  }

  // Adds to `update` the title `text` in lines for a phone, pinned to the top, with the top
  // margin its lines need (the figure's own margin, kept from the first time, plus a line
  // each). False when the text fits on one line.
  function titleInLines(gd, text, update) {
    var wrapped = wrapTitle(text, gd.clientWidth || window.innerWidth);
    if (wrapped === text) return false;
    var extraLines = wrapped.split("<br>").length - 1;
    if (gd._courseTopMargin === undefined) gd._courseTopMargin = (gd.layout.margin || {}).t || 60;
    update["title.text"] = wrapped;
    update["margin.t"] = gd._courseTopMargin + 22 * extraLines;
    // Left where plotly puts it, a title of several lines ran down onto the first panel's.
    Object.keys(PINNED_TITLE).forEach(function (k) { update["title." + k] = PINNED_TITLE[k]; });
    // plotly lifts a title of several lines anchored at its top by its cap height, whatever
    // the number of lines: the padding brings its first line back to where one line starts.
    update["title.pad.t"] = PINNED_TITLE["pad.t"] + capShift(gd);
    return true;
  }

  // The cap height plotly assumes, 0.70 em of the title's font (CAP_SHIFT in plotly.js
  // src/constants/alignment.js). A title of several lines anchored at its top starts that
  // much higher than one of one line (its lines' tspans replace the text's shift down to
  // the cap line): the padding was a line per extra line, and a title of three lines
  // started 29 px below the figure's top on a phone, a band of empty space above it.
  var CAP_SHIFT = 0.7;
  function capShift(gd) {
    var title = (gd._fullLayout && gd._fullLayout.title) || {};
    return Math.round(CAP_SHIFT * ((title.font && title.font.size) || 18));
  }

  // Each animation frame's title as the figure's own title is: in lines and pinned like it on
  // a phone, as the frame gave it on a wider screen (its own title kept the first time).
  function fitFrameTitles(gd) {
    var frames = (gd._transitionData && gd._transitionData._frames) || [];
    var pinned = (gd.layout && gd.layout.title) || {};
    frames.forEach(function (frame) {
      var layout = frame.layout;
      if (!layout || !layout.title) return;
      if (!frame._courseTitle) frame._courseTitle = JSON.parse(JSON.stringify(layout.title));
      var own = frame._courseTitle;
      var text = titleText(own);
      if (!narrow() || !text) {
        layout.title = JSON.parse(JSON.stringify(own));
        return;
      }
      layout.title = { text: wrapTitle(text, gd.clientWidth) };
      ["x", "xanchor", "yref", "y", "yanchor", "pad"].forEach(function (k) {
        if (pinned[k] !== undefined) layout.title[k] = pinned[k];
      });
    });
  }

  // A title set after the figure is drawn (a menu entry's summary) breaks into lines too.
  function followTitle(gd) {
    if (gd._courseTitle || typeof gd.on !== "function") return;
    gd._courseTitle = true;
    function rewrap(event) {
      // Only a title that changed (plotly_update's event has the layout's changes, and
      // plotly_relayout's is them), and not by unfit: a figure fitted again wraps it as it
      // did when it was drawn, and a resize's autosize leaves it to fitAgain.
      var changes = (event && (event.layout || event)) || {};
      var titled = Object.keys(changes).some(function (k) { return /^title(\.|$)/.test(k); });
      if (!titled || gd._courseUnfitting) return;
      // A title without lines is the figure's own (a menu entry's): a wider screen shows it.
      var own = titleText(gd.layout.title);
      var wide = gd._courseWide && gd._courseWide.layout;
      if (wide && wide.hasOwnProperty("title.text") && typeof own === "string"
          && own.indexOf("<br>") < 0) {
        wide["title.text"] = own;
      }
      var update = {};
      if (!narrow() || !titleInLines(gd, titleText(gd.layout.title), update)) return;
      var legend = gd._fullLayout.legend || {};
      var drawn = fitLayout(gd, update);
      // A legend above the plot keeps its room under the title's new lines.
      if (legend.y >= 1 && legend.yanchor === "bottom") {
        drawn = drawn.then(function () { return moveTitleAboveLegend(gd); });
      }
      drawn.then(function () { return titleClearOfMarks(gd); });
    }
    gd.on("plotly_update", rewrap);
    gd.on("plotly_relayout", rewrap);
  }

  function titleText(title) {
    return typeof title === "string" ? title : title && title.text;
  }

  function narrow() {
    return window.innerWidth < NARROW;
  }

  // A figure followed by one summary panel per slider step (clustersim/viz/panels.py): the
  // visible panel is the one of the step the slider shows, whether dragged or played.
  function followSlider(gd) {
    var box = gd.closest && gd.closest(".clustersim-slider-panels");
    if (!box || gd._coursePanels || typeof gd.on !== "function") return;
    gd._coursePanels = true;
    gd.on("plotly_sliderchange", function (event) {
      var args = event && event.step && event.step.args;
      if (!args || !Array.isArray(args[0])) return;
      var name = String(args[0][0]);
      box.querySelectorAll(".clustersim-step-panel").forEach(function (panel) {
        panel.hidden = panel.getAttribute("data-frame") !== name;
      });
    });
  }

  // An animation cut short by the next command (the pause button, a slider step while it
  // plays) rejects, with no reason, the promise of the plotly button that started it, and
  // plotly's buttons catch none: the page logged an uncaught "undefined" after plotly's own
  // warning ("API call to Plotly.animate rejected."). That rejection, and only in the moment
  // after plotly announces the interruption, is expected.
  var interruptedAt = -Infinity;
  function followInterruptions(gd) {
    if (gd._courseInterruptions || typeof gd.on !== "function") return;
    gd._courseInterruptions = true;
    gd.on("plotly_animationinterrupted", function () { interruptedAt = performance.now(); });
  }
  window.addEventListener("unhandledrejection", function (event) {
    if (event.reason === undefined && performance.now() - interruptedAt < 1000) {
      event.preventDefault();
    }
  });

  // The figure fitted to its width (a phone's, or any for its panel titles and its table).
  function fit(gd) {
    return Promise.resolve(fitToScreen(gd))
      .then(function () { return labelsAboveRows(gd); })
      .then(function () { return fitPanelTitles(gd); })
      .then(function () { return fitLegend(gd); })
      .then(function () { return legendClearOfAxes(gd); })
      .then(function () { return titleClearOfMarks(gd); })
      .then(function () { return plotTallEnough(gd); })
      .then(function () { return smallerTableText(gd); })
      .then(function () { return tableHeightFitsRows(gd); });
  }

  // A figure was fitted once, at the width the page loaded at: a phone turned sideways kept
  // its phone layout, a window narrowed to a phone's width its wide one. When the width has
  // changed, the figure gets its own layout back, plotly sizes it to its box, and it is
  // fitted again, its animation frames' titles too. A figure out of sight (display: none)
  // has no size to fit, and plotly refuses to resize it: it is fitted when it comes into
  // sight (fitWhenShown).
  function fitAgain(gd) {
    if (!gd.layout) return;
    if (!gd.offsetParent) return fitWhenShown(gd);
    unfit(gd)
      .then(function () { return window.Plotly.Plots.resize(gd); })
      .then(function () { return fit(gd); })
      .then(function () { fitFrameTitles(gd); });
  }

  // A figure in a tab not shown or a closed dropdown (display: none in the browsers that
  // hide their content so) has no width: drawn there, plotly gave it its default 700 px, and
  // a change of the window's width left it as wide as it was. It is watched until its box
  // has a width again (the tab chosen, the dropdown opened), then sized to it and fitted.
  var outOfSight = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(
    function (entries) {
      entries.forEach(function (entry) {
        var gd = entry.target;
        if (!gd.offsetParent) return;
        outOfSight.unobserve(gd);
        fitAgain(gd);
      });
    });
  function fitWhenShown(gd) {
    if (outOfSight) outOfSight.observe(gd);
  }

  function adopt(gd) {
    if (gd.offsetParent) fit(gd); else fitWhenShown(gd);
    applyTheme(gd);
    followSlider(gd);
    followFrames(gd);
    followFills(gd);
    followMarks(gd);
    followTitle(gd);
    followInterruptions(gd);
  }

  // The chapter drawer of a phone opened at the top of a list 40 entries long, the current
  // page out of sight far below: it opens with the current page's entry in view.
  function currentChapterInView() {
    var drawer = document.getElementById("pst-primary-sidebar-modal");
    if (!drawer || typeof MutationObserver === "undefined") return;
    new MutationObserver(function () {
      if (!drawer.open) return;
      var current = drawer.querySelectorAll("a.current, li.current > a");
      var entry = current[current.length - 1]; // the deepest: this page's own entry
      if (entry) entry.scrollIntoView({ block: "center" });
    }).observe(drawer, { attributes: true, attributeFilter: ["open"] });
  }

  // A diagram (a course SVG in _images/) keeps readable text on a phone by being wider than
  // the screen (course.css): it scrolls inside its own box, whose shadows on either side say
  // that there is more, as a wide table's do.
  function diagramsScrollWithCue() {
    var images = document.querySelectorAll('.bd-article img[src*="_images/"][src$=".svg"]');
    images.forEach(function (img) {
      var item = img.closest("a.image-reference") || img;
      var box = document.createElement("div");
      box.className = "clustersim-diagram-scroll";
      item.parentNode.insertBefore(box, item);
      box.appendChild(item);
      function cue() {
        var left = box.scrollLeft;
        box.classList.toggle("clustersim-more-left", left > 1);
        box.classList.toggle("clustersim-more-right", left + box.clientWidth < box.scrollWidth - 1);
      }
      box.addEventListener("scroll", cue, { passive: true });
      window.addEventListener("resize", cue);
      if (img.complete) cue(); else img.addEventListener("load", cue);
    });
  }

  // A text output laid out in columns or by indentation (a kubectl table, YAML, JSON) keeps
  // its layout and scrolls sideways (course.css); prose, with no run of spaces and no
  // indented line, wraps.
  var LAID_OUT = /(^|\n)[ \t]|\S(  |\t)/;
  function proseOutputsWrap() {
    document.querySelectorAll("div.cell_output .output pre").forEach(function (pre) {
      if (!LAID_OUT.test(pre.textContent.replace(/\s+$/, ""))) pre.classList.add("clustersim-prose");
    });
  }

  // On a phone the browser squeezed every column of a wide table to the width of its
  // longest word (a timetable's "what" to 90 px, 20 lines a cell; a DataFrame's pod names
  // broken at each "-"): each cell asks for room by its text (course.css), an em for every
  // six characters of prose (about three lines, at two characters an em), a word whole,
  // between 4 and 16 em; the table then scrolls sideways in its box.
  var CELL_EM = { min: 4, max: 16, charsPerEm: 6, emPerChar: 0.6 };
  function longestWord(text) {
    return text.trim().split(/\s+/).reduce(function (n, w) { return Math.max(n, w.length); }, 0);
  }
  function cellEm(text) {
    var em = Math.max(text.length / CELL_EM.charsPerEm, longestWord(text) * CELL_EM.emPerChar);
    return Math.min(CELL_EM.max, Math.max(CELL_EM.min, Math.ceil(em)));
  }
  function tableCellsAskForRoom() {
    var tables = document.querySelectorAll(".bd-article table.table, .bd-article table.dataframe");
    tables.forEach(function (table) {
      var cells = Array.from(table.rows, function (row) { return Array.from(row.cells); });
      var columns = [];
      cells.forEach(function (row) {
        row.forEach(function (cell, i) {
          columns[i] = Math.max(columns[i] || 0, cellEm(cell.textContent.trim()));
        });
      });
      var narrowTable = isNarrow(table, columns);
      cells.forEach(function (row) {
        row.forEach(function (cell) {
          var room = narrowTable ? longestWordPx(cell) + "px" : cellEm(cell.textContent.trim()) + "em";
          cell.style.setProperty("--clustersim-cell-min", room);
        });
      });
    });
  }

  // A narrow table (three columns or fewer, or asking under half as much again as its box)
  // scrolled too, a column cut on every row (the welcome page's course map, 476 px in 358):
  // its cells ask only for their longest word (a name such as node-1 or spec.replicas stays
  // whole, not broken at its "-" or "."), and the browser shares the box among its columns
  // by their text, so that its prose wraps. Only a table whose longest words together are
  // wider than the box still scrolls, no wider than they are.
  var NARROW_TABLE = { columns: 3, ofBox: 1.5 };
  // The width of a cell's longest word as drawn, with the cell's padding, up to 16 em (a
  // longer name may break: longNamesMayBreak).
  function longestWordPx(cell) {
    var style = getComputedStyle(cell);
    var widest = 0;
    var walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    var range = document.createRange();
    for (var node = walk.nextNode(); node; node = walk.nextNode()) {
      var words = /\S+/g;
      for (var m = words.exec(node.data); m; m = words.exec(node.data)) {
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        // A word the cell breaks at its hyphen ("set-" over "up;") is as wide as its pieces
        // together: the box around both lines was the whole cell's width (233 px for 83).
        var pieces = Array.from(range.getClientRects());
        widest = Math.max(widest, pieces.reduce(function (w, r) { return w + r.width; }, 0));
      }
    }
    var most = CELL_EM.max * parseFloat(style.fontSize);
    return Math.ceil(Math.min(most, widest) + parseFloat(style.paddingLeft)
      + parseFloat(style.paddingRight));
  }
  function isNarrow(table, columns) {
    var first = table.rows.length && table.rows[0].cells[0];
    if (!first) return false;
    var box = table.parentElement.clientWidth;
    var asked = columns.reduce(function (a, b) { return a + b; }, 0)
      * parseFloat(getComputedStyle(first).fontSize);
    return asked > box && (columns.length <= NARROW_TABLE.columns || asked < NARROW_TABLE.ofBox * box);
  }

  // A name in a table cell longer than the widest word a cell asks room for (an API path such
  // as spec.template.spec.containers[0].volumeMounts[0].name, a source file's path in a link)
  // may break where it must on a phone (course.css): kept whole, one made its column wider
  // than the screen and cut every line of it. Shorter names stay whole.
  var LONGEST_WHOLE = CELL_EM.max / CELL_EM.emPerChar;
  function longNamesMayBreak() {
    var names = ".bd-article td code, .bd-article td a, .bd-article th code, .bd-article th a";
    document.querySelectorAll(names).forEach(function (name) {
      if (longestWord(name.textContent) > LONGEST_WHOLE) name.classList.add("clustersim-long-name");
    });
  }

  // A table's narrow column broke words joined by hyphens at a hyphen on a phone: a
  // header's "kube-" over "apiserver", a date's "2026-" over "11-24". In a table cell each
  // such word stays whole (course.css: clustersim-whole), as one without hyphens does; one
  // longer than LONGEST_WHOLE (a DNS name, a pod's name) keeps its places to break.
  var JOINED = /\S*\w-\w\S*/g;
  function joinedWordsStayWhole() {
    document.querySelectorAll(".bd-article th, .bd-article td").forEach(function (cell) {
      var walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      var nodes = [];
      for (var node = walk.nextNode(); node; node = walk.nextNode()) nodes.push(node);
      nodes.forEach(function (text) {
        var pieces = document.createDocumentFragment();
        var done = 0;
        text.data.replace(JOINED, function (word, at) {
          if (word.length > LONGEST_WHOLE) return word;
          pieces.appendChild(document.createTextNode(text.data.slice(done, at)));
          var whole = document.createElement("span");
          whole.className = "clustersim-whole";
          whole.textContent = word;
          pieces.appendChild(whole);
          done = at + word.length;
          return word;
        });
        if (!done) return;
        pieces.appendChild(document.createTextNode(text.data.slice(done)));
        text.parentNode.replaceChild(pieces, text);
      });
    });
  }

  // A long name in a heading broke on a phone wherever its line ended ("minimumHealthCapacit"
  // over "y", under course.css's overflow-wrap: anywhere): a break may come at its humps
  // first ("minimumHealth" over "Capacity"), and anywhere only where no hump is left.
  function headingNamesBreakAtHumps() {
    document.querySelectorAll(".bd-content h1, .bd-content h2, .bd-content h3").forEach(function (h) {
      var walk = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
      var names = [];
      for (var node = walk.nextNode(); node; node = walk.nextNode()) {
        if (/[a-z][A-Z]/.test(node.data)) names.push(node);
      }
      names.forEach(function (node) {
        var parts = node.data.replace(/([a-z])(?=[A-Z])/g, "$1\n").split("\n");
        var pieces = document.createDocumentFragment();
        parts.forEach(function (part, i) {
          if (i) pieces.appendChild(document.createElement("wbr"));
          pieces.appendChild(document.createTextNode(part));
        });
        node.parentNode.replaceChild(pieces, node);
      });
    });
  }

  // What a table's cells ask for depends on the width of the box it is in: it is worked out
  // again when the window changes size or a phone turns, once it has settled (a drag fires
  // resize tens of times a second). The theme changes no font or padding: a theme switch
  // leaves it as it is.
  // Figures are fitted again too (fitAgain).
  var SETTLE_MS = 150;
  function onWidthChange(work) {
    var timer = null;
    var width = window.innerWidth;
    function again() {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (window.innerWidth === width) return; // a phone's toolbar showing or hiding
        width = window.innerWidth;
        work();
      }, SETTLE_MS);
    }
    window.addEventListener("resize", again);
    window.addEventListener("orientationchange", again);
  }

  document.addEventListener("DOMContentLoaded", function () {
    joinedWordsStayWhole();
    tableCellsAskForRoom();
    onWidthChange(tableCellsAskForRoom);
    headingNamesBreakAtHumps();
    longNamesMayBreak();
    currentChapterInView();
    diagramsScrollWithCue();
    proseOutputsWrap();
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.Plotly) return; // a page with no figure
    var newPlot = window.Plotly.newPlot;
    window.Plotly.newPlot = function () {
      return newPlot.apply(this, arguments).then(function (gd) {
        adopt(gd);
        return gd;
      });
    };
    // Animation frames carry their own titles: wrapped on a phone too.
    var addFrames = window.Plotly.addFrames;
    window.Plotly.addFrames = function (gd) {
      gd = typeof gd === "string" ? document.getElementById(gd) : gd;
      return addFrames.apply(this, arguments).then(function (done) {
        fitFrameTitles(gd);
        return done;
      });
    };
    onWidthChange(function () {
      document.querySelectorAll(".js-plotly-plot").forEach(fitAgain);
    });
    // pydata-sphinx-theme sets data-theme on <html> when the reader switches the theme.
    new MutationObserver(function () {
      document.querySelectorAll(".js-plotly-plot").forEach(applyTheme);
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  });
})();
