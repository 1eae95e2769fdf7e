import { DataCategory, DiscloseReply, DisclosedClient, WithholdingReason } from '@nwd/contracts';

/** Why a reader does not see something: the consent service's reasons, or a referral sent with no identifiers. */
export type WithheldReason = WithholdingReason | 'deidentified';

export interface WithheldPart {
  category: DataCategory;
  reason: WithheldReason;
}

/** Free text as a reader may see it: as written, or its withheld marker. */
export interface TextAccess {
  text(text: string | null): string | null | WithheldText;
}

/** What stands in for free text the reader may not see. */
export interface WithheldText extends WithheldPart {
  withheld: true;
}

/** The client as a reader of a referral sees it: allowed fields only, and what was withheld with the reason. */
export type ClientView = Partial<DisclosedClient> & { withheld: WithheldPart[]; deidentified?: true };

/**
 * What a reader of one referral may see of its person: the client view, whether other
 * organizations' free text (`notes`) may be shown, and the Part 2 notice that must travel with it.
 */
export class ClientAccess implements TextAccess {
  private constructor(
    readonly client: ClientView,
    /** Why other organizations' free text is withheld; undefined when it may be shown. */
    readonly notesWithheld: WithheldPart | undefined,
    readonly redisclosureNotice: string | undefined,
  ) {}

  static disclosed(clientId: string, asked: readonly DataCategory[], reply: DiscloseReply): ClientAccess {
    const withheld = asked
      .filter((category) => !reply.decision.allowed.includes(category))
      .map((category): WithheldPart => reply.decision.withheld.find((w) => w.category === category) ?? { category, reason: 'no-consent' });
    const client: ClientView = { ...(reply.client ?? { id: clientId }), withheld: withheld.filter((w) => w.category !== 'notes') };
    return new ClientAccess(client, withheld.find((w) => w.category === 'notes'), reply.decision.redisclosureNotice);
  }

  /** A de-identified referral, read by anyone but its sender: no id, no identifiers, no free text. */
  static deidentified(): ClientAccess {
    const reason = 'deidentified' as const;
    return new ClientAccess(
      { deidentified: true, withheld: [{ category: 'contact', reason }, { category: 'demographics', reason }] },
      { category: 'notes', reason },
      undefined,
    );
  }

  /**
   * The consent service could not be asked: fail closed. The reader keeps the referral and the id
   * of its client; the person and other organizations' free text are withheld, and nothing was disclosed.
   */
  static unavailable(clientId: string): ClientAccess {
    const reason = 'consent-unavailable' as const;
    return new ClientAccess({ id: clientId, withheld: [{ category: 'contact', reason }, { category: 'demographics', reason }] }, { category: 'notes', reason }, undefined);
  }

  /** Free text written by another organization, or its withheld marker. */
  text(text: string | null): string | null | WithheldText {
    if (text === null || !this.notesWithheld) return text;
    return { withheld: true, ...this.notesWithheld };
  }
}
