/*
 * A TLS client linked against BoringSSL and configured the way gRPC C-core's
 * SSL channel credentials configure theirs (what pymilvus and every gRPC
 * C-core client run when installed from PyPI wheels). The tests ask it whether
 * such a client accepts a server's certificates.
 *
 * What it mirrors, from grpc/grpc:
 *  - src/core/tsi/ssl_transport_security.cc
 *    tsi_create_ssl_client_handshaker_factory_with_options: SSL_CTX_new(TLS_method()),
 *      tsi_set_min_and_max_tls_versions (TLS 1.2 .. TLS 1.3), SSL_VERIFY_PEER with
 *      CustomVerificationFunction (X509_verify_cert, no extra checks without a CRL provider),
 *      ALPN from grpc_fill_alpn_protocol_strings ("h2").
 *    populate_ssl_context: ssl_ctx_use_certificate_chain (PEM_read_bio_X509_AUX for the leaf,
 *      PEM_read_bio_X509 for SSL_CTX_add_extra_chain_cert), ssl_ctx_use_pem_private_key +
 *      SSL_CTX_check_private_key, SSL_CTX_set_cipher_list(cipher_suites), and, because
 *      BoringSSL reports OPENSSL_VERSION_NUMBER < 3.0, SSL_CTX_set_tmp_ecdh(P-256) (which in
 *      BoringSSL makes P-256 the only group offered).
 *    ssl_ctx_load_verification_certs / x509_store_load_certs: X509_V_FLAG_PARTIAL_CHAIN |
 *      X509_V_FLAG_TRUSTED_FIRST, each PEM_read_bio_X509_AUX block added to the store,
 *      "Could not load any root certificate." when none, depth kMaxChainLength (100).
 *    create_tsi_ssl_handshaker: SNI unless looks_like_ip_address(name).
 *    ssl_handshaker_do_handshake: the error text "<SslErrorString>: <ERR_error_string_n>[: <verify error>]".
 *    peer_from_x509 / add_subject_alt_names_properties_to_peer / tsi_ssl_peer_matches_name /
 *      does_entry_match_name: gRPC's own name check after the handshake (every SAN entry
 *      counts; the CN only when the certificate has no SAN at all and the name is not an IP).
 *  - src/core/credentials/transport/tls/ssl_utils.cc: grpc_ssl_check_alpn ("Cannot check peer:
 *      missing selected ALPN property."), grpc_ssl_check_peer_name ("Peer name X is not in peer
 *      certificate"), grpc_ssl_tsi_client_handshaker_factory_init (cipher suites, ALPN).
 *  - src/core/config/config_vars.yaml: ssl_cipher_suites, the default cipher list.
 *  - src/core/credentials/transport/ssl/ssl_security_connector.cc ssl_check_peer: ALPN first,
 *      then the peer name.
 *
 * After the handshake it reads one line from the server (the test servers write "ok\n"), as a
 * gRPC client reads the server's HTTP/2 SETTINGS: in TLS 1.3 a server that refuses the client
 * certificate says so only then.
 *
 *   boringssl-client PORT SERVERNAME CA.pem [CERT.pem KEY.pem]   one dial
 *   boringssl-client -batch                                      one dial per stdin line:
 *       PORT \t SERVERNAME \t CA.pem \t CERT.pem-or-empty \t KEY.pem-or-empty
 *
 * Prints one line per dial: "OK" or "FAIL <reason>".
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/ec_key.h>
#include <openssl/err.h>
#include <openssl/nid.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#define GRPC_CIPHER_SUITES                                                                   \
  "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:"              \
  "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:" \
  "ECDHE-RSA-AES256-GCM-SHA384"
#define MAX_CHAIN_LENGTH 100
#define IO_TIMEOUT_SECONDS 5
#define REASON_MAX 1024

/* gRPC's looks_like_ip_address: a rough heuristic, IPv6 only in hexadecimal form. */
static int looks_like_ip_address(const char *name) {
  size_t dot_count = 0, num_size = 0;
  for (size_t i = 0; name[i]; ++i) {
    char c = name[i];
    if (c == ':') return 1;
    if (c >= '0' && c <= '9') {
      if (num_size > 3) return 0;
      num_size++;
    } else if (c == '.') {
      if (dot_count > 3 || num_size == 0) return 0;
      dot_count++;
      num_size = 0;
    } else {
      return 0;
    }
  }
  if (dot_count < 3 || num_size == 0) return 0;
  return 1;
}

