import http from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  headers: Record<string, string>;
  body: string;
  json: { type: string; timestamp: string; data: { eventId: string; referralId: string; [k: string]: unknown } };
}

/**
 * A partner's webhook receiver: a real HTTP server on loopback that records what it is sent.
 * `stop()` closes it (connections refused, as when a partner is down) and `start()` reopens it on
 * the same port; `answer` sets the status it replies with.
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  connections = 0;
  answer: { status: number; headers?: Record<string, string> } = { status: 204 };
  private server?: http.Server;
  port = 0;

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await receiver.start();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        if (this.answer.status < 300) this.received.push({ headers, body, json: JSON.parse(body) });
        res.writeHead(this.answer.status, this.answer.headers ?? {});
        res.end();
      });
    });
    server.on('connection', () => this.connections++);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Deliveries about these referrals, in arrival order. */
  about(referralIds: string[]): ReceivedDelivery[] {
    return this.received.filter((d) => referralIds.includes(d.json.data.referralId));
  }
}
