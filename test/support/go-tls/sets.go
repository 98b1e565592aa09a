package main

// Many servers in one process (-sets FILE), so a test file starts Go once for all its certificate
// sets. Each line of FILE: cert \t key \t mode \t ca-or-empty \t alpn-or-empty. Prints
// "SET <index> <port>" or "SET <index> LOADERROR <go error>" per line, then "SETSDONE", and
// serves (one "ok\n" per completed handshake, like runServer) until stdin closes.

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
)

func setConfig(fields []string) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(fields[0], fields[1])
	if err != nil {
		return nil, err
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	if fields[4] != "" {
		cfg.NextProtos = strings.Split(fields[4], ",")
	}
	if mode, _ := strconv.Atoi(fields[2]); mode == 2 {
		pemBytes, err := os.ReadFile(fields[3])
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pemBytes) {
			return nil, fmt.Errorf("failed to append ca certs: no certificate found in %s", fields[3])
		}
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
		cfg.ClientCAs = pool
	}
	return cfg, nil
}

func runSets(file string) int {
	f, err := os.Open(file)
	if err != nil {
		say("LOADERROR", err.Error())
		return 2
	}
	defer f.Close()
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	scanner := bufio.NewScanner(f)
	for i := 0; scanner.Scan(); i++ {
		fields := strings.Split(scanner.Text(), "\t")
		for len(fields) < 5 {
			fields = append(fields, "")
		}
		cfg, err := setConfig(fields)
		if err != nil {
			say("SET", fmt.Sprintf("%d LOADERROR %s", i, err.Error()))
			continue
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			say("SET", fmt.Sprintf("%d LOADERROR %s", i, err.Error()))
			continue
		}
		go func() {
			for {
				conn, err := ln.Accept()
				if err != nil {
					return
				}
				go serveQuiet(tls.Server(conn, cfg))
			}
		}()
		say("SET", fmt.Sprintf("%d %d", i, ln.Addr().(*net.TCPAddr).Port))
	}
	say("SETSDONE", "-")
	select {}
}