/* gRPC's does_entry_match_name, on (pointer, length) views. */
static int equals_ignore_case(const char *a, size_t alen, const char *b, size_t blen) {
  return alen == blen && strncasecmp(a, b, alen) == 0;
}

static int does_entry_match_name(const char *entry, size_t elen, const char *name, size_t nlen) {
  if (elen == 0) return 0;
  if (nlen > 0 && name[nlen - 1] == '.') nlen--;
  if (entry[elen - 1] == '.') {
    elen--;
    if (elen == 0) return 0;
  }
  if (equals_ignore_case(name, nlen, entry, elen)) return 1;
  if (entry[0] != '*') return 0;
  if (elen < 3 || entry[1] != '.') return 0; /* "Invalid wildchar entry." */
  const char *dot = memchr(name, '.', nlen);
  if (dot == NULL) return 0;
  size_t pos = (size_t)(dot - name);
  if (pos >= nlen - 2) return 0;
  const char *sub = name + pos + 1;
  size_t slen = nlen - pos - 1;
  const char *dot2 = memchr(sub, '.', slen);
  if (dot2 == NULL || (size_t)(dot2 - sub) == slen - 1) return 0; /* "Invalid toplevel subdomain" */
  if (sub[slen - 1] == '.') slen--;
  entry += 2;
  elen -= 2;
  return elen > 0 && equals_ignore_case(sub, slen, entry, elen);
}

/*
 * tsi_ssl_peer_matches_name over the properties peer_from_x509 builds: every SAN entry is a
 * TSI_X509_SUBJECT_ALTERNATIVE_NAME_PEER_PROPERTY (DNS, email and URI as UTF-8, IPs as
 * inet_ntop text, other types as "other types of SAN"); the CN is consulted only when there
 * are none and the name does not look like an IP.
 */
static int peer_matches_name(X509 *cert, const char *name) {
  size_t nlen = strlen(name);
  int like_ip = looks_like_ip_address(name);
  int matched = 0;
  size_t san_count = 0;
  GENERAL_NAMES *sans = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
  for (size_t i = 0; sans && i < sk_GENERAL_NAME_num(sans) && !matched; i++) {
    GENERAL_NAME *gn = sk_GENERAL_NAME_value(sans, i);
    char ntop[INET6_ADDRSTRLEN];
    unsigned char *utf8 = NULL;
    const char *entry = NULL;
    size_t elen = 0;
    if (gn->type == GEN_DNS || gn->type == GEN_EMAIL || gn->type == GEN_URI) {
      ASN1_STRING *s = gn->type == GEN_DNS ? gn->d.dNSName : gn->type == GEN_EMAIL ? gn->d.rfc822Name : gn->d.uniformResourceIdentifier;
      int n = ASN1_STRING_to_UTF8(&utf8, s);
      if (n < 0) break; /* gRPC fails the peer extraction here */
      entry = (const char *)utf8;
      elen = (size_t)n;
    } else if (gn->type == GEN_IPADD) {
      int af = gn->d.iPAddress->length == 4 ? AF_INET : gn->d.iPAddress->length == 16 ? AF_INET6 : -1;
      if (af < 0 || inet_ntop(af, gn->d.iPAddress->data, ntop, sizeof ntop) == NULL) break;
      entry = ntop;
      elen = strlen(ntop);
    } else {
      entry = "other types of SAN";
      elen = strlen(entry);
    }
    san_count++;
    if (!like_ip && does_entry_match_name(entry, elen, name, nlen)) matched = 1;
    else if (like_ip && elen == nlen && memcmp(entry, name, nlen) == 0) matched = 1; /* IPs: exact */
    OPENSSL_free(utf8);
  }
  if (sans) GENERAL_NAMES_free(sans);
  if (matched) return 1;
  if (san_count == 0 && !like_ip) {
    X509_NAME *subject = X509_get_subject_name(cert);
    int idx = subject ? X509_NAME_get_index_by_NID(subject, NID_commonName, -1) : -1;
    if (idx >= 0) {
      unsigned char *cn = NULL;
      int n = ASN1_STRING_to_UTF8(&cn, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, idx)));
      if (n >= 0 && does_entry_match_name((const char *)cn, (size_t)n, name, nlen)) matched = 1;
      OPENSSL_free(cn);
    }
  }
  return matched;
}

