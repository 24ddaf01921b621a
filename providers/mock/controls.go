package mock

import (
	"context"
	"fmt"
	"time"

	"github.com/zclconf/go-cty/cty"
)

// Names of the provider methods, as recorded in [Call.Method].
const (
	MethodGetSchema                = "GetSchema"
	MethodValidateProviderConfig   = "ValidateProviderConfig"
	MethodValidateResourceConfig   = "ValidateResourceConfig"
	MethodValidateDataSourceConfig = "ValidateDataSourceConfig"
	MethodConfigure                = "Configure"
	MethodPlanResourceChange       = "PlanResourceChange"
	MethodApplyResourceChange      = "ApplyResourceChange"
	MethodReadResource             = "ReadResource"
	MethodImportResourceState      = "ImportResourceState"
	MethodReadDataSource           = "ReadDataSource"
	MethodStop                     = "Stop"
	MethodClose                    = "Close"
)

// Call is one recorded call to the provider.
type Call struct {
	// Method is one of the Method* constants.
	Method string
	// TypeName is the resource or data source type, empty for provider-wide
	// calls.
	TypeName string
	// Request is the request struct as received, for example a
	// providers.PlanResourceChangeRequest; struct{}{} for calls without one.
	Request any
}

// Hook runs at the start of every call except Stop and Close, after the call
// is recorded. A non-nil error makes the call fail with that error as its
// diagnostic, doing nothing else (apply and read then return the prior state).
type Hook func(ctx context.Context, call Call) error

func (p *Provider) record(method, typeName string, req any) Call {
	call := Call{Method: method, TypeName: typeName, Request: req}
	p.mu.Lock()
	p.calls = append(p.calls, call)
	p.mu.Unlock()
	return call
}

// Calls returns every call made so far, in the order they started.
func (p *Provider) Calls() []Call {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Call(nil), p.calls...)
}

// CallsTo returns the calls made so far to one method, in order.
func (p *Provider) CallsTo(method string) []Call {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Call
	for _, c := range p.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// ResetCalls forgets the recorded calls.
func (p *Provider) ResetCalls() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = nil
}

// Violations returns the breaches of the provider contract seen so far, such
// as "PlanResourceChange called before Configure". An engine test should
// expect none.
func (p *Provider) Violations() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.violations...)
}

// FailApply makes every ApplyResourceChange of a typeName object whose
// "name" attribute is name fail with err (create, update and delete alike).
// A nil err removes the failure.
func (p *Provider) FailApply(typeName, name string, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err == nil {
		delete(p.applyFailures, nameKey{typeName, name})
		return
	}
	p.applyFailures[nameKey{typeName, name}] = err
}

// SetHook installs h to run at the start of every call; nil removes it.
func (p *Provider) SetHook(h Hook) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hook = h
}

// SetDelay makes every resource and data source call wait d before doing its
// work, returning early with an error when its context is cancelled or Stop
// is called.
func (p *Provider) SetDelay(d time.Duration) { p.delay.Store(int64(d)) }

// MaxConcurrent returns the largest number of resource and data source calls
// that were in flight at the same time.
func (p *Provider) MaxConcurrent() int { return int(p.maxInFlight.Load()) }

// SetDataSource makes ReadDataSource of typeName return fn(config).
func (p *Provider) SetDataSource(typeName string, fn func(config cty.Value) (cty.Value, error)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dataSources[typeName] = fn
}

// Configured returns the configuration passed to Configure, and whether
// Configure has been called.
func (p *Provider) Configured() (cty.Value, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.config, p.configured
}

// Object returns the stored object of typeName with this id.
func (p *Provider) Object(typeName, id string) (cty.Value, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	v, ok := p.objects[objectKey{typeName, id}]
	return v, ok
}

// ObjectIDs returns the ids of the stored objects of typeName, in no
// particular order.
func (p *Provider) ObjectIDs(typeName string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var ids []string
	for k := range p.objects {
		if k.typeName == typeName {
			ids = append(ids, k.id)
		}
	}
	return ids
}

// SetObject stores v as the object of typeName with this id, as if created
// outside Blueprint (to test import). v must conform to the type's schema;
// its "id" attribute is set to id.
func (p *Provider) SetObject(typeName, id string, v cty.Value) error {
	s := p.schema.ResourceTypes[typeName]
	if s == nil {
		return fmt.Errorf("mock: no resource type %q", typeName)
	}
	if v == cty.NilVal || !v.Type().IsObjectType() || v.IsNull() || !v.IsWhollyKnown() {
		return fmt.Errorf("mock: SetObject needs a known, non-null object value of %s", typeName)
	}
	v = withAttrs(v, map[string]cty.Value{"id": cty.StringVal(id)})
	if errs := v.Type().TestConformance(s.ImpliedType()); len(errs) > 0 {
		return fmt.Errorf("mock: object does not conform to %s: %v", typeName, errs[0])
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.objects[objectKey{typeName, id}] = v
	return nil
}

// ModifyObject changes attributes of a stored object, as if someone changed
// it outside Blueprint; the next ReadResource shows the drift.
func (p *Provider) ModifyObject(typeName, id string, attrs map[string]cty.Value) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := objectKey{typeName, id}
	v, ok := p.objects[key]
	if !ok {
		return fmt.Errorf("mock: no %s with id %q", typeName, id)
	}
	for name := range attrs {
		if !v.Type().HasAttribute(name) {
			return fmt.Errorf("mock: %s has no attribute %q", typeName, name)
		}
	}
	nv := withAttrs(v, attrs)
	if errs := nv.Type().TestConformance(p.schema.ResourceTypes[typeName].ImpliedType()); len(errs) > 0 {
		return fmt.Errorf("mock: modified object does not conform to %s: %v", typeName, errs[0])
	}
	p.objects[key] = nv
	return nil
}

// DeleteObject removes a stored object, as if deleted outside Blueprint; the
// next ReadResource returns null. It reports whether the object existed.
func (p *Provider) DeleteObject(typeName, id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := objectKey{typeName, id}
	_, ok := p.objects[key]
	delete(p.objects, key)
	return ok
}
