package blueprint

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
)

// Rollout says how the hosts of a configure block converge: how many at
// once, and what each must answer before the next batch starts and before
// what depends on the block (a load balancer) sees it.
type Rollout struct {
	// MaxParallel is the batch size; zero means no limit beyond the
	// command's -parallelism.
	MaxParallel int
	// HealthCheck, when set, gates every host after its converge.
	HealthCheck *RolloutHealthCheck
	DeclRange   hcl.Range
}

// RolloutHealthCheck is a probe a host must pass after it converged: an
// HTTP GET of Path on Port answered 2xx or 3xx, or, without a path, a TCP
// connection to Port. The host fails when it has not passed within Timeout.
type RolloutHealthCheck struct {
	Port    int
	Path    string
	Timeout time.Duration
	// Healthy is how many consecutive passes count (at least 1).
	Healthy   int
	DeclRange hcl.Range
}

// DefaultRolloutHealthTimeout is how long a host may take to pass its
// rollout health check when the block gives no timeout.
const DefaultRolloutHealthTimeout = 60 * time.Second

var rolloutSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "max_parallel"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "health_check"}},
}

var rolloutHealthSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "port", Required: true}, {Name: "path"}, {Name: "timeout"}, {Name: "healthy_threshold"},
	},
}

// decodeRollout decodes a rollout block of owner ("configure \"web\"").
// Its arguments are constants: they shape the walk before any value is
// known.
func decodeRollout(b *hcl.Block, owner string) (Rollout, hcl.Diagnostics) {
	r := Rollout{DeclRange: b.DefRange}
	rc, diags := b.Body.Content(rolloutSchema)
	explainUnsupported(diags, "rollout block", rolloutSchema)
	if attr, ok := rc.Attributes["max_parallel"]; ok {
		d := decodeConstant(attr, &r.MaxParallel)
		diags = append(diags, d...)
		if !d.HasErrors() && r.MaxParallel < 1 {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid max_parallel",
				Detail:   "max_parallel must be a whole number of at least 1.",
				Subject:  attr.Expr.Range().Ptr(),
			})
		}
	}
	for _, hb := range rc.Blocks {
		if r.HealthCheck != nil {
			diags = append(diags, duplicateSingleton("health_check block", "a rollout block of "+owner, r.HealthCheck.DeclRange, hb.DefRange))
			continue
		}
		hc, d := decodeRolloutHealthCheck(hb)
		diags = append(diags, d...)
		r.HealthCheck = hc
	}
	return r, diags
}

func decodeRolloutHealthCheck(b *hcl.Block) (*RolloutHealthCheck, hcl.Diagnostics) {
	hc := &RolloutHealthCheck{Timeout: DefaultRolloutHealthTimeout, Healthy: 1, DeclRange: b.DefRange}
	content, diags := b.Body.Content(rolloutHealthSchema)
	explainUnsupported(diags, "health_check block", rolloutHealthSchema)
	invalid := func(attr *hcl.Attribute, summary, detail string) {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: attr.Expr.Range().Ptr()})
	}
	if attr, ok := content.Attributes["port"]; ok {
		d := decodeConstant(attr, &hc.Port)
		diags = append(diags, d...)
		if !d.HasErrors() && (hc.Port < 1 || hc.Port > 65535) {
			invalid(attr, "Invalid port", fmt.Sprintf("port must be a TCP port number from 1 to 65535, not %d.", hc.Port))
		}
	}
	if attr, ok := content.Attributes["path"]; ok {
		d := decodeConstant(attr, &hc.Path)
		diags = append(diags, d...)
		if !d.HasErrors() && (len(hc.Path) == 0 || hc.Path[0] != '/') {
			invalid(attr, "Invalid path", fmt.Sprintf("path must start with /, as in \"/healthz\"; %q does not. Leave it out for a TCP check.", hc.Path))
		}
	}
	if attr, ok := content.Attributes["timeout"]; ok {
		var s string
		d := decodeConstant(attr, &s)
		diags = append(diags, d...)
		if !d.HasErrors() {
			t, err := time.ParseDuration(s)
			if err != nil || t <= 0 {
				invalid(attr, "Invalid timeout", fmt.Sprintf("timeout must be a positive duration such as \"30s\" or \"2m\", not %q.", s))
			} else {
				hc.Timeout = t
			}
		}
	}
	if attr, ok := content.Attributes["healthy_threshold"]; ok {
		d := decodeConstant(attr, &hc.Healthy)
		diags = append(diags, d...)
		if !d.HasErrors() && hc.Healthy < 1 {
			invalid(attr, "Invalid healthy_threshold", "healthy_threshold must be a whole number of at least 1.")
		}
	}
	return hc, diags
}

// decodeConstant decodes a rollout argument, which must be a constant:
// the rollout shapes the walk before any value is known.
func decodeConstant(attr *hcl.Attribute, dst any) hcl.Diagnostics {
	if vars := attr.Expr.Variables(); len(vars) > 0 {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Constant required",
			Detail: fmt.Sprintf("%s is read before any value is known, so it cannot refer to %s; write a constant, such as %s.",
				attr.Name, traversalString(vars[0]), rolloutExample[attr.Name]),
			Subject: attr.Expr.Range().Ptr(),
		}}
	}
	return gohcl.DecodeExpression(attr.Expr, nil, dst)
}

var rolloutExample = map[string]string{
	"max_parallel": "max_parallel = 2", "port": "port = 80", "path": `path = "/healthz"`,
	"timeout": `timeout = "60s"`, "healthy_threshold": "healthy_threshold = 2",
}
