package engine_test

import (
	"strings"
	"testing"

	"github.com/blueprint-engine/bp/engine"
)

// A module variable's validation rules run on the value its caller passes,
// and a broken rule points at the caller's argument.
func TestModuleVariableValidation(t *testing.T) {
	const src = `
variable "port" { default = 80 }
module "svc" {
  source = "./svc"
  port   = var.port
}
-- svc/main.bp.hcl --
variable "port" {
  type = number
  validation {
    condition     = var.port >= 1 && var.port <= 65535
    error_message = "port must be from 1 to 65535."
  }
}
resource "mock_thing" "t" { name = "svc-${var.port}" }
`
	for _, tc := range []struct {
		name, port, want string
	}{
		{"valid", "8080", ""},
		{"invalid", "70000", "port must be from 1 to 65535."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.vars = map[string]string{"port": tc.port}
			_, diags := h.plan(src, engine.PlanOptions{})
			if tc.want == "" {
				if diags.HasErrors() {
					t.Fatalf("plan: %s", diags.Error())
				}
				return
			}
			if !diags.HasErrors() || !strings.Contains(diags.Error(), tc.want) {
				t.Fatalf("diagnostics = %v, want %q", diags, tc.want)
			}
			for _, d := range diags {
				if d.Summary == "Invalid value for module argument" {
					if d.Subject == nil || d.Subject.Start.Line != 5 {
						t.Errorf("subject = %v, want main.bp.hcl line 5 (the argument)", d.Subject)
					}
					return
				}
			}
			t.Errorf("no \"Invalid value for module argument\" diagnostic: %v", diags)
		})
	}
}

// A module variable's validation may compare it with the module's other
// variables: it runs once they are evaluated, and points at the argument.
func TestModuleVariableValidationComparesVariables(t *testing.T) {
	const src = `
variable "lo" { default = 1 }
module "pool" {
  source = "./pool"
  max    = 3
  min    = var.lo
}
-- pool/main.bp.hcl --
variable "max" {
  type = number
  validation {
    condition     = var.min <= var.max
    error_message = "max (${var.max}) must be at least min (${var.min})."
  }
}
variable "min" { type = number }
resource "mock_thing" "t" { name = "pool-${var.min}-${var.max}" }
`
	for _, tc := range []struct {
		name, lo, want string
	}{
		{"valid", "2", ""},
		{"invalid", "4", "max (3) must be at least min (4)."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.vars = map[string]string{"lo": tc.lo}
			_, diags := h.plan(src, engine.PlanOptions{})
			if tc.want == "" {
				if diags.HasErrors() {
					t.Fatalf("plan: %s", diags.Error())
				}
				return
			}
			if !diags.HasErrors() || !strings.Contains(diags.Error(), tc.want) {
				t.Fatalf("diagnostics = %v, want %q", diags, tc.want)
			}
		})
	}
}
