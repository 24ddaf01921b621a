package plugins

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"os"
	"os/exec"
	"strconv"
	"time"
)

// Mutual TLS between bp and a plugin, without go-plugin's automatic mTLS,
// whose certificates use the P-521 curve: with them, key generation and
// the handshake took about 8 of a launch's 16 ms of wall time. bp makes
// both certificates itself, on P-256 (some 0.1 ms each): its own, whose
// public half goes to the plugin in go-plugin's PLUGIN_CLIENT_CERT
// variable as before, and the plugin's, key included, which goes through a
// pipe the plugin inherits as file descriptor serverTLSFD (named in
// serverTLSFDEnv), never through the environment.
//
// Older plugins know neither the variable nor the pipe: they make their own
// P-521 certificate, as go-plugin does, and send it in the handshake line,
// where go-plugin on bp's side finds it and trusts it instead of the one bp
// made. An older bp sends no pipe, and [Serve] lets go-plugin do the
// same. Every combination thus speaks mutual TLS.

// serverTLSFDEnv names the environment variable that tells the plugin which
// inherited file descriptor holds its certificate and key (PEM).
const serverTLSFDEnv = "BP_PLUGIN_TLS_FD"

// clientCertEnv is go-plugin's variable for bp's certificate (PEM).
const clientCertEnv = "PLUGIN_CLIENT_CERT"

// serverTLSFD is the descriptor number of the pipe: the first of
// exec.Cmd.ExtraFiles.
const serverTLSFD = 3

// launchTLS is the mutual TLS of one launch.
type launchTLS struct {
	// client is bp's side: its certificate, trusting only the plugin's.
	client *tls.Config
	// clientCertPEM is bp's certificate, for the plugin.
	clientCertPEM []byte
	// serverPEM is the plugin's certificate and key.
	serverPEM []byte
}

func newLaunchTLS() (*launchTLS, error) {
	clientCert, clientPEM, _, err := newCert(x509.ExtKeyUsageClientAuth)
	if err != nil {
		return nil, fmt.Errorf("cannot make bp's TLS certificate: %w", err)
	}
	serverCert, serverCertPEM, serverKeyPEM, err := newCert(x509.ExtKeyUsageServerAuth)
	if err != nil {
		return nil, fmt.Errorf("cannot make the plugin's TLS certificate: %w", err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(serverCert.Leaf)
	return &launchTLS{
		client: &tls.Config{
			Certificates: []tls.Certificate{clientCert},
			RootCAs:      roots,
			ServerName:   certHost,
			MinVersion:   tls.VersionTLS12,
		},
		clientCertPEM: clientPEM,
		serverPEM:     append(serverCertPEM, serverKeyPEM...),
	}, nil
}

// prepare hands the plugin its certificate and bp's through cmd. The
// caller must call release once cmd has started, or failed to.
func (l *launchTLS) prepare(cmd *exec.Cmd) (release func(), err error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("cannot make a pipe for the plugin's TLS certificate: %w", err)
	}
	// The pipe's buffer (at least 4 KiB) holds the PEM, so the write
	// returns before the plugin reads.
	_, err = w.Write(l.serverPEM)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("cannot hand the plugin its TLS certificate: %w", err)
	}
	cmd.ExtraFiles = append(cmd.ExtraFiles[:0], r)
	cmd.Env = append(cmd.Env, clientCertEnv+"="+string(l.clientCertPEM), serverTLSFDEnv+"="+strconv.Itoa(serverTLSFD))
	return func() { r.Close() }, nil
}

// serverTLS is the plugin side: the TLS configuration made of the
// certificate bp handed over, trusting only bp's certificate, or nil when
// bp handed none (an older bp: go-plugin's automatic mTLS then applies).
// It reads the pipe once and removes the variable naming it, so that the
// plugin's own child processes do not inherit it.
func serverTLS() (*tls.Config, error) {
	fdText, ok := os.LookupEnv(serverTLSFDEnv)
	if !ok {
		return nil, nil
	}
	_ = os.Unsetenv(serverTLSFDEnv)
	fd, err := strconv.Atoi(fdText)
	if err != nil || fd < 3 {
		return nil, fmt.Errorf("%s=%q is not a file descriptor number; run the plugin from bp", serverTLSFDEnv, fdText)
	}
	f := os.NewFile(uintptr(fd), "bp-plugin-tls")
	defer f.Close()
	pemBytes, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("cannot read the TLS certificate bp handed over: %w", err)
	}
	cert, err := tls.X509KeyPair(pemBytes, pemBytes)
	if err != nil {
		return nil, fmt.Errorf("the TLS certificate bp handed over is unusable: %w", err)
	}
	clients := x509.NewCertPool()
	if !clients.AppendCertsFromPEM([]byte(os.Getenv(clientCertEnv))) {
		return nil, fmt.Errorf("%s holds no certificate; run the plugin from bp", clientCertEnv)
	}
	return &tls.Config{
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    clients,
		MinVersion:   tls.VersionTLS12,
	}, nil
}

// certHost is the name both certificates are made for.
const certHost = "localhost"

// newCert makes a self-signed P-256 certificate for usage, valid from a
// minute ago for ten years (it lives as long as the plugin process), and
// returns it parsed and in PEM, with its key in PEM.
func newCert(usage x509.ExtKeyUsage) (cert tls.Certificate, certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	now := time.Now()
	template := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: certHost, Organization: []string{"Blueprint plugin"}},
		DNSNames:              []string{certHost},
		NotBefore:             now.Add(-time.Minute),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{usage},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, key.Public(), key)
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	cert = tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	return cert, certPEM, keyPEM, nil
}
