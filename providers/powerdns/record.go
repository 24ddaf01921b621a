package powerdns

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// recordResource is dns_record: the records of one type at one name of a
// zone (an RRset). With a routing block the records are answered through a
// PowerDNS LUA record instead: health-checked (failover) or weighted.
type recordResource struct {
	// names serializes changes to one DNS name: routed A and AAAA records
	// at a name share its LUA RRset, which a change rewrites whole.
	names keyedMutex
}

// defaultTTL is a record's TTL when the configuration sets none.
const defaultTTL = 300

var (
	recordsType = cty.List(cty.String)
	routingType = cty.Object(map[string]cty.Type{
		"policy": cty.String, "check_port": cty.Number, "check_url": cty.String,
		"secondary": cty.List(cty.String), "weights": cty.List(cty.Number),
	})
	recordType = cty.Object(map[string]cty.Type{
		"zone": cty.String, "name": cty.String, "type": cty.String, "records": recordsType,
		"ttl": cty.Number, "fqdn": cty.String, "routing": routingType,
		"api_url": cty.String, "api_key": cty.String,
	})
)

func (*recordResource) schema() *providers.Schema {
	return withServerAttributes(&providers.Schema{
		Description: "The records of one type at one name of a zone on a PowerDNS server, optionally health-checked or weighted.",
		Attributes: map[string]*providers.Attribute{
			"zone": {Type: cty.String, Required: true, RequiresReplace: true,
				Description: "The zone's name, for example dns_zone.main.name."},
			"name": {Type: cty.String, Required: true, RequiresReplace: true,
				Description: "The name relative to the zone, for example \"www\"; \"@\" is the zone apex."},
			"type": {Type: cty.String, Required: true, RequiresReplace: true,
				Description: "Record type: " + strings.Join(recordTypes, ", ") + "."},
			"records": {Type: recordsType, Required: true,
				Description: "The records: addresses, a host name (CNAME), \"PREF HOST\" (MX), \"PRIO WEIGHT PORT TARGET\" (SRV) or text (TXT, unquoted)."},
			"ttl": {Type: cty.Number, Optional: true, Default: cty.NumberIntVal(defaultTTL),
				Description: "Time to live of the answers, in seconds."},
			"fqdn": {Type: cty.String, Computed: true,
				Description: "The absolute name, for example \"www.example.test.\"."},
		},
		Blocks: map[string]*providers.NestedBlock{
			"routing": {Nesting: providers.NestingSingle, Block: providers.Schema{
				Description: "Answers A or AAAA records dynamically, through a PowerDNS LUA record.",
				Attributes: map[string]*providers.Attribute{
					"policy": {Type: cty.String, Required: true,
						Description: "\"failover\": answer only the addresses that pass the health check (all of them when none does); \"weighted\": answer one address picked at random by weight."},
					"check_port": {Type: cty.Number, Optional: true,
						Description: "Failover: an address is healthy when it accepts TCP connections on this port."},
					"check_url": {Type: cty.String, Optional: true,
						Description: "Failover: an address is healthy when this http(s) URL, fetched from it, answers 2xx."},
					"secondary": {Type: cty.List(cty.String), Optional: true,
						Description: "Failover with check_url: addresses answered only while every address in records is down."},
					"weights": {Type: cty.List(cty.Number), Optional: true,
						Description: "Weighted: one positive weight per address in records; equal weights when not set."},
				},
			}},
		},
	})
}

