package local

import (
	"strings"
	"testing"
)

func TestLookupSize(t *testing.T) {
	tests := []struct {
		name, size string
		ncpu       int
		wantCPUs   int
		wantMemory int64
		wantErr    string
	}{
		{name: "small", size: "small", ncpu: 8, wantCPUs: 1, wantMemory: 1 << 30},
		{name: "medium", size: "medium", ncpu: 8, wantCPUs: 2, wantMemory: 4 << 30},
		{name: "large", size: "large", ncpu: 8, wantCPUs: 4, wantMemory: 8 << 30},
		{name: "large on two cores is capped", size: "large", ncpu: 2, wantCPUs: 2, wantMemory: 8 << 30},
		{name: "unknown host cores", size: "medium", ncpu: 0, wantCPUs: 2, wantMemory: 4 << 30},
		{name: "unknown size", size: "huge", ncpu: 8, wantErr: `unknown size "huge"; use "large", "medium" or "small"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := lookupSize(tc.size, tc.ncpu)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.cpus != tc.wantCPUs || s.memory != tc.wantMemory || s.nanoCPUs() != int64(tc.wantCPUs)*1e9 {
				t.Errorf("got %+v, want %d CPUs and %d bytes", s, tc.wantCPUs, tc.wantMemory)
			}
		})
	}
}
