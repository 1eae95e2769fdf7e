/**
 * The notifications service's delivery channels, each beside a bare baseline in the same run.
 *
 *   npm run bench -- notifications [--endpoints 100] [--rate 1000] [--seconds 10]
 */
import { webhookFanOut } from './support/webhook-fanout';
import { fmt, option } from './support/stats';

export async function run(args: string[]): Promise<void> {
  const endpoints = option(args, 'endpoints', 100);
  const rate = option(args, 'rate', 1000);
  const seconds = option(args, 'seconds', 10);

  const webhooks = await webhookFanOut({ endpoints, rate, seconds });
  console.log(`### Webhook fan-out: ${rate} events/s for ${seconds} s, each to 2 of ${endpoints} endpoints on loopback; node ${process.version}`);
  console.log('');
  console.log('| measure | bare HTTP POST loop (baseline) | event committed → webhook delivered |');
  console.log('|---|---|---|');
  console.log(`| rate | ${fmt(webhooks.bare.posts / seconds, 0)} POST/s | ${fmt(webhooks.events / seconds, 0)} events/s = ${fmt(webhooks.deliveriesExpected / seconds, 0)} deliveries/s |`);
  console.log(`| p50 (ms) | ${fmt(webhooks.bare.p50, 2)} | ${fmt(webhooks.p50, 2)} |`);
  console.log(`| p99 (ms) | ${fmt(webhooks.bare.p99, 2)} | ${fmt(webhooks.p99, 2)} |`);
  console.log(`| max (ms) | ${fmt(webhooks.bare.max, 2)} | ${fmt(webhooks.max, 2)} |`);
  console.log(`| delivered | ${webhooks.bare.posts}/${webhooks.bare.posts} | ${webhooks.delivered}/${webhooks.deliveriesExpected}, ${webhooks.duplicates} duplicates |`);
  console.log('');
  console.log(`### Partner NATS feeds, the same events in the same run: event committed → read from stream PARTNER (target p99 ≤ 50 ms)`);
  console.log('');
  console.log('| copies read | p50 (ms) | p99 (ms) | max (ms) |');
  console.log('|---|---|---|---|');
  console.log(`| ${webhooks.feeds.copies} | ${fmt(webhooks.feeds.p50, 2)} | ${fmt(webhooks.feeds.p99, 2)} | ${fmt(webhooks.feeds.max, 2)} |`);
}