static const char *ssl_error_string(int error) {
  switch (error) {
    case SSL_ERROR_NONE: return "SSL_ERROR_NONE";
    case SSL_ERROR_ZERO_RETURN: return "SSL_ERROR_ZERO_RETURN";
    case SSL_ERROR_WANT_READ: return "SSL_ERROR_WANT_READ";
    case SSL_ERROR_WANT_WRITE: return "SSL_ERROR_WANT_WRITE";
    case SSL_ERROR_WANT_CONNECT: return "SSL_ERROR_WANT_CONNECT";
    case SSL_ERROR_WANT_ACCEPT: return "SSL_ERROR_WANT_ACCEPT";
    case SSL_ERROR_WANT_X509_LOOKUP: return "SSL_ERROR_WANT_X509_LOOKUP";
    case SSL_ERROR_SYSCALL: return "SSL_ERROR_SYSCALL";
    case SSL_ERROR_SSL: return "SSL_ERROR_SSL";
    default: return "Unknown error";
  }
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) buf = realloc(buf, cap *= 2);
  }
  fclose(f);
  if (buf) *len = n;
  return buf;
}

/* x509_store_load_certs: every PEM certificate block becomes a trust anchor candidate. */
static int load_roots(SSL_CTX *ctx, const char *pem, size_t len) {
  X509_STORE *store = SSL_CTX_get_cert_store(ctx);
  X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_TRUSTED_FIRST);
  BIO *bio = BIO_new_mem_buf(pem, (long)len);
  size_t roots = 0;
  X509 *root;
  while ((root = PEM_read_bio_X509_AUX(bio, NULL, NULL, (void *)"")) != NULL) {
    ERR_clear_error();
    if (!X509_STORE_add_cert(store, root)) {
      uint32_t e = ERR_get_error();
      if (ERR_GET_LIB(e) != ERR_LIB_X509 || ERR_GET_REASON(e) != X509_R_CERT_ALREADY_IN_HASH_TABLE) {
        X509_free(root);
        BIO_free(bio);
        return -1;
      }
    }
    X509_free(root);
    roots++;
  }
  ERR_clear_error();
  BIO_free(bio);
  X509_VERIFY_PARAM_set_depth(X509_STORE_get0_param(store), MAX_CHAIN_LENGTH);
  return roots == 0 ? 0 : 1;
}

/* ssl_ctx_use_certificate_chain + ssl_ctx_use_pem_private_key + SSL_CTX_check_private_key. */
static const char *use_key_cert_pair(SSL_CTX *ctx, const char *chain, size_t chain_len, const char *key, size_t key_len) {
  BIO *bio = BIO_new_mem_buf(chain, (long)chain_len);
  X509 *leaf = PEM_read_bio_X509_AUX(bio, NULL, NULL, (void *)"");
  if (leaf == NULL || !SSL_CTX_use_certificate(ctx, leaf)) {
    X509_free(leaf);
    BIO_free(bio);
    return "Invalid cert chain file.";
  }
  X509_free(leaf);
  X509 *extra;
  while ((extra = PEM_read_bio_X509(bio, NULL, NULL, (void *)"")) != NULL) {
    if (!SSL_CTX_add_extra_chain_cert(ctx, extra)) {
      X509_free(extra);
      BIO_free(bio);
      return "Invalid cert chain file.";
    }
  }
  ERR_clear_error();
  BIO_free(bio);
  bio = BIO_new_mem_buf(key, (long)key_len);
  EVP_PKEY *pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)"");
  BIO_free(bio);
  int ok = pkey != NULL && SSL_CTX_use_PrivateKey(ctx, pkey) && SSL_CTX_check_private_key(ctx);
  EVP_PKEY_free(pkey);
  return ok ? NULL : "Invalid private key.";
}

