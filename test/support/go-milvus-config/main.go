// A stand-in for how Milvus builds its configuration and loads its TLS files, written from
// milvus-io/milvus (read for this file; nothing is copied):
//
//   - pkg/util/paramtable/base_table.go: files milvus.yaml, default.yaml, user.yaml in the config
//     folder ($MILVUSCONF, else <cwd>/configs); the env formatter (lower-case, TrimPrefix "milvus.",
//     drop "/", "_", ".").
//   - pkg/config/file_source.go loadFromFile: each existing file through gopkg.in/yaml.v2 Unmarshal
//     into map[string]interface{}, flattenAndMergeMap into one map, later files overwriting.
//   - pkg/config/config.go flattenAndMergeMap / lowerKey / formatKey; values via cast.ToStringE.
//   - pkg/config/env_source.go: every variable under its own name and its formatted name, and
//     MILVUS_CONF_<KEY> as <KEY>.
//   - pkg/config/source.go + manager.go: env (NormalPriority 11) beats files (LowPriority 21).
//   - pkg/util/paramtable/param_item.go: getAsInt = strconv.Atoi (0 on error), getAsBool =
//     strconv.ParseBool (false on error).
//   - internal/distributed/proxy/listener_manager.go newHTTPListner: tlsMode outside 0..2 fails;
//     2.6 refuses TLS when the HTTP server shares the gRPC port; tls.LoadX509KeyPair; in mode 2
//     the CA through AppendCertsFromPEM ("fail to append ca to cert").
//
// Input (JSON on stdin): {"files": {"/milvus/configs/milvus.yaml": "/host/path", ...},
// "env": {"NAME": "value"}, "mounts": {"/milvus/tls": "/host/tls"}, "imageFiles": {...}}
// where mounts map container paths (files or folders) to host paths, the way the test laid out
// its workspace. Output: the effective values and the proxy's verdict.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"

	yaml "gopkg.in/yaml.v2"
)

type input struct {
	Files  map[string]string `json:"files"`
	Env    map[string]string `json:"env"`
	Mounts map[string]string `json:"mounts"`
	// Http: check the 2.6 port sharing rule.
	Http bool `json:"http"`
}

func formatKey(k string) string {
	if strings.HasPrefix(k, "knowhere.") {
		return k
	}
	return strings.NewReplacer("/", "", "_", "", ".", "").Replace(strings.ToLower(k))
}

func envFormatter(k string) string {
	r := strings.ToLower(k)
	r = strings.TrimPrefix(r, "milvus.")
	return strings.NewReplacer("/", "", "_", "", ".", "").Replace(r)
}

func toString(v interface{}) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", true
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case uint64:
		return strconv.FormatUint(x, 10), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	}
	return "", false
}

func flatten(prefix string, m map[interface{}]interface{}, out map[string]string) {
	for k, v := range m { // Go map order: random, as in Milvus
		ks, _ := toString(k)
		full := ks
		if prefix != "" {
			full = prefix + "." + ks
		}
		switch val := v.(type) {
		case map[interface{}]interface{}:
			flatten(full, val, out)
		case []interface{}:
			parts := []string{}
			for _, it := range val {
				if s, ok := toString(it); ok {
					parts = append(parts, s)
				}
			}
			out[strings.ToLower(full)] = strings.Join(parts, ",")
			out[formatKey(full)] = strings.Join(parts, ",")
		default:
			if s, ok := toString(val); ok {
				out[strings.ToLower(full)] = s
				out[formatKey(full)] = s
			}
		}
	}
}

