package e2e

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cairn-it/cairn/internal/testtool"
)

// andSite has three configurations: one whose notes say "kestrel", one
// "osprey", one both.
var andSite = map[string]string{
	"cairn.toml":                             "title = \"Birds\"\noutput = \"public\"\nexpiry_window_days = 30\n",
	"access.toml":                            "[groups.staff]\norgs = [\"*\"]\n\n[portals.internal]\ntitle = \"Internal\"\ngroups = [\"staff\"]\n",
	"content/acme/org.toml":                  "name = \"Acme\"\nkind = \"client\"\nstatus = \"active\"\n",
	"content/acme/configurations/alpha.toml": "name = \"alpha-box\"\nconfiguration_type = \"Server\"\nnotes = \"Watch for the kestrel.\"\n",
	"content/acme/configurations/beta.toml":  "name = \"beta-box\"\nconfiguration_type = \"Server\"\nnotes = \"Watch for the osprey.\"\n",
	"content/acme/configurations/gamma.toml": "name = \"gamma-box\"\nconfiguration_type = \"Server\"\nnotes = \"Both the kestrel and the osprey nest here.\"\n",
}

// TestSearchANDsWords runs the theme's real search.js in Chromium, on an
// index the cairn binary built: every word of a query must match, so two
// words that each match a different item find only the item with both.
func TestSearchANDsWords(t *testing.T) {
	testtool.Chromium(t)
	out := buildSite(t, andSite)
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join(out, "internal"))))
	defer srv.Close()
	ctx := browser(t)
	step(t, ctx, "open the portal", chromedp.Navigate(srv.URL+"/index.html"), chromedp.WaitReady("#search"))

	for _, c := range []struct {
		q    string
		want []string
	}{
		{"kestrel", []string{"alpha-box", "gamma-box"}},
		{"osprey", []string{"beta-box", "gamma-box"}},
		{"kestrel osprey", []string{"gamma-box"}},
		{"osp kes", []string{"gamma-box"}},        // prefixes, in any order
		{"kestrel.osprey", []string{"gamma-box"}}, // a punctuated word needs all its parts
		{"kestrel heron", nil},                    // a word that matches nothing
		{"alpha kestrel", []string{"alpha-box"}},  // title and notes
	} {
		got := eval[[]string](t, ctx, `new Promise(function (done) {
			var input = document.getElementById("search"), box = document.getElementById("search-results");
			input.value = "";
			input.dispatchEvent(new Event("input"));
			input.value = `+jsString(c.q)+`;
			input.dispatchEvent(new Event("input"));
			var t0 = performance.now();
			(function wait() {
				var titles = Array.from(box.querySelectorAll(".search-result-title")).map(function (e) { return e.textContent; }).sort();
				if (!box.hidden && (titles.length || box.querySelector(".search-empty"))) done(titles);
				else if (performance.now() - t0 > 10000) done(["timeout"]);
				else requestAnimationFrame(wait);
			})();
		})`)
		if len(got) == 0 {
			got = nil
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("search %q found %q, want %q", c.q, got, c.want)
		}
	}
}
