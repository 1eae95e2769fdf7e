import { Body, Controller, Get, Headers, HttpCode, Ip, Post, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CredentialExchange, Public } from '@nwd/auth';
import { ApiProblems } from '@nwd/http';
import { JsonWebKeySetDto, TokenResponse } from './dto/token.response';
import { oauthError, TokenService } from './token.service';
import { SigningKeys } from './signing-keys';

/** RFC 6749 §2.3.1: Basic credentials are form-encoded before base64. */
function basicCredentials(authorization: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  try {
    return { clientId: decode(decoded.slice(0, colon)), clientSecret: decode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

@ApiTags('oauth')
@Controller()
export class OAuthController {
  constructor(
    private readonly tokens: TokenService,
    private readonly keys: SigningKeys,
  ) {}

  /**
   * Client credentials grant; credentials in the body (form or JSON) or as HTTP Basic. Counted
   * against the caller's address in the credential budget as well as the public one.
   */
  @Public()
  @CredentialExchange()
  @Post('oauth/token')
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['grant_type'],
      properties: { grant_type: { enum: ['client_credentials'] }, client_id: { type: 'string' }, client_secret: { type: 'string' } },
    },
  })
  @ApiSecurity('basic')
  @ApiSecurity({})
  @ApiOkResponse({ type: TokenResponse, description: 'An RS256 access token with sub, org and roles, valid for at most 15 minutes' })
  @ApiProblems(401)
  @ApiOperation({ summary: 'Get an access token (client credentials)' })
  async token(
    @Body() body: Record<string, unknown> | undefined,
    @Headers('authorization') authorization: string | undefined,
    @Ip() address: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponse> {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const form = body && typeof body === 'object' ? body : {};
    if (typeof form.grant_type !== 'string' || !form.grant_type) {
      throw oauthError('invalid_request', 'grant_type is required');
    }
    if (form.grant_type !== 'client_credentials') {
      throw oauthError('unsupported_grant_type', `grant_type ${form.grant_type} is not supported; use client_credentials`);
    }
    const basic = basicCredentials(authorization);
    const inBody = typeof form.client_id === 'string' && typeof form.client_secret === 'string';
    if (basic && (form.client_id !== undefined || form.client_secret !== undefined)) {
      throw oauthError('invalid_request', 'Use one way to authenticate the client: HTTP Basic or client_id/client_secret in the body');
    }
    const credentials = basic ?? (inBody ? { clientId: form.client_id as string, clientSecret: form.client_secret as string } : undefined);
    if (!credentials) {
      void reply.header('www-authenticate', 'Basic realm="no-wrong-door"');
      throw oauthError('invalid_client', 'Client authentication is required (HTTP Basic, or client_id and client_secret)');
    }
    return this.tokens.issue(credentials.clientId, credentials.clientSecret, address);
  }

  @Public()
  @Get('.well-known/jwks.json')
  @ApiOkResponse({ type: JsonWebKeySetDto, description: 'Public keys that verify access tokens' })
  @ApiOperation({ summary: 'Public keys that verify access tokens' })
  jwks(@Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('cache-control', 'public, max-age=300');
    return this.keys.jwks();
  }
}