// hostOf maps a container path through the longest mount covering it.
func hostOf(in input, p string) (string, bool) {
	best := ""
	for target := range in.Mounts {
		if (p == target || strings.HasPrefix(p, strings.TrimSuffix(target, "/")+"/")) && len(target) > len(best) {
			best = target
		}
	}
	if best == "" {
		return "", false
	}
	return in.Mounts[best] + strings.TrimPrefix(p, best), true
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	// Environment source.
	env := map[string]string{}
	for k, v := range in.Env {
		env[k] = v
		env[envFormatter(k)] = v
		if strings.HasPrefix(k, "MILVUS_CONF_") {
			env[k[len("MILVUS_CONF_"):]] = v
			env[envFormatter(k[len("MILVUS_CONF_"):])] = v
		}
	}
	get := func(files map[string]string, key string) (string, string, bool) {
		fk := formatKey(key)
		if v, ok := env[fk]; ok {
			return v, "env", true
		}
		if v, ok := files[fk]; ok {
			return v, "file", true
		}
		return "", "", false
	}
	confDir := "/milvus/configs"
	if v, _, ok := get(map[string]string{}, "MILVUSCONF"); ok {
		confDir = path.Join("/milvus", v)
		if strings.HasPrefix(v, "/") {
			confDir = v
		}
	}
	files := map[string]string{}
	result := map[string]interface{}{}
	read := []string{}
	for _, name := range []string{"milvus.yaml", "default.yaml", "user.yaml"} {
		host, ok := in.Files[path.Join(confDir, name)]
		if !ok {
			continue
		}
		data, err := os.ReadFile(host)
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			result["startError"] = err.Error()
			emit(result)
			return
		}
		var m map[interface{}]interface{}
		if err := yaml.Unmarshal(data, &m); err != nil {
			result["startError"] = "unmarshal yaml file " + name + " failed: " + err.Error()
			emit(result)
			return
		}
		flatten("", m, files)
		read = append(read, name)
	}
	result["read"] = read
	values := map[string]string{}
	sources := map[string]string{}
	for _, k := range []string{"common.security.tlsMode", "common.security.internaltlsEnabled", "tls.serverPemPath", "tls.serverKeyPath", "tls.caPemPath",
		"internaltls.serverPemPath", "internaltls.serverKeyPath", "internaltls.caPemPath", "internaltls.sni", "proxy.port", "proxy.http.enabled", "proxy.http.port"} {
		if v, src, ok := get(files, k); ok {
			values[k] = v
			sources[k] = src
		}
	}
	result["values"] = values
	result["sources"] = sources
	mode, err := strconv.Atoi(values["common.security.tlsMode"])
	if err != nil {
		mode = 0
	}
	result["tlsMode"] = mode
	internal, err := strconv.ParseBool(values["common.security.internaltlsEnabled"])
	result["internaltlsEnabled"] = err == nil && internal
	if mode != 0 && mode != 1 && mode != 2 {
		result["startError"] = "tls mode must be 0: no authentication, 1: one way authentication or 2: two way authentication"
		emit(result)
		return
	}
	if in.Http {
		enabled, err := strconv.ParseBool(values["proxy.http.enabled"])
		if _, set := values["proxy.http.enabled"]; !set {
			enabled, err = true, nil
		}
		if err == nil && enabled {
			grpcPort, _ := strconv.Atoi(values["proxy.port"])
			if _, set := values["proxy.port"]; !set {
				grpcPort = 19530
			}
			httpPort, _ := strconv.Atoi(values["proxy.http.port"])
			if (values["proxy.http.port"] == "" || httpPort == grpcPort) && mode != 0 {
				result["startError"] = "proxy server(http) and external grpc server share the same port, tls mode must be 0"
				emit(result)
				return
			}
		}
	}
	resolve := func(p string) string {
		c := p
		if !strings.HasPrefix(c, "/") {
			c = path.Join("/milvus", c)
		}
		if h, ok := hostOf(in, c); ok {
			return h
		}
		return "/nonexistent-in-container" + c
	}
	load := func(prefix string, needCA bool) {
		_, err := tls.LoadX509KeyPair(resolve(values[prefix+".serverPemPath"]), resolve(values[prefix+".serverKeyPath"]))
		if err != nil {
			result["startError"] = prefix + ": " + err.Error()
			return
		}
		if needCA {
			data, err := os.ReadFile(resolve(values[prefix+".caPemPath"]))
			if err != nil {
				result["startError"] = prefix + ": " + err.Error()
				return
			}
			if !x509.NewCertPool().AppendCertsFromPEM(data) {
				result["startError"] = prefix + ": fail to append ca to cert"
			}
		}
	}
	if mode == 1 || mode == 2 {
		load("tls", mode == 2)
	}
	if _, bad := result["startError"]; !bad && err == nil && internal {
		load("internaltls", true)
	}
	emit(result)
}

func emit(r map[string]interface{}) {
	keys := []string{}
	for k := range r {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b, _ := json.Marshal(r)
	os.Stdout.Write(b)
}
