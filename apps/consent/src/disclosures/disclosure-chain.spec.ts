import { createHash } from 'node:crypto';
import { ChainLink, describeChainProblem, disclosureHash, GENESIS_HASH, linkDisclosures, verifyChain } from './disclosure-chain';

const row = (n: number) => ({
  id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
  clientId: '11111111-1111-4111-8111-111111111111',
  recipientOrganizationId: '22222222-2222-4222-8222-222222222222',
  sourceOrganizationIds: ['33333333-3333-4333-8333-333333333333'],
  purpose: 'referral',
  categories: ['contact', 'needs-and-screening'],
  channel: 'referral-read',
  consentIds: [],
  referralId: null,
  requestId: `req-${n}`,
  disclosedAt: new Date(Date.UTC(2026, 11, 1, 12, 0, n)),
});

const chain = (n: number): ChainLink[] => linkDisclosures({ chain: 1, seq: 0, hash: GENESIS_HASH }, Array.from({ length: n }, (_, i) => row(i + 1)));
const headOf = (links: ChainLink[]) => ({ chain: 1, seq: links.length, hash: links.at(-1)?.hash ?? GENESIS_HASH });
async function* rows(links: ChainLink[]) {
  yield* links;
}

describe('disclosure hash chain', () => {
  it('hashes the previous hash, a newline and the JSON array of the row in its fixed order (rows already written keep verifying)', () => {
    const r = { ...row(7), chain: 3, seq: 42 };
    const content = [42, r.id, r.clientId, r.recipientOrganizationId, r.sourceOrganizationIds, r.purpose, r.categories, r.channel, r.consentIds, r.referralId, r.requestId, r.disclosedAt.toISOString()];
    const expected = createHash('sha256').update(`${GENESIS_HASH}\n${JSON.stringify(content)}`).digest('hex');
    expect(disclosureHash(GENESIS_HASH, r)).toBe(expected);
  });

  it('links rows with consecutive sequence numbers, each hash over the one before', async () => {
    const links = chain(3);
    expect(links.map((l) => l.seq)).toEqual([1, 2, 3]);
    expect(links[0]!.previousHash).toBe(GENESIS_HASH);
    expect(links[2]!.previousHash).toBe(links[1]!.hash);
    expect(await verifyChain(rows(links), headOf(links))).toEqual({ intact: true, rows: 3 });
    expect(links.every((l) => l.chain === 1)).toBe(true);
  });

  it('an empty chain with the genesis head is intact', async () => {
    expect((await verifyChain(rows([]), { chain: 1, seq: 0, hash: GENESIS_HASH })).intact).toBe(true);
  });

  it('names an edited row', async () => {
    const links = chain(4);
    const head = headOf(links);
    links[1] = { ...links[1]!, categories: ['contact', 'notes'] };
    const report = await verifyChain(rows(links), head);
    expect(report.problem).toEqual({ kind: 'content-changed', chain: 1, seq: 2, id: links[1]!.id });
    expect(describeChainProblem(report.problem!)).toBe(`chain 1: row seq 2 (id ${links[1]!.id}) was edited: its content no longer matches its hash`);
  });

  it('names the row after an edited row whose hash was recomputed', async () => {
    const links = chain(4);
    const head = headOf(links);
    const edited = { ...links[1]!, recipientOrganizationId: '44444444-4444-4444-8444-444444444444' };
    links[1] = { ...edited, hash: disclosureHash(edited.previousHash, edited) };
    expect((await verifyChain(rows(links), head)).problem).toMatchObject({ kind: 'broken-link', seq: 3 });
  });

  it('names the row after a deleted one', async () => {
    const links = chain(4);
    const head = headOf(links);
    links.splice(1, 1);
    expect((await verifyChain(rows(links), head)).problem).toMatchObject({ kind: 'sequence-gap', seq: 3, expectedSeq: 2 });
  });

  it('detects the newest rows deleted through the head', async () => {
    const links = chain(4);
    const head = headOf(links);
    const report = await verifyChain(rows(links.slice(0, 2)), head);
    expect(report.problem).toEqual({ kind: 'newest-rows-missing', chain: 1, lastSeq: 2, headSeq: 4 });
  });

  it('detects a row inserted after the head', async () => {
    const links = chain(3);
    const head = headOf(links);
    const [extra] = linkDisclosures(head, [row(9)]);
    expect((await verifyChain(rows([...links, extra!]), head)).problem).toMatchObject({ kind: 'rows-beyond-head', seq: 4 });
  });

  it('detects a row inserted in the middle with the sequence renumbered', async () => {
    const links = chain(3);
    const head = headOf(links);
    const forged = { ...row(8), chain: 1, seq: 2, previousHash: links[0]!.hash, hash: '' };
    forged.hash = disclosureHash(forged.previousHash, forged);
    const renumbered = [links[0]!, forged, { ...links[1]!, seq: 3 }, { ...links[2]!, seq: 4 }];
    expect((await verifyChain(rows(renumbered), { ...head, seq: 4 })).problem).toMatchObject({ kind: 'broken-link', seq: 3 });
  });

  it('detects two rows swapped, their sequence numbers kept', async () => {
    const links = chain(4);
    const head = headOf(links);
    const swapped = [links[0]!, { ...links[2]!, seq: 2 }, { ...links[1]!, seq: 3 }, links[3]!];
    expect((await verifyChain(rows(swapped), head)).problem).toMatchObject({ kind: 'broken-link', seq: 2 });
  });

  it('detects the newest row replaced with a self-consistent forgery', async () => {
    const links = chain(3);
    const head = headOf(links);
    const forged = { ...links[2]!, purpose: 'care-coordination' };
    links[2] = { ...forged, hash: disclosureHash(forged.previousHash, forged) };
    expect((await verifyChain(rows(links), head)).problem).toEqual({ kind: 'head-mismatch', chain: 1, headSeq: 3 });
  });
});
