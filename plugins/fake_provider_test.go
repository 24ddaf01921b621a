package plugins

import (
	"context"
	"sync"

	"github.com/blueprint-engine/bp/providers"
)

// Markers for the calls that take no request.
type (
	getSchemaReq struct{}
	stopReq      struct{}
)

// stopResp is what a fake Stop returns.
type stopResp struct{ err error }

// fakeProvider records every request it receives and answers each call with
// the response set by respondWith, so a test can compare what was sent with
// what arrived, both ways.
type fakeProvider struct {
	schema providers.ProviderSchema

	mu   sync.Mutex
	got  []any
	resp any
}

func (f *fakeProvider) respondWith(resp any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.resp, f.got = resp, nil
}

func (f *fakeProvider) received() []any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]any(nil), f.got...)
}

func answer[R any](f *fakeProvider, req any) R {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, req)
	r, _ := f.resp.(R)
	return r
}

func (f *fakeProvider) GetSchema(context.Context) providers.GetSchemaResponse {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, getSchemaReq{})
	return providers.GetSchemaResponse{Schema: f.schema}
}

func (f *fakeProvider) ValidateProviderConfig(_ context.Context, req providers.ValidateProviderConfigRequest) providers.ValidateProviderConfigResponse {
	return answer[providers.ValidateProviderConfigResponse](f, req)
}

func (f *fakeProvider) ValidateResourceConfig(_ context.Context, req providers.ValidateResourceConfigRequest) providers.ValidateResourceConfigResponse {
	return answer[providers.ValidateResourceConfigResponse](f, req)
}

func (f *fakeProvider) ValidateDataSourceConfig(_ context.Context, req providers.ValidateDataSourceConfigRequest) providers.ValidateDataSourceConfigResponse {
	return answer[providers.ValidateDataSourceConfigResponse](f, req)
}

func (f *fakeProvider) Configure(_ context.Context, req providers.ConfigureRequest) providers.ConfigureResponse {
	return answer[providers.ConfigureResponse](f, req)
}

func (f *fakeProvider) PlanResourceChange(_ context.Context, req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse {
	return answer[providers.PlanResourceChangeResponse](f, req)
}

func (f *fakeProvider) ApplyResourceChange(_ context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	return answer[providers.ApplyResourceChangeResponse](f, req)
}

func (f *fakeProvider) ReadResource(_ context.Context, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	return answer[providers.ReadResourceResponse](f, req)
}

func (f *fakeProvider) ImportResourceState(_ context.Context, req providers.ImportResourceStateRequest) providers.ImportResourceStateResponse {
	return answer[providers.ImportResourceStateResponse](f, req)
}

func (f *fakeProvider) ReadDataSource(_ context.Context, req providers.ReadDataSourceRequest) providers.ReadDataSourceResponse {
	return answer[providers.ReadDataSourceResponse](f, req)
}

func (f *fakeProvider) Stop(context.Context) error {
	return answer[stopResp](f, stopReq{}).err
}

func (f *fakeProvider) Close() error { return nil }

var _ providers.Interface = (*fakeProvider)(nil)

// invoke makes the call req is the request of, on p.
func invoke(ctx context.Context, p providers.Interface, req any) any {
	switch r := req.(type) {
	case getSchemaReq:
		return p.GetSchema(ctx)
	case providers.ValidateProviderConfigRequest:
		return p.ValidateProviderConfig(ctx, r)
	case providers.ValidateResourceConfigRequest:
		return p.ValidateResourceConfig(ctx, r)
	case providers.ValidateDataSourceConfigRequest:
		return p.ValidateDataSourceConfig(ctx, r)
	case providers.ConfigureRequest:
		return p.Configure(ctx, r)
	case providers.PlanResourceChangeRequest:
		return p.PlanResourceChange(ctx, r)
	case providers.ApplyResourceChangeRequest:
		return p.ApplyResourceChange(ctx, r)
	case providers.ReadResourceRequest:
		return p.ReadResource(ctx, r)
	case providers.ImportResourceStateRequest:
		return p.ImportResourceState(ctx, r)
	case providers.ReadDataSourceRequest:
		return p.ReadDataSource(ctx, r)
	case stopReq:
		return stopResp{p.Stop(ctx)}
	default:
		panic("invoke: unknown request type")
	}
}
