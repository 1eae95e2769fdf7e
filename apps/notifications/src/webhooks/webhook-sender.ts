import http from 'node:http';
import https from 'node:https';
import { LookupFunction } from 'node:net';
import { PinnedTarget, WebhookTargetGuard, WebhookTargetRefused } from './webhook-target.guard';

export interface SendResult {
  statusCode?: number;
  durationMs: number;
  /** Why no status came back, or what the status means (a redirect that was not followed). */
  error?: string;
}

/** The start of a receiver's answer we read (the rest is discarded): enough for a log, not a memory sink. */
const MAX_RESPONSE_BYTES = 4096;

/**
 * Sends one signed delivery: resolves and checks the target again (what registration allowed may
 * resolve elsewhere now), connects to exactly the address checked, and never follows a redirect.
 */
export class WebhookSender {
  private readonly agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };

  constructor(
    private readonly guard: WebhookTargetGuard,
    private readonly timeoutMs: number,
  ) {}

  async send(url: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let target: PinnedTarget;
    try {
      target = await this.guard.pin(url);
    } catch (error) {
      if (error instanceof WebhookTargetRefused) return { durationMs: elapsed(), error: `refused: ${error.reason}` };
      throw error;
    }
    try {
      const statusCode = await this.post(target, headers, body);
      const redirect = statusCode >= 300 && statusCode < 400 ? { error: 'redirect not followed' } : {};
      return { statusCode, durationMs: elapsed(), ...redirect };
    } catch (error) {
      return { durationMs: elapsed(), error: (error as Error).message.slice(0, 500) };
    }
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private post(target: PinnedTarget, headers: Record<string, string>, body: string): Promise<number> {
    const secure = target.url.protocol === 'https:';
    // The name is kept for Host and TLS (SNI, certificate check); only the connection is pinned.
    const lookup: LookupFunction = (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    };
    return new Promise<number>((resolve, reject) => {
      const request = (secure ? https : http).request(
        target.url,
        {
          method: 'POST',
          agent: secure ? this.agents.https : this.agents.http,
          lookup,
          timeout: this.timeoutMs,
          headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'NoWrongDoor-Webhooks/1' },
        },
        (response) => {
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_RESPONSE_BYTES) response.destroy();
          });
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('close', () => resolve(response.statusCode ?? 0));
          response.on('error', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      request.on('error', reject);
      request.end(body);
    });
  }
}
