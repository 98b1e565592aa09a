// A TLS endpoint configured the way Milvus configures its gRPC / REST port,
// used by the tests to ask Go's crypto/tls whether it accepts a certificate
// set. Standard library only.
//
// Server (default):
//
//	gotls -cert server.pem -key server.key [-ca ca.pem] -mode 1|2
//
// prints "LISTENING <port>", then one line per connection:
// "HANDSHAKEOK <client subject or ->" or "HANDSHAKEERROR <go error>".
// A certificate, key or CA that cannot be loaded prints "LOADERROR <go error>"
// and exits 2. The server exits when its stdin closes.
//
// Client: see client.go (-client).
package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"time"
)

var out sync.Mutex

// Options of the server that the tests of the connection tester use.
var serverALPN string
var serverMin13 bool

// say writes one whole line; the parent parses stdout line by line.
func say(kind string, text string) {
	out.Lock()
	defer out.Unlock()
	text = strings.ReplaceAll(text, "\n", " ")
	fmt.Fprintf(os.Stdout, "%s %s\n", kind, text)
}

func main() {
	certFile := flag.String("cert", "", "certificate PEM (server; client with -client)")
	keyFile := flag.String("key", "", "private key PEM")
	caFile := flag.String("ca", "", "CA PEM: client CAs (server mode 2) or root CAs (-client)")
	mode := flag.Int("mode", 1, "1 = one-way TLS, 2 = mutual TLS (RequireAndVerifyClientCert)")
	client := flag.Bool("client", false, "dial instead of listen")
	addr := flag.String("addr", "", "address to dial (-client)")
	serverName := flag.String("servername", "", "server name to verify (-client)")
	alpn := flag.String("alpn", "", "ALPN protocols the server offers, comma-separated (the Milvus proxy: h2)")
	min13 := flag.Bool("tls13", false, "require TLS 1.3")
	gen := flag.Bool("gen", false, "generate differential cases (gen.go)")
	sets := flag.String("sets", "", "file of certificate sets to serve at once (sets.go)")
	parse := flag.String("parse", "", "PEM file: x509.ParseCertificate on each CERTIFICATE block, one PARSEOK/PARSEERROR line each")
	seed := flag.Int64("seed", 1, "seed (-gen)")
	n := flag.Int("n", 100, "number of cases (-gen)")
	outDir := flag.String("out", "", "folder for the cases (-gen)")
	flag.Parse()
	serverALPN = *alpn
	serverMin13 = *min13

	if *gen {
		os.Exit(runGen(*seed, *n, *outDir))
	}
	if *parse != "" {
		os.Exit(runParse(*parse))
	}
	if *sets != "" {
		os.Exit(runSets(*sets))
	}

	if *client {
		os.Exit(runClient(*addr, *serverName, *caFile, *certFile, *keyFile))
	}
	os.Exit(runServer(*certFile, *keyFile, *caFile, *mode))
}

func runServer(certFile, keyFile, caFile string, mode int) int {
	// Exactly what Milvus does: tls.LoadX509KeyPair on serverPemPath / serverKeyPath.
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		say("LOADERROR", err.Error())
		return 2
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	if serverALPN != "" {
		cfg.NextProtos = strings.Split(serverALPN, ",")
	}
	if serverMin13 {
		cfg.MinVersion = tls.VersionTLS13
	}
	if mode == 2 {
		pemBytes, err := os.ReadFile(caFile)
		if err != nil {
			say("LOADERROR", err.Error())
			return 2
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pemBytes) {
			say("LOADERROR", "failed to append ca certs: no certificate found in "+caFile)
			return 2
		}
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
		cfg.ClientCAs = pool
	} else if mode != 1 {
		say("LOADERROR", fmt.Sprintf("unsupported mode %d", mode))
		return 2
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		say("LOADERROR", err.Error())
		return 2
	}
	go func() {
		// The parent holds our stdin; when it goes away, so do we.
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	say("LISTENING", fmt.Sprint(ln.Addr().(*net.TCPAddr).Port))
	for {
		conn, err := ln.Accept()
		if err != nil {
			say("ACCEPTERROR", err.Error())
			return 1
		}
		go serve(tls.Server(conn, cfg))
	}
}

func serve(c *tls.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if err := c.Handshake(); err != nil {
		say("HANDSHAKEERROR", err.Error())
		return
	}
	peer := "-"
	if st := c.ConnectionState(); len(st.PeerCertificates) > 0 {
		peer = st.PeerCertificates[0].Subject.String()
	}
	say("HANDSHAKEOK", peer)
	w := bufio.NewWriter(c)
	w.WriteString("ok\n")
	w.Flush()
}

// runParse is how Go reads a certificate before any handshake (tls.X509KeyPair parses the leaf the same way).
func runParse(file string) int {
	rest, err := os.ReadFile(file)
	if err != nil {
		say("LOADERROR", err.Error())
		return 2
	}
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return 0
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		if _, err := x509.ParseCertificate(block.Bytes); err != nil {
			say("PARSEERROR", err.Error())
		} else {
			say("PARSEOK", "-")
		}
	}
}
