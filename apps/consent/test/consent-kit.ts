import { Client as PgClient } from 'pg';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { ClientDetails, ConsentRequests, EventEnvelope, RegisterReferralClientRequest } from '@nwd/contracts';
import { MessagingClient, NatsClient } from '@nwd/messaging';
import { streamEvents, TestNetwork, TestNetworkOptions, TestOrganization } from '@nwd/testing';
import { Clock } from '@nwd/clock';

/** Helpers over the consent service as its e2e specs use it: its HTTP API, its NATS requests, its database. */
export class ConsentKit {
  private started?: TestNetwork;

  static forSuite(options?: TestNetworkOptions): ConsentKit {
    const kit = new ConsentKit();
    beforeAll(async () => {
      kit.started = await TestNetwork.start(['consent'], options);
    });
    afterAll(() => kit.started?.close());
    return kit;
  }

  get network(): TestNetwork {
    if (!this.started) throw new Error('ConsentKit.network before the suite started it');
    return this.started;
  }

  get messaging(): MessagingClient {
    return this.network.service('consent').app.get(MessagingClient);
  }

  get clock(): Clock {
    return this.network.service('consent').app.get(Clock);
  }

  get http() {
    return request(this.network.server('consent'));
  }

  post(org: TestOrganization, path: string, body: unknown, contentType = 'application/json') {
    return this.http.post(path).auth(org.token, { type: 'bearer' }).set('content-type', contentType).send(body as object);
  }

  get(org: TestOrganization, path: string, accept = 'application/json') {
    return this.http.get(path).auth(org.token, { type: 'bearer' }).set('accept', accept);
  }

  person(overrides: Partial<ClientDetails> = {}): ClientDetails {
    return { givenName: 'Rosa', familyName: 'Delgado', birthDate: '1979-05-14', phone: '+1 555 010 2000', preferredLanguage: 'es', ...overrides };
  }

  /** Registers a client through a referral's registration (no consent, de-identified): the sender's own client. */
  async registerClient(sender: TestOrganization, receiver: TestOrganization, details = this.person()): Promise<string> {
    const reply = await this.registerReferral({ senderOrganizationId: sender.id, receivingOrganizationId: receiver.id, client: details, deidentified: true });
    return reply.clientId;
  }

  registerReferral(overrides: Partial<RegisterReferralClientRequest> & Pick<RegisterReferralClientRequest, 'senderOrganizationId' | 'receivingOrganizationId'>) {
    return this.messaging.request(ConsentRequests.registerReferralClient, { referralId: uuidv7(), deidentified: false, categories: [], ...overrides });
  }

  async sql<T = any>(text: string, values: unknown[] = []): Promise<T[]> {
    const client = new PgClient({ connectionString: this.network.service('consent').database.url });
    await client.connect();
    try {
      return (await client.query(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  /** Events on the CONSENT stream about `consentId`, once `expected` of them are there. */
  events(consentId: string, expected: number): Promise<EventEnvelope<{ consentId?: string; [k: string]: unknown }>[]> {
    const stream = this.network.service('consent').app.get(NatsClient).stream('CONSENT');
    return streamEvents<{ consentId?: string }>(stream, (e) => e.data.consentId === consentId, { expected });
  }
}
