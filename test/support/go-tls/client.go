package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"time"
)

// runClient dials addr the way a Go gRPC client would (ServerName set, RootCAs
// from a CA file, optional client certificate) and prints "HANDSHAKEOK" or
// "HANDSHAKEERROR <go error>". It reads the server's "ok" line, because with
// TLS 1.3 a rejected client certificate only shows up after the client's
// side of the handshake has finished.
func runClient(addr, serverName, caFile, certFile, keyFile string) int {
	pemBytes, err := os.ReadFile(caFile)
	if err != nil {
		say("LOADERROR", err.Error())
		return 2
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		say("LOADERROR", "no certificate found in "+caFile)
		return 2
	}
	cfg := &tls.Config{ServerName: serverName, RootCAs: pool}
	if certFile != "" {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			say("LOADERROR", err.Error())
			return 2
		}
		// Always present the certificate, as grpc-core does; Go's default
		// would silently send none when it does not chain to the server's
		// acceptable CAs, hiding the server's verdict on it.
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &cert, nil }
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	conn, err := tls.DialWithDialer(dialer, "tcp", addr, cfg)
	if err != nil {
		say("HANDSHAKEERROR", err.Error())
		return 1
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		say("HANDSHAKEERROR", err.Error())
		return 1
	}
	if line != "ok\n" {
		say("HANDSHAKEERROR", fmt.Sprintf("unexpected reply %q", line))
		return 1
	}
	fmt.Println("HANDSHAKEOK")
	return 0
}
