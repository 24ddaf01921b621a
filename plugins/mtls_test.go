package plugins

import (
	"context"
	"crypto/ecdsa"
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/plugins/proto"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

// TestLaunchMTLS checks that every pairing of bp and plugin speaks mutual
// TLS: bp's certificates with a current plugin, a plugin that makes its own
// (as plugins built before bp handed them over do), and a current plugin
// under an older bp (go-plugin's AutoMTLS); and that the plugin refuses a
// connection without bp's certificate.
func TestLaunchMTLS(t *testing.T) {
	tests := []struct {
		name string
		// launch starts the test plugin and returns its address after a
		// call through the connection succeeded.
		launch    func(t *testing.T) net.Addr
		wantCurve string // of the plugin's certificate
	}{
		{"bp's certificates", func(t *testing.T) net.Addr {
			return launchAndCall(t, LaunchRequest{})
		}, "P-256"},
		{"a plugin making its own", func(t *testing.T) net.Addr {
			return launchAndCall(t, LaunchRequest{Env: []string{"BP_TESTPLUGIN_OWN_TLS=1"}})
		}, "P-521"},
		{"an older bp", func(t *testing.T) net.Addr {
			req := LaunchRequest{Name: "std", Path: testPluginPath}
			cmd := exec.Command(req.Path)
			config := clientConfig(context.Background(), req, cmd, hclog.NewNullLogger(), &outputTail{}, &clientStats{})
			config.AutoMTLS = true
			pc := plugin.NewClient(config)
			t.Cleanup(pc.Kill)
			rpc, err := pc.Client()
			if err != nil {
				t.Fatal(err)
			}
			raw, err := rpc.Dispense(providerPluginName)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := raw.(proto.ProviderClient).GetMetadata(context.Background(), &proto.GetMetadata_Request{}); err != nil {
				t.Fatalf("GetMetadata: %v", err)
			}
			return pc.ReattachConfig().Addr
		}, "P-521"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			addr := tc.launch(t)
			if got := pluginCurve(t, addr); got != tc.wantCurve {
				t.Errorf("the plugin's certificate is on %s, want %s", got, tc.wantCurve)
			}
			stranger, _, _, err := newCert(x509.ExtKeyUsageClientAuth)
			if err != nil {
				t.Fatal(err)
			}
			for name, creds := range map[string]credentials.TransportCredentials{
				"plaintext":                 insecure.NewCredentials(),
				"TLS without a certificate": credentials.NewTLS(&tls.Config{InsecureSkipVerify: true}),
				"TLS with another certificate": credentials.NewTLS(&tls.Config{InsecureSkipVerify: true,
					Certificates: []tls.Certificate{stranger}}),
			} {
				if err := callWith(addr, creds); err == nil {
					t.Errorf("%s: the plugin answered a call", name)
				}
			}
		})
	}
}

// launchAndCall launches the test plugin, makes a call, and returns the
// plugin's address.
func launchAndCall(t *testing.T, req LaunchRequest) net.Addr {
	t.Helper()
	c := launchTestPlugin(t, req)
	if d := c.GetSchema(context.Background()).Diagnostics; d.HasErrors() {
		t.Fatal(d.Err())
	}
	return c.proc.(*pluginProcess).pc.ReattachConfig().Addr
}

// pluginCurve returns the curve of the certificate the plugin at addr
// presents.
func pluginCurve(t *testing.T, addr net.Addr) string {
	t.Helper()
	var curve string
	conn, err := tls.Dial(addr.Network(), addr.String(), &tls.Config{
		InsecureSkipVerify: true,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			cert, err := x509.ParseCertificate(raw[0])
			if err != nil {
				return err
			}
			if key, ok := cert.PublicKey.(*ecdsa.PublicKey); ok {
				curve = key.Curve.Params().Name
			}
			return nil
		},
	})
	if err == nil {
		conn.Close()
	}
	if curve == "" {
		t.Fatalf("no ECDSA certificate from the plugin (dial: %v)", err)
	}
	return curve
}

// callWith makes a call to the plugin at addr over a connection of its
// own, secured by creds.
func callWith(addr net.Addr, creds credentials.TransportCredentials) error {
	conn, err := grpc.NewClient("unix:"+addr.String(), grpc.WithTransportCredentials(creds))
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = proto.NewProviderClient(conn).GetMetadata(ctx, &proto.GetMetadata_Request{})
	return err
}

// TestServerTLS checks how a plugin takes the certificate bp hands over,
// and what it says when that goes wrong.
func TestServerTLS(t *testing.T) {
	good, err := newLaunchTLS()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		fd         string // "" unsets the variable; "pipe" passes a pipe holding pipeData
		pipeData   []byte
		clientCert string
		wantErr    string
		wantNil    bool
	}{
		{name: "from an older bp", fd: "", wantNil: true},
		{name: "handed over", fd: "pipe", pipeData: good.serverPEM, clientCert: string(good.clientCertPEM)},
		{name: "not a number", fd: "three", wantErr: `BP_PLUGIN_TLS_FD="three" is not a file descriptor number`},
		{name: "stdin", fd: "0", wantErr: "is not a file descriptor number"},
		{name: "garbage", fd: "pipe", pipeData: []byte("not a certificate"), clientCert: string(good.clientCertPEM),
			wantErr: "the TLS certificate bp handed over is unusable"},
		{name: "no client certificate", fd: "pipe", pipeData: good.serverPEM, wantErr: "PLUGIN_CLIENT_CERT holds no certificate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(clientCertEnv, tc.clientCert)
			switch tc.fd {
			case "":
				t.Setenv(serverTLSFDEnv, "")
				os.Unsetenv(serverTLSFDEnv)
			case "pipe":
				t.Setenv(serverTLSFDEnv, strconv.Itoa(pipeHolding(t, tc.pipeData)))
			default:
				t.Setenv(serverTLSFDEnv, tc.fd)
			}
			cfg, err := serverTLS()
			if _, set := os.LookupEnv(serverTLSFDEnv); set {
				t.Errorf("%s is still set; the plugin's children would inherit it", serverTLSFDEnv)
			}
			switch {
			case tc.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("serverTLS() error = %v, want one containing %q", err, tc.wantErr)
				}
			case err != nil:
				t.Errorf("serverTLS() error = %v", err)
			case tc.wantNil != (cfg == nil):
				t.Errorf("serverTLS() = %v, want nil: %v", cfg, tc.wantNil)
			case cfg != nil && (cfg.ClientAuth != tls.RequireAndVerifyClientCert || len(cfg.Certificates) != 1):
				t.Errorf("serverTLS() = %+v, want bp's certificate required and one certificate of its own", cfg)
			}
		})
	}
}

// pipeHolding returns a file descriptor of its own (serverTLS closes it)
// from which data can be read.
func pipeHolding(t *testing.T, data []byte) int {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	w.Close()
	fd, err := syscall.Dup(int(r.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	return fd
}

// TestLaunchReportsTLSFailure checks that a plugin that cannot take the
// certificate it is handed says why, in the error Launch returns.
func TestLaunchReportsTLSFailure(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// A plaintext launch hands nothing over, so this variable reaches the
	// plugin as written: a descriptor that is not open.
	c, err := Launch(ctx, LaunchRequest{Name: "std", Path: testPluginPath, plaintext: true, Env: []string{serverTLSFDEnv + "=9"}})
	if err == nil {
		c.Close()
		t.Fatal("Launch succeeded")
	}
	if want := "cannot read the TLS certificate bp handed over"; !strings.Contains(err.Error(), want) {
		t.Errorf("Launch error = %v, want one that says %q", err, want)
	}
}
