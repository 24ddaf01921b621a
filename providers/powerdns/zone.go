package powerdns

import (
	"context"
	"fmt"
	"strings"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// zoneResource is dns_zone: an authoritative zone with its SOA and NS
// records. Deleting it deletes the zone with every record in it.
type zoneResource struct{}

// Zone kinds the provider creates: Native zones are replicated by the
// backend's database, Master zones by AXFR and NOTIFY.
var zoneKinds = []string{"Native", "Master"}

var (
	nameserversType = cty.List(cty.String)
	zoneType        = cty.Object(map[string]cty.Type{
		"name": cty.String, "kind": cty.String, "nameservers": nameserversType,
		"soa_email": cty.String, "id": cty.String,
		"api_url": cty.String, "api_key": cty.String,
	})
)

func (zoneResource) schema() *providers.Schema {
	return withServerAttributes(&providers.Schema{
		Description: "A DNS zone on a PowerDNS authoritative server.",
		Attributes: map[string]*providers.Attribute{
			"name": {Type: cty.String, Required: true, RequiresReplace: true,
				Description: "The zone's domain, for example \"example.test\"; a trailing dot is optional."},
			"kind": {Type: cty.String, Optional: true, Default: cty.StringVal("Native"),
				Description: "\"Native\" (replicated by the database backend) or \"Master\" (by zone transfers)."},
			"nameservers": {Type: nameserversType, Required: true,
				Description: "Host names of the zone's name servers (its NS records); the first is the SOA's primary."},
			"soa_email": {Type: cty.String, Optional: true, Computed: true,
				Description: "Contact address in the SOA record; hostmaster@ZONE when not set."},
			"id": {Type: cty.String, Computed: true, Description: "The zone's id in the PowerDNS API."},
		},
	})
}

func (zoneResource) validate(cfg cty.Value) providers.Diagnostics {
	var diags providers.Diagnostics
	if name, ok := knownString(cfg, "name"); ok {
		if err := checkZoneName(name); err != nil {
			diags = diags.Append(providers.AttributeErrorf(cty.GetAttrPath("name"), "Invalid zone name", "%s.", err))
		}
	}
	if kind, ok := knownString(cfg, "kind"); ok && !contains(zoneKinds, kind) {
		diags = diags.Append(providers.AttributeErrorf(cty.GetAttrPath("kind"), "Invalid zone kind",
			"kind %q is not supported; use %s.", kind, strings.Join(zoneKinds, " or ")))
	}
	nsVal := attr(cfg, "nameservers", nameserversType)
	if ns, ok := knownStrings(nsVal); ok || (!nsVal.IsNull() && nsVal.IsKnown() && nsVal.LengthInt() == 0) {
		if len(ns) == 0 {
			diags = diags.Append(providers.AttributeErrorf(cty.GetAttrPath("nameservers"), "No name servers",
				"A zone needs at least one name server, for example nameservers = [\"ns1.example.test\"]."))
		}
		for i, n := range ns {
			if err := checkHostname(n); err != nil || n == "." {
				if err == nil {
					err = fmt.Errorf("the root is not a name server")
				}
				diags = diags.Append(providers.AttributeErrorf(cty.GetAttrPath("nameservers").IndexInt(i), "Invalid name server", "%s.", err))
			}
		}
	}
	if email, ok := knownString(cfg, "soa_email"); ok {
		local, domain, found := strings.Cut(email, "@")
		if !found || local == "" || strings.ContainsAny(local, " \\") || checkHostname(domain) != nil {
			diags = diags.Append(providers.AttributeErrorf(cty.GetAttrPath("soa_email"), "Invalid SOA contact",
				"soa_email %q is not a mail address such as \"hostmaster@example.test\".", email))
		}
	}
	return diags
}

func (zoneResource) plan(req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse {
	prior, proposed := req.PriorState, req.ProposedNewState
	attrs := proposed.AsValueMap()
	if prior.IsNull() {
		attrs["id"] = cty.UnknownVal(cty.String)
		return providers.PlanResourceChangeResponse{PlannedState: cty.ObjectVal(attrs)}
	}
	var replace []cty.Path
	priorName, _ := knownString(prior, "name")
	if name, ok := knownString(proposed, "name"); !ok || !sameName(name, priorName) {
		replace = append(replace, cty.GetAttrPath("name"))
	}
	if len(replace) > 0 {
		attrs["id"] = cty.UnknownVal(cty.String)
	}
	return providers.PlanResourceChangeResponse{PlannedState: cty.ObjectVal(attrs), RequiresReplace: replace}
}

// zoneSpecOf returns the zone a known planned value describes.
func zoneSpecOf(v cty.Value) zoneSpec {
	z := zoneSpec{Kind: "Native"}
	z.Name, _ = knownString(v, "name")
	if k, ok := knownString(v, "kind"); ok {
		z.Kind = k
	}
	z.Nameservers, _ = knownStrings(attr(v, "nameservers", nameserversType))
	if e, ok := knownString(v, "soa_email"); ok {
		z.SOAEmail = e
	} else {
		z.SOAEmail = "hostmaster@" + strings.TrimSuffix(z.Name, ".")
	}
	return z
}

func (zoneResource) apply(ctx context.Context, c *client, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	prior, planned := req.PriorState, req.PlannedState
	fail := func(summary string, err error, state cty.Value) providers.ApplyResourceChangeResponse {
		return providers.ApplyResourceChangeResponse{NewState: state, Diagnostics: providers.Diagnostics{diagnostic(summary, err)}}
	}
	if planned.IsNull() {
		name, _ := knownString(prior, "name")
		if err := c.deleteZone(ctx, name); err != nil {
			return fail("Cannot delete zone", err, prior)
		}
		return providers.ApplyResourceChangeResponse{NewState: cty.NullVal(zoneType)}
	}
	want := zoneSpecOf(planned)
	if len(want.Nameservers) == 0 {
		return fail("Invalid zone", fmt.Errorf("zone %s has no name servers", want.Name), prior)
	}
	if prior.IsNull() {
		exists, err := c.createZone(ctx, zoneCreatePayload(want))
		if err != nil {
			return fail("Cannot create zone", err, prior)
		}
		if !exists {
			return zoneAfterChange(ctx, c, want.Name, planned)
		}
		// The zone exists (a create interrupted before its state was
		// recorded, or an adoption): bring it to the desired shape.
	}
	current, err := c.getZone(ctx, want.Name)
	if err != nil {
		return fail("Cannot read zone", err, prior)
	}
	if current == nil {
		return fail("Zone disappeared", fmt.Errorf("zone %s no longer exists on the server; run plan again to create it anew", want.Name), cty.NullVal(zoneType))
	}
	if current.Kind != want.Kind {
		if err := c.updateZone(ctx, want.Name, zoneUpdateRequest{Kind: want.Kind}); err != nil {
			return fail("Cannot change zone kind", err, prior)
		}
	}
	have := zoneState(current, planned)
	if !sameContents("CNAME", mustStrings(have.GetAttr("nameservers")), want.Nameservers) ||
		!strings.EqualFold(have.GetAttr("soa_email").AsString(), want.SOAEmail) ||
		!soaPrimaryIs(current, want) {
		if err := c.patchZone(ctx, want.Name, zoneRecordsPayload(want, current)); err != nil {
			return fail("Cannot update zone", err, prior)
		}
	}
	return zoneAfterChange(ctx, c, want.Name, planned)
}

// soaPrimaryIs reports whether the zone's SOA names want's first name server
// as primary.
func soaPrimaryIs(z *apiZone, want zoneSpec) bool {
	soa := z.rrset(absolute(want.Name), "SOA")
	if soa == nil || len(soa.Records) == 0 {
		return false
	}
	primary, _, ok := soaFields(soa.Records[0].Content)
	return ok && sameName(primary, want.Nameservers[0])
}

// zoneAfterChange reads the zone back after a change and returns its state.
func zoneAfterChange(ctx context.Context, c *client, name string, planned cty.Value) providers.ApplyResourceChangeResponse {
	z, err := c.getZone(ctx, name)
	if err != nil {
		// The change was made; record what was planned, with what only the
		// server can tell left null.
		attrs := planned.AsValueMap()
		for k, v := range attrs {
			if !v.IsWhollyKnown() {
				attrs[k] = cty.NullVal(v.Type())
			}
		}
		if !attrs["soa_email"].IsKnown() || attrs["soa_email"].IsNull() {
			attrs["soa_email"] = cty.StringVal(zoneSpecOf(planned).SOAEmail)
		}
		return providers.ApplyResourceChangeResponse{NewState: cty.ObjectVal(attrs), Diagnostics: providers.Diagnostics{diagnostic("Cannot read zone", err)}}
	}
	if z == nil {
		return providers.ApplyResourceChangeResponse{NewState: cty.NullVal(zoneType), Diagnostics: providers.Diagnostics{providers.Errorf(
			"Zone disappeared", "Zone %s was changed but is gone when read back; something else deletes it.", name)}}
	}
	return providers.ApplyResourceChangeResponse{NewState: zoneState(z, planned)}
}

// zoneState returns the state of zone z. Values of prior that mean the same
// as what the server holds are kept as written (name servers in another
// order or without trailing dots, the mail address's case).
func zoneState(z *apiZone, prior cty.Value) cty.Value {
	name, ok := knownString(prior, "name")
	if !ok {
		name = strings.TrimSuffix(z.Name, ".")
	}
	var ns []string
	if rr := z.rrset(z.Name, "NS"); rr != nil {
		for _, r := range rr.Records {
			ns = append(ns, r.Content)
		}
	}
	priorNS, _ := knownStrings(attr(prior, "nameservers", nameserversType))
	ns = displayContents("CNAME", priorNS, ns)

	email := cty.NullVal(cty.String)
	if rr := z.rrset(z.Name, "SOA"); rr != nil && len(rr.Records) > 0 {
		if _, rname, ok := soaFields(rr.Records[0].Content); ok {
			e := rnameToEmail(rname)
			if p, ok := knownString(prior, "soa_email"); ok && strings.EqualFold(p, e) {
				e = p
			}
			email = cty.StringVal(e)
		}
	}
	state := serverState(prior)
	state["name"] = cty.StringVal(name)
	state["kind"] = cty.StringVal(z.Kind)
	state["nameservers"] = stringList(ns)
	state["soa_email"] = email
	state["id"] = cty.StringVal(z.ID)
	return cty.ObjectVal(state)
}

func (zoneResource) read(ctx context.Context, c *client, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	name, ok := knownString(req.CurrentState, "name")
	if !ok {
		return providers.ReadResourceResponse{NewState: cty.NullVal(zoneType)}
	}
	z, err := c.getZone(ctx, name)
	if err != nil {
		return providers.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private,
			Diagnostics: providers.Diagnostics{diagnostic("Cannot read zone", err)}}
	}
	if z == nil {
		return providers.ReadResourceResponse{NewState: cty.NullVal(zoneType)}
	}
	return providers.ReadResourceResponse{NewState: zoneState(z, req.CurrentState), Private: req.Private}
}

// importState adopts the zone named by id, for example "example.test".
func (zoneResource) importState(ctx context.Context, c *client, id string) (cty.Value, providers.Diagnostics) {
	if err := checkZoneName(id); err != nil {
		return cty.NilVal, providers.Diagnostics{providers.Errorf("Invalid import ID",
			"Import a dns_zone by its name, for example \"example.test\": %s.", err)}
	}
	z, err := c.getZone(ctx, id)
	if err != nil {
		return cty.NilVal, providers.Diagnostics{diagnostic("Cannot read zone", err)}
	}
	if z == nil {
		return cty.NilVal, providers.Diagnostics{providers.Errorf("Zone not found",
			"The PowerDNS server has no zone %q to import; check the name, or list zones with pdnsutil list-all-zones.", id)}
	}
	prior := cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal(id)})
	return zoneState(z, prior), nil
}

func mustStrings(v cty.Value) []string {
	ss, _ := knownStrings(v)
	return ss
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var _ resourceType = zoneResource{}
