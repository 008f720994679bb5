/* Search settings for the course (loaded on every page, before Sphinx's searchtools.js, which
   uses a global `Scorer` when one is defined): the ranking, and no summaries from disk (below).
   The ranking's values are Sphinx 7.4's defaults; the one change: an exercise page ranks below
   the chapter or lab that teaches the same word. An exercise names its topic in its title
   ("Exercises: two-level scheduling and DRF"), which outscored the lab whose text explains it
   (a title match scores 15, a word in the text 5). */
var Scorer = {
  score: function (result) {
    var docname = result[0];
    var score = result[4];
    return docname.indexOf("exercises/") === 0 ? score - (Scorer.title - Scorer.term + 1) : score;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};

/* Opened from disk (a copy of the site on a USB stick, as the README suggests), the browser
   refuses a page's fetch of another file as a cross-origin request, and Sphinx's search fetches
   each result's page to show a summary: one console error per result. There, list the results
   without summaries (`html_show_search_summary`, read from DOCUMENTATION_OPTIONS, which loads
   before this file). */
if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}
