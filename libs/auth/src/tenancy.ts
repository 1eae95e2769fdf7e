import { isNetworkAdmin, Principal } from './principal';

declare const fromPrincipal: unique symbol;
declare const onPurpose: unique symbol;

/**
 * Whose eyes a read is for. Made only from the caller's principal (`viewerOf`), never written out
 * by hand, and every repository read of tenant data takes one: a query without a tenant filter
 * does not type-check.
 */
export interface Viewer {
  readonly organizationId: string;
  /** Network admins see every tenant's rows (a referral's internal notes still only their author's). */
  readonly networkAdmin: boolean;
  readonly [fromPrincipal]: true;
}

/**
 * The organization a write is for. Repository writes of tenant data take one and write only rows
 * it is a party to (or, for new rows, rows it authors).
 */
export interface Actor {
  readonly organizationId: string;
  /** The OAuth client acting, as the timeline names its authors. */
  readonly clientId: string;
  readonly [fromPrincipal]: true;
}

export function viewerOf(principal: Principal): Viewer {
  return { organizationId: principal.organizationId, networkAdmin: isNetworkAdmin(principal) } as Viewer;
}

export function actorOf(principal: Principal): Actor {
  return { organizationId: principal.organizationId, clientId: principal.subject } as Actor;
}

/** A row a write is about to insert must be its actor's own: a slip here is a bug, not a caller's error. */
export function assertAuthoredBy(actor: Actor, organizationId: string, what: string): void {
  if (organizationId !== actor.organizationId) throw new Error(`${what} written by ${actor.organizationId} for another organization (${organizationId})`);
}

/**
 * Work no caller asked for (sweeps, boot, replies to other services over NATS), which reads or writes every
 * tenant's rows on purpose. Repository methods that accept it say so in their signature, so reaching past the
 * tenant filter is a visible choice at the call site, never a forgotten argument.
 */
export interface SystemAccess {
  readonly system: true;
  readonly [onPurpose]: true;
}

export const asSystem = { system: true } as SystemAccess;
