package main

// Differential case generator (-gen): makes N seeded Milvus certificate sets,
// judges each with Go's crypto/tls exactly as Milvus and a Go client would, and
// keeps one listener per case open so the test can also dial it with
// OpenSSL-based clients (Node). One process serves a whole test file.
//
//	gotls -gen -seed 1 -n 300 -out DIR
//
// prints one JSON line per case ({"id", "dir", "mode", "traits", "serverLoad",
// "goClient", "goServerSaw", "port"}), then "GENDONE", and serves until stdin
// closes. An empty error string means the stack accepted.

import (
	"bufio"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	cryptorand "crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"math/rand"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

type genCase struct {
	ID          int      `json:"id"`
	Dir         string   `json:"dir"`
	Mode        int      `json:"mode"`
	Traits      []string `json:"traits"`
	ServerLoad  string   `json:"serverLoad"`
	GoClient    string   `json:"goClient"`
	GoServerSaw string   `json:"goServerSaw"`
	Port        int      `json:"port"`
}

type gkey struct {
	kind string
	priv crypto.Signer
}

var keyPool = map[string][]crypto.Signer{}

func newKey(r *rand.Rand, kind string) gkey {
	pool := keyPool[kind]
	if len(pool) < 3 {
		var k crypto.Signer
		var err error
		switch kind {
		case "P-256":
			k, err = ecdsa.GenerateKey(elliptic.P256(), cryptorand.Reader)
		case "P-384":
			k, err = ecdsa.GenerateKey(elliptic.P384(), cryptorand.Reader)
		case "P-521":
			k, err = ecdsa.GenerateKey(elliptic.P521(), cryptorand.Reader)
		case "RSA-1024":
			k, err = rsa.GenerateKey(cryptorand.Reader, 1024)
		case "RSA-2048":
			k, err = rsa.GenerateKey(cryptorand.Reader, 2048)
		case "Ed25519":
			_, k, err = ed25519.GenerateKey(cryptorand.Reader)
		}
		if err != nil {
			panic(err)
		}
		keyPool[kind] = append(pool, k)
		return gkey{kind, k}
	}
	return gkey{kind, pool[r.Intn(len(pool))]}
}

func pick(r *rand.Rand, weights ...interface{}) string {
	total := 0
	for i := 1; i < len(weights); i += 2 {
		total += weights[i].(int)
	}
	n := r.Intn(total)
	for i := 0; i < len(weights); i += 2 {
		n -= weights[i+1].(int)
		if n < 0 {
			return weights[i].(string)
		}
	}
	return weights[0].(string)
}

type issued struct {
	cert *x509.Certificate
	der  []byte
	key  gkey
}

func sigAlg(signer gkey, hash string) x509.SignatureAlgorithm {
	switch signer.priv.(type) {
	case *rsa.PrivateKey:
		if hash == "SHA-1" {
			return x509.SHA1WithRSA
		}
		return x509.SHA256WithRSA
	case *ecdsa.PrivateKey:
		if hash == "SHA-1" {
			return x509.ECDSAWithSHA1
		}
		return x509.ECDSAWithSHA256
	}
	return x509.PureEd25519
}

var serial int64 = 1000

func issue(tpl *x509.Certificate, key gkey, parent *issued, hash string) *issued {
	serial++
	tpl.SerialNumber = big.NewInt(serial)
	signer := key
	parentCert := tpl
	if parent != nil {
		signer = parent.key
		parentCert = parent.cert
	}
	tpl.SignatureAlgorithm = sigAlg(signer, hash)
	der, err := x509.CreateCertificate(cryptorand.Reader, tpl, parentCert, key.priv.Public(), signer.priv)
	if err != nil {
		panic(fmt.Sprintf("create %s: %v", tpl.Subject.CommonName, err))
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return &issued{c, der, key}
}

func pemOf(der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func keyPem(k gkey, format string) string {
	if format == "pkcs8" {
		der, _ := x509.MarshalPKCS8PrivateKey(k.priv)
		return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	}
	switch p := k.priv.(type) {
	case *rsa.PrivateKey:
		if format == "encrypted" {
			//lint:ignore SA1019 legacy encrypted PEM is what users hand Milvus
			b, _ := x509.EncryptPEMBlock(cryptorand.Reader, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(p), []byte("secret"), x509.PEMCipherAES256) //nolint
			return string(pem.EncodeToMemory(b))
		}
		return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(p)}))
	case *ecdsa.PrivateKey:
		der, _ := x509.MarshalECPrivateKey(p)
		if format == "encrypted" {
			b, _ := x509.EncryptPEMBlock(cryptorand.Reader, "EC PRIVATE KEY", der, []byte("secret"), x509.PEMCipherAES256) //nolint
			return string(pem.EncodeToMemory(b))
		}
		return string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
	}
	der, _ := x509.MarshalPKCS8PrivateKey(k.priv)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func textDump(c *x509.Certificate) string {
	return fmt.Sprintf("Certificate:\n    Data:\n        Version: 3 (0x2)\n        Serial Number: %d (0x%x)\n        Signature Algorithm: %v\n        Issuer: %s\n        Subject: %s\n", c.SerialNumber, c.SerialNumber, c.SignatureAlgorithm, c.Issuer, c.Subject)
}

func genOne(id int, seed int64, outDir string) (*genCase, *tls.Config, error) {
	r := rand.New(rand.NewSource(seed*100003 + int64(id)))
	now := time.Now()
	var traits []string
	t := func(s string) { traits = append(traits, s) }
	valid := func() (time.Time, time.Time) { return now.Add(-time.Hour), now.Add(365 * 24 * time.Hour) }

	// Root CA.
	caKey := newKey(r, pick(r, "P-256", 7, "RSA-2048", 2, "P-384", 1))
	caTpl := &x509.Certificate{Subject: pkix.Name{CommonName: fmt.Sprintf("Case %d CA", id)}, BasicConstraintsValid: true, IsCA: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	caTpl.NotBefore, caTpl.NotAfter = now.Add(-time.Hour), now.Add(3650*24*time.Hour)
	switch pick(r, "ok", 88, "no-bc", 3, "bc-not-ca", 2, "no-certsign", 3, "expired", 2, "eku-client", 2) {
	case "no-bc":
		caTpl.BasicConstraintsValid, caTpl.IsCA = false, false
		t("ca:no-basic-constraints")
	case "bc-not-ca":
		caTpl.IsCA = false
		t("ca:ca-false")
	case "no-certsign":
		caTpl.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageCRLSign
		t("ca:no-keycertsign")
	case "expired":
		caTpl.NotBefore, caTpl.NotAfter = now.Add(-400*24*time.Hour), now.Add(-24*time.Hour)
		t("ca:expired")
	case "eku-client":
		caTpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		t("ca:eku-clientAuth-only")
	}
	shape := pick(r, "direct", 50, "intermediate", 20, "missing-intermediate", 7, "intermediate-in-ca", 6, "reversed", 5, "wrong-ca", 5, "self-signed-as-ca", 7)
	t("shape:" + shape)
	if shape == "intermediate" || shape == "intermediate-in-ca" || shape == "reversed" || shape == "missing-intermediate" {
		if r.Intn(20) == 0 && caTpl.IsCA {
			caTpl.MaxPathLen, caTpl.MaxPathLenZero = 0, true
			t("ca:pathlen-0")
		}
	}
	root := issue(caTpl, caKey, nil, "SHA-256")

	issuer := root
	var inter *issued
	if strings.Contains(shape, "intermediate") || shape == "reversed" {
		iKey := newKey(r, pick(r, "P-256", 4, "RSA-2048", 1))
		iTpl := &x509.Certificate{Subject: pkix.Name{CommonName: fmt.Sprintf("Case %d Intermediate", id)}, BasicConstraintsValid: true, IsCA: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
		iTpl.NotBefore, iTpl.NotAfter = now.Add(-time.Hour), now.Add(1825*24*time.Hour)
		hash := "SHA-256"
		switch pick(r, "ok", 85, "not-ca", 4, "sha1", 4, "expired", 3, "eku-client", 2, "eku-server", 2) {
		case "not-ca":
			iTpl.BasicConstraintsValid, iTpl.IsCA = false, false
			t("int:no-basic-constraints")
		case "sha1":
			hash = "SHA-1"
			t("int:sha1")
		case "expired":
			iTpl.NotBefore, iTpl.NotAfter = now.Add(-400*24*time.Hour), now.Add(-24*time.Hour)
			t("int:expired")
		case "eku-client":
			iTpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
			t("int:eku-clientAuth-only")
		case "eku-server":
			iTpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
			t("int:eku-serverAuth-only")
		}
		inter = issue(iTpl, iKey, root, hash)
		issuer = inter
	}

	// Server leaf.
	lKind := pick(r, "P-256", 55, "P-384", 8, "RSA-2048", 15, "RSA-1024", 5, "Ed25519", 8, "P-521", 5)
	t("key:" + lKind)
	lKey := newKey(r, lKind)
	lTpl := &x509.Certificate{Subject: pkix.Name{CommonName: "localhost"}}
	lTpl.NotBefore, lTpl.NotAfter = valid()
	switch pick(r, "both", 75, "none", 7, "other", 6, "ip", 4, "dns", 4, "wildcard", 4) {
	case "both":
		lTpl.DNSNames, lTpl.IPAddresses = []string{"localhost"}, []net.IP{net.ParseIP("127.0.0.1")}
	case "none":
		t("san:none")
	case "other":
		lTpl.DNSNames = []string{"milvus.example"}
		t("san:other-name")
	case "ip":
		lTpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
		t("san:ip-only")
	case "dns":
		lTpl.DNSNames = []string{"localhost"}
		t("san:localhost-only")
	case "wildcard":
		lTpl.DNSNames = []string{"*.example"}
		t("san:wildcard-other")
	}
	switch pick(r, "both", 50, "server", 20, "none", 12, "client", 6, "any", 6, "server-any", 6) {
	case "both":
		lTpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
	case "server":
		lTpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		t("eku:serverAuth")
	case "none":
		t("eku:none")
	case "client":
		lTpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		t("eku:clientAuth-only")
	case "any":
		lTpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageAny}
		t("eku:any-only")
	case "server-any":
		lTpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageAny}
		t("eku:serverAuth+any")
	}
	switch pick(r, "ds-ke", 60, "none", 20, "ke", 10, "ds", 10) {
	case "ds-ke":
		lTpl.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	case "none":
		t("ku:none")
	case "ke":
		lTpl.KeyUsage = x509.KeyUsageKeyEncipherment
		t("ku:keyEncipherment-only")
	case "ds":
		lTpl.KeyUsage = x509.KeyUsageDigitalSignature
		t("ku:digitalSignature")
	}
	switch pick(r, "ok", 88, "expired", 5, "future", 4, "expiring", 3) {
	case "expired":
		lTpl.NotBefore, lTpl.NotAfter = now.Add(-100*24*time.Hour), now.Add(-2*24*time.Hour)
		t("date:expired")
	case "future":
		lTpl.NotBefore, lTpl.NotAfter = now.Add(2*24*time.Hour), now.Add(100*24*time.Hour)
		t("date:not-yet-valid")
	case "expiring":
		lTpl.NotAfter = now.Add(10 * 24 * time.Hour)
		t("date:expiring")
	}
	if r.Intn(40) == 0 {
		lTpl.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1}, Critical: true, Value: []byte{0x05, 0x00}}}
		t("ext:unknown-critical")
	}
	if r.Intn(40) == 0 {
		lTpl.BasicConstraintsValid, lTpl.IsCA = true, true
		lTpl.KeyUsage |= x509.KeyUsageCertSign
		t("leaf:is-ca")
	}
	leafHash := "SHA-256"
	if r.Intn(20) == 0 {
		leafHash = "SHA-1"
		t("leaf:sha1")
	}
	var leaf *issued
	var caFile string
	switch shape {
	case "self-signed-as-ca":
		if leafHash == "SHA-1" && lKind == "Ed25519" {
			leafHash = "SHA-256"
		}
		leaf = issue(lTpl, lKey, nil, leafHash)
		caFile = pemOf(leaf.der)
	case "wrong-ca":
		leaf = issue(lTpl, lKey, issuer, leafHash)
		other := issue(&x509.Certificate{Subject: pkix.Name{CommonName: fmt.Sprintf("Case %d Other CA", id)}, BasicConstraintsValid: true, IsCA: true, KeyUsage: x509.KeyUsageCertSign, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(3650 * 24 * time.Hour)}, newKey(r, "P-256"), nil, "SHA-256")
		caFile = pemOf(other.der)
	default:
		leaf = issue(lTpl, lKey, issuer, leafHash)
		caFile = pemOf(root.der)
	}
	serverPem := pemOf(leaf.der)
	switch shape {
	case "intermediate":
		serverPem += pemOf(inter.der)
	case "intermediate-in-ca":
		caFile = pemOf(inter.der) + caFile
	case "reversed":
		serverPem = pemOf(inter.der) + serverPem
	}

	keyFormat := pick(r, "pkcs8", 50, "native", 40, "mismatch", 5, "encrypted", 3, "swapped", 2)
	if keyFormat != "pkcs8" && keyFormat != "native" {
		t("keyfile:" + keyFormat)
	}
	var serverKey string
	switch keyFormat {
	case "mismatch":
		serverKey = keyPem(newKey(r, "P-256"), "pkcs8")
		for _, k := range keyPool["P-256"] {
			if !k.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(lKey.priv.Public()) {
				serverKey = keyPem(gkey{"P-256", k}, "pkcs8")
				break
			}
		}
		if lKind != "P-256" {
			serverKey = keyPem(newKey(r, "P-256"), "pkcs8")
		}
	case "swapped":
		serverKey = keyPem(lKey, "pkcs8")
		serverPem, serverKey = serverKey, serverPem
	default:
		serverKey = keyPem(lKey, keyFormat)
	}
	switch pick(r, "none", 85, "crlf", 5, "bom", 4, "text-dump", 6) {
	case "crlf":
		serverPem = strings.ReplaceAll(serverPem, "\n", "\r\n")
		serverKey = strings.ReplaceAll(serverKey, "\n", "\r\n")
		t("enc:crlf")
	case "bom":
		serverPem = "\xef\xbb\xbf" + serverPem
		t("enc:bom")
	case "text-dump":
		serverPem = textDump(leaf.cert) + serverPem
		t("enc:text-dump")
	}

	mode := 1
	if r.Intn(5) < 3 {
		mode = 2
	}
	files := map[string]string{"ca.pem": caFile, "server.pem": serverPem, "server.key": serverKey}
	var clientCert tls.Certificate
	if mode == 2 {
		cTpl := &x509.Certificate{Subject: pkix.Name{CommonName: "client"}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
		cTpl.NotBefore, cTpl.NotAfter = valid()
		cIssuer := issuer
		if shape == "self-signed-as-ca" || shape == "wrong-ca" {
			cIssuer = root
		}
		switch pick(r, "ok", 82, "other-ca", 6, "server-eku", 6, "expired", 6) {
		case "other-ca":
			cIssuer = issue(&x509.Certificate{Subject: pkix.Name{CommonName: "Unrelated CA"}, BasicConstraintsValid: true, IsCA: true, KeyUsage: x509.KeyUsageCertSign, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(3650 * 24 * time.Hour)}, newKey(r, "P-256"), nil, "SHA-256")
			t("client:other-ca")
		case "server-eku":
			cTpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
			t("client:serverAuth-only")
		case "expired":
			cTpl.NotBefore, cTpl.NotAfter = now.Add(-100*24*time.Hour), now.Add(-2*24*time.Hour)
			t("client:expired")
		}
		cKey := newKey(r, "P-256")
		c := issue(cTpl, cKey, cIssuer, "SHA-256")
		chain := pemOf(c.der)
		if cIssuer == inter {
			chain += pemOf(inter.der)
		}
		files["client.pem"] = chain
		files["client.key"] = keyPem(cKey, "pkcs8")
		clientCert, _ = tls.X509KeyPair([]byte(chain), []byte(files["client.key"]))
	}

	dir := filepath.Join(outDir, fmt.Sprintf("case-%04d", id))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	for n, v := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(v), 0o600); err != nil {
			return nil, nil, err
		}
	}
	gc := &genCase{ID: id, Dir: dir, Mode: mode, Traits: traits}
	if traits == nil {
		gc.Traits = []string{}
	}

	// Milvus: tls.LoadX509KeyPair, then (mode 2) the client CA pool.
	cert, err := tls.LoadX509KeyPair(filepath.Join(dir, "server.pem"), filepath.Join(dir, "server.key"))
	if err != nil {
		gc.ServerLoad = err.Error()
		return gc, nil, nil
	}
	// The Milvus proxy serves gRPC through grpc-go's credentials.NewTLS, which offers ALPN h2
	// (grpc/grpc-go credentials/tls.go NewTLS, internal/credentials AppendH2ToNextProtos); gRPC C-core
	// clients refuse a server that negotiates none (grpc/grpc ssl_utils.cc grpc_ssl_check_alpn).
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2"}}
	pool := x509.NewCertPool()
	caOK := pool.AppendCertsFromPEM([]byte(caFile))
	if mode == 2 {
		if !caOK {
			gc.ServerLoad = "fail to append ca to cert"
			return gc, nil, nil
		}
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
		cfg.ClientCAs = pool
	}
	// A Go client told to trust ca.pem (the Go SDK, milvus-backup).
	ccfg := &tls.Config{ServerName: "localhost", RootCAs: pool}
	if mode == 2 {
		cc := clientCert
		ccfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &cc, nil }
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	gc.Port = ln.Addr().(*net.TCPAddr).Port
	srvErr := make(chan error, 2)
	go func() {
		served := 0
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			if served >= 2 {
				go serveQuiet(tls.Server(conn, cfg))
				continue
			}
			served++
			s := tls.Server(conn, cfg)
			s.SetDeadline(time.Now().Add(5 * time.Second))
			err = s.Handshake()
			if err == nil {
				_, err = s.Write([]byte("ok\n"))
			}
			srvErr <- err
			s.Close()
		}
	}()
	err = goDialCase(ln.Addr().String(), ccfg, "localhost")
	if err != nil && isHostnameError(err) {
		// A client may dial the address instead: the name check is the only difference.
		<-srvErr
		err = goDialCase(ln.Addr().String(), ccfg, "127.0.0.1")
	}
	if err != nil {
		gc.GoClient = err.Error()
	}
	select {
	case e := <-srvErr:
		if e != nil {
			gc.GoServerSaw = e.Error()
		}
	case <-time.After(5 * time.Second):
		gc.GoServerSaw = "no connection"
	}
	return gc, cfg, nil
}

func runGen(seed int64, n int, outDir string) int {
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	enc := json.NewEncoder(os.Stdout)
	for i := 0; i < n; i++ {
		gc, cfg, err := genOne(i, seed, outDir)
		if err != nil {
			say("GENERROR", err.Error())
			return 2
		}
		_ = cfg
		out.Lock()
		enc.Encode(gc)
		out.Unlock()
	}
	say("GENDONE", fmt.Sprint(n))
	select {}
}

func serveQuiet(c *tls.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if err := c.Handshake(); err != nil {
		return
	}
	w := bufio.NewWriter(c)
	w.WriteString("ok\n")
	w.Flush()
}

func isHostnameError(err error) bool {
	var h x509.HostnameError
	return errors.As(err, &h)
}

func goDialCase(addr string, base *tls.Config, name string) error {
	cfg := base.Clone()
	cfg.ServerName = name
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr, cfg)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err == nil && line != "ok\n" {
		err = fmt.Errorf("unexpected reply %q", line)
	}
	return err
}
