// Package proto holds the Blueprint provider plugin protocol: provider.proto
// (protobuf package bp.plugin.v1) and the Go code generated from it. The
// plugins package converts between these messages and the providers package;
// nothing else should use them directly.
//
// Regenerate after editing provider.proto with `go generate ./plugins/proto`.
// It needs no protoc: buf compiles the .proto in Go, and every tool runs with
// `go run`, fetched through the Go module proxy.
package proto

//go:generate go run github.com/bufbuild/buf/cmd/buf@v1.50.0 generate
