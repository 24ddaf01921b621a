package plan

import "testing"

func TestRealizationContains(t *testing.T) {
	r := &Realization{Addr: "load_balancer.front", Module: "module.load_balancer:front"}
	for _, tc := range []struct {
		mod  string
		want bool
	}{
		{"module.load_balancer:front", true},
		{"module.load_balancer:front[2]", true},
		{`module.load_balancer:front["a]b\"c"].module.inner`, true},
		{"module.load_balancer:frontier", false},
		{"module.load_balancer:back", false},
		{"", false},
	} {
		if got := r.Contains(tc.mod); got != tc.want {
			t.Errorf("Contains(%q) = %v, want %v", tc.mod, got, tc.want)
		}
	}
}
