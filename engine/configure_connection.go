package engine

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/gocty"

	"github.com/blueprint-engine/bp/blueprint"
)

// A machine resource's connection block overrides how its hosts are
// reached, with `self` bound to the machine:
//
//	connection {
//	  host        = self.public_address
//	  user        = "admin"
//	  port        = 2222
//	  private_key = file("~/.ssh/id_ed25519")
//	  host_key    = self.host_key
//	  bastion {
//	    host = "jump.example.com"
//	    user = "jump"
//	  }
//	}

// connectionAttrs are the arguments of a connection block and of its
// bastion block.
var connectionAttrs = hcldec.ObjectSpec{
	"host":        &hcldec.AttrSpec{Name: "host", Type: cty.String},
	"port":        &hcldec.AttrSpec{Name: "port", Type: cty.Number},
	"user":        &hcldec.AttrSpec{Name: "user", Type: cty.String},
	"private_key": &hcldec.AttrSpec{Name: "private_key", Type: cty.String},
	"host_key":    &hcldec.AttrSpec{Name: "host_key", Type: cty.String},
}

// connectionSpec is the connection block's spec.
var connectionSpec = func() hcldec.ObjectSpec {
	spec := hcldec.ObjectSpec{"bastion": &hcldec.BlockSpec{TypeName: "bastion", Nested: connectionAttrs}}
	for k, v := range connectionAttrs {
		spec[k] = v
	}
	return spec
}()

// applyConnection evaluates a connection block and sets what it gives on t.
// It reports known false, setting nothing, when the block depends on values
// known only after apply.
func applyConnection(scope *blueprint.Scope, body hcl.Body, t *HostTarget) (known bool, diags hcl.Diagnostics) {
	v, diags := scope.EvalBody(body, connectionSpec)
	if diags.HasErrors() {
		return true, diags
	}
	v, _ = v.UnmarkDeep()
	if !v.IsWhollyKnown() {
		return false, nil
	}
	setConnection(v, t)
	if b := v.GetAttr("bastion"); !b.IsNull() {
		bastion := HostTarget{Name: "bastion", User: t.User, Port: 22, PrivateKey: t.PrivateKey}
		setConnection(b, &bastion)
		t.Bastion = &bastion
	}
	return true, nil
}

func setConnection(v cty.Value, t *HostTarget) {
	str := func(name string, dst *string) {
		if a := v.GetAttr(name); !a.IsNull() {
			*dst = a.AsString()
		}
	}
	str("host", &t.Address)
	str("user", &t.User)
	str("private_key", &t.PrivateKey)
	str("host_key", &t.HostKey)
	if p := v.GetAttr("port"); !p.IsNull() {
		_ = gocty.FromCtyValue(p, &t.Port)
	}
}
