import { createHash } from 'node:crypto';

/** The hash the first row chains to: a chain with no rows has this head. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Independent chains the log is spread over (heads 1..16). A writer takes whichever head no one else
 * holds, so concurrent disclosures commit in parallel instead of queueing behind one lock (and one
 * WAL flush each) — one chain gave ~140 disclosures/s on a busy 2-core machine.
 */
export const DISCLOSURE_CHAINS = 16;

export interface ChainHead {
  chain: number;
  seq: number;
  hash: string;
}

/** What a row of the accounting holds, as its hash covers it. */
export interface ChainedDisclosure {
  /** Which chain the row is on; its predecessor is the row before it on the same chain. */
  chain: number;
  seq: number;
  id: string;
  clientId: string;
  recipientOrganizationId: string;
  sourceOrganizationIds: string[];
  purpose: string;
  categories: string[];
  channel: string;
  consentIds: string[];
  referralId: string | null;
  requestId: string | null;
  disclosedAt: Date;
}

export interface ChainLink extends ChainedDisclosure {
  previousHash: string;
  hash: string;
}

/**
 * The row's hash: SHA-256 over the previous row's hash and the row's content in a fixed order.
 * The sequence number is inside, so moving a row's content to another position breaks the chain;
 * moving it to another chain breaks the link to its predecessor there.
 */
export function disclosureHash(previousHash: string, row: ChainedDisclosure): string {
  return createHash('sha256').update(previousHash).update('\n').update(`[${row.seq},`).update(contentAfterSeq(row)).digest('hex');
}

/**
 * The hashed content after the sequence number: `JSON.stringify([seq, ...this])` is `[<seq>,` and
 * this, so the database can chain a row whose sequence it alone knows (append_disclosures) and
 * produce the hash this file verifies.
 */
export function contentAfterSeq(row: Omit<ChainedDisclosure, 'seq' | 'chain'>): string {
  const content = [
    row.id,
    row.clientId,
    row.recipientOrganizationId,
    row.sourceOrganizationIds,
    row.purpose,
    row.categories,
    row.channel,
    row.consentIds,
    row.referralId,
    row.requestId,
    row.disclosedAt.toISOString(),
  ];
  return JSON.stringify(content).slice(1);
}

/** Links rows after the chain's head: consecutive sequence numbers, each hash over the one before — what append_disclosures does in the database, here for building and checking chains in memory. */
export function linkDisclosures(head: ChainHead, rows: Omit<ChainedDisclosure, 'seq' | 'chain'>[]): ChainLink[] {
  let { seq, hash } = head;
  return rows.map((row) => {
    const content = { ...row, chain: head.chain, seq: ++seq };
    const link = { ...content, previousHash: hash, hash: disclosureHash(hash, content) };
    hash = link.hash;
    return link;
  });
}

export type ChainProblem =
  | { kind: 'content-changed'; chain: number; seq: number; id: string }
  | { kind: 'broken-link'; chain: number; seq: number; id: string; expectedPreviousHash: string }
  | { kind: 'sequence-gap'; chain: number; seq: number; id: string; expectedSeq: number }
  | { kind: 'newest-rows-missing'; chain: number; lastSeq: number; headSeq: number }
  | { kind: 'rows-beyond-head'; chain: number; seq: number; id: string; headSeq: number }
  | { kind: 'head-mismatch'; chain: number; headSeq: number }
  | { kind: 'head-missing'; chain: number };

export interface ChainReport {
  intact: boolean;
  rows: number;
  /** The first problem found, walking the chain from its start. */
  problem?: ChainProblem;
}

/**
 * Walks one chain in sequence order and names the first row that is not what was written: a row
 * edited (its hash), deleted or inserted (the sequence and the link to its predecessor), reordered
 * (the sequence inside the hash), or the newest rows deleted (the head names a later row).
 */
export async function verifyChain(rows: AsyncIterable<ChainLink>, head: ChainHead): Promise<ChainReport> {
  const chain = head.chain;
  let expectedSeq = 1;
  let previousHash = GENESIS_HASH;
  let count = 0;
  const report = (problem?: ChainProblem): ChainReport => ({ intact: !problem, rows: count, ...(problem ? { problem } : {}) });
  for await (const row of rows) {
    if (row.seq > head.seq) return report({ kind: 'rows-beyond-head', chain, seq: row.seq, id: row.id, headSeq: head.seq });
    if (row.seq !== expectedSeq) return report({ kind: 'sequence-gap', chain, seq: row.seq, id: row.id, expectedSeq });
    if (row.previousHash !== previousHash) return report({ kind: 'broken-link', chain, seq: row.seq, id: row.id, expectedPreviousHash: previousHash });
    if (disclosureHash(row.previousHash, row) !== row.hash) return report({ kind: 'content-changed', chain, seq: row.seq, id: row.id });
    previousHash = row.hash;
    expectedSeq++;
    count++;
  }
  if (expectedSeq - 1 < head.seq) return report({ kind: 'newest-rows-missing', chain, lastSeq: expectedSeq - 1, headSeq: head.seq });
  if (previousHash !== head.hash) return report({ kind: 'head-mismatch', chain, headSeq: head.seq });
  return report();
}

/** One line an operator reads: what was checked, or the first bad row. */
export function describeChainProblem(problem: ChainProblem): string {
  return `chain ${problem.chain}: ${describe(problem)}`;
}

function describe(problem: ChainProblem): string {
  switch (problem.kind) {
    case 'content-changed':
      return `row seq ${problem.seq} (id ${problem.id}) was edited: its content no longer matches its hash`;
    case 'broken-link':
      return `row seq ${problem.seq} (id ${problem.id}) does not chain to the row before it (a row was edited, inserted or reordered)`;
    case 'sequence-gap':
      return `row seq ${problem.seq} (id ${problem.id}) follows seq ${problem.expectedSeq - 1}: rows were deleted or inserted before it`;
    case 'newest-rows-missing':
      return `rows after seq ${problem.lastSeq} are missing: the head records seq ${problem.headSeq}`;
    case 'rows-beyond-head':
      return `row seq ${problem.seq} (id ${problem.id}) lies beyond the head (seq ${problem.headSeq}): it was inserted outside the ledger`;
    case 'head-mismatch':
      return `the newest row (seq ${problem.headSeq}) does not match the head's hash: it was edited or replaced`;
    case 'head-missing':
      return 'its head (disclosure_chain_head) is missing: the newest rows cannot be checked';
    default:
      return assertUnreachable(problem);
  }
}

function assertUnreachable(value: never): never {
  throw new Error(`Unhandled chain problem ${JSON.stringify(value)}`);
}