func (*recordResource) validate(cfg cty.Value) providers.Diagnostics {
	var diags providers.Diagnostics
	errAt := func(path cty.Path, summary, format string, args ...any) {
		diags = diags.Append(providers.AttributeErrorf(path, summary, format, args...))
	}
	if zone, ok := knownString(cfg, "zone"); ok {
		if err := checkZoneName(zone); err != nil {
			errAt(cty.GetAttrPath("zone"), "Invalid zone name", "%s.", err)
		}
	}
	name, nameKnown := knownString(cfg, "name")
	if nameKnown {
		if err := checkRecordName(name); err != nil {
			errAt(cty.GetAttrPath("name"), "Invalid record name", "%s.", err)
		}
	}
	typ, typeKnown := knownString(cfg, "type")
	if typeKnown && !contains(recordTypes, typ) {
		hint := ""
		if contains(recordTypes, strings.ToUpper(typ)) {
			hint = fmt.Sprintf(" Did you mean %q?", strings.ToUpper(typ))
		} else if strings.EqualFold(typ, typeLUA) {
			hint = " LUA records are written by the provider from a routing block; declare the A or AAAA record with routing instead."
		}
		errAt(cty.GetAttrPath("type"), "Unsupported record type", "type %q is not supported; use one of %s.%s", typ, strings.Join(recordTypes, ", "), hint)
		typeKnown = false
	}
	recordsVal := attr(cfg, "records", recordsType)
	records, recordsKnown := knownStrings(recordsVal)
	if !recordsVal.IsNull() && recordsVal.IsKnown() && recordsVal.LengthInt() == 0 {
		errAt(cty.GetAttrPath("records"), "No records", "A dns_record needs at least one record; to remove the records, remove the resource.")
	}
	if typeKnown && recordsKnown {
		for i, r := range records {
			if err := checkContent(typ, r); err != nil {
				errAt(cty.GetAttrPath("records").IndexInt(i), "Invalid record", "%s.", err)
			}
		}
		if typ == "CNAME" && len(records) > 1 {
			errAt(cty.GetAttrPath("records"), "Too many CNAME records", "A name can be an alias of only one other name; give a CNAME exactly one record.")
		}
	}
	if typ == "CNAME" && nameKnown && name == apex {
		errAt(cty.GetAttrPath("name"), "CNAME at the zone apex", "The apex holds the zone's SOA and NS records, which a CNAME cannot live beside; point an A or AAAA record at the address instead.")
	}
	if ttlVal := attr(cfg, "ttl", cty.Number); !ttlVal.IsNull() && ttlVal.IsKnown() {
		if ttl, ok := intOf(ttlVal); !ok || ttl < 0 || ttl > 2147483647 {
			errAt(cty.GetAttrPath("ttl"), "Invalid TTL", "ttl must be a whole number of seconds from 0 to 2147483647.")
		}
	}
	rv := attr(cfg, "routing", routingType)
	if !rv.IsNull() && rv.IsKnown() {
		diags = diags.Append(validateRouting(rv, typ, typeKnown, records, recordsKnown)...)
	}
	return diags
}