static void set_reason(char *out, const char *prefix, const char *detail) {
  snprintf(out, REASON_MAX, "%s%s", prefix, detail ? detail : "");
}

/* The reason gRPC logs for a failed SSL_do_handshake / read (ssl_handshaker_do_handshake). */
static void ssl_failure(char *out, SSL *ssl, int ret, const char *when) {
  int err = SSL_get_error(ssl, ret);
  uint32_t code = ERR_get_error();
  char err_str[256];
  if (code == 0) snprintf(err_str, sizeof err_str, "the connection closed or timed out");
  else ERR_error_string_n(code, err_str, sizeof err_str);
  long verify = SSL_get_verify_result(ssl);
  char verify_str[300] = "";
  /* BoringSSL's verify result before any verification is X509_V_ERR_INVALID_CALL; gRPC prints it, we leave it out. */
  if (verify != X509_V_OK && verify != X509_V_ERR_INVALID_CALL) snprintf(verify_str, sizeof verify_str, ": %s", X509_verify_cert_error_string(verify));
  snprintf(out, REASON_MAX, "%s%s: %s%s", when, ssl_error_string(err), err_str, verify_str);
}

/* CustomVerificationFunction without a CRL provider or SPIFFE bundle: X509_verify_cert. */
static int verify_chain(X509_STORE_CTX *store_ctx, void *arg) {
  (void)arg;
  return X509_verify_cert(store_ctx);
}

