/**
 * One unary gRPC call over TLS with @grpc/grpc-js, wired the way pymilvus
 * wires its channel: `credentials.createSsl(ca, key, cert)` and the
 * `grpc.ssl_target_name_override` option set to `server_name`. The server
 * side uses `ServerCredentials.createSsl` with client-certificate checking in
 * mode 2. No .proto files: a hand-built service with JSON-encoded Buffers.
 */
import * as grpc from '@grpc/grpc-js';

export interface GrpcHandshakeInput {
  ca: string;
  cert?: string;
  key?: string;
  serverCert: string;
  serverKey: string;
  mode: 1 | 2;
  serverName: string;
  /** The server trusts this CA for client certificates (mode 2); defaults to `ca`. */
  serverCa?: string;
  deadlineMs?: number;
}

const json = {
  serialize: (v: unknown) => Buffer.from(JSON.stringify(v)),
  deserialize: (b: Buffer) => JSON.parse(b.toString('utf8')) as unknown,
};

const SERVICE: grpc.ServiceDefinition = {
  ping: {
    path: '/milvustls.test.Probe/Ping',
    requestStream: false,
    responseStream: false,
    requestSerialize: json.serialize,
    requestDeserialize: json.deserialize,
    responseSerialize: json.serialize,
    responseDeserialize: json.deserialize,
  },
};

export async function grpcHandshake(o: GrpcHandshakeInput): Promise<{ ok: boolean; error?: string }> {
  const server = new grpc.Server();
  server.addService(SERVICE, {
    ping: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => cb(null, { pong: call.request }),
  });
  let client: grpc.Client | undefined;
  try {
    let creds: grpc.ServerCredentials;
    try {
      creds = grpc.ServerCredentials.createSsl(
        o.mode === 2 ? Buffer.from(o.serverCa ?? o.ca) : null,
        [{ cert_chain: Buffer.from(o.serverCert), private_key: Buffer.from(o.serverKey) }],
        o.mode === 2,
      );
    } catch (e) {
      return { ok: false, error: `server credentials: ${(e as Error).message}` };
    }
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', creds, (err, p) => (err ? reject(err) : resolve(p))),
    );

    const Client = grpc.makeGenericClientConstructor(SERVICE, 'Probe');
    let channelCreds: grpc.ChannelCredentials;
    try {
      channelCreds = grpc.credentials.createSsl(Buffer.from(o.ca), o.key ? Buffer.from(o.key) : null, o.cert ? Buffer.from(o.cert) : null);
    } catch (e) {
      return { ok: false, error: `client credentials: ${(e as Error).message}` };
    }
    client = new Client(`127.0.0.1:${port}`, channelCreds, {
      'grpc.ssl_target_name_override': o.serverName,
      'grpc.default_authority': o.serverName,
    });
    const c = client as grpc.Client & { ping: (req: unknown, opts: grpc.CallOptions, cb: grpc.requestCallback<unknown>) => void };
    const deadline = new Date(Date.now() + (o.deadlineMs ?? 5_000));
    return await new Promise((resolve) => {
      c.ping({ hello: 'milvus' }, { deadline }, (err, res) => {
        if (err) resolve({ ok: false, error: `${grpc.status[err.code] ?? err.code}: ${err.details || err.message}` });
        else if ((res as { pong?: { hello?: string } })?.pong?.hello !== 'milvus')
          resolve({ ok: false, error: `unexpected reply ${JSON.stringify(res)}` });
        else resolve({ ok: true });
      });
    });
  } finally {
    client?.close();
    server.forceShutdown();
  }
}
