import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@nwd/auth';
import { ApiProblems, UuidParam } from '@nwd/http';
import { IssuedNatsCredentialResponse, NatsCredentialListResponse } from './dto/nats-credential.response';
import { PartnerCredentialsService } from './partner-credentials.service';

@ApiTags('partner feeds')
@Controller('v1/nats-credentials')
@Roles('org-admin')
export class PartnerCredentialsController {
  constructor(private readonly credentials: PartnerCredentialsService) {}

  @Post()
  @ApiCreatedResponse({ type: IssuedNatsCredentialResponse, description: 'The `.creds` content, shown only this once, and how to connect' })
  @ApiProblems(503)
  @ApiOperation({ summary: 'Obtain NATS credentials for your organization’s partner feed' })
  issue(@CurrentPrincipal() principal: Principal) {
    return this.credentials.issue(principal);
  }

  @Get()
  @ApiOkResponse({ type: NatsCredentialListResponse, description: 'Your organization’s NATS credentials, oldest first, revoked ones too; no secrets' })
  @ApiOperation({ summary: 'List your organization’s NATS credentials' })
  async list(@CurrentPrincipal() principal: Principal) {
    return { data: await this.credentials.list(principal) };
  }

  @Post(':id/rotate')
  @HttpCode(200)
  @ApiOkResponse({
    type: IssuedNatsCredentialResponse,
    description: 'New credentials, shown only this once; the old ones keep working for the configured overlap (default 5 minutes), then are revoked',
  })
  @ApiProblems(404, 409, 503)
  @ApiOperation({ summary: 'Rotate a NATS credential' })
  rotate(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string) {
    return this.credentials.rotate(principal, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: the server closes its connections and refuses new ones, within 60 s at most' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Revoke a NATS credential' })
  async revoke(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string) {
    await this.credentials.revoke(principal, id);
  }
}
