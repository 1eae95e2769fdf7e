import { createHash } from 'node:crypto';

/** The hash the first row chains to: a chain with no rows has this head. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a row of the accounting holds, as its hash covers it. */
export interface ChainedDisclosure {
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
 * The sequence number is inside, so moving a row's content to another position breaks the chain.
 */
export function disclosureHash(previousHash: string, row: ChainedDisclosure): string {
  const content = [
    row.seq,
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
  return createHash('sha256').update(previousHash).update('\n').update(JSON.stringify(content)).digest('hex');
}

/** Links rows after the chain's head: consecutive sequence numbers, each hash over the one before. */
export function linkDisclosures(head: { seq: number; hash: string }, rows: Omit<ChainedDisclosure, 'seq'>[]): ChainLink[] {
  let { seq, hash } = head;
  return rows.map((row) => {
    const content = { ...row, seq: ++seq };
    const link = { ...content, previousHash: hash, hash: disclosureHash(hash, content) };
    hash = link.hash;
    return link;
  });
}

export type ChainProblem =
  | { kind: 'content-changed'; seq: number; id: string }
  | { kind: 'broken-link'; seq: number; id: string; expectedPreviousHash: string }
  | { kind: 'sequence-gap'; seq: number; id: string; expectedSeq: number }
  | { kind: 'newest-rows-missing'; lastSeq: number; headSeq: number }
  | { kind: 'rows-beyond-head'; seq: number; id: string; headSeq: number }
  | { kind: 'head-mismatch'; headSeq: number }
  | { kind: 'head-missing' };

export interface ChainReport {
  intact: boolean;
  rows: number;
  headSeq: number;
  headHash: string;
  /** The first problem found, walking the chain from its start. */
  problem?: ChainProblem;
}

/**
 * Walks the chain in sequence order and names the first row that is not what was written: a row
 * edited (its hash), deleted or inserted (the sequence and the link to its predecessor), reordered
 * (the sequence inside the hash), or the newest rows deleted (the head names a later row).
 */
export async function verifyChain(rows: AsyncIterable<ChainLink>, head: { seq: number; hash: string }): Promise<ChainReport> {
  let expectedSeq = 1;
  let previousHash = GENESIS_HASH;
  let count = 0;
  const report = (problem?: ChainProblem): ChainReport => ({
    intact: !problem,
    rows: count,
    headSeq: head.seq,
    headHash: head.hash,
    ...(problem ? { problem } : {}),
  });
  for await (const row of rows) {
    if (row.seq > head.seq) return report({ kind: 'rows-beyond-head', seq: row.seq, id: row.id, headSeq: head.seq });
    if (row.seq !== expectedSeq) return report({ kind: 'sequence-gap', seq: row.seq, id: row.id, expectedSeq });
    if (row.previousHash !== previousHash) return report({ kind: 'broken-link', seq: row.seq, id: row.id, expectedPreviousHash: previousHash });
    if (disclosureHash(row.previousHash, row) !== row.hash) return report({ kind: 'content-changed', seq: row.seq, id: row.id });
    previousHash = row.hash;
    expectedSeq++;
    count++;
  }
  if (expectedSeq - 1 < head.seq) return report({ kind: 'newest-rows-missing', lastSeq: expectedSeq - 1, headSeq: head.seq });
  if (previousHash !== head.hash) return report({ kind: 'head-mismatch', headSeq: head.seq });
  return report();
}

/** One line an operator reads: what was checked, or the first bad row. */
export function describeChainProblem(problem: ChainProblem): string {
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
      return 'the chain head (disclosure_chain_head) is missing: the newest rows cannot be checked';
    default:
      return assertUnreachable(problem);
  }
}

function assertUnreachable(value: never): never {
  throw new Error(`Unhandled chain problem ${JSON.stringify(value)}`);
}
