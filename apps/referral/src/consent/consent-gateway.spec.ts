import { ConsentDecision, ConsentRequests, RequestContract } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { MessagingClient } from '@nwd/messaging';
import { carriedCategories, ConsentGateway } from './consent-gateway';

const CLIENT = '0190f0a4-0000-7000-8000-0000000000cc';
const PANTRY = '0190f0a4-0000-7000-8000-000000000002';

/** The messaging client answering each contract from a script: the gateway's own logic, without the network. */
function gatewayAnswering(answers: ((subject: string) => object)[]) {
  const asked: string[] = [];
  const messaging = {
    request: async (contract: RequestContract<object, object>) => {
      asked.push(contract.subject);
      const answer = answers.shift();
      if (!answer) throw new Error('asked more than scripted');
      return answer(contract.subject);
    },
  } as unknown as MessagingClient;
  return { gateway: new ConsentGateway(messaging), asked };
}

const decision = (allowed: ConsentDecision['allowed'], withheld: ConsentDecision['withheld'] = []): ConsentDecision => ({
  permitted: withheld.length === 0,
  allowed,
  withheld,
  consentIds: [],
});
const decide = { clientId: CLIENT, recipientOrganizationId: PANTRY, purpose: 'referral' as const, categories: ['contact' as const], sourceOrganizationIds: [] };

describe('carriedCategories', () => {
  it('is the person (contact and demographics), and free text counted as notes', () => {
    expect(carriedCategories(false)).toEqual(['contact', 'demographics']);
    expect(carriedCategories(true)).toEqual(['contact', 'demographics', 'notes']);
  });
});

describe('ConsentGateway', () => {
  it('refuses with 422 consent-required naming each category withheld and why', async () => {
    const { gateway } = gatewayAnswering([
      () =>
        decision(
          ['demographics'],
          [
            { category: 'contact', reason: 'no-consent' },
            { category: 'notes', reason: 'consent-expired' },
          ],
        ),
    ]);
    const refused = await gateway.decide(decide).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({
      code: 'consent-required',
      kind: 'unprocessable',
      extensions: {
        recipientOrganizationId: PANTRY,
        missing: ['contact', 'notes'],
        withheld: [
          { category: 'contact', reason: 'no-consent' },
          { category: 'notes', reason: 'consent-expired' },
        ],
      },
    });
    expect((refused as Error).message).toMatch(/contact \(no-consent\), notes \(consent-expired\)/);
  });

  it('lets through a decision that permits everything asked', async () => {
    const { gateway } = gatewayAnswering([() => decision(['contact'])]);
    await expect(gateway.decide(decide)).resolves.toMatchObject({ allowed: ['contact'] });
  });

  it('asks an idempotent question once more after a lost reply, but never a disclosure', async () => {
    const timeout = () => {
      throw DomainError.unavailable('messaging.timeout', 'no answer');
    };
    const { gateway, asked } = gatewayAnswering([timeout, () => decision(['contact'])]);
    await expect(gateway.decide(decide)).resolves.toMatchObject({ permitted: true });
    expect(asked).toEqual([ConsentRequests.decide.subject, ConsentRequests.decide.subject]);

    const once = gatewayAnswering([timeout, () => ({ decision: decision(['contact']) })]);
    await expect(once.gateway.disclose({ ...decide, channel: 'referral-read' })).rejects.toMatchObject({ code: 'messaging.timeout' });
    expect(once.asked).toEqual([ConsentRequests.discloseBatch.subject]);
  });

  it('does not decide for a de-identified referral: nothing personal goes to the receiver', async () => {
    // Registrations travel in batches: the consent service answers each item's reply in order.
    const refusedContact = () => ({ results: [{ reply: { clientId: CLIENT, decision: decision([], [{ category: 'contact', reason: 'no-consent' }]) } }] });
    const { gateway, asked } = gatewayAnswering([refusedContact]);
    const request = { referralId: CLIENT, senderOrganizationId: CLIENT, receivingOrganizationId: PANTRY, clientId: CLIENT, deidentified: true, categories: [] };
    await expect(gateway.registerForReferral(request)).resolves.toMatchObject({ clientId: CLIENT });
    expect(asked).toEqual([ConsentRequests.registerReferralClientBatch.subject]);
    await expect(
      gatewayAnswering([refusedContact]).gateway.registerForReferral(
        { ...request, deidentified: false },
      ),
    ).rejects.toMatchObject({ code: 'consent-required' });
  });
});
