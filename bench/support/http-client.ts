import http from 'node:http';

export interface Reply {
  status: number;
  body: any;
}

/** The body of a reply that must have `status`; any other stops the benchmark, naming what came. */
export async function expectStatus<T>(reply: Promise<Reply>, status: number): Promise<T> {
  const res = await reply;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as T;
}

/**
 * JSON over keep-alive connections, as a partner's integration calls the services; node's own
 * http rather than supertest, so the load generator costs as little as it can.
 */
export function jsonClient(maxSockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });

  const call = (port: number, method: string, path: string, token: string | undefined, body?: object): Promise<Reply> => {
    const payload = body ? JSON.stringify(body) : undefined;
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: {
            ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
          });
        },
      );
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  };

  /** An access token from the directory on `port`. */
  const token = async (port: number, clientId: string, secret: string): Promise<string> =>
    (
      await expectStatus<{ access_token: string }>(
        call(port, 'POST', '/oauth/token', undefined, { grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
        200,
      )
    ).access_token;

  /** A new organization with one API client of `roles`, created by a network admin. */
  const member = async (port: number, adminToken: string, organization: { name: string; kind: string }, roles = ['staff']) => {
    const org = await expectStatus<{ id: string }>(call(port, 'POST', '/v1/organizations', adminToken, organization), 201);
    const client = await expectStatus<{ clientId: string; clientSecret: string }>(
      call(port, 'POST', `/v1/organizations/${org.id}/clients`, adminToken, { name: 'bench', roles }),
      201,
    );
    return { id: org.id, ...client };
  };

  return { call, token, member, close: () => agent.destroy() };
}