// validateRouting checks a known routing block of a record of type typ.
func validateRouting(rv cty.Value, typ string, typeKnown bool, records []string, recordsKnown bool) providers.Diagnostics {
	var diags providers.Diagnostics
	base := cty.GetAttrPath("routing")
	errAt := func(name, summary, format string, args ...any) {
		path := base
		if name != "" {
			path = base.GetAttr(name)
		}
		diags = diags.Append(providers.AttributeErrorf(path, summary, format, args...))
	}
	if typeKnown && typ != "A" && typ != "AAAA" {
		errAt("", "Routing needs an address record", "A routing block chooses among addresses; it is for A and AAAA records, not %s.", typ)
	}
	policy, policyKnown := knownString(rv, "policy")
	if policyKnown && policy != policyFailover && policy != policyWeighted {
		errAt("policy", "Invalid routing policy", "policy %q is not supported; use \"failover\" or \"weighted\".", policy)
		policyKnown = false
	}
	set := func(name string) bool { v := attr(rv, name, routingType.AttributeType(name)); return !v.IsNull() }
	if port := attr(rv, "check_port", cty.Number); !port.IsNull() && port.IsKnown() {
		if p, ok := intOf(port); !ok || p < 1 || p > 65535 {
			errAt("check_port", "Invalid check port", "check_port must be a TCP port from 1 to 65535.")
		}
	}
	if u, ok := knownString(rv, "check_url"); ok {
		parsed, err := url.Parse(u)
		if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
			errAt("check_url", "Invalid check URL", "check_url %q is not an http or https URL; write for example \"http://www.example.test/health\".", u)
		} else if strings.ContainsAny(u, "'\"\\ \t\n") {
			errAt("check_url", "Invalid check URL", "check_url %q contains quotes, backslashes or spaces, which cannot be written into a LUA record; percent-encode them.", u)
		}
	}
	if sec, ok := knownStrings(attr(rv, "secondary", cty.List(cty.String))); ok && typeKnown && (typ == "A" || typ == "AAAA") {
		for i, s := range sec {
			if err := checkContent(typ, s); err != nil {
				diags = diags.Append(providers.AttributeErrorf(base.GetAttr("secondary").IndexInt(i), "Invalid secondary address", "%s.", err))
			}
		}
	}
	if !policyKnown {
		return diags
	}
	switch policy {
	case policyFailover:
		port, url := set("check_port"), set("check_url")
		if port == url {
			errAt("", "Failover needs one health check", "Set exactly one of check_port (a TCP check) and check_url (an HTTP check), so PowerDNS can tell which addresses are down.")
		}
		if port && set("secondary") {
			errAt("secondary", "Secondary addresses need check_url", "PowerDNS checks ports of one flat address list (ifportup), so secondary addresses work only with check_url (ifurlup); add the addresses to records instead, or check a URL.")
		}
		if set("weights") {
			errAt("weights", "Weights need the weighted policy", "weights apply to policy = \"weighted\"; a failover answers every healthy address.")
		}
	case policyWeighted:
		for _, name := range []string{"check_port", "check_url", "secondary"} {
			if set(name) {
				errAt(name, "Health checks need the failover policy", "%s applies to policy = \"failover\"; PowerDNS picks weighted answers without health checks.", name)
			}
		}
		if w, ok := knownInts(attr(rv, "weights", cty.List(cty.Number))); ok {
			if recordsKnown && len(w) != len(records) {
				errAt("weights", "Weights do not match records", "weights has %d entries and records %d; give one weight per address, in the same order.", len(w), len(records))
			}
			for i, x := range w {
				if x < 1 || x > 65535 {
					diags = diags.Append(providers.AttributeErrorf(base.GetAttr("weights").IndexInt(i), "Invalid weight", "Weights are whole numbers from 1 to 65535."))
				}
			}
		} else if wv := attr(rv, "weights", cty.List(cty.Number)); !wv.IsNull() && wv.IsWhollyKnown() {
			errAt("weights", "Invalid weight", "Weights are whole numbers from 1 to 65535.")
		}
	}
	return diags
}

