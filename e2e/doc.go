// Package e2e holds cairn's browser tests: they build the demo site with
// the cairn binary, open the portals in headless Chromium (driven with
// chromedp) and check what a reader sees: search, links, live reload.
// They skip when Chromium is missing, unless CAIRN_REQUIRE_TOOLS=1 (as in
// CI), when they fail instead. Screenshots go to $CAIRN_TEST_OUT when set.
package e2e
