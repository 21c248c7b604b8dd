package serve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// EventsPath is where open pages listen for reload and problem events.
const EventsPath = "/__cairn/events"

// ReloadPath is the live-reload script Inject adds to every page. It is a
// file, not an inline script, because pages forbid inline script
// (portal.ContentSecurityPolicy).
const ReloadPath = "/__cairn/reload.js"

// client is one open page listening for events.
type client struct {
	path string // the page's portal path ("acme/index.html")
	gen  int    // the generation of the page it shows
	ch   chan event
}

// event is one server-sent event: "reload", "problems" (data: JSON list)
// or "ok".
type event struct {
	name string
	data string
}

// notifyLocked tells every client what the current state means for its
// page. s.mu is held.
func (s *Server) notifyLocked() {
	for c := range s.clients {
		s.sendLocked(c)
	}
}

// sendLocked sends a client its page's state: the problems, or "ok" and
// a reload when its page is stale. s.mu is held.
func (s *Server) sendLocked(c *client) {
	var ev []event
	if s.problems != nil {
		b, _ := json.Marshal(s.problems)
		ev = append(ev, event{"problems", string(b)})
	} else {
		ev = append(ev, event{"ok", strconv.Itoa(s.gen)})
		if s.stale(c.path, c.gen) {
			ev = append(ev, event{"reload", strconv.Itoa(s.gen)})
		}
	}
	for _, e := range ev {
		select {
		case c.ch <- e:
		default: // a client that does not read loses events, not the server
		}
	}
}

// Handler returns the HTTP handler that serves the portal, at the root of
// the server. It answers only requests whose Host header is a loopback
// name or one of Options.Hosts (guardHost); others get 421.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(EventsPath, s.events)
	mux.HandleFunc(ReloadPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte(reloadScript))
	})
	mux.HandleFunc("/", s.page)
	return guardHost(s.opts.Hosts, mux)
}

// portalPath maps a URL path to a portal path: "/" is "index.html", a
// path ending in "/" its index.html.
func portalPath(urlPath string) string {
	p := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if p == "" || strings.HasSuffix(urlPath, "/") {
		p = path.Join(p, "index.html")
	}
	return p
}

func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := portalPath(r.URL.Path)
	b, lazy, ok, gen := s.file(p)
	if !ok {
		if _, _, isDir, _ := s.file(path.Join(p, "index.html")); isDir && !strings.HasSuffix(r.URL.Path, "/") {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusNotFound)
		body := fmt.Sprintf("<!doctype html><html><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1><p>The portal has no page %s.</p><p><a href=\"/\">Portal home</a></p></body></html>", html.EscapeString(p))
		_, _ = w.Write(Inject([]byte(body), gen))
		return
	}
	if lazy != nil {
		var err error
		if b, err = lazy(r.Context()); err != nil {
			http.Error(w, fmt.Sprintf("making %s: %v", p, err), http.StatusInternalServerError)
			return
		}
	}
	// Never sniff: an attachment's bytes are untrusted, and every file
	// cairn writes has an extension that says its type (urls.FilePath).
	ctype := mime.TypeByExtension(path.Ext(p))
	if ctype == "" && strings.EqualFold(path.Ext(p), ".txt") {
		ctype = "text/plain; charset=utf-8"
	}
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	if strings.HasPrefix(ctype, "text/html") {
		b = Inject(b, gen)
	}
	http.ServeContent(w, r, p, time.Time{}, bytes.NewReader(b))
}

// events streams server-sent events to one page. The page passes the
// generation it was served at and its path, so a page opened just before
// a rebuild still learns that it is stale.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	gen, _ := strconv.Atoi(r.URL.Query().Get("gen"))
	c := &client{path: portalPath(r.URL.Query().Get("path")), gen: gen, ch: make(chan event, 16)}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 500\n\n")
	fl.Flush()

	s.mu.Lock()
	s.clients[c] = true
	s.sendLocked(c)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}()
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case e := <-c.ch:
			if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.name, e.data); err != nil {
				return
			}
			fl.Flush()
		case <-ping.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
			fl.Flush()
		}
	}
}

// Inject adds the live-reload script to an HTML page served at generation
// gen: before the last </body>, or at the end when there is none.
func Inject(page []byte, gen int) []byte {
	script := `<script data-cairn-serve data-gen="` + strconv.Itoa(gen) + `" src="` + ReloadPath + `"></script>`
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		return append(append([]byte(nil), page...), script...)
	}
	out := make([]byte, 0, len(page)+len(script))
	out = append(out, page[:i]...)
	out = append(out, script...)
	return append(out, page[i:]...)
}

// reloadScript listens for events, for the generation the page was served
// at (its script tag's data-gen). The overlay is built with textContent
// only.
const reloadScript = `(function(){
var gen=(document.currentScript&&document.currentScript.getAttribute("data-gen"))||"0";
var es=new EventSource("` + EventsPath + `?gen="+encodeURIComponent(gen)+"&path="+encodeURIComponent(location.pathname));
var ov=null;
es.addEventListener("reload",function(){es.close();location.reload();});
es.addEventListener("ok",function(){if(ov){ov.remove();ov=null;}});
es.addEventListener("problems",function(e){
var ps=JSON.parse(e.data);if(ov)ov.remove();
ov=document.createElement("div");ov.id="cairn-problems";
ov.setAttribute("role","alertdialog");ov.setAttribute("aria-label","Site problems");
ov.style.cssText="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.94);color:#fff;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:32px";
var h=document.createElement("h2");h.style.cssText="margin:0 0 4px;font:600 20px system-ui,sans-serif;color:#ff8080";
h.textContent="cairn: the site has "+ps.length+(ps.length==1?" error":" errors");ov.appendChild(h);
var s=document.createElement("p");s.style.cssText="margin:0 0 16px;font:14px system-ui,sans-serif;color:#ccc";
s.textContent="This page is out of date. Fix the files below; it reloads by itself.";ov.appendChild(s);
var ul=document.createElement("ul");ul.style.cssText="list-style:none;margin:0;padding:0";
ps.forEach(function(p){var li=document.createElement("li");li.className="cairn-problem";li.style.margin="0 0 10px";
li.textContent=(p.pos?p.pos+": ":"")+p.message;
if(p.hint){var hn=document.createElement("div");hn.style.color="#aaa";hn.textContent="hint: "+p.hint;li.appendChild(hn);}
ul.appendChild(li);});ov.appendChild(ul);document.body.appendChild(ov);});
})();
`
