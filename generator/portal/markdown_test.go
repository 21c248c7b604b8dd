package portal

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/cairn-it/cairn/generator/markdown"
)

// nowhere is a markdown.Resolver that resolves nothing.
type nowhere struct{}

func (nowhere) Wiki(string, string) (string, string, bool) { return "", "", false }
func (nowhere) Relative(string) string                     { return "" }

// unsanitized renders Markdown as the portal does but without the
// sanitizer: what a page would carry if sanitize did nothing.
func unsanitized(t *testing.T, src string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := markdown.RenderHTML(&buf, markdown.NewParser().Parse([]byte(src), 1, 1), nowhere{}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// activeElements are elements that run script, load active content,
// navigate, submit or restyle the page: none may come from content.
var activeElements = map[string]bool{
	"script": true, "iframe": true, "frame": true, "frameset": true, "object": true, "embed": true,
	"applet": true, "base": true, "meta": true, "link": true, "style": true, "form": true,
	"svg": true, "math": true, "template": true, "portal": true, "noscript": true,
}

// dangers lists what in an HTML fragment could run script, navigate or
// submit without the reader's intent: active elements, event handlers,
// srcdoc/formaction/action, script and data URLs, CSS in style
// attributes other than text-align.
func dangers(fragment string) []string {
	var out []string
	z := html.NewTokenizer(strings.NewReader(fragment))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		if activeElements[tok.Data] {
			out = append(out, "<"+tok.Data+">")
		}
		for _, a := range tok.Attr {
			key := strings.ToLower(a.Key)
			val := strings.ToLower(strings.Map(func(r rune) rune {
				if r <= ' ' {
					return -1 // browsers ignore control characters and spaces in a scheme
				}
				return r
			}, a.Val))
			switch {
			case strings.HasPrefix(key, "on"), key == "srcdoc", key == "formaction", key == "action":
				out = append(out, tok.Data+" "+key)
			case key == "href" || key == "src" || key == "xlink:href" || key == "srcset" || key == "poster" || key == "data" || key == "content":
				for _, scheme := range []string{"javascript:", "vbscript:", "data:"} {
					if strings.Contains(val, scheme) {
						out = append(out, tok.Data+" "+key+"="+scheme)
					}
				}
			case key == "style" && !strings.HasPrefix(val, "text-align:"):
				out = append(out, tok.Data+" style")
			}
		}
	}
}

// TestSanitizerRemovesActiveContent: every payload would be live in a
// page without the sanitizer (the unsanitized rendering carries it), and
// the sanitizer turns it into exactly the output shown.
func TestSanitizerRemovesActiveContent(t *testing.T) {
	for _, c := range []struct {
		name, md, want string
	}{
		{"meta refresh", `<meta http-equiv="refresh" content="0;url=https://evil.example/">`, ``},
		{"meta refresh inline", `x <meta http-equiv="refresh" content="0;url=javascript:alert(1)"> y`, "<p>x  y</p>\n"},
		{"object", `<object data="javascript:alert(1)"></object>`, "<p></p>\n"},
		{"embed", `<embed src="data:text/html,<script>alert(1)</script>">`, ``},
		{"base", `<base href="https://evil.example/">`, ``},
		{"style element", "<style>body{display:none}</style>", ``},
		{"link stylesheet", `<link rel="stylesheet" href="https://evil.example/x.css">`, ``},
		{"form", `<form action="https://evil.example/"><button>go</button></form>`, `go`},
		{"formaction", `<button formaction="https://evil.example/">x</button>`, "<p>x</p>\n"},
		{"iframe", `<iframe src="https://evil.example/"></iframe>`, ``},
		{"iframe srcdoc", `<iframe srcdoc="<script>alert(1)</script>"></iframe>`, ``},
		{"srcdoc elsewhere", `<div srcdoc="<script>alert(1)</script>">d</div>`, `<div>d</div>`},
		{"script", `<script>alert(1)</script>`, ``},
		{"script inline", `a <script>alert(1)</script> b`, "<p>a  b</p>\n"},
		{"img onerror", `<img src=x onerror="alert(1)">`, `<img src="x">`},
		{"details ontoggle", `<details open ontoggle="alert(1)">x</details>`, `<details open="">x</details>`},
		{"a onclick", `<a href="https://example.com/" onclick="alert(1)">x</a>`, "<p><a href=\"https://example.com/\">x</a></p>\n"},
		{"javascript href", `<a href="javascript:alert(1)">x</a>`, "<p>x</p>\n"},
		{"javascript href mixed case and spaces", `<a href="  JaVaScRiPt:alert(1)">x</a>`, "<p>x</p>\n"},
		{"javascript href with tab", "<a href=\"java\tscript:alert(1)\">x</a>", "<p>x</p>\n"},
		{"data href", `<a href="data:text/html,<script>alert(1)</script>">x</a>`, "<p>x</p>\n"},
		{"data image", `<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">`, ``},
		{"svg script", `<svg><script>alert(1)</script></svg>`, "<p></p>\n"},
		{"svg onload", `<svg onload="alert(1)"><circle r="1"/></svg>`, "<p></p>\n"},
		{"svg use href", `<svg><use href="data:image/svg+xml,<svg id='x' onload='alert(1)'/>#x"/></svg>`, "<p></p>\n"},
		{"math xlink", `<math><mi xlink:href="javascript:alert(1)">x</mi></math>`, "<p>x</p>\n"},
		{"srcset", `<img src="a.png" srcset="javascript:alert(1) 1x">`, `<img src="a.png">`},
		{"video poster", `<video poster="javascript:alert(1)"></video>`, "<p></p>\n"},
		{"style attribute", `<div style="background:url(https://evil.example/x)">s</div>`, `<div>s</div>`},
		{"task checkbox handler", "- [ ] <input type=checkbox onclick=alert(1)> task\n", "<ul>\n<li><input disabled=\"\" type=\"checkbox\"> <input disabled=\"\" type=\"checkbox\"> task</li>\n</ul>\n"},
		{"template", `<template><script>alert(1)</script></template>`, "<p></p>\n"},
		{"noscript", `<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>`, "<p><img src=\"x\">&#34;&gt;</p>\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if d := dangers(unsanitized(t, c.md)); len(d) == 0 {
				t.Fatalf("the payload is not live without the sanitizer (the renderer drops it already): %q", unsanitized(t, c.md))
			}
			got := renderMD(t, c.md)
			if got != c.want {
				t.Errorf("sanitized:\n got %q\nwant %q", got, c.want)
			}
			if d := dangers(got); len(d) > 0 {
				t.Errorf("still active after sanitizing: %v in %q", d, got)
			}
		})
	}
}
