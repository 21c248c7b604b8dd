package expiry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Notifier posts a report's summary to a webhook (Slack and Microsoft
// Teams incoming webhooks, or anything that takes JSON). The zero value
// is usable: it tries 4 times, waiting 1s, 2s and 4s between tries.
type Notifier struct {
	// Client sends the requests; nil means one with a 15s timeout per try.
	Client *http.Client
	// Attempts is how many times to try at most (0 means 4).
	Attempts int
	// Backoff is the wait before the second try, doubling after each
	// (0 means 1s).
	Backoff time.Duration
}

// MaxNotifyLines bounds the entries a message lists; the rest are counted.
// MaxNotifyWhat bounds, in characters, what each line says falls due (a
// task's text may be long).
const (
	MaxNotifyLines = 40
	MaxNotifyWhat  = 200
)

// Message is the JSON body posted: one "text" field, Markdown that Slack's
// mrkdwn reads too (lines, "- " items, `code`; no bold, which the two
// write differently), which Slack incoming webhooks show as a message and
// Teams incoming webhooks (MessageCard) as the card's text. It never holds
// secret values: only item ids, titles, dates and what falls due.
type Message struct {
	Text string `json:"text"`
}

// NotifyError is a webhook that would not take the message. It never
// holds the webhook's URL, which carries its token.
type NotifyError struct {
	Attempts int
	// Status is the last HTTP status, 0 when no response came.
	Status int
	Err    error
}

func (e *NotifyError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("the webhook answered HTTP %d after %d attempt(s)", e.Status, e.Attempts)
	}
	return fmt.Sprintf("the webhook could not be reached after %d attempt(s): %v", e.Attempts, e.Err)
}

func (e *NotifyError) Unwrap() error { return e.Err }

// NewMessage summarizes a report for a chat channel: a headline with the
// counts and the as-of date, then one line per entry (at most
// MaxNotifyLines), the failing ones first.
func NewMessage(title string, r Report) Message {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d due within %s of %s, %d expired, %d failing\n", mdEscape(title), len(r.Entries), r.Within, r.AsOf.Format(dateLayout), r.Expired(), len(r.Failing))
	fails := failSet(r)
	var first, rest []Entry
	for _, e := range r.Entries {
		if fails[entryKey(e)] {
			first = append(first, e)
		} else {
			rest = append(rest, e)
		}
	}
	all := append(first, rest...)
	for i, e := range all {
		if i == MaxNotifyLines {
			fmt.Fprintf(&b, "- … and %d more (run cairn expiring)\n", len(all)-i)
			break
		}
		fmt.Fprintf(&b, "- %s, %s: `%s` %s (%s), %s\n", e.Date.Format(dateLayout), DueText(e.Days), e.ID, mdEscape(truncate(oneLine(e.What), MaxNotifyWhat)), e.Kind, e.Org)
	}
	return Message{Text: b.String()}
}

// mdEscape keeps titles from turning into links or markup.
func mdEscape(s string) string {
	r := strings.NewReplacer("\\", "\\\\", "*", "\\*", "_", "\\_", "`", "'", "[", "\\[", "]", "\\]", "<", "&lt;", ">", "&gt;", "&", "&amp;")
	return r.Replace(s)
}

// Post sends msg to the webhook at u. It retries on network errors,
// timeouts, HTTP 429 and 5xx answers, waiting Backoff and then twice as
// long each time, and stops when ctx is done. Other answers (a 4xx, or a
// redirect, which it does not follow) fail at once. Errors never include the URL.
func (n Notifier) Post(ctx context.Context, u string, msg Message) error {
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.Host == "" {
		return errors.New("--notify wants an http(s) URL")
	}
	body, err := json.Marshal(msg)
	if err != nil {
		return fmt.Errorf("encoding the message: %w", err)
	}
	client := n.Client
	if client == nil {
		// A redirect is not a delivery: followed, a 302 would drop the
		// summary for a GET whose 200 looks like success, and a 307 would
		// send it wherever the answer points. It fails as any 3xx.
		client = &http.Client{Timeout: 15 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	attempts, wait := n.Attempts, n.Backoff
	if attempts <= 0 {
		attempts = 4
	}
	if wait <= 0 {
		wait = time.Second
	}
	last := &NotifyError{}
	for i := 1; i <= attempts; i++ {
		if i > 1 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
			wait *= 2
		}
		last.Attempts = i
		retry, err := n.try(ctx, client, pu.String(), body, last)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !retry {
			return last
		}
	}
	return last
}

// try posts once; it records the outcome in last and says whether another
// try may help.
func (n Notifier) try(ctx context.Context, client *http.Client, u string, body []byte, last *NotifyError) (retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		last.Err = errors.New("cannot make the request")
		return false, last
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		// *url.Error names the URL, and with it the webhook's token.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		last.Status, last.Err = 0, err
		return true, last
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	last.Status, last.Err = resp.StatusCode, nil
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return false, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return true, last
	}
	return false, last
}

// truncate shortens s to at most n characters, ending in "…" when cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
