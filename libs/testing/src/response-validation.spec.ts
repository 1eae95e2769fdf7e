import { createServer, Server } from 'node:http';
import request from 'supertest';
import { validateResponsesAgainst } from './response-validation';

const document = {
  openapi: '3.0.0',
  info: { title: 'probe', version: '1' },
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          200: {
            description: 'a thing',
            content: { 'application/json': { schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, size: { type: 'integer' } } } } },
          },
        },
      },
    },
  },
};

/** A server that answers whatever the test asks for, to hold against the document above. */
function serverAnswering(status: number, body: unknown): Server {
  const server = createServer((_req, res) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
  validateResponsesAgainst(server, document);
  return server;
}

describe('responses checked against the OpenAPI document', () => {
  it('lets a documented response through', async () => {
    const res = await request(serverAnswering(200, { id: 'a', size: 3 })).get('/things/a').expect(200);
    expect(res.body).toEqual({ id: 'a', size: 3 });
  });

  it('fails a request whose status the operation does not document', async () => {
    await expect(request(serverAnswering(418, { id: 'a' })).get('/things/a')).rejects.toThrow(/GET \/things\/a → 418: status 418 is not documented/);
  });

  it('fails a request whose body does not match the schema', async () => {
    await expect(request(serverAnswering(200, { size: 'big' })).get('/things/a')).rejects.toThrow(/does not match the OpenAPI document: .*id.*/);
  });

  it('fails an operation the document does not have on a documented path', async () => {
    await expect(request(serverAnswering(200, {})).post('/things/a')).rejects.toThrow(/has no POST operation/);
  });

  it('leaves alone paths the document does not describe, and servers it was not given', async () => {
    await request(serverAnswering(404, { nothing: true })).get('/elsewhere').expect(404);
    const unchecked = createServer((_req, res) => res.writeHead(418).end());
    await request(unchecked).get('/things/a').expect(418);
  });

  it('checks operations whose path has a $ (FHIR operations) and holds a body to the media type it is sent as', async () => {
    const fhir = {
      openapi: '3.0.0',
      info: { title: 'probe', version: '1' },
      paths: {
        '/things/$import': { post: { responses: { 201: { description: 'imported', content: { 'application/json': { schema: { type: 'object', required: ['id'] } } } } } } },
        '/things/{id}': {
          get: {
            responses: {
              200: {
                description: 'ours or FHIR',
                content: {
                  'application/json': { schema: { type: 'object', required: ['id'] } },
                  'application/fhir+json': { schema: { type: 'object', required: ['resourceType'] } },
                },
              },
            },
          },
        },
      },
    };
    const answering = (type: string, body: unknown) => {
      const server = createServer((_req, res) => res.writeHead(200, { 'content-type': type }).end(JSON.stringify(body)));
      validateResponsesAgainst(server, fhir);
      return server;
    };
    await request(answering('application/fhir+json', { resourceType: 'Consent' })).get('/things/a').expect(200);
    await expect(request(answering('application/fhir+json', { id: 'a' })).get('/things/a')).rejects.toThrow(/resourceType/);
    await request(answering('application/json', { id: 'a' })).get('/things/a').expect(200);
    await expect(request(answering('application/json', {})).post('/things/$import')).rejects.toThrow(/POST \/things\/\$import → 200: status 200 is not documented/);
  });
});