static int dial(int port, const char *server_name, const char *ca_path, const char *cert_path, const char *key_path, char *reason) {
  int result = 0, fd = -1;
  SSL_CTX *ctx = NULL;
  SSL *ssl = NULL;
  char *ca = NULL, *cert = NULL, *key = NULL;
  size_t ca_len = 0, cert_len = 0, key_len = 0;
  ERR_clear_error();

  if ((ca = read_file(ca_path, &ca_len)) == NULL) {
    set_reason(reason, "cannot read ", ca_path);
    goto done;
  }
  ctx = SSL_CTX_new(TLS_method());
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
  if (cert_path && *cert_path) {
    if ((cert = read_file(cert_path, &cert_len)) == NULL || (key = read_file(key_path, &key_len)) == NULL) {
      set_reason(reason, "cannot read ", cert ? key_path : cert_path);
      goto done;
    }
    const char *bad = use_key_cert_pair(ctx, cert, cert_len, key, key_len);
    if (bad) {
      set_reason(reason, "client credentials: ", bad);
      goto done;
    }
  }
  if (!SSL_CTX_set_cipher_list(ctx, GRPC_CIPHER_SUITES)) {
    set_reason(reason, "Invalid cipher list: ", GRPC_CIPHER_SUITES);
    goto done;
  }
  EC_KEY *ecdh = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
  int ecdh_ok = SSL_CTX_set_tmp_ecdh(ctx, ecdh);
  EC_KEY_free(ecdh);
  if (!ecdh_ok) {
    set_reason(reason, "Could not set ephemeral ECDH key.", NULL);
    goto done;
  }
  int roots = load_roots(ctx, ca, ca_len);
  if (roots <= 0) {
    set_reason(reason, roots == 0 ? "Could not load any root certificate." : "Could not add root certificate to ssl context.", NULL);
    goto done;
  }
  static const unsigned char alpn[] = {2, 'h', '2'};
  SSL_CTX_set_alpn_protos(ctx, alpn, sizeof alpn);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
  SSL_CTX_set_cert_verify_callback(ctx, verify_chain, NULL);

  fd = socket(AF_INET, SOCK_STREAM, 0);
  struct timeval tv = {IO_TIMEOUT_SECONDS, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    set_reason(reason, "connect failed", NULL);
    goto done;
  }
  ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  if (!looks_like_ip_address(server_name)) SSL_set_tlsext_host_name(ssl, server_name);
  int ret = SSL_connect(ssl);
  if (ret != 1) {
    ssl_failure(reason, ssl, ret, "");
    goto done;
  }
  const unsigned char *selected = NULL;
  unsigned selected_len = 0;
  SSL_get0_alpn_selected(ssl, &selected, &selected_len);
  if (selected == NULL) {
    set_reason(reason, "Cannot check peer: missing selected ALPN property.", NULL);
    goto done;
  }
  if (selected_len != 2 || memcmp(selected, "h2", 2) != 0) {
    set_reason(reason, "Cannot check peer: invalid ALPN value.", NULL);
    goto done;
  }
  X509 *peer = SSL_get_peer_certificate(ssl);
  int name_ok = peer != NULL && peer_matches_name(peer, server_name);
  X509_free(peer);
  if (!name_ok) {
    snprintf(reason, REASON_MAX, "Peer name %s is not in peer certificate", server_name);
    goto done;
  }
  char line[64];
  size_t got = 0;
  while (got < sizeof line - 1) {
    int n = SSL_read(ssl, line + got, (int)(sizeof line - 1 - got));
    if (n <= 0) {
      ssl_failure(reason, ssl, n, "after the handshake: ");
      goto done;
    }
    got += (size_t)n;
    if (memchr(line, '\n', got)) break;
  }
  line[got] = 0;
  if (strcmp(line, "ok\n") != 0) {
    set_reason(reason, "unexpected reply from the server", NULL);
    goto done;
  }
  result = 1;

done:
  if (ssl) SSL_free(ssl);
  if (fd >= 0) close(fd);
  SSL_CTX_free(ctx);
  free(ca);
  free(cert);
  free(key);
  return result;
}

static void answer(int ok, const char *reason) {
  if (ok) {
    puts("OK");
  } else {
    char clean[REASON_MAX];
    size_t i = 0;
    for (; reason[i] && i < sizeof clean - 1; i++) clean[i] = (reason[i] == '\n' || reason[i] == '\r') ? ' ' : reason[i];
    clean[i] = 0;
    printf("FAIL %s\n", clean);
  }
  fflush(stdout);
}

int main(int argc, char **argv) {
  char reason[REASON_MAX];
  if (argc == 2 && strcmp(argv[1], "-batch") == 0) {
    char line[8192];
    while (fgets(line, sizeof line, stdin)) {
      line[strcspn(line, "\r\n")] = 0;
      char *fields[5] = {0};
      char *p = line;
      for (int i = 0; i < 5; i++) {
        fields[i] = p;
        char *tab = p ? strchr(p, '\t') : NULL;
        if (tab) {
          *tab = 0;
          p = tab + 1;
        } else {
          p = NULL;
        }
      }
      if (!fields[0] || !fields[1] || !fields[2]) {
        answer(0, "bad request line");
        continue;
      }
      reason[0] = 0;
      int ok = dial(atoi(fields[0]), fields[1], fields[2], fields[3], fields[4], reason);
      answer(ok, reason);
    }
    return 0;
  }
  if (argc != 4 && argc != 6) {
    fprintf(stderr, "usage: %s PORT SERVERNAME CA.pem [CERT.pem KEY.pem] | -batch\n", argv[0]);
    return 2;
  }
  reason[0] = 0;
  int ok = dial(atoi(argv[1]), argv[2], argv[3], argc == 6 ? argv[4] : NULL, argc == 6 ? argv[5] : NULL, reason);
  answer(ok, reason);
  return ok ? 0 : 1;
}
