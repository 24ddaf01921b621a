package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"
)

// DefaultTimeout bounds a probe whose Timeout is zero.
const DefaultTimeout = 2 * time.Second

// HTTP probes a URL with GET. By default a 2xx or 3xx answer is healthy;
// redirects are not followed, so a 3xx counts as the target's own answer.
type HTTP struct {
	// URL is what to GET, e.g. "http://10.0.0.7:80/healthz".
	URL string
	// Expect lists the healthy status codes; empty means 200–399.
	Expect []int
	// Timeout bounds the whole request; zero means DefaultTimeout.
	Timeout time.Duration
	// Client makes the request; nil means a client without keep-alive
	// that does not follow redirects.
	Client *http.Client
}

var probeClient = &http.Client{
	Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil},
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
}

// Probe sends one GET and judges the status code.
func (h *HTTP) Probe(ctx context.Context) Result {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, timeoutOr(h.Timeout))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.URL, nil)
	if err != nil {
		return Result{Detail: fmt.Sprintf("bad probe URL %q: %v", h.URL, err)}
	}
	req.Header.Set("User-Agent", "bp-health-check")
	client := h.Client
	if client == nil {
		client = probeClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return Result{Detail: failure(err, timeoutOr(h.Timeout)), Duration: time.Since(start)}
	}
	// Read a little of the body so a server that answers slowly counts,
	// then drop the rest.
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	resp.Body.Close()
	r := Result{Duration: time.Since(start), OK: h.healthy(resp.StatusCode)}
	if r.OK {
		r.Detail = fmt.Sprintf("HTTP %d", resp.StatusCode)
	} else {
		r.Detail = fmt.Sprintf("HTTP %d, want %s", resp.StatusCode, h.want())
	}
	return r
}

func (h *HTTP) healthy(code int) bool {
	if len(h.Expect) == 0 {
		return code >= 200 && code < 400
	}
	return slices.Contains(h.Expect, code)
}

func (h *HTTP) want() string {
	if len(h.Expect) == 0 {
		return "2xx or 3xx"
	}
	return fmt.Sprint(h.Expect)
}

func timeoutOr(d time.Duration) time.Duration {
	if d <= 0 {
		return DefaultTimeout
	}
	return d
}

// failure words a transport error; a timeout says how long was waited.
func failure(err error, timeout time.Duration) string {
	if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		return fmt.Sprintf("no answer within %s", timeout)
	}
	return err.Error()
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

var _ Prober = (*HTTP)(nil)