func (*recordResource) plan(req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse {
	prior, proposed := req.PriorState, req.ProposedNewState
	attrs := proposed.AsValueMap()
	zone, zoneKnown := knownString(proposed, "zone")
	name, nameKnown := knownString(proposed, "name")
	if zoneKnown && nameKnown {
		attrs["fqdn"] = cty.StringVal(recordFQDN(zone, name))
	} else {
		attrs["fqdn"] = cty.UnknownVal(cty.String)
	}
	var replace []cty.Path
	if !prior.IsNull() {
		priorZone, _ := knownString(prior, "zone")
		if !zoneKnown || !sameName(zone, priorZone) {
			replace = append(replace, cty.GetAttrPath("zone"))
		}
		for _, a := range []string{"name", "type"} {
			if changed(attr(prior, a, cty.String), attrs[a]) {
				replace = append(replace, cty.GetAttrPath(a))
			}
		}
	}
	return providers.PlanResourceChangeResponse{PlannedState: cty.ObjectVal(attrs), RequiresReplace: replace}
}

// recordKey identifies a dns_record: its zone, relative name and type.
type recordKey struct {
	Zone, Name, Type string
}

func (k recordKey) fqdn() string { return recordFQDN(k.Zone, k.Name) }

func recordKeyOf(v cty.Value) (recordKey, bool) {
	zone, ok1 := knownString(v, "zone")
	name, ok2 := knownString(v, "name")
	typ, ok3 := knownString(v, "type")
	return recordKey{zone, name, typ}, ok1 && ok2 && ok3
}

// recordSpecOf returns the records a known planned value describes.
func recordSpecOf(v cty.Value) recordSpec {
	s := recordSpec{TTL: defaultTTL}
	if ttl, ok := knownInt(v, "ttl"); ok {
		s.TTL = ttl
	}
	s.Records, _ = knownStrings(attr(v, "records", recordsType))
	if rv := attr(v, "routing", routingType); !rv.IsNull() {
		r := routingOf(rv)
		s.Routing = &r
	}
	return s
}

func routingOf(rv cty.Value) routing {
	r := routing{}
	r.Policy, _ = knownString(rv, "policy")
	r.CheckPort, _ = knownInt(rv, "check_port")
	r.CheckURL, _ = knownString(rv, "check_url")
	r.Secondary, _ = knownStrings(attr(rv, "secondary", cty.List(cty.String)))
	r.Weights, _ = knownInts(attr(rv, "weights", cty.List(cty.Number)))
	return r
}

func (rr *recordResource) apply(ctx context.Context, c *client, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	prior, planned := req.PriorState, req.PlannedState
	fail := func(summary string, err error) providers.ApplyResourceChangeResponse {
		return providers.ApplyResourceChangeResponse{NewState: prior, Diagnostics: providers.Diagnostics{diagnostic(summary, err)}}
	}
	target := planned
	if planned.IsNull() {
		target = prior
	}
	key, ok := recordKeyOf(target)
	if !ok {
		if planned.IsNull() {
			// A placeholder of a create that never reached the server.
			return providers.ApplyResourceChangeResponse{NewState: cty.NullVal(recordType)}
		}
		return fail("Invalid record", fmt.Errorf("zone, name and type must be known at apply"))
	}
	defer rr.names.lock(strings.ToLower(key.fqdn()))()

	z, err := c.getZone(ctx, key.Zone)
	if err != nil {
		return fail("Cannot read zone", err)
	}
	if z == nil {
		if planned.IsNull() {
			return providers.ApplyResourceChangeResponse{NewState: cty.NullVal(recordType)}
		}
		return fail("Zone not found", fmt.Errorf(
			"the PowerDNS server has no zone %q for record %s; declare it with a dns_zone resource and refer to it (zone = dns_zone.NAME.name) so that it is created first", key.Zone, key.fqdn()))
	}
	var want *recordSpec
	if !planned.IsNull() {
		s := recordSpecOf(planned)
		want = &s
	}
	if err := c.patchZone(ctx, key.Zone, recordPayload(key.fqdn(), key.Type, want, z.rrset(key.fqdn(), typeLUA))); err != nil {
		if want == nil {
			return fail("Cannot delete record", err)
		}
		return fail("Cannot write record", err)
	}
	if planned.IsNull() {
		return providers.ApplyResourceChangeResponse{NewState: cty.NullVal(recordType)}
	}
	// PATCH is all or nothing and the server checked every record: the
	// record is as planned.
	return providers.ApplyResourceChangeResponse{NewState: planned}
}

func (rr *recordResource) read(ctx context.Context, c *client, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	key, ok := recordKeyOf(req.CurrentState)
	if !ok {
		return providers.ReadResourceResponse{NewState: cty.NullVal(recordType)}
	}
	z, err := c.getZone(ctx, key.Zone)
	if err != nil {
		return providers.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private,
			Diagnostics: providers.Diagnostics{diagnostic("Cannot read record", err)}}
	}
	if z == nil {
		return providers.ReadResourceResponse{NewState: cty.NullVal(recordType)}
	}
	return providers.ReadResourceResponse{NewState: recordState(z, key, req.CurrentState), Private: req.Private}
}

