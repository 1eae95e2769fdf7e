import { ClientAccess, ClientView, TextAccess, WithheldText } from './client-access';

/**
 * What one reader of one referral may see: the client under one decision, and each other
 * organization's free text under the decision that named that organization as the source (the
 * person's decision when no other was asked). The reader's own text is its own.
 */
export class ReadAccess {
  constructor(
    readonly readerOrganizationId: string,
    private readonly person: ClientAccess,
    private readonly notesBy: ReadonlyMap<string, ClientAccess> = new Map(),
  ) {}

  get client(): ClientView {
    return this.person.client;
  }

  /** How free text by `authorOrganizationId` reads; undefined for the reader's own. */
  textBy(authorOrganizationId: string): TextAccess | undefined {
    if (authorOrganizationId === this.readerOrganizationId) return undefined;
    return this.notesBy.get(authorOrganizationId) ?? this.person;
  }

  /** `text` by `authorOrganizationId`, as written or as its withheld marker. */
  textOf(authorOrganizationId: string, text: string | null): string | null | WithheldText {
    return this.textBy(authorOrganizationId)?.text(text) ?? text;
  }

  /** The Part 2 notice, when anything the read shows is a Part 2 program's record. */
  get redisclosureNotice(): string | undefined {
    return [this.person, ...this.notesBy.values()].find((access) => access.redisclosureNotice)?.redisclosureNotice;
  }
}
