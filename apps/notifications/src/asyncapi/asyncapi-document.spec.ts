import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { PARTNER_EVENT_TYPES, PARTNER_EVENTS, PartnerFeed } from '@nwd/contracts';
import asyncApi300 from '@asyncapi/specs/schemas/3.0.0.json';
import { partnerFeedsAsyncApi } from './asyncapi-document';

/**
 * The published AsyncAPI 3.0.0 schema, compiled. It embeds the JSON Schema draft-07 meta-schema
 * under that meta-schema's own $id, so Ajv must not add its built-in copy (`meta: false`).
 */
function asyncApiValidator(allErrors: boolean) {
  const ajv = new Ajv({ strict: false, allErrors, meta: false, validateSchema: false });
  addFormats(ajv);
  return ajv.compile(asyncApi300);
}

/** What class-validator itself enforces for a contract class (the same metadata `validateMessage` runs). */
function contractShape(payload: Function): { properties: string[]; required: string[] } {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(payload, '', true, false);
  const properties = [...new Set(metadata.map((m) => m.propertyName))].sort();
  const optional = new Set(metadata.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION).map((m) => m.propertyName));
  return { properties, required: properties.filter((p) => !optional.has(p)) };
}

type Schema = { $ref?: string; properties?: Record<string, Schema>; required?: string[] };

describe('the partner feeds’ AsyncAPI document', () => {
  const document = partnerFeedsAsyncApi({ natsUrl: 'nats://nats.example.org:4222,nats://other:4222', prefix: '', version: '1.0.0' });
  const resolve = (ref: string): Schema => ref.split('/').slice(1).reduce<any>((node, key) => node[key], document);

  it('is a valid AsyncAPI 3.0.0 document (the published JSON Schema)', () => {
    const validate = asyncApiValidator(true);
    const valid = validate(document);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('fails that schema when it breaks it (the check has teeth)', () => {
    const validate = asyncApiValidator(false);
    const broken = JSON.parse(JSON.stringify(document));
    broken.operations[Object.keys(broken.operations)[0]!].action = 'listen';
    expect(validate(broken)).toBe(false);
  });

  it('has every partner event on its channel partner.{organizationId}.<type>, received by an operation', () => {
    expect(PARTNER_EVENT_TYPES.length).toBeGreaterThan(0);
    expect(Object.keys(document.channels).sort()).toEqual([...PARTNER_EVENT_TYPES].sort());
    for (const type of PARTNER_EVENT_TYPES) {
      const channel = document.channels[type]!;
      expect(channel.address).toBe(`partner.{organizationId}.${type}`);
      expect(Object.keys(channel.parameters)).toEqual(['organizationId']);
      const operation = Object.values(document.operations).find((o) => o.channel.$ref === `#/channels/${type}`);
      expect(operation?.action).toBe('receive');
    }
    expect(document.servers.network).toMatchObject({ host: 'nats.example.org:4222', protocol: 'nats' });
  });

  it.each(PARTNER_EVENTS.map((e) => [e.subject, e] as const))('describes %s with the properties and required fields of its contract class', (type, contract) => {
    const message = resolve(document.channels[type]!.messages[type]!.$ref) as { payload: Schema };
    const envelope = resolve(message.payload.$ref!);
    expect(envelope.required).toEqual(expect.arrayContaining(['id', 'type', 'data']));
    const payload = resolve(envelope.properties!.data!.$ref!);
    const expected = contractShape(contract.payload);
    expect(Object.keys(payload.properties!).sort()).toEqual(expected.properties);
    expect([...payload.required!].sort()).toEqual(expected.required);
  });

  it('names the network prefix in addresses when the network runs under one', () => {
    const prefixed = partnerFeedsAsyncApi({ natsUrl: 'nats://127.0.0.1:4222', prefix: 'net1', version: '1.0.0' });
    expect(prefixed.channels['referral.v1.accepted']!.address).toBe('net1.partner.{organizationId}.referral.v1.accepted');
    expect(PartnerFeed.subject('x', 'referral.v1.accepted')).toBe('partner.x.referral.v1.accepted');
  });
});