// recordState returns the state of the record key in zone z, or a null
// value when the zone holds none. Values of prior that mean the same as
// what the server holds are kept as written.
//
// A record is either a plain RRset or an entry of the LUA RRset; when both
// exist, the one prior says it is wins, so that a stray duplicate does not
// flip the state back and forth.
func recordState(z *apiZone, key recordKey, prior cty.Value) cty.Value {
	fqdn := key.fqdn()
	plain := z.rrset(fqdn, key.Type)
	var plainRecords []string
	if plain != nil {
		for _, r := range plain.Records {
			if !r.Disabled {
				plainRecords = append(plainRecords, decodeContent(key.Type, r.Content))
			}
		}
	}
	var luaEntry *apiRecord
	var luaTTL int64
	if lua := z.rrset(fqdn, typeLUA); lua != nil {
		for i, r := range lua.Records {
			if !r.Disabled && luaType(r.Content) == key.Type {
				luaEntry, luaTTL = &lua.Records[i], lua.TTL
				break
			}
		}
	}
	priorRouting := attr(prior, "routing", routingType)
	priorRecords, _ := knownStrings(attr(prior, "records", recordsType))
	useLUA := luaEntry != nil && (!priorRouting.IsNull() || len(plainRecords) == 0)
	if !useLUA && len(plainRecords) == 0 {
		return cty.NullVal(recordType)
	}
	state := serverState(prior)
	state["zone"], state["name"], state["type"] = cty.StringVal(key.Zone), cty.StringVal(key.Name), cty.StringVal(key.Type)
	state["fqdn"], state["routing"] = cty.StringVal(fqdn), cty.NullVal(routingType)
	if !useLUA {
		state["records"] = stringList(displayContents(key.Type, priorRecords, plainRecords))
		state["ttl"] = cty.NumberIntVal(plain.TTL)
		return cty.ObjectVal(state)
	}
	state["ttl"] = cty.NumberIntVal(luaTTL)
	parsed, err := parseLUA(luaEntry.Content)
	if err != nil {
		// Not a form the routing block writes: show the raw LUA record, so
		// that the plan restores the declared one.
		state["records"] = stringList([]string{luaEntry.Content})
		return cty.ObjectVal(state)
	}
	if !priorRouting.IsNull() && priorRouting.IsWhollyKnown() &&
		sameRouting(luaRecord{Type: key.Type, Records: priorRecords, Routing: routingOf(priorRouting)}, parsed) {
		state["records"] = attr(prior, "records", recordsType)
		state["routing"] = priorRouting
		return cty.ObjectVal(state)
	}
	state["records"] = stringList(parsed.Records)
	state["routing"] = routingValue(parsed.Routing)
	return cty.ObjectVal(state)
}

// routingValue returns r as a routing block value.
func routingValue(r routing) cty.Value {
	v := map[string]cty.Value{
		"policy":     cty.StringVal(r.Policy),
		"check_port": cty.NullVal(cty.Number),
		"check_url":  cty.NullVal(cty.String),
		"secondary":  cty.NullVal(cty.List(cty.String)),
		"weights":    cty.NullVal(cty.List(cty.Number)),
	}
	if r.CheckPort != 0 {
		v["check_port"] = cty.NumberIntVal(r.CheckPort)
	}
	if r.CheckURL != "" {
		v["check_url"] = cty.StringVal(r.CheckURL)
	}
	if len(r.Secondary) > 0 {
		v["secondary"] = stringList(r.Secondary)
	}
	if r.Policy == policyWeighted {
		v["weights"] = numberList(r.Weights)
	}
	return cty.ObjectVal(v)
}

// importState adopts the record named by "zone/name/type", for example
// "example.test/www/A".
func (rr *recordResource) importState(ctx context.Context, c *client, id string) (cty.Value, providers.Diagnostics) {
	parts := strings.Split(id, "/")
	bad := func(why string) (cty.Value, providers.Diagnostics) {
		return cty.NilVal, providers.Diagnostics{providers.Errorf("Invalid import ID",
			"Import a dns_record as \"ZONE/NAME/TYPE\", for example \"example.test/www/A\" (\"@\" for the apex): %s.", why)}
	}
	if len(parts) != 3 {
		return bad(fmt.Sprintf("%q has %d parts", id, len(parts)))
	}
	key := recordKey{Zone: parts[0], Name: parts[1], Type: strings.ToUpper(parts[2])}
	if err := checkZoneName(key.Zone); err != nil {
		return bad(err.Error())
	}
	if err := checkRecordName(key.Name); err != nil {
		return bad(err.Error())
	}
	if !contains(recordTypes, key.Type) {
		return bad(fmt.Sprintf("type %q is not one of %s", parts[2], strings.Join(recordTypes, ", ")))
	}
	z, err := c.getZone(ctx, key.Zone)
	if err != nil {
		return cty.NilVal, providers.Diagnostics{diagnostic("Cannot read zone", err)}
	}
	var state cty.Value
	if z != nil {
		state = recordState(z, key, cty.NullVal(recordType))
	}
	if z == nil || state.IsNull() {
		return cty.NilVal, providers.Diagnostics{providers.Errorf("Record not found",
			"The PowerDNS server has no %s record at %s to import.", key.Type, key.fqdn())}
	}
	return state, nil
}

var _ resourceType = (*recordResource)(nil)
