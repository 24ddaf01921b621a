package haproxy

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultStatsPort is where the self-hosted load balancer serves its stats
// page.
const DefaultStatsPort = 8404

// maxStatsBytes bounds a stats response; a real one is kilobytes per
// hundred servers.
const maxStatsBytes = 32 << 20

// StatsURL is the CSV export of the stats page of the HAProxy on host, at
// DefaultStatsPort: "http://HOST:8404/stats;csv".
func StatsURL(host string) string {
	return "http://" + net.JoinHostPort(host, strconv.Itoa(DefaultStatsPort)) + "/stats;csv"
}

// Scraper fetches statistics from an HAProxy stats page. It is safe for
// concurrent use.
type Scraper struct {
	// URL is the CSV export, e.g. StatsURL(host).
	URL string
	// Client makes the requests; nil means a client with a 10 s timeout.
	Client *http.Client
	// Now stamps snapshots; nil means time.Now.
	Now func() time.Time
}

var defaultClient = &http.Client{Timeout: 10 * time.Second}

// Scrape fetches and parses one snapshot, stamped with the time the
// response arrived.
func (s *Scraper) Scrape(ctx context.Context) (*Stats, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("HAProxy stats URL %q: %w", s.URL, err)
	}
	client := s.Client
	if client == nil {
		client = defaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("scraping HAProxy stats: %w; is HAProxy running with a stats page on that address?", err)
	}
	defer resp.Body.Close()
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	at := now()
	if resp.StatusCode != http.StatusOK {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		return nil, fmt.Errorf("scraping HAProxy stats at %s: %s: %q", s.URL, resp.Status, strings.TrimSpace(string(snippet)))
	}
	st, err := ParseCSV(io.LimitReader(resp.Body, maxStatsBytes))
	if err != nil {
		return nil, fmt.Errorf("scraping %s: %w", s.URL, err)
	}
	st.At = at
	return st, nil
}
